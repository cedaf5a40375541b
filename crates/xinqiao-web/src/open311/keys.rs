//! The Open311 keys page (系统管理员): the keys issued per bureau, issue one (the key is shown
//! once, only its hash is kept) and revoke one. Typed forms; the service decides and audits.

use super::service::{self, KeyAdmin, KeyRow};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::TypedForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::time::format_cst;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/open311", get(list).post(issue)).route("/admin/open311/{id}/revoke", post(revoke))
}

#[derive(Debug, Deserialize)]
struct IssueForm {
    csrf: String,
    org_id: String,
    label: String,
}

#[derive(Debug, Deserialize)]
struct RevokeForm {
    csrf: String,
}

struct Shown {
    id: String,
    bureau: String,
    label: String,
    prefix: String,
    created: String,
    revoked: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/open311.html")]
struct KeysPage {
    layout: Layout,
    keys: Vec<Shown>,
    bureaus: Vec<(String, String)>,
    issued: Option<(String, String)>,
    errors: FormErrors,
}

async fn view(
    state: &AppState,
    staff: &Staff,
    admin: &KeyAdmin,
    issued: Option<(String, String)>,
    errors: FormErrors,
) -> PageResult<Response> {
    let keys = service::keys(&state.store, admin).await?;
    let bureaus = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| (o.id, format!("{}（{}）", o.name, o.region_code)))
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = KeysPage {
        layout: Layout::staff(
            "Open311 接口密钥",
            staff.user(),
            staff.csrf(),
            "/admin/open311",
            !state.config.require_admin_totp,
        ),
        keys: keys
            .into_iter()
            .map(|KeyRow { key, bureau }| Shown {
                id: key.id,
                bureau,
                label: key.label,
                prefix: key.prefix,
                created: format_cst(key.created_at),
                revoked: key.revoked_at.map(format_cst),
            })
            .collect(),
        bureaus,
        issued,
        errors,
    };
    Ok((status, [("cache-control", "no-store")], render(&page)?).into_response())
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let admin = KeyAdmin::authorise(&state, &Caller::Page(&staff)).await?;
    view(&state, &staff, &admin, None, FormErrors::default()).await
}

async fn issue(
    State(state): State<AppState>,
    staff: Staff,
    TypedForm(form): TypedForm<IssueForm>,
) -> PageResult<Response> {
    let admin = KeyAdmin::authorise(&state, &Caller::Page(&staff)).await?;
    staff.check_csrf_token(&form.csrf)?;
    match service::issue_key(&state.store, &admin, &form.org_id, &form.label).await {
        Ok(issued) => {
            view(&state, &staff, &admin, Some((issued.key.label, issued.secret)), FormErrors::default()).await
        }
        Err(AppError::Validation(f)) => view(&state, &staff, &admin, None, FormErrors(f)).await,
        Err(e) => Err(e.into()),
    }
}

async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    TypedForm(form): TypedForm<RevokeForm>,
) -> PageResult<Response> {
    let admin = KeyAdmin::authorise(&state, &Caller::Page(&staff)).await?;
    staff.check_csrf_token(&form.csrf)?;
    service::revoke_key(&state.store, &admin, &id).await?;
    Ok(Redirect::to("/admin/open311").into_response())
}
