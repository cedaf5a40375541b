//! The enterprise portal's one service: an 企业用户 reads the complaints about its own 统一社会信用代码
//! (masked, nothing about the complainant; reports never), answers them and proposes a settlement.
//! A complaint appears only once an officer confirmed its masking (unless the bureau turned that
//! review off). The pages (`enterprise.rs`) and the API (`/api/v1/enterprise/cases`) both call it.

use super::view::shown_code;
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_store::cases::{CaseFilter, CaseRecord};

/// The enterprise's answer to a complaint (5–2,000 characters; personal data masked).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplyInput {
    #[serde(default)]
    pub reply: String,
}

/// A settlement the enterprise proposes (5–1,000 characters; personal data masked); the
/// complainant answers it on the tracking page.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposalInput {
    #[serde(default)]
    pub proposal: String,
}

/// One complaint in the enterprise's list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalRow {
    /// The record's id (the pages' address).
    #[serde(skip)]
    pub id: String,
    /// 受理编号 as shown.
    pub code: String,
    pub status: String,
    pub status_label: String,
    pub received_at_ms: i64,
    /// The first 60 characters of the masked account.
    pub excerpt: String,
    /// In 先行和解: the last day to settle (`YYYY-MM-DD`).
    pub settle_until: Option<String>,
}

/// The enterprise's complaints and their counts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalList {
    pub total: usize,
    pub open: usize,
    pub settled: usize,
    pub cases: Vec<PortalRow>,
}

/// A step of a complaint's history as the enterprise sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalStep {
    pub at_ms: i64,
    pub text: String,
}

/// A settlement proposal and where it stands.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalProposal {
    pub proposed_at_ms: i64,
    pub text: String,
    pub status: String,
}

/// One complaint as the enterprise sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PortalCase {
    #[serde(skip)]
    pub id: String,
    pub code: String,
    pub status: String,
    pub status_label: String,
    pub narrative: String,
    pub demand: String,
    pub steps: Vec<PortalStep>,
    pub proposals: Vec<PortalProposal>,
    pub can_reply: bool,
    pub can_propose: bool,
    /// In 先行和解: the last day to settle (`YYYY-MM-DD`), and the day it was counted from.
    pub settle_until: Option<String>,
    #[serde(skip)]
    pub settle_window: Option<(Date, Date)>,
}

fn uscc_of(caller: &Caller<'_>) -> Result<String, AppError> {
    caller.user().uscc.clone().ok_or_else(|| AppError::Forbidden("企业账户未绑定统一社会信用代码".into()))
}

/// A complaint about the caller's own enterprise, or 404 (another's, a report, or not yet
/// confirmed by the masking review).
pub async fn own_case(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<CaseRecord, AppError> {
    caller.require(state, Permission::EnterprisePortal, &format!("case:{id}")).await?;
    let uscc = uscc_of(caller)?;
    let case = state.store.case(id).await?;
    if case.kind != CaseKind::Complaint
        || case.enterprise_uscc.as_deref() != Some(uscc.as_str())
        || !super::privacy::enterprise_may_see(state, &case).await?
    {
        return Err(AppError::NotFound);
    }
    Ok(case)
}

/// The caller's enterprise's complaints (at most 500, newest first) and counts.
pub async fn list(state: &AppState, caller: &Caller<'_>) -> Result<PortalList, AppError> {
    caller.require(state, Permission::EnterprisePortal, "enterprise").await?;
    let uscc = uscc_of(caller)?;
    let filter = CaseFilter {
        uscc: Some(uscc),
        kinds: vec![CaseKind::Complaint],
        privacy_confirmed: super::privacy::review_required(state).await?,
        limit: 500,
        ..Default::default()
    };
    let cases = state.store.list_cases(&filter).await?;
    let closed = |s: Status| matches!(s, Status::Closed | Status::FollowedUp | Status::Rejected);
    Ok(PortalList {
        total: cases.len(),
        open: cases.iter().filter(|c| !closed(c.status)).count(),
        settled: cases.iter().filter(|c| matches!(c.status, Status::Closed | Status::FollowedUp)).count(),
        cases: cases
            .iter()
            .map(|c| PortalRow {
                id: c.id.clone(),
                code: shown_code(c),
                status: c.status.code().to_owned(),
                status_label: c.status.label().to_owned(),
                received_at_ms: c.received_at,
                excerpt: c.narrative_masked.chars().take(60).collect(),
                settle_until: c.settle_until.filter(|_| c.status == Status::Settling).map(|d| Date(d).to_string()),
            })
            .collect(),
    })
}

/// One complaint of the caller's enterprise with its history and proposals.
pub async fn detail(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<PortalCase, AppError> {
    let case = own_case(state, caller, id).await?;
    let steps = state
        .store
        .case_events(&case.id, true)
        .await?
        .into_iter()
        .map(|e| PortalStep {
            at_ms: e.at_ms,
            text: match e.to_status {
                Some(s) => format!("{}：{}", s.label(), e.note),
                None => e.note,
            },
        })
        .collect();
    let proposals = state
        .store
        .proposals(&case.id)
        .await?
        .into_iter()
        .map(|p| PortalProposal { proposed_at_ms: p.proposed_at, text: p.text, status: p.status.label().to_owned() })
        .collect();
    let window =
        case.settle_until.filter(|_| case.status == Status::Settling).map(|d| (Date(case.received_day), Date(d)));
    Ok(PortalCase {
        id: case.id.clone(),
        code: shown_code(&case),
        status: case.status.code().to_owned(),
        status_label: case.status.label().to_owned(),
        narrative: case.narrative_masked.clone(),
        demand: case.demand_masked.clone(),
        steps,
        proposals,
        can_reply: !matches!(case.status, Status::FollowedUp | Status::Rejected),
        can_propose: matches!(case.status, Status::Settling | Status::Mediating),
        settle_until: window.map(|(_, d)| d.to_string()),
        settle_window: window,
    })
}

/// The enterprise answers a complaint (`case`, found by `own_case`); the answer joins the case's
/// history (masked; the enterprise's own name is no personal data).
pub async fn reply(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: ReplyInput,
) -> Result<(), AppError> {
    let text = input.reply.trim();
    if text.chars().count() < 5 || text.chars().count() > 2000 {
        return Err(AppError::field("reply", "length", "答复应为5至2000个字"));
    }
    if matches!(case.status, Status::FollowedUp | Status::Rejected) {
        return Err(AppError::Conflict("该诉求已办结，不能再答复".into()));
    }
    let masked = state.detector().await.mask_for(text, &[case.enterprise_name.as_str()]);
    let note = format!("企业答复：{masked}");
    state.store.add_case_note(&caller.actor(), &case.id, "enterprise.reply", &note, true).await?;
    Ok(())
}

/// The enterprise proposes a settlement on a complaint (`case`, found by `own_case`) in 先行和解 or
/// mediation.
pub async fn propose(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: ProposalInput,
) -> Result<(), AppError> {
    let text = input.proposal.trim();
    if text.chars().count() < 5 || text.chars().count() > 1000 {
        return Err(AppError::field("proposal", "length", "和解方案应为5至1000个字"));
    }
    let masked = state.detector().await.mask_for(text, &[case.enterprise_name.as_str()]);
    state.store.propose_settlement(&caller.actor(), &case.id, &masked).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::ChangedMeanwhile,
        )) => AppError::Conflict("只有先行和解或调解中的投诉可以提出和解方案".into()),
        other => other.into(),
    })?;
    Ok(())
}
