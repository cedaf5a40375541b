//! Imports that survive being killed: each batch of a file's consecutive lines is stored in one
//! transaction with its cases, their outcomes and the record of which lines it holds, so a rerun
//! of the same file (known by the SHA-256 of its bytes) skips exactly the lines already stored.

use super::intake::{intake_routed, outcomes_in};
use super::{CaseOutcome, Submission};
use super::{CaseText, NewCaseRow};
use crate::audit::Actor;
use crate::insights::{FOLLOWER, count_new_cases};
use crate::tx::Tx;
use crate::{Result, Store};
use xinqiao_domain::cases::Status;
use xinqiao_domain::insights::CaseFacts;

/// What an import batch stored (see [`Store::import_batch_stored`]).
#[derive(Debug, Clone)]
pub struct StoredBatch {
    /// The cases' ids, per submission.
    pub ids: Vec<Vec<String>>,
    /// On SQLite, the batch's changes and its cases' searchable texts.
    pub changes: Option<BatchChanges>,
}

/// The positions of an import batch's changes in the change log (`first..=last`, one per case,
/// nothing else between them) and the texts the search index holds of its cases, exactly as
/// [`Store::case_texts`] reads them back after the commit: a search follower that has applied
/// every change before `first` indexes them from here instead of reading the batch back
/// (issue 22). SQLite only (its writers take turns, so the batch's positions follow the newest
/// before it without a gap); on PostgreSQL the follower reads the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchChanges {
    pub first: i64,
    pub last: i64,
    pub texts: Vec<CaseText>,
}

/// Which lines of which file a batch holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBatch<'a> {
    pub file_sha256: &'a str,
    pub first_line: i64,
    pub last_line: i64,
}

/// How an imported case ended, before its id is known (one per submission, or none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ending {
    pub status: Status,
    pub closed_at_ms: i64,
    pub on_time: bool,
    pub mediation: Option<bool>,
    pub rating: Option<u8>,
    pub recovered_cents: Option<i64>,
}

/// SQLite settings for a connection that writes an import: a 64 MiB page cache, statement
/// journals in memory, and a WAL checkpoint every 8,192 pages (32 MiB; the default is 1,000),
/// unless the checkpoints are apart from the writer (see `Store::set_checkpoints_apart`).
///
/// A multi-row INSERT inside a transaction keeps a statement journal (the pages it changes, as
/// they were before it, so that a failed statement undoes only itself); past 64 KiB SQLite
/// spills it to a temporary file, and an import's statements of a hundred cases change hundreds
/// of index pages each: the writer wrote more pages to /var/tmp than to the WAL (issue 22,
/// eighth session: 108,000 `pwrite`s for 20,000 cases against 47,000 to the WAL). In memory
/// (`temp_store`) it is a few MiB at most, freed at the end of each statement.
const IMPORT_PRAGMAS: &str =
    "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; PRAGMA wal_autocheckpoint = 8192;";
/// The same while the checkpoints are apart: the page cache and the statement journals.
const IMPORT_PRAGMAS_APART: &str = "PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY;";

impl Store {
    /// The line ranges of `file_sha256` already stored, in order, and whether the whole file is.
    pub async fn imported_lines(&self, file_sha256: &str) -> Result<(Vec<(i64, i64)>, bool)> {
        let ranges =
            sqlx::query("SELECT first_line, last_line FROM import_batches WHERE file_sha256 = $1 ORDER BY first_line")
                .bind(file_sha256)
                .fetch_all(&self.pool)
                .await?;
        let ranges: Vec<(i64, i64)> = crate::rows::all(ranges, ["first_line", "last_line"])?;
        let finished: Option<(Option<i64>,)> = sqlx::query_as("SELECT finished_at FROM import_files WHERE sha256 = $1")
            .bind(file_sha256)
            .fetch_optional(&self.pool)
            .await?;
        Ok((ranges, finished.is_some_and(|(f,)| f.is_some())))
    }

