//! The Q&A editor: a new entry or a new version, with the plain-language check (说人话检查)
//! on demand and the review-by date; saving a published or 待复核 entry takes it back to 草稿.

use super::entries::{detail_page, plain_findings};
use super::{registry, status_of, to_domain, to_store};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, Citation, Law, QaAction, QaEntry, QaStatus, apply};

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

pub(super) async fn new_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let f = xinqiao_store::knowledge::EntryText { audience: "enterprise".into(), ..Default::default() };
    edit_page(&state, &staff, "", 0, f, None, false).await
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

pub(super) async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let laws = registry(&state).await?;
    if wants_check(&form) {
        let f = to_store(&entry_of_lenient(&form));
        return edit_page(&state, &staff, "", 0, f, None, true).await;
    }
    match entry_of(&form, &laws) {
        Ok(e) => {
            let id = state.store.create_entry(&staff.actor(), QaStatus::Draft, &to_store(&e)).await?;
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

pub(super) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    let e = state.store.entry(&id).await?;
    edit_page(&state, &staff, &id, e.version, e.text, None, false).await
}

/// Saves a new version. Editing a published or 待复核 entry takes it back to 草稿 (revise); a
/// draft or an entry in review stays where it is.
pub(super) async fn edit(
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
            match state.store.revise_entry(&staff.actor(), &id, seen, to, &to_store(&e)).await {
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
