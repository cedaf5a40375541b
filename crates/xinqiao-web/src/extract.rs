//! Body extractors whose failures speak the platform's error language: an oversized body is
//! 413, malformed JSON 400, an unknown or mistyped field 422, a wrong content type 415.

use crate::error::{ApiError, AppError, PageError};
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use std::net::SocketAddr;

fn too_large(status: StatusCode) -> bool {
    status == StatusCode::PAYLOAD_TOO_LARGE
}

/// A JSON body for the API.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rejection) => Err(ApiError(json_error(&rejection))),
        }
    }
}

fn json_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        _ if too_large(rejection.status()) => AppError::PayloadTooLarge,
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
        JsonRejection::JsonSyntaxError(_) => {
            AppError::BadRequest { code: "malformed_json", message: "请求体不是有效的 JSON".into() }
        }
        JsonRejection::JsonDataError(e) => AppError::field(
            "body",
            "invalid_body",
            format!("请求体字段不符合要求：{}", e.body_text().rsplit(": ").next().unwrap_or_default()),
        ),
        _ => AppError::BadRequest { code: "bad_body", message: "无法读取请求体".into() },
    }
}

/// Query parameters for the API: a malformed or unknown parameter is a 422 in JSON.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(r) => Err(ApiError(AppError::field(
                "query",
                "invalid_query",
                format!("查询参数不符合要求：{}", r.body_text().rsplit(": ").next().unwrap_or_default()),
            ))),
        }
    }
}

/// A urlencoded form for the pages. Forms are read as name/value pairs, which keeps repeated
/// names (check boxes) and lets handlers say which field is wrong.
pub struct PageForm(pub Vec<(String, String)>);

impl PageForm {
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl<S: Send + Sync> FromRequest<S> for PageForm {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(PageForm(v)),
            Err(r) => Err(PageError::App(form_error(&r))),
        }
    }
}

fn form_error(rejection: &FormRejection) -> AppError {
    if too_large(rejection.status()) {
        AppError::PayloadTooLarge
    } else {
        AppError::BadRequest { code: "bad_form", message: "表单内容无法识别".into() }
    }
}

/// The client's address as the audit trail records it.
#[derive(Debug, Clone)]
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".into(), |ci| ci.0.ip().to_string()),
        ))
    }
}
