//! Bulk intake (`xinqiao import cases`): a bureau's export or a generated data set goes through
//! the same pipeline as a submission — validated, masked, sealed, audited, then indexed and
//! counted in the roll-ups by the change-log followers (on SQLite a batch counts its own cases
//! while the roll-ups' follower has nothing else to apply, see `Store::import_batch`) — in
//! batches, with each case keeping the day it was received and, when the file says so, how it
//! ended. Each batch is one transaction with its outcomes and the record of its lines, so a
//! killed import resumes where it stopped.

use super::intake::{Hide, demand_aad, identity_aad, mask_case, narrative_aad, tracking_code};
use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::{IntakeForm, NewCase};
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_domain::error::FieldError;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::{BatchChanges, Ending, ImportBatch, NewCaseRow, SealedIdentity, Submission};

/// One row of an import.
#[derive(Debug, Clone)]
pub struct BulkRow {
    /// The file's line number, for error reports.
    pub line: usize,
    pub form: IntakeForm,
    pub received: Date,
    /// Taxonomy codes as the file gives them (kept as the suggestion, not as confirmed).
    pub category: Option<String>,
    pub subject: Option<String>,
    pub outcome: Option<BulkOutcome>,
}

/// How an imported case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BulkOutcome {
    pub closed_on: Date,
    pub on_time: bool,
    pub mediation: Option<bool>,
    pub rating: Option<u8>,
    pub recovered_cents: Option<i64>,
}

/// The first problem of a row, in words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

fn checked(row: &BulkRow) -> Result<NewCase, RowProblem> {
    let problem = |errors: Vec<FieldError>| RowProblem {
        line: row.line,
        message: errors.iter().map(|e| format!("{}：{}", e.field, e.message)).collect::<Vec<_>>().join("；"),
    };
    let case = row.form.validate(row.received).map_err(problem)?;
    if let Some(o) = &row.outcome {
        if o.closed_on < row.received {
            return Err(RowProblem { line: row.line, message: "办结日期早于收到日期".into() });
        }
        if o.rating.is_some_and(|r| !(1..=5).contains(&r)) {
            return Err(RowProblem { line: row.line, message: "评分应为1至5".into() });
        }
    }
    Ok(case)
}

/// Checks every row without writing anything; the problems, one per bad row.
pub fn check(rows: &[BulkRow]) -> Vec<RowProblem> {
    rows.iter().filter_map(|r| checked(r).err()).collect()
}

/// The final status of a case that ended, by kind.
fn ended(kind: CaseKind) -> Status {
    match kind {
        CaseKind::Complaint => Status::Closed,
        CaseKind::Report => Status::Informed,
        _ => Status::Replied,
    }
}

/// Masks and seals one row (CPU work, run on the masking workers, see [`Masking`]).
fn prepare(
    state: &AppState,
    detector: &xinqiao_domain::privacy::Detector,
    row: &BulkRow,
) -> Result<NewCaseRow, RowProblem> {
    let case = checked(row)?;
    let code = tracking_code(row.received);
    let identity = case.contact.as_ref().map(|c| SealedIdentity {
        sealed: state.secrets.seal(&identity_aad(code.as_str()), &serde_json::to_vec(c).expect("serialises")),
        mobile_index: c.mobile.as_deref().map(|m| state.secrets.blind_index("mobile", m)),
        id_index: c.id_number.as_deref().map(|i| state.secrets.blind_index("id", i)),
    });
    let masked = mask_case(detector, &case, &Hide::default());
    Ok(NewCaseRow {
        kind: case.kind,
        tracking_code: code.as_str().to_owned(),
        access_key_hash: unknown_key_hash(),
        region_code: case.region.as_str().to_owned(),
        industry: case.industry.map(|i| i.code()),
        enterprise_name: case.enterprise_name.clone(),
        enterprise_uscc: case.uscc.as_ref().map(|u| u.as_str().to_owned()),
        narrative_masked: masked.narrative,
        narrative_sealed: state.secrets.seal(&narrative_aad(code.as_str()), case.narrative.as_bytes()),
        demand_masked: masked.demand,
        amount_cents: case.amount_cents,
        event_day: case.event_date.map(|d| d.0),
        consent_publish: case.consent_publish,
        received_day: row.received.0,
        rule_set: state.rules.in_force(row.received).ok().map(|r| r.id.clone()),
        settle_until: None,
        category: row.category.clone(),
        subject: row.subject.clone(),
        attachments: Vec::new(),
        privacy: Some(masked.privacy),
        demand_privacy: Some(xinqiao_store::cases::DemandPrivacy {
            sealed: state.secrets.seal(&demand_aad(code.as_str()), case.demand.as_bytes()),
            spans: masked.demand_spans,
        }),
        identity,
    })
}

