//! The full-text index in the running platform (tantivy with jieba, in the data directory): it
//! follows the store's change log, so every node on a shared PostgreSQL keeps its own index
//! right. Before answering a search the index catches up with what this node can see, and a
//! background follower keeps it there (the change log's positions never let a late-committing
//! change fall behind one already read). Only masked narratives are indexed.
//!
//! When the index cannot be updated (an I/O error in the data directory), searches still answer
//! from its last commit, `/readyz` reports search degraded, and the next step (here or in the
//! follower) applies again everything since that commit on a fresh writer.

use crate::AppState;
use crate::error::AppError;
use crate::health::Component;
use crate::qa_rows::{laws_of, status_of, to_domain};
use crate::tasks::{Task, TaskError};
use std::sync::Arc;
use xinqiao_domain::knowledge::{Law, QaStatus};
use xinqiao_search::{CaseDoc, CaseQuery, Fragment, MaskedText, OrgScope, QaDoc, QaQuery, SearchIndex};
use xinqiao_store::cases::BatchChanges;

/// The setting holding the synonym groups as supervisors edited them.
pub const SYNONYMS_KEY: &str = "search_synonyms";
/// The setting holding the everyday-words vocabulary (口语词表) as supervisors edited it.
pub const VOCABULARY_KEY: &str = "search_vocabulary";

/// Loads the edited synonyms and vocabulary (if any) into the index: at opening, and by the
/// follower so that every node picks up an edit.
pub(crate) async fn load_synonyms(state: &AppState, index: &SearchIndex) -> Result<(), AppError> {
    if let Some(groups) = state.store.setting::<Vec<Vec<String>>>(SYNONYMS_KEY).await? {
        let parsed = xinqiao_search::Synonyms::new(groups).map_err(internal)?;
        if parsed.groups() != index.synonyms().groups() {
            index.set_synonyms(parsed);
        }
    }
    if let Some(stored) = state.store.setting::<StoredVocabulary>(VOCABULARY_KEY).await? {
        let parsed = xinqiao_search::Vocabulary::new(stored.entries, stored.outside).map_err(internal)?;
        if parsed != *index.vocabulary() {
            index.set_vocabulary(parsed);
        }
    }
    Ok(())
}

/// The vocabulary as kept in the settings.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct StoredVocabulary {
    pub entries: Vec<xinqiao_search::VocabularyEntry>,
    #[serde(default)]
    pub outside: Vec<String>,
}

impl StoredVocabulary {
    pub(crate) fn of(v: &xinqiao_search::Vocabulary) -> Self {
        Self { entries: v.entries().to_vec(), outside: v.outside().to_vec() }
    }
}

/// At most this many changes are applied before a search answers; the rest in the background.
const INLINE_BATCH: i64 = 2_000;

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(format!("search: {e}"))
}

/// The documents to write for a page of the change log, and the position of its last change.
struct Page {
    qa: Vec<QaDoc>,
    cases: Vec<CaseDoc>,
    last: i64,
    changes: usize,
}

