//! Open311 GeoReport v2 on the wire: `/open311/v2/discovery`, `services`, `services/{code}`,
//! `requests` (GET lists, POST creates) and `requests/{id}`, each as `.xml` (required) or
//! `.json`. Form-encoded parameters in, the spec's fields out, errors as the spec's error list
//! in the format asked for (XML when the format itself is unknown). What is shown and who may
//! post is decided in `service`; the keys page is in `keys`, the CLI calls the same service.

pub mod format;
mod keys;
pub mod service;
mod views;

use crate::AppState;
use crate::limits::Client;
use axum::Router;
use axum::extract::rejection::FormRejection;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use format::{Format, Val, error, respond};
use service::Open311Error;
use xinqiao_domain::open311::{RequestForm, RequestQuery, Service};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/{file}", get(top).post(create))
        .route("/open311/v2/services/{file}", get(definition))
        .route("/open311/v2/requests/{file}", get(request))
        .merge(keys::router())
}

type Pairs = Query<Vec<(String, String)>>;

fn refused(e: &Open311Error, format: Format) -> Response {
    let status = e.status();
    let description = match e {
        Open311Error::App(app) if status.is_server_error() => app.to_string(),
        other => other.to_string(),
    };
    error(status, &description, format)
}

fn not_found(format: Format) -> Response {
    error(StatusCode::NOT_FOUND, "没有这个资源", format)
}

/// Reads the query: only `jurisdiction_id` and `api_key` are known to the service list and definition.
fn plain_query(pairs: &[(String, String)]) -> Result<(String, String), Open311Error> {
    let mut out = (String::new(), String::new());
    for (k, v) in pairs {
        match k.as_str() {
            "jurisdiction_id" => out.0 = v.clone(),
            "api_key" => out.1 = v.clone(),
            other => {
                return Err(
                    xinqiao_domain::open311::QueryError::UnknownParameter(other.chars().take(40).collect()).into()
                );
            }
        }
    }
    Ok(out)
}

/// A jurisdiction, when named, must exist.
async fn check_jurisdiction(state: &AppState, jurisdiction: &str) -> Result<(), Open311Error> {
    if jurisdiction.trim().is_empty() {
        return Ok(());
    }
    let orgs = state.store.list_orgs().await?;
    orgs.iter().any(|o| o.region_code == jurisdiction.trim()).then_some(()).ok_or(Open311Error::UnknownJurisdiction)
}

async fn top(State(state): State<AppState>, Path(file): Path<String>, headers: HeaderMap, Query(q): Pairs) -> Response {
    let Some((name, format)) = Format::split(&file) else { return not_found(Format::Xml) };
    match name {
        "discovery" => respond(StatusCode::OK, "discovery", &views::discovery(&state, &headers), format),
        "services" => {
            let checked = match plain_query(&q) {
                Ok((j, _)) => check_jurisdiction(&state, &j).await,
                Err(e) => Err(e),
            };
            match checked {
                Ok(()) => respond(StatusCode::OK, "services", &views::services(), format),
                Err(e) => refused(&e, format),
            }
        }
        "requests" => match list(&state, &q).await {
            Ok(v) => respond(StatusCode::OK, "service_requests", &v, format),
            Err(e) => refused(&e, format),
        },
        _ => not_found(format),
    }
}

async fn list(state: &AppState, pairs: &[(String, String)]) -> Result<Val, Open311Error> {
    let query = RequestQuery::from_pairs(pairs)?;
    let caller = service::reader(state, &query.api_key, &query.jurisdiction_id).await?;
    let filter = query.filter(state.now_ms())?;
    let found = service::list(state, &caller, &filter).await?;
    Ok(Val::List("request", found.iter().map(views::request).collect()))
}

async fn definition(State(state): State<AppState>, Path(file): Path<String>, Query(q): Pairs) -> Response {
    let Some((code, format)) = Format::split(&file) else { return not_found(Format::Xml) };
    let checked = match plain_query(&q) {
        Ok((j, _)) => check_jurisdiction(&state, &j).await,
        Err(e) => Err(e),
    };
    let result = checked.and_then(|()| Service::by_code(code).ok_or(Open311Error::NoSuchService));
    match result {
        Ok(s) => respond(StatusCode::OK, "service_definition", &views::definition(&s), format),
        Err(e) => refused(&e, format),
    }
}

async fn request(State(state): State<AppState>, Path(file): Path<String>, Query(q): Pairs) -> Response {
    let Some((id, format)) = Format::split(&file) else { return not_found(Format::Xml) };
    let result = async {
        let (jurisdiction, api_key) = plain_query(&q)?;
        let caller = service::reader(&state, &api_key, &jurisdiction).await?;
        service::one(&state, &caller, id).await
    }
    .await;
    match result {
        Ok(r) => respond(StatusCode::OK, "service_requests", &Val::List("request", vec![views::request(&r)]), format),
        Err(e) => refused(&e, format),
    }
}

async fn create(
    State(state): State<AppState>,
    Path(file): Path<String>,
    client: Option<axum::Extension<Client>>,
    form: Result<Form<Vec<(String, String)>>, FormRejection>,
) -> Response {
    let Some(("requests", format)) = Format::split(&file) else {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            "该地址不支持 POST",
            Format::split(&file).map_or(Format::Xml, |f| f.1),
        );
    };
    let Ok(Form(pairs)) = form else {
        return error(StatusCode::BAD_REQUEST, "请求体应为 application/x-www-form-urlencoded 表单", format);
    };
    let addr = client.map(|c| c.0.0.clone()).unwrap_or_default();
    let result = async {
        let form = RequestForm::from_pairs(&pairs)?;
        let caller = service::writer(&state, &form.api_key, &form.jurisdiction_id).await?;
        let valid = form.validate(&region(&caller)?)?;
        service::submit(&state, &caller, &addr, valid).await
    }
    .await;
    match result {
        Ok(created) => respond(StatusCode::OK, "service_requests", &views::created(&created), format),
        Err(e) => refused(&e, format),
    }
}

fn region(caller: &service::Caller) -> Result<xinqiao_domain::ids::RegionCode, Open311Error> {
    xinqiao_domain::ids::RegionCode::parse(&caller.org.region_code)
        .map_err(|_| crate::error::AppError::Internal("bureau region".into()).into())
}
