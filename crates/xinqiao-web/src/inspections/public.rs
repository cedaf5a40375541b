//! The public side of 双随机、一公开: every committed task with its commitment, sources and
//! outcome; TASK.json for download; recomputation on request (of a stored task, or of any
//! TASK.json pasted in); and the published results, searchable.

use super::document;
use super::verification;
use crate::AppState;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use xinqiao_domain::draws::{DrawError, ResultCategories, Verification};
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/draws", get(list))
        .route("/draws/results", get(results))
        .route("/draws/verify", get(verify_page).post(verify_pasted))
        .route("/draws/{id}", get(detail))
        .route("/draws/{id}/task.json", get(download))
        .route("/draws/{id}/verify", post(verify_stored))
}

pub struct TaskRow {
    id: String,
    title: String,
    committed: String,
    drawn: bool,
    commitment: String,
}

#[derive(Template)]
#[template(path = "inspections/public_list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<TaskRow>,
}

async fn list(State(state): State<AppState>) -> PageResult<Response> {
    let rows = state
        .store
        .draw_tasks()
        .await?
        .into_iter()
        .map(|t| TaskRow {
            drawn: t.status == "drawn",
            committed: format_cst(t.committed_at),
            id: t.id,
            title: t.title,
            commitment: t.commitment,
        })
        .collect();
    Ok(render(&ListPage { layout: Layout::public("双随机抽查公示", crate::pages::demo(&state)), rows })?)
}

pub struct SourceView {
    name: String,
    description: String,
    kind: &'static str,
    value: Option<String>,
    /// When the source publishes its value, as announced.
    available: Option<String>,
}

pub struct DrawnView {
    uscc: String,
    name: String,
    risk: &'static str,
    team: String,
}

pub struct ResultView {
    uscc: String,
    name: String,
    result: String,
    published: String,
}

#[derive(Template)]
#[template(path = "inspections/public_detail.html")]
struct DetailPage {
    layout: Layout,
    id: String,
    title: String,
    scope: String,
    items: Vec<String>,
    commitment: String,
    committed: String,
    /// When the sources' values were entered and the draw ran.
    entered: Option<String>,
    sampling: Vec<String>,
    inspectors_per_target: u32,
    max_targets: u32,
    pool: usize,
    inspectors: usize,
    exclusions: usize,
    sources: Vec<SourceView>,
    key: Option<String>,
    drawn: Vec<DrawnView>,
    shortfalls: Vec<String>,
    results: Vec<ResultView>,
    verdict: Option<(bool, String)>,
}

fn result_label(categories: &ResultCategories, code: &str, note: &str) -> String {
    let label = categories.get(code).map_or(code, |c| c.label.as_str());
    if note.is_empty() { label.to_owned() } else { format!("{label}（{note}）") }
}

