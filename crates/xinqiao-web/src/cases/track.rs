//! The public's tracking pages (查询进度): a case and its public history for the tracking code
//! and access key, the rating, the answer to the enterprise's settlement proposal (with its
//! confirmation before declining) and supplementary materials. They work without JavaScript.

use super::intake::access_key_hash;
use crate::AppState;
use crate::dates::ShownDate;
use crate::error::{AppError, PageResult};
use crate::extract::PageForm;
use crate::extract::{UPLOAD_BODY_LIMIT, Upload};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::TrackingCode;
use xinqiao_domain::time::format_cst;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::CaseRecord;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/track", get(track_page).post(track_submit))
        .route("/track/rate", axum::routing::post(rate_submit))
        .route("/track/settlement", axum::routing::post(settlement_submit))
        .route(
            "/track/supplement",
            axum::routing::post(supplement_submit).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
}

#[derive(Template)]
#[template(path = "cases/track.html")]
struct TrackPage {
    layout: Layout,
    code: String,
    /// Echoed into the rating form of the person's own page.
    key: String,
    error: Option<String>,
    case: Option<CaseView>,
}

pub struct EventView {
    time: String,
    status: String,
    note: String,
}

pub struct CaseView {
    code: String,
    kind: &'static str,
    status: &'static str,
    enterprise: String,
    received: String,
    bureau: String,
    events: Vec<EventView>,
    /// Closed and not yet rated: the complainant may rate it.
    can_rate: bool,
    /// Still open: the complainant may send more materials.
    can_supplement: bool,
    /// The enterprise's settlement proposal waiting for the complainant's answer.
    proposal: Option<String>,
    /// The last day of 先行和解, while the complaint is in it.
    settle_until: Option<ShownDate>,
    /// The time limit the case is waiting on now.
    deadline: Option<super::view::Deadline>,
    files: Vec<super::files::FileView>,
    /// The case's path with where it stands, in plain words.
    steps: Vec<super::steps::Step>,
}

