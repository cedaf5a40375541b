//! One error type for the web layer, mapped to a status and a stable code in one place. The API
//! answers `{"error":{"code","message","fields"?}}`; pages answer a Chinese error page (or a
//! redirect to the login page). 500s are logged with their cause and answered opaquely. When the
//! database cannot take the request for now (a full disk, PostgreSQL away) the answer is 503 with
//! `Retry-After`, and the response carries the outage for `/readyz` (see `health`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;
use xinqiao_domain::FieldError;
use xinqiao_store::conflict::{
    AccountConflict, CaseConflict, InspectionConflict, KnowledgeConflict, OrgConflict, QualificationConflict,
    WarningConflict,
};
use xinqiao_store::{Conflict, Outage, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("请先登录")]
    Unauthorized,
    #[error("登录已超时，请重新登录")]
    SessionExpired,
    #[error("用户名或密码错误。若确认无误仍不能登录，账户可能已被暂时锁定，请稍后再试或联系管理员。")]
    BadCredentials,
    #[error("{0}")]
    SecondFactor(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("页面或记录不存在")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error("{}", validation_message(.0))]
    Validation(Vec<FieldError>),
    #[error("{message}")]
    BadRequest { code: &'static str, message: String },
    /// A refusal a feature names with its own typed code (a ledger conflict, say): 404 or 409.
    #[error("{message}")]
    Refused { status: u16, code: &'static str, message: String },
    #[error("提交的内容过大")]
    PayloadTooLarge,
    #[error("该地址不支持此请求方法")]
    MethodNotAllowed,
    /// The body's content type is not the one the address takes (named in the message).
    #[error("请求格式不受支持，请使用 {0}")]
    UnsupportedMediaType(&'static str),
    #[error("表单已失效（CSRF 校验失败），请刷新页面后重试")]
    Csrf,
    #[error("{0}")]
    Locked(String),
    /// Too many requests from this client (or sign-in attempts for this name from it).
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    /// Nothing was stored; the same request may succeed later.
    #[error("{}", .0.message())]
    Unavailable(Outage),
    #[error("服务器内部错误，请稍后再试")]
    Internal(String),
}

/// One field error speaks for itself; several get a summary (each is in `fields`).
fn validation_message(fields: &[FieldError]) -> String {
    match fields {
        [one] => one.message.clone(),
        _ => "提交的内容有误，请按提示修改".into(),
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthorized
            | AppError::SessionExpired
            | AppError::BadCredentials
            | AppError::SecondFactor(_) => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Refused { status, .. } => StatusCode::from_u16(*status).unwrap_or(StatusCode::CONFLICT),
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Locked(_) => StatusCode::LOCKED,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthorized => "unauthorized",
            AppError::SessionExpired => "session_expired",
            AppError::BadCredentials => "bad_credentials",
            AppError::SecondFactor(_) => "second_factor",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict(_) => "conflict",
            AppError::Validation(_) => "validation",
            AppError::BadRequest { code, .. } => code,
            AppError::Refused { code, .. } => code,
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::MethodNotAllowed => "method_not_allowed",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Csrf => "csrf",
            AppError::Locked(_) => "account_locked",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Unavailable(o) => o.code(),
            AppError::Internal(_) => "internal",
        }
    }

    pub fn forbidden() -> Self {
        AppError::Forbidden("您的角色无权执行此操作".into())
    }

    pub fn field(field: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, code, message)])
    }

    /// Field errors, if this is a validation error.
    pub fn fields(&self) -> &[FieldError] {
        match self {
            AppError::Validation(f) => f,
            _ => &[],
        }
    }

    fn log(&self) {
        match self {
            AppError::Internal(cause) => tracing::error!(%cause, "internal error"),
            AppError::Unavailable(o) => tracing::warn!(outage = o.code(), "database unavailable: answered 503"),
            _ => {}
        }
    }

    /// Seconds a client should wait before trying again (503s and 429s).
    fn retry_after(&self) -> Option<u64> {
        match self {
            AppError::Unavailable(Outage::Busy) => Some(2),
            AppError::Unavailable(Outage::Unreachable) => Some(5),
            AppError::Unavailable(_) => Some(30),
            AppError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    /// Adds what the answer carries beyond status and body: `Retry-After`, and for a 503 the
    /// outage for the request tracker.
    pub fn decorate(&self, mut response: Response) -> Response {
        if let Some(secs) = self.retry_after() {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        if let AppError::Unavailable(outage) = self {
            response.extensions_mut().insert(*outage);
        }
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Locked => AppError::Locked("连续登录失败次数过多，账户已锁定，请稍后再试。".into()),
            StoreError::Conflict(c) => AppError::Conflict(conflict_message(&c).into()),
            StoreError::Invalid(f) => AppError::Validation(vec![f]),
            StoreError::Refused(r) => AppError::Forbidden(r.to_string()),
            StoreError::Unavailable(o) => AppError::Unavailable(o),
            other => AppError::Internal(other.to_string()),
        }
    }
}

/// What people are told when the store refused a change because it found another state: one
/// sentence per typed conflict, here and nowhere else.
pub fn conflict_message(c: &Conflict) -> &'static str {
    match c {
        Conflict::Case(c) => match c {
            CaseConflict::ChangedMeanwhile => "该诉求已被他人先行处理，请刷新后再试",
            CaseConflict::NotAllowed => "该诉求当前状态下不能进行此操作，请刷新后再试",
            CaseConflict::Closed => "诉求已办结，不能再补充材料",
            CaseConflict::PauseState => "期限已处于暂停状态，或当前没有可恢复的暂停，请刷新后再试",
            CaseConflict::MergeTarget => "只能合并到另一件尚未办结的举报，请核对后再试",
            CaseConflict::AlreadyRated => "该诉求已评价过，或尚未办结",
            CaseConflict::TooManyFiles => "附件数量已达上限，不能再添加",
            CaseConflict::MaskingConfirmed => "脱敏结果已确认过",
            CaseConflict::NoOpenProposal => "当前没有待答复的和解方案，请刷新后再试",
            CaseConflict::AlreadyRecused => "您已申请回避该诉求",
            CaseConflict::OverrideGranted => "该诉求已批准过例外承办",
            CaseConflict::AlreadyInOdr => "该企业已在先行和解名单中",
            CaseConflict::ClosurePending => "该诉求的办结申请正在等待主管审核",
            CaseConflict::NoPendingClosure => "该诉求没有待审核的办结申请，可能已被他人审核，请刷新后再试",
        },
        Conflict::Knowledge(c) => match c {
            KnowledgeConflict::VersionChanged => "该条目已被他人保存了新版本，请刷新后再改",
            KnowledgeConflict::StatusChanged => "该条目的状态已被他人改变，请刷新后再试",
        },
        Conflict::Qualification(c) => match c {
            QualificationConflict::AssessmentClosed => "该评估已结束，不能再修改",
            QualificationConflict::AlreadyAppealed => "该评定已提出过申诉",
            QualificationConflict::TestSubmitted => "答卷已提交（或考试尚未开始），不能重复提交",
            QualificationConflict::PanelDrawn => "评审组已抽取",
            QualificationConflict::NotOnPanel => "您不是该评估评审组的成员",
            QualificationConflict::FrameworkVersionTaken => "该框架版本号已使用，请换一个新的版本号",
            QualificationConflict::CertificateNumberTaken => "证书编号冲突，请重试",
            QualificationConflict::ReinstatementPending => "已有主管提出恢复，请刷新后由另一位主管确认",
        },
        Conflict::Inspection(c) => match c {
            InspectionConflict::AlreadyDrawn => "该抽查任务已抽取，不能重复抽取",
            InspectionConflict::ResultsPublished => "抽查结果已公示，不能再修改",
        },
        Conflict::Warning(WarningConflict::ChangedMeanwhile) => "该预警已被他人先行处理，请刷新后再试",
        Conflict::Account(AccountConflict::UsernameTaken) => "该用户名已被使用",
        Conflict::Org(OrgConflict::RegionTaken) => "该行政区划已有机构",
        Conflict::Unique(_) => "记录已存在",
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> Self {
        AppError::Validation(vec![e])
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorInner<'a>,
}

#[derive(Serialize)]
struct ErrorInner<'a> {
    code: &'a str,
    message: String,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    fields: &'a [FieldError],
}

/// An error answered as JSON (the API).
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let body = ErrorBody { error: ErrorInner { code: e.code(), message: e.to_string(), fields: e.fields() } };
        e.decorate((e.status(), axum::Json(body)).into_response())
    }
}

