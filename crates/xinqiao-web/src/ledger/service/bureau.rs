//! The bureau's side of the ledger service: an officer within the bureau tree opens an
//! enterprise's ledger for a case or inspection that concerns it, traces a batch with the
//! producers' chain, and opens and reads recall and sealing lists.

use super::{Caller, LineView, LotView, lines_of, lot_views, opt};
use crate::AppState;
use crate::error::AppError;
use crate::ledger::trace::{self, Trace};
use crate::scope::Scope;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::{Batch, ElementString, EntryKind, Gtin, Lot, RecallKind};
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{Entry, Holder, Recall};
use xinqiao_store::users::User;

/// An officer, within the bureau tree.
pub struct Officer {
    pub actor: Actor,
    pub user: User,
    pub scope: Scope,
}

pub async fn officer(state: &AppState, caller: &Caller<'_>) -> Result<Officer, AppError> {
    caller.require(state, Permission::HandleCases, "ledger.bureau").await?;
    let user = caller.user().clone();
    let scope = Scope::of_org(state, user.org_id.as_deref()).await?;
    Ok(Officer { actor: caller.actor(), user, scope })
}

/// Why an officer may look at an enterprise's ledger: a complaint about it handled in the
/// officer's bureau tree (its tracking code), or an inspection task that drew it with the officer
/// on the team. Anything else is refused and the refusal recorded.
pub(in crate::ledger) async fn check_reference(
    state: &AppState,
    o: &Officer,
    uscc: &Uscc,
    reference: &str,
) -> Result<String, AppError> {
    let r = reference.trim();
    let refuse = |why: &str| {
        let why = why.to_owned();
        async move {
            let event = xinqiao_store::audit::Event::new(
                "access.denied",
                format!("ledger:{}", uscc.as_str()),
                xinqiao_domain::audit::Outcome::Denied,
            )
            .detail(serde_json::json!({"reason": why}));
            state.store.audit(&o.actor, event).await?;
            Err::<String, AppError>(AppError::Forbidden(why))
        }
    };
    if r.is_empty() {
        return refuse("查阅企业台账须注明所办理的诉求编号或检查任务编号").await;
    }
    if let Ok(case) = state.store.case_by_tracking_code(&r.replace('-', "")).await {
        let in_scope = case.org_id.as_deref().is_some_and(|org| o.scope.has_org(org));
        if in_scope && case.enterprise_uscc.as_deref() == Some(uscc.as_str()) {
            return Ok(format!("case:{}", case.tracking_code));
        }
        return refuse("该诉求不涉及这家企业，或不在本局辖区内").await;
    }
    if state.store.draw_task(r).await.is_ok() {
        let cert = state.store.cert_of_user(&o.user.id).await?;
        let team = state.store.team_of(r, uscc.as_str()).await?;
        if cert.is_some_and(|c| team.contains(&c)) {
            return Ok(format!("inspection:{r}"));
        }
        return refuse("您不是该检查任务中这家企业的检查人员").await;
    }
    refuse("找不到这个诉求编号或检查任务编号").await
}

/// An enterprise's ledger for an officer, opened for a reference; the look is audited with it.
pub async fn open_ledger(
    state: &AppState,
    o: &Officer,
    uscc: &str,
    reference: &str,
) -> Result<Vec<LineView>, AppError> {
    let uscc = Uscc::parse(uscc)?;
    let reference = check_reference(state, o, &uscc, reference).await?;
    let e = state.store.ledger_enterprise(&uscc).await?.ok_or(AppError::NotFound)?;
    if !o.scope.has_org(&e.org_id) {
        return Err(AppError::NotFound);
    }
    state.store.ledger_record_look(&o.actor, &uscc, &reference, serde_json::json!({"what": "ledger"})).await?;
    Ok(lines_of(state, &uscc).await?.iter().map(|(e, c)| LineView::of(e, *c)).collect())
}

/// What a trace or recall asks about.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BatchQuery {
    /// A GTIN or a GS1 element string (its batch is used when `batch` is empty).
    pub code: String,
    pub batch: String,
    /// The case or inspection it serves (recorded with the look).
    pub reference: String,
}

