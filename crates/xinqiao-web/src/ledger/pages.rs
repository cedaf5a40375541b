//! The ledger's pages, phone first: 我的台账 (alerts, recall lists to confirm, the add form with
//! scanning, parties, lines with their retention dates), a line with its correction form, the CSV
//! export; for officers, batch tracing and recall lists. Thin: forms become the service's typed
//! inputs, answers become pages.

use super::service::{
    self, BatchQuery, Caller, CorrectionInput, EntryInput, LineView, Overview, PartyInput, RecallInput, RecallView,
};
use super::trace::Trace;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::{PageForm, Upload, UploadedFile};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::de::DeserializeOwned;
use xinqiao_domain::ledger::EntryKind;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger", get(mine))
        .route("/ledger/export.csv", get(export))
        .route("/ledger/lookup", get(lookup))
        .route("/ledger/parties", post(add_party))
        .route("/ledger/recalls/{id}/confirm", post(confirm))
        .route("/ledger/entries/{id}", get(line))
        .route("/bureau/trace", get(trace_page))
        .route("/bureau/recalls", post(open_recall))
        .route("/bureau/recalls/{id}", get(recall_page))
        .route("/bureau/recalls/{id}/export.csv", get(recall_csv))
        .merge(
            Router::new()
                .route("/ledger/entries", post(add_entry))
                .route("/ledger/entries/{id}/correct", post(correct))
                .route("/ledger/import", post(import))
                .layer(axum::extract::DefaultBodyLimit::max(crate::extract::UPLOAD_BODY_LIMIT)),
        )
}

/// A page form read into the service's typed input (every field a string; `csrf` left out).
pub(super) fn typed<T: DeserializeOwned>(form: &PageForm) -> Result<T, AppError> {
    let map: serde_json::Map<String, serde_json::Value> = form
        .0
        .iter()
        .filter(|(k, _)| k != "csrf")
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    serde_json::from_value(serde_json::Value::Object(map))
        .map_err(|_| AppError::BadRequest { code: "bad_form", message: "表单内容无法识别".into() })
}

fn voucher(files: Vec<UploadedFile>) -> Option<UploadedFile> {
    files.into_iter().next()
}

pub struct KindOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

fn kinds(selected: &str) -> Vec<KindOption> {
    EntryKind::ALL
        .iter()
        .map(|k| KindOption { value: k.as_str(), label: k.label(), selected: k.as_str() == selected })
        .collect()
}

#[derive(Template)]
#[template(path = "ledger/mine.html")]
struct MinePage {
    layout: Layout,
    o: Overview,
    form: EntryInput,
    kinds: Vec<KindOption>,
    errors: Vec<String>,
    rules: Vec<String>,
}

fn rules() -> Vec<String> {
    use xinqiao_domain::ledger::Category;
    let mut rules: Vec<String> = Category::ALL
        .iter()
        .map(|c| {
            let r = service::RULES.rule(*c);
            let check = if r.verified { "" } else { "（尚未与法规原文核对）" };
            format!("{}：{}{}{}", r.label, r.summary, r.law, check)
        })
        .collect();
    // What the scanner reads, and from which standards (doubt shown, not hidden).
    let gs1 = xinqiao_domain::ledger::gs1_facts::Gs1Facts::builtin();
    let read: Vec<String> = gs1.identifiers().map(|(ai, title)| format!("({ai}){title}")).collect();
    let check = if gs1.verified() { "" } else { "（尚未与标准原文核对）" };
    rules.push(format!("条码：读取 {}；依据 {}{}", read.join("、"), gs1.standard.name, check));
    rules
}

#[derive(serde::Deserialize, Default)]
struct Notice {
    #[serde(default)]
    done: String,
}

fn notice(n: &Notice) -> Option<String> {
    match n.done.as_str() {
        "added" => Some("已记入台账".into()),
        "corrected" => Some("已更正：原记录保留并标注".into()),
        "party" => Some("已添加供应商或购货方".into()),
        "confirmed" => Some("已确认该批次已下架封存".into()),
        "imported" => Some("已导入".into()),
        _ => None,
    }
}

async fn mine_page(
    state: &AppState,
    staff: &Staff,
    form: EntryInput,
    errors: Vec<String>,
    note: Option<String>,
) -> PageResult<Response> {
    let k = service::keeper(state, &Caller::Page(staff)).await?;
    let o = service::overview(state, &k).await?;
    let mut layout = Layout::staff("我的台账", staff.user(), staff.csrf(), "/ledger", !state.config.require_admin_totp);
    layout.notice = note;
    let kinds = kinds(if form.kind.is_empty() { "purchase" } else { &form.kind });
    Ok(render(&MinePage { layout, o, form, kinds, errors, rules: rules() })?)
}

async fn mine(State(state): State<AppState>, staff: Staff, Query(n): Query<Notice>) -> PageResult<Response> {
    mine_page(&state, &staff, EntryInput::default(), Vec::new(), notice(&n)).await
}

/// The messages of a validation error, for the form's list; other errors go to the error page.
fn messages(e: AppError) -> Result<Vec<String>, AppError> {
    match e {
        AppError::Validation(fields) => Ok(fields.into_iter().map(|f| f.message).collect()),
        other => Err(other),
    }
}

async fn add_entry(State(state): State<AppState>, staff: Staff, upload: Upload) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let input: EntryInput = typed(&upload.form)?;
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    match service::add_entry(&state, &k, &input, voucher(upload.files)).await {
        Ok(_) => Ok(Redirect::to("/ledger?done=added").into_response()),
        Err(e) => mine_page(&state, &staff, input, messages(e)?, None).await,
    }
}

