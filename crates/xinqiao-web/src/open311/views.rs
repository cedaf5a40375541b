//! What each Open311 answer carries, field by field in the spec's order, built once for both
//! formats. A request shows its masked text, its bureau and its dates; a location only when it
//! came in through Open311 (a street address masked, coordinates rounded to three decimals,
//! about 100 m); never the complainant, the demand, the amount or an officer's note.

use super::format::Val;
use super::service::Created;
use crate::AppState;
use axum::http::HeaderMap;
use xinqiao_domain::open311::{PublicStatus, Service, format_w3c, status_note};
use xinqiao_store::open311::{PublicRequest, StoredLocation};

/// When this endpoint's interface last changed.
const CHANGESET: &str = "2026-12-06T00:00:00+08:00";
pub const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

pub fn discovery(state: &AppState, headers: &HeaderMap) -> Val {
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.cookie_secure { "https" } else { "http" };
    let endpoint = Val::Obj(vec![
        ("specification", Val::str(SPECIFICATION)),
        ("url", Val::str(format!("{scheme}://{host}/open311/v2"))),
        ("changeset", Val::str(CHANGESET)),
        ("type", Val::str("production")),
        ("formats", Val::List("format", vec![Val::str("text/xml"), Val::str("application/json")])),
    ]);
    Val::Obj(vec![
        ("changeset", Val::str(CHANGESET)),
        ("contact", Val::str("如有问题请联系本局；紧急求助请拨打 12315")),
        ("key_service", Val::str("api_key 由本局系统管理员签发（每个使用方一个，可随时撤销）")),
        ("endpoints", Val::List("endpoint", vec![endpoint])),
    ])
}

pub fn services() -> Val {
    Val::List(
        "service",
        Service::all()
            .iter()
            .map(|s| {
                Val::Obj(vec![
                    ("service_code", Val::str(s.code())),
                    ("service_name", Val::str(s.name)),
                    ("description", Val::str(s.description)),
                    ("metadata", Val::Bool(s.metadata())),
                    ("type", Val::str("realtime")),
                    ("keywords", Val::str(s.keywords)),
                    ("group", Val::str(s.group)),
                ])
            })
            .collect(),
    )
}

pub fn definition(s: &Service) -> Val {
    let attributes = s
        .attributes()
        .iter()
        .map(|a| {
            let mut fields = vec![
                ("variable", Val::Bool(true)),
                ("code", Val::str(a.code)),
                ("datatype", Val::str(a.datatype.code())),
                ("required", Val::Bool(a.required)),
                ("datatype_description", Val::opt(a.datatype_description)),
                ("order", Val::Num(a.order.to_string())),
                ("description", Val::str(a.description)),
            ];
            if !a.values.is_empty() {
                let values = a
                    .values
                    .iter()
                    .map(|(k, n)| Val::Obj(vec![("key", Val::str(k.as_str())), ("name", Val::str(n.as_str()))]))
                    .collect();
                fields.push(("values", Val::List("value", values)));
            }
            Val::Obj(fields)
        })
        .collect();
    Val::Obj(vec![("service_code", Val::str(s.code())), ("attributes", Val::List("attribute", attributes))])
}

fn rounded(coordinate: &str) -> Val {
    coordinate.parse::<f64>().map_or(Val::Null, |v| Val::Num(format!("{v:.3}")))
}

pub fn request(r: &PublicRequest) -> Val {
    let (address, address_id, lat, long) = match &r.location {
        Some(StoredLocation::Point { lat, long }) => (Val::Null, Val::Null, rounded(lat), rounded(long)),
        Some(StoredLocation::AddressMasked(a)) => (Val::str(a.as_str()), Val::Null, Val::Null, Val::Null),
        Some(StoredLocation::AddressId(id)) => (Val::Null, Val::str(id.as_str()), Val::Null, Val::Null),
        None => (Val::Null, Val::Null, Val::Null, Val::Null),
    };
    Val::Obj(vec![
        ("service_request_id", Val::str(r.tracking_code.to_string())),
        ("status", Val::str(PublicStatus::of(r.status).code())),
        ("status_notes", Val::str(status_note(r.status))),
        ("service_name", Val::str(r.kind.label())),
        ("service_code", Val::str(r.kind.code())),
        ("description", Val::str(r.narrative_masked.as_str())),
        ("agency_responsible", Val::opt(r.org_name.clone())),
        ("service_notice", Val::Null),
        ("requested_datetime", Val::str(format_w3c(r.received_at))),
        ("updated_datetime", Val::str(format_w3c(r.updated_at))),
        ("expected_datetime", Val::Null),
        ("address", address),
        ("address_id", address_id),
        ("zipcode", Val::Null),
        ("lat", lat),
        ("long", long),
        ("media_url", Val::Null),
    ])
}

pub fn created(c: &Created) -> Val {
    Val::List(
        "request",
        vec![Val::Obj(vec![
            ("service_request_id", Val::str(c.service_request_id.as_str())),
            ("service_notice", Val::str(c.service_notice.as_str())),
            ("account_id", Val::Null),
        ])],
    )
}
