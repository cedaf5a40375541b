//! The staff side of 双随机: the task list, a new task committed from the directories (pool
//! frozen by 统一社会信用代码, recusal and rotation published as exclusions), the reveal that runs
//! the draw, result entry by the drawn inspectors, and publication.

use super::document;
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
use std::collections::BTreeMap;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::draws::{
    DrawTask, Inspector, Parameters, RandomSource, ResultCategories, RiskClass, Sampling, SourceKind, Target,
    rotation_exclusions, tie_exclusions,
};
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
                FIELD_IDS.iter().chain(&SOURCE_TIME).find(|f| **f == e.field).copied().unwrap_or("task-form"),
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

fn number(form: &PageForm, field: &'static str, label: &str) -> Result<u32, AppError> {
    form.get(field).trim().parse().map_err(|_| AppError::field(field, "number", format!("{label}应为整数")))
}

const SOURCE_NAME: [&str; 3] = ["source_name_0", "source_name_1", "source_name_2"];
const SOURCE_DESCRIPTION: [&str; 3] = ["source_description_0", "source_description_1", "source_description_2"];
const SOURCE_TIME: [&str; 3] = ["source_time_0", "source_time_1", "source_time_2"];

/// Every mistake of the form, each under the field it concerns (the task's own rules are checked
/// again when it is built).
fn check_form(form: &PageForm) -> Vec<xinqiao_domain::FieldError> {
    use xinqiao_domain::FieldError;
    let mut errors = Vec::new();
    let title = form.get("title").trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "required", "请填写任务名称"));
    } else if title.chars().count() > 100 {
        errors.push(FieldError::new("title", "too_long", "任务名称不超过100字"));
    }
    if form.get("items").lines().all(|l| l.trim().is_empty()) {
        errors.push(FieldError::new("items", "required", "请至少填写一项抽查事项"));
    }
    for (field, label) in [("ratio_a", "A类"), ("ratio_b", "B类"), ("ratio_c", "C类"), ("ratio_d", "D类")] {
        match form.get(field).trim().parse::<u32>() {
            Ok(n) if n <= 1000 => {}
            _ => errors.push(FieldError::new(field, "ratio", format!("{label}抽取比例应为 0 至 1000 之间的整数（‰）"))),
        }
    }
    match form.get("inspectors_per_target").trim().parse::<u32>() {
        Ok(n) if n >= 2 => {}
        Ok(_) => errors.push(FieldError::new("inspectors_per_target", "too_few", "每户至少派2名检查人员")),
        Err(_) => errors.push(FieldError::new("inspectors_per_target", "number", "每户检查人员数应为整数")),
    }
    match form.get("max_targets_per_inspector").trim().parse::<u32>() {
        Ok(n) if n >= 1 => {}
        _ => errors.push(FieldError::new("max_targets_per_inspector", "number", "每人最多检查户数应为正整数")),
    }
    let mut names = Vec::new();
    for i in 0..3 {
        let name = form.get(SOURCE_NAME[i]).trim();
        if name.is_empty() {
            if i == 0 {
                errors.push(FieldError::new(SOURCE_NAME[0], "required", "请填写至少一个随机数来源"));
            }
            continue;
        }
        if names.contains(&name) {
            errors.push(FieldError::new(SOURCE_NAME[i], "duplicate", "随机数来源不能重复"));
        }
        names.push(name);
        if form.get(SOURCE_DESCRIPTION[i]).trim().is_empty() {
            errors.push(FieldError::new(SOURCE_DESCRIPTION[i], "required", "请写明公布的时间、地点与读取方法"));
        }
        let time = form.get(SOURCE_TIME[i]).trim();
        if !time.is_empty() && xinqiao_domain::time::parse_cst_minute(time).is_none() {
            errors.push(FieldError::new(SOURCE_TIME[i], "invalid", "公布时间应为“年-月-日 时:分”"));
        }
    }
    errors
}

/// The field of the form a rule of the task concerns.
fn draw_field(e: &xinqiao_domain::draws::DrawError) -> &'static str {
    use xinqiao_domain::draws::DrawError as E;
    match e {
        E::EmptyField { field: "任务名称" } | E::ControlCharacter { field: "任务名称" } => "title",
        E::EmptyField { field: "抽查事项" } | E::ControlCharacter { field: "抽查事项" } => "items",
        E::EmptyField { field: "随机数来源名称" } | E::ControlCharacter { field: "随机数来源名称" } => {
            "source_name_0"
        }
        E::PoolEmpty | E::TooLarge { .. } => "scope",
        E::TooFewInspectorsPerTarget { .. } | E::InspectorsFewerThanTeam { .. } => "inspectors_per_target",
        E::MaxPerInspectorZero => "max_targets_per_inspector",
        E::RatioOutOfRange { risk, .. } => match risk {
            RiskClass::A => "ratio_a",
            RiskClass::B => "ratio_b",
            RiskClass::C => "ratio_c",
            RiskClass::D => "ratio_d",
        },
        E::NoSources | E::DuplicateSource { .. } => "source_name_0",
        _ => "draw",
    }
}

