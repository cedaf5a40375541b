//! The staff side of 双随机: the task list, a new task committed from the directories (pool
//! frozen by 统一社会信用代码, recusal and rotation published as exclusions), the reveal that runs
//! the draw, result entry by the drawn inspectors, and publication.

use super::document;
use super::draft::{self, DrawInput, SourceInput};
use super::service::{self, RecordResult};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::dates::ShownDate;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::draws::{DrawTask, ResultCategories};
use xinqiao_domain::ids::Industry;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections", get(list).post(create))
        .route("/inspections/new", get(new_form))
        .route("/inspections/{id}", get(detail))
        .route("/inspections/{id}/reveal", post(reveal))
        .route("/inspections/{id}/results", post(record))
        .route("/inspections/{id}/publish", post(publish))
}

pub struct TaskRow {
    id: String,
    title: String,
    status: &'static str,
    committed: String,
    commitment: String,
}

fn status_label(s: &str) -> &'static str {
    if s == "drawn" { "已抽取" } else { "已公示，待抽取" }
}

#[derive(Template)]
#[template(path = "inspections/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<TaskRow>,
    targets: i64,
    inspectors: i64,
    can_create: bool,
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "inspections").await?;
    let (targets, inspectors) = state.store.directory_counts().await?;
    let rows = state
        .store
        .draw_tasks()
        .await?
        .into_iter()
        .map(|t| TaskRow {
            status: status_label(&t.status),
            committed: format_cst(t.committed_at),
            commitment: t.commitment[..16.min(t.commitment.len())].to_owned(),
            id: t.id,
            title: t.title,
        })
        .collect();
    let page = ListPage {
        layout: Layout::staff(
            "双随机抽查",
            staff.user(),
            staff.csrf(),
            "/inspections",
            !state.config.require_admin_totp,
        ),
        rows,
        targets,
        inspectors,
        can_create: staff.can(Permission::SuperviseCases),
    };
    Ok(render(&page)?)
}

pub struct Choice {
    value: String,
    label: String,
}

#[derive(Template)]
#[template(path = "inspections/new.html")]
struct NewPage {
    layout: Layout,
    industries: Vec<Choice>,
    regions: Vec<Choice>,
    /// The values entered (kept when the form comes back with its mistakes).
    entered: Vec<(String, String)>,
    errors: FormErrors,
    /// Every message with the id of the field it concerns, listed above the form.
    summary: Vec<(&'static str, String)>,
}

impl NewPage {
    /// The value entered for `name`, or `default` on a fresh form.
    fn v<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        if self.entered.is_empty() {
            return default;
        }
        self.entered.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    fn ticked(&self, name: &str, value: &str) -> bool {
        self.entered.iter().any(|(k, v)| k == name && v == value)
    }

    /// ` aria-invalid="true" aria-describedby="{field}-error"` when `field` has a message.
    fn invalid(&self, field: &str) -> String {
        if self.errors.has(field) {
            format!(r#" aria-invalid="true" aria-describedby="{field}-error""#)
        } else {
            String::new()
        }
    }
}

/// Where on the form a message belongs (the id of the field or fieldset it concerns).
const FIELD_IDS: [&str; 17] = [
    "title",
    "items",
    "scope",
    "ratio_a",
    "ratio_b",
    "ratio_c",
    "ratio_d",
    "inspectors_per_target",
    "max_targets_per_inspector",
    "source_name_0",
    "source_description_0",
    "source_time_0",
    "source_name_1",
    "source_description_1",
    "source_time_1",
    "source_name_2",
    "source_description_2",
];

async fn new_page(
    state: &AppState,
    staff: &Staff,
    form: Option<&PageForm>,
    errors: Vec<xinqiao_domain::FieldError>,
) -> PageResult<Response> {
    let regions =
        state.store.list_orgs().await?.into_iter().map(|o| Choice { value: o.region_code, label: o.name }).collect();
    let summary = errors
        .iter()
        .map(|e| {
            (
                FIELD_IDS.iter().chain(&draft::SOURCE_TIME).find(|f| **f == e.field).copied().unwrap_or("task-form"),
                e.message.clone(),
            )
        })
        .collect();
    let page = NewPage {
        layout: Layout::staff(
            "新建抽查任务",
            staff.user(),
            staff.csrf(),
            "/inspections",
            !state.config.require_admin_totp,
        ),
        industries: Industry::all().map(|(c, l)| Choice { value: c.to_string(), label: format!("{c} {l}") }).collect(),
        regions,
        entered: form.map(|f| f.0.iter().filter(|(k, _)| k != "csrf").cloned().collect()).unwrap_or_default(),
        errors: FormErrors(errors),
        summary,
    };
    let status = if page.summary.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

async fn new_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "inspections").await?;
    new_page(&state, &staff, None, Vec::new()).await
}

/// The new-task form as posted: one field per source row, numbers as typed.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct DrawForm {
    title: String,
    items: String,
    industry: Vec<String>,
    region: Vec<String>,
    ratio_a: String,
    ratio_b: String,
    ratio_c: String,
    ratio_d: String,
    inspectors_per_target: String,
    max_targets_per_inspector: String,
    source_name_0: String,
    source_description_0: String,
    source_kind_0: String,
    source_time_0: String,
    source_name_1: String,
    source_description_1: String,
    source_kind_1: String,
    source_time_1: String,
    source_name_2: String,
    source_description_2: String,
    source_kind_2: String,
    source_time_2: String,
}

