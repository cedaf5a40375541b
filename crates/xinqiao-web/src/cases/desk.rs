//! An officer's desk, the one service: internal notes on a case, the complainant's contact
//! details read for a stated purpose (each look an audit entry, the purpose masked), and the
//! officer's 工作日志 (what was solved, what the parties said, what was learned). Personal data
//! in every text is masked before it is stored. The pages and the API both call it.

use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::Contact;
use xinqiao_store::cases::CaseRecord;

/// An internal note on a case (1–2,000 characters; masked; never shown to the enterprise).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    #[serde(default)]
    pub text: String,
}

/// Why the officer needs the complainant's contact details (kept in the audit trail, masked).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PurposeInput {
    #[serde(default)]
    pub purpose: String,
}

/// What a look at the contact details found.
#[derive(Debug)]
pub enum Identity {
    /// Submitted anonymously: there is nothing to show.
    Anonymous,
    Shown(Contact),
    /// Sealed under a key this node does not hold (a wrong key file): told, never guessed at.
    Unopenable,
}

/// A day of the work log as the page posts it and the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkLogInput {
    /// `YYYY-MM-DD`, today or before.
    #[serde(default)]
    pub day: String,
    #[serde(default)]
    pub solved: String,
    #[serde(default)]
    pub party_said: String,
    #[serde(default)]
    pub learned: String,
}

/// A stored day of the work log (masked).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorkLogEntry {
    pub day: String,
    pub solved: String,
    pub party_said: String,
    pub learned: String,
}

/// Adds an internal note to `case`, one the caller acts on (found by
/// `cases::service::case_to_act_on` or `case_by_code`, which authorise).
pub async fn add_note(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: NoteInput,
) -> Result<(), AppError> {
    let text = input.text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(AppError::field("text", "length", "记录应为1至2000字"));
    }
    let masked = state.detector().await.mask(text);
    state.store.add_case_note(&caller.actor(), &case.id, "case.note", &masked, false).await?;
    Ok(())
}

/// The complainant's contact details on `case` (found as for `add_note`), for a stated purpose:
/// the look is audited with the purpose (masked first: it is kept for good). A purpose that says
/// too little is refused.
pub async fn read_identity(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: PurposeInput,
) -> Result<Identity, AppError> {
    let purpose = state.detector().await.mask_for(input.purpose.trim(), &[case.enterprise_name.as_str()]);
    let sealed = match state.store.read_identity(&caller.actor(), &case.id, &purpose).await {
        Ok(sealed) => sealed,
        Err(xinqiao_store::StoreError::Invalid(e)) => return Err(AppError::Validation(vec![e])),
        Err(e) => return Err(e.into()),
    };
    Ok(match sealed {
        None => Identity::Anonymous,
        Some(s) => state
            .secrets
            .open(&super::intake::identity_aad(&case.tracking_code), &s)
            .and_then(|bytes| serde_json::from_slice::<Contact>(&bytes).ok())
            .map_or_else(
                || {
                    tracing::error!("a sealed identity could not be opened with this node's keys");
                    Identity::Unopenable
                },
                Identity::Shown,
            ),
    })
}

/// The caller's last 200 days of work log.
pub async fn work_logs(state: &AppState, caller: &Caller<'_>) -> Result<Vec<WorkLogEntry>, AppError> {
    caller.require(state, Permission::HandleCases, "worklog").await?;
    Ok(state
        .store
        .work_logs(&caller.user().id, 200)
        .await?
        .into_iter()
        .map(|e| WorkLogEntry {
            day: Date(e.day).to_string(),
            solved: e.solved,
            party_said: e.party_said,
            learned: e.learned,
        })
        .collect())
}

/// Adds a day to the caller's work log: at least one text, each at most 2,000 characters.
pub async fn add_work_log(state: &AppState, caller: &Caller<'_>, input: WorkLogInput) -> Result<(), AppError> {
    caller.require(state, Permission::HandleCases, "worklog").await?;
    let day = match Date::parse(input.day.trim()) {
        Some(d) if d <= state.today() => d,
        _ => return Err(AppError::field("day", "bad_date", "日期应为今天或之前的 YYYY-MM-DD")),
    };
    let texts = [input.solved, input.party_said, input.learned].map(|t| t.trim().to_owned());
    if texts.iter().all(|t| t.is_empty()) || texts.iter().any(|t| t.chars().count() > 2000) {
        return Err(AppError::field("solved", "length", "请至少填写一项，每项不超过2000字"));
    }
    let detector = state.detector().await;
    let [solved, said, learned] = texts.map(|t| detector.mask(&t));
    state.store.add_work_log(&caller.actor(), day.0, &solved, &said, &learned).await?;
    Ok(())
}
