//! The public home at `/` (我要投诉/举报/咨询/建议, 查询进度, 政策问答, the public statistics and
//! draws, the hotline and the privacy promise), and the favicon.
//!
//! Who sees what at `/`: a signed-in person gets their workbench (`workbench`); a browser whose
//! session ended (it still sends the session cookie, or it was signed out here and carries the
//! staff hint) is sent to the sign-in page as before; everyone else gets this public home.

use crate::AppState;
use crate::error::PageResult;
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::cases::CaseKind;

/// The public home's promise, one sentence (also tested).
pub const PRIVACY_PROMISE: &str =
    "您的姓名、电话、身份证号等身份信息全程加密保存，只有承办人员经留痕后才能查看，绝不告知被投诉企业。";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/public", get(public_home))
        .route("/favicon.ico", get(favicon))
        .route("/favicon.svg", get(favicon))
}

struct Entry {
    label: &'static str,
    href: String,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "public_home.html")]
struct PublicHome {
    layout: Layout,
    kinds: Vec<Entry>,
    hotline: &'static str,
    promise: &'static str,
}

fn kind_hint(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Complaint => "自己买东西、接受服务受到损失，要求企业解决",
        CaseKind::Report => "发现企业违法经营，请监管部门查处",
        CaseKind::Consultation => "不清楚政策或自己的权利，想问一问",
        CaseKind::Suggestion => "对市场监管工作有意见或建议",
        CaseKind::EnterpriseRequest => "",
    }
}

/// The public home, for anyone (also at `/public`, so staff can open it while signed in).
pub async fn page(state: &AppState) -> PageResult<Response> {
    let kinds = [CaseKind::Complaint, CaseKind::Report, CaseKind::Consultation, CaseKind::Suggestion]
        .into_iter()
        .map(|k| Entry { label: k.label(), href: format!("/submit?kind={}", k.code()), hint: kind_hint(k) })
        .collect();
    let p = PublicHome {
        layout: Layout::public("首页", crate::pages::demo(state)),
        kinds,
        hotline: crate::text::HOTLINE,
        promise: PRIVACY_PROMISE,
    };
    Ok(render(&p)?)
}

async fn public_home(axum::extract::State(state): axum::extract::State<AppState>) -> PageResult<Response> {
    page(&state).await
}

/// The site's icon, drawn in SVG (browsers asking for `/favicon.ico` accept it too).
async fn favicon() -> Response {
    let mut res = include_str!("../static/favicon.svg").into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    res
}
