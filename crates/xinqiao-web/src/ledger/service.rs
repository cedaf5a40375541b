//! 电子台账's one service, under both the pages and `/api/v1/ledger`: it authorises the caller
//! (an enterprise on its own ledger; an officer within the bureau tree and only for a case or
//! inspection that concerns the enterprise), validates typed input into domain values, computes
//! each line's retention from the law data, and calls the store.

use super::trace::{self, Trace};
use crate::AppState;
use crate::error::AppError;
use crate::extract::UploadedFile;
use crate::scope::Scope;
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::entry::check_dates;
use xinqiao_domain::ledger::{
    Batch, Category, CorrectionReason, ElementString, EntryKind, Gtin, Lot, Quantity, RecallKind, RetentionRules,
    Shelf, Unit,
};
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{
    Enterprise, Entry, EntryWrite, Holder, LedgerConflict, LedgerError, NewParty, Party, Product, Recall, Voucher,
};
use xinqiao_store::users::User;

/// The retention rules shipped with the program.
pub static RULES: LazyLock<RetentionRules> = LazyLock::new(RetentionRules::builtin);

/// Who is asking, through which door (the shared type every service takes).
pub use crate::caller::Caller;

impl From<LedgerError> for AppError {
    fn from(e: LedgerError) -> Self {
        match e {
            LedgerError::Conflict(c @ (LedgerConflict::EntryNotFound | LedgerConflict::RecallNotFound)) => {
                AppError::Refused { status: 404, code: c.code(), message: c.to_string() }
            }
            LedgerError::Conflict(c) => AppError::Refused { status: 409, code: c.code(), message: c.to_string() },
            LedgerError::Store(s) => AppError::from(s),
            LedgerError::Invalid(lines) => AppError::Validation(lines.into_iter().map(|(_, e)| e).collect()),
            bad @ LedgerError::BadRow { .. } => AppError::Internal(bad.to_string()),
        }
    }
}

/// An enterprise on its own ledger.
pub struct Keeper {
    pub actor: Actor,
    pub enterprise: Enterprise,
}

/// Lets an enterprise account in and opens its ledger on first use, under the bureau the account
/// belongs to.
pub async fn keeper(state: &AppState, caller: &Caller<'_>) -> Result<Keeper, AppError> {
    caller.require(state, Permission::EnterprisePortal, "ledger").await?;
    let user = caller.user();
    let uscc = user.uscc.clone().ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))?;
    let uscc = Uscc::parse(&uscc).map_err(|_| AppError::Internal("stored account USCC".into()))?;
    let actor = caller.actor();
    let enterprise = match state.store.ledger_enterprise(&uscc).await? {
        Some(e) => e,
        None => {
            let Some(org) = user.org_id.as_deref() else {
                return Err(AppError::BadRequest {
                    code: "ledger_no_bureau",
                    message: "企业账户尚未关联辖区市场监管局，暂不能开通电子台账，请联系登记机关".into(),
                });
            };
            state.store.ledger_enroll(&actor, &uscc, &user.display_name, org).await?
        }
    };
    Ok(Keeper { actor, enterprise })
}

