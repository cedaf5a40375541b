//! The case page's actions area: which actions cannot be undone and so ask for confirmation
//! first (a second page without script, a dialog with it), the confirmation page, and the
//! message shown after an action succeeded.

use super::view::action_code;
use crate::error::AppError;
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::response::Response;
use xinqiao_domain::cases::ActionKind;

/// Actions that cannot be undone: 办结, 不予受理, 不予立案, 合并 and 移送.
pub fn irreversible(code: &str) -> bool {
    matches!(code, "close" | "reject" | "decline" | "merge" | "transfer")
}

/// The message after `code` succeeded (`/cases/{id}?done=code`), for a known action.
pub fn done_message(code: &str) -> Option<String> {
    match code {
        "close_request" => return Some("已提交办结申请，待主管审核。".into()),
        "closure_approved" => return Some("已批准办结。".into()),
        "closure_returned" => return Some("已退回办结申请，承办人可继续办理。".into()),
        _ => {}
    }
    ActionKind::ALL.into_iter().find(|a| action_code(*a) == code).map(|a| format!("已完成：{}。", a.label()))
}

/// A field carried over to the confirmation's form.
pub struct Carried {
    name: String,
    value: String,
}

#[derive(Template)]
#[template(path = "cases/confirm.html")]
struct ConfirmPage {
    layout: Layout,
    id: String,
    code: String,
    label: &'static str,
    /// What was chosen, in words, to read before confirming.
    chosen: Vec<(String, String)>,
    carried: Vec<Carried>,
}

/// The confirmation page of an irreversible action on case `id` (shown as `code`): what was
/// chosen, 确认 (the same form again, confirmed) and 返回 (nothing done).
pub fn confirm_page(
    layout: Layout,
    id: &str,
    code: &str,
    action: &str,
    form: &PageForm,
    chosen: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let label = ActionKind::ALL.into_iter().find(|a| action_code(*a) == action).map_or("操作", |a| a.label());
    let carried = form
        .0
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "confirmed"))
        .map(|(k, v)| Carried { name: k.clone(), value: v.clone() })
        .collect();
    let mut layout = layout;
    layout.title = format!("确认{label}");
    let page = ConfirmPage { layout, id: id.to_owned(), code: code.to_owned(), label, chosen, carried };
    render(&page)
}
