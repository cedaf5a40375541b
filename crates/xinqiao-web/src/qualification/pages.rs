//! The assessment pages: the overview (my assessments, my panels, all of them for organisers),
//! the application form, one assessment (gates, test, panel, scoring, evidence, decision report
//! with the radar chart, appeal) and the timed test.

use super::dossier;
use super::service::{self, EvidenceScore};
use super::view::{self, AssessmentView, Role};
use crate::AppState;
use crate::auth::Staff;
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
use xinqiao_domain::qualification::{Framework, QuestionView};
use xinqiao_store::qualification::{AssessmentRow, status};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/qualification", get(index))
        .route("/qualification/apply", get(apply_form).post(apply))
        .route("/qualification/ties", post(declare_tie))
        .route("/qualification/assessments/{id}", get(show))
        .route("/qualification/assessments/{id}/test", get(test_page).post(hand_in))
        .route("/qualification/assessments/{id}/panel", post(draw))
        .route("/qualification/assessments/{id}/scores", post(scores))
        .route("/qualification/assessments/{id}/evidence", post(evidence))
        .route("/qualification/assessments/{id}/discussion", post(discussion))
        .route("/qualification/assessments/{id}/decide", post(decide))
        .route("/qualification/assessments/{id}/appeal", post(appeal))
}

/// Officers, supervisors and 评审员 use these pages.
pub async fn guard(state: &AppState, staff: &Staff) -> Result<(), AppError> {
    if staff.can(Permission::HandleCases) || staff.can(Permission::ReviewQualifications) {
        return Ok(());
    }
    staff.require(state, Permission::ReviewQualifications, "qualification").await
}

pub fn layout(state: &AppState, staff: &Staff, title: &str) -> Layout {
    Layout::staff(title, staff.user(), staff.csrf(), "/qualification", !state.config.require_admin_totp)
}

pub struct Row {
    pub id: String,
    pub candidate: String,
    pub status: &'static str,
    pub created: String,
    pub appeal: bool,
}

fn rows(list: Vec<AssessmentRow>) -> Vec<Row> {
    list.into_iter()
        .map(|a| Row {
            status: view::status_label(&a.status),
            created: xinqiao_domain::calendar::Date::of_epoch_ms(a.created_at).to_string(),
            appeal: a.appeal_of.is_some(),
            candidate: a.candidate_name,
            id: a.id,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "qualification/index.html")]
struct IndexPage {
    layout: Layout,
    framework: Framework,
    mine: Vec<Row>,
    panels: Vec<Row>,
    all: Vec<Row>,
    can_apply: bool,
    organiser: bool,
    reviewer: bool,
    /// Candidates an assessor may declare a tie to (assessments still without a panel).
    open_candidates: Vec<(String, String)>,
    my_status: Option<&'static str>,
    message: Option<String>,
}

async fn index_page(state: &AppState, staff: &Staff, message: Option<String>) -> PageResult<Response> {
    guard(state, staff).await?;
    let user = staff.user();
    let organiser = staff.can(Permission::SuperviseCases);
    let reviewer = staff.can(Permission::ReviewQualifications);
    // Organisers and reviewers see the assessments of their own bureau tree.
    let scope = staff.scope(state).await?;
    let all_rows: Vec<_> = if organiser || reviewer {
        state
            .store
            .assessments(None, None)
            .await?
            .into_iter()
            .filter(|a| a.candidate_org.as_deref().is_some_and(|o| scope.has_org(o)))
            .collect()
    } else {
        Vec::new()
    };
    let open_candidates = all_rows
        .iter()
        .filter(|a| reviewer && a.status == status::IN_PROGRESS && a.panel.is_none() && a.candidate_id != user.id)
        .map(|a| (a.candidate_id.clone(), a.candidate_name.clone()))
        .collect();
    let page = IndexPage {
        layout: layout(state, staff, "任职资格"),
        framework: service::current_framework(state).await?,
        mine: rows(state.store.assessments(Some(&user.id), None).await?),
        panels: rows(state.store.assessments(None, Some(&user.id)).await?),
        all: if organiser { rows(all_rows) } else { Vec::new() },
        can_apply: staff.can(Permission::HandleCases),
        organiser,
        reviewer,
        open_candidates,
        my_status: state.store.roster_status(&user.id, service::today(state)).await?.map(|s| s.label()),
        message,
    };
    let status = if page.message.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, render(&page)?).into_response())
}

async fn index(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    index_page(&state, &staff, None).await
}

