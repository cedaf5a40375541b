//! Body extractors whose failures speak the platform's error language: an oversized body is
//! 413, malformed JSON 400, an unknown or mistyped field 422, a wrong content type 415, a path
//! segment that is not UTF-8 (or not of its type) 400.

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

pub(crate) fn json_error(rejection: &JsonRejection) -> AppError {
    match rejection {
        _ if too_large(rejection.status()) => AppError::PayloadTooLarge,
        JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType("application/json"),
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

/// Path parameters for the API: a segment that does not decode (invalid UTF-8 after percent
/// decoding) or does not fit its type is a 400 in JSON, not axum's plain-text answer.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(r) => Err(ApiError(path_error(&r))),
        }
    }
}

pub(crate) fn path_error(rejection: &axum::extract::rejection::PathRejection) -> AppError {
    use axum::extract::path::ErrorKind;
    use axum::extract::rejection::PathRejection;
    match rejection {
        PathRejection::FailedToDeserializePathParams(e) => match e.kind() {
            ErrorKind::InvalidUtf8InPathParam { .. } => AppError::BadRequest {
                code: "bad_path",
                message: "地址中含有无法识别的字符（不是有效的 UTF-8）".into(),
            },
            _ => AppError::BadRequest { code: "bad_path", message: "地址中的参数不符合要求".into() },
        },
        _ => AppError::Internal(format!("path parameters: {rejection}")),
    }
}

/// A urlencoded form for the pages. Forms are read as name/value pairs, which keeps repeated
/// names (check boxes) and lets handlers say which field is wrong.
pub struct PageForm(pub Vec<(String, String)>);

impl PageForm {
    /// One field's first value ("" when absent). Private: handlers read their form as a typed
    /// struct (`typed`, `TypedForm`), never field by field from the string map.
    fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// An irreversible action's form asks for its confirmation page first: it carries an empty
    /// `confirmed`, which the confirmation page sends again as `1`.
    pub fn awaits_confirmation(&self) -> bool {
        self.0.iter().any(|(k, v)| k == "confirmed" && v != "1")
    }

    /// The CSRF token sent with the form.
    pub fn csrf(&self) -> &str {
        self.get("csrf")
    }

    /// A number typed into `name`: blank or not a number is told beside the field in Chinese,
    /// never read as 0.
    pub fn number<T: std::str::FromStr>(
        &self,
        name: &'static str,
        label: &str,
    ) -> Result<T, xinqiao_domain::FieldError> {
        let raw = self.get(name).trim();
        if raw.is_empty() {
            return Err(xinqiao_domain::FieldError::new(name, "required", format!("请填写{label}")));
        }
        raw.parse().map_err(|_| xinqiao_domain::FieldError::new(name, "number", format!("{label}应为数字")))
    }

    /// Every value of a field whose name comes from data (a test's question ids), where no
    /// fixed struct can name it.
    pub fn all(&self, name: &str) -> impl Iterator<Item = &str> {
        self.0.iter().filter(move |(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The form read into a typed struct, like the API's JSON: the names in `lists` (check
    /// boxes) become lists (empty when none is ticked), every other name its first value; the
    /// CSRF token is left out (the handler checks it first).
    pub fn typed<T: DeserializeOwned>(&self, lists: &[&str]) -> Result<T, AppError> {
        use serde_json::Value;
        let mut map = serde_json::Map::new();
        for name in lists {
            map.insert((*name).to_owned(), Value::Array(self.all(name).map(|v| Value::String(v.to_owned())).collect()));
        }
        for (k, v) in &self.0 {
            if k != "csrf" && !lists.contains(&k.as_str()) {
                map.entry(k.clone()).or_insert_with(|| Value::String(v.clone()));
            }
        }
        serde_json::from_value(Value::Object(map)).map_err(|e| form_data_error(&e))
    }
}

/// A form that does not fit its struct: the field's own Chinese message when a deserializer gave
/// one (`form_number`), else one generic line.
fn form_data_error(e: &serde_json::Error) -> AppError {
    let said = e.to_string();
    let message = if said.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
        said
    } else {
        "表单内容无法识别".into()
    };
    AppError::BadRequest { code: "bad_form", message }
}

/// A whole number that comes as text from a page form or as a number from JSON. Blank or not a
/// number is refused in Chinese — never read as 0.
pub fn form_number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: std::str::FromStr + serde::Deserialize<'de>,
{
    use serde::de::Error;
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Either<T> {
        Number(T),
        Text(String),
    }
    match <Either<T> as serde::Deserialize>::deserialize(d)? {
        Either::Number(n) => Ok(n),
        Either::Text(t) if t.trim().is_empty() => Err(D::Error::custom("请填写数字")),
        Either::Text(t) => t.trim().parse().map_err(|_| D::Error::custom(format!("“{}”不是有效的数字", t.trim()))),
    }
}

/// A check box: checked when sent with any value (`on`, `1`), unchecked when absent or empty.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(v.is_some_and(|v| !v.is_empty()))
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

/// A page form read into its own typed struct (which names its `csrf` field).
#[derive(Debug)]
pub struct TypedForm<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for TypedForm<T> {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(TypedForm(v)),
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
        // Decided once per request by `limits::middleware` (which knows the trusted proxies).
        if let Some(c) = parts.extensions.get::<crate::limits::Client>() {
            return Ok(ClientAddr(c.0.clone()));
        }
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".into(), |ci| ci.0.ip().to_string()),
        ))
    }
}

