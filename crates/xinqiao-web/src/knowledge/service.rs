//! 政策问答's one service, under the staff pages (`/knowledge…`, `/laws`), the public pages
//! (`/qa…`) and `/api/v1/qa…`: typed input (serde forms on both doors), the caller's duties
//! checked here (officers write and submit, a supervisor other than the author publishes,
//! supervisors keep the vocabulary, the laws and the unanswered questions), then the domain's
//! rules and the store. Refusals are typed errors; the doors only say them.

use super::{laws_of, registry, status_of, to_domain, to_store};
use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use crate::search::Hit;
use serde::Deserialize;
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{
    Audience, Citation, Finding, GapReason, Law, QaAction, QaEntry, QaStatus, Rules, allowed, apply, check_reviewer,
    lint, lint_entry, week_of,
};
use xinqiao_store::knowledge::EntryRow;
use xinqiao_store::qa_gaps::NewGap;

pub use super::gap_service::{DEFAULT_WEEKS, GapDraftInput, draft_from_gaps, gaps_report};
pub use super::law_service::{LawChangeInput, change_law, digest, laws};

/// Citations an entry carries at most (the editor's three rows).
pub const MAX_CITATIONS: usize = 3;
/// Characters a text sent to the plain-language check may have.
pub const MAX_LINT_CHARS: usize = 20_000;

/// One citation as typed: a law of the registry and, optionally, its article.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CitationInput {
    /// A law's id in the registry (an unknown one is refused).
    pub law_id: String,
    /// The article, e.g. 第二十五条.
    #[serde(default)]
    pub article: String,
}

/// An entry as the editor and the API send it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    pub question: String,
    pub answer: String,
    #[serde(default)]
    pub explanation: String,
    /// Who it is written for: `enterprise`, `consumer` (either or both).
    #[serde(default)]
    pub audience: Vec<String>,
    /// GB/T 4754 section letters, e.g. `FH`; empty for every industry.
    #[serde(default)]
    pub industries: String,
    /// Topics, separated by commas (the first is the entry's topic on the public page).
    #[serde(default)]
    pub tags: String,
    /// The date by which the entry is reviewed again (`YYYY-MM-DD`), or empty.
    #[serde(default)]
    pub review_by: String,
    /// At most three; the version cited is the law's version in force.
    #[serde(default)]
    pub citations: Vec<CitationInput>,
}

impl EntryInput {
    /// The entry, checked against the registry: every field error together.
    fn checked(&self, laws: &[Law]) -> Result<QaEntry, AppError> {
        let mut citations = Vec::new();
        for c in self.citations.iter().take(MAX_CITATIONS) {
            let law_id = c.law_id.trim();
            if law_id.is_empty() {
                continue;
            }
            // An unknown law is named by the entry's own check below (`unknown_law`).
            let version = Law::find(laws, law_id)
                .and_then(|law| law.current().or(law.latest()).map(|v| v.id.clone()))
                .unwrap_or_default();
            let article = c.article.trim();
            citations.push(Citation {
                law_id: law_id.to_owned(),
                version,
                article: Some(article.to_owned()).filter(|a| !a.is_empty()),
            });
        }
        let entry = QaEntry {
            id: String::new(),
            question: self.question.trim().to_owned(),
            answer: self.answer.trim().to_owned(),
            explanation: self.explanation.trim().to_owned(),
            citations,
            audience: self.audience.iter().filter_map(|a| Audience::parse(a)).collect(),
            industries: self.industries.trim().to_ascii_uppercase().chars().filter(|c| !c.is_whitespace()).collect(),
            tags: self.tags.split([',', '，']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            review_by: Date::parse(self.review_by.trim()),
            example: false,
        };
        let mut errors = entry.check(laws);
        if !self.review_by.trim().is_empty() && entry.review_by.is_none() {
            errors.push(FieldError::new("review_by", "invalid_date", "复核日期应写成“2027-06-30”这样的日期"));
        }
        if errors.is_empty() { Ok(entry) } else { Err(AppError::Validation(errors)) }
    }
}

/// A lifecycle action on an entry: `submit`, `approve`, `reject` or `retire`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    pub action: String,
}

/// Officers and supervisors work on entries (政策问答 is part of case work).
async fn writer(state: &AppState, caller: &Caller<'_>, target: &str) -> Result<(), AppError> {
    caller.require(state, Permission::HandleCases, target).await
}

/// Whether the caller may keep the search's synonyms and everyday words, the law registry and
/// the unanswered questions (业务主管).
pub fn may_supervise(caller: &Caller<'_>) -> bool {
    caller.can(Permission::SuperviseCases)
}

