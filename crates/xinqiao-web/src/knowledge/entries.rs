//! Officers' and supervisors' pages of 政策问答: lists, the editor with its plain-language
//! check, the lifecycle actions (a supervisor other than the author publishes), the version
//! history with diffs, the law registry with the change cascade, the weekly digest, and linking
//! an entry to a case reply.

use super::{law_row, registry, status_of, to_domain, to_store};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{
    Audience, Citation, DiffOp, Law, QaAction, QaEntry, QaStatus, Rules, allowed, apply, check_reviewer, diff_entries,
    lint_entry,
};
use xinqiao_domain::time::format_cst;
use xinqiao_store::knowledge::EntryRow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/knowledge", get(list).post(create))
        .route("/knowledge/new", get(new_form))
        .route("/knowledge/{id}", get(detail))
        .route("/knowledge/{id}/edit", get(edit_form).post(edit))
        .route("/knowledge/{id}/act", post(act))
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
        state.store.create_entry(&console, QaStatus::Review.code(), &to_store(e)).await?;
    }
    Ok(entries.len())
}

/// How far ahead the list warns of entries whose review-by date comes up.
const REVIEW_NOTICE_DAYS: i64 = 30;

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

pub struct Hit {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub snippet: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "knowledge/list.html")]
struct ListPage {
    layout: Layout,
    q: SearchQuery,
    statuses: Vec<(&'static str, &'static str)>,
    qa_hits: Vec<Hit>,
    case_hits: Vec<Hit>,
    groups: Vec<Group>,
    week_from: String,
    week_to: String,
}

#[derive(serde::Deserialize, Default)]
struct SearchQuery {
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

async fn list(State(state): State<AppState>, staff: Staff, Query(q): Query<SearchQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let me = staff.user().id.as_str();
    let today = Date::of_epoch_ms(xinqiao_store::now_ms());
    let mut groups = vec![
        Group {
            id: "mine",
            title: "我的草稿与待复核",
            rows: rows(state.store.entries(&["draft", "stale"], Some(me), 200).await?),
        },
        Group { id: "review", title: "待审", rows: rows(state.store.entries(&["review"], None, 200).await?) },
        Group {
            id: "due",
            title: "30天内到期复核",
            rows: rows(state.store.entries_due_for_review(today.0 + REVIEW_NOTICE_DAYS, 200).await?),
        },
    ];
    if staff.can(Permission::SuperviseCases) {
        groups.push(Group {
            id: "stale",
            title: "待复核（全部）",
            rows: rows(state.store.entries(&["stale"], None, 200).await?),
        });
    }
    groups.push(Group {
        id: "published",
        title: "已发布",
        rows: rows(state.store.entries(&["published"], None, 200).await?),
    });
    let (qa_hits, case_hits) = if q.q.trim().is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let orgs = crate::cases::visible_orgs(&state, &staff).await?;
        crate::search::staff_search(&state, q.q.trim(), &orgs, &q.filters()).await?
    };
    let page = ListPage {
        layout: Layout::staff("政策问答", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        statuses: QaStatus::ALL.iter().map(|s| (s.code(), s.label())).collect(),
        q,
        qa_hits,
        case_hits,
        groups,
        week_from: Date(today.0 - 6).to_string(),
        week_to: today.to_string(),
    };
    Ok(render(&page)?)
}

#[derive(Template)]
#[template(path = "knowledge/edit.html")]
struct EditPage {
    layout: Layout,
    id: String,
    version: i64,
    f: xinqiao_store::knowledge::EntryText,
    laws: Vec<(String, String)>,
    review_by: String,
    /// The plain-language check of what is in the form (advice, never a block).
    findings: Vec<String>,
    checked: bool,
    error: Option<String>,
}

impl EditPage {
    fn cited_law(&self, i: &usize) -> &str {
        self.f.citations.get(*i).map_or("", |c| c.law_id.as_str())
    }

