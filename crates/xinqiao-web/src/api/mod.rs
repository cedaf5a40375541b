//! The JSON API under `/api/v1`, authenticated by bearer tokens. Every route is registered
//! through `OpenApiRouter`, so the document at `/api/openapi.json` lists exactly what is served.

mod accounts;
mod annual_report;
mod audit;
mod calendar;
mod campaigns;
mod case_staff;
mod cases;
mod confidential;
mod deferred;
mod desk;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod incident_evidence;
mod incidents;
mod insights;
mod inspections;
mod integrity;
mod knowledge;
mod knowledge_admin;
mod ledger;
mod open311_keys;
mod qualification;
mod qualification_roster;
mod ties;

use crate::AppState;
use crate::error::{ApiError, AppError};
use axum::http::StatusCode;
use axum::http::header;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use std::sync::Arc;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

#[derive(OpenApi)]
#[openapi(
    info(title = "心桥 Xinqiao API", description = "市场监管客户体验官工作平台的 JSON 接口。错误统一为 {\"error\":{\"code\",\"message\"}}。"),
    modifiers(&BearerAuth),
    tags((name = "accounts", description = "账户、角色与机构"), (name = "annual_report", description = "年报帮助：填报指引、企业自己的年报期限与提醒、辖区年报专项的报送率"), (name = "audit", description = "审计日志"), (name = "calendar", description = "节假日安排：各年份工作日的依据与导入"), (name = "cases", description = "诉求：公众提交与查询进度"), (name = "confidential", description = "保密资料交换：指定查阅人签署保密承诺后查阅、查阅带水印并告知企业、到期销毁"), (name = "deferred", description = "容缺受理：核心材料齐全、书面承诺后先行受理，补齐期限、到期提醒与节省的工作日"), (name = "incidents", description = "突发事件与舆情：事件、法定时限与承诺、情况通报的起草、审核与发布"), (name = "insights", description = "预警：本机构及下级机构的预警，主管知悉、指派与关闭"), (name = "inspections", description = "双随机抽查：任务公示与检查结果开放数据"), (name = "integrity", description = "廉洁登记：请托、礼品礼金、宴请邀请、检查中的接触"), (name = "knowledge", description = "政策问答：检索、条目与说人话检查"), (name = "ledger", description = "电子台账：企业的进货、销售与原料记录，更正、导出；监管部门按诉求或检查查阅、批次追溯、召回与封存清单"), (name = "open311", description = "Open311 接口密钥：按机构签发（密钥只显示一次）、列出与撤销（系统管理员）"), (name = "qualification", description = "任职资格：框架、评估、评审组评分、评定、申诉、证书与年度复审"))
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
        .routes(routes!(accounts::reset_password))
        .routes(routes!(accounts::reset_totp))
        .routes(routes!(accounts::list_orgs, accounts::create_org))
        .routes(routes!(accounts::get_policy, accounts::put_policy))
        .routes(routes!(accounts::my_tokens, accounts::make_token))
        .routes(routes!(accounts::revoke_token))
        .routes(routes!(accounts::my_notices))
        .routes(routes!(accounts::dismiss_notice))
        .routes(routes!(accounts::change_password))
        .routes(routes!(annual_report::guide))
        .routes(routes!(annual_report::own))
        .routes(routes!(annual_report::filed))
        .routes(routes!(annual_report::campaign))
        .routes(routes!(audit::list))
        .routes(routes!(audit::verify))
        .routes(routes!(calendar::show))
        .routes(routes!(calendar::load))
        .routes(routes!(ties::mine, ties::declare))
        .routes(routes!(ties::industries))
        .routes(routes!(cases::create))
        .routes(routes!(case_staff::cite_qa))
        .routes(routes!(case_staff::classify))
        .routes(routes!(case_staff::tie_override))
        .routes(routes!(case_staff::recuse))
        .routes(routes!(case_staff::pause))
        .routes(routes!(case_staff::resume))
        .routes(routes!(case_staff::privacy_review))
        .routes(routes!(case_staff::privacy_review_setting))
        .routes(routes!(case_staff::qa_draft))
        .routes(routes!(cases::preview))
        .routes(routes!(cases::progress))
        .routes(routes!(cases::rate))
        .routes(routes!(cases::settlement))
        .routes(routes!(desk::add_note))
        .routes(routes!(desk::identity))
        .routes(routes!(desk::work_logs, desk::add_work_log))
        .routes(routes!(desk::odr_show, desk::odr_join))
        .routes(routes!(desk::odr_leave))
        .routes(routes!(desk::odr_policy))
        .routes(routes!(desk::portal_list))
        .routes(routes!(desk::portal_case))
        .routes(routes!(desk::portal_reply))
        .routes(routes!(desk::portal_proposal))
        .routes(routes!(confidential::list, confidential::open))
        .routes(routes!(confidential::get_one))
        .routes(routes!(confidential::sign))
        .routes(routes!(confidential::view))
        .routes(routes!(confidential::view_page))
        .routes(routes!(case_staff::act))
        .routes(routes!(case_staff::closure_review))
        .routes(routes!(case_staff::get_closure_setting, case_staff::put_closure_setting))
        .routes(routes!(deferred::list, deferred::accept))
        .routes(routes!(deferred::get_policy, deferred::put_policy))
        .routes(routes!(deferred::get_one))
        .routes(routes!(deferred::supplied))
        .routes(routes!(deferred::ended))
        .routes(routes!(deferred::mine))
        .routes(routes!(inspections::create_draw))
        .routes(routes!(inspections::reveal_draw))
        .routes(routes!(inspections::verify_draw))
        .routes(routes!(inspections::verify_document))
        .routes(routes!(incidents::list, incidents::create))
        .routes(routes!(incidents::get_one))
        .routes(routes!(incidents::change_team))
        .routes(routes!(incidents::start_drill))
        .routes(routes!(incidents::drill_report))
        .routes(routes!(incidents::close_drill))
        .routes(routes!(incidents::link))
        .routes(routes!(incidents::add_media))
        .routes(routes!(incidents::add_product))
        .routes(routes!(incidents::add_measure))
        .routes(routes!(incidents::extend))
        .routes(routes!(incidents::add_testing))
        .routes(routes!(incidents::complete))
        .routes(routes!(incidents::draw_retest_lab))
        .routes(routes!(incidents::add_promise))
        .routes(routes!(incidents::keep_promise))
        .routes(routes!(incidents::declare_secret))
        .routes(routes!(incidents::statements, incidents::draft))
        .routes(routes!(incidents::publish))
        .routes(routes!(incident_evidence::list))
        .routes(routes!(incident_evidence::image))
        .routes(routes!(incident_evidence::redact))
        .routes(routes!(incidents::review, incidents::save_review))
        .routes(routes!(incidents::party_incidents))
        .routes(routes!(incidents::party_secret))
        .routes(routes!(inspections::results))
        .routes(routes!(inspections::draw))
        .routes(routes!(inspections::record_result))
        .routes(routes!(inspections::publish_results))
        .routes(routes!(integrity::mine, integrity::record))
        .routes(routes!(integrity::bureau))
        .routes(routes!(knowledge::search))
        .routes(routes!(knowledge::entry))
        .routes(routes!(knowledge::check))
        .routes(routes!(knowledge::create_entry))
        .routes(routes!(knowledge::revise_entry))
        .routes(routes!(knowledge::act))
        .routes(routes!(knowledge_admin::laws))
        .routes(routes!(knowledge_admin::change_law))
        .routes(routes!(knowledge_admin::words))
        .routes(routes!(knowledge_admin::put_synonyms))
        .routes(routes!(knowledge_admin::put_vocabulary))
        .routes(routes!(knowledge_admin::gaps))
        .routes(routes!(knowledge_admin::draft_from_gaps))
        .routes(routes!(insights::list))
        .routes(routes!(insights::scan))
        .routes(routes!(insights::put_minimum))
        .routes(routes!(insights::get_taxonomy, insights::put_taxonomy))
        .routes(routes!(insights::get_one))
        .routes(routes!(campaigns::list, campaigns::create))
        .routes(routes!(campaigns::get_one))
        .routes(routes!(insights::act))
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
        .routes(routes!(ledger::case_batches, ledger::link_case_batch))
        .routes(routes!(ledger::own_voucher))
        .routes(routes!(ledger::officer_voucher))
        .routes(routes!(open311_keys::list, open311_keys::issue))
        .routes(routes!(open311_keys::revoke))
        .routes(routes!(qualification::framework, qualification::revise))
        .routes(routes!(qualification::params, qualification::put_params))
        .routes(routes!(qualification::list, qualification::apply))
        .routes(routes!(qualification::get_one))
        .routes(routes!(qualification::test, qualification::hand_in))
        .routes(routes!(qualification::draw))
        .routes(routes!(qualification_roster::declare_tie))
        .routes(routes!(qualification::scores))
        .routes(routes!(qualification::evidence))
        .routes(routes!(qualification::discussion))
        .routes(routes!(qualification::decide))
        .routes(routes!(qualification::appeal))
        .routes(routes!(qualification_roster::roster_list))
        .routes(routes!(qualification_roster::change))
        .routes(routes!(qualification_roster::review_doc, qualification_roster::review))
        .merge(
            OpenApiRouter::new()
                .routes(routes!(cases::supplement))
                .routes(routes!(ledger::import))
                .routes(routes!(confidential::deposit))
                .routes(routes!(incident_evidence::upload))
                .layer(axum::extract::DefaultBodyLimit::max(crate::extract::UPLOAD_BODY_LIMIT)),
        )
}