/// A ledger line as typed or scanned. Every field is text as a form sends it; empty means absent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EntryInput {
    /// `purchase`, `sale`, `material_use`, `production` or `shipment` (or 进货、销售、原料使用、生产、出货).
    pub kind: String,
    /// The scanned GS1 element string, or a GTIN typed by hand.
    pub code: String,
    /// 批号; taken from the code's AI (10) when left empty.
    pub batch: String,
    pub quantity: String,
    /// 单位 (default 件).
    pub unit: String,
    /// The day of the purchase, sale or use (`YYYY-MM-DD`, default today).
    pub date: String,
    /// 生产日期; from AI (11) when left empty.
    pub production: String,
    /// 保质期至 / 使用期限至; from AI (17) or (15) when left empty.
    pub expiry: String,
    /// 保质期（天）, when the label gives a period rather than a date.
    pub shelf_life_days: String,
    /// The supplier (purchase) or buyer (sale, shipment): an id from the party list.
    pub party_id: String,
    /// For a raw-material use (原料使用): the production batch it went into — required, and it must
    /// be a production batch of this enterprise (recorded before, or in the same import). The
    /// quantity used may not exceed the lot's stock on hand.
    pub into_batch: String,
    /// For a raw-material use: the product made (GTIN or its GS1 string, whose AI (10) fills
    /// `into_batch` when that is empty); may be left empty when the batch names one product only.
    pub into_code: String,
    /// 品名 and 规格 for a GTIN not yet in the product master (or to update it).
    pub product_name: String,
    pub specification: String,
    /// `food` or `cosmetic` (食品 / 化妆品), for a new product.
    pub category: String,
}

/// A correction: the whole corrected line and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CorrectionInput {
    #[serde(flatten)]
    pub entry: EntryInput,
    /// 更正原因 (at least 4 characters).
    pub reason: String,
}

/// A supplier or buyer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PartyInput {
    pub name: String,
    /// 统一社会信用代码 (checked), if the party has one.
    pub uscc: String,
    /// 许可证编号 (食品经营许可证 etc.).
    pub licence: String,
    pub address: String,
    pub contact: String,
}

/// A line that passed its checks, not yet completed from the product master.
pub struct Valid {
    pub(crate) write: EntryWrite,
    pub(crate) product: Option<(String, String, Option<Category>)>,
}

/// The value, or the error kept for the answer.
fn keep<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn date_field(field: &'static str, label: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let t = opt(s)?;
    let d = Date::parse(t);
    if d.is_none() {
        errors.push(FieldError::new(field, "bad_date", format!("{label}应为 YYYY-MM-DD 格式的日期")));
    }
    d
}

/// Checks a line field by field; every problem is reported at once.
pub(crate) fn validate_line(input: &EntryInput, today: Date) -> Result<Valid, AppError> {
    let mut errors = Vec::new();
    let kind = keep(EntryKind::parse(&input.kind), &mut errors);
    let scanned = match opt(&input.code) {
        None => {
            errors.push(FieldError::new("code", "required", "请扫码或填写商品条码"));
            None
        }
        Some(code) => keep(ElementString::parse(code, today).map_err(|e| e.field("code")), &mut errors),
    };
    let batch = match (opt(&input.batch), scanned.as_ref().and_then(|s| s.batch.as_deref())) {
        (Some(b), _) | (None, Some(b)) => keep(Batch::parse(b), &mut errors),
        (None, None) => None,
    };
    let quantity = keep(Quantity::parse(&input.quantity), &mut errors);
    let unit = keep(Unit::parse(opt(&input.unit).unwrap_or("件")), &mut errors);
    let recorded_on = date_field("date", "记录日期", &input.date, &mut errors).unwrap_or(today);
    let production = date_field("production", "生产日期", &input.production, &mut errors)
        .or_else(|| scanned.as_ref().and_then(|s| s.production));
    let expiry = date_field("expiry", "到期日期", &input.expiry, &mut errors)
        .or_else(|| scanned.as_ref().and_then(|s| s.expiry.or(s.best_before)));
    let shelf_life_days = match opt(&input.shelf_life_days) {
        None => None,
        Some(t) => match t.parse::<u32>() {
            Ok(n) if (1..=36_500).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new("shelf_life_days", "bad_days", "保质期天数应为 1 至 36500 的整数"));
                None
            }
        },
    };
    if let Err(e) = check_dates(recorded_on, production, expiry, today) {
        errors.push(e);
    }
    let party_id = opt(&input.party_id).map(str::to_owned);
    if let Some(k) = kind {
        if k.needs_party() && party_id.is_none() {
            let what = if k == EntryKind::Purchase { "供应商" } else { "购货方" };
            errors.push(FieldError::new("party_id", "required", format!("{}记录须选择{what}", k.label())));
        }
        if matches!(k, EntryKind::Production | EntryKind::MaterialUse) && batch.is_none() {
            errors.push(FieldError::new("batch", "required", format!("{}记录须填写批号", k.label())));
        }
    }
    let made = opt(&input.into_code)
        .and_then(|code| keep(ElementString::parse(code, today).map_err(|e| e.field("into_code")), &mut errors));
    let into_gtin = made.as_ref().map(|m| m.gtin.clone());
    let into_batch = match (opt(&input.into_batch), made.as_ref().and_then(|m| m.batch.as_deref())) {
        (Some(b), _) | (None, Some(b)) => keep(Batch::parse(b).map_err(|e| e.with_field("into_batch")), &mut errors),
        (None, None) => None,
    };
    if kind == Some(EntryKind::MaterialUse) && into_batch.is_none() && !errors.iter().any(|e| e.field == "into_batch") {
        errors.push(FieldError::new("into_batch", "required", "原料使用记录须填写用于生产的批号"));
    }
    let category = opt(&input.category).and_then(|c| keep(Category::parse(c), &mut errors));
    let product = opt(&input.product_name).map(|name| {
        (name.chars().take(100).collect(), input.specification.trim().chars().take(100).collect(), category)
    });
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(kind), Some(scanned), Some(quantity), Some(unit)) = (kind, scanned, quantity, unit) else {
        return Err(AppError::Internal("validation let an absent field through".into()));
    };
    Ok(Valid {
        write: EntryWrite {
            kind,
            gtin: scanned.gtin,
            batch,
            quantity,
            unit,
            recorded_on,
            production,
            expiry,
            shelf_life_days,
            party_id,
            into_gtin,
            into_batch,
            voucher: None,
            retain_until: recorded_on,
        },
        product,
    })
}

