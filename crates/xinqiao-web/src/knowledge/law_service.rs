//! 政策问答's law registry and weekly digest, the service part under `/laws`, `/knowledge/digest`
//! and their API: anyone who writes entries (officers and supervisors, `HandleCases`) reads the
//! registry and the digest; a supervisor records a law's new version or repeal, and every entry
//! citing an older version goes back to 待复核 (the domain's `cascade`).

use super::{registry, to_domain};
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Citation, Law, QaEntry, QaStatus, cascade};
use xinqiao_store::knowledge::{EntryText, LawVersionRow};

/// A law's new version (`version`, `effective`) or its repeal (`status` = `repealed`).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LawChangeInput {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub effective: String,
    #[serde(default)]
    pub status: String,
}

/// The law registry, for anyone who writes entries.
pub async fn laws(state: &AppState, caller: &Caller<'_>) -> Result<Vec<Law>, AppError> {
    caller.require(state, Permission::HandleCases, "laws").await?;
    registry(state).await
}

/// Records a law's new version or repeal (supervisors): every 待审 or 已发布 entry citing an
/// older version becomes 待复核. Returns the sentence that says what was recorded.
pub async fn change_law(
    state: &AppState,
    caller: &Caller<'_>,
    id: &str,
    input: &LawChangeInput,
) -> Result<String, AppError> {
    caller.require(state, Permission::SuperviseCases, &format!("law:{id}")).await?;
    let laws = registry(state).await?;
    let Some(mut law) = Law::find(&laws, id).cloned() else { return Err(AppError::NotFound) };
    let version = input.version.trim().to_owned();
    let effective = xinqiao_domain::time::parse_cst_date(&input.effective).map(Date::of_epoch_ms);
    let repeal = input.status == "repealed";
    let change = if repeal { law.repeal(None) } else { law.add_version(&version, effective, "") };
    let change = change.map_err(|e| AppError::field("version", "bad_law_change", e.to_string()))?;
    // Every 待审 or 已发布 entry citing the law, with its citations, in one read.
    let citing = state.store.entries_citing(id, &[QaStatus::Review, QaStatus::Published]).await?;
    let domain: Vec<(String, QaStatus, Vec<Citation>)> = citing
        .into_iter()
        .map(|(entry, status, cites)| {
            let text = EntryText { citations: cites, ..Default::default() };
            let citations = to_domain(&entry, &text).citations;
            (entry, status, citations)
        })
        .collect();
    let decided = cascade(
        std::slice::from_ref(&change),
        domain.iter().map(|(id, s, c)| xinqiao_domain::knowledge::Citing { key: id.clone(), status: *s, citations: c }),
    );
    let row = if repeal {
        let current = law.versions.iter().rev().find(|v| v.status == xinqiao_domain::knowledge::LawStatus::Repealed);
        LawVersionRow {
            version: current.map(|v| v.id.clone()).unwrap_or_default(),
            effective_day: current.and_then(|v| v.effective).map(|d| d.0),
            status: xinqiao_domain::knowledge::LawStatus::Repealed,
            replaced_by: None,
        }
    } else {
        LawVersionRow {
            version,
            effective_day: effective.map(|d| d.0),
            status: xinqiao_domain::knowledge::LawStatus::Current,
            replaced_by: None,
        }
    };
    let moved = state.store.change_law(&caller.actor(), id, &row, &decided.stale).await?;
    Ok(format!("已登记：{}。{}条问答转为待复核。", change.describe(&laws), moved.len()))
}

/// The entries published or revised between two days (`YYYY-MM-DD`, both included), with
/// their citations in words, for the weekly digest.
pub async fn digest(
    state: &AppState,
    caller: &Caller<'_>,
    from: &str,
    to: &str,
) -> Result<Vec<(QaEntry, Vec<String>)>, AppError> {
    caller.require(state, Permission::HandleCases, "knowledge").await?;
    let parse = xinqiao_domain::time::parse_cst_date;
    let (Some(from), Some(to)) = (parse(from), parse(to)) else {
        return Err(AppError::field("from", "date", "请填写起止日期（YYYY-MM-DD）"));
    };
    let laws = registry(state).await?;
    Ok(state
        .store
        .published_between(from, to + 86_400_000)
        .await?
        .iter()
        .map(|e| {
            let d = to_domain(&e.id, &e.text);
            let cites = d.citations.iter().map(|c| c.label(&laws)).collect();
            (d, cites)
        })
        .collect())
}