    /// Stores a batch of an import: its submissions, the outcomes of those that ended (aligned
    /// with `subs`), and the record of its lines — all in one transaction, or nothing. On SQLite,
    /// when the roll-ups' follower has applied every change before it, the batch also counts its
    /// cases in the roll-ups and moves the follower past them ([`count_in`]).
    pub async fn import_batch(
        &self,
        actor: &Actor,
        kind: &str,
        total_rows: i64,
        batch: &ImportBatch<'_>,
        subs: &[Submission],
        endings: &[Option<Ending>],
    ) -> Result<Vec<Vec<String>>> {
        Ok(self.import_batch_stored(actor, kind, total_rows, batch, subs, endings).await?.ids)
    }

    /// [`Store::import_batch`], also returning (on SQLite) the batch's changes with its cases'
    /// searchable texts, for the search index to take without reading them back (see
    /// [`BatchChanges`]).
    pub async fn import_batch_stored(
        &self,
        actor: &Actor,
        kind: &str,
        total_rows: i64,
        batch: &ImportBatch<'_>,
        subs: &[Submission],
        endings: &[Option<Ending>],
    ) -> Result<StoredBatch> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let sqlite = self.backend == crate::Backend::Sqlite;
        if sqlite {
            // An import's writer keeps the tables' and indexes' hot pages in memory (SQLite's
            // default is 2 MB: a batch's pages were spilled to the WAL, then read back and written
            // again) and copies the WAL into the database less often (fewer rewrites of the same
            // pages). Both are per connection, and bounded whatever the file's size.
            let pragmas = if self.checkpoints_apart() { IMPORT_PRAGMAS_APART } else { IMPORT_PRAGMAS };
            sqlx::raw_sql(pragmas).execute(&mut *tx).await?;
        }
        sqlx::query(
            "INSERT INTO import_files (sha256, kind, rows, started_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (sha256) DO NOTHING",
        )
        .bind(batch.file_sha256)
        .bind(kind)
        .bind(total_rows)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // SQLite's writers take turns: no change below the newest can still be uncommitted, and
        // the batch's own changes follow it without a gap.
        let before = if sqlite { Some(newest_change(&mut tx).await?) } else { None };
        // The roll-ups' follower caught up with the change log: the batch counts its own cases.
        let counting = match before {
            Some(newest) => follower_at(&mut tx).await?.filter(|&p| p == newest),
            None => None,
        };
        let (ids, routes) = intake_routed(&mut tx, subs, endings).await?;
        let outcomes: Vec<CaseOutcome> = ids
            .iter()
            .zip(endings)
            .filter_map(|(ids, e)| {
                let e = e.as_ref()?;
                Some(CaseOutcome {
                    case_id: ids.first()?.clone(),
                    status: e.status,
                    closed_at_ms: e.closed_at_ms,
                    on_time: e.on_time,
                    mediation: e.mediation,
                    rating: e.rating,
                    recovered_cents: e.recovered_cents,
                })
            })
            .collect();
        if !outcomes.is_empty() {
            outcomes_in(&mut tx, actor, &outcomes, true).await?;
        }
        let after = match before {
            Some(_) => Some(newest_change(&mut tx).await?),
            None => None,
        };
        if let (Some(position), Some(newest)) = (counting, after) {
            count_in(&mut tx, subs, endings, &ids, position, newest).await?;
        }
        sqlx::query(
            "INSERT INTO import_batches (file_sha256, first_line, last_line, cases, stored_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(batch.file_sha256)
        .bind(batch.first_line)
        .bind(batch.last_line)
        .bind(ids.iter().map(Vec::len).sum::<usize>() as i64)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        // The texts `case_texts` would read back: as `intake_in` wrote each case row.
        let cases: usize = ids.iter().map(Vec::len).sum();
        let changes = match (before, after) {
            // Exactly one change per case (an imported outcome adds none), or nothing is handed.
            (Some(before), Some(after)) if after - before == cases as i64 && cases > 0 => Some(BatchChanges {
                first: before + 1,
                last: after,
                texts: subs
                    .iter()
                    .zip(&ids)
                    .flat_map(|(s, ids)| s.cases.iter().zip(ids))
                    .map(|(c, id)| CaseText {
                        id: id.clone(),
                        narrative_masked: c.narrative_masked.clone(),
                        org_id: routes.get(c.region_code.as_str()).cloned().flatten(),
                        kind: c.kind,
                        received_at: now,
                    })
                    .collect(),
            }),
            _ => None,
        };
        tx.commit().await?;
        Ok(StoredBatch { ids, changes })
    }