/// The access-key hash of an imported case. Intake keeps the SHA-256 of a random key that it
/// shows the complainant once; an import shows it to nobody and throws it away, so what it stores
/// is the hash of a key no one holds: 32 random bytes in the same lower-case hex are exactly that
/// (no key is known to hash to them, as none is known for intake's thrown-away key), without a
/// key drawn, encoded, normalised and hashed per case (issue 22). No key opens such a case, as
/// before; the field's form (64 lower-case hex characters) is intake's.
fn unknown_key_hash() -> String {
    xinqiao_domain::crypto::hex(&xinqiao_store::random_bytes::<32>())
}

/// The file a batch comes from: the SHA-256 of its bytes and how many data rows it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub sha256: String,
    pub rows: i64,
}

/// A batch masked and sealed, ready to be written (see [`Masking::prepare_batch`] and
/// [`write_batch`]): its submissions as the store takes them, so that a write retried while the
/// database is busy writes the same batch again without a copy.
#[derive(Debug)]
pub struct PreparedBatch {
    first: usize,
    last: usize,
    actor: Actor,
    subs: Vec<Submission>,
    endings: Vec<Option<Ending>>,
}

impl PreparedBatch {
    pub fn len(&self) -> usize {
        self.subs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.subs.is_empty()
    }
}

/// The scheduling priority ("nice", 0 normal, 19 lowest) of an import's masking workers.
const MASKING_NICE: i32 = 10;

/// An import's masking workers: one per core, each at a lower scheduling priority
/// ([`MASKING_NICE`]) than the rest of the process. An import's writing is one serial chain (its
/// task building the statements and the one SQLite connection running them, in turns) and the
/// followers (tantivy, the roll-ups) keep up behind it; the masking is most of the CPU and
/// parallel. At the same priority, two masking threads beside that chain left it a third of a
/// core at times and the masking then waited for it with one core idle (issue 22, ninth
/// session: `perf sched`); at a lower one the chain and the followers run whenever they have
/// work and the masking takes the rest. A batch's rows are taken by the workers a few at a time
/// as each is free, so no core waits on another's share.
#[derive(Clone)]
pub struct Masking {
    pool: std::sync::Arc<rayon::ThreadPool>,
}

impl Masking {
    /// Starts the workers (one per core).
    pub fn new() -> Result<Self, AppError> {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get()).max(1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(workers)
            .thread_name(|i| format!("import-mask-{i}"))
            .start_handler(|_| lower_priority())
            .build()
            .map_err(|e| AppError::Internal(format!("bulk intake: masking workers: {e}")))?;
        Ok(Self { pool: std::sync::Arc::new(pool) })
    }

