//! The login sequence: password → (TOTP code | TOTP enrolment for administrators) → signed in;
//! and logout. Failures count toward the lockout and are audited; messages never say whether a
//! login name exists.

use super::check::{LoginError, check_password, check_totp, complete, seal_totp_secret, totp_failed};
use super::session::{
    SESSION_COOKIE, Viewer, actor_of, anonymous_csrf, check_anonymous_csrf, clear_cookie, mac_hex, same, set_cookie,
};
use crate::AppState;
use crate::error::{AppError, PageError, PageResult};
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use xinqiao_domain::accounts::needs_second_factor;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::totp;
use xinqiao_store::StoreError;
use xinqiao_store::audit::Event;
use xinqiao_store::sessions::{Completion, Session, Stage};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_page).post(login))
        .route("/login/totp", get(totp_page).post(totp_submit))
        .route("/login/enrol", get(enrol_page).post(enrol_submit))
        .route("/logout", post(logout))
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    layout: Layout,
    csrf: String,
    username: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage {
    layout: Layout,
    csrf: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "enrol.html")]
struct EnrolPage {
    layout: Layout,
    csrf: String,
    secret: String,
    uri: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct LoginQuery {
    expired: Option<String>,
}

fn with_status(status: StatusCode, res: Response) -> Response {
    (status, res).into_response()
}

async fn login_page(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(q): Query<LoginQuery>,
) -> PageResult<Response> {
    if viewer.session.as_ref().is_some_and(|s| s.stage == Stage::Full) {
        return Ok(Redirect::to("/").into_response());
    }
    let (csrf, cookie) = anonymous_csrf(&state, &viewer, "login");
    let notice = (q.expired.is_some() || viewer.expired).then(|| "登录已超时，请重新登录。".to_owned());
    let page = LoginPage {
        layout: Layout::public("登录", !state.config.require_admin_totp).with_notice(notice),
        csrf,
        username: String::new(),
        error: None,
    };
    let mut res = render(&page)?;
    if let Some(cookie) = cookie {
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("ascii"));
    }
    Ok(res)
}

/// The login form.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct LoginForm {
    username: String,
    password: String,
}

/// The second factor's six digits.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct CodeForm {
    code: String,
}

async fn login(State(state): State<AppState>, viewer: Viewer, form: PageForm) -> PageResult<Response> {
    check_anonymous_csrf(&state, &viewer, "login", form.csrf())?;
    let typed: LoginForm = form.typed(&[])?;
    let creds = match check_password(&state, &typed.username, &typed.password, &viewer.addr).await {
        Ok(c) => c,
        Err(e) => {
            let e = e.into_app_error();
            if let AppError::Internal(_) = e {
                return Err(e.into());
            }
            let page = LoginPage {
                layout: Layout::public("登录", !state.config.require_admin_totp),
                csrf: form.csrf().to_owned(),
                username: typed.username.trim().chars().take(64).collect(),
                error: Some(e.to_string()),
            };
            return Ok(e.decorate(with_status(e.status(), render(&page)?)));
        }
    };
    let user = creds.user;
    let (token, to) = if creds.totp_secret.is_some() {
        (state.store.start_session(&user.id, Stage::SecondFactor).await?, "/login/totp")
    } else if needs_second_factor(&user.roles) && state.config.require_admin_totp {
        (state.store.start_session(&user.id, Stage::Enrol).await?, "/login/enrol")
    } else {
        let token = complete(&state, &user, &viewer.addr, Completion::NewSession, "password").await?;
        (token.expect("a new session has a token"), "/")
    };
    let mut res = Redirect::to(to).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, &token).parse().expect("ascii"));
    res.headers_mut().append(header::SET_COOKIE, super::session::staff_hint_cookie(&state).parse().expect("ascii"));
    Ok(res)
}

fn locked_message(until: i64) -> String {
    LoginError::Locked(until).into_app_error().to_string()
}

/// The session in `stage`, or a redirect to where the person belongs.
fn pending(viewer: &Viewer, stage: Stage) -> Result<&Session, PageError> {
    match &viewer.session {
        Some(s) if s.stage == stage => Ok(s),
        Some(s) if s.stage == Stage::Full => Err(PageError::Redirect("/".into())),
        _ => Err(PageError::Redirect("/login".into())),
    }
}

async fn totp_page(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let s = pending(&viewer, Stage::SecondFactor)?;
    let page = TotpPage {
        layout: Layout::public("双因素认证", crate::pages::demo(&state)),
        csrf: s.csrf_token.clone(),
        error: None,
    };
    Ok(render(&page)?)
}