/// The text fields of the assessment's forms (the score forms are read by criterion).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct AssessmentForm {
    source: String,
    criterion: Vec<String>,
    note: String,
    reason: String,
}

/// An assessor declares a relative or a conflict of interest with a candidate before a draw.
async fn declare_tie(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ReviewQualifications, "qualification.ties").await?;
    staff.check_csrf(&form)?;
    let input: super::ties::AssessorTieInput = form.typed(&[])?;
    match super::ties::declare_assessor_tie(&state, &crate::caller::Caller::Page(&staff), input).await {
        Ok(()) => Ok(Redirect::to("/qualification").into_response()),
        Err(e @ AppError::Validation(_)) => index_page(&state, &staff, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "qualification/apply.html")]
struct ApplyPage {
    layout: Layout,
    framework: Framework,
    /// (id, name, ticked) of the 评审员 a candidate may declare a tie to.
    assessors: Vec<(String, String, bool)>,
    lists: Vec<ListView>,
    current_post: String,
    declaration_date: String,
    declaration_complete: bool,
    pledge_signed: String,
    pledge_version: String,
    /// Messages of the fields outside the lists (and of none: `dossier`, `candidate`).
    errors: FormErrors,
    /// Every message with the id of the field it concerns, listed above the form.
    summary: Vec<(String, String)>,
}

impl ApplyPage {
    fn list(&self, key: &str) -> Option<&ListView> {
        self.lists.iter().find(|l| l.key == key)
    }
}

/// One list of the form as shown: its rows of cells and a message about the list as a whole.
pub struct ListView {
    pub key: &'static str,
    pub noun: &'static str,
    pub rows: Vec<Vec<Cell>>,
    pub error: Option<String>,
}

/// One field of one row.
pub struct Cell {
    pub name: String,
    pub id: String,
    pub label: &'static str,
    /// text | date | number | worktype | yesno
    pub input: &'static str,
    pub value: String,
    pub max: usize,
    pub error: Option<String>,
    pub autofocus: bool,
}

impl Cell {
    /// The options of a select: (value, label, selected).
    pub fn options(&self) -> Vec<(&'static str, &'static str, bool)> {
        use xinqiao_domain::qualification::WorkType;
        match self.input {
            "worktype" => {
                let chosen = WorkType::parse(&self.value);
                WorkType::ALL.iter().map(|w| (w.code(), w.label(), chosen == Some(*w))).collect()
            }
            _ => vec![("yes", "是", self.value == "yes"), ("no", "否", self.value == "no")],
        }
    }
}

fn lists(
    form: &dossier::DossierForm,
    fresh: bool,
    errors: &[dossier::RowError],
    list_errors: &[xinqiao_domain::FieldError],
) -> Vec<ListView> {
    use dossier::Input;
    dossier::LISTS
        .iter()
        .map(|list| {
            let mut rows =
                if fresh { vec![vec![String::new(); list.columns.len()]; list.fresh] } else { form.rows(list) };
            let added = form.add == list.key && rows.len() < dossier::MAX_ROWS;
            if added || rows.is_empty() {
                rows.push(vec![String::new(); list.columns.len()]);
            }
            let last = rows.len() - 1;
            let rows = rows
                .into_iter()
                .enumerate()
                .map(|(i, values)| {
                    list.columns
                        .iter()
                        .zip(values)
                        .enumerate()
                        .map(|(j, (c, value))| Cell {
                            name: format!("{}_{}", list.key, c.name),
                            id: format!("{}-{i}-{}", list.key, c.name),
                            label: c.label,
                            input: match c.input {
                                Input::Text => "text",
                                Input::Date => "date",
                                Input::Number => "number",
                                Input::WorkType => "worktype",
                                Input::YesNo => "yesno",
                            },
                            value,
                            max: c.max,
                            error: errors
                                .iter()
                                .find(|e| e.list == list.key && e.row == i && e.column == c.name)
                                .map(|e| e.message.clone()),
                            autofocus: added && i == last && j == 0,
                        })
                        .collect()
                })
                .collect();
            let error = list_errors.iter().find(|e| e.field == list.key).map(|e| e.message.clone());
            ListView { key: list.key, noun: list.noun, rows, error }
        })
        .collect()
}

