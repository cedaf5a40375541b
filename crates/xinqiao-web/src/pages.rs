//! What every page shares: the layout (see `layout`), rendering, the fallbacks for unknown
//! addresses and methods, and form errors.

use crate::error::AppError;
pub use crate::layout::{Layout, NavItem, Who, error_page, error_page_in};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// Whether this instance is a demo (its pages say so, public ones too).
pub fn demo(state: &crate::AppState) -> bool {
    !state.config.require_admin_totp
}

/// Renders a template into an HTML answer.
pub fn render(t: &impl Template) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Unknown addresses: JSON under `/api/`, the Chinese page elsewhere.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    uri: axum::http::Uri,
) -> Response {
    if uri.path().starts_with("/api/") {
        let e = AppError::BadRequest {
            code: "no_route", message: "没有这个接口，请查阅 /api/openapi.json".into()
        };
        return (StatusCode::NOT_FOUND, crate::error::ApiError(e)).into_response();
    }
    error_page_in(StatusCode::NOT_FOUND, "您要找的页面不存在，请检查地址，或返回首页。", demo(&state))
}

/// A known address asked with the wrong method.
pub async fn method_not_allowed(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::error::ApiError(AppError::MethodNotAllowed).into_response();
    }
    error_page(StatusCode::METHOD_NOT_ALLOWED, "该地址不支持此请求方法。")
}

/// Field messages for a form, looked up by field name in templates.
#[derive(Debug, Default, Clone)]
pub struct FormErrors(pub Vec<xinqiao_domain::FieldError>);

impl FormErrors {
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether `field` has a message (its input then carries `aria-invalid` and points at it).
    pub fn has(&self, field: &str) -> bool {
        self.get(field).is_some()
    }

    /// Messages that belong to no field of the form.
    pub fn general(&self, fields: &[&str]) -> Vec<&str> {
        self.0.iter().filter(|e| !fields.contains(&e.field)).map(|e| e.message.as_str()).collect()
    }
}
