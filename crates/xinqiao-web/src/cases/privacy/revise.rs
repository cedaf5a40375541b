//! The officer's changes to a complaint's masking (mask, restore, hide a word, in the narrative
//! and the demand), the confirmation that opens it to the enterprise, and the start-up pass
//! over what older versions stored.

use super::{
    Mark, MarkKind, demand_review_of, detect, hide_in_demand, hide_word_in_demand, kept, mark_range, mark_text,
    marks_json, masked_text, public_of, review_of,
};
use crate::AppState;
use crate::error::AppError;
use xinqiao_store::cases::CaseRecord;

/// One change by the officer.
#[derive(Debug, Clone)]
pub enum Revision {
    /// Hide `start..end` (a doubtful span, or a restored one again).
    Mask(usize, usize),
    /// Show the masked span starting at `start` again.
    Restore(usize),
    /// Hide every occurrence of a word, in the narrative and in the demand.
    MaskText(String),
    /// Hide `start..end` of the demand (诉求): of its original where it is kept with its spans
    /// (a restored span is masked again), else of its masked text.
    MaskDemand(usize, usize),
    /// Show the masked span of the demand starting at `start` again (demands kept with spans).
    RestoreDemand(usize),
}

/// Applies one change of the officer to the masking of `case` (a complaint they may act on):
/// the masked text, the public text and the spans are kept anew, audited without any text.
pub async fn revise(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    revision: Revision,
) -> Result<(), AppError> {
    match revision {
        Revision::MaskDemand(..) | Revision::RestoreDemand(_) => {
            return revise_demand(state, actor, case, revision).await;
        }
        Revision::MaskText(ref word) => return mask_word(state, actor, case, word).await,
        Revision::Mask(..) | Revision::Restore(_) => {}
    }
    let Some(mut review) = review_of(state, case).await? else {
        return Err(AppError::Conflict("原文无法用本节点的密钥打开，无法调整遮蔽".into()));
    };
    let text = &review.text;
    let marks = &mut review.marks;
    let (what, detail) = match revision {
        Revision::Mask(s, e) => remask(state, case, text, marks, s, e).await?,
        Revision::Restore(s) => restore(marks, s)?,
        _ => unreachable!("handled above"),
    };
    let (masked, privacy) = kept(text, marks);
    state.store.revise_masking(actor, &case.id, &masked, &privacy, what, detail).await?;
    Ok(())
}

/// Hides `s..e` of `text`: a restored span masked again as what the detector said it was, else
/// a new span the officer marked. Returns the audit's change and detail (offsets only).
async fn remask(
    state: &AppState,
    case: &CaseRecord,
    text: &str,
    marks: &mut Vec<Mark>,
    s: usize,
    e: usize,
) -> Result<(&'static str, serde_json::Value), AppError> {
    if let Some(m) = marks.iter_mut().find(|m| m.kind == MarkKind::Restored && m.start == s && m.end == e) {
        let kind = detect(&*state.detector().await, text, &case.enterprise_name, None)
            .into_iter()
            .find(|d| d.start == s && d.end == e)
            .map_or(MarkKind::Marked, |d| d.kind);
        m.kind = kind;
    } else if !mark_range(text, marks, s, e) {
        return Err(AppError::field("span", "invalid", "要隐去的位置无效或与已遮蔽的内容重叠"));
    }
    Ok(("mask", serde_json::json!({"start": s, "end": e})))
}

/// Shows the masked span starting at `s` again; the audit's change and detail (offsets and
/// the kind, never the text).
fn restore(marks: &mut [Mark], s: usize) -> Result<(&'static str, serde_json::Value), AppError> {
    let Some(m) = marks.iter_mut().find(|m| m.start == s && m.kind.hides()) else {
        return Err(AppError::field("span", "invalid", "没有从该位置开始的遮蔽内容"));
    };
    let kind = m.kind.code();
    m.kind = MarkKind::Restored;
    Ok(("restore", serde_json::json!({"start": s, "end": m.end, "kind": kind})))
}

/// A change to the demand: on its original and spans where they are kept, else (older cases)
/// hiding more of its masked text, the only change possible there.
async fn revise_demand(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    revision: Revision,
) -> Result<(), AppError> {
    let Some(mut review) = demand_review_of(state, case).await? else {
        let Revision::MaskDemand(s, e) = revision else {
            return Err(AppError::Conflict(
                "该诉求提交于可恢复功能启用之前（或本节点的密钥无法打开原文），只能另行隐去".into(),
            ));
        };
        let Some(demand) = hide_in_demand(&case.demand_masked, s, e) else {
            return Err(AppError::field("span", "invalid", "要隐去的位置无效或与已遮蔽的内容重叠"));
        };
        let detail = serde_json::json!({"start": s, "end": e});
        state.store.revise_demand_masking(actor, &case.id, &demand, detail).await?;
        return Ok(());
    };
    let (text, marks) = (&review.text, &mut review.marks);
    let (what, detail) = match revision {
        Revision::MaskDemand(s, e) => remask(state, case, text, marks, s, e).await?,
        Revision::RestoreDemand(s) => restore(marks, s)?,
        _ => unreachable!("only demand revisions come here"),
    };
    let masked = masked_text(text, marks);
    state.store.revise_demand(actor, &case.id, &masked, Some(&marks_json(marks)), what, detail).await?;
    Ok(())
}