/// The product a line is about (from the master, saved or updated from the form) and the line
/// with its retention date.
pub(crate) async fn complete_line(
    state: &AppState,
    k: &Keeper,
    mut v: Valid,
    voucher: Option<UploadedFile>,
) -> Result<EntryWrite, AppError> {
    let uscc = &k.enterprise.uscc;
    let known = state.store.ledger_product(uscc, &v.write.gtin).await?;
    let product = match (v.product.take(), known) {
        (Some((name, specification, category)), known) => {
            let category = category.or(known.map(|p| p.category)).unwrap_or(Category::Food);
            let p = Product { gtin: v.write.gtin.clone(), name, specification, category };
            state.store.ledger_save_product(&k.actor, uscc, &p).await?;
            p
        }
        (None, Some(p)) => p,
        (None, None) => {
            return Err(AppError::field("product_name", "unknown_product", "该商品条码尚未登记：请填写品名和规格"));
        }
    };
    let shelf =
        Shelf { production: v.write.production, expiry: v.write.expiry, shelf_life_days: v.write.shelf_life_days };
    v.write.retain_until = RULES.retention(product.category, v.write.recorded_on, &shelf).until;
    if let Some(file) = voucher {
        let mut prepared = crate::cases::files::prepare(state, vec![file]).await?;
        let a = prepared.pop().ok_or_else(|| AppError::Internal("voucher not prepared".into()))?;
        v.write.voucher = Some(Voucher { sha256: a.sha256, media: a.media, size: a.size, sealed: a.sealed });
    }
    Ok(v.write)
}

/// Adds one line.
pub async fn add_entry(
    state: &AppState,
    k: &Keeper,
    input: &EntryInput,
    voucher: Option<UploadedFile>,
) -> Result<String, AppError> {
    let v = validate_line(input, state.today())?;
    let w = complete_line(state, k, v, voucher).await?;
    Ok(state.store.ledger_add_entries(&k.actor, &k.enterprise.uscc, &[w]).await?.remove(0))
}

