//! 办事指引 (public, no sign-in): a few questions — or a sentence such as “我要开一家小餐馆，只卖
//! 自制饮品” read for them — give a personal checklist of procedures and materials (core or
//! deferrable), forms, photo rules and time limits, and a one-page flow chart that prints well
//! (print styles in app.css; a large-type option). The rules are data in the domain, each with
//! its source; unverified ones are said to be so.

use crate::AppState;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::sync::OnceLock;
use xinqiao_domain::guide::{Answers, Checklist, Food, Form, Guide, Matter};

pub fn router() -> Router<AppState> {
    Router::new().route("/guide", get(page))
}

fn guide() -> &'static Guide {
    static GUIDE: OnceLock<Guide> = OnceLock::new();
    GUIDE.get_or_init(Guide::builtin)
}

#[derive(Debug, Default, Deserialize)]
struct Asked {
    text: Option<String>,
    matter: Option<String>,
    form: Option<String>,
    food: Option<String>,
    large: Option<String>,
}

/// Reads the answers: the chosen options, else what the sentence implies; nothing asked yet: none.
fn answers(q: &Asked) -> Result<Option<Answers>, AppError> {
    let chosen = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    let text = chosen(&q.text).unwrap_or_default();
    if text.chars().count() > 200 {
        return Err(AppError::field("text", "too_long", "请用一句话（200字以内）说明要办的事"));
    }
    let (matter, form, food) = (chosen(&q.matter), chosen(&q.form), chosen(&q.food));
    if text.is_empty() && matter.is_none() {
        return Ok(None);
    }
    let mut a = Answers::from_words(&text);
    if let Some(m) = matter {
        a.matter = Matter::parse(&m).ok_or_else(|| AppError::field("matter", "invalid", "请选择要办的事"))?;
    }
    if let Some(f) = form {
        a.form = Form::parse(&f).ok_or_else(|| AppError::field("form", "invalid", "请选择主体类型"))?;
    }
    if let Some(f) = food {
        a.food = Food::parse(&f).ok_or_else(|| AppError::field("food", "invalid", "请选择是否经营食品"))?;
    }
    Ok(Some(a))
}

#[derive(Template)]
#[template(path = "guide.html")]
struct GuidePage<'a> {
    layout: Layout,
    text: String,
    large: bool,
    answers: Option<Answers>,
    list: Option<Checklist<'a>>,
    matters: Vec<(&'static str, &'static str)>,
    forms: Vec<(&'static str, &'static str)>,
    foods: Vec<(&'static str, &'static str)>,
    error: Option<String>,
}

impl GuidePage<'_> {
    fn picked(&self, which: &str, code: &str) -> bool {
        self.answers.is_some_and(|a| match which {
            "matter" => a.matter.code() == code,
            "form" => a.form.code() == code,
            _ => a.food.code() == code,
        })
    }
}

async fn page(State(state): State<AppState>, Query(q): Query<Asked>) -> PageResult<Response> {
    let (answers, error) = match answers(&q) {
        Ok(a) => (a, None),
        Err(e) => (None, Some(e)),
    };
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let page = GuidePage {
        layout: Layout::public("办事指引", !state.config.require_admin_totp),
        text: q.text.clone().unwrap_or_default().chars().take(200).collect(),
        large: q.large.as_deref().is_some_and(|v| !v.is_empty()),
        list: answers.map(|a| guide().checklist(a, state.today())),
        answers,
        matters: Matter::ALL.iter().map(|m| (m.code(), m.label())).collect(),
        forms: Form::ALL.iter().map(|m| (m.code(), m.label())).collect(),
        foods: Food::ALL.iter().map(|m| (m.code(), m.label())).collect(),
        error: error.map(|e| e.to_string()),
    };
    Ok((status, render(&page)?).into_response())
}
