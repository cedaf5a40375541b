//! From an early warning (预警) to its batch: an officer links the warning to a GTIN + batch and
//! opens the batch page — every enterprise of the bureau tree that received it, by its ledger, with
//! each ledger line, and on to the full trace and a recall or sealing list. The warning must
//! belong to a bureau in the officer's tree (else not found, and the refusal audited); every look
//! is a `ledger.trace` audit entry whose purpose is the warning.

use super::service::{self, BatchQuery, Caller, Officer};
use super::trace::Trace;
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use xinqiao_domain::ledger::{Batch, Gtin};
use xinqiao_store::warnings::WarningRow;

pub fn router() -> Router<AppState> {
    Router::new().route("/bureau/warnings/{id}/batches", get(page).post(link))
}

/// The warning, if it belongs to a bureau in the officer's tree. Anything else is not found, and
/// the refusal recorded.
async fn warning_in_scope(state: &AppState, o: &Officer, id: &str) -> Result<WarningRow, AppError> {
    if let Ok(w) = state.store.warning(id).await
        && (o.scope.everything || o.scope.has_region(&w.w.bureau))
    {
        return Ok(w);
    }
    let event = xinqiao_store::audit::Event::new(
        "access.denied",
        format!("warning_batches:{}", id.chars().take(40).collect::<String>()),
        xinqiao_domain::audit::Outcome::Denied,
    )
    .detail(serde_json::json!({"reason": "warning not in the bureau tree"}));
    state.store.audit(&o.actor, event).await?;
    Err(AppError::NotFound)
}

/// What the link form sends.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkInput {
    /// A GTIN or a GS1 element string (its batch is used when `batch` is empty).
    pub code: String,
    pub batch: String,
}

/// Links a batch to a warning in the officer's tree; returns the GTIN-14 and batch linked.
pub async fn link_batch(state: &AppState, o: &Officer, id: &str, input: &LinkInput) -> Result<(Gtin, Batch), AppError> {
    let w = warning_in_scope(state, o, id).await?;
    let q = BatchQuery { code: input.code.clone(), batch: input.batch.clone(), reference: String::new() };
    let (gtin, batch) = service::batch_of(&q, state.today())?;
    state.store.ledger_link_warning_batch(&o.actor, &w.id, &gtin, &batch).await?;
    Ok((gtin, batch))
}

/// One ledger line of the batch.
#[derive(Debug, Clone)]
pub struct HeldLine {
    pub enterprise: String,
    pub kind: String,
    pub date: String,
    pub party: String,
    pub quantity: String,
    pub production: String,
    pub expiry: String,
}

#[derive(Debug, Clone)]
pub struct Linked {
    pub gtin: String,
    pub batch: String,
    pub href: String,
}

/// The batch opened from the warning.
#[derive(Debug, Clone)]
pub struct Opened {
    pub gtin: String,
    pub batch: String,
    pub trace: Trace,
    pub lines: Vec<HeldLine>,
    /// The full trace page (sources, destinations, recall or sealing list) for the same batch.
    pub trace_href: String,
}

#[derive(Debug, Clone)]
pub struct WarningBatches {
    pub id: String,
    pub label: String,
    pub links: Vec<Linked>,
    pub opened: Option<Opened>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Selected {
    pub gtin: String,
    pub batch: String,
}

/// The warning's linked batches; with `selected` naming one of them, every holder of that batch in
/// the officer's bureau tree by its ledger and the producers' chain from it, as the trace page
/// shows it (audited with the warning as purpose).
pub async fn warning_batches(
    state: &AppState,
    o: &Officer,
    id: &str,
    selected: &Selected,
) -> Result<WarningBatches, AppError> {
    let w = warning_in_scope(state, o, id).await?;
    let linked = state.store.ledger_warning_batches(&w.id).await?;
    let href = |g: &Gtin, b: &Batch| {
        format!("/bureau/warnings/{}/batches?gtin={}&batch={}", w.id, g.as_str(), crate::text::query_value(b.as_str()))
    };
    let links = linked
        .iter()
        .map(|l| Linked { gtin: l.gtin.short().into(), batch: l.batch.as_str().into(), href: href(&l.gtin, &l.batch) })
        .collect();
    let chosen = linked.iter().find(|l| l.gtin.as_str() == selected.gtin && l.batch.as_str() == selected.batch);
    let opened = match chosen {
        None if selected.gtin.is_empty() => None,
        None => return Err(AppError::NotFound),
        Some(l) => {
            let purpose = format!("warning:{}", w.id);
            let (lines, t) = service::traced(state, o, &l.gtin, &l.batch, &purpose).await?;
            Some(Opened {
                gtin: l.gtin.short().into(),
                batch: l.batch.as_str().into(),
                trace: t,
                lines: lines
                    .iter()
                    .map(|e| HeldLine {
                        enterprise: e.enterprise_name.clone(),
                        kind: e.kind.label().into(),
                        date: e.recorded_on.to_string(),
                        party: e.party.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                        quantity: format!("{} {}", e.quantity, e.unit.as_str()),
                        production: e.production.map(|d| d.to_string()).unwrap_or_default(),
                        expiry: e.expiry.map(|d| d.to_string()).unwrap_or_default(),
                    })
                    .collect(),
                trace_href: format!(
                    "/bureau/trace?code={}&batch={}&reference={}",
                    l.gtin.as_str(),
                    crate::text::query_value(l.batch.as_str()),
                    crate::text::query_value(&purpose)
                ),
            })
        }
    };
    Ok(WarningBatches { id: w.id, label: w.w.label, links, opened })
}

#[derive(Template)]
#[template(path = "ledger/warning_batches.html")]
struct BatchesPage {
    layout: Layout,
    v: WarningBatches,
    form: LinkInput,
    errors: Vec<String>,
}

async fn render_page(
    state: &AppState,
    staff: &Staff,
    v: WarningBatches,
    form: LinkInput,
    errors: Vec<String>,
) -> PageResult<Response> {
    let layout =
        Layout::staff("预警涉及的批次", staff.user(), staff.csrf(), "/insights", !state.config.require_admin_totp);
    Ok(render(&BatchesPage { layout, v, form, errors })?)
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(selected): Query<Selected>,
) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let v = warning_batches(&state, &o, &id, &selected).await?;
    render_page(&state, &staff, v, LinkInput::default(), Vec::new()).await
}

async fn link(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: LinkInput = super::pages::typed(&form)?;
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    match link_batch(&state, &o, &id, &input).await {
        Ok((g, b)) => Ok(Redirect::to(&format!(
            "/bureau/warnings/{}/batches?gtin={}&batch={}",
            crate::text::query_value(&id),
            g.as_str(),
            crate::text::query_value(b.as_str())
        ))
        .into_response()),
        Err(AppError::Validation(fields)) => {
            let v = warning_batches(&state, &o, &id, &Selected::default()).await?;
            render_page(&state, &staff, v, input, fields.into_iter().map(|f| f.message).collect()).await
        }
        Err(e) => Err(e.into()),
    }
}