pub(in crate::ledger) fn batch_of(q: &BatchQuery, today: Date) -> Result<(Gtin, Batch), AppError> {
    let e = ElementString::parse(&q.code, today).map_err(|e| AppError::from(e.field("code")))?;
    let batch =
        opt(&q.batch).or(e.batch.as_deref()).ok_or_else(|| AppError::field("batch", "required", "请填写批号"))?;
    Ok((e.gtin, Batch::parse(batch)?))
}

/// How many linked batches a trace follows in each direction through producers' raw-material
/// uses before it stops and says so.
pub const CHAIN_LIMIT: usize = 50;

/// Traces a batch across every ledger of the officer's bureau tree: where it came from, where it
/// went, who holds it — and through producers, the batches made from it (with their buyers and
/// holders) and the raw-material lots used in it (with their suppliers). One audit entry
/// (`ledger.trace`) with its purpose and how far the chain reached.
pub async fn trace(state: &AppState, o: &Officer, q: &BatchQuery) -> Result<Trace, AppError> {
    let (gtin, batch) = batch_of(q, state.today())?;
    if q.reference.trim().is_empty() {
        return Err(AppError::field("reference", "required", "请注明所办理的诉求编号或检查任务编号"));
    }
    Ok(traced(state, o, &gtin, &batch, q.reference.trim()).await?.1)
}

/// The current lines of a batch in every ledger of the officer's bureau tree and its trace with
/// the producers' chain (up to [`CHAIN_LIMIT`] linked batches each way, a level of the chain per
/// query); the look is one `ledger.trace` audit entry with its purpose, how many enterprises it
/// showed and how far the chain reached. The trace page, a case's and a warning's batch pages.
pub(in crate::ledger) async fn traced(
    state: &AppState,
    o: &Officer,
    gtin: &Gtin,
    batch: &Batch,
    purpose: &str,
) -> Result<(Vec<Entry>, Trace), AppError> {
    let start = Lot::new(gtin.clone(), batch.clone());
    let purpose: String = purpose.chars().take(60).collect();
    // The batch's own lines and its chain at once, each on its own connection.
    let (lines, chain) = tokio::try_join!(
        state.store.ledger_batch_lines(&o.scope.org_ids, gtin, Some(batch)),
        crate::ledger::chain::follow(&state.store, &o.scope.org_ids, &start, CHAIN_LIMIT, u32::MAX, &purpose)
    )?;
    let mut t = trace::build(gtin, batch, &lines);
    // The enterprises whose lines or uses the page shows; a linked batch's keepers are only
    // counted (its summary names none of them).
    let mut enterprises: std::collections::BTreeSet<&str> = lines.iter().map(|e| e.uscc.as_str()).collect();
    for l in chain.made_into.iter().chain(&chain.made_from) {
        enterprises.extend(l.uses.iter().map(|u| u.enterprise_uscc.as_str()));
    }
    let linked_keepers: i64 = chain.made_into.iter().chain(&chain.made_from).map(|l| l.keepers).sum();
    let mut event = xinqiao_store::audit::Event::new(
        "ledger.trace",
        format!("batch:{}:{}", gtin.as_str(), batch.as_str()),
        xinqiao_domain::audit::Outcome::Success,
    )
    .detail(serde_json::json!({
        "enterprises": enterprises.len(),
        "made_into": chain.made_into.len(),
        "made_from": chain.made_from.len(),
        "linked_keepers": linked_keepers,
    }));
    event.purpose = purpose;
    state.store.audit(&o.actor, event).await?;
    // Backward, the uses its producers recorded with this batch number but no product GTIN.
    let mut producers: Vec<Uscc> = Vec::new();
    for e in lines.iter().filter(|e| e.kind == EntryKind::Production) {
        if !producers.contains(&e.uscc) {
            producers.push(e.uscc.clone());
        }
    }
    let possible = state.store.ledger_unlinked_uses_naming(&o.scope.org_ids, &producers, batch).await?;
    t.unlinked_uses_into = possible.iter().map(trace::PossibleUse::of).collect();
    t.made_into = chain.made_into;
    t.made_from = chain.made_from;
    t.chain_truncated = chain.truncated;
    Ok((lines, t))
}

