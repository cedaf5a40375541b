//! The index handle: opening (on disk or in memory), writing (upsert, delete, clear), committing
//! with the outbox position as the commit payload, and reading that position back.
//!
//! Readers reload on commit (`OnCommitWithDelay`) and also explicitly right after our own commit,
//! so a search that follows `commit` sees it. Writers have a modest memory budget: the Q&A writer
//! one thread and 15 MB (tantivy's minimum), the cases writer [`IndexOptions`] (default one thread,
//! 50 MB).
//!
//! A writer is made on the first write, and made anew after any failure: tantivy's writer dies
//! for good on an I/O error (a read-only or full data directory for a few seconds), so the failed
//! one is dropped and the next write starts a fresh one from the last commit. A commit refuses
//! when the writer that took the batch's changes is gone, so the caller applies them again from
//! [`SearchIndex::last_seq`] and nothing is committed as done that was lost.

use std::fmt;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::UserOperation;
use tantivy::schema::Schema;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{Directory, Index, IndexReader, IndexWriter, ReloadPolicy, Term};

use crate::analyzer::{ANALYZER, XqTokenizer};
use crate::rank::Ranking;
use crate::schema::{CaseFields, QaFields, SCHEMA_VERSION};
use crate::synonyms::Synonyms;
use crate::types::{CaseDoc, QaDoc};
use crate::vocabulary::Vocabulary;
use crate::{Result, SearchError};

/// Writer settings for the cases index (the big one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Indexing threads (a bulk reindex on two cores may use 2).
    pub writer_threads: usize,
    /// Memory budget in bytes, shared by the threads; at least 15 MB a thread.
    pub writer_memory_bytes: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        Self { writer_threads: 1, writer_memory_bytes: 50_000_000 }
    }
}

/// Documents visible to searches (as of the last commit).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocCounts {
    pub qa: u64,
    pub cases: u64,
}

const QA_WRITER_BYTES: usize = 15_000_000;
const MIN_BYTES_PER_THREAD: usize = 15_000_000;

/// What each commit carries.
#[derive(Serialize, Deserialize)]
struct Payload {
    last_seq: i64,
    schema: u32,
}

/// One tantivy index with its reader and (made on first write, and again after a failure) its
/// writer.
pub(crate) struct Part {
    pub(crate) index: Index,
    pub(crate) reader: IndexReader,
    /// Read-locked to add and delete (tantivy's writer takes `&self` for those), write-locked to
    /// commit, roll back, clear or replace, so a commit never falls between an upsert's delete
    /// and add. `None` until the first write and after a failure.
    writer: RwLock<Option<IndexWriter>>,
    threads: usize,
    bytes: usize,
    /// Writers made so far.
    made: AtomicU64,
    /// Whether the writer holds changes not yet committed, and whether changes were lost with a
    /// failed writer since the last commit.
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    changes: bool,
    lost: bool,
}

impl Part {
    fn open(directory: Box<dyn Directory>, schema: Schema, threads: usize, bytes: usize) -> Result<Self> {
        let index = Index::open_or_create(directory, schema)?;
        index.tokenizers().register(ANALYZER, TextAnalyzer::from(XqTokenizer::new(true)));
        let threads = threads.clamp(1, 8);
        let bytes = bytes.max(threads * MIN_BYTES_PER_THREAD);
        let reader = index.reader_builder().reload_policy(ReloadPolicy::OnCommitWithDelay).try_into()?;
        let part = Self {
            index,
            reader,
            writer: RwLock::new(None),
            threads,
            bytes,
            made: AtomicU64::new(0),
            pending: Mutex::default(),
        };
        if part.index.load_metas()?.payload.is_none() {
            part.commit(&payload(0))?;
        }
        Ok(part)
    }

    /// Makes a writer if there is none.
    fn ensure_writer(&self) -> Result<()> {
        if self.writer.read().unwrap_or_else(PoisonError::into_inner).is_some() {
            return Ok(());
        }
        let mut slot = self.writer.write().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(self.index.writer_with_num_threads(self.threads, self.bytes)?);
            self.made.fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    }

    fn pending(&self) -> std::sync::MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Drops a writer that failed; changes it held are lost, and the next commit says so.
    fn discard(&self, slot: &mut Option<IndexWriter>) {
        if let Some(writer) = slot.take() {
            drop(writer);
            let mut pending = self.pending();
            pending.lost |= pending.changes;
            pending.changes = false;
        }
    }