/// The application form: fresh (`form` absent), shown again with a row added, or with the
/// messages of a refused application beside their fields.
async fn apply_page(
    state: &AppState,
    staff: &Staff,
    form: Option<&dossier::DossierForm>,
    row_errors: &[dossier::RowError],
    refused: Option<AppError>,
) -> PageResult<Response> {
    staff.require(state, Permission::HandleCases, "qualification.apply").await?;
    let empty = dossier::DossierForm::default();
    let f = form.unwrap_or(&empty);
    let fields = match &refused {
        Some(AppError::Validation(v)) => v.clone(),
        Some(e) => vec![xinqiao_domain::FieldError::new("dossier", "refused", e.to_string())],
        None => Vec::new(),
    };
    let lists = lists(f, form.is_none(), row_errors, &fields);
    // A whole-dossier message about the declaration or the pledge stands beside its date.
    let mut errors: Vec<xinqiao_domain::FieldError> = fields
        .iter()
        .filter(|e| !dossier::LISTS.iter().any(|l| l.key == e.field))
        .map(|e| match e.field {
            "declaration" => e.clone().with_field("declaration_date"),
            "pledge" => e.clone().with_field("pledge_signed"),
            _ => e.clone(),
        })
        .collect();
    errors.extend(
        row_errors
            .iter()
            .filter(|e| e.list.is_empty())
            .map(|e| xinqiao_domain::FieldError::new(e.column, "invalid", e.message.clone())),
    );
    let mut summary: Vec<(String, String)> = errors
        .iter()
        .map(|e| {
            let anchor = if matches!(e.field, "dossier" | "candidate") { "apply-form" } else { e.field };
            (anchor.to_owned(), e.message.clone())
        })
        .collect();
    for l in &lists {
        if let Some(m) = &l.error {
            summary.push((format!("{}-rows", l.key), m.clone()));
        }
        for (i, row) in l.rows.iter().enumerate() {
            for c in row.iter().filter(|c| c.error.is_some()) {
                summary.push((
                    c.id.clone(),
                    format!("{}第 {} 条 {}：{}", l.noun, i + 1, c.label, c.error.as_deref().unwrap_or_default()),
                ));
            }
        }
    }
    let ticked: Vec<&str> = f.related_assessor.iter().map(String::as_str).collect();
    let page = ApplyPage {
        layout: layout(state, staff, "申请任职资格评估"),
        framework: service::current_framework(state).await?,
        assessors: state
            .store
            .assessor_pool()
            .await?
            .into_iter()
            .filter(|m| m.id != staff.user().id)
            .map(|m| {
                let on = ticked.contains(&m.id.as_str());
                (m.id, m.display_name, on)
            })
            .collect(),
        lists,
        current_post: f.current_post.clone(),
        declaration_date: f.declaration_date.clone(),
        declaration_complete: f.declaration_complete,
        pledge_signed: f.pledge_signed.clone(),
        pledge_version: f.pledge_version.clone(),
        errors: FormErrors(errors),
        summary,
    };
    let status = if page.summary.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

async fn apply_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    apply_page(&state, &staff, None, &[], None).await
}

