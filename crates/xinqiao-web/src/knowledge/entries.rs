//! Officers' and supervisors' pages of 政策问答: the lists (with staff search and the entries
//! due for review), an entry with its version history and diffs, and the lifecycle actions (a
//! supervisor other than the author publishes). The editor is in `editor.rs`.

use super::service;
use super::{law_row, registry, status_of, to_domain, to_store};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use crate::search::Hit;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, DiffOp, QaEntry, QaStatus, diff_entries};
use xinqiao_domain::time::format_cst;
use xinqiao_store::knowledge::EntryRow;

pub fn router() -> Router<AppState> {
    Router::new().route("/knowledge/{id}", get(detail)).route("/knowledge/{id}/act", post(act))
}

/// On a database without a law registry: the shipped registry, and the starter entries as 待审
/// examples awaiting legal review (nothing is public until a supervisor publishes it).
pub async fn seed_registry(state: &AppState) -> Result<usize, AppError> {
    if !state.store.laws().await?.is_empty() {
        return Ok(0);
    }
    let console = xinqiao_store::audit::Actor::console();
    for law in xinqiao_domain::knowledge::laws() {
        state.store.upsert_law(&console, &law_row(&law)).await?;
    }
    let entries = xinqiao_domain::knowledge::starter_entries();
    for e in &entries {
        state.store.create_entry(&console, QaStatus::Review, &to_store(e)).await?;
    }
    Ok(entries.len())
}

/// One line on how the Q&A search reads `q`: 开胶（也查：质量问题、三包）；医保（问答里没有）…
async fn understood(state: &AppState, q: &str) -> Result<String, AppError> {
    let index = state.search_index().await?;
    let q = q.to_owned();
    let parts = tokio::task::spawn_blocking(move || index.understand_qa(&q))
        .await
        .map_err(|e| AppError::Internal(format!("understand: {e}")))?
        .map_err(|e| AppError::Internal(format!("understand: {e}")))?;
    Ok(parts
        .iter()
        .map(|u| match (u.unknown, u.also.is_empty()) {
            (true, _) => format!("{}（问答里没有）", u.said),
            (false, true) => u.said.clone(),
            (false, false) => format!("{}（也查：{}）", u.said, u.also.join("、")),
        })
        .collect::<Vec<_>>()
        .join("；"))
}

pub struct Row {
    id: String,
    question: String,
    status: &'static str,
    updated: String,
    review_by: String,
    example: bool,
}

pub struct Group {
    id: &'static str,
    title: &'static str,
    rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "knowledge/list.html")]
struct ListPage {
    layout: Layout,
    q: SearchQuery,
    statuses: Vec<(&'static str, &'static str)>,
    qa_hits: Vec<Hit>,
    case_hits: Vec<Hit>,
    /// How the Q&A search understood the words (what else it looked for, what no entry says),
    /// so that supervisors see where the vocabulary needs a line.
    understood: String,
    groups: Vec<Group>,
    week_from: String,
    week_to: String,
    /// Supervisors keep the synonyms and everyday words (and read the unanswered questions).
    may_keep_vocabulary: bool,
}

#[derive(serde::Deserialize, Default)]
pub(super) struct SearchQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    audience: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

impl SearchQuery {
    /// The page's filters; a date that is not a date is ignored (the field shows it as typed).
    fn filters(&self) -> crate::search::StaffFilters {
        crate::search::StaffFilters {
            status: QaStatus::parse(&self.status),
            audience: Audience::parse(&self.audience),
            from_ms: Date::parse(self.from.trim()).map(Date::start_ms),
            to_ms: Date::parse(self.to.trim()).map(|d| Date(d.0 + 1).start_ms()),
        }
    }
}

fn rows(entries: Vec<EntryRow>) -> Vec<Row> {
    entries
        .into_iter()
        .map(|e| Row {
            status: status_of(&e).label(),
            updated: format_cst(e.updated_at),
            review_by: e.text.review_by.map(|d| Date(d).to_string()).unwrap_or_default(),
            example: e.text.example,
            question: e.text.question,
            id: e.id,
        })
        .collect()
}