/// The form read into the service's input: numbers that do not parse are told beside their
/// field (and read as 0, which the service's own checks then leave alone).
fn input_of(form: DrawForm) -> (DrawInput, Vec<xinqiao_domain::FieldError>) {
    use xinqiao_domain::FieldError;
    let mut errors = Vec::new();
    let mut ratios = [0u32; 4];
    let typed = [
        (&form.ratio_a, "ratio_a", "A类"),
        (&form.ratio_b, "ratio_b", "B类"),
        (&form.ratio_c, "ratio_c", "C类"),
        (&form.ratio_d, "ratio_d", "D类"),
    ];
    for (i, (value, field, label)) in typed.into_iter().enumerate() {
        match value.trim().parse::<u32>() {
            Ok(n) => ratios[i] = n,
            Err(_) => errors.push(draft::ratio_error(field, label)),
        }
    }
    let mut number = |value: &str, field: &'static str, message: &str| match value.trim().parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(field, "number", message));
            None
        }
    };
    let inspectors_per_target = number(&form.inspectors_per_target, "inspectors_per_target", "每户检查人员数应为整数");
    let max_targets_per_inspector =
        number(&form.max_targets_per_inspector, "max_targets_per_inspector", "每人最多检查户数应为正整数");
    let source = |name: String, description: String, kind: String, available_at: String| SourceInput {
        name,
        description,
        kind,
        available_at,
    };
    let sources = vec![
        source(form.source_name_0, form.source_description_0, form.source_kind_0, form.source_time_0),
        source(form.source_name_1, form.source_description_1, form.source_kind_1, form.source_time_1),
        source(form.source_name_2, form.source_description_2, form.source_kind_2, form.source_time_2),
    ];
    debug_assert_eq!(sources.len(), draft::MAX_SOURCES);
    let input = DrawInput {
        title: form.title,
        items: form.items.lines().map(str::to_owned).collect(),
        industries: form.industry,
        regions: form.region,
        ratios,
        // An unreadable number is told above; 2 and 1 keep the service from telling it again.
        inspectors_per_target: inspectors_per_target.unwrap_or(2),
        max_targets_per_inspector: max_targets_per_inspector.unwrap_or(1),
        sources,
    };
    (input, errors)
}