/// The API routes (every answer of theirs that is an error is JSON with a stable code) and the
/// route serving the document.
pub fn router() -> Router<AppState> {
    let (router, mut doc) = openapi_router().split_for_parts();
    document_common_answers(&mut doc);
    let doc = Arc::new(doc);
    router
        .layer(middleware::from_fn(errors_as_json))
        .layer(CatchPanicLayer::custom(|_: Box<dyn std::any::Any + Send>| {
            // The payload may quote request data: it is not logged.
            ApiError(AppError::Internal("a request handler panicked".into())).into_response()
        }))
        .route(
            "/api/openapi.json",
            get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
}

/// The published document: the routes' own annotations plus the answers every operation of a
/// kind can give (see `document_common_answers`).
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = openapi_router().split_for_parts();
    document_common_answers(&mut doc);
    doc
}

/// The answers that come from the shared machinery rather than from a handler, added to each
/// operation that can give them (an answer the handler documents itself is kept):
/// - 400: a JSON body that does not parse, a path segment that is not UTF-8;
/// - 401: no valid bearer token, on every operation that needs one;
/// - 413, 415, 422: a body too large, of the wrong type, or with a field of the wrong shape;
/// - 422: a query parameter that is unknown, mistyped or out of its range;
/// - 429: the per-client budget of public POSTs (and the sign-in throttle), with `Retry-After`;
/// - 503: the database cannot take the request for now, with `Retry-After`.
fn document_common_answers(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::path::ParameterIn;
    for (path, item) in doc.paths.paths.iter_mut() {
        let methods = [
            (axum::http::Method::GET, &mut item.get),
            (axum::http::Method::PUT, &mut item.put),
            (axum::http::Method::POST, &mut item.post),
            (axum::http::Method::DELETE, &mut item.delete),
            (axum::http::Method::PATCH, &mut item.patch),
        ];
        for (method, op) in methods {
            let Some(op) = op.as_mut() else { continue };
            let params = op.parameters.as_deref().unwrap_or_default();
            let in_path = params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path));
            let in_query = params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Query));
            let body = op.request_body.as_ref().map(|b| b.content.keys().cloned().collect::<Vec<_>>());
            let json_body = body.as_ref().is_some_and(|b| b.iter().any(|c| c == "application/json"));
            let mut add = |status: &str, description: &str, retry_after: bool| {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error_response(description, retry_after).into());
            };
            if json_body || in_path {
                add("400", "请求无法识别：JSON 格式错误（malformed_json），或地址中含有无效字符（bad_path）", false);
            }
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                add("401", "未登录或令牌无效（unauthorized）", false);
            }
            if body.is_some() {
                add("413", "提交的内容过大（payload_too_large）", false);
                add("415", "请求格式不受支持（unsupported_media_type）", false);
                add("422", "提交的内容有误（validation），fields 列出各项", false);
            }
            if in_query {
                add("422", "查询参数不符合要求（validation）", false);
            }
            if crate::limits::is_limited(&method, path) {
                add("429", "操作过于频繁（too_many_requests），Retry-After 给出等待秒数", true);
            }
            if !(method == axum::http::Method::GET && path == "/api/v1/calendar") {
                add("503", "数据库暂时不能处理请求，未写入任何内容，Retry-After 秒后可重试", true);
            }
        }
    }
}