async fn detail_page(state: &AppState, id: &str, verdict: Option<(bool, String)>) -> PageResult<Response> {
    let (row, json) = state.store.draw_task(id).await?;
    let doc = document(&json)?;
    let categories = ResultCategories::builtin();
    let results = state
        .store
        .task_results(id, true)
        .await?
        .into_iter()
        .map(|r| ResultView {
            result: result_label(&categories, &r.category, &r.note),
            published: r.published_at.map(format_cst).unwrap_or_default(),
            uscc: r.uscc,
            name: r.name,
        })
        .collect();
    let page = DetailPage {
        layout: Layout::public("抽查任务公示", crate::pages::demo(state)),
        id: row.id.clone(),
        title: row.title.clone(),
        scope: doc.task.scope.clone(),
        items: doc.task.items.clone(),
        commitment: doc.commitment.clone(),
        committed: format_cst(row.committed_at),
        sampling: doc
            .task
            .parameters
            .sampling
            .iter()
            .map(|(risk, s)| match s {
                xinqiao_domain::draws::Sampling::Permille(p) => format!("{}类 {}‰", risk.code(), p),
                xinqiao_domain::draws::Sampling::Count(c) => format!("{}类 {}户", risk.code(), c),
            })
            .collect(),
        inspectors_per_target: doc.task.parameters.inspectors_per_target,
        max_targets: doc.task.parameters.max_targets_per_inspector,
        pool: doc.task.targets.len(),
        inspectors: doc.task.inspectors.len(),
        exclusions: doc.task.exclusions.len(),
        sources: doc
            .task
            .sources
            .iter()
            .map(|s| SourceView {
                name: s.name.clone(),
                description: s.description.clone(),
                kind: super::kind_label(s.kind),
                value: s.value.clone(),
                available: s.available_at.map(format_cst),
            })
            .collect(),
        entered: row.drawn_at.map(format_cst),
        key: doc.outcome.as_ref().map(|o| o.key.clone()),
        drawn: doc
            .outcome
            .iter()
            .flat_map(|o| o.targets.iter())
            .map(|t| DrawnView {
                uscc: t.uscc.clone(),
                name: t.name.clone(),
                risk: t.risk.code(),
                team: super::team_names(&doc.task, &t.inspectors),
            })
            .collect(),
        shortfalls: super::shortfall_lines(&doc),
        results,
        verdict,
    };
    Ok(render(&page)?)
}

async fn detail(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    detail_page(&state, &id, None).await
}

/// TASK.json: everything needed to recompute the draw (`xinqiao draw verify TASK.json`).
async fn download(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    let (row, json) = state.store.draw_task(&id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"draw-{}.json\"", row.id)),
        ],
        json,
    )
        .into_response())
}

/// Recomputes a stored task's draw from its published inputs, on the visitor's request.
async fn verify_stored(State(state): State<AppState>, Path(id): Path<String>) -> PageResult<Response> {
    let verdict = verdict_of(verification::stored(&state, &id).await?);
    detail_page(&state, &id, Some(verdict)).await
}

fn verdict_of(checked: Result<Verification, DrawError>) -> (bool, String) {
    match checked {
        Ok(v) => (v.is_match(), v.to_string()),
        Err(e) => (false, e.to_string()),
    }
}

#[derive(Template)]
#[template(path = "inspections/verify.html")]
struct VerifyPage {
    layout: Layout,
    verdict: Option<(bool, String)>,
}

async fn verify_page(State(state): State<AppState>) -> PageResult<Response> {
    Ok(render(&VerifyPage { layout: Layout::public("复核抽取结果", crate::pages::demo(&state)), verdict: None })?)
}

/// The pasted TASK.json.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct DocumentForm {
    document: String,
}

/// Recomputes any TASK.json pasted into the form.
async fn verify_pasted(State(state): State<AppState>, form: PageForm) -> PageResult<Response> {
    let DocumentForm { document } = form.typed(&[])?;
    let verdict = verdict_of(verification::pasted(&document));
    let status = if verdict.0 { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page =
        VerifyPage { layout: Layout::public("复核抽取结果", crate::pages::demo(&state)), verdict: Some(verdict) };
    Ok((status, render(&page)?).into_response())
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[derive(Template)]
#[template(path = "inspections/results.html")]
struct ResultsPage {
    layout: Layout,
    q: String,
    rows: Vec<ResultView>,
}

async fn results(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> PageResult<Response> {
    let categories = ResultCategories::builtin();
    let found = state.store.search_results(&q.q, 200).await.map_err(AppError::from)?;
    let page = ResultsPage {
        layout: Layout::public("抽查结果", crate::pages::demo(&state)),
        rows: found
            .iter()
            .map(|r| ResultView {
                uscc: r.uscc.clone(),
                name: r.name.clone(),
                result: result_label(&categories, &r.category, &r.note),
                published: r.published_at.map(format_cst).unwrap_or_default(),
            })
            .collect(),
        q: q.q,
    };
    Ok(render(&page)?)
}