    fn cited_article(&self, i: &usize) -> &str {
        self.f.citations.get(*i).map_or("", |c| c.article.as_str())
    }
}

async fn edit_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    version: i64,
    f: xinqiao_store::knowledge::EntryText,
    error: Option<String>,
    checked: bool,
) -> PageResult<Response> {
    let laws = registry(state).await?.into_iter().map(|l| (l.id.clone(), l.title())).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let findings = if f.question.trim().is_empty() && f.answer.trim().is_empty() {
        Vec::new()
    } else {
        plain_findings(state, &to_domain(id, &f)).await
    };
    let page = EditPage {
        layout: Layout::staff("编辑问答", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        id: id.to_owned(),
        version,
        review_by: f.review_by.map(|d| Date(d).to_string()).unwrap_or_default(),
        f,
        laws,
        findings,
        checked,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn new_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let f = xinqiao_store::knowledge::EntryText { audience: "enterprise".into(), ..Default::default() };
    edit_page(&state, &staff, "", 0, f, None, false).await
}

/// The plain-language check (说人话检查) of an entry, one readable line per finding.
async fn plain_findings(state: &AppState, entry: &QaEntry) -> Vec<String> {
    let detector = state.detector().await;
    lint_entry(detector.jieba(), entry, &Rules::builtin())
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

/// The editor's "检查" button: the form is checked and shown again, nothing is saved.
fn wants_check(form: &PageForm) -> bool {
    form.get("intent") == "check"
}

/// Reads the editor's form into an entry, checked against the registry.
fn entry_of(form: &PageForm, laws: &[Law]) -> Result<QaEntry, AppError> {
    let mut citations = Vec::new();
    for i in 0..3 {
        let law_id = form.get(&format!("law_{i}")).trim();
        if law_id.is_empty() {
            continue;
        }
        let Some(law) = Law::find(laws, law_id) else { continue };
        let version = law.current().or(law.latest()).map(|v| v.id.clone()).unwrap_or_default();
        let article = form.get(&format!("article_{i}")).trim();
        citations.push(Citation {
            law_id: law_id.to_owned(),
            version,
            article: Some(article.to_owned()).filter(|a| !a.is_empty()),
        });
    }
    let entry = QaEntry {
        id: String::new(),
        question: form.get("question").trim().to_owned(),
        answer: form.get("answer").trim().to_owned(),
        explanation: form.get("explanation").trim().to_owned(),
        citations,
        audience: form.all("audience").filter_map(Audience::parse).collect(),
        industries: form.get("industries").trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect(),
        tags: form.get("tags").split([',', '，']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        review_by: Date::parse(form.get("review_by").trim()),
        example: false,
    };
    let mut errors = entry.check(laws);
    if !form.get("review_by").trim().is_empty() && entry.review_by.is_none() {
        errors.push(xinqiao_domain::error::FieldError::new(
            "review_by",
            "invalid_date",
            "复核日期应写成“2027-06-30”这样的日期",
        ));
    }
    if errors.is_empty() { Ok(entry) } else { Err(AppError::Validation(errors)) }
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let laws = registry(&state).await?;
    if wants_check(&form) {
        let f = to_store(&entry_of_lenient(&form));
        return edit_page(&state, &staff, "", 0, f, None, true).await;
    }
    match entry_of(&form, &laws) {
        Ok(e) => {
            let id = state.store.create_entry(&staff.actor(), QaStatus::Draft.code(), &to_store(&e)).await?;
            Ok(Redirect::to(&format!("/knowledge/{id}")).into_response())
        }
        Err(e @ AppError::Validation(_)) => {
            let f = to_store(&entry_of_lenient(&form));
            edit_page(&state, &staff, "", 0, f, Some(e.to_string()), false).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form as typed, for showing it again with its errors.
fn entry_of_lenient(form: &PageForm) -> QaEntry {
    QaEntry {
        id: String::new(),
        question: form.get("question").to_owned(),
        answer: form.get("answer").to_owned(),
        explanation: form.get("explanation").to_owned(),
        citations: (0..3)
            .filter_map(|i| {
                let law_id = form.get(&format!("law_{i}")).trim();
                let article = form.get(&format!("article_{i}")).trim();
                (!law_id.is_empty()).then(|| Citation {
                    law_id: law_id.to_owned(),
                    version: String::new(),
                    article: Some(article.to_owned()).filter(|a| !a.is_empty()),
                })
            })
            .collect(),
        audience: form.all("audience").filter_map(Audience::parse).collect(),
        industries: form.get("industries").chars().filter(|c| c.is_ascii_alphabetic()).collect(),
        tags: vec![form.get("tags").to_owned()].into_iter().filter(|s| !s.is_empty()).collect(),
        review_by: Date::parse(form.get("review_by").trim()),
        example: false,
    }
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

async fn detail_page(state: &AppState, staff: &Staff, id: &str, error: Option<String>) -> PageResult<Response> {
    let e = state.store.entry(id).await?;
    let laws = registry(state).await?;
    let entry = to_domain(&e.id, &e.text);
    let findings = plain_findings(state, &entry).await;
    let status = status_of(&e);
    let supervisor = staff.can(Permission::SuperviseCases);
    let mine = e.author_id == staff.user().id;
    let actions = allowed(status)
        .into_iter()
        .filter(|a| match a {
            QaAction::Submit => true,
            QaAction::Approve => supervisor && !mine,
            QaAction::Reject | QaAction::Retire => supervisor,
            QaAction::MarkStale | QaAction::Revise => false,
        })
        .map(|a| (a.code(), a.label()))
        .collect();
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
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    detail_page(&state, &staff, &id, None).await
}

async fn edit_form(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let e = state.store.entry(&id).await?;
    edit_page(&state, &staff, &id, e.version, e.text, None, false).await
}

/// Saves a new version. Editing a published or 待复核 entry takes it back to 草稿 (revise); a
/// draft or an entry in review stays where it is.
async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let current = state.store.entry(&id).await?;
    let status = status_of(&current);
    let to = match status {
        QaStatus::Draft | QaStatus::Review => status,
        other => match apply(other, QaAction::Revise) {
            Ok(s) => s,
            Err(e) => return detail_page(&state, &staff, &id, Some(e.to_string())).await,
        },
    };
    let laws = registry(&state).await?;
    let seen: i64 = form.get("version").parse().unwrap_or(current.version);
    if wants_check(&form) {
        let f = to_store(&entry_of_lenient(&form));
        return edit_page(&state, &staff, &id, seen, f, None, true).await;
    }
    match entry_of(&form, &laws) {
        Ok(mut e) => {
            e.example = current.text.example;
            match state.store.revise_entry(&staff.actor(), &id, seen, to.code(), &to_store(&e)).await {
                Ok(_) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
                Err(xinqiao_store::StoreError::Conflict(_)) => {
                    let msg = "这条问答刚被其他人修改过，请在最新版本上重新修改".to_owned();
                    edit_page(&state, &staff, &id, current.version, current.text, Some(msg), false).await
                }
                Err(e) => Err(AppError::from(e).into()),
            }
        }
        Err(e @ AppError::Validation(_)) => {
            let f = to_store(&entry_of_lenient(&form));
            edit_page(&state, &staff, &id, seen, f, Some(e.to_string()), false).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let Some(action) =
        QaAction::parse(form.get("action")).filter(|a| !matches!(a, QaAction::MarkStale | QaAction::Revise))
    else {
        return detail_page(&state, &staff, &id, Some("未知的操作".into())).await;
    };
    if matches!(action, QaAction::Approve | QaAction::Reject | QaAction::Retire) {
        staff.require(&state, Permission::SuperviseCases, &format!("qa:{id}")).await?;
    }
    let e = state.store.entry(&id).await?;
    if check_reviewer(action, e.author_id.as_str(), staff.user().id.as_str()).is_err() {
        return detail_page(&state, &staff, &id, Some("作者不能审核发布自己写的问答，请由另一位主管审核".into())).await;
    }
    let from = status_of(&e);
    let to = match apply(from, action) {
        Ok(to) => to,
        Err(err) => return detail_page(&state, &staff, &id, Some(err.to_string())).await,
    };
    let code = match action {
        QaAction::Submit => "qa.submit",
        QaAction::Approve => "qa.publish",
        QaAction::Reject => "qa.reject",
        _ => "qa.retire",
    };
    match state.store.set_entry_status(&staff.actor(), &id, from.code(), to.code(), code).await {
        Ok(()) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
        Err(xinqiao_store::StoreError::Conflict(_)) => {
            detail_page(&state, &staff, &id, Some("状态已被他人更改，请刷新后再试".into())).await
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}