fn error_response(description: &str, retry_after: bool) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, HeaderBuilder, ObjectBuilder, Ref, ResponseBuilder, Type};
    let mut r = ResponseBuilder::new()
        .description(description)
        .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build());
    if retry_after {
        r = r.header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)))
                .description(Some("等待的秒数"))
                .build(),
        );
    }
    r.build()
}

/// Any error answer of an API route that is not JSON yet (a rejection of an extractor outside
/// this crate's wrappers, a layer's own answer) becomes one, with the stable code of its status.
async fn errors_as_json(req: axum::extract::Request, next: middleware::Next) -> Response {
    as_json_error(next.run(req).await)
}

/// `res` itself unless it is an error that is not JSON; then the same status (and Retry-After)
/// with the JSON error body.
fn as_json_error(res: Response) -> Response {
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !status.is_client_error() && !status.is_server_error() || is_json {
        return res;
    }
    let e = match status {
        StatusCode::BAD_REQUEST => AppError::BadRequest { code: "bad_request", message: "请求无法识别".into() },
        StatusCode::UNAUTHORIZED => AppError::Unauthorized,
        StatusCode::FORBIDDEN => AppError::forbidden(),
        StatusCode::NOT_FOUND => AppError::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType("application/json"),
        StatusCode::UNPROCESSABLE_ENTITY => AppError::field("body", "invalid_body", "提交的内容不符合要求"),
        s if s.is_client_error() => AppError::BadRequest { code: "bad_request", message: "请求无法处理".into() },
        StatusCode::SERVICE_UNAVAILABLE => {
            AppError::BadRequest { code: "unavailable", message: "服务暂时不可用，请稍后再试".into() }
        }
        _ => AppError::Internal(format!("a non-JSON {status} from an API route")),
    };
    let mut out = ApiError(e).into_response();
    *out.status_mut() = status;
    if let Some(v) = res.headers().get(header::RETRY_AFTER) {
        out.headers_mut().insert(header::RETRY_AFTER, v.clone());
    }
    out
}

