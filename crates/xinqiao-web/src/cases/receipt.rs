//! The complainant's receipt (回执) to keep: a printable page, or the same page as a file, with
//! the tracking code, the access key, the deadline and what happens next. Asked for by POST with
//! the code and key (never in a URL), answered `no-store`.

use super::steps::{Step, steps};
use super::track::lookup;
use crate::AppState;
use crate::error::PageResult;
use crate::extract::PageForm;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::post;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::TrackingCode;

pub fn router() -> Router<AppState> {
    Router::new().route("/track/receipt", post(receipt))
}

#[derive(Template)]
#[template(path = "cases/receipt_print.html")]
struct ReceiptPrint {
    layout: Layout,
    code: String,
    key: String,
    kind: &'static str,
    status: &'static str,
    received: String,
    bureau: String,
    /// (what the limit is for, its last day, a note on the calendar under it).
    deadline: Option<(&'static str, String, Option<String>)>,
    steps: Vec<Step>,
    hotline: &'static str,
}

/// The receipt form: the case's code and key; `download=1` asks for a file.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct ReceiptForm {
    code: String,
    key: String,
    download: String,
}

/// The receipt for the case whose code and key are posted; `download=1` sends it as a file.
async fn receipt(State(state): State<AppState>, form: PageForm) -> PageResult<Response> {
    let f: ReceiptForm = form.typed(&[])?;
    let (code, key) = (f.code.trim(), f.key.trim());
    let Some((case, _)) = lookup(&state, code, key).await? else {
        return Ok(crate::pages::error_page(StatusCode::NOT_FOUND, "受理编号或查询码不正确，请核对后重试。"));
    };
    let deadline = super::view::deadline(&state, &case).await?.map(|d| (d.label, d.date, d.calendar_note));
    let page = ReceiptPrint {
        layout: Layout::public("诉求回执", crate::pages::demo(&state)),
        code: TrackingCode::parse(&case.tracking_code).map_or_else(|_| case.tracking_code.clone(), |c| c.to_string()),
        key: key.to_owned(),
        kind: case.kind.label(),
        status: case.status.label(),
        received: Date(case.received_day).to_string(),
        bureau: case.org_name.clone().unwrap_or_else(|| "市场监督管理部门（待分派）".into()),
        deadline,
        steps: steps(case.kind, case.status),
        hotline: crate::text::HOTLINE,
    };
    let mut res = render(&page)?;
    let h = res.headers_mut();
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if f.download == "1" {
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"xinqiao-receipt.html\""),
        );
    }
    Ok(res)
}