/// A recall or sealing list: every holder the trace finds, each to confirm.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecallView {
    pub id: String,
    pub kind: String,
    pub gtin: String,
    pub batch: String,
    pub reference: String,
    pub holders: Vec<HolderView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HolderView {
    pub uscc: String,
    pub name: String,
    /// On hand of the batch itself when the list was made.
    pub on_hand: String,
    pub confirmed: bool,
    /// Batches made from the recalled lot that this holder holds.
    pub made_from: Vec<LotView>,
}

fn recall_view(r: &Recall, holders: &[Holder]) -> RecallView {
    RecallView {
        id: r.id.clone(),
        kind: r.kind.label().into(),
        gtin: r.gtin.short().into(),
        batch: r.batch.as_str().into(),
        reference: r.reference.clone(),
        holders: holders
            .iter()
            .map(|h| HolderView {
                uscc: h.uscc.as_str().into(),
                name: h.name.clone(),
                on_hand: xinqiao_domain::ledger::entry::Milli(h.on_hand_milli).to_string(),
                confirmed: h.confirmed_at.is_some(),
                made_from: lot_views(&h.lots),
            })
            .collect(),
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RecallInput {
    #[serde(flatten)]
    pub batch: BatchQuery,
    /// `recall` (召回) or `seal` (封存).
    pub kind: String,
}

pub async fn open_recall(state: &AppState, o: &Officer, input: &RecallInput) -> Result<RecallView, AppError> {
    let kind = RecallKind::parse(&input.kind)?;
    let org = o.user.org_id.clone().ok_or_else(|| AppError::Forbidden("您的账户尚未关联机构".into()))?;
    let t = trace(state, o, &input.batch).await?;
    let (gtin, batch) = batch_of(&input.batch, state.today())?;
    let holders: Vec<(Uscc, i64)> = t.holders.iter().map(|h| (h.uscc.clone(), h.on_hand_milli)).collect();
    // A raw-material lot reaches every holder of the batches made from it (read here in full:
    // the trace shows those batches as summaries).
    let mut made: Vec<Lot> = Vec::new();
    for l in &t.made_into {
        let (Ok(gtin), Ok(batch)) = (Gtin::parse(&l.gtin), Batch::parse(&l.batch)) else {
            return Err(AppError::Internal("a traced batch that does not parse".into()));
        };
        made.push(Lot::new(gtin, batch));
    }
    let lots: Vec<(Uscc, Lot, i64)> = state
        .store
        .ledger_lots_holders(&o.scope.org_ids, &made)
        .await?
        .into_iter()
        .map(|(lot, uscc, on_hand)| (uscc, lot, on_hand))
        .collect();
    let reference: String = input.batch.reference.trim().chars().take(60).collect();
    let r = state.store.ledger_open_recall(&o.actor, &org, kind, &gtin, &batch, &reference, &holders, &lots).await?;
    recall(state, o, &r.id).await
}

pub async fn recall(state: &AppState, o: &Officer, id: &str) -> Result<RecallView, AppError> {
    let (r, holders) = state.store.ledger_recall(id).await?.ok_or(AppError::NotFound)?;
    if !o.scope.has_org(&r.org_id) {
        return Err(AppError::NotFound);
    }
    Ok(recall_view(&r, &holders))
}

pub fn recall_csv(r: &RecallView) -> String {
    let mut out =
        String::from("\u{feff}统一社会信用代码,企业名称,商品条码,批号,登记时在库数量,已确认下架封存,关系\r\n");
    for h in &r.holders {
        let confirmed = if h.confirmed { "是" } else { "否" };
        out += &trace::csv_row(&[&h.uscc, &h.name, &r.gtin, &r.batch, &h.on_hand, confirmed, "本批次"]);
        for l in &h.made_from {
            out +=
                &trace::csv_row(&[&h.uscc, &h.name, &l.gtin, &l.batch, &l.on_hand, confirmed, "以本批次为原料的产品"]);
        }
    }
    out
}