    /// Masks and seals a batch of consecutive lines on the workers (CPU work only, nothing
    /// written), so that an import can prepare the next batch while the one before is being
    /// written. Rows stay in the file's order; a bad row fails the batch with the first bad line.
    pub async fn prepare_batch(
        &self,
        state: &AppState,
        actor: &Actor,
        rows: Vec<BulkRow>,
    ) -> Result<PreparedBatch, AppError> {
        use rayon::prelude::*;
        let (first, last) = (rows.first().map_or(0, |r| r.line), rows.last().map_or(0, |r| r.line));
        let detector = state.detector().await;
        let (done, result) = tokio::sync::oneshot::channel();
        let (state, actor) = (state.clone(), actor.clone());
        self.pool.spawn(move || {
            let prepared: Vec<Result<NewCaseRow, RowProblem>> =
                rows.par_iter().with_min_len(16).map(|r| prepare(&state, &detector, r)).collect();
            let endings: Vec<Option<Ending>> = rows.iter().map(ending).collect();
            let subs = prepared
                .into_iter()
                .map(|c| c.map(|c| Submission { actor: actor.clone(), cases: vec![c], open311: None }));
            let _ = done.send(subs.collect::<Result<Vec<_>, _>>().map(|subs| PreparedBatch {
                first,
                last,
                actor,
                subs,
                endings,
            }));
        });
        result
            .await
            .map_err(|e| AppError::Internal(format!("bulk intake: {e}")))?
            .map_err(|p| AppError::field("file", "invalid", format!("第{}行：{}", p.line, p.message)))
    }

    /// The scheduling priority the workers run at (see [`MASKING_NICE`]); for tests.
    #[cfg(target_os = "linux")]
    pub fn workers_nice(&self) -> Option<i32> {
        self.pool.install(|| rustix::process::getpriority_process(None).ok())
    }
}

/// Lowers the calling thread's scheduling priority to [`MASKING_NICE`] (on Linux the nice value
/// is a thread's own, and `who` 0 is the calling thread; elsewhere it would be the process's, so
/// nothing is done). Best effort: the masking is correct at any priority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    {
        let _ = rustix::process::setpriority_process(None, MASKING_NICE);
    }
}

/// How the file says a row's case ended, as the store writes it.
fn ending(row: &BulkRow) -> Option<Ending> {
    let o = row.outcome?;
    let kind = CaseKind::parse(&row.form.kind)?;
    Some(Ending {
        status: ended(kind),
        closed_at_ms: o.closed_on.start_ms() + 12 * 3_600_000,
        on_time: o.on_time,
        mediation: o.mediation,
        rating: o.rating,
        recovered_cents: o.recovered_cents,
    })
}

/// Writes a prepared batch (all or nothing) in one transaction with its audit entries,
/// change-log rows, the outcomes the file records and the record of which lines of `file` it
/// holds (so a rerun skips them). Returns how many cases it stored. A batch that failed (the
/// database busy) can be written again.
pub async fn write_batch(state: &AppState, file: &SourceFile, batch: &PreparedBatch) -> Result<usize, AppError> {
    Ok(write_stored(state, file, batch).await?.cases)
}

/// A batch as [`write_stored`] wrote it, for the followers (see [`Following::signal_written`]).
#[derive(Debug)]
pub struct Written {
    pub cases: usize,
    /// Its changes and its cases' searchable texts (SQLite), for the search index.
    changes: Option<BatchChanges>,
}

/// [`write_batch`], returning what the search index can take of the batch without reading it
/// back.
pub async fn write_stored(state: &AppState, file: &SourceFile, batch: &PreparedBatch) -> Result<Written, AppError> {
    if batch.subs.is_empty() {
        return Ok(Written { cases: 0, changes: None });
    }
    let lines = ImportBatch { file_sha256: &file.sha256, first_line: batch.first as i64, last_line: batch.last as i64 };
    let stored =
        state.store.import_batch_stored(&batch.actor, "cases", file.rows, &lines, &batch.subs, &batch.endings).await?;
    Ok(Written { cases: stored.ids.iter().map(Vec::len).sum(), changes: stored.changes })
}

/// Stores a batch of consecutive lines (all or nothing): prepared on masking workers of its own,
/// then written in one transaction ([`Masking::prepare_batch`], then [`write_batch`]).
pub async fn load(state: &AppState, actor: &Actor, file: &SourceFile, rows: Vec<BulkRow>) -> Result<usize, AppError> {
    if rows.is_empty() {
        return Ok(0);
    }
    let batch = Masking::new()?.prepare_batch(state, actor, rows).await?;
    write_batch(state, file, &batch).await
}