/// An error answered as a page: a redirect to the login page, or the Chinese error page.
#[derive(Debug)]
pub enum PageError {
    App(AppError),
    Redirect(String),
}

impl<E: Into<AppError>> From<E> for PageError {
    fn from(e: E) -> Self {
        PageError::App(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::Redirect(to) => Redirect::to(&to).into_response(),
            PageError::App(AppError::Unauthorized) => Redirect::to("/login").into_response(),
            PageError::App(AppError::SessionExpired) => Redirect::to("/login?expired=1").into_response(),
            PageError::App(e) => {
                e.log();
                e.decorate(crate::layout::error_page(e.status(), &e.to_string()))
            }
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
pub type PageResult<T> = Result<T, PageError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_case_changed_meanwhile_says_so() {
        let stale = AppError::from(StoreError::from(CaseConflict::ChangedMeanwhile));
        assert_eq!(stale.status(), StatusCode::CONFLICT);
        assert_eq!(stale.to_string(), "该诉求已被他人先行处理，请刷新后再试");
        let refused = AppError::from(StoreError::from(CaseConflict::NotAllowed));
        assert!(refused.to_string().contains("当前状态下不能"), "{refused}");
        assert_eq!(AppError::from(StoreError::Conflict(Conflict::Unique("x_key".into()))).to_string(), "记录已存在");
    }

    #[test]
    fn store_errors_map_to_statuses() {
        assert_eq!(AppError::from(StoreError::NotFound).status(), StatusCode::NOT_FOUND);
        let taken = AppError::from(StoreError::Conflict(Conflict::of_constraint("users_username_key")));
        assert_eq!(taken.status(), StatusCode::CONFLICT);
        assert_eq!(taken.to_string(), "该用户名已被使用");
        let refused = StoreError::Refused(xinqiao_domain::accounts::GrantRefusal::OwnRoles);
        assert_eq!(AppError::from(refused).status(), StatusCode::FORBIDDEN);
        let invalid = StoreError::Invalid(FieldError::new("uscc", "bad", "x"));
        assert_eq!(AppError::from(invalid).status(), StatusCode::UNPROCESSABLE_ENTITY);
        let internal = AppError::from(StoreError::Migration("secret detail".into()));
        assert_eq!(internal.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!internal.to_string().contains("secret detail"), "500s are opaque");
        let full = AppError::from(StoreError::Unavailable(Outage::DiskFull));
        assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(full.to_string().contains("存储空间已满"));
        let away = ApiError(AppError::from(StoreError::from(sqlx::Error::PoolTimedOut))).into_response();
        assert_eq!(away.status(), StatusCode::SERVICE_UNAVAILABLE, "PostgreSQL away is 503, not 500");
        assert_eq!(away.headers()[axum::http::header::RETRY_AFTER], "5");
    }
}