/// A `limit` query parameter: `default` when absent, refused (422, in Chinese) outside 1–1000,
/// the range the document gives.
pub(crate) fn limit(given: Option<i64>, default: i64) -> Result<i64, AppError> {
    match given {
        None => Ok(default),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(n) => Err(AppError::field(
            "limit",
            "out_of_range",
            format!("每次最多返回{MAX_LIMIT}条：limit 应为1至{MAX_LIMIT}（收到 {n}）"),
        )),
    }
}

/// The largest `limit` any list operation takes.
pub(crate) const MAX_LIMIT: i64 = 1000;

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

pub use crate::api_user::ApiUser;

#[cfg(test)]
mod tests {
    use super::*;

    async fn body_of(res: Response) -> serde_json::Value {
        let bytes = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[tokio::test]
    async fn a_plain_text_error_becomes_json_with_its_status_and_retry_after() {
        let text = (StatusCode::BAD_REQUEST, "Invalid URL: bytes are not valid UTF-8").into_response();
        let res = as_json_error(text);
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/json"));
        let body = body_of(res).await;
        assert_eq!(body["error"]["code"], "bad_request");
        assert!(!body.to_string().contains("UTF-8"), "the text is not passed on: {body}");

        let busy =
            (StatusCode::SERVICE_UNAVAILABLE, [(header::RETRY_AFTER, "7")], "database: unreachable").into_response();
        let res = as_json_error(busy);
        assert_eq!(
            (res.status(), &res.headers()[header::RETRY_AFTER]),
            (StatusCode::SERVICE_UNAVAILABLE, &"7".parse().unwrap())
        );
        assert_eq!(body_of(res).await["error"]["code"], "unavailable");

        let res = as_json_error((StatusCode::IM_A_TEAPOT, "short and stout").into_response());
        assert_eq!(
            (res.status(), body_of(res).await["error"]["code"].clone()),
            (StatusCode::IM_A_TEAPOT, "bad_request".into())
        );
    }

    #[tokio::test]
    async fn json_answers_and_successes_pass_untouched() {
        let ok = (StatusCode::OK, "plain success").into_response();
        let res = as_json_error(ok);
        assert_eq!(axum::body::to_bytes(res.into_body(), 1024).await.unwrap(), "plain success");
        let own = ApiError(AppError::NotFound).into_response();
        assert_eq!(body_of(as_json_error(own)).await["error"]["code"], "not_found");
    }

    #[test]
    fn limit_takes_one_to_a_thousand() {
        assert_eq!(limit(None, 100).unwrap(), 100);
        assert_eq!(limit(Some(1000), 100).unwrap(), 1000);
        for bad in [0, -5, 1001, i64::MAX] {
            let e = limit(Some(bad), 100).unwrap_err();
            assert_eq!((e.status(), e.fields()[0].field), (StatusCode::UNPROCESSABLE_ENTITY, "limit"));
        }
    }
}
