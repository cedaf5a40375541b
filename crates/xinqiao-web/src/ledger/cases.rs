//! From a complaint to its batch: an officer links the case to a GTIN + batch (with the date the
//! complainant or the enterprise claims for it) and opens the batch page — every holder in the
//! bureau tree, each ledger line with its dates, each line's date set against the claim, and the
//! producers' chain as the trace page shows it (batches made from it, lots used in it). The
//! case must be in the officer's bureau tree (else not found, and the refusal audited); every
//! look is a `ledger.trace` audit entry whose purpose is the case.

use super::service::{self, Caller, Officer};
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
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use xinqiao_domain::ledger::{Batch, Claim, ElementString, Gtin};
use xinqiao_store::cases::CaseRecord;

pub fn router() -> Router<AppState> {
    Router::new().route("/bureau/cases/{code}/batches", get(page).post(link))
}

/// The case by its tracking code, if it is handled in the officer's bureau tree. Anything else is
/// not found, and the refusal recorded.
async fn case_in_scope(state: &AppState, o: &Officer, code: &str) -> Result<CaseRecord, AppError> {
    let code = code.trim().replace('-', "");
    if let Ok(case) = state.store.case_by_tracking_code(&code).await
        && case.org_id.as_deref().is_some_and(|org| o.scope.has_org(org))
    {
        return Ok(case);
    }
    let event = xinqiao_store::audit::Event::new(
        "access.denied",
        format!("case_batches:{}", code.chars().take(20).collect::<String>()),
        xinqiao_domain::audit::Outcome::Denied,
    )
    .detail(serde_json::json!({"reason": "case not in the bureau tree"}));
    state.store.audit(&o.actor, event).await?;
    Err(AppError::NotFound)
}

/// What the link form sends.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
#[schema(as = CaseBatchLinkInput)]
pub struct LinkInput {
    /// A GTIN or a GS1 element string (its batch is used when `batch` is empty).
    pub code: String,
    pub batch: String,
    /// `production` or `expiry`, with `claimed_on` (`YYYY-MM-DD`); both may be empty.
    pub claimed_kind: String,
    pub claimed_on: String,
}