/// Corrects a line with a new one.
pub async fn correct(
    state: &AppState,
    k: &Keeper,
    target: &str,
    input: &CorrectionInput,
    voucher: Option<UploadedFile>,
) -> Result<String, AppError> {
    let reason = CorrectionReason::parse(&input.reason);
    let v = validate_line(&input.entry, state.today());
    let (reason, v) = match (reason, v) {
        (Ok(r), Ok(v)) => (r, v),
        (Err(e), Ok(_)) => return Err(e.into()),
        (Ok(_), Err(e)) => return Err(e),
        (Err(r), Err(AppError::Validation(mut f))) => {
            f.push(r);
            return Err(AppError::Validation(f));
        }
        (Err(_), Err(e)) => return Err(e),
    };
    let w = complete_line(state, k, v, voucher).await?;
    Ok(state.store.ledger_correct(&k.actor, &k.enterprise.uscc, target, &reason, &w).await?)
}

pub async fn add_party(state: &AppState, k: &Keeper, input: &PartyInput) -> Result<Party, AppError> {
    let mut errors = Vec::new();
    let text = |field: &'static str, label: &str, s: &str, max: usize, required: bool, errors: &mut Vec<FieldError>| {
        let t = s.trim();
        if required && t.is_empty() {
            errors.push(FieldError::new(field, "required", format!("请填写{label}")));
        } else if t.chars().count() > max || t.chars().any(char::is_control) {
            errors.push(FieldError::new(field, "too_long", format!("{label}最多 {max} 个字")));
        }
        t.to_owned()
    };
    let name = text("name", "名称", &input.name, 100, true, &mut errors);
    let licence = text("licence", "许可证编号", &input.licence, 40, false, &mut errors);
    let address = text("address", "地址", &input.address, 200, false, &mut errors);
    let contact = text("contact", "联系方式", &input.contact, 60, false, &mut errors);
    let party_uscc = opt(&input.uscc).and_then(|u| Uscc::parse(u).map_err(|e| errors.push(e)).ok());
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let p = NewParty { name, party_uscc, licence, address, contact };
    Ok(state.store.ledger_add_party(&k.actor, &k.enterprise.uscc, &p).await?)
}

/// A line as shown (page, API, export), with its retention and why.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub gtin: String,
    pub product: String,
    pub specification: String,
    pub batch: Option<String>,
    pub quantity: String,
    pub unit: String,
    pub date: String,
    pub production: Option<String>,
    pub expiry: Option<String>,
    pub party: Option<String>,
    pub party_uscc: Option<String>,
    /// For a raw-material use: the production batch it went into (product GTIN and batch).
    pub into_gtin: Option<String>,
    pub into_batch: Option<String>,
    pub has_voucher: bool,
    pub corrects: Option<String>,
    pub reason: Option<String>,
    pub corrected_by: Option<String>,
    /// 保存至 (YYYY-MM-DD).
    pub retain_until: String,
    /// The rule behind it, and whether it was checked against the official text.
    pub retention_basis: String,
    pub enterprise: String,
    pub enterprise_uscc: String,
}