/// Starts a new draft; returns its id.
pub async fn create_entry(state: &AppState, caller: &Caller<'_>, input: &EntryInput) -> Result<String, AppError> {
    writer(state, caller, "knowledge").await?;
    let entry = input.checked(&registry(state).await?)?;
    Ok(state.store.create_entry(&caller.actor(), QaStatus::Draft, &to_store(&entry)).await?)
}

/// An entry for the staff (any status).
pub async fn staff_entry(state: &AppState, caller: &Caller<'_>, id: &str) -> Result<EntryRow, AppError> {
    writer(state, caller, "knowledge").await?;
    Ok(state.store.entry(id).await?)
}

/// Saves a new version over `seen` (the version the editor read; the current one when absent).
/// Editing a published or 待复核 entry takes it back to 草稿 (revise); a draft or an entry in
/// review stays where it is. Someone else's newer version is a typed conflict.
pub async fn revise_entry(
    state: &AppState,
    caller: &Caller<'_>,
    id: &str,
    seen: Option<i64>,
    input: &EntryInput,
) -> Result<(), AppError> {
    writer(state, caller, "knowledge").await?;
    let current = state.store.entry(id).await?;
    let status = status_of(&current);
    let to = match status {
        QaStatus::Draft | QaStatus::Review => status,
        other => apply(other, QaAction::Revise).map_err(|e| AppError::Refused {
            status: 409,
            code: xinqiao_domain::knowledge::IllegalQaTransition::CODE,
            message: e.to_string(),
        })?,
    };
    let mut entry = input.checked(&registry(state).await?)?;
    entry.example = current.text.example;
    let seen = seen.unwrap_or(current.version);
    // A newer version saved meanwhile is `KnowledgeConflict::VersionChanged`, told in its own
    // words (error.rs), never as a generic conflict.
    state.store.revise_entry(&caller.actor(), id, seen, to, &to_store(&entry)).await?;
    Ok(())
}

/// The lifecycle actions `caller` is offered on `entry`: submit for anyone who writes, approve
/// for a supervisor other than the author, reject and retire for supervisors.
pub fn offered_actions(caller: &Caller<'_>, entry: &EntryRow) -> Vec<QaAction> {
    let supervisor = caller.can(Permission::SuperviseCases);
    let mine = entry.author_id == caller.user().id;
    allowed(status_of(entry))
        .into_iter()
        .filter(|a| match a {
            QaAction::Submit => true,
            QaAction::Approve => supervisor && !mine,
            QaAction::Reject | QaAction::Retire => supervisor,
            QaAction::MarkStale | QaAction::Revise => false,
        })
        .collect()
}

/// Moves an entry through its lifecycle; returns its new status. Approving, rejecting and
/// retiring need a supervisor (403), approving one's own entry is refused (409, `self_review`),
/// an action the status does not allow is refused (409), and a status changed meanwhile is the
/// typed conflict.
pub async fn act(state: &AppState, caller: &Caller<'_>, id: &str, input: &ActInput) -> Result<QaStatus, AppError> {
    writer(state, caller, "knowledge").await?;
    let Some(action) =
        QaAction::parse(input.action.trim()).filter(|a| !matches!(a, QaAction::MarkStale | QaAction::Revise))
    else {
        return Err(AppError::field("action", "unknown_action", "未知的操作"));
    };
    if matches!(action, QaAction::Approve | QaAction::Reject | QaAction::Retire) {
        caller.require(state, Permission::SuperviseCases, &format!("qa:{id}")).await?;
    }
    let e = state.store.entry(id).await?;
    if check_reviewer(action, e.author_id.as_str(), caller.user().id.as_str()).is_err() {
        return Err(AppError::Refused {
            status: 409,
            code: xinqiao_domain::knowledge::SelfReview::CODE,
            message: "作者不能审核发布自己写的问答，请由另一位主管审核".into(),
        });
    }
    let from = status_of(&e);
    let to = apply(from, action).map_err(|err| AppError::Refused {
        status: 409,
        code: xinqiao_domain::knowledge::IllegalQaTransition::CODE,
        message: err.to_string(),
    })?;
    let code = match action {
        QaAction::Submit => "qa.submit",
        QaAction::Approve => "qa.publish",
        QaAction::Reject => "qa.reject",
        _ => "qa.retire",
    };
    // A status changed meanwhile is `KnowledgeConflict::StatusChanged`, told in its own words.
    state.store.set_entry_status(&caller.actor(), id, from, to, code).await?;
    Ok(to)
}

