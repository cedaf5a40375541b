//! 政策问答 in case work, the one service: citing a published entry in a case reply (the public
//! tracking page then shows its question), and turning a case's answer into a Q&A draft in one
//! step (public text only: personal data dropped whole). The case comes already opened for the
//! caller (`case_access::acting_case_as`); the page and the API both call these.

use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::{ActionKind, CaseKind};
use xinqiao_domain::knowledge::QaStatus;
use xinqiao_store::cases::CaseRecord;

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CiteInput {
    /// The id of a published entry.
    pub entry: String,
}

/// Records that the reply on `case` used a published entry.
pub async fn cite_in_case(
    state: &AppState,
    caller: &Caller<'_>,
    case: &CaseRecord,
    input: CiteInput,
) -> Result<(), AppError> {
    caller.require(state, Permission::HandleCases, &format!("case:{}", case.id)).await?;
    let unknown = || AppError::field("entry", "unknown", "请选择已发布的问答");
    let entry = state.store.entry(input.entry.trim()).await.map_err(|_| unknown())?;
    if entry.status != QaStatus::Published {
        return Err(AppError::field("entry", "unpublished", "只能引用已发布的问答"));
    }
    let note = format!("答复参考政策问答：{}", entry.text.question);
    match state.store.link_entry_to_case(&caller.actor(), &case.id, &entry.id, &note).await {
        Ok(()) => Ok(()),
        Err(xinqiao_store::StoreError::NotFound) => {
            Err(AppError::field("entry", "unpublished", "只能引用已发布的问答"))
        }
        Err(e) => Err(e.into()),
    }
}

/// A new Q&A draft from `case`: its public account as the question to rework, the officer's
/// last public answer as the answer. Returns the draft's id.
pub async fn draft_from_case(state: &AppState, caller: &Caller<'_>, case: &CaseRecord) -> Result<String, AppError> {
    caller.require(state, Permission::HandleCases, &format!("case:{}", case.id)).await?;
    let events = state.store.case_events(&case.id, true).await?;
    let answered = [ActionKind::Reply, ActionKind::Close, ActionKind::Inform];
    let answer = events
        .iter()
        .rev()
        .find(|e| answered.iter().any(|a| a.audit_code() == e.action) && !e.note.is_empty())
        .map(|e| e.note.clone())
        .unwrap_or_default();
    // A Q&A entry is public text: personal data dropped whole ([已隐去]), never shown in part.
    let detector = state.detector().await;
    let public = match state.store.case_privacy(&case.id).await?.public {
        Some(p) => xinqiao_domain::privacy::drop_masked_fragments(&p),
        None => crate::text::public_of(&detector, &case.narrative_masked),
    };
    let question: String = public.chars().take(120).collect();
    let answer = crate::text::public_of(&detector, &answer);
    let audience = if case.kind == CaseKind::EnterpriseRequest { "enterprise" } else { "consumer" };
    let text = xinqiao_store::knowledge::EntryText {
        question,
        answer,
        explanation: String::new(),
        audience: audience.into(),
        industries: case.industry.clone().unwrap_or_default(),
        tags: case.kind.label().into(),
        citations: Vec::new(),
        review_by: None,
        example: false,
    };
    Ok(state.store.create_entry(&caller.actor(), QaStatus::Draft, &text).await?)
}