impl LineView {
    pub fn of(e: &Entry, category: Option<Category>) -> Self {
        let shelf = Shelf { production: e.production, expiry: e.expiry, shelf_life_days: e.shelf_life_days };
        let basis = RULES.retention(category.unwrap_or(Category::Food), e.recorded_on, &shelf).basis();
        LineView {
            id: e.id.clone(),
            kind: e.kind.as_str().into(),
            kind_label: e.kind.label().into(),
            gtin: e.gtin.short().into(),
            product: e.product_name.clone().unwrap_or_else(|| "（未登记品名）".into()),
            specification: e.specification.clone().unwrap_or_default(),
            batch: e.batch.as_ref().map(|b| b.as_str().into()),
            quantity: e.quantity.to_string(),
            unit: e.unit.as_str().into(),
            date: e.recorded_on.to_string(),
            production: e.production.map(|d| d.to_string()),
            expiry: Shelf { production: e.production, expiry: e.expiry, shelf_life_days: e.shelf_life_days }
                .end()
                .map(|d| d.to_string()),
            party: e.party.as_ref().map(|p| p.name.clone()),
            party_uscc: e.party.as_ref().and_then(|p| p.uscc.as_ref()).map(|u| u.as_str().into()),
            into_gtin: e.into_gtin.as_ref().map(|g| g.short().into()),
            into_batch: e.into_batch.as_ref().map(|b| b.as_str().into()),
            has_voucher: e.voucher_sha256.is_some(),
            corrects: e.corrects.clone(),
            reason: e.reason.as_ref().map(|r| r.as_str().into()),
            corrected_by: e.corrected_by.clone(),
            retain_until: e.retain_until.to_string(),
            retention_basis: basis,
            enterprise: e.enterprise_name.clone(),
            enterprise_uscc: e.uscc.as_str().into(),
        }
    }
}

/// An enterprise's ledger: its lines (newest first, corrected ones marked), stock on hand with
/// 临期/过期 alerts, parties, and the recall lists it is on.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub enterprise: String,
    pub uscc: String,
    pub lines: Vec<LineView>,
    pub stock: Vec<trace::StockLine>,
    pub parties: Vec<PartyView>,
    pub recalls: Vec<RecallLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    pub id: String,
    pub name: String,
    pub uscc: Option<String>,
    pub licence: String,
    pub address: String,
    pub contact: String,
}

impl PartyView {
    pub fn of(p: &Party) -> Self {
        PartyView {
            id: p.id.clone(),
            name: p.name.clone(),
            uscc: p.party_uscc.as_ref().map(|u| u.as_str().into()),
            licence: p.licence.clone(),
            address: p.address.clone(),
            contact: p.contact.clone(),
        }
    }
}

/// A recall or sealing list an enterprise is on, and whether it confirmed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RecallLine {
    pub id: String,
    pub kind: String,
    pub gtin: String,
    pub batch: String,
    pub on_hand: String,
    pub confirmed: bool,
    /// The batches made from the recalled lot that this enterprise holds (set them aside too).
    pub made_from: Vec<LotView>,
}

async fn lines_of(state: &AppState, uscc: &Uscc) -> Result<Vec<(Entry, Option<Category>)>, AppError> {
    let products = state.store.ledger_products(uscc).await?;
    let entries = state.store.ledger_entries(uscc, false, 5_000).await?;
    Ok(entries
        .into_iter()
        .map(|e| {
            let c = products.iter().find(|p| p.gtin == e.gtin).map(|p| p.category);
            (e, c)
        })
        .collect())
}

pub async fn overview(state: &AppState, k: &Keeper) -> Result<Overview, AppError> {
    let uscc = &k.enterprise.uscc;
    let lines = lines_of(state, uscc).await?;
    let current: Vec<&Entry> = lines.iter().map(|(e, _)| e).filter(|e| e.is_current()).collect();
    let stock = trace::stock(&current, state.today());
    let parties = state.store.ledger_parties(uscc).await?.iter().map(PartyView::of).collect();
    let recalls = state
        .store
        .ledger_recalls_for(uscc)
        .await?
        .into_iter()
        .map(|(r, h)| RecallLine {
            id: r.id,
            kind: r.kind.label().into(),
            gtin: r.gtin.short().into(),
            batch: r.batch.as_str().into(),
            on_hand: xinqiao_domain::ledger::entry::Milli(h.on_hand_milli).to_string(),
            confirmed: h.confirmed_at.is_some(),
            made_from: lot_views(&h.lots),
        })
        .collect();
    Ok(Overview {
        enterprise: k.enterprise.name.clone(),
        uscc: uscc.as_str().into(),
        lines: lines.iter().map(|(e, c)| LineView::of(e, *c)).collect(),
        stock,
        parties,
        recalls,
    })
}

