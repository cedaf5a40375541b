//! The Q&A editor: a new entry or a new version, with the plain-language check (说人话检查)
//! on demand and the review-by date; saving a published or 待复核 entry takes it back to 草稿.

use super::entries::{detail_page, plain_findings};
use super::service::{self, CitationInput, EntryInput};
use super::{registry, to_domain, to_store};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, Citation, QaEntry};
use xinqiao_store::knowledge::EntryText;

#[derive(Template)]
#[template(path = "knowledge/edit.html")]
struct EditPage {
    layout: Layout,
    id: String,
    version: i64,
    f: EntryText,
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
    f: EntryText,
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

/// The editor's form as sent: three citation rows (`law_i`, `article_i`), the audience check
/// boxes, the version the editor read and the button pressed.
#[derive(Debug, Default, Deserialize)]
struct EditorForm {
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    audience: Vec<String>,
    #[serde(default)]
    industries: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    review_by: String,
    #[serde(default)]
    law_0: String,
    #[serde(default)]
    article_0: String,
    #[serde(default)]
    law_1: String,
    #[serde(default)]
    article_1: String,
    #[serde(default)]
    law_2: String,
    #[serde(default)]
    article_2: String,
    /// The version the editor read.
    #[serde(default)]
    version: String,
    /// `check`: the "检查" button (the form is checked and shown again, nothing is saved).
    #[serde(default)]
    intent: String,
}

impl EditorForm {
    fn read(form: &PageForm) -> Result<Self, AppError> {
        form.typed(&["audience"])
    }

    fn rows(&self) -> [(&str, &str); 3] {
        [(&self.law_0, &self.article_0), (&self.law_1, &self.article_1), (&self.law_2, &self.article_2)]
            .map(|(l, a)| (l.as_str(), a.as_str()))
    }

    fn wants_check(&self) -> bool {
        self.intent == "check"
    }

    /// The service's input.
    fn input(&self) -> EntryInput {
        EntryInput {
            question: self.question.clone(),
            answer: self.answer.clone(),
            explanation: self.explanation.clone(),
            audience: self.audience.clone(),
            industries: self.industries.clone(),
            tags: self.tags.clone(),
            review_by: self.review_by.clone(),
            citations: self
                .rows()
                .iter()
                .map(|(law, article)| CitationInput { law_id: (*law).to_owned(), article: (*article).to_owned() })
                .collect(),
        }
    }

    /// The form as typed, for showing it again with its errors.
    fn as_typed(&self) -> EntryText {
        to_store(&QaEntry {
            id: String::new(),
            question: self.question.clone(),
            answer: self.answer.clone(),
            explanation: self.explanation.clone(),
            citations: self
                .rows()
                .iter()
                .filter_map(|(law_id, article)| {
                    let (law_id, article) = (law_id.trim(), article.trim());
                    (!law_id.is_empty()).then(|| Citation {
                        law_id: law_id.to_owned(),
                        version: String::new(),
                        article: Some(article.to_owned()).filter(|a| !a.is_empty()),
                    })
                })
                .collect(),
            audience: self.audience.iter().filter_map(|a| Audience::parse(a)).collect(),
            industries: self.industries.chars().filter(|c| c.is_ascii_alphabetic()).collect(),
            tags: vec![self.tags.clone()].into_iter().filter(|s| !s.is_empty()).collect(),
            review_by: Date::parse(self.review_by.trim()),
            example: false,
        })
    }
}

pub(super) async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "knowledge").await?;
    staff.check_csrf(&form)?;
    let f = EditorForm::read(&form)?;
    if f.wants_check() {
        return edit_page(&state, &staff, "", 0, f.as_typed(), None, true).await;
    }
    match service::create_entry(&state, &Caller::Page(&staff), &f.input()).await {
        Ok(id) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
        Err(e @ AppError::Validation(_)) => {
            edit_page(&state, &staff, "", 0, f.as_typed(), Some(e.to_string()), false).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let e = service::staff_entry(&state, &Caller::Page(&staff), &id).await?;
    edit_page(&state, &staff, &id, e.version, e.text, None, false).await
}

/// Saves a new version through the service (which decides where the entry goes); a refused
/// change shows the entry, bad input the editor again, a newer version by someone else the
/// latest version with the conflict's own message.
pub(super) async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let caller = Caller::Page(&staff);
    service::staff_entry(&state, &caller, &id).await?;
    staff.check_csrf(&form)?;
    let f = EditorForm::read(&form)?;
    // The version the editor was opened on: without it a save could overwrite someone else's
    // newer version unseen, so a form that lacks it is refused, never read as the current one.
    let seen: i64 = f.version.trim().parse().map_err(|_| AppError::BadRequest {
        code: "bad_form",
        message: "表单缺少所编辑的版本，请重新打开编辑页后再保存".into(),
    })?;
    if f.wants_check() {
        return edit_page(&state, &staff, &id, seen, f.as_typed(), None, true).await;
    }
    match service::revise_entry(&state, &caller, &id, Some(seen), &f.input()).await {
        Ok(()) => Ok(Redirect::to(&format!("/knowledge/{id}")).into_response()),
        Err(e @ AppError::Refused { .. }) => detail_page(&state, &staff, &id, Some(e.to_string())).await,
        Err(e @ AppError::Validation(_)) => {
            edit_page(&state, &staff, &id, seen, f.as_typed(), Some(e.to_string()), false).await
        }
        Err(e @ AppError::Conflict(_)) => {
            let latest = state.store.entry(&id).await?;
            edit_page(&state, &staff, &id, latest.version, latest.text, Some(e.to_string()), false).await
        }
        Err(e) => Err(e.into()),
    }
}
