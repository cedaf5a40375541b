//! Who is asking: the session cookie, its lookup, the CSRF checks and the permission gate that
//! every staff page passes through.

use crate::AppState;
use crate::error::{AppError, PageError};
use crate::extract::{ClientAddr, PageForm};
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use xinqiao_domain::accounts::{Permission, SecurityPolicy, allows};
use xinqiao_domain::audit::Outcome;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::sessions::{Lookup, Session, Stage};
use xinqiao_store::settings::SECURITY_POLICY;
use xinqiao_store::users::User;

pub const SESSION_COOKIE: &str = "xq_session";
/// The anonymous cookie that the login form's CSRF token is bound to.
pub const PRE_COOKIE: &str = "xq_pre";

/// The security policy in force (the 安全管理员's, or the built-in default).
pub async fn policy(state: &AppState) -> SecurityPolicy {
    state.store.setting(SECURITY_POLICY).await.ok().flatten().unwrap_or_default()
}

pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 128)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, whole site, `Secure` when configured.
pub fn set_cookie(state: &AppState, name: &str, value: &str) -> String {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{secure}")
}

pub fn clear_cookie(state: &AppState, name: &str) -> String {
    format!("{}; Max-Age=0", set_cookie(state, name, ""))
}

/// Constant-time equality for tokens.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// HMAC-SHA256 of `data` under the session key, hex.
pub fn mac_hex(state: &AppState, data: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&state.secrets.session_key_bytes()).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// A CSRF token for a form shown to someone not signed in, bound to their anonymous cookie
/// and to the form's `purpose`. Returns the token and, for a browser without the cookie yet, the
/// `Set-Cookie` value to send along.
pub fn anonymous_csrf(state: &AppState, viewer: &Viewer, purpose: &str) -> (String, Option<String>) {
    match &viewer.pre {
        Some(pre) => (mac_hex(state, &format!("{purpose}:{pre}")), None),
        None => {
            let pre: String = xinqiao_store::random_bytes::<16>().iter().map(|b| format!("{b:02x}")).collect();
            (mac_hex(state, &format!("{purpose}:{pre}")), Some(set_cookie(state, PRE_COOKIE, &pre)))
        }
    }
}

/// Checks a token made by `anonymous_csrf` for the same purpose.
pub fn check_anonymous_csrf(state: &AppState, viewer: &Viewer, purpose: &str, token: &str) -> Result<(), AppError> {
    match &viewer.pre {
        Some(pre) if same(token, &mac_hex(state, &format!("{purpose}:{pre}"))) => Ok(()),
        _ => Err(AppError::Csrf),
    }
}

/// Whoever is asking, signed in or not, with their session in whatever stage it is.
pub struct Viewer {
    pub session: Option<Session>,
    pub expired: bool,
    pub addr: String,
    /// The anonymous cookie's value, when the browser sent one.
    pub pre: Option<String>,
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ClientAddr(addr) =
            ClientAddr::from_request_parts(parts, state).await.unwrap_or(ClientAddr("unknown".into()));
        let pre = cookie(parts, PRE_COOKIE);
        let (session, expired) = match cookie(parts, SESSION_COOKIE) {
            None => (None, false),
            Some(token) => {
                let idle = policy(state).await.idle_timeout_ms();
                match state.store.session(&token, idle).await? {
                    Lookup::Live(s) => (Some(*s), false),
                    Lookup::Expired => (None, true),
                    Lookup::Missing => (None, false),
                }
            }
        };
        Ok(Viewer { session, expired, addr, pre })
    }
}

impl Viewer {
    pub fn actor(&self) -> Actor {
        match &self.session {
            Some(s) => actor_of(&s.user, &self.addr),
            None => Actor::anonymous("", &self.addr),
        }
    }
}

pub fn actor_of(user: &User, addr: &str) -> Actor {
    Actor { id: user.id.clone(), name: user.username.clone(), roles: user.roles.clone(), client_addr: addr.to_owned() }
}

/// A fully signed-in person (password and, where required, second factor). Pages that need one
/// send everyone else to the login page; someone who must change a password goes there first.
pub struct Staff {
    pub session: Session,
    pub addr: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let viewer = Viewer::from_request_parts(parts, state).await?;
        let Some(session) = viewer.session else {
            return Err(PageError::App(if viewer.expired { AppError::SessionExpired } else { AppError::Unauthorized }));
        };
        match session.stage {
            Stage::Full => {}
            Stage::SecondFactor => return Err(PageError::Redirect("/login/totp".into())),
            Stage::Enrol => return Err(PageError::Redirect("/login/enrol".into())),
        }
        let path = parts.uri.path();
        if session.user.must_change_password && path != "/account/password" && path != "/logout" {
            return Err(PageError::Redirect("/account/password".into()));
        }
        Ok(Staff { session, addr: viewer.addr })
    }
}

impl Staff {
    pub fn user(&self) -> &User {
        &self.session.user
    }

    pub fn actor(&self) -> Actor {
        actor_of(&self.session.user, &self.addr)
    }

    pub fn csrf(&self) -> &str {
        &self.session.csrf_token
    }

    pub fn can(&self, perm: Permission) -> bool {
        allows(&self.session.user.roles, perm)
    }

    /// Lets the request through when the roles allow `perm`; otherwise records the refusal in
    /// the audit trail and answers 403.
    pub async fn require(&self, state: &AppState, perm: Permission, target: &str) -> Result<(), AppError> {
        if self.can(perm) {
            return Ok(());
        }
        let event = Event::new("access.denied", target, Outcome::Denied)
            .detail(serde_json::json!({"permission": format!("{perm:?}")}));
        state.store.audit(&self.actor(), event).await?;
        Err(AppError::forbidden())
    }

    /// Refuses a request that the roles would allow but the case at hand does not (not on the
    /// inspection team, say): recorded like any refusal, answered 403 with `why`.
    pub async fn deny(&self, state: &AppState, target: &str, why: &str) -> Result<(), AppError> {
        let event = Event::new("access.denied", target, Outcome::Denied).detail(serde_json::json!({"reason": why}));
        state.store.audit(&self.actor(), event).await?;
        Err(AppError::Forbidden(why.to_owned()))
    }

    /// Checks the form's CSRF token against the session's.
    pub fn check_csrf(&self, form: &PageForm) -> Result<(), AppError> {
        self.check_csrf_token(form.csrf())
    }

    /// The CSRF check for a typed form's `csrf` field.
    pub fn check_csrf_token(&self, token: &str) -> Result<(), AppError> {
        if same(token, &self.session.csrf_token) { Ok(()) } else { Err(AppError::Csrf) }
    }
}

/// Set when someone signs in or out in this browser, so that `/` brings them back to the
/// sign-in page rather than the public home. Carries nothing but "1".
pub const STAFF_HINT_COOKIE: &str = "xq_staff";

/// The hint's `Set-Cookie` value: a year, whole site, HttpOnly.
pub fn staff_hint_cookie(state: &AppState) -> String {
    let secure = if state.config.cookie_secure { "; Secure" } else { "" };
    format!("{STAFF_HINT_COOKIE}=1; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax{secure}")
}