    fn run(&self, ops: Vec<UserOperation>) -> Result<()> {
        self.ensure_writer()?;
        let result = {
            let slot = self.writer.read().unwrap_or_else(PoisonError::into_inner);
            match slot.as_ref() {
                Some(writer) => writer.run(ops).map(|_| ()),
                None => return Err(SearchError::WriterLost),
            }
        };
        match result {
            Ok(()) => {
                self.pending().changes = true;
                Ok(())
            }
            Err(e) => {
                self.discard(&mut self.writer.write().unwrap_or_else(PoisonError::into_inner));
                Err(e.into())
            }
        }
    }

    fn commit(&self, payload: &str) -> Result<()> {
        self.ensure_writer()?;
        let mut slot = self.writer.write().unwrap_or_else(PoisonError::into_inner);
        {
            let mut pending = self.pending();
            if pending.lost {
                // Changes since the last commit went with a writer that failed: committing now
                // would record them as applied. The caller applies them again.
                *pending = Pending::default();
                return Err(SearchError::WriterLost);
            }
        }
        let Some(writer) = slot.as_mut() else { return Err(SearchError::WriterLost) };
        let result = writer.prepare_commit().and_then(|mut commit| {
            commit.set_payload(payload);
            commit.commit()
        });
        if let Err(e) = result {
            self.discard(&mut slot);
            return Err(e.into());
        }
        self.pending().changes = false;
        Ok(())
    }

    /// Drops uncommitted changes and every document (as of the next commit).
    fn clear(&self) -> Result<()> {
        self.ensure_writer()?;
        let mut slot = self.writer.write().unwrap_or_else(PoisonError::into_inner);
        let Some(writer) = slot.as_mut() else { return Err(SearchError::WriterLost) };
        let result = writer.rollback().and_then(|_| writer.delete_all_documents());
        if let Err(e) = result {
            self.discard(&mut slot);
            return Err(e.into());
        }
        // A clear drops what was lost, too.
        *self.pending() = Pending { changes: true, lost: false };
        Ok(())
    }

    fn last_seq(&self) -> Result<i64> {
        let payload = self.index.load_metas()?.payload;
        Ok(payload.and_then(|p| serde_json::from_str::<Payload>(&p).ok()).map_or(0, |p| p.last_seq))
    }

    /// The stored `id` of every document visible to searches.
    fn ids(&self, id: tantivy::schema::Field) -> Result<Vec<String>> {
        use tantivy::schema::Value;
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let alive = segment.alive_bitset();
            for doc in 0..segment.max_doc() {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let d: tantivy::TantivyDocument = searcher.doc(tantivy::DocAddress::new(ord as u32, doc))?;
                if let Some(v) = d.get_first(id).and_then(|v| v.as_str()) {
                    out.push(v.to_owned());
                }
            }
        }
        Ok(out)
    }
}

fn payload(last_seq: i64) -> String {
    serde_json::json!({ "last_seq": last_seq, "schema": SCHEMA_VERSION }).to_string()
}

pub(crate) struct Inner {
    pub(crate) qa: Part,
    pub(crate) qa_fields: QaFields,
    pub(crate) cases: Part,
    pub(crate) case_fields: CaseFields,
    synonyms: RwLock<Arc<Synonyms>>,
    vocabulary: RwLock<Arc<Vocabulary>>,
    ranking: RwLock<Ranking>,
}

/// The search index: a cheap, thread-safe handle (see the crate documentation).
#[derive(Clone)]
pub struct SearchIndex {
    pub(crate) inner: Arc<Inner>,
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SearchIndex")
    }
}

