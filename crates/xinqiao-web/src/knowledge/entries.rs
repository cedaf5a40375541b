//! Officers' and supervisors' pages of 政策问答: lists, the editor with its plain-language
//! check, the lifecycle actions (a supervisor other than the author publishes), the version
//! history with diffs, the law registry with the change cascade, the weekly digest, and linking
//! an entry to a case reply.

use super::{law_row, laws_of, status_of, to_domain, to_store};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{
    Audience, Citation, DiffOp, Law, QaAction, QaEntry, QaStatus, Rules, allowed, apply, cascade, check_reviewer,
    diff_entries, lint_entry,
};
use xinqiao_domain::time::format_cst;
use xinqiao_store::knowledge::{EntryRow, LawVersionRow};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/knowledge", get(list).post(create))
        .route("/knowledge/new", get(new_form))
        .route("/knowledge/digest", get(digest))
        .route("/knowledge/synonyms", get(synonyms_page).post(save_synonyms))
        .route("/knowledge/{id}", get(detail))
        .route("/knowledge/{id}/edit", get(edit_form).post(edit))
        .route("/knowledge/{id}/act", post(act))
        .route("/laws", get(laws_page))
        .route("/laws/{id}/versions", post(change_law))
        .route("/cases/{id}/qa", post(link_to_case))
        .route("/cases/{id}/qa-draft", post(draft_from_case))
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

pub struct Row {
    id: String,
    question: String,
    status: &'static str,
    updated: String,
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
    q: String,
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
}

fn rows(entries: Vec<EntryRow>) -> Vec<Row> {
    entries
        .into_iter()
        .map(|e| Row {
            status: status_of(&e).label(),
            updated: format_cst(e.updated_at),
            example: e.text.example,
            question: e.text.question,
            id: e.id,
        })
        .collect()
}