/// A case and its public history, if `code` and `key` belong together. An unknown code and a
/// wrong key get the same answer, so neither can be probed.
pub async fn lookup(
    state: &AppState,
    code: &str,
    key: &str,
) -> Result<Option<(CaseRecord, Vec<xinqiao_store::cases::CaseEvent>)>, AppError> {
    let Ok(code) = TrackingCode::parse(code) else { return Ok(None) };
    let case = match state.store.case_by_tracking_code(code.as_str()).await {
        Ok(c) => c,
        Err(xinqiao_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !crate::auth::same_token(&access_key_hash(key), &case.access_key_hash) {
        return Ok(None);
    }
    let events = state.store.case_events(&case.id, true).await?;
    Ok(Some((case, events)))
}

async fn case_view(
    state: &AppState,
    case: &CaseRecord,
    events: &[xinqiao_store::cases::CaseEvent],
) -> Result<CaseView, AppError> {
    use xinqiao_domain::cases::Status;
    let proposal = state
        .store
        .proposals(&case.id)
        .await?
        .into_iter()
        .rfind(|p| p.status == xinqiao_store::cases::ProposalStatus::Proposed)
        .map(|p| p.text);
    let files = state.store.attachments(&case.id).await?.iter().map(super::files::FileView::of).collect();
    Ok(CaseView {
        can_supplement: !case.status.is_final() && !matches!(case.status, Status::Closed | Status::NotOpened),
        proposal,
        settle_until: case
            .settle_until
            .filter(|_| case.status == Status::Settling)
            .map(|d| ShownDate::stored(&state.calendar(), Date(case.received_day), Date(d))),
        deadline: super::view::deadline(state, case).await?,
        files,
        steps: super::steps::steps(case.kind, case.status),
        code: TrackingCode::parse(&case.tracking_code)
            .map(|c| c.to_string())
            .unwrap_or_else(|_| case.tracking_code.clone()),
        kind: case.kind.label(),
        status: case.status.label(),
        enterprise: case.enterprise_name.clone(),
        received: Date(case.received_day).to_string(),
        bureau: case.org_name.clone().unwrap_or_else(|| "市场监督管理部门（待分派）".into()),
        can_rate: case.rating.is_none()
            && matches!(case.status, xinqiao_domain::cases::Status::Closed | xinqiao_domain::cases::Status::FollowedUp),
        events: events
            .iter()
            .map(|e| EventView {
                time: format_cst(e.at_ms),
                status: e.to_status.map(|s| s.label().to_owned()).unwrap_or_default(),
                note: e.note.clone(),
            })
            .collect(),
    })
}

async fn track_page(State(state): State<AppState>) -> PageResult<Response> {
    let p = TrackPage {
        layout: Layout::public("查询办理进度", crate::pages::demo(&state)),
        code: String::new(),
        key: String::new(),
        error: None,
        case: None,
    };
    Ok(render(&p)?)
}

/// The forms of the tracking page: the case's code and key, and what the form does with them.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct TrackForm {
    code: String,
    key: String,
    /// The rating form: 1–5 and a comment.
    rating: String,
    comment: String,
    /// The settlement form: `accept` or `decline`, and the confirmation of a decline.
    answer: String,
    confirmed: Option<String>,
    /// The supplement form's note.
    note: String,
}

async fn track_submit(State(state): State<AppState>, form: PageForm) -> PageResult<Response> {
    let TrackForm { code, key, .. } = form.typed(&[])?;
    track_view(&state, &code, &key, None).await
}

async fn track_view(state: &AppState, code: &str, key: &str, notice: Option<String>) -> PageResult<Response> {
    let found = lookup(state, code, key).await?;
    let (status, error, case) = match found {
        Some((c, events)) => (StatusCode::OK, None, Some(case_view(state, &c, &events).await?)),
        None => (StatusCode::NOT_FOUND, Some("受理编号或查询码不正确，请核对后重试。".to_owned()), None),
    };
    let key = if case.is_some() { key.to_owned() } else { String::new() };
    let p = TrackPage {
        layout: Layout::public("查询办理进度", crate::pages::demo(state)).with_notice(notice),
        code: code.trim().to_owned(),
        key,
        error,
        case,
    };
    Ok((status, render(&p)?).into_response())
}

/// Rates a closed case: by the holder of its code and key, once.
pub async fn rate(
    state: &AppState,
    code: &str,
    key: &str,
    rating: &str,
    comment: &str,
    addr: &str,
) -> Result<(), AppError> {
    let (case, _) = lookup(state, code, key).await?.ok_or(AppError::NotFound)?;
    let rating: u8 = rating.trim().parse().map_err(|_| AppError::field("rating", "range", "请选择1至5分"))?;
    let own = [case.enterprise_name.as_str()];
    let comment: String = state.detector().await.mask_for(comment.trim(), &own).chars().take(500).collect();
    state.store.rate_case(&Actor::anonymous("", addr), &case.id, rating, &comment).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::AlreadyRated,
        )) => AppError::Conflict("只有已办结、尚未评价的诉求可以评价".into()),
        other => other.into(),
    })
}

async fn rate_submit(
    State(state): State<AppState>,
    crate::extract::ClientAddr(addr): crate::extract::ClientAddr,
    form: PageForm,
) -> PageResult<Response> {
    let f: TrackForm = form.typed(&[])?;
    let (code, key) = (f.code.as_str(), f.key.as_str());
    match rate(&state, code, key, &f.rating, &f.comment, &addr).await {
        Ok(()) => track_view(&state, code, key, Some("感谢您的评价。".into())).await,
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            track_view(&state, code, key, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The complainant answers the enterprise's settlement proposal, as the holder of the code and
/// key. Returns the case's status afterwards.
pub async fn answer_settlement(
    state: &AppState,
    code: &str,
    key: &str,
    accept: bool,
    addr: &str,
) -> Result<xinqiao_domain::cases::Status, AppError> {
    let (case, _) = lookup(state, code, key).await?.ok_or(AppError::NotFound)?;
    let today = state.today().0;
    state.store.answer_settlement(&Actor::anonymous("", addr), &case.id, accept, today).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::NoOpenProposal,
        )) => AppError::Conflict("没有待答复的和解方案".into()),
        other => other.into(),
    })
}

