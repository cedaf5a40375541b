//! 群众问了但没有答案的问题, the service part under `/knowledge/gaps` and `/api/v1/qa/gaps`:
//! supervisors read the kept questions grouped by similar wording and counted per week, and
//! start a draft entry from a group. What is kept is public text already (no asker, no place).

use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, Gap, GapGroup, GapReason, QaStatus, group_gaps, week_of};
use xinqiao_store::knowledge::EntryText;

/// Weeks shown by default, and at most.
pub const DEFAULT_WEEKS: i64 = 8;
pub const MAX_WEEKS: i64 = 52;
/// Questions read for one report, at most.
const MAX_ROWS: i64 = 20_000;
/// Groups given, at most.
pub const MAX_GROUPS: usize = 200;

/// The kept questions of the last weeks, grouped.
pub struct GapsReport {
    /// The Mondays of the weeks covered, oldest first (the last holds today).
    pub mondays: Vec<Date>,
    /// The groups, the most asked first, at most [`MAX_GROUPS`].
    pub groups: Vec<GapGroup>,
    /// Questions read.
    pub questions: usize,
}

impl GapsReport {
    /// A group's count for each of the report's weeks, oldest first.
    pub fn counts(&self, group: &GapGroup) -> Vec<usize> {
        self.mondays.iter().map(|m| group.per_week.iter().find(|(w, _)| w == m).map_or(0, |(_, n)| *n)).collect()
    }
}

/// Refuses (403, audited) a caller who may not read the unanswered questions.
pub async fn require_gap_reader(state: &AppState, caller: &Caller<'_>) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "qa_gaps").await
}

/// The `weeks` weeks (clamped to 1–52) up to the one holding the application's today.
pub async fn gaps_report(state: &AppState, caller: &Caller<'_>, weeks: i64) -> Result<GapsReport, AppError> {
    require_gap_reader(state, caller).await?;
    let weeks = weeks.clamp(1, MAX_WEEKS);
    let first = Date(week_of(state.today()).0 - 7 * (weeks - 1));
    let rows = state.store.gaps_since(first.0, MAX_ROWS).await?;
    let gaps: Vec<Gap> = rows
        .into_iter()
        .map(|r| Gap {
            id: r.id,
            question: r.question,
            words: r.words,
            week: Date(r.week),
            reason: GapReason::parse(&r.reason).unwrap_or(GapReason::NoMatch),
            audience: Audience::parse(&r.audience),
            drafted: r.draft_id,
        })
        .collect();
    Ok(GapsReport {
        mondays: (0..weeks).map(|i| Date(first.0 + 7 * i)).collect(),
        groups: group_gaps(&gaps).into_iter().take(MAX_GROUPS).collect(),
        questions: gaps.len(),
    })
}

/// A draft started from a group of unanswered questions.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GapDraftInput {
    #[serde(default)]
    pub question: String,
    /// The group's question ids, separated by commas.
    #[serde(default)]
    pub ids: String,
    #[serde(default)]
    pub audience: String,
    /// The group's key words, separated by 、.
    #[serde(default)]
    pub words: String,
}

/// One click: a draft entry whose question is the group's wording, linked to its questions;
/// returns the draft's id. The draft will be public: what the form carries passes the public
/// check again.
pub async fn draft_from_gaps(state: &AppState, caller: &Caller<'_>, input: &GapDraftInput) -> Result<String, AppError> {
    require_gap_reader(state, caller).await?;
    let typed: String = input.question.trim().chars().take(xinqiao_store::qa_gaps::MAX_GAP_CHARS).collect();
    let question = crate::text::public_of(&*state.detector().await, &typed);
    if question.is_empty() {
        return Err(AppError::field("question", "required", "请选择一组问题"));
    }
    let ids: Vec<String> = input.ids.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
    let audience = Audience::parse(&input.audience).unwrap_or(Audience::Consumer);
    let text = EntryText {
        question,
        audience: audience.code().into(),
        tags: input.words.split('、').filter(|w| !w.is_empty()).take(5).collect::<Vec<_>>().join(","),
        ..Default::default()
    };
    let entry = state.store.create_entry(&caller.actor(), QaStatus::Draft, &text).await?;
    state.store.mark_gaps_drafted(&caller.actor(), &ids, &entry).await?;
    Ok(entry)
}