/// The search index, the roll-ups and the WAL's checkpoints following an import while it stores
/// (see [`follow`]).
pub struct Following {
    stored: std::sync::Arc<tokio::sync::watch::Sender<bool>>,
    /// The stored batches handed to the search index (see `search::follow_bulk`).
    handed: tokio::sync::mpsc::Sender<BatchChanges>,
    /// Cases stored since the WAL's last checkpoint (see [`Following::signal_cases`]).
    unchecked: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    index: tokio::task::JoinHandle<Result<std::time::Duration, AppError>>,
    rollups: tokio::task::JoinHandle<Result<std::time::Duration, AppError>>,
    checkpoints: tokio::task::JoinHandle<Result<(), AppError>>,
    store: xinqiao_store::Store,
}

/// How long each follower of an import ran, from the start of the import to its end.
#[derive(Debug)]
pub struct Followed {
    /// Fails alone when another process (the running service) holds the index.
    pub index: Result<std::time::Duration, AppError>,
    pub rollups: std::time::Duration,
}

/// Starts the search index and the roll-ups following the change log beside an import's writer,
/// each in its own task (the index on tantivy's threads, see `search::follow_bulk`; the roll-ups
/// in large transactions between the import's batches), instead of after it. Call
/// [`Following::finish`] when every batch is stored. The result is what the followers reach
/// stepping after each case: they apply the same change log (tested against one-by-one intake).
pub async fn follow(state: &AppState) -> Result<Following, AppError> {
    let (stored, seen) = tokio::sync::watch::channel(false);
    let (handed, for_index) = tokio::sync::mpsc::channel(HANDED_AHEAD);
    let started = std::time::Instant::now();
    let index = {
        let (state, seen) = (state.clone(), seen.clone());
        tokio::spawn(async move {
            crate::search::open_for_bulk(&state).await?;
            crate::search::follow_bulk(&state, seen, for_index).await?;
            Ok(started.elapsed())
        })
    };
    let rollups = {
        let (state, mut seen) = (state.clone(), seen);
        tokio::spawn(async move {
            let mut gone = false;
            loop {
                let finished = gone || *seen.borrow_and_update();
                if state.store.follow_insights(ROLLUP_BATCH).await? > 0 {
                    continue;
                }
                if finished {
                    return Ok(started.elapsed());
                }
                gone = seen.changed().await.is_err();
            }
        })
    };
    // SQLite: the writer commits and goes on; the pages it committed are copied into the
    // database on another connection (and core) beside its next batch, not in its own turn.
    state.store.set_checkpoints_apart(true);
    let unchecked = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let checkpoints = {
        let (store, mut seen, unchecked) = (state.store.clone(), stored.subscribe(), unchecked.clone());
        tokio::spawn(async move {
            let done: Result<(), AppError> = async {
                loop {
                    let finished = *seen.borrow_and_update();
                    // Every CHECKPOINT_CASES cases rather than after every batch: a page the
                    // batches between two checkpoints all changed (the leaves of the indexes on
                    // random keys, the roll-ups, the tails of the log tables) is copied into the
                    // database once, not once per batch, with one pair of fsyncs.
                    let counted = unchecked.load(std::sync::atomic::Ordering::SeqCst);
                    if counted >= checkpoint_cases() {
                        // Cases the writer adds meanwhile count toward the next checkpoint.
                        unchecked.fetch_sub(counted, std::sync::atomic::Ordering::SeqCst);
                        // A reader (the followers) can keep the WAL from starting again at its
                        // beginning after a checkpoint; past WAL_PAGES the next one waits for the
                        // writer's turn and makes sure it does, so the WAL's file stays bounded
                        // whatever the import's size.
                        if store.checkpoint(false).await? > WAL_PAGES {
                            store.checkpoint(true).await?;
                        }
                    }
                    if finished || seen.changed().await.is_err() {
                        return Ok(());
                    }
                }
            }
            .await;
            if done.is_err() {
                // Nobody copies the WAL apart any more: the writers do it themselves again.
                store.set_checkpoints_apart(false);
            }
            done
        })
    };
    Ok(Following {
        stored: std::sync::Arc::new(stored),
        handed,
        unchecked,
        index,
        rollups,
        checkpoints,
        store: state.store.clone(),
    })
}

