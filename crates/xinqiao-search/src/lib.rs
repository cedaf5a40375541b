//! Xinqiao's full-text search: tantivy with a jieba analyzer over policy Q&A entries (for
//! everyone) and masked case narratives (for staff), with query-time synonyms and highlighted
//! snippets. It follows the store's outbox: the sequence number of the last applied change is kept
//! in the index's own commit, so each app node keeps its own index and resumes after a restart.
//!
//! ```text
//! let index = SearchIndex::open(&data_dir.join("search"))?;   // or SearchIndex::in_memory()
//! // follower loop (the web side): read changes after index.last_seq(), and for each one load the
//! // entity's *current* state and upsert it (or delete it when it is gone), then:
//! index.commit(last_applied_seq)?;
//! let results = index.search_qa(&QaQuery::new("直播间能说全网最低价吗"))?;
//! ```
//!
//! Layout: two tantivy indexes under the directory, `qa/` and `cases/`, so that a Q&A search never
//! walks a million case postings and its ranking statistics are its own. `commit` commits both
//! with the same payload; `last_seq` is the smaller of the two, so a crash between the two commits
//! only replays changes (applying a change is idempotent: it re-reads current state).
//!
//! Threads: [`SearchIndex`] is a cheap `Clone` handle (an `Arc`), `Send + Sync`. Every call blocks
//! the calling thread: searches take milliseconds and may run on an async runtime's thread, but
//! indexing batches, `commit` and `clear` should run in `tokio::task::spawn_blocking`. One process
//! may write a directory at a time (tantivy holds a lock file while a writer lives; the writer is
//! made on the first write, so another process may open the index to read it).

#![forbid(unsafe_code)]

mod analyzer;
mod candidates;
pub mod eval;
mod fault;
mod index;
mod query;
mod rank;
mod schema;
mod search;
mod snippet;
mod synonyms;
mod types;
mod vocabulary;

pub use fault::FaultSwitch;
pub use index::{DocCounts, IndexOptions, SearchIndex};
pub use rank::{Ranking, Understood};
pub use synonyms::{SHIPPED_SYNONYMS_TOML, Synonyms};
pub use types::{
    CaseDoc, CaseHit, CaseQuery, Fragment, MaskedText, OrgScope, QaDoc, QaHit, QaQuery, QaResults, plain_text,
};
pub use vocabulary::{SHIPPED_VOCABULARY_TOML, VOCABULARY_WEIGHT, Vocabulary, VocabularyEntry};

/// What can go wrong in the search crate.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    #[error("search index I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The writer that took a batch's changes failed and was dropped before the commit: apply
    /// the changes since `last_seq()` again.
    #[error(
        "search index: the writer failed and was replaced; the changes since the last commit must be applied again"
    )]
    WriterLost,
    /// An edited synonym list is invalid; the message (Chinese) is meant for the supervisor.
    #[error("同义词表有误：{0}")]
    Synonyms(String),
    /// An edited everyday-words vocabulary is invalid; the message (Chinese) is for the supervisor.
    #[error("口语词表有误：{0}")]
    Vocabulary(String),
    /// Shipped or edited data (the labelled query set …) is invalid; the message is Chinese.
    #[error("数据有误：{0}")]
    BadData(String),
}

pub type Result<T> = std::result::Result<T, SearchError>;
