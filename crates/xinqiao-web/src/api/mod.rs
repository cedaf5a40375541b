//! The JSON API under `/api/v1`, authenticated by bearer tokens. Every route is registered
//! through `OpenApiRouter`, so the document at `/api/openapi.json` lists exactly what is served.

mod accounts;
mod audit;
mod calendar;
mod cases;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod inspections;
mod knowledge;
mod ledger;
mod qualification;

use crate::AppState;
use crate::error::{ApiError, AppError};
use crate::extract::ClientAddr;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::sync::Arc;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use xinqiao_domain::accounts::{Permission, allows};
use xinqiao_domain::audit::Outcome;
use xinqiao_store::audit::{Actor, Event};
use xinqiao_store::users::User;

#[derive(OpenApi)]
#[openapi(
    info(title = "心桥 Xinqiao API", description = "市场监管客户体验官工作平台的 JSON 接口。错误统一为 {\"error\":{\"code\",\"message\"}}。"),
    modifiers(&BearerAuth),
    tags((name = "accounts", description = "账户、角色与机构"), (name = "audit", description = "审计日志"), (name = "calendar", description = "节假日安排：各年份工作日的依据与导入"), (name = "cases", description = "诉求：公众提交与查询进度"), (name = "inspections", description = "双随机抽查：任务公示与检查结果开放数据"), (name = "knowledge", description = "政策问答：检索、条目与说人话检查"), (name = "ledger", description = "电子台账：企业的进货、销售与原料记录，更正、导出；监管部门按诉求或检查查阅、批次追溯、召回与封存清单"), (name = "qualification", description = "任职资格：框架、评估、评审组评分、评定、申诉、证书与年度复审"))
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The API routes and the OpenAPI document describing them.
pub fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(accounts::create_token))
        .routes(routes!(accounts::me))
        .routes(routes!(accounts::list_users, accounts::create_user))
        .routes(routes!(accounts::get_user, accounts::update_user))
        .routes(routes!(accounts::list_orgs))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(calendar::show))
        .routes(routes!(calendar::load))
        .routes(routes!(cases::create))
        .routes(routes!(cases::progress))
        .routes(routes!(cases::rate))
        .routes(routes!(cases::settlement))
        .routes(routes!(inspections::results))
        .routes(routes!(inspections::draw))
        .routes(routes!(knowledge::search))
        .routes(routes!(knowledge::entry))
        .routes(routes!(knowledge::check))
        .routes(routes!(ledger::overview))
        .routes(routes!(ledger::add_entry))
        .routes(routes!(ledger::correct))
        .routes(routes!(ledger::add_party))
        .routes(routes!(ledger::export))
        .routes(routes!(ledger::confirm))
        .routes(routes!(ledger::bureau_ledger))
        .routes(routes!(ledger::trace))
        .routes(routes!(ledger::open_recall))
        .routes(routes!(ledger::recall))
        .routes(routes!(ledger::recall_csv))
        .routes(routes!(qualification::framework, qualification::revise))
        .routes(routes!(qualification::params, qualification::put_params))
        .routes(routes!(qualification::list, qualification::apply))
        .routes(routes!(qualification::get_one))
        .routes(routes!(qualification::test, qualification::hand_in))
        .routes(routes!(qualification::draw))
        .routes(routes!(qualification::scores))
        .routes(routes!(qualification::evidence))
        .routes(routes!(qualification::discussion))
        .routes(routes!(qualification::decide))
        .routes(routes!(qualification::appeal))
        .routes(routes!(qualification::roster_list))
        .routes(routes!(qualification::change))
        .routes(routes!(qualification::review_doc, qualification::review))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(cases::supplement))
                .routes(routes!(ledger::import))
                .layer(axum::extract::DefaultBodyLimit::max(crate::extract::UPLOAD_BODY_LIMIT)),
        )
}

pub fn router() -> Router<AppState> {
    let (router, doc) = openapi_router().split_for_parts();
    let doc = Arc::new(doc);
    router.route(
        "/api/openapi.json",
        get(move || {
            let doc = doc.clone();
            async move { Json(doc.as_ref().clone()) }
        }),
    )
}

/// The error body, as documented.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
struct ErrorDetail {
    /// Stable machine-readable code, e.g. `unauthorized`, `validation`.
    code: String,
    /// Chinese message for people.
    message: String,
    /// Field errors (422 only).
    fields: Option<Vec<FieldErrorDoc>>,
}

#[derive(Serialize, ToSchema)]
struct FieldErrorDoc {
    field: String,
    code: String,
    message: String,
}

/// The account a bearer token belongs to.
pub struct ApiUser {
    pub user: User,
    pub addr: String,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let ClientAddr(addr) =
            ClientAddr::from_request_parts(parts, state).await.unwrap_or(ClientAddr("unknown".into()));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or(AppError::Unauthorized)?;
        let user = state.store.token_user(token).await?.ok_or(AppError::Unauthorized)?;
        Ok(ApiUser { user, addr })
    }
}

impl ApiUser {
    pub fn actor(&self) -> Actor {
        crate::auth::session_actor(&self.user, &self.addr)
    }

    pub fn can(&self, perm: Permission) -> bool {
        allows(&self.user.roles, perm)
    }

    /// Passes when the roles allow `perm`; otherwise records the refusal and answers 403.
    pub async fn require(&self, state: &AppState, perm: Permission, target: &str) -> Result<(), AppError> {
        if allows(&self.user.roles, perm) {
            return Ok(());
        }
        let event = Event::new("access.denied", target, Outcome::Denied)
            .detail(serde_json::json!({"permission": format!("{perm:?}"), "via": "api"}));
        state.store.audit(&self.actor(), event).await?;
        Err(AppError::forbidden())
    }
}