/// Links a batch to a case in the officer's tree; returns the GTIN-14 and batch linked.
pub async fn link_batch(
    state: &AppState,
    o: &Officer,
    code: &str,
    input: &LinkInput,
) -> Result<(Gtin, Batch), AppError> {
    let case = case_in_scope(state, o, code).await?;
    let mut errors = Vec::new();
    let parsed = ElementString::parse(&input.code, state.today()).map_err(|e| e.field("code"));
    let claim = Claim::parse(&input.claimed_kind, &input.claimed_on).map_err(|e| errors.push(e)).ok().flatten();
    let (gtin, batch) = match parsed {
        Ok(e) => {
            let batch =
                if input.batch.trim().is_empty() { e.batch.clone().unwrap_or_default() } else { input.batch.clone() };
            match Batch::parse(&batch) {
                Ok(b) => (Some(e.gtin), Some(b)),
                Err(err) => {
                    errors.push(err);
                    (Some(e.gtin), None)
                }
            }
        }
        Err(err) => {
            errors.push(err);
            (None, None)
        }
    };
    let (Some(gtin), Some(batch), true) = (gtin, batch, errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    state.store.ledger_link_case_batch(&o.actor, &case.id, &gtin, &batch, claim).await?;
    Ok((gtin, batch))
}

/// One ledger line of the batch as the officer reads it against the claim.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CaseBatchLine)]
pub struct LineCheck {
    /// The ledger line and its enterprise (for `/api/v1/ledger/enterprises/{uscc}/entries/{id}/voucher`).
    pub entry_id: String,
    pub uscc: String,
    pub enterprise: String,
    pub kind: String,
    pub date: String,
    pub party: String,
    pub production: String,
    pub expiry: String,
    pub quantity: String,
    /// The line's date set against the claim; None without a claim.
    pub comparison: Option<String>,
    pub differs: bool,
    /// The line's voucher, for a line of the enterprise the case is about (the case is the
    /// reference that lets the officer read it).
    pub voucher_href: Option<String>,
}

/// A linked batch of the case, with where its page is.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CaseBatchLink)]
pub struct LinkView {
    pub gtin: String,
    pub batch: String,
    pub claim: Option<String>,
    pub href: String,
}

/// The batch opened from the case.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = CaseBatchOpened)]
pub struct Opened {
    pub gtin: String,
    pub batch: String,
    pub claim: Option<String>,
    pub trace: Trace,
    pub lines: Vec<LineCheck>,
    pub differing: usize,
    /// The full trace page (sources, destinations, recall or sealing list) for the same batch.
    pub trace_href: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseBatches {
    pub case_code: String,
    pub enterprise: String,
    pub links: Vec<LinkView>,
    pub opened: Option<Opened>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct Selected {
    /// With `batch`: one of the linked batches to open (GTIN-14 as linked).
    pub gtin: String,
    pub batch: String,
}

/// The case's linked batches; with `selected` naming one of them, that batch traced across the
/// officer's bureau tree with each line set against the claim (audited with the case as purpose).
pub async fn case_batches(
    state: &AppState,
    o: &Officer,
    code: &str,
    selected: &Selected,
) -> Result<CaseBatches, AppError> {
    let case = case_in_scope(state, o, code).await?;
    let linked = state.store.ledger_case_batches(&case.id).await?;
    let href = |g: &Gtin, b: &Batch| {
        format!(
            "/bureau/cases/{}/batches?gtin={}&batch={}",
            case.tracking_code,
            g.as_str(),
            crate::text::query_value(b.as_str())
        )
    };
    let links = linked
        .iter()
        .map(|l| LinkView {
            gtin: l.gtin.short().into(),
            batch: l.batch.as_str().into(),
            claim: l.claim.map(|c| format!("所述{}：{}", c.kind.label(), c.on)),
            href: href(&l.gtin, &l.batch),
        })
        .collect();
    let chosen = linked.iter().find(|l| l.gtin.as_str() == selected.gtin && l.batch.as_str() == selected.batch);
    let opened = match chosen {
        None if selected.gtin.is_empty() => None,
        None => return Err(AppError::NotFound),
        Some(l) => {
            let reference = format!("case:{}", case.tracking_code);
            let (lines, t) = service::traced(state, o, &l.gtin, &l.batch, &reference).await?;
            let checks: Vec<LineCheck> = lines
                .iter()
                .map(|e| {
                    let cmp = l.claim.map(|c| c.against(e.production, e.expiry));
                    LineCheck {
                        entry_id: e.id.clone(),
                        uscc: e.uscc.as_str().into(),
                        enterprise: e.enterprise_name.clone(),
                        kind: e.kind.label().into(),
                        date: e.recorded_on.to_string(),
                        party: e.party.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
                        production: e.production.map(|d| d.to_string()).unwrap_or_default(),
                        expiry: e.expiry.map(|d| d.to_string()).unwrap_or_default(),
                        quantity: format!("{} {}", e.quantity, e.unit.as_str()),
                        comparison: cmp.map(|c| c.label()),
                        differs: cmp.is_some_and(|c| c.differs()),
                        voucher_href: (e.voucher_sha256.is_some()
                            && case.enterprise_uscc.as_deref() == Some(e.uscc.as_str()))
                        .then(|| {
                            format!(
                                "/bureau/ledgers/{}/entries/{}/voucher?reference={}",
                                e.uscc.as_str(),
                                crate::text::query_value(&e.id),
                                case.tracking_code
                            )
                        }),
                    }
                })
                .collect();
            Some(Opened {
                gtin: l.gtin.short().into(),
                batch: l.batch.as_str().into(),
                claim: l.claim.map(|c| format!("所述{}：{}", c.kind.label(), c.on)),
                differing: checks.iter().filter(|c| c.differs).count(),
                trace_href: format!(
                    "/bureau/trace?code={}&batch={}&reference={}",
                    l.gtin.as_str(),
                    crate::text::query_value(l.batch.as_str()),
                    case.tracking_code
                ),
                trace: t,
                lines: checks,
            })
        }
    };
    Ok(CaseBatches { case_code: case.tracking_code, enterprise: case.enterprise_name, links, opened })
}

#[derive(Template)]
#[template(path = "ledger/case_batches.html")]
struct BatchesPage {
    layout: Layout,
    v: CaseBatches,
    form: LinkInput,
    errors: Vec<String>,
}

async fn render_page(
    state: &AppState,
    staff: &Staff,
    v: CaseBatches,
    form: LinkInput,
    errors: Vec<String>,
) -> PageResult<Response> {
    let layout =
        Layout::staff("诉求涉及的批次", staff.user(), staff.csrf(), "/bureau/trace", !state.config.require_admin_totp);
    Ok(render(&BatchesPage { layout, v, form, errors })?)
}

async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    Query(selected): Query<Selected>,
) -> PageResult<Response> {
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    let v = case_batches(&state, &o, &code, &selected).await?;
    render_page(&state, &staff, v, LinkInput::default(), Vec::new()).await
}

async fn link(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: LinkInput = super::pages::typed(&form)?;
    let o = service::officer(&state, &Caller::Page(&staff)).await?;
    match link_batch(&state, &o, &code, &input).await {
        Ok((g, b)) => {
            let case = case_in_scope(&state, &o, &code).await?;
            Ok(Redirect::to(&format!(
                "/bureau/cases/{}/batches?gtin={}&batch={}",
                case.tracking_code,
                g.as_str(),
                crate::text::query_value(b.as_str())
            ))
            .into_response())
        }
        Err(AppError::Validation(fields)) => {
            let v = case_batches(&state, &o, &code, &Selected::default()).await?;
            render_page(&state, &staff, v, input, fields.into_iter().map(|f| f.message).collect()).await
        }
        Err(e) => Err(e.into()),
    }
}
