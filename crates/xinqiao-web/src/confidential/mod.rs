//! 保密资料交换 pages: the exchanges one is party to, with the form to open one (`/confidential`);
//! an exchange (`/confidential/{id}`): the enterprise deposits images or PDFs signing its
//! commitment and sees who viewed what and when; a named officer signs the 保密承诺 and opens each
//! image as a watermarked rendering (`/confidential/{id}/files/{n}`) and each PDF page by page
//! (`/confidential/{id}/files/{n}/pages/{p}`, linked from the page list); both see the
//! destruction record.

pub mod service;

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::{PageForm, UPLOAD_BODY_LIMIT, Upload};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use service::{Detail, Party};
use xinqiao_domain::cases::attachments::MediaType;
use xinqiao_domain::confidential::{ENTERPRISE_COMMITMENT, OFFICER_COMMITMENT, neutral_name};
use xinqiao_domain::time::format_cst;
use xinqiao_store::confidential::Exchange;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/confidential", get(list_page).post(open))
        .route("/confidential/{id}", get(detail_page))
        .route("/confidential/{id}/commitment", post(sign))
        .route("/confidential/{id}/files", post(deposit).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
        .route("/confidential/{id}/files/{seq}", get(view))
        .route("/confidential/{id}/files/{seq}/pages/{page}", get(view_page))
}

/// An exchange as a line of the list.
pub struct Line {
    id: String,
    matter: String,
    uscc: String,
    destroy_day: String,
    destroyed: bool,
}

impl From<&Exchange> for Line {
    fn from(x: &Exchange) -> Self {
        Line {
            id: x.id.clone(),
            matter: x.matter.clone(),
            uscc: x.enterprise_uscc.clone(),
            destroy_day: x.destroy_day.to_string(),
            destroyed: x.destroyed_at.is_some(),
        }
    }
}

#[derive(Template)]
#[template(path = "confidential/list.html")]
struct ListPage {
    layout: Layout,
    lines: Vec<Line>,
    staff: bool,
    errors: Vec<String>,
    matter: String,
    uscc: String,
    destroy_day: String,
    officers: String,
}

async fn list_view(state: &AppState, staff: &Staff, form: Option<(&PageForm, AppError)>) -> PageResult<Response> {
    let lines = service::list(state, staff.user()).await?.iter().map(Line::from).collect();
    let status = form.as_ref().map_or(StatusCode::OK, |(_, e)| e.status());
    let errors = match form.as_ref().map(|(_, e)| e) {
        Some(AppError::Validation(fields)) => fields.iter().map(|f| f.message.clone()).collect(),
        Some(e) => vec![e.to_string()],
        None => Vec::new(),
    };
    let typed = form.as_ref().and_then(|(f, _)| f.typed::<OpenForm>(&[]).ok()).unwrap_or_default();
    let page = ListPage {
        layout: Layout::staff(
            "保密资料交换",
            staff.user(),
            staff.csrf(),
            "/confidential",
            !state.config.require_admin_totp,
        ),
        lines,
        staff: staff.can(xinqiao_domain::accounts::Permission::HandleCases),
        errors,
        matter: typed.matter,
        uscc: typed.enterprise_uscc,
        destroy_day: typed.destroy_day,
        officers: typed.officers,
    };
    Ok((status, render(&page)?).into_response())
}

async fn list_page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    list_view(&state, &staff, None).await
}

/// The form that opens an exchange (the officers' names in one field).
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct OpenForm {
    matter: String,
    enterprise_uscc: String,
    destroy_day: String,
    officers: String,
}

/// The officer's tick that they read and agree to the commitment (`on`; anything else is no).
#[derive(serde::Deserialize)]
struct SignForm {
    #[serde(default, deserialize_with = "said_yes")]
    agree: bool,
}

/// The deposit's text field: the enterprise's own commitment (a box on the page, `true` over the
/// API).
#[derive(serde::Deserialize)]
pub(crate) struct DepositFields {
    #[serde(default, deserialize_with = "said_yes")]
    pub commitment: bool,
}

/// `on` (a ticked box) or `true`; anything else, `false` included, is no commitment.
fn said_yes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = serde::Deserialize::deserialize(d)?;
    Ok(matches!(v.as_deref(), Some("on" | "true")))
}

async fn open(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let input: OpenForm = form.typed(&[])?;
    let officers = vec![input.officers];
    match service::open(
        &state,
        staff.user(),
        &staff.actor(),
        &input.matter,
        &input.enterprise_uscc,
        &input.destroy_day,
        &officers,
    )
    .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/confidential/{id}")).into_response()),
        Err(e @ AppError::Validation(_)) => list_view(&state, &staff, Some((&form, e))).await,
        Err(e) => Err(e.into()),
    }
}

struct FileLine {
    seq: i64,
    name: String,
    size_kb: i64,
    deposited: String,
    by: String,
    destroyed: bool,
    /// A PDF's page numbers (empty for an image).
    pages: Vec<i64>,
}

struct OfficerLine {
    name: String,
    /// When they signed (empty while not).
    signed: String,
}

struct ViewLine {
    file: String,
    viewer: String,
    at: String,
}