async fn add_party(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: PartyInput = typed(&form)?;
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    match service::add_party(&state, &k, &input).await {
        Ok(_) => Ok(Redirect::to("/ledger?done=party").into_response()),
        Err(e) => mine_page(&state, &staff, EntryInput::default(), messages(e)?, None).await,
    }
}

async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    service::confirm_set_aside(&state, &k, &id).await?;
    Ok(Redirect::to("/ledger?done=confirmed").into_response())
}

async fn export(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    let csv = service::export_csv(&state, &k).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"ledger.csv\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        csv,
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "ledger/line.html")]
struct LinePage {
    layout: Layout,
    l: LineView,
    form: CorrectionInput,
    kinds: Vec<KindOption>,
    parties: Vec<service::PartyView>,
    errors: Vec<String>,
}

async fn line_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    form: Option<CorrectionInput>,
    errors: Vec<String>,
) -> PageResult<Response> {
    let k = service::keeper(state, &Caller::Page(staff)).await?;
    let o = service::overview(state, &k).await?;
    let l = o.lines.into_iter().find(|l| l.id == id).ok_or(AppError::NotFound)?;
    let form = form.unwrap_or_else(|| CorrectionInput {
        entry: EntryInput {
            kind: l.kind.clone(),
            code: l.gtin.clone(),
            batch: l.batch.clone().unwrap_or_default(),
            quantity: l.quantity.clone(),
            unit: l.unit.clone(),
            date: l.date.clone(),
            production: l.production.clone().unwrap_or_default(),
            expiry: l.expiry.clone().unwrap_or_default(),
            into_code: l.into_gtin.clone().unwrap_or_default(),
            into_batch: l.into_batch.clone().unwrap_or_default(),
            ..Default::default()
        },
        reason: String::new(),
    });
    let layout = Layout::staff("台账记录", staff.user(), staff.csrf(), "/ledger", !state.config.require_admin_totp);
    let kinds = kinds(&form.entry.kind);
    Ok(render(&LinePage { layout, l, form, kinds, parties: o.parties, errors })?)
}

async fn line(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    line_page(&state, &staff, &id, None, Vec::new()).await
}

async fn correct(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    upload: Upload,
) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let input: CorrectionInput = typed(&upload.form)?;
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    match service::correct(&state, &k, &id, &input, voucher(upload.files)).await {
        Ok(_) => Ok(Redirect::to("/ledger?done=corrected").into_response()),
        Err(e) => line_page(&state, &staff, &id, Some(input), messages(e)?).await,
    }
}

#[derive(Template)]
#[template(path = "ledger/trace.html")]
struct TracePage {
    layout: Layout,
    q: BatchQuery,
    trace: Option<Trace>,
    errors: Vec<String>,
    chain_limit: usize,
}

async fn trace_page(State(state): State<AppState>, staff: Staff, Query(q): Query<BatchQuery>) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let (trace, errors) = if q.code.trim().is_empty() {
        (None, Vec::new())
    } else {
        match service::trace(&state, &o, &q).await {
            Ok(t) => (Some(t), Vec::new()),
            Err(e) => (None, messages(e)?),
        }
    };
    let layout =
        Layout::staff("批次追溯", staff.user(), staff.csrf(), "/bureau/trace", !state.config.require_admin_totp);
    Ok(render(&TracePage { layout, q, trace, errors, chain_limit: service::CHAIN_LIMIT })?)
}

async fn open_recall(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: RecallInput = typed(&form)?;
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let r = service::open_recall(&state, &o, &input).await?;
    Ok(Redirect::to(&format!("/bureau/recalls/{}", r.id)).into_response())
}

#[derive(Template)]
#[template(path = "ledger/recall.html")]
struct RecallPage {
    layout: Layout,
    r: RecallView,
}

async fn recall_page(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let r = service::recall(&state, &o, &id).await?;
    let layout =
        Layout::staff("召回与封存清单", staff.user(), staff.csrf(), "/bureau/trace", !state.config.require_admin_totp);
    Ok(render(&RecallPage { layout, r })?)
}

async fn recall_csv(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let r = service::recall(&state, &o, &id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"recall.csv\""),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        service::recall_csv(&r),
    )
        .into_response())
}

#[derive(serde::Deserialize)]
struct CodeQuery {
    code: String,
}

/// What a scanned code fills in: its own batch and dates, and the product master's name and
/// specification (JSON for `ledger-scan.js`; the form works without it).
async fn lookup(State(state): State<AppState>, staff: Staff, Query(q): Query<CodeQuery>) -> PageResult<Response> {
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    let (e, p) = service::lookup(&state, &k, &q.code).await?;
    let date = |d: Option<xinqiao_domain::calendar::Date>| d.map(|d| d.to_string());
    Ok(axum::Json(serde_json::json!({
        "gtin": e.gtin.short(),
        "batch": e.batch,
        "production": date(e.production),
        "expiry": date(e.expiry.or(e.best_before)),
        "product_name": p.as_ref().map(|p| p.name.clone()),
        "specification": p.as_ref().map(|p| p.specification.clone()),
    }))
    .into_response())
}

/// A spreadsheet (CSV or XLSX) import: all or nothing, each bad row named on the page.
async fn import(State(state): State<AppState>, staff: Staff, upload: Upload) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let k = service::keeper(&state, &Caller::Page(&staff)).await?;
    let Some(file) = upload.files.into_iter().next() else {
        return mine_page(
            &state,
            &staff,
            EntryInput::default(),
            vec!["请选择要导入的表格文件（.xlsx 或 .csv）".into()],
            None,
        )
        .await;
    };
    match super::import::import_file(&state, &k, file.bytes).await {
        Ok(n) => Ok(Redirect::to(&format!("/ledger?done=imported&n={n}")).into_response()),
        Err(e) => mine_page(&state, &staff, EntryInput::default(), messages(e)?, None).await,
    }
}