/// How many stored batches may wait for the search index with their texts; a batch stored while
/// as many wait (the index behind, or still opening) is read back from the change log instead.
const HANDED_AHEAD: usize = 4;

/// How many stored cases, at least, the WAL gathers between two of an import's checkpoints
/// (about 30 MB of WAL; at the default batch of 8,000, one checkpoint per batch; [`WAL_PAGES`]
/// bounds it whatever the batch). The last one is made by [`Following::finish`].
const CHECKPOINT_CASES: usize = 8_000;

/// [`CHECKPOINT_CASES`], or the spacing `XINQIAO_IMPORT_CHECKPOINT_CASES` sets (a number of
/// cases, at least one batch's worth being sensible) for measuring the checkpoints' cost against
/// the WAL's size (issue 22); read once.
fn checkpoint_cases() -> usize {
    static CASES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CASES.get_or_init(|| {
        std::env::var("XINQIAO_IMPORT_CHECKPOINT_CASES")
            .ok()
            .and_then(|v| v.trim().parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or(CHECKPOINT_CASES)
    })
}

/// The WAL's length (in pages of 4 KiB, 256 MiB) past which an import's checkpoint waits for the
/// writer's turn to start the WAL again (see [`follow`]).
const WAL_PAGES: i64 = 65_536;

impl Following {
    /// What the writer calls after each batch it stored, to wake the followers; the WAL is
    /// checkpointed after each such batch (see [`Following::signal_cases`] for fewer).
    pub fn signal(&self) -> impl Fn() + Send + Sync + 'static {
        let cases = self.signal_cases();
        move || cases(checkpoint_cases())
    }

    /// What the writer calls after each batch it stored, with its number of cases: wakes the
    /// followers, and the WAL is checkpointed once every [`CHECKPOINT_CASES`] cases stored.
    pub fn signal_cases(&self) -> impl Fn(usize) + Send + Sync + 'static {
        let (stored, unchecked) = (self.stored.clone(), self.unchecked.clone());
        move |cases| {
            unchecked.fetch_add(cases, std::sync::atomic::Ordering::SeqCst);
            stored.send_modify(|_| {});
        }
    }

    /// What the writer calls after each batch it stored ([`write_stored`]): hands the batch's
    /// texts to the search index when it has room for them (it reads the batch back from the
    /// change log otherwise, or when it stopped), then as [`Following::signal_cases`].
    pub fn signal_written(&self) -> impl Fn(Written) + Send + Sync + 'static {
        let (cases, handed) = (self.signal_cases(), self.handed.clone());
        move |written| {
            if let Some(changes) = written.changes {
                let _ = handed.try_send(changes);
            }
            cases(written.cases);
        }
    }

    /// Waits for both followers to apply everything stored. The index may fail alone (another
    /// process, the running service, holds it and will index the cases itself); a roll-up
    /// failure is an error.
    pub async fn finish(self) -> Result<Followed, AppError> {
        let _ = self.stored.send(true);
        let join = |e: tokio::task::JoinError| AppError::Internal(format!("bulk intake: {e}"));
        let rollups = self.rollups.await.map_err(join);
        let index = self.index.await.map_err(join);
        let checkpoints = self.checkpoints.await.map_err(join);
        // The writers checkpoint by themselves again, whichever follower failed; the last pages
        // are copied now.
        self.store.set_checkpoints_apart(false);
        let (rollups, index) = (rollups??, index?);
        checkpoints??;
        self.store.checkpoint(false).await?;
        Ok(Followed { index, rollups })
    }
}

/// Changes per roll-up transaction during an import.
const ROLLUP_BATCH: i64 = 50_000;