/// Reads the changes after `from` (at most `limit`) and the current state of what they touched.
async fn gather(state: &AppState, from: i64, limit: i64) -> Result<Page, AppError> {
    let changes = state.store.changes_since(from.max(0), limit).await?;
    if changes.is_empty() {
        return Ok(Page { qa: Vec::new(), cases: Vec::new(), last: from, changes: 0 });
    }
    // The laws only name a Q&A entry's citations: a page of cases alone (an import's) reads none.
    let laws: Vec<Law> =
        if changes.iter().any(|c| c.topic == "qa") { laws_of(&state.store.laws().await?) } else { Vec::new() };
    let mut qa = Vec::new();
    // A batch's cases in a few queries, each once however often it changed (an imported closed
    // case is in the log twice: intake, then outcome); the index takes their current state.
    let mut case_ids: Vec<String> = changes.iter().filter(|c| c.topic == "case").map(|c| c.entity_id.clone()).collect();
    case_ids.sort_unstable();
    case_ids.dedup();
    // Only the columns the index holds (`case_texts`), not the whole case.
    let cases: Vec<CaseDoc> = state.store.case_texts(&case_ids).await?.into_iter().map(case_doc).collect();
    for c in changes.iter().filter(|c| c.topic == "qa") {
        match state.store.entry(&c.entity_id).await {
            Ok(e) => {
                let d = to_domain(&e.id, &e.text);
                qa.push(QaDoc {
                    id: e.id.clone(),
                    question: d.question,
                    answer: d.answer,
                    explanation: d.explanation,
                    tags: d.tags,
                    audience: d.audience,
                    industries: d.industries,
                    status: status_of(&e),
                    updated_ms: e.updated_at,
                    law_names: d
                        .citations
                        .iter()
                        .filter_map(|c| Law::find(&laws, &c.law_id).map(|l| l.name.clone()))
                        .collect(),
                });
            }
            Err(xinqiao_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let last = changes.last().map_or(from, |c| c.seq);
    Ok(Page { qa, cases, last, changes: changes.len() })
}

/// A case's document, from what the index holds of it.
fn case_doc(case: xinqiao_store::cases::CaseText) -> CaseDoc {
    CaseDoc {
        id: case.id,
        narrative: MaskedText::already_masked(case.narrative_masked),
        org_id: case.org_id,
        kind: case.kind,
        received_ms: case.received_at,
    }
}

/// Hands a page's documents to the writer (visible after the next commit).
fn write_page(index: &SearchIndex, page: &Page) -> Result<(), xinqiao_search::SearchError> {
    for d in &page.qa {
        index.upsert_qa(d)?;
    }
    for d in &page.cases {
        index.upsert_case(d)?;
    }
    Ok(())
}

/// Applies the changes after `from` (at most `limit`), then records the newest applied position
/// (never moving backwards). Returns how many were applied.
async fn apply(state: &AppState, index: &Arc<SearchIndex>, from: i64, limit: i64) -> Result<usize, AppError> {
    let page = gather(state, from, limit).await?;
    if page.changes == 0 {
        return Ok(0);
    }
    let index = index.clone();
    let n = page.changes;
    tokio::task::spawn_blocking(move || -> Result<(), xinqiao_search::SearchError> {
        write_page(&index, &page)?;
        let at = index.last_seq()?.max(page.last);
        index.commit(at)
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    Ok(n)
}

/// Changes read per page by [`follow_bulk`].
const BULK_PAGE: i64 = 20_000;

/// Opens this node's index with tantivy's writer on every core and a larger memory budget, for
/// an import (the command's own process); an index already open (a running service) is kept.
pub async fn open_for_bulk(state: &AppState) -> Result<(), AppError> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 8);
    let options = xinqiao_search::IndexOptions { writer_threads: threads, writer_memory_bytes: threads * 100_000_000 };
    state.search_index_with(options).await.map(|_| ())
}

/// Brings the index up to the change log while an import is still storing batches (opened by
/// [`open_for_bulk`]): indexes each page of the change log as it is committed, waits for the next
/// one when there is none, and commits once after `stored` says the import has stopped (or its
/// sender is gone) and nothing is left, so tantivy's threads index the cases beside the one
/// writer instead of after it. Until that commit searches see the index as it was, and a failure
/// applies everything again from the last commit, as a follower's step would.
///
/// `handed` brings the import's batches as it committed them ([`BatchChanges`]: their positions
/// and their cases' texts): a batch that starts right after the last change applied is indexed
/// from there instead of being read back from the database; any other position (changes of the
/// running service between two batches, a batch stored before the follower started) is read
/// from the log as before, so the index reaches the same documents and position either way.
pub async fn follow_bulk(
    state: &AppState,
    mut stored: tokio::sync::watch::Receiver<bool>,
    mut handed: tokio::sync::mpsc::Receiver<BatchChanges>,
) -> Result<(), AppError> {
    let index = state.search_index().await?;
    let _turn = state.search_turn().await;
    let from = index.last_seq().map_err(internal)?;
    // The cases the index holds (committed before, or added by this run): a case not among them
    // is added without the upsert's delete, which the writer would keep until the one commit.
    let mut held: std::collections::HashSet<String> = {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.case_ids()).await.map_err(internal)?.map_err(internal)?
    }
    .into_iter()
    .collect();
    let (mut at, mut gone) = (from, false);
    let mut waiting = std::collections::VecDeque::new();
    loop {
        // Looked at before reading, so that a batch stored after the read is not missed.
        let finished = gone || *stored.borrow_and_update();
        let page = match next_handed(&mut handed, &mut waiting, at) {
            Ok(batch) => Page {
                qa: Vec::new(),
                changes: batch.texts.len(),
                last: batch.last,
                cases: batch.texts.into_iter().map(case_doc).collect(),
            },
            // The log up to the next handed batch (or a whole page when none waits).
            Err(limit) => gather(state, at, limit).await?,
        };
        if page.changes == 0 {
            if finished {
                break;
            }
            // A dropped sender (the import failed): index what it stored, then stop.
            gone = stored.changed().await.is_err();
            continue;
        }
        at = page.last;
        let fresh: Vec<bool> = page.cases.iter().map(|d| held.insert(d.id.clone())).collect();
        let index = index.clone();
        tokio::task::spawn_blocking(move || -> Result<(), xinqiao_search::SearchError> {
            for d in &page.qa {
                index.upsert_qa(d)?;
            }
            for (d, fresh) in page.cases.iter().zip(fresh) {
                if fresh { index.add_case(d)? } else { index.upsert_case(d)? }
            }
            Ok(())
        })
        .await
        .map_err(internal)?
        .map_err(internal)?;
    }
    if at > from {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.commit(at)).await.map_err(internal)?.map_err(internal)?;
    }
    Ok(())
}

/// The handed batch that starts right after `at`, or else how many changes to read from the log
/// (up to the next handed batch, so that it can be taken next). A batch at or below `at`, wholly
/// or in part, was read from the log already and is dropped.
fn next_handed(
    handed: &mut tokio::sync::mpsc::Receiver<BatchChanges>,
    waiting: &mut std::collections::VecDeque<BatchChanges>,
    at: i64,
) -> Result<BatchChanges, i64> {
    while let Ok(batch) = handed.try_recv() {
        waiting.push_back(batch);
    }
    while waiting.front().is_some_and(|b| b.first <= at) {
        waiting.pop_front();
    }
    match waiting.front() {
        Some(b) if b.first == at + 1 => Ok(waiting.pop_front().expect("looked at")),
        Some(b) => Err((b.first - 1 - at).min(BULK_PAGE)),
        None => Err(BULK_PAGE),
    }
}

/// Applies the changes after the index's position (at most `limit`) and records how it went in
/// the platform's health. Returns how many were applied.
async fn step(state: &AppState, index: &Arc<SearchIndex>, limit: i64) -> Result<usize, AppError> {
    let result = match index.last_seq() {
        Ok(from) => apply(state, index, from, limit).await,
        Err(e) => Err(internal(e)),
    };
    match &result {
        Ok(n) if (*n as i64) < limit => state.health.recovered(Component::Search),
        Ok(_) => {}
        Err(AppError::Unavailable(_)) => {}
        Err(e) => {
            tracing::warn!(error = %e, "search index could not be updated");
            state.health.degraded(Component::Search, state.now_ms(), "检索索引暂时无法更新，搜索结果可能不含最新内容");
        }
    }
    result
}

/// Brings the index up to what the store holds now (bounded), before a search answers. When the
/// index cannot be updated just now the search still answers, from its last commit.
pub async fn sync(state: &AppState) -> Result<Arc<SearchIndex>, AppError> {
    let index = state.search_index().await?;
    if !state.synonyms_loaded() {
        load_synonyms(state, &index).await?;
        state.mark_synonyms_loaded();
    }
    let _turn = state.search_turn().await;
    match step(state, &index, INLINE_BATCH).await {
        Ok(_) | Err(AppError::Internal(_)) => Ok(index),
        Err(e) => Err(e),
    }
}

/// Like `sync`, but an index that cannot be updated is an error (imports, reindex, checks).
pub async fn sync_strictly(state: &AppState) -> Result<Arc<SearchIndex>, AppError> {
    let index = state.search_index().await?;
    let _turn = state.search_turn().await;
    step(state, &index, INLINE_BATCH).await?;
    Ok(index)
}

/// The follower: every two seconds (the first at start), the changes after the index's position.
pub fn follower() -> Task {
    Task::every("search", std::time::Duration::from_secs(2), |state: AppState| async move {
        let index = state.search_index().await.map_err(|_| TaskError("全文检索索引无法打开"))?;
        let _turn = state.search_turn().await;
        if let Err(e) = load_synonyms(&state, &index).await {
            tracing::warn!(error = %e, "search follower could not load the synonyms");
        }
        // A failed step marks search degraded itself (see `step`) and is tried again next time.
        step(&state, &index, INLINE_BATCH).await.map(|_| ()).map_err(|_| TaskError("全文检索索引未能更新"))
    })
}

/// Starts (or restarts) this node's search follower, running by itself even in a test app whose
/// tasks are driven by hand.
pub fn start_follower(state: AppState) {
    state.tasks.spawn_running(&state, follower());
}

/// Rebuilds the index from the change log from the start; `progress(done, total)` is called as
/// it goes. Returns the number of changes applied.
pub async fn reindex(state: &AppState, progress: impl Fn(u64, u64)) -> Result<u64, AppError> {
    let index = state.search_index().await?;
    let _turn = state.search_turn().await;
    let total = state.store.last_change().await? as u64;
    {
        let index = index.clone();
        tokio::task::spawn_blocking(move || index.clear().and_then(|_| index.commit(0)))
            .await
            .map_err(internal)?
            .map_err(internal)?;
    }
    let mut done = 0u64;
    loop {
        let from = index.last_seq().map_err(internal)?;
        let n = apply(state, &index, from, 5_000).await?;
        if n == 0 {
            break;
        }
        done += n as u64;
        progress(index.last_seq().map_err(internal)? as u64, total);
    }
    Ok(done)
}

/// A hit as pages show it: an entry or a case, its status and its highlighted snippet.
pub struct Hit {
    pub id: String,
    pub title: String,
    pub status: &'static str,
    pub snippet: Vec<(String, bool)>,
}

/// A snippet as pages show it.
fn fragments(f: &[Fragment]) -> Vec<(String, bool)> {
    f.iter().map(|f| (f.text.clone(), f.highlighted)).collect()
}

/// Staff search: every entry (any status) and the masked narratives of the bureaus they see.
pub async fn staff_search(
    state: &AppState,
    q: &str,
    orgs: &[String],
    filters: &StaffFilters,
) -> Result<(Vec<Hit>, Vec<Hit>), AppError> {
    let index = sync(state).await?;
    let mut qa_query = QaQuery::new(q);
    qa_query.statuses = filters.status.map_or_else(|| QaStatus::ALL.to_vec(), |s| vec![s]);
    qa_query.audience = filters.audience;
    qa_query.updated_from_ms = filters.from_ms;
    qa_query.updated_to_ms = filters.to_ms;
    qa_query.limit = 20;
    let mut case_query = CaseQuery::new(q, OrgScope::Only(orgs.to_vec()));
    case_query.received_from_ms = filters.from_ms;
    case_query.received_to_ms = filters.to_ms;
    let (qa, cases) = tokio::task::spawn_blocking(move || {
        Ok::<_, xinqiao_search::SearchError>((index.search_qa(&qa_query)?, index.search_cases(&case_query)?))
    })
    .await
    .map_err(internal)?
    .map_err(internal)?;
    let qa_hits = qa
        .hits
        .iter()
        .map(|h| Hit {
            id: h.id.clone(),
            title: xinqiao_search::plain_text(&h.question),
            status: h.status.label(),
            snippet: fragments(&h.snippet),
        })
        .collect();
    let case_hits = cases
        .iter()
        .map(|h| Hit {
            id: h.id.clone(),
            title: format!("{} {}", h.kind.label(), xinqiao_domain::time::format_cst(h.received_ms)),
            status: "",
            snippet: fragments(&h.snippet),
        })
        .collect();
    Ok((qa_hits, case_hits))
}

/// What a staff search may narrow to. The dates bound an entry's last change and a case's
/// receipt.
#[derive(Debug, Clone, Default)]
pub struct StaffFilters {
    pub status: Option<QaStatus>,
    pub audience: Option<xinqiao_domain::knowledge::Audience>,
    /// On or after (epoch ms).
    pub from_ms: Option<i64>,
    /// Before (epoch ms).
    pub to_ms: Option<i64>,
}

/// What a public search may narrow to, and who asks.
#[derive(Debug, Clone, Default)]
pub struct PublicFilters {
    /// Who asks: entries for them come first (the others stay).
    pub audience: Option<xinqiao_domain::knowledge::Audience>,
    pub industry: Option<xinqiao_domain::ids::Industry>,
    /// Updated on or after this day (epoch ms).
    pub since_ms: Option<i64>,
}

/// Public search: published entries only, strict — nothing when no entry fits the question
/// well enough ("没有找到").
pub async fn public_search(state: &AppState, q: &str, filters: &PublicFilters) -> Result<Vec<Hit>, AppError> {
    let index = sync(state).await?;
    let mut query = QaQuery::public(q, filters.audience);
    query.industry = filters.industry;
    query.updated_from_ms = filters.since_ms;
    let found =
        tokio::task::spawn_blocking(move || index.search_qa(&query)).await.map_err(internal)?.map_err(internal)?;
    Ok(found
        .hits
        .iter()
        .map(|h| Hit {
            id: h.id.clone(),
            title: xinqiao_search::plain_text(&h.question),
            status: h.status.label(),
            snippet: fragments(&h.snippet),
        })
        .collect())
}
