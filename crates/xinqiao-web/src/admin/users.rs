//! Account administration: list, create, roles, organisation, disable/enable, password reset,
//! second-factor reset.

use super::service::{self, CreateUser, UpdateUser};
use crate::AppState;
use crate::auth::{Staff, policy};
use crate::caller::Caller;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::{Permission, Role, allows};
use xinqiao_domain::time::format_cst;
use xinqiao_store::orgs::Org;
use xinqiao_store::users::User;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(list).post(create))
        .route("/admin/users/new", get(new_form))
        .route("/admin/users/{id}", get(detail))
        .route("/admin/users/{id}/roles", post(set_roles))
        .route("/admin/users/{id}/org", post(set_org))
        .route("/admin/users/{id}/disable", post(disable))
        .route("/admin/users/{id}/enable", post(enable))
        .route("/admin/users/{id}/password", post(reset_password))
        .route("/admin/users/{id}/totp-reset", post(reset_totp))
}

fn demo(state: &AppState) -> bool {
    !state.config.require_admin_totp
}

/// A user row as the pages show it.
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub org: String,
    pub roles: String,
    pub status: &'static str,
    pub totp: bool,
    pub created: String,
}

impl UserRow {
    /// The row for `u` as of `now_ms` (a lock that has run out is not shown).
    pub fn of(u: &User, now_ms: i64) -> Self {
        let locked = u.locked_until.is_some_and(|t| t > now_ms);
        Self {
            id: u.id.clone(),
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            org: u.org_name.clone().unwrap_or_else(|| "—".into()),
            roles: u.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、"),
            status: if u.disabled {
                "已停用"
            } else if locked {
                "已锁定"
            } else {
                "正常"
            },
            totp: u.totp_enabled,
            created: format_cst(u.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct ListPage {
    layout: Layout,
    users: Vec<UserRow>,
    can_create: bool,
}

async fn list(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    let users = service::list(&state, &Caller::Page(&staff)).await?;
    let page = ListPage {
        layout: Layout::staff("用户管理", staff.user(), staff.csrf(), "/admin/users", demo(&state)),
        users: users.iter().map(|u| UserRow::of(u, state.now_ms())).collect(),
        can_create: staff.can(Permission::ManageUsers),
    };
    Ok(render(&page)?)
}

/// A role check box.
pub struct RoleChoice {
    pub code: &'static str,
    pub label: &'static str,
    pub checked: bool,
}

/// The roles `actor_roles` may hand out: all for 安全管理员, business roles for 系统管理员.
fn grantable(actor_roles: &[Role], checked: &[Role]) -> Vec<RoleChoice> {
    Role::ALL
        .into_iter()
        .filter(|r| allows(actor_roles, Permission::GrantRoles) || !r.is_admin())
        .map(|r| RoleChoice { code: r.code(), label: r.label(), checked: checked.contains(&r) })
        .collect()
}

pub struct OrgChoice {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

fn org_choices(orgs: &[Org], selected: Option<&str>) -> Vec<OrgChoice> {
    orgs.iter()
        .map(|o| OrgChoice {
            id: o.id.clone(),
            label: format!("{}（{}）", o.name, o.region_code),
            selected: selected == Some(o.id.as_str()),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "admin/user_new.html")]
struct NewPage {
    layout: Layout,
    roles: Vec<RoleChoice>,
    orgs: Vec<OrgChoice>,
    username: String,
    display_name: String,
    uscc: String,
    errors: FormErrors,
    min_len: u32,
}

async fn new_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::ManageUsers, "users").await?;
    let orgs = state.store.list_orgs().await?;
    let page = NewPage {
        layout: Layout::staff("新建用户", staff.user(), staff.csrf(), "/admin/users", demo(&state)),
        roles: grantable(&staff.user().roles, &[]),
        orgs: org_choices(&orgs, None),
        username: String::new(),
        display_name: String::new(),
        uscc: String::new(),
        errors: FormErrors::default(),
        min_len: policy(&state).await.min_password_len,
    };
    Ok(render(&page)?)
}

async fn create(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::ManageUsers, "users").await?;
    staff.check_csrf(&form)?;
    let input: CreateUser = form.typed(&["roles"])?;
    let mut errors = Vec::new();
    match service::create(&state, &Caller::Page(&staff), input.clone()).await {
        Ok(user) => return Ok(Redirect::to(&format!("/admin/users/{}?created=1", user.id)).into_response()),
        Err(AppError::Validation(f)) => errors.extend(f),
        Err(AppError::Conflict(m)) => errors.push(FieldError::new("username", "taken", m)),
        Err(other) => return Err(other.into()),
    }
    let orgs = state.store.list_orgs().await?;
    let checked: Vec<Role> = input.roles.iter().filter_map(|r| Role::parse(r).ok()).collect();
    let page = NewPage {
        layout: Layout::staff("新建用户", staff.user(), staff.csrf(), "/admin/users", demo(&state)),
        roles: grantable(&staff.user().roles, &checked),
        orgs: org_choices(&orgs, input.org_id.as_deref()),
        username: input.username,
        display_name: input.display_name,
        uscc: input.uscc.unwrap_or_default(),
        errors: FormErrors(errors),
        min_len: policy(&state).await.min_password_len,
    };
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
}

#[derive(Template)]
#[template(path = "admin/user_edit.html")]
struct DetailPage {
    layout: Layout,
    user: UserRow,
    uscc: String,
    disabled: bool,
    roles: Vec<RoleChoice>,
    orgs: Vec<OrgChoice>,
    can_roles: bool,
    can_manage: bool,
    can_reset_totp: bool,
    is_self: bool,
    errors: FormErrors,
}

async fn detail_view(
    state: &AppState,
    staff: &Staff,
    id: &str,
    notice: Option<String>,
    errors: FormErrors,
) -> PageResult<Response> {
    let user = state.store.user(id).await?;
    let orgs = state.store.list_orgs().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = DetailPage {
        layout: Layout::staff("用户详情", staff.user(), staff.csrf(), "/admin/users", demo(state)).with_notice(notice),
        user: UserRow::of(&user, state.now_ms()),
        uscc: user.uscc.clone().unwrap_or_default(),
        disabled: user.disabled,
        roles: grantable(&staff.user().roles, &user.roles),
        orgs: org_choices(&orgs, user.org_id.as_deref()),
        can_roles: staff.can(Permission::GrantRoles) || staff.can(Permission::ManageUsers),
        can_manage: staff.can(Permission::ManageUsers),
        can_reset_totp: staff.can(Permission::ManageSecurityPolicy) && user.totp_enabled,
        is_self: user.id == staff.user().id,
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::RawQuery(q): axum::extract::RawQuery,
) -> PageResult<Response> {
    staff.require(&state, Permission::ListUsers, "users").await?;
    let notice = q.filter(|q| q.contains("created=1")).map(|_| "用户已创建。首次登录时须修改初始密码。".to_owned());
    detail_view(&state, &staff, &id, notice, FormErrors::default()).await
}

/// Shows the account again after a change, with its outcome.
async fn change_shown(
    state: &AppState,
    staff: &Staff,
    id: &str,
    done: &str,
    result: Result<(), AppError>,
) -> PageResult<Response> {
    match result {
        Ok(()) => detail_view(state, staff, id, Some(done.to_owned()), FormErrors::default()).await,
        Err(AppError::Validation(f)) => detail_view(state, staff, id, None, FormErrors(f)).await,
        Err(e) => Err(e.into()),
    }
}

/// The roles form: the ticked role codes.
#[derive(Deserialize)]
struct RolesForm {
    roles: Vec<String>,
}

/// The organisation form (empty: none).
#[derive(Deserialize)]
struct OrgForm {
    #[serde(default)]
    org_id: String,
}

/// The temporary password form.
#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

/// Applies one change through the service and shows the account again.
async fn update(state: &AppState, staff: &Staff, id: &str, done: &str, change: UpdateUser) -> PageResult<Response> {
    let result = service::update(state, &Caller::Page(staff), id, change).await.map(|_| ());
    change_shown(state, staff, id, done, result).await
}

async fn set_roles(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let f: RolesForm = form.typed(&["roles"])?;
    update(&state, &staff, &id, "角色已更新。", UpdateUser { roles: Some(f.roles), ..Default::default() }).await
}

async fn set_org(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let f: OrgForm = form.typed(&[])?;
    update(&state, &staff, &id, "所属机构已更新。", UpdateUser { org_id: Some(f.org_id), ..Default::default() }).await
}

async fn toggle(state: AppState, staff: Staff, id: String, form: PageForm, disabled: bool) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let done = if disabled { "账户已停用，其会话与令牌均已失效。" } else { "账户已启用。" };
    update(&state, &staff, &id, done, UpdateUser { disabled: Some(disabled), ..Default::default() }).await
}

async fn disable(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    toggle(state, staff, id, form, true).await
}

async fn enable(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    toggle(state, staff, id, form, false).await
}

async fn reset_password(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let f: PasswordForm = form.typed(&[])?;
    let result = service::reset_password(&state, &Caller::Page(&staff), &id, &f.password).await;
    change_shown(&state, &staff, &id, "已设置临时密码，该用户下次登录时须修改。", result).await
}

async fn reset_totp(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let result = service::reset_totp(&state, &Caller::Page(&staff), &id).await;
    change_shown(&state, &staff, &id, "动态验证码已重置，该用户下次登录时须重新绑定。", result).await
}