/// The staff's lists: (id, title, entries), in page order.
pub async fn staff_lists(
    state: &AppState,
    caller: &Caller<'_>,
) -> Result<Vec<(&'static str, &'static str, Vec<EntryRow>)>, AppError> {
    writer(state, caller, "knowledge").await?;
    let me = caller.user().id.as_str();
    let today = state.today();
    let store = &state.store;
    let mut groups = vec![
        ("mine", "我的草稿与待复核", store.entries(&[QaStatus::Draft, QaStatus::Stale], Some(me), 200).await?),
        ("review", "待审", store.entries(&[QaStatus::Review], None, 200).await?),
        ("due", "30天内到期复核", store.entries_due_for_review(today.0 + REVIEW_NOTICE_DAYS, 200).await?),
    ];
    if caller.can(Permission::SuperviseCases) {
        groups.push(("stale", "待复核（全部）", store.entries(&[QaStatus::Stale], None, 200).await?));
    }
    groups.push(("published", "已发布", store.entries(&[QaStatus::Published], None, 200).await?));
    Ok(groups)
}

/// How far ahead the list warns of entries whose review-by date comes up.
const REVIEW_NOTICE_DAYS: i64 = 30;

/// The staff search over entries (any status) and the cases of the caller's bureau tree.
pub async fn staff_search(
    state: &AppState,
    caller: &Caller<'_>,
    q: &str,
    filters: &crate::search::StaffFilters,
) -> Result<(Vec<Hit>, Vec<Hit>), AppError> {
    writer(state, caller, "knowledge").await?;
    if q.trim().is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let orgs = crate::scope::Scope::of_org(state, caller.user().org_id.as_deref()).await?.org_ids;
    crate::search::staff_search(state, q.trim(), &orgs, filters).await
}

/// The plain-language check (说人话检查) of an entry.
pub async fn entry_findings(state: &AppState, entry: &QaEntry) -> Vec<xinqiao_domain::knowledge::EntryFinding> {
    let detector = state.detector().await;
    lint_entry(detector.jieba(), entry, &Rules::builtin())
}

/// The plain-language check of any text: advice with positions, never a block.
pub async fn lint_text(state: &AppState, text: &str) -> Result<Vec<Finding>, AppError> {
    if text.chars().count() > MAX_LINT_CHARS {
        return Err(AppError::field("text", "too_long", "文本不超过20000字"));
    }
    let detector = state.detector().await;
    Ok(lint(detector.jieba(), text, &Rules::builtin()))
}

/// A public search of published entries (the asker's audience first). Unknown filters are
/// refused with the field named; an empty question searches nothing; a question nothing fits
/// is kept, masked, for the officers.
pub async fn public_search(state: &AppState, q: &str, audience: &str, industry: &str) -> Result<Vec<Hit>, AppError> {
    let filters = filters_of(audience, industry)?;
    let text = q.trim();
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let now = state.now_ms();
    let hits = crate::search::public_search(state, text, &filters).await?;
    if hits.is_empty() {
        keep_quietly(state, text, GapReason::NoMatch, filters.audience, None, now).await;
    }
    Ok(hits)
}

/// A published entry as the public reads it, with its citations in words.
pub struct PublishedEntry {
    pub row: EntryRow,
    pub entry: QaEntry,
    pub citations: Vec<String>,
}

/// A published entry; any other status is not found.
pub async fn published_entry(state: &AppState, id: &str) -> Result<PublishedEntry, AppError> {
    let row = state.store.entry(id).await?;
    if status_of(&row) != QaStatus::Published {
        return Err(AppError::NotFound);
    }
    let laws = laws_of(&state.store.laws().await?);
    let entry = to_domain(&row.id, &row.text);
    let citations = entry.citations.iter().map(|c| c.label(&laws)).collect();
    Ok(PublishedEntry { row, entry, citations })
}

/// A visitor's vote (`visitor` is their keyed anonymous cookie): `false` when they had voted on
/// the entry already (not counted again). "没帮助" keeps the question that led there.
pub async fn vote(state: &AppState, id: &str, visitor: &str, helpful: bool, asked: &str) -> Result<bool, AppError> {
    let now = state.now_ms();
    let counted = state.store.vote_entry(id, visitor, helpful).await?;
    if counted && !helpful {
        keep_quietly(state, asked, GapReason::Unhelpful, None, Some(id), now).await;
    }
    Ok(counted)
}

/// "这些回答都没帮助": the question is kept for the officers.
pub async fn none_helped(state: &AppState, q: &str, audience: Option<Audience>) {
    let now = state.now_ms();
    keep_quietly(state, q.trim(), GapReason::Unhelpful, audience, None, now).await;
}

/// The synonym groups of search, one group a line.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SynonymsInput {
    #[serde(default)]
    pub lines: String,
}

/// The everyday-words vocabulary of the Q&A search, one line a rule.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VocabularyInput {
    #[serde(default)]
    pub vocabulary: String,
}

/// Refuses (403, audited) a caller who may not keep the vocabulary.
pub async fn require_vocabulary_keeper(state: &AppState, caller: &Caller<'_>) -> Result<(), AppError> {
    caller.require(state, Permission::SuperviseCases, "synonyms").await
}

