//! The bureau hierarchy (系统管理员): list the organisations and add one under its parent.

use super::service::CreateOrg;
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use xinqiao_domain::accounts::Permission;
use xinqiao_store::orgs::Org;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin/orgs", get(list).post(create))
}

pub struct OrgRow {
    pub region_code: String,
    pub name: String,
    pub parent: String,
    pub depth: usize,
}

fn rows(orgs: &[Org]) -> Vec<OrgRow> {
    let name_of = |id: &Option<String>| {
        id.as_ref()
            .and_then(|pid| orgs.iter().find(|o| &o.id == pid))
            .map_or_else(|| "—".to_owned(), |o| o.name.clone())
    };
    let depth_of = |o: &Org| {
        let mut depth = 0;
        let mut parent = o.parent_id.clone();
        while let Some(p) = parent.filter(|_| depth < 8) {
            depth += 1;
            parent = orgs.iter().find(|x| x.id == p).and_then(|x| x.parent_id.clone());
        }
        depth
    };
    orgs.iter()
        .map(|o| OrgRow {
            region_code: o.region_code.clone(),
            name: o.name.clone(),
            parent: name_of(&o.parent_id),
            depth: depth_of(o),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/orgs.html")]
struct OrgsPage {
    layout: Layout,
    orgs: Vec<OrgRow>,
    parents: Vec<(String, String)>,
    can_create: bool,
    code: String,
    name: String,
    errors: FormErrors,
}

async fn view(state: &AppState, staff: &Staff, code: &str, name: &str, errors: FormErrors) -> PageResult<Response> {
    let orgs = state.store.list_orgs().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OrgsPage {
        layout: Layout::staff("机构", staff.user(), staff.csrf(), "/admin/orgs", !state.config.require_admin_totp),
        parents: orgs.iter().map(|o| (o.id.clone(), format!("{}（{}）", o.name, o.region_code))).collect(),
        orgs: rows(&orgs),
        can_create: staff.can(Permission::ManageSettings),
        code: code.to_owned(),
        name: name.to_owned(),
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::ListUsers, "orgs").await?;
    view(&state, &staff, "", "", FormErrors::default()).await
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ManageSettings, "orgs").await?;
    staff.check_csrf(&form)?;
    let input: CreateOrg = form.typed(&[])?;
    let (code, name) = (input.region_code.clone(), input.name.clone());
    match super::service::create_org(&state, &Caller::Page(&staff), input).await {
        Ok(_) => Ok(Redirect::to("/admin/orgs").into_response()),
        Err(AppError::Validation(f)) => view(&state, &staff, &code, &name, FormErrors(f)).await,
        Err(e) => Err(e.into()),
    }
}