async fn settlement_submit(
    State(state): State<AppState>,
    crate::extract::ClientAddr(addr): crate::extract::ClientAddr,
    form: PageForm,
) -> PageResult<Response> {
    let f: TrackForm = form.typed(&[])?;
    let (code, key) = (f.code.as_str(), f.key.as_str());
    let accept = match f.answer.as_str() {
        "accept" => true,
        "decline" => false,
        _ => return track_view(&state, code, key, Some("请选择接受或不接受".into())).await,
    };
    // Declining cannot be undone: the form's `confirmed` (empty) asks for a second page first.
    if !accept && f.confirmed.as_deref().is_some_and(|v| v != "1") {
        return decline_confirmation(&state, code, key).await;
    }
    match answer_settlement(&state, code, key, accept, &addr).await {
        Ok(_) => {
            let said = if accept {
                "您已接受和解方案。"
            } else {
                "您未接受和解方案，市场监督管理部门将继续处理。"
            };
            track_view(&state, code, key, Some(said.into())).await
        }
        Err(e @ AppError::Conflict(_)) => track_view(&state, code, key, Some(e.to_string())).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "cases/settlement_confirm.html")]
struct DeclineConfirmPage {
    layout: Layout,
    code: String,
    key: String,
    proposal: String,
    /// Still in 先行和解 (declining brings the complaint to the bureau).
    settling: bool,
}

/// The second page before declining the enterprise's proposal: what is declined, 确认 or 返回
/// (nothing done). Without an open proposal, the tracking page says so.
async fn decline_confirmation(state: &AppState, code: &str, key: &str) -> PageResult<Response> {
    let (case, _) = lookup(state, code, key).await?.ok_or(AppError::NotFound)?;
    let open = state
        .store
        .proposals(&case.id)
        .await?
        .into_iter()
        .rfind(|p| p.status == xinqiao_store::cases::ProposalStatus::Proposed);
    let Some(proposal) = open else {
        let conflict = xinqiao_store::Conflict::Case(xinqiao_store::conflict::CaseConflict::NoOpenProposal);
        return track_view(state, code, key, Some(crate::error::conflict_message(&conflict).into())).await;
    };
    let page = DeclineConfirmPage {
        layout: Layout::public("确认不接受和解方案", crate::pages::demo(state)),
        code: code.trim().to_owned(),
        key: key.to_owned(),
        proposal: proposal.text,
        settling: case.status == xinqiao_domain::cases::Status::Settling,
    };
    Ok(render(&page)?)
}

/// The complainant's supplement (补充材料): a note and up to five files, on an open case.
pub async fn supplement(
    state: &AppState,
    code: &str,
    key: &str,
    note: &str,
    files: Vec<crate::extract::UploadedFile>,
    addr: &str,
) -> Result<(), AppError> {
    let (case, _) = lookup(state, code, key).await?.ok_or(AppError::NotFound)?;
    let note = note.trim();
    if note.chars().count() > 2000 {
        return Err(AppError::field("note", "length", "补充说明不超过2000个字"));
    }
    if note.is_empty() && files.is_empty() {
        return Err(AppError::field("note", "required", "请填写补充说明或选择附件"));
    }
    let attachments = super::files::prepare(state, files).await?;
    let masked = state.detector().await.mask_for(note, &[case.enterprise_name.as_str()]);
    let today = state.today().0;
    state.store.supplement(&Actor::anonymous("", addr), &case.id, &masked, &attachments, today).await.map_err(|e| {
        match e {
            xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
                xinqiao_store::conflict::CaseConflict::TooManyFiles,
            )) => AppError::field(
                "attachments",
                "attachment_too_many",
                format!("每件诉求最多保存{}个附件", xinqiao_store::cases::MAX_PER_CASE),
            ),
            xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
                xinqiao_store::conflict::CaseConflict::Closed,
            )) => AppError::Conflict("诉求已办结，不能再补充材料".into()),
            other => other.into(),
        }
    })
}

async fn supplement_submit(
    State(state): State<AppState>,
    crate::extract::ClientAddr(addr): crate::extract::ClientAddr,
    upload: Upload,
) -> PageResult<Response> {
    let f: TrackForm = upload.form.typed(&[])?;
    let (code, key) = (f.code.as_str(), f.key.as_str());
    match supplement(&state, code, key, &f.note, upload.files, &addr).await {
        Ok(()) => track_view(&state, code, key, Some("补充材料已收到。".into())).await,
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            track_view(&state, code, key, Some(e.to_string())).await
        }
        Err(e) => Err(e.into()),
    }
}