/// A file from a multipart form, as sent (not yet checked).
pub struct UploadedFile {
    /// The name the sender's machine gave it (shown, never trusted).
    pub name: String,
    pub bytes: Vec<u8>,
}

/// A form that may carry files: `multipart/form-data` (its text fields become a `PageForm`, its
/// files are kept in order), or a plain urlencoded form without files. A file over `MAX_BYTES`
/// stops the reading with a 422 naming it; an empty file input is skipped.
pub struct Upload {
    pub form: PageForm,
    pub files: Vec<UploadedFile>,
}

/// The body limit of the routes that take files: five full files and the text around them.
pub const UPLOAD_BODY_LIMIT: usize =
    xinqiao_domain::cases::attachments::MAX_FILES * xinqiao_domain::cases::attachments::MAX_BYTES + 256 * 1024;

impl<S: Send + Sync> FromRequest<S> for Upload {
    type Rejection = PageError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        read_upload(req, state).await.map_err(PageError::App)
    }
}

/// The same for the API, whose errors are JSON.
pub struct ApiUpload(pub Upload);

impl<S: Send + Sync> FromRequest<S> for ApiUpload {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // The API documents multipart (a plain urlencoded form without files is still read).
        let kind = req.headers().get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !kind.starts_with("multipart/form-data") && !kind.starts_with("application/x-www-form-urlencoded") {
            return Err(ApiError(AppError::UnsupportedMediaType("multipart/form-data")));
        }
        read_upload(req, state).await.map(ApiUpload).map_err(ApiError)
    }
}

async fn read_upload<S: Send + Sync>(req: Request, state: &S) -> Result<Upload, AppError> {
    {
        use xinqiao_domain::cases::attachments::{MAX_BYTES, MAX_FILES};
        let multipart = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("multipart/form-data"));
        if !multipart {
            return match axum::Form::<Vec<(String, String)>>::from_request(req, state).await {
                Ok(axum::Form(v)) => Ok(Upload { form: PageForm(v), files: Vec::new() }),
                Err(r) => Err(form_error(&r)),
            };
        }
        let bad = |_| AppError::BadRequest { code: "bad_multipart", message: "上传内容无法识别".into() };
        let mut parts = axum::extract::Multipart::from_request(req, state)
            .await
            .map_err(|r| if too_large(r.status()) { AppError::PayloadTooLarge } else { bad(()) })?;
        let (mut fields, mut files) = (Vec::new(), Vec::new());
        while let Some(mut part) = parts
            .next_field()
            .await
            .map_err(|e| if too_large(e.status()) { AppError::PayloadTooLarge } else { bad(()) })?
        {
            let name = part.name().unwrap_or_default().to_owned();
            let Some(file_name) = part.file_name().map(str::to_owned) else {
                let text = part
                    .text()
                    .await
                    .map_err(|e| if too_large(e.status()) { AppError::PayloadTooLarge } else { bad(()) })?;
                fields.push((name, text));
                continue;
            };
            let mut bytes = Vec::new();
            while let Some(chunk) = part
                .chunk()
                .await
                .map_err(|e| if too_large(e.status()) { AppError::PayloadTooLarge } else { bad(()) })?
            {
                if bytes.len() + chunk.len() > MAX_BYTES {
                    return Err(AppError::field(
                        "attachments",
                        "attachment_too_large",
                        format!("附件“{}”超过{}MB", short(&file_name), MAX_BYTES / 1024 / 1024),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if files.len() == MAX_FILES {
                return Err(AppError::field(
                    "attachments",
                    "attachment_too_many",
                    format!("最多上传{MAX_FILES}个附件"),
                ));
            }
            files.push(UploadedFile { name: file_name, bytes });
        }
        Ok(Upload { form: PageForm(fields), files })
    }
}

/// A file name cut short for a message.
fn short(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Promise {
        #[serde(deserialize_with = "form_number")]
        amount: u32,
        #[serde(default)]
        ticks: Vec<String>,
    }

    fn form(pairs: &[(&str, &str)]) -> PageForm {
        PageForm(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    fn refusal(pairs: &[(&str, &str)]) -> String {
        match form(pairs).typed::<Promise>(&["ticks"]) {
            Err(AppError::BadRequest { code: "bad_form", message }) => message,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_number_typed_wrong_is_refused_in_chinese_never_read_as_zero() {
        let ok = form(&[("csrf", "t"), ("amount", " 3 "), ("ticks", "a"), ("ticks", "b")]).typed::<Promise>(&["ticks"]);
        let ok = ok.unwrap();
        assert_eq!((ok.amount, ok.ticks), (3, vec!["a".to_owned(), "b".to_owned()]));
        assert!(refusal(&[("amount", "三")]).contains("“三”不是有效的数字"));
        assert_eq!(refusal(&[("amount", "  ")]), "请填写数字");
        assert_eq!(refusal(&[("amount", "-1")]), "“-1”不是有效的数字");
        // A field the struct lacks is still the generic line, not serde's English.
        assert_eq!(refusal(&[]), "表单内容无法识别");
        // The API sends a number; that reads too.
        let json: Promise = serde_json::from_str(r#"{"amount": 7}"#).unwrap();
        assert_eq!(json.amount, 7);
    }

    #[test]
    fn the_confirmation_is_awaited_only_while_confirmed_is_sent_empty() {
        assert!(form(&[("confirmed", "")]).awaits_confirmation());
        assert!(!form(&[("confirmed", "1")]).awaits_confirmation());
        assert!(!form(&[]).awaits_confirmation());
    }
}
