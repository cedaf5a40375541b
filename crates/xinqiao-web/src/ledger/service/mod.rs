//! 电子台账's one service, under both the pages and `/api/v1/ledger`: it authorises the caller
//! (an enterprise on its own ledger; an officer within the bureau tree and only for a case or
//! inspection that concerns the enterprise), validates typed input into domain values, computes
//! each line's retention from the law data, and calls the store. The enterprise's side is here;
//! the typed input and its checks are in `input`, the bureau's side (an officer's look, tracing,
//! recall lists) in `bureau`.

use super::trace;
use crate::AppState;
use crate::error::AppError;
use crate::extract::UploadedFile;
use serde::Serialize;
use std::sync::LazyLock;
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::ledger::{Category, CorrectionReason, ElementString, Lot, RetentionRules, Shelf};
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{
    Enterprise, Entry, EntryWrite, LedgerConflict, LedgerError, NewParty, Party, Product, Voucher,
};

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
    let uscc = Uscc::stored(&uscc).map_err(|_| AppError::Internal("stored account USCC".into()))?;
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

mod bureau;
mod input;

pub use bureau::{
    BatchQuery, CHAIN_LIMIT, HolderView, Officer, RecallInput, RecallView, officer, open_ledger, open_recall, recall,
    recall_csv, trace,
};
pub(super) use bureau::{batch_of, check_reference, traced};
use input::opt;
pub(crate) use input::validate_line;
pub use input::{CorrectionInput, EntryInput, PartyInput, Valid};

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