impl SearchIndex {
    /// Opens the index in `dir` (subdirectories `qa/` and `cases/`), creating it when missing.
    /// An index written with another schema version is deleted and recreated empty, so that
    /// `last_seq()` is 0 and the caller reindexes.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_with(dir, &IndexOptions::default())
    }

    pub fn open_with(dir: &Path, options: &IndexOptions) -> Result<Self> {
        let (qa_schema, qa_fields) = QaFields::schema();
        let (case_schema, case_fields) = CaseFields::schema();
        let (qa_dir, cases_dir) = (dir.join("qa"), dir.join("cases"));
        if outdated(&qa_dir, &qa_schema)? || outdated(&cases_dir, &case_schema)? {
            for d in [&qa_dir, &cases_dir] {
                if d.exists() {
                    std::fs::remove_dir_all(d)?;
                }
            }
        }
        std::fs::create_dir_all(&qa_dir)?;
        std::fs::create_dir_all(&cases_dir)?;
        let qa = Part::open(Box::new(MmapDirectory::open(&qa_dir)?), qa_schema, 1, QA_WRITER_BYTES)?;
        let cases = Part::open(
            Box::new(MmapDirectory::open(&cases_dir)?),
            case_schema,
            options.writer_threads,
            options.writer_memory_bytes,
        )?;
        Ok(Self::assemble(qa, qa_fields, cases, case_fields))
    }

    /// A fresh index in memory whose writes fail while `switch` is on (tests of I/O errors).
    pub fn in_memory_with_faults(switch: &crate::FaultSwitch) -> Result<Self> {
        let (qa_schema, qa_fields) = QaFields::schema();
        let (case_schema, case_fields) = CaseFields::schema();
        let dir = || -> Box<dyn Directory> { Box::new(crate::fault::FaultyDirectory::new(switch.clone())) };
        let qa = Part::open(dir(), qa_schema, 1, QA_WRITER_BYTES)?;
        let cases = Part::open(dir(), case_schema, 1, MIN_BYTES_PER_THREAD)?;
        Ok(Self::assemble(qa, qa_fields, cases, case_fields))
    }

    /// A fresh index in memory (tests, demos).
    pub fn in_memory() -> Result<Self> {
        let (qa_schema, qa_fields) = QaFields::schema();
        let (case_schema, case_fields) = CaseFields::schema();
        let ram = || -> Box<dyn Directory> { Box::new(tantivy::directory::RamDirectory::create()) };
        let qa = Part::open(ram(), qa_schema, 1, QA_WRITER_BYTES)?;
        let cases = Part::open(ram(), case_schema, 1, MIN_BYTES_PER_THREAD)?;
        Ok(Self::assemble(qa, qa_fields, cases, case_fields))
    }

    fn assemble(qa: Part, qa_fields: QaFields, cases: Part, case_fields: CaseFields) -> Self {
        let synonyms = RwLock::new(Arc::new(Synonyms::shipped()));
        let vocabulary = RwLock::new(Arc::new(Vocabulary::shipped()));
        let ranking = RwLock::new(Ranking::default());
        Self { inner: Arc::new(Inner { qa, qa_fields, cases, case_fields, synonyms, vocabulary, ranking }) }
    }

    /// Adds or replaces (by id) a Q&A entry. Visible after the next [`commit`](Self::commit).
    pub fn upsert_qa(&self, doc: &QaDoc) -> Result<()> {
        let f = &self.inner.qa_fields;
        let ops =
            vec![UserOperation::Delete(Term::from_field_text(f.id, &doc.id)), UserOperation::Add(f.document(doc))];
        self.inner.qa.run(ops)
    }

    /// Adds or replaces (by id) a case narrative. Visible after the next commit.
    pub fn upsert_case(&self, doc: &CaseDoc) -> Result<()> {
        let f = &self.inner.case_fields;
        let ops =
            vec![UserOperation::Delete(Term::from_field_text(f.id, &doc.id)), UserOperation::Add(f.document(doc))];
        self.inner.cases.run(ops)
    }

    /// Adds a case narrative the index is known not to hold (no delete of an older copy first).
    /// For a bulk follower that knows which ids it holds: every upsert's delete is kept by the
    /// writer until the next commit (about 1 KB each), so a million upserts before one commit
    /// held a gigabyte. Adding an id the index holds makes a duplicate: use
    /// [`upsert_case`](Self::upsert_case) then. Visible after the next commit.
    pub fn add_case(&self, doc: &CaseDoc) -> Result<()> {
        self.inner.cases.run(vec![UserOperation::Add(self.inner.case_fields.document(doc))])
    }

    /// Removes a Q&A entry (no error when absent). Visible after the next commit.
    pub fn delete_qa(&self, id: &str) -> Result<()> {
        self.inner.qa.run(vec![UserOperation::Delete(Term::from_field_text(self.inner.qa_fields.id, id))])
    }

    /// Removes a case (no error when absent). Visible after the next commit.
    pub fn delete_case(&self, id: &str) -> Result<()> {
        self.inner.cases.run(vec![UserOperation::Delete(Term::from_field_text(self.inner.case_fields.id, id))])
    }

    /// Makes every change so far visible and durable, recording `last_seq` (the outbox sequence
    /// number of the last change applied) in both indexes' commit payload. Takes milliseconds
    /// (an fsync): batch changes and commit once per batch.
    pub fn commit(&self, last_seq: i64) -> Result<()> {
        let payload = payload(last_seq);
        // Each part commits (or fails and drops its writer) on its own: a failure of the first
        // must not leave the second's changes with a writer that was never committed nor
        // discarded, to be committed later under a position that did not hold. `last_seq` is
        // the lower of the two, so the follower re-applies from there either way.
        let qa = self.inner.qa.commit(&payload);
        let cases = self.inner.cases.commit(&payload);
        qa?;
        cases?;
        self.inner.qa.reader.reload()?;
        self.inner.cases.reader.reload()?;
        Ok(())
    }

    /// The outbox sequence number of the last committed change: where a follower resumes (0 for a
    /// new or rebuilt index, meaning "reindex everything").
    pub fn last_seq(&self) -> Result<i64> {
        Ok(self.inner.qa.last_seq()?.min(self.inner.cases.last_seq()?))
    }

    /// Drops uncommitted changes and removes every document, as of the next commit: searches keep
    /// seeing the old contents until then. A reindex reads `store.last_change()` first, then calls
    /// `clear()`, upserts everything and commits with the position it read. The follower must be
    /// paused meanwhile (its commit would publish a half-built index).
    pub fn clear(&self) -> Result<()> {
        self.inner.qa.clear()?;
        self.inner.cases.clear()
    }

    /// Writers made after a failure (each a recovery from an I/O error), over both indexes.
    pub fn writers_remade(&self) -> u64 {
        let made = |p: &Part| p.made.load(Ordering::SeqCst).saturating_sub(1);
        made(&self.inner.qa) + made(&self.inner.cases)
    }

    /// The ids of the cases searches can find (for `xinqiao check`).
    pub fn case_ids(&self) -> Result<Vec<String>> {
        self.inner.cases.ids(self.inner.case_fields.id)
    }

    /// The ids of the Q&A entries searches can find.
    pub fn qa_ids(&self) -> Result<Vec<String>> {
        self.inner.qa.ids(self.inner.qa_fields.id)
    }

    /// Documents visible to searches.
    pub fn doc_count(&self) -> DocCounts {
        DocCounts {
            qa: self.inner.qa.reader.searcher().num_docs(),
            cases: self.inner.cases.reader.searcher().num_docs(),
        }
    }

    /// Replaces the synonym list used by the searches that start from now on.
    pub fn set_synonyms(&self, synonyms: Synonyms) {
        *self.inner.synonyms.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(synonyms);
    }

    /// The synonym list in use (the shipped one until [`set_synonyms`](Self::set_synonyms)).
    pub fn synonyms(&self) -> Arc<Synonyms> {
        self.inner.synonyms.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the everyday-words vocabulary used by the Q&A searches that start from now on.
    pub fn set_vocabulary(&self, vocabulary: Vocabulary) {
        *self.inner.vocabulary.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(vocabulary);
    }

    /// The vocabulary in use (the shipped one until [`set_vocabulary`](Self::set_vocabulary)).
    pub fn vocabulary(&self) -> Arc<Vocabulary> {
        self.inner.vocabulary.read().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Replaces the knobs of the Q&A ranking (for measuring a change on the labelled set).
    pub fn set_ranking(&self, ranking: Ranking) {
        *self.inner.ranking.write().unwrap_or_else(PoisonError::into_inner) = ranking;
    }

    /// The knobs of the Q&A ranking in use.
    pub fn ranking(&self) -> Ranking {
        *self.inner.ranking.read().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Whether the index in `dir` exists but was written with another schema.
fn outdated(dir: &Path, schema: &Schema) -> Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    let directory = MmapDirectory::open(dir)?;
    if !Index::exists(&directory).map_err(|e| SearchError::Index(e.into()))? {
        return Ok(false);
    }
    let Ok(index) = Index::open(directory) else { return Ok(true) };
    let version = index.load_metas()?.payload.and_then(|p| serde_json::from_str::<Payload>(&p).ok()).map(|p| p.schema);
    Ok(index.schema() != *schema || version.is_some_and(|v| v != SCHEMA_VERSION))
}