/// The product master's entry for a scanned or typed code (what the form fills in).
pub async fn lookup(state: &AppState, k: &Keeper, code: &str) -> Result<(ElementString, Option<Product>), AppError> {
    let e = ElementString::parse(code, state.today()).map_err(|e| AppError::from(e.field("code")))?;
    let p = state.store.ledger_product(&k.enterprise.uscc, &e.gtin).await?;
    Ok((e, p))
}

pub async fn confirm_set_aside(state: &AppState, k: &Keeper, recall_id: &str) -> Result<(), AppError> {
    Ok(state.store.ledger_confirm_set_aside(&k.actor, recall_id, &k.enterprise.uscc).await?)
}

/// The CSV an enterprise downloads: every line, corrected ones included and marked.
pub async fn export_csv(state: &AppState, k: &Keeper) -> Result<String, AppError> {
    let lines = lines_of(state, &k.enterprise.uscc).await?;
    let views: Vec<LineView> = lines.iter().map(|(e, c)| LineView::of(e, *c)).collect();
    Ok(lines_csv(&views))
}

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
pub(super) async fn check_reference(
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

pub(super) fn batch_of(q: &BatchQuery, today: Date) -> Result<(Gtin, Batch), AppError> {
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
pub(super) async fn traced(
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
        super::chain::follow(&state.store, &o.scope.org_ids, &start, CHAIN_LIMIT, u32::MAX, &purpose)
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

/// A batch made from a recalled raw-material lot, on a holder's line.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LotView {
    pub gtin: String,
    pub batch: String,
    /// On hand when the list was made.
    pub on_hand: String,
}

fn lot_views(lots: &[(Lot, i64)]) -> Vec<LotView> {
    lots.iter()
        .map(|(l, q)| LotView {
            gtin: l.gtin.short().into(),
            batch: l.batch.as_str().into(),
            on_hand: xinqiao_domain::ledger::entry::Milli(*q).to_string(),
        })
        .collect()
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

/// Ledger lines as CSV, in the columns the import reads back.
pub fn lines_csv(lines: &[LineView]) -> String {
    let mut out = String::from("\u{feff}") + &trace::csv_row(&trace::CSV_HEADER);
    for l in lines {
        out += &trace::csv_row(&[
            &l.kind_label,
            &l.gtin,
            &l.product,
            &l.specification,
            l.batch.as_deref().unwrap_or(""),
            &l.quantity,
            &l.unit,
            &l.date,
            l.production.as_deref().unwrap_or(""),
            l.expiry.as_deref().unwrap_or(""),
            l.party.as_deref().unwrap_or(""),
            l.into_gtin.as_deref().unwrap_or(""),
            l.into_batch.as_deref().unwrap_or(""),
            &l.retain_until,
            l.reason.as_deref().unwrap_or(""),
            if l.corrected_by.is_some() { "是" } else { "" },
        ]);
    }
    out
}

/// Purges the ledger lines past their retention date (today from the app's clock): a correction
/// chain only when all of it is past, a voucher photo with the last line naming it; audited with
/// counts only.
pub async fn purge_expired(state: &AppState) -> Result<xinqiao_store::ledger::Purged, AppError> {
    Ok(state.store.ledger_purge_expired(&xinqiao_store::audit::Actor::system(), state.today()).await?)
}

/// The supervised task that purges expired ledger lines (hourly).
pub fn retention_task() -> crate::tasks::Task {
    crate::tasks::Task::every("ledger-retention", std::time::Duration::from_secs(3600), |state: AppState| async move {
        match purge_expired(&state).await {
            Ok(p) => {
                if p.lines > 0 {
                    tracing::info!(lines = p.lines, vouchers = p.vouchers, "expired ledger lines purged");
                }
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "could not purge expired ledger lines");
                Err(crate::tasks::TaskError("电子台账到期记录清理未能完成"))
            }
        }
    })
}