async fn apply(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "qualification.apply").await?;
    staff.check_csrf(&form)?;
    let names = dossier::DossierForm::list_names();
    let f: dossier::DossierForm = form.typed(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    // 添加一行 shows the form again with one more blank row in that list; nothing is sent.
    if !f.add.is_empty() {
        return apply_page(&state, &staff, Some(&f), &[], None).await;
    }
    let input = match f.to_input(service::today(&state)) {
        Ok(input) => input,
        Err(rows) => return apply_page(&state, &staff, Some(&f), &rows, None).await,
    };
    match service::apply(&state, &staff.actor(), staff.user(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            apply_page(&state, &staff, Some(&f), &[], Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The assessment and the viewer's part in it; 404 for anyone with no part.
pub async fn load(state: &AppState, staff: &Staff, id: &str) -> Result<(AssessmentRow, Role), AppError> {
    guard(state, staff).await?;
    let row = state.store.assessment(id).await?.ok_or(AppError::NotFound)?;
    match view::role_of(state, staff.user(), &row).await? {
        Some(role) => Ok((row, role)),
        None => {
            staff.deny(state, &format!("assessment:{id}"), "not a party to the assessment").await?;
            Err(AppError::NotFound)
        }
    }
}

/// An interview criterion: code, label, and the rubric anchor of each score.
type Anchored = (String, String, Vec<(u8, String)>);

#[derive(Template)]
#[template(path = "qualification/assessment.html")]
struct AssessmentPage {
    layout: Layout,
    a: AssessmentView,
    role: Role,
    interview: Vec<Anchored>,
    evidence_criteria: Vec<(String, String, String, String)>,
    flagged: Vec<(String, String)>,
    error: Option<String>,
    today_can_appeal: bool,
}

fn fmt2(x: &f64) -> String {
    format!("{x:.2}")
}

async fn assessment_page(state: &AppState, staff: &Staff, id: &str, error: Option<AppError>) -> PageResult<Response> {
    guard(state, staff).await?;
    let (row, role) = load(state, staff, id).await?;
    let framework = service::pinned_framework(state, &row).await?;
    let a = view::build(state, staff.user(), &row, role).await?;
    let interview = service::interview_criteria(&framework)
        .into_iter()
        .filter_map(|code| {
            framework.criterion(&code).map(|(_, c)| {
                (
                    code.clone(),
                    c.label.clone(),
                    (1..=5).map(|s| (s, c.anchor(s).unwrap_or_default().to_owned())).collect(),
                )
            })
        })
        .collect();
    let evidence_criteria = service::evidence_criteria(&framework)
        .into_iter()
        .filter_map(|code| {
            let (_, c) = framework.criterion(&code)?;
            let stored = a.evidence.get(&code);
            Some((
                code.clone(),
                c.label.clone(),
                stored.map(|e| e.score.to_string()).unwrap_or_default(),
                stored.map(|e| e.note.clone()).unwrap_or_else(|| c.evidence.clone()),
            ))
        })
        .collect();
    let flagged = a.criteria.iter().filter(|c| c.flagged).map(|c| (c.code.clone(), c.label.clone())).collect();
    let today_can_appeal = role.candidate
        && row.status == status::DECIDED
        && row.appeal_until.is_some_and(|d| service::today(state).0 <= d);
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let error = error.map(|e| e.to_string());
    let page = AssessmentPage {
        layout: layout(state, staff, "任职资格评估"),
        a,
        role,
        interview,
        evidence_criteria,
        flagged,
        error,
        today_can_appeal,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    assessment_page(&state, &staff, &id, None).await
}

/// Runs a step on the assessment page: back to the page on success, the page with the error
/// (422/409) when the step was refused.
async fn step(state: &AppState, staff: &Staff, id: &str, result: Result<(), AppError>) -> PageResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => assessment_page(state, staff, id, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// The organiser (a supervisor, not the candidate) taking a step: permission, CSRF, the row.
async fn as_organiser(
    state: &AppState,
    staff: &Staff,
    id: &str,
    form: &PageForm,
    what: &str,
) -> Result<AssessmentRow, AppError> {
    staff.require(state, Permission::SuperviseCases, what).await?;
    staff.check_csrf(form)?;
    let (row, role) = load(state, staff, id).await?;
    if !role.organiser {
        return Err(AppError::forbidden());
    }
    Ok(row)
}

/// A 1–5 score field `score_{code}` of a form whose fields are named by criterion; empty is `None`.
fn score_field(form: &BTreeMap<String, String>, field: &'static str, code: &str) -> Result<Option<u8>, AppError> {
    let v = form.get(&format!("score_{code}")).map_or("", String::as_str);
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<u8>().map(Some).map_err(|_| AppError::field(field, "not_a_number", "评分须为 1 至 5 的整数"))
}

async fn draw(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.panel").await?;
    let f: AssessmentForm = form.typed(&[])?;
    let result = service::draw(&state, &staff.actor(), &row, &f.source).await.map(|_| ());
    step(&state, &staff, &id, result).await
}

async fn scores(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::ReviewQualifications, "qualification.score").await?;
    staff.check_csrf(&form)?;
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.assessor {
        return Err(AppError::forbidden().into());
    }
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        // The fields are named by the framework's criteria: read as a map, not a fixed struct.
        let fields: BTreeMap<String, String> = form.typed(&[])?;
        let mut scores = BTreeMap::new();
        for code in service::interview_criteria(&framework) {
            if let Some(s) = score_field(&fields, "scores", &code)? {
                scores.insert(code, s);
            }
        }
        let note = fields.get("note").map_or("", String::as_str);
        service::submit_scores(&state, &staff.actor(), &row, &scores, note).await
    }
    .await;
    step(&state, &staff, &id, result).await
}

async fn evidence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.evidence").await?;
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        let fields: BTreeMap<String, String> = form.typed(&[])?;
        let mut evidence = BTreeMap::new();
        for code in service::evidence_criteria(&framework) {
            if let Some(score) = score_field(&fields, "evidence", &code)? {
                let note = fields.get(&format!("note_{code}")).cloned().unwrap_or_default();
                evidence.insert(code, EvidenceScore { score, note });
            }
        }
        service::set_evidence(&state, &staff.actor(), &row, &evidence).await
    }
    .await;
    step(&state, &staff, &id, result).await
}

async fn discussion(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.discussion").await?;
    let f: AssessmentForm = form.typed(&["criterion"])?;
    let result = service::resolve_discussion(&state, &staff.actor(), &row, &f.criterion, &f.note).await;
    step(&state, &staff, &id, result).await
}

async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_organiser(&state, &staff, &id, &form, "qualification.decide").await?;
    let result = service::decide_now(&state, &staff.actor(), &row).await.map(|_| ());
    step(&state, &staff, &id, result).await
}

async fn appeal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    let f: AssessmentForm = form.typed(&[])?;
    match service::appeal(&state, &staff.actor(), &row, &f.reason).await {
        Ok(new_id) => Ok(Redirect::to(&format!("/qualification/assessments/{new_id}")).into_response()),
        Err(e) => step(&state, &staff, &id, Err(e)).await,
    }
}