/// Creates the task and commits it at once: the pool, the exclusions, the parameters and the
/// announced sources are frozen and their SHA-256 published before any source value exists.
async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "inspections").await?;
    staff.check_csrf(&form)?;
    let (input, mut errors) = input_of(form.typed(&["industry", "region"])?);
    for e in draft::check(&input) {
        if !errors.iter().any(|p| p.field == e.field) {
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return new_page(&state, &staff, Some(&form), errors).await;
    }
    let by = Caller::Page(&staff);
    let task = match draft::prepare(&state, &by, &input).await {
        Ok(t) => t,
        Err(AppError::Validation(errors)) => return new_page(&state, &staff, Some(&form), errors).await,
        Err(e) => return Err(e.into()),
    };
    // Committing cannot be undone: the form's `confirmed` (empty) asks for a second page first.
    if form.awaits_confirmation() {
        return confirm_page(&state, &staff, &form, &task);
    }
    let id = service::commit(&state, &staff.actor(), task).await?;
    Ok(Redirect::to(&format!("/inspections/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "inspections/confirm.html")]
struct ConfirmPage {
    layout: Layout,
    title: String,
    scope: String,
    pool: usize,
    inspectors: usize,
    exclusions: usize,
    sources: Vec<String>,
    /// The form's fields, carried over to the confirmed form.
    carried: Vec<(String, String)>,
}

/// The second page before 公示并固定: what will be frozen, 确认 (the same form, confirmed) or
/// 返回 (nothing committed).
fn confirm_page(state: &AppState, staff: &Staff, form: &PageForm, task: &DrawTask) -> PageResult<Response> {
    let sources = task
        .sources
        .iter()
        .map(|s| match s.available_at {
            Some(at) => format!("{}（{}公布）", s.name, &format_cst(at)[..16]),
            None => s.name.clone(),
        })
        .collect();
    let page = ConfirmPage {
        layout: Layout::staff("确认公示", staff.user(), staff.csrf(), "/inspections", !state.config.require_admin_totp),
        title: task.title.clone(),
        scope: task.scope.clone(),
        pool: task.targets.len(),
        inspectors: task.inspectors.len(),
        exclusions: task.exclusions.len(),
        sources,
        carried: form.0.iter().filter(|(k, _)| !matches!(k.as_str(), "csrf" | "confirmed")).cloned().collect(),
    };
    Ok(render(&page)?.into_response())
}

pub struct SourceView {
    index: usize,
    name: String,
    description: String,
    kind: &'static str,
    value: Option<String>,
    available: Option<String>,
}

pub struct DrawnView {
    uscc: String,
    name: String,
    risk: &'static str,
    team: String,
    result: Option<String>,
    due: Option<ShownDate>,
    published: bool,
    can_record: bool,
}

#[derive(Template)]
#[template(path = "inspections/detail.html")]
struct DetailPage {
    layout: Layout,
    id: String,
    title: String,
    scope: String,
    items: Vec<String>,
    status: &'static str,
    commitment: String,
    committed: String,
    pool: usize,
    inspectors: usize,
    exclusions: usize,
    sources: Vec<SourceView>,
    drawn: Vec<DrawnView>,
    shortfalls: Vec<String>,
    categories: Vec<(String, String)>,
    can_reveal: bool,
    can_publish: bool,
    error: Option<String>,
}

async fn detail_page(state: &AppState, staff: &Staff, id: &str, error: Option<String>) -> PageResult<Response> {
    let (row, json) = state.store.draw_task(id).await?;
    let doc = document(&json)?;
    let supervisor = staff.can(Permission::SuperviseCases);
    let mine = state.store.cert_of_user(&staff.user().id).await?;
    let results = state.store.task_results(id, false).await?;
    let categories = ResultCategories::builtin();
    let calendar = state.calendar();
    let drawn = doc
        .outcome
        .iter()
        .flat_map(|o| o.targets.iter())
        .map(|t| {
            let r = results.iter().find(|r| r.uscc == t.uscc);
            DrawnView {
                uscc: t.uscc.clone(),
                name: t.name.clone(),
                risk: t.risk.code(),
                team: super::team_names(&doc.task, &t.inspectors),
                result: r.map(|r| {
                    let label = categories.get(&r.category).map_or(r.category.as_str(), |c| c.label.as_str());
                    if r.note.is_empty() { label.to_owned() } else { format!("{label}（{}）", r.note) }
                }),
                due: r.map(|r| ShownDate::stored(&calendar, Date::of_epoch_ms(r.recorded_at), Date(r.due_day))),
                published: r.is_some_and(|r| r.published_at.is_some()),
                can_record: r.is_none_or(|r| r.published_at.is_none())
                    && (supervisor || mine.as_ref().is_some_and(|m| t.inspectors.contains(m))),
            }
        })
        .collect();
    let shortfalls = super::shortfall_lines(&doc);
    let page = DetailPage {
        layout: Layout::staff("抽查任务", staff.user(), staff.csrf(), "/inspections", !state.config.require_admin_totp),
        id: row.id.clone(),
        title: row.title.clone(),
        scope: doc.task.scope.clone(),
        items: doc.task.items.clone(),
        status: status_label(&row.status),
        commitment: row.commitment.clone(),
        committed: format_cst(row.committed_at),
        pool: doc.task.targets.len(),
        inspectors: doc.task.inspectors.len(),
        exclusions: doc.task.exclusions.len(),
        sources: doc
            .task
            .sources
            .iter()
            .enumerate()
            .map(|(index, s)| SourceView {
                index,
                name: s.name.clone(),
                description: s.description.clone(),
                kind: super::kind_label(s.kind),
                value: s.value.clone(),
                available: s.available_at.map(xinqiao_domain::time::format_cst),
            })
            .collect(),
        drawn,
        shortfalls,
        categories: categories.all().iter().map(|c| (c.code.clone(), c.label.clone())).collect(),
        can_reveal: supervisor && row.status == "committed",
        can_publish: supervisor && results.iter().any(|r| r.published_at.is_none()),
        error,
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

async fn detail(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "inspections").await?;
    detail_page(&state, &staff, &id, None).await
}

/// The announced sources' values as typed, in order.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ValuesForm {
    value_0: String,
    value_1: String,
    value_2: String,
}

/// The announced sources' values are entered, the draw runs, and the outcome is published.
async fn reveal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("draw:{id}")).await?;
    staff.check_csrf(&form)?;
    let ValuesForm { value_0, value_1, value_2 } = form.typed(&[])?;
    let values = vec![value_0, value_1, value_2];
    match service::reveal(&state, &staff.actor(), &id, &values).await {
        Ok(()) => Ok(Redirect::to(&format!("/inspections/{id}")).into_response()),
        Err(service::RevealError::TooEarly(why)) => {
            let page = detail_page(&state, &staff, &id, Some(why)).await?;
            Ok((axum::http::StatusCode::CONFLICT, page).into_response())
        }
        Err(service::RevealError::Refused(why)) => detail_page(&state, &staff, &id, Some(why)).await,
        Err(service::RevealError::Other(e)) => Err(e.into()),
    }
}

/// An inspector of the target's team (or a supervisor) records its result (the service checks).
async fn record(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, &format!("draw:{id}")).await?;
    staff.check_csrf(&form)?;
    let input: RecordResult = form.typed(&[])?;
    match service::record_result(&state, &Caller::Page(&staff), &id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/inspections/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            detail_page(&state, &staff, &id, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("draw:{id}")).await?;
    staff.check_csrf(&form)?;
    service::publish_results(&state, &Caller::Page(&staff), &id).await?;
    Ok(Redirect::to(&format!("/inspections/{id}")).into_response())
}