/// The search's two word lists as they are in force on this node (after following what other
/// nodes saved), one line a rule, as the keepers edit them.
pub struct SearchWords {
    pub synonyms: String,
    pub vocabulary: String,
}

/// The synonym groups and the everyday-words vocabulary, for those who keep them.
pub async fn search_words(state: &AppState, caller: &Caller<'_>) -> Result<SearchWords, AppError> {
    require_vocabulary_keeper(state, caller).await?;
    crate::search::sync(state).await?;
    let index = state.search_index().await?;
    Ok(SearchWords { synonyms: index.synonyms().to_lines(), vocabulary: index.vocabulary().to_lines() })
}

/// Saves the synonym groups (a setting every node reads; at once on this node).
pub async fn save_synonyms(state: &AppState, caller: &Caller<'_>, input: &SynonymsInput) -> Result<(), AppError> {
    require_vocabulary_keeper(state, caller).await?;
    let parsed = xinqiao_search::Synonyms::from_lines(&input.lines)
        .map_err(|e| AppError::field("lines", "bad_synonyms", e.to_string()))?;
    state.store.put_setting(&caller.actor(), crate::search::SYNONYMS_KEY, &parsed.groups()).await?;
    state.search_index().await?.set_synonyms(parsed);
    Ok(())
}

/// Saves the everyday-words vocabulary, kept like the synonyms.
pub async fn save_vocabulary(state: &AppState, caller: &Caller<'_>, input: &VocabularyInput) -> Result<(), AppError> {
    require_vocabulary_keeper(state, caller).await?;
    let parsed = xinqiao_search::Vocabulary::from_lines(&input.vocabulary)
        .map_err(|e| AppError::field("vocabulary", "bad_vocabulary", e.to_string()))?;
    let stored = crate::search::StoredVocabulary::of(&parsed);
    state.store.put_setting(&caller.actor(), crate::search::VOCABULARY_KEY, &stored).await?;
    state.search_index().await?.set_vocabulary(parsed);
    Ok(())
}

/// At most this many characters of an unknown value are quoted back in the error message.
const QUOTED_CHARS: usize = 20;

/// The page's and the API's filters, checked: an unknown audience or industry is refused with a
/// message naming it (code `unknown_audience` / `unknown_industry`), never silently ignored.
pub(crate) fn filters_of(audience: &str, industry: &str) -> Result<crate::search::PublicFilters, AppError> {
    let quoted = |v: &str| v.chars().take(QUOTED_CHARS).collect::<String>();
    let audience = match audience.trim() {
        "" => None,
        a => Some(Audience::parse(a).ok_or_else(|| {
            AppError::field(
                "audience",
                "unknown_audience",
                format!("提问对象“{}”无法识别：请填 enterprise（企业）或 consumer（消费者），或不填", quoted(a)),
            )
        })?),
    };
    let industry = match industry.trim() {
        "" => None,
        i => Some(xinqiao_domain::ids::Industry::parse(i).map_err(|_| {
            AppError::field(
                "industry",
                "unknown_industry",
                format!("行业“{}”无法识别：请填国民经济行业分类（GB/T 4754）门类字母 A 至 T，或不填", quoted(i)),
            )
        })?),
    };
    Ok(crate::search::PublicFilters { audience, industry, since_ms: None })
}

/// Keeps a question of the public (see the module documentation). `now` is when it was asked.
pub(crate) async fn keep(
    state: &AppState,
    question: &str,
    reason: GapReason,
    audience: Option<Audience>,
    entry_id: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    let question = question.trim();
    if question.is_empty() {
        return Ok(());
    }
    // Kept as public text: these questions become Q&A drafts, so every span is dropped whole.
    let masked = crate::text::public_of(&*state.detector().await, question);
    let index = state.search_index().await?;
    let words = {
        let masked = masked.clone();
        tokio::task::spawn_blocking(move || index.key_words(&masked))
            .await
            .map_err(|e| AppError::Internal(format!("key words: {e}")))?
    };
    let gap = NewGap {
        asked_at: now,
        week: week_of(Date::of_epoch_ms(now)).0,
        question: masked,
        words,
        reason: reason.code().to_owned(),
        audience: audience.map_or("", Audience::code).to_owned(),
        entry_id: entry_id.map(str::to_owned),
    };
    Ok(state.store.record_gap(&gap).await?)
}

/// [`keep`], where failing must not fail the asker's page: the failure is logged (without the
/// question) and the answer goes on.
pub(crate) async fn keep_quietly(
    state: &AppState,
    question: &str,
    reason: GapReason,
    audience: Option<Audience>,
    entry_id: Option<&str>,
    now: i64,
) {
    if let Err(e) = keep(state, question, reason, audience, entry_id, now).await {
        tracing::warn!(error = %e, reason = reason.code(), "an unanswered question could not be kept");
    }
}