pub(super) async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<SearchQuery>,
) -> PageResult<Response> {
    let caller = Caller::Page(&staff);
    let groups = service::staff_lists(&state, &caller)
        .await?
        .into_iter()
        .map(|(id, title, entries)| Group { id, title, rows: rows(entries) })
        .collect();
    let (qa_hits, case_hits) = service::staff_search(&state, &caller, &q.q, &q.filters()).await?;
    let understood = if q.q.trim().is_empty() { String::new() } else { understood(&state, q.q.trim()).await? };
    let today = state.today();
    let page = ListPage {
        layout: Layout::staff("政策问答", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        statuses: QaStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        q,
        qa_hits,
        case_hits,
        understood,
        groups,
        week_from: Date(today.0 - 6).to_string(),
        week_to: today.to_string(),
        may_keep_vocabulary: service::may_supervise(&caller),
    };
    Ok(render(&page)?)
}

pub struct VersionView {
    version: i64,
    time: String,
    /// (0 equal, 1 inserted, 2 deleted, text)
    diff: Vec<(u8, String)>,
}

#[derive(Template)]
#[template(path = "knowledge/detail.html")]
struct DetailPage {
    layout: Layout,
    id: String,
    question: String,
    answer: String,
    explanation: String,
    status: &'static str,
    version: i64,
    updated: String,
    example: bool,
    audience: String,
    citations: Vec<String>,
    findings: Vec<String>,
    actions: Vec<(&'static str, &'static str)>,
    can_edit: bool,
    versions: Vec<VersionView>,
    error: Option<String>,
}

pub(super) async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    error: Option<String>,
) -> PageResult<Response> {
    let e = state.store.entry(id).await?;
    let laws = registry(state).await?;
    let entry = to_domain(&e.id, &e.text);
    let findings = plain_findings(state, &entry).await;
    let status = status_of(&e);
    let actions =
        service::offered_actions(&Caller::Page(staff), &e).into_iter().map(|a| (a.code(), a.label())).collect();
    let versions = state.store.entry_versions(id).await?;
    let mut views = Vec::new();
    for (i, v) in versions.iter().enumerate() {
        let as_entry = |v: &xinqiao_store::knowledge::VersionRow| {
            let mut t = e.text.clone();
            t.question = v.question.clone();
            t.answer = v.answer.clone();
            t.explanation = v.explanation.clone();
            t.citations = v.citations.clone();
            to_domain(id, &t)
        };
        let diff = if i == 0 {
            Vec::new()
        } else {
            diff_entries(&as_entry(&versions[i - 1]), &as_entry(v), &laws)
                .into_iter()
                .filter(|d| d.changed())
                .flat_map(|d| {
                    std::iter::once((0u8, format!("【{}】", d.label))).chain(d.ops.into_iter().map(|op| match op {
                        DiffOp::Equal(t) => (0, t),
                        DiffOp::Insert(t) => (1, t),
                        DiffOp::Delete(t) => (2, t),
                    }))
                })
                .collect()
        };
        views.push(VersionView { version: v.version, time: format_cst(v.at_ms), diff });
    }
    views.reverse();
    let page = DetailPage {
        layout: Layout::staff("问答详情", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        id: e.id.clone(),
        question: e.text.question.clone(),
        answer: e.text.answer.clone(),
        explanation: e.text.explanation.clone(),
        status: status.label(),
        version: e.version,
        updated: format_cst(e.updated_at),
        example: e.text.example,
        audience: entry.audience.iter().map(|a| a.label()).collect::<Vec<_>>().join("、"),
        citations: entry.citations.iter().map(|c| c.label(&laws)).collect(),
        findings,
        actions,
        can_edit: status != QaStatus::Retired,
        versions: views,
        error,
    };
    let code = if page.error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    Ok((code, render(&page)?).into_response())
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    service::staff_entry(&state, &Caller::Page(&staff), &id).await?;
    detail_page(&state, &staff, &id, None).await
}

/// A lifecycle action through the service: a refusal of the roles is a 403 page, any other
/// refusal (unknown action, one's own entry, a status that does not allow it, a status changed
/// meanwhile) is shown on the entry's page.
async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: service::ActInput = form.typed(&[])?;
    match service::act(&state, &Caller::Page(&staff), &id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Refused { .. } | AppError::Conflict(_))) => {
            detail_page(&state, &staff, &id, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The plain-language check (说人话检查) of an entry, one readable line per finding.
pub(super) async fn plain_findings(state: &AppState, entry: &QaEntry) -> Vec<String> {
    service::entry_findings(state, entry)
        .await
        .into_iter()
        .map(|f| {
            let field = match f.field {
                "question" => "问题",
                "answer" => "简答",
                _ => "解释",
            };
            let at = f.finding.start;
            match &f.finding.suggestion {
                Some(s) => format!("{field}第{}字起：{}（建议：{s}）", at + 1, f.finding.message),
                None => format!("{field}第{}字起：{}", at + 1, f.finding.message),
            }
        })
        .collect()
}