/// Builds the task from the form and the directories, as it will be frozen.
pub(crate) async fn build_task(state: &AppState, form: &PageForm) -> Result<DrawTask, AppError> {
    let industries: Vec<String> = form.all("industry").map(str::to_owned).collect();
    let regions: Vec<String> = form.all("region").map(str::to_owned).collect();
    let mut sampling = BTreeMap::new();
    for (risk, field) in
        [(RiskClass::A, "ratio_a"), (RiskClass::B, "ratio_b"), (RiskClass::C, "ratio_c"), (RiskClass::D, "ratio_d")]
    {
        sampling.insert(risk, Sampling::Permille(number(form, field, "抽取比例")?));
    }
    let parameters = Parameters {
        sampling,
        inspectors_per_target: number(form, "inspectors_per_target", "每户检查人员数")?,
        max_targets_per_inspector: number(form, "max_targets_per_inspector", "每人最多检查户数")?,
    };
    let rows = state.store.targets_in_scope(&industries, &regions).await?;
    let targets: Vec<Target> = rows
        .iter()
        .filter_map(|r| {
            Some(Target { uscc: r.uscc.clone(), name: r.name.clone(), risk: RiskClass::parse(&r.risk_class)? })
        })
        .collect();
    let staff_rows = state.store.active_inspectors().await?;
    let inspectors: Vec<Inspector> = staff_rows
        .iter()
        .map(|i| Inspector { cert_no: i.cert_no.clone(), name: i.name.clone(), unit: i.unit.clone() })
        .collect();
    let mut sources = Vec::new();
    for i in (0..3).filter(|i| !form.get(&format!("source_name_{i}")).trim().is_empty()) {
        let time = form.get(&format!("source_time_{i}")).trim();
        let available_at = match time {
            "" => None,
            t => Some(
                xinqiao_domain::time::parse_cst_minute(t)
                    .ok_or_else(|| AppError::field(SOURCE_TIME[i], "invalid", "公布时间应为“年-月-日 时:分”"))?,
            ),
        };
        sources.push((i, available_at));
    }
    let sources: Vec<RandomSource> = sources
        .into_iter()
        .map(|(i, available_at)| RandomSource {
            name: form.get(&format!("source_name_{i}")).trim().to_owned(),
            description: form.get(&format!("source_description_{i}")).trim().to_owned(),
            kind: if form.get(&format!("source_kind_{i}")) == "text" { SourceKind::Text } else { SourceKind::Numbers },
            value: None,
            available_at,
        })
        .collect();
    let scope = format!(
        "行业：{}；地区：{}",
        if industries.is_empty() { "全部".to_owned() } else { industries.join("、") },
        if regions.is_empty() { "全部".to_owned() } else { regions.join("、") }
    );
    let mut task = DrawTask {
        id: xinqiao_store::new_id(),
        title: form.get("title").trim().to_owned(),
        scope,
        items: form.get("items").lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        parameters,
        targets,
        inspectors,
        exclusions: Vec::new(),
        sources,
    };
    task.canonicalize();
    let mut exclusions = Vec::new();
    for i in staff_rows.iter() {
        if let Some(user) = &i.user_id {
            let ties: Vec<_> = state.store.ties_of(user).await?.into_iter().map(|d| d.tie).collect();
            exclusions.extend(tie_exclusions(&i.cert_no, &ties, &task.targets));
        }
    }
    let previous = state.store.previous_teams().await?;
    exclusions.extend(rotation_exclusions(&task, previous.iter().map(|(u, l)| (u.as_str(), l.as_slice()))));
    task.exclusions = exclusions;
    task.canonicalize();
    task.validate().map_err(|e| {
        let message = match e {
            xinqiao_domain::draws::DrawError::PoolEmpty => {
                "所选行业和地区内没有在册的检查对象，请调整行业或地区".into()
            }
            _ => e.to_string(),
        };
        AppError::field(draw_field(&e), e.code(), message)
    })?;
    Ok(task)
}

/// Creates the task and commits it at once: the pool, the exclusions, the parameters and the
/// announced sources are frozen and their SHA-256 published before any source value exists.
async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "inspections").await?;
    staff.check_csrf(&form)?;
    let errors = check_form(&form);
    if !errors.is_empty() {
        return new_page(&state, &staff, Some(&form), errors).await;
    }
    let task = match build_task(&state, &form).await {
        Ok(t) => t,
        Err(AppError::Validation(errors)) => return new_page(&state, &staff, Some(&form), errors).await,
        Err(e) => return Err(e.into()),
    };
    // Committing cannot be undone: the form's `confirmed` (empty) asks for a second page first.
    if form.0.iter().any(|(k, v)| k == "confirmed" && v != "1") {
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

/// The announced sources' values are entered, the draw runs, and the outcome is published.
async fn reveal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("draw:{id}")).await?;
    staff.check_csrf(&form)?;
    let values: Vec<String> = (0..3).map(|i| form.get(&format!("value_{i}")).to_owned()).collect();
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