#[derive(Template)]
#[template(path = "confidential/detail.html")]
struct DetailPage {
    layout: Layout,
    id: String,
    matter: String,
    uscc: String,
    opened_by: String,
    destroy_day: String,
    destroyed_at: Option<String>,
    destroyed_files: i64,
    closed: bool,
    officers: Vec<OfficerLine>,
    enterprise: bool,
    named: bool,
    signed: bool,
    files: Vec<FileLine>,
    views: Vec<ViewLine>,
    enterprise_commitment: &'static str,
    officer_commitment: &'static str,
    errors: Vec<String>,
}

fn name_of(seq: i64, media: &str) -> String {
    MediaType::parse(media).map_or_else(|| format!("保密资料-{seq}"), |m| neutral_name(seq, m))
}

async fn detail_view(state: &AppState, staff: &Staff, id: &str, error: Option<AppError>) -> PageResult<Response> {
    let Detail { exchange: x, party, files, views, closed } =
        service::detail(state, staff.user(), &staff.actor(), id).await?;
    let status = error.as_ref().map_or(StatusCode::OK, AppError::status);
    let errors = match error {
        Some(AppError::Validation(fields)) => fields.into_iter().map(|f| f.message).collect(),
        Some(e) => vec![e.to_string()],
        None => Vec::new(),
    };
    let names: std::collections::BTreeMap<i64, String> =
        files.iter().map(|f| (f.seq, name_of(f.seq, &f.media))).collect();
    let shown = |seq: i64, page: Option<i64>| {
        let name = names.get(&seq).cloned().unwrap_or_default();
        page.map_or_else(|| name.clone(), |p| format!("{name} 第{p}页"))
    };
    let page = DetailPage {
        layout: Layout::staff(
            "保密资料交换",
            staff.user(),
            staff.csrf(),
            "/confidential",
            !state.config.require_admin_totp,
        ),
        id: x.id.clone(),
        matter: x.matter.clone(),
        uscc: x.enterprise_uscc.clone(),
        opened_by: x.opened_by_name.clone(),
        destroy_day: x.destroy_day.to_string(),
        destroyed_at: x.destroyed_at.map(format_cst),
        destroyed_files: x.destroyed_files.unwrap_or(0),
        closed,
        officers: x
            .officers
            .iter()
            .map(|o| OfficerLine { name: o.name.clone(), signed: o.signed_at.map(format_cst).unwrap_or_default() })
            .collect(),
        enterprise: party == Party::Enterprise,
        named: matches!(party, Party::Named { .. }),
        signed: party == Party::Named { signed: true },
        files: files
            .iter()
            .map(|f| FileLine {
                seq: f.seq,
                name: name_of(f.seq, &f.media),
                size_kb: (f.size + 1023) / 1024,
                deposited: format_cst(f.deposited_at),
                by: f.deposited_by_name.clone(),
                destroyed: f.destroyed,
                pages: (1..=f.pages.unwrap_or(0)).collect(),
            })
            .collect(),
        views: views
            .iter()
            .map(|v| ViewLine {
                file: shown(v.file_seq, v.page),
                viewer: format!("{}（{}）", v.user_name, v.username),
                at: format_cst(v.viewed_at),
            })
            .collect(),
        enterprise_commitment: ENTERPRISE_COMMITMENT,
        officer_commitment: OFFICER_COMMITMENT,
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

async fn detail_page(State(state): State<AppState>, staff: Staff, Path(id): Path<String>) -> PageResult<Response> {
    detail_view(&state, &staff, &id, None).await
}

async fn sign(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    staff.check_csrf(&form)?;
    let SignForm { agree } = form.typed(&[])?;
    match service::sign(&state, staff.user(), &staff.actor(), &id, agree).await {
        Ok(()) => Ok(Redirect::to(&format!("/confidential/{id}")).into_response()),
        Err(e @ (AppError::Conflict(_) | AppError::Validation(_))) => detail_view(&state, &staff, &id, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn deposit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    upload: Upload,
) -> PageResult<Response> {
    staff.check_csrf(&upload.form)?;
    let signed = upload.form.typed::<DepositFields>(&[])?.commitment;
    match service::deposit(&state, staff.user(), &staff.actor(), &id, signed, upload.files).await {
        Ok(_) => Ok(Redirect::to(&format!("/confidential/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => detail_view(&state, &staff, &id, Some(e)).await,
        Err(e) => Err(e.into()),
    }
}

/// The watermarked rendering of one file: never cached, never the original bytes.
pub(crate) fn svg_response(svg: String, id_seq: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/svg+xml; charset=utf-8".to_owned()),
            (header::CACHE_CONTROL, "no-store".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"confidential-{id_seq}.svg\"")),
        ],
        svg,
    )
        .into_response()
}

async fn view(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, seq)): Path<(String, i64)>,
) -> PageResult<Response> {
    let svg = service::view(&state, staff.user(), &staff.actor(), &id, seq, None).await?;
    Ok(svg_response(svg, &seq.to_string()))
}

async fn view_page(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, seq, page)): Path<(String, i64, i64)>,
) -> PageResult<Response> {
    let svg = service::view(&state, staff.user(), &staff.actor(), &id, seq, Some(page)).await?;
    Ok(svg_response(svg, &format!("{seq}-p{page}")))
}