/// Hides every occurrence of `word` in what the enterprise sees: the narrative and the demand.
async fn mask_word(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    word: &str,
) -> Result<(), AppError> {
    let word = word.trim();
    if word.chars().count() < 2 {
        return Err(AppError::field("words", "length", "要隐去的文字至少2个字"));
    }
    let mut in_narrative = 0;
    let review = review_of(state, case).await?;
    let opened = review.is_some();
    if let Some(mut review) = review {
        in_narrative = mark_text(&review.text, &mut review.marks, word);
        if in_narrative > 0 {
            let (masked, privacy) = kept(&review.text, &review.marks);
            let detail = serde_json::json!({"occurrences": in_narrative});
            state.store.revise_masking(actor, &case.id, &masked, &privacy, "mask", detail).await?;
        }
    }
    let in_demand = match demand_review_of(state, case).await? {
        Some(mut d) => {
            let n = mark_text(&d.text, &mut d.marks, word);
            if n > 0 {
                let masked = masked_text(&d.text, &d.marks);
                let detail = serde_json::json!({"occurrences": n});
                state
                    .store
                    .revise_demand(actor, &case.id, &masked, Some(&marks_json(&d.marks)), "mask", detail)
                    .await?;
            }
            n
        }
        None => {
            let (demand, n) = hide_word_in_demand(&case.demand_masked, word);
            if n > 0 {
                let detail = serde_json::json!({"occurrences": n});
                state.store.revise_demand_masking(actor, &case.id, &demand, detail).await?;
            }
            n
        }
    };
    if !opened && in_demand == 0 {
        return Err(AppError::Conflict("原文无法用本节点的密钥打开，无法调整遮蔽".into()));
    }
    if in_narrative + in_demand == 0 {
        return Err(AppError::field("words", "not_found", "原文中没有找到这段文字（或已遮蔽）"));
    }
    Ok(())
}

/// The officer confirms the masking: from now on the enterprise sees the complaint.
pub async fn confirm(state: &AppState, actor: &xinqiao_store::audit::Actor, case: &CaseRecord) -> Result<(), AppError> {
    if case.kind != xinqiao_domain::cases::CaseKind::Complaint {
        return Err(AppError::Conflict("只有投诉会提供给被投诉企业".into()));
    }
    state.store.confirm_masking(actor, &case.id).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::MaskingConfirmed,
        )) => AppError::Conflict("已经确认过".into()),
        other => other.into(),
    })
}

/// Keeps a public text for cases from before it was kept: made from the masked text (which
/// already hides the submitter's own details), whatever the detector finds in it and every old
/// mask fragment dropped whole. Run at start; safe to run again. Returns how many were kept.
pub async fn keep_old_public(state: &AppState) -> Result<u64, AppError> {
    let mut done = 0;
    let mut after = String::new();
    loop {
        let page = state.store.narratives_without_public(&after, 200).await?;
        let Some(last) = page.last() else { break };
        after = last.0.clone();
        let detector = state.detector().await;
        let publics: Vec<(String, String)> =
            page.into_iter().map(|(id, masked)| (id, public_of(&detector, &masked))).collect();
        state.store.keep_narrative_publics(&publics).await?;
        done += publics.len() as u64;
    }
    Ok(done)
}

/// The start-up work of this module and of attachment names: old values brought under the
/// current rules, in the background (logged by count, never by content).
/// The one-off pass at start over what older versions stored: attachment names sealed, public
/// texts kept for older narratives. Run by the supervisor.
pub fn upgrade_task() -> crate::tasks::Task {
    crate::tasks::Task::once("privacy-upgrade", |state: AppState| async move {
        let names = crate::cases::files::seal_old_names(&state, &xinqiao_store::audit::Actor::system()).await;
        match &names {
            Ok(0) => {}
            Ok(n) => tracing::info!(names = n, "attachment names sealed"),
            Err(e) => tracing::warn!(error = %e, "attachment names could not be sealed"),
        }
        let public = keep_old_public(&state).await;
        match &public {
            Ok(0) => {}
            Ok(n) => tracing::info!(cases = n, "public texts kept for older narratives"),
            Err(e) => tracing::warn!(error = %e, "public texts of older narratives could not be kept"),
        }
        if names.is_err() || public.is_err() {
            return Err(crate::tasks::TaskError("旧数据的隐私升级未能完成"));
        }
        Ok(())
    })
}