    /// Marks a file wholly imported, in the writers' turn (the roll-ups may still be writing).
    pub async fn finish_import(&self, file_sha256: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query("UPDATE import_files SET finished_at = $1 WHERE sha256 = $2 AND finished_at IS NULL")
            .bind(now)
            .bind(file_sha256)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The roll-ups' follower's position (`None` before its first run). On SQLite, when it equals the
/// newest change, the follower has applied every change in the log: writers take turns, so no
/// change below the newest can still be uncommitted.
async fn follower_at(tx: &mut Tx) -> Result<Option<i64>> {
    let position: Option<(i64,)> =
        sqlx::query_as("SELECT seq FROM followers WHERE name = $1").bind(FOLLOWER).fetch_optional(&mut **tx).await?;
    Ok(position.map(|(p,)| p))
}

/// The newest position in the change log (0 when it is empty).
async fn newest_change(tx: &mut Tx) -> Result<i64> {
    let (newest,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM outbox").fetch_one(&mut **tx).await?;
    Ok(newest.unwrap_or(0))
}

/// The roll-ups of a batch computed from what it stores and written with it, the follower's
/// position moved past the batch's changes in the same transaction, instead of the follower
/// reading back the cases the batch just wrote (issue 22). The follower was at `position`, the
/// newest change before the batch, so the batch's changes are all it has to apply, and they
/// name only its new cases, never counted before: each case's contribution is added, exactly
/// what the follower's step would add reading them (tested against one-by-one intake).
async fn count_in(
    tx: &mut Tx,
    subs: &[super::Submission],
    endings: &[Option<Ending>],
    ids: &[Vec<String>],
    position: i64,
    newest: i64,
) -> Result<()> {
    let mut facts = Vec::with_capacity(ids.iter().map(Vec::len).sum());
    for (i, (s, ids)) in subs.iter().zip(ids).enumerate() {
        for (k, (c, id)) in s.cases.iter().zip(ids).enumerate() {
            // As `intake_in` writes them: only a submission's first case carries its ending.
            let end = if k == 0 { endings.get(i).and_then(Option::as_ref) } else { None };
            facts.push((id.as_str(), facts_of(c, end).contribution()));
        }
    }
    count_new_cases(tx, &facts, newest).await?;
    sqlx::query("UPDATE followers SET seq = $1 WHERE name = $2 AND seq = $3")
        .bind(newest)
        .bind(FOLLOWER)
        .bind(position)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A stored case's facts as `insights::facts_from` reads them from its row, from what
/// `intake_in` writes into that row.
fn facts_of(c: &NewCaseRow, end: Option<&Ending>) -> CaseFacts {
    let status = end.map_or(c.start(), |e| e.status);
    CaseFacts {
        received_day: c.received_day,
        bureau: c.region_code.clone(),
        kind: c.kind.code().to_owned(),
        category: c.category.clone().unwrap_or_default(),
        industry: c.industry.map(String::from).unwrap_or_default(),
        enterprise: c.enterprise_uscc.clone().unwrap_or_else(|| c.enterprise_name.clone()),
        // `FACT_COLUMNS`' `accepted`: every status but these five.
        accepted: !matches!(
            status,
            Status::Settling
                | Status::AwaitingAcceptance
                | Status::AwaitingVerification
                | Status::Rejected
                | Status::Merged
        ),
        closed: end.is_some(),
        closed_on_time: end.is_some_and(|e| e.on_time),
        mediation: end.and_then(|e| e.mediation),
        rating: end.and_then(|e| e.rating),
        recovered_cents: end.and_then(|e| e.recovered_cents).unwrap_or(0),
    }
}