async fn list(State(state): State<AppState>, staff: Staff, Query(q): Query<SearchQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let me = staff.user().id.as_str();
    let mut groups = vec![
        Group {
            id: "mine",
            title: "我的草稿与待复核",
            rows: rows(state.store.entries(&["draft", "stale"], Some(me), 200).await?),
        },
        Group { id: "review", title: "待审", rows: rows(state.store.entries(&["review"], None, 200).await?) },
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
        crate::search::staff_search(&state, q.q.trim(), &orgs).await?
    };
    let today = Date::of_epoch_ms(xinqiao_store::now_ms());
    let page = ListPage {
        layout: Layout::staff("政策问答", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        q: q.q,
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

async fn registry(state: &AppState) -> Result<Vec<Law>, AppError> {
    Ok(laws_of(&state.store.laws().await?))
}

async fn edit_page(
    state: &AppState,
    staff: &Staff,
    id: &str,
    version: i64,
    f: xinqiao_store::knowledge::EntryText,
    error: Option<String>,
) -> PageResult<Response> {
    let laws = registry(state).await?.into_iter().map(|l| (l.id.clone(), l.title())).collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = EditPage {
        layout: Layout::staff("编辑问答", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp),
        id: id.to_owned(),
        version,
        f,
        laws,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn new_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let f = xinqiao_store::knowledge::EntryText { audience: "enterprise".into(), ..Default::default() };
    edit_page(&state, &staff, "", 0, f, None).await
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
        review_by: None,
        example: false,
    };
    let errors = entry.check(laws);
    if errors.is_empty() { Ok(entry) } else { Err(AppError::Validation(errors)) }
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let laws = registry(&state).await?;
    match entry_of(&form, &laws) {
        Ok(e) => {
            let id = state.store.create_entry(&staff.actor(), QaStatus::Draft.code(), &to_store(&e)).await?;
            Ok(Redirect::to(&format!("/knowledge/{id}")).into_response())
        }
        Err(e @ AppError::Validation(_)) => {
            let f = to_store(&entry_of_lenient(&form));
            edit_page(&state, &staff, "", 0, f, Some(e.to_string())).await
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
        citations: Vec::new(),
        audience: form.all("audience").filter_map(Audience::parse).collect(),
        industries: form.get("industries").chars().filter(|c| c.is_ascii_alphabetic()).collect(),
        tags: vec![form.get("tags").to_owned()].into_iter().filter(|s| !s.is_empty()).collect(),
        review_by: None,
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
    let detector = state.detector().await;
    let findings = lint_entry(detector.jieba(), &entry, &Rules::builtin())
        .into_iter()
        .map(|f| {
            let field = match f.field {
                "question" => "问题",
                "answer" => "简答",
                _ => "解释",
            };
            match &f.finding.suggestion {
                Some(s) => format!("{field}：{}（建议：{s}）", f.finding.message),
                None => format!("{field}：{}", f.finding.message),
            }
        })
        .collect();
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
    edit_page(&state, &staff, &id, e.version, e.text, None).await
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
    match entry_of(&form, &laws) {
        Ok(mut e) => {
            e.example = current.text.example;
            e.review_by = current.text.review_by.map(Date);
            match state.store.revise_entry(&staff.actor(), &id, seen, to.code(), &to_store(&e)).await {
                Ok(_) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
                Err(xinqiao_store::StoreError::Conflict(_)) => {
                    let msg = "这条问答刚被其他人修改过，请在最新版本上重新修改".to_owned();
                    edit_page(&state, &staff, &id, current.version, current.text, Some(msg)).await
                }
                Err(e) => Err(AppError::from(e).into()),
            }
        }
        Err(e @ AppError::Validation(_)) => {
            let f = to_store(&entry_of_lenient(&form));
            edit_page(&state, &staff, &id, seen, f, Some(e.to_string())).await
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

pub struct LawView {
    id: String,
    name: String,
    issuer: String,
    doc_number: String,
    verified: bool,
    versions: String,
}

#[derive(Template)]
#[template(path = "knowledge/laws.html")]
struct LawsPage {
    layout: Layout,
    laws: Vec<LawView>,
    can_change: bool,
    error: Option<String>,
}

async fn laws_view(
    state: &AppState,
    staff: &Staff,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let laws = registry(state)
        .await?
        .into_iter()
        .map(|l| LawView {
            versions: l
                .versions
                .iter()
                .map(|v| {
                    let date = v.effective.map(|d| d.to_string()).unwrap_or_else(|| "日期未核实".into());
                    format!("{}（{}，{}）", v.id, v.status.label(), date)
                })
                .collect::<Vec<_>>()
                .join("；"),
            id: l.id,
            name: l.name,
            issuer: l.issuer,
            doc_number: l.doc_number,
            verified: l.verified,
        })
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = LawsPage {
        layout: Layout::staff("法规库", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp)
            .with_notice(notice),
        laws,
        can_change: staff.can(Permission::SuperviseCases),
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn laws_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "laws").await?;
    laws_view(&state, &staff, None, None).await
}

/// A law's new version or repeal: every 待审 or 已发布 entry citing an older version becomes
/// 待复核 and appears on its author's list.
async fn change_law(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, &format!("law:{id}")).await?;
    staff.check_csrf(&form)?;
    let laws = registry(&state).await?;
    let Some(mut law) = Law::find(&laws, &id).cloned() else { return Err(AppError::NotFound.into()) };
    let version = form.get("version").trim().to_owned();
    let effective = xinqiao_domain::time::parse_cst_date(form.get("effective")).map(Date::of_epoch_ms);
    let repeal = form.get("status") == "repealed";
    let change = if repeal { law.repeal(None) } else { law.add_version(&version, effective, "") };
    let change = match change {
        Ok(c) => c,
        Err(e) => return laws_view(&state, &staff, None, Some(e.to_string())).await,
    };
    let open = state.store.entries(&["review", "published"], None, 5000).await?;
    let mut cited = Vec::new();
    for e in &open {
        cited.push((e.id.clone(), status_of(e), state.store.entry(&e.id).await?.text));
    }
    let domain: Vec<(String, QaStatus, Vec<Citation>)> =
        cited.into_iter().map(|(id, s, t)| (id.clone(), s, to_domain(&id, &t).citations)).collect();
    let decided = cascade(
        std::slice::from_ref(&change),
        domain.iter().map(|(id, s, c)| xinqiao_domain::knowledge::Citing { key: id.clone(), status: *s, citations: c }),
    );
    let row = if repeal {
        let current = law.versions.iter().rev().find(|v| v.status == xinqiao_domain::knowledge::LawStatus::Repealed);
        LawVersionRow {
            version: current.map(|v| v.id.clone()).unwrap_or_default(),
            effective_day: current.and_then(|v| v.effective).map(|d| d.0),
            status: "repealed".into(),
            replaced_by: None,
        }
    } else {
        LawVersionRow { version, effective_day: effective.map(|d| d.0), status: "current".into(), replaced_by: None }
    };
    let moved = state.store.change_law(&staff.actor(), &id, &row, &decided.stale).await?;
    let notice = format!("已登记：{}。{}条问答转为待复核。", change.describe(&laws), moved.len());
    laws_view(&state, &staff, Some(notice), None).await
}

#[derive(serde::Deserialize)]
struct DigestQuery {
    from: String,
    to: String,
    #[serde(default)]
    format: String,
}

/// 本周新政问答: entries published or revised in a date range, as Markdown or HTML ready to
/// paste into an enterprise group chat.
async fn digest(State(state): State<AppState>, staff: Staff, Query(q): Query<DigestQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let (Some(from), Some(to)) =
        (xinqiao_domain::time::parse_cst_date(&q.from), xinqiao_domain::time::parse_cst_date(&q.to))
    else {
        return Err(AppError::field("from", "date", "请填写起止日期（YYYY-MM-DD）").into());
    };
    let laws = registry(&state).await?;
    let entries = state.store.published_between(from, to + 86_400_000).await?;
    let title = format!("本周新政问答（{} 至 {}）", q.from, q.to);
    if q.format == "html" {
        let mut html = format!("<h1>{}</h1>\n", escape(&title));
        for e in &entries {
            let d = to_domain(&e.id, &e.text);
            html += &format!("<h2>{}</h2>\n<p>{}</p>\n", escape(&d.question), escape(&d.answer));
            let cites: Vec<String> = d.citations.iter().map(|c| escape(&c.label(&laws))).collect();
            if !cites.is_empty() {
                html += &format!("<p><small>依据：{}</small></p>\n", cites.join("；"));
            }
        }
        return Ok(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response());
    }
    let mut md = format!("# {title}\n\n");
    for e in &entries {
        let d = to_domain(&e.id, &e.text);
        md += &format!("## {}\n\n{}\n\n", d.question, d.answer);
        let cites: Vec<String> = d.citations.iter().map(|c| c.label(&laws)).collect();
        if !cites.is_empty() {
            md += &format!("依据：{}\n\n", cites.join("；"));
        }
    }
    Ok((
        [
            (header::CONTENT_TYPE, "text/markdown; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"digest.md\""),
        ],
        md,
    )
        .into_response())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Links a published entry to a case (the officer used it in the reply); the public tracking
/// page shows the question. `entry` may be the entry's id.
async fn link_to_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::cases::handled_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let entry = state
        .store
        .entry(form.get("entry"))
        .await
        .map_err(|_| AppError::field("entry", "unknown", "请选择已发布的问答"))?;
    let note = format!("答复参考政策问答：{}", entry.text.question);
    match state.store.link_entry_to_case(&staff.actor(), &case.id, &entry.id, &note).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(xinqiao_store::StoreError::NotFound) => {
            Err(AppError::field("entry", "unpublished", "只能引用已发布的问答").into())
        }
        Err(e) => Err(AppError::from(e).into()),
    }
}

/// Turns a case into a Q&A draft in one step: the (masked) account as the question to rework,
/// the officer's last public answer on the case as the answer. The officer then edits it.
async fn draft_from_case(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let case = crate::cases::handled_case(&state, &staff, &id).await?;
    staff.check_csrf(&form)?;
    let events = state.store.case_events(&case.id, true).await?;
    let answer = events
        .iter()
        .rev()
        .find(|e| matches!(e.action.as_str(), "case.reply" | "case.close" | "case.inform") && !e.note.is_empty())
        .map(|e| e.note.clone())
        .unwrap_or_default();
    let question: String = case.narrative_masked.chars().take(120).collect();
    let audience =
        if case.kind == xinqiao_domain::cases::CaseKind::EnterpriseRequest { "enterprise" } else { "consumer" };
    let text = xinqiao_store::knowledge::EntryText {
        question,
        answer,
        explanation: String::new(),
        audience: audience.into(),
        industries: case.industry.clone().unwrap_or_default(),
        tags: case.kind.label().into(),
        citations: Vec::new(),
        review_by: None,
        example: false,
    };
    let entry = state.store.create_entry(&staff.actor(), QaStatus::Draft.code(), &text).await?;
    Ok(Redirect::to(&format!("/knowledge/{entry}/edit")).into_response())
}

#[derive(Template)]
#[template(path = "knowledge/synonyms.html")]
struct SynonymsPage {
    layout: Layout,
    lines: String,
    error: Option<String>,
}

async fn synonyms_view(
    state: &AppState,
    staff: &Staff,
    lines: String,
    notice: Option<String>,
    error: Option<String>,
) -> PageResult<Response> {
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = SynonymsPage {
        layout: Layout::staff("检索同义词", staff.user(), staff.csrf(), "/knowledge", !state.config.require_admin_totp)
            .with_notice(notice),
        lines,
        error,
    };
    Ok((status, render(&page)?).into_response())
}

async fn synonyms_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    let index = state.search_index().await?;
    synonyms_view(&state, &staff, index.synonyms().to_lines(), None, None).await
}

/// Supervisors edit the synonym groups; they are kept as a setting (every node reads them) and
/// take effect at once on this node.
async fn save_synonyms(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "synonyms").await?;
    staff.check_csrf(&form)?;
    let lines = form.get("lines").to_owned();
    match xinqiao_search::Synonyms::from_lines(&lines) {
        Ok(parsed) => {
            state.store.put_setting(&staff.actor(), crate::search::SYNONYMS_KEY, &parsed.groups()).await?;
            state.search_index().await?.set_synonyms(parsed.clone());
            synonyms_view(&state, &staff, parsed.to_lines(), Some("同义词已保存。".into()), None).await
        }
        Err(e) => synonyms_view(&state, &staff, lines, None, Some(e.to_string())).await,
    }
}