async fn totp_submit(State(state): State<AppState>, viewer: Viewer, form: PageForm) -> PageResult<Response> {
    let s = pending(&viewer, Stage::SecondFactor)?;
    if !same(form.csrf(), &s.csrf_token) {
        return Err(AppError::Csrf.into());
    }
    let locked = |until: Option<i64>| -> Response {
        let message = until.map_or_else(|| AppError::from(StoreError::Locked).to_string(), locked_message);
        let mut res = crate::pages::error_page(StatusCode::LOCKED, &message);
        res.headers_mut().append(header::SET_COOKIE, clear_cookie(&state, SESSION_COOKIE).parse().expect("ascii"));
        res
    };
    let CodeForm { code } = form.typed(&[])?;
    if check_totp(&state, &s.user, &code).await? {
        return match complete(&state, &s.user, &viewer.addr, Completion::Pending(&s.token_hash), "password+totp").await
        {
            Ok(_) => Ok(Redirect::to("/").into_response()),
            Err(AppError::Locked(_)) => {
                state.store.end_session(&s.token_hash).await?;
                Ok(locked(None))
            }
            Err(e) => Err(e.into()),
        };
    }
    if let Some(until) = s.user.locked_until.filter(|u| *u > state.now_ms()) {
        return Ok(locked(Some(until)));
    }
    if let Some(until) = totp_failed(&state, &s.user, &viewer.addr).await? {
        return Ok(locked(Some(until)));
    }
    let page = TotpPage {
        layout: Layout::public("双因素认证", crate::pages::demo(&state)),
        csrf: s.csrf_token.clone(),
        error: Some("动态验证码不正确或已使用，请输入认证器上当前显示的6位数字。".into()),
    };
    Ok(with_status(StatusCode::UNAUTHORIZED, render(&page)?))
}

/// The enrolment secret is derived from the session, so nothing half-enrolled is stored.
fn enrol_secret(state: &AppState, session: &Session) -> Vec<u8> {
    let mac = mac_hex(state, &format!("totp-enrol:{}", session.token_hash));
    (0..20).map(|i| u8::from_str_radix(&mac[2 * i..2 * i + 2], 16).unwrap_or(0)).collect()
}

fn enrol_view(state: &AppState, s: &Session, error: Option<String>) -> EnrolPage {
    let key = enrol_secret(state, s);
    let secret = totp::encode_secret(&key)
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    EnrolPage {
        layout: Layout::public("绑定动态验证码", crate::pages::demo(state)),
        csrf: s.csrf_token.clone(),
        uri: totp::provisioning_uri("心桥", &s.user.username, &key),
        secret,
        error,
    }
}

async fn enrol_page(State(state): State<AppState>, viewer: Viewer) -> PageResult<Response> {
    let s = pending(&viewer, Stage::Enrol)?;
    Ok(render(&enrol_view(&state, s, None))?)
}

async fn enrol_submit(State(state): State<AppState>, viewer: Viewer, form: PageForm) -> PageResult<Response> {
    let s = pending(&viewer, Stage::Enrol)?;
    if !same(form.csrf(), &s.csrf_token) {
        return Err(AppError::Csrf.into());
    }
    let key = enrol_secret(&state, s);
    let CodeForm { code } = form.typed(&[])?;
    let Some(step) = totp::verify(&key, &code, (state.now_ms() / 1000) as u64, None) else {
        let page =
            enrol_view(&state, s, Some("验证码不正确，请确认认证器已添加上面的密钥，并输入当前显示的6位数字。".into()));
        return Ok(with_status(StatusCode::UNPROCESSABLE_ENTITY, render(&page)?));
    };
    let actor = actor_of(&s.user, &viewer.addr);
    let sealed = seal_totp_secret(&state, &s.user.id, &key);
    state.store.set_totp_secret(&actor, &s.user.id, Some(&sealed)).await?;
    state.store.consume_totp_step(&s.user.id, step as i64).await?;
    complete(&state, &s.user, &viewer.addr, Completion::Pending(&s.token_hash), "password+totp").await?;
    Ok(Redirect::to("/").into_response())
}

async fn logout(State(state): State<AppState>, viewer: Viewer, form: PageForm) -> PageResult<Response> {
    if let Some(s) = &viewer.session {
        if !same(form.csrf(), &s.csrf_token) {
            return Err(AppError::Csrf.into());
        }
        state.store.end_session(&s.token_hash).await?;
        let event = Event::new("auth.logout", format!("user:{}", s.user.id), Outcome::Success);
        state.store.audit(&viewer.actor(), event).await?;
    }
    let mut res = Redirect::to("/login").into_response();
    res.headers_mut().append(header::SET_COOKIE, clear_cookie(&state, SESSION_COOKIE).parse().expect("ascii"));
    res.headers_mut().append(header::SET_COOKIE, super::session::staff_hint_cookie(&state).parse().expect("ascii"));
    Ok(res)
}