#[derive(Template)]
#[template(path = "qualification/test.html")]
struct TestPage {
    layout: Layout,
    id: String,
    questions: Vec<QuestionView>,
    /// Milliseconds left, by the server's clock (the browser's clock may be wrong).
    left_ms: i64,
    due_text: String,
    minutes: u32,
    /// The options chosen, as `q_<item>=<key>` pairs (kept when the page asks to confirm).
    chosen: Vec<(String, String)>,
    /// Asking to confirm the hand-in: (questions answered, questions in all).
    confirming: Option<(usize, usize)>,
}

impl TestPage {
    fn picked(&self, item: &str, key: &str) -> bool {
        self.chosen.iter().any(|(i, k)| i == item && k == key)
    }
}

/// Whether the hand-in asks to be confirmed first: the test page's form carries an empty
/// `confirmed`, set to 1 by the page script's dialog (or by the deadline's automatic hand-in);
/// without the script the server shows the paper again, answers kept, with 确认交卷.
fn hand_in_needs_confirmation(form: &PageForm) -> bool {
    form.awaits_confirmation()
}

/// The timed test: the first opening starts the clock; the page counts down and hands in by
/// itself at the deadline (the server refuses late answers either way).
async fn test_page(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    if row.answers.is_some() || row.status != status::IN_PROGRESS {
        return Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response());
    }
    test_view(&state, &staff, &row, None).await
}

/// The paper with its countdown; with `confirm`, the answers given are ticked again and the page
/// asks to confirm the hand-in (交卷 cannot be undone).
async fn test_view(
    state: &AppState,
    staff: &Staff,
    row: &AssessmentRow,
    confirm: Option<&PageForm>,
) -> PageResult<Response> {
    let (paper, due_at) = service::open_test(state, &staff.actor(), row).await?;
    let due_text = xinqiao_domain::time::format_cst(due_at);
    let questions = paper.questions();
    let chosen: Vec<(String, String)> = confirm.map_or_else(Vec::new, |form| {
        questions
            .iter()
            .flat_map(|q| form.all(&format!("q_{}", q.id)).map(|k| (q.id.clone(), k.to_owned())).collect::<Vec<_>>())
            .collect()
    });
    let confirming = confirm.map(|_| {
        let answered = questions.iter().filter(|q| chosen.iter().any(|(i, _)| *i == q.id)).count();
        (answered, questions.len())
    });
    let page = TestPage {
        layout: layout(state, staff, if confirming.is_some() { "确认交卷" } else { "任职资格笔试" }),
        id: row.id.clone(),
        questions,
        left_ms: (due_at - state.now_ms()).max(0),
        due_text,
        minutes: service::params(state).await?.test_minutes,
        chosen,
        confirming,
    };
    render(&page).map_err(Into::into)
}

async fn hand_in(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    if hand_in_needs_confirmation(&form) && row.answers.is_none() && row.status == status::IN_PROGRESS {
        return test_view(&state, &staff, &row, Some(&form)).await;
    }
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        let source = row.paper_source.as_deref().ok_or_else(|| AppError::Conflict("本次评估不含笔试".into()))?;
        let paper = service::paper(&framework, source)?;
        let answers: BTreeMap<String, Vec<String>> = paper
            .items
            .iter()
            .map(|i| (i.id.clone(), form.all(&format!("q_{}", i.id)).map(str::to_owned).collect::<Vec<_>>()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        service::submit_test(&state, &staff.actor(), &row, &answers).await.map(|_| ())
    }
    .await;
    step(&state, &staff, &id, result).await
}

pub fn two(x: &f64) -> String {
    fmt2(x)
}
