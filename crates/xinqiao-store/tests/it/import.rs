//! The bulk import's store side: a batch writes one change-log row per case even for the cases
//! it stores already ended, the index reads only what it holds of a case, and an import's
//! writers can leave the WAL's checkpoints to a connection apart and keep their statement journals
//! in memory.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::{Ending, ImportBatch, Submission};
use xinqiao_store::testing::TestDb;
use xinqiao_store::{Backend, Store};

fn subs(prefix: &str, n: usize) -> Vec<Submission> {
    (0..n)
        .map(|i| Submission {
            actor: Actor::console(),
            cases: vec![row(CaseKind::Complaint, &format!("{prefix}{i:05}"), "320508", i % 2 == 0)],
            open311: None,
        })
        .collect()
}

async fn changes(store: &Store) -> Vec<(String, String)> {
    store.changes_since(0, 10_000).await.unwrap().into_iter().map(|c| (c.topic, c.entity_id)).collect()
}

backend_test!(an_imported_case_that_ended_is_one_change_with_both_audit_entries, |db| {
    let s = &db.store;
    let a = Actor::console();
    let subs = subs("I", 3);
    let ending = Ending {
        status: Status::Closed,
        closed_at_ms: 1_800_000_000_000,
        on_time: true,
        mediation: Some(true),
        rating: Some(5),
        recovered_cents: Some(1_000),
    };
    let endings = vec![Some(ending.clone()), None, Some(ending)];
    let lines = ImportBatch { file_sha256: "f00d", first_line: 2, last_line: 4 };
    let ids = s.import_batch(&a, "cases", 3, &lines, &subs, &endings).await.unwrap();
    let ids: Vec<String> = ids.into_iter().flatten().collect();
    // One change per case, the ended ones included: the followers read each case as it now is.
    let mut seen: Vec<String> = changes(s).await.into_iter().map(|(t, id)| format!("{t}:{id}")).collect();
    seen.sort();
    let mut want: Vec<String> = ids.iter().map(|id| format!("case:{id}")).collect();
    want.sort();
    assert_eq!(seen, want);
    // The trail still has the intake of each and the outcome of each that ended.
    let count = |action: &'static str| async move {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(s.pool())
            .await
            .unwrap();
        n
    };
    assert_eq!((count("case.intake").await, count("case.outcome").await), (3, 2));
    let closed = s.cases_by_ids(&ids).await.unwrap().into_iter().filter(|c| c.status == Status::Closed).count();
    assert_eq!(closed, 2);
});

backend_test!(the_index_reads_what_it_holds_of_each_case_and_skips_a_missing_one, |db| {
    let s = &db.store;
    let ids: Vec<String> = s.intake_many(&subs("T", 3)).await.unwrap().into_iter().flatten().collect();
    let mut asked = ids.clone();
    asked.push("no-such-case".into());
    let mut texts = s.case_texts(&asked).await.unwrap();
    texts.sort_by(|a, b| a.id.cmp(&b.id));
    let mut full = s.cases_by_ids(&ids).await.unwrap();
    full.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(texts.len(), 3);
    for (t, c) in texts.iter().zip(&full) {
        assert_eq!(
            (&t.id, &t.narrative_masked, &t.org_id, t.kind, t.received_at),
            (&c.id, &c.narrative_masked, &c.org_id, c.kind, c.received_at)
        );
    }
});

async fn autocheckpoint(store: &Store) -> i64 {
    let mut tx = store.begin().await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint").fetch_one(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    pages
}

/// While an import runs its writers never copy the WAL into the database themselves
/// (`wal_autocheckpoint` 0 on each writing connection, past SQLite's 1,000 pages too);
/// `checkpoint` does it apart, every write stays visible to another process, and set back the
/// writers checkpoint by themselves again.
#[tokio::test]
async fn an_imports_writers_leave_the_wal_to_a_checkpoint_apart() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let s = &db.store;
    s.set_checkpoints_apart(true);
    assert!(s.checkpoints_apart());
    assert_eq!(autocheckpoint(s).await, 0);
    let mut stored = 0;
    let mut wal = 0;
    for round in 0..200 {
        stored += s.intake_many(&subs(&format!("W{round:02}-"), 200)).await.unwrap().len();
        if round == 0 {
            // A passive checkpoint copies what is committed beside the writer.
            s.checkpoint(false).await.unwrap();
        }
        wal = file_len(&db.url, "-wal");
        if wal > 3_000 * 4096 {
            break;
        }
    }
    // A writer checkpointing by itself (every 1,000 pages) keeps the file near 1,000 pages.
    assert!(wal > 3_000 * 4096, "no writer checkpointed: the WAL grew past 3,000 pages ({wal} bytes)");
    let other = Store::connect(&db.url).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(other.pool()).await.unwrap();
    assert_eq!(n as usize, stored);
    // A restart in the writers' turn: the next write starts the WAL from its beginning.
    let pages = s.checkpoint(true).await.unwrap();
    assert!(pages >= 3_000, "{pages}");
    s.intake_many(&subs("X", 1)).await.unwrap();
    let after = s.checkpoint(false).await.unwrap();
    assert!(after < pages, "the WAL started again ({after} pages after {pages})");
    // Set back: SQLite's default on every writing connection.
    s.set_checkpoints_apart(false);
    assert!(!s.checkpoints_apart());
    assert_eq!(autocheckpoint(s).await, 1000);
}

fn file_len(url: &str, suffix: &str) -> u64 {
    let path = url.trim_start_matches("sqlite://").split('?').next().unwrap();
    std::fs::metadata(format!("{path}{suffix}")).map_or(0, |m| m.len())
}

/// The roll-ups' first step (which writes the follower's row) and the end of an import wait for
/// the writers' turn like every write: outside it they waited in SQLite's busy handler, and an
/// import's writer, committing batch after batch, could hold the lock past its 5 seconds, so
/// that the roll-ups failed as busy (seen with the import's batches prepared ahead).
#[tokio::test]
async fn the_roll_ups_first_step_and_an_imports_end_wait_for_the_writers_turn() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let s = &db.store;
    let lines = ImportBatch { file_sha256: "beef", first_line: 2, last_line: 3 };
    s.import_batch(&Actor::console(), "cases", 2, &lines, &subs("B", 2), &[]).await.unwrap();
    assert_eq!(s.insights_position().await.unwrap(), 0, "the roll-ups have not followed yet");
    // A writer holding the turn (and SQLite's lock) longer than the busy timeout.
    let held = s.begin().await.unwrap();
    let holder = async move {
        tokio::time::sleep(std::time::Duration::from_millis(5_600)).await;
        held.commit().await
    };
    let (followed, finished, held) = tokio::join!(s.follow_insights(100), s.finish_import("beef"), holder);
    held.unwrap();
    assert_eq!(followed.unwrap(), 2, "the roll-ups followed both changes once the turn was theirs");
    finished.unwrap();
    assert_eq!(s.insights_position().await.unwrap(), 2);
    assert_eq!(s.imported_lines("beef").await.unwrap(), (vec![(2, 3)], true));
}

/// An import's writer keeps its statement journals in memory (`temp_store` 2): a multi-row
/// INSERT inside a transaction journals every page it changes, and past 64 KiB SQLite spilled
/// that journal to a file in /var/tmp, more pages written than to the WAL (issue 22).
#[tokio::test]
async fn an_imports_writer_keeps_its_statement_journals_in_memory() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let s = &db.store;
    let lines = ImportBatch { file_sha256: "cafe", first_line: 2, last_line: 201 };
    s.import_batch(&Actor::console(), "cases", 200, &lines, &subs("J", 200), &[]).await.unwrap();
    let mut tx = s.begin().await.unwrap();
    let (store,): (i64,) = sqlx::query_as("PRAGMA temp_store").fetch_one(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    assert_eq!(store, 2, "MEMORY on the writing connection");
}

/// The roll-ups as a recount of every case would give them (rows that count nothing left out).
async fn recount(store: &Store) -> Vec<String> {
    let mut sums: std::collections::HashMap<String, xinqiao_domain::insights::Measures> = Default::default();
    for f in store.all_case_facts().await.unwrap() {
        let (key, m) = f.contribution();
        *sums.entry(format!("{key:?}")).or_default() += m;
    }
    let mut rows: Vec<String> =
        sums.into_iter().filter(|(_, m)| !m.is_zero()).map(|(k, m)| format!("{k}{m:?}")).collect();
    rows.sort();
    rows
}

async fn rollups(store: &Store) -> Vec<String> {
    let (rows, _) = store.rollups_since(0).await.unwrap();
    let mut rows: Vec<String> = rows.iter().filter(|(_, m)| !m.is_zero()).map(|(k, m)| format!("{k:?}{m:?}")).collect();
    rows.sort();
    rows
}

backend_test!(a_batch_counts_its_own_cases_when_the_roll_ups_are_caught_up, |db| {
    let s = &db.store;
    let a = Actor::console();
    let lines = |first: i64| ImportBatch { file_sha256: "cafe", first_line: first, last_line: first + 3 };
    let ending = Ending {
        status: Status::Closed,
        closed_at_ms: 1_800_000_000_000,
        on_time: true,
        mediation: Some(true),
        rating: Some(4),
        recovered_cents: Some(2_500),
    };
    // Cases that count differently: ended or not, settling (not accepted), without a category
    // or a USCC (counted under the enterprise's name), of another day, kind and industry.
    let varied = |prefix: &str| {
        let mut subs = subs(prefix, 4);
        subs[1].cases[0].settle_until = Some(20_800);
        subs[2].cases[0].category = None;
        subs[2].cases[0].enterprise_uscc = None;
        subs[3].cases[0].kind = CaseKind::Report;
        subs[3].cases[0].industry = None;
        subs[3].cases[0].received_day = 20_790;
        subs
    };
    let endings = vec![Some(ending.clone()), None, None, Some(Ending { status: Status::Informed, ..ending })];
    // The first batch: the follower has never run, and counts it by reading the cases.
    s.import_batch(&a, "cases", 8, &lines(2), &varied("A"), &endings).await.unwrap();
    assert_eq!(s.follow_insights(1_000).await.unwrap(), 4);
    let newest = || async { changes(s).await.len() as i64 };
    assert_eq!(s.insights_position().await.unwrap(), newest().await);
    // The second, with the follower caught up: on SQLite the batch counts its own cases and moves
    // the follower past them; on PostgreSQL the follower reads them as before.
    let ids = s.import_batch(&a, "cases", 8, &lines(6), &varied("B"), &endings).await.unwrap();
    let applied = s.follow_insights(1_000).await.unwrap();
    assert_eq!(applied, if db.store.backend() == Backend::Sqlite { 0 } else { 4 });
    assert_eq!(s.insights_position().await.unwrap(), newest().await);
    assert_eq!(rollups(s).await, recount(s).await);
    // What each case counted was recorded: a later change subtracts exactly that.
    s.classify_case(&a, &ids[0][0], "quality", None).await.unwrap();
    s.classify_case(&a, &ids[2][0], "prepaid", None).await.unwrap();
    assert!(s.follow_insights(1_000).await.unwrap() > 0);
    assert_eq!(rollups(s).await, recount(s).await);
    // A follower behind the log: the batch leaves its cases to it.
    s.classify_case(&a, &ids[1][0], "quality", None).await.unwrap();
    s.import_batch(&a, "cases", 12, &lines(10), &varied("C"), &endings).await.unwrap();
    assert!(s.follow_insights(1_000).await.unwrap() >= 5);
    assert_eq!(rollups(s).await, recount(s).await);
});

// What a batch hands the search index (issue 22, fourteenth session): on SQLite its changes'
// positions, right after the newest change before it and one per case, and its cases' texts
// exactly as `case_texts` reads them back after the commit; on PostgreSQL nothing (the index
// reads the log there).
backend_test!(a_batch_hands_its_changes_and_texts_as_the_log_and_the_cases_hold_them, |db| {
    let s = &db.store;
    let a = Actor::console();
    let lines = |first| ImportBatch { file_sha256: "ab12", first_line: first, last_line: first + 3 };
    s.import_batch(&a, "cases", 8, &lines(2), &subs("H", 4), &[]).await.unwrap();
    let before = changes(s).await.len() as i64;
    let ending = Ending {
        status: Status::Closed,
        closed_at_ms: 1_800_000_000_000,
        on_time: false,
        mediation: None,
        rating: None,
        recovered_cents: None,
    };
    let endings = vec![Some(ending), None, None, None];
    let stored = s.import_batch_stored(&a, "cases", 8, &lines(6), &subs("K", 4), &endings).await.unwrap();
    let ids: Vec<String> = stored.ids.iter().flatten().cloned().collect();
    let Some(changes) = stored.changes else {
        assert_eq!(s.backend(), Backend::Postgres, "SQLite hands its batches");
        return;
    };
    assert_eq!(s.backend(), Backend::Sqlite);
    let log = s.changes_since(before, 100).await.unwrap();
    assert_eq!((changes.first, changes.last), (log[0].seq, log.last().unwrap().seq));
    assert_eq!((changes.first, changes.last - changes.first + 1), (before + 1, 4), "right after, one per case");
    let logged: Vec<&str> = log.iter().map(|c| c.entity_id.as_str()).collect();
    assert_eq!(logged, ids.iter().map(String::as_str).collect::<Vec<_>>(), "the batch's cases in the log's order");
    let mut read = s.case_texts(&ids).await.unwrap();
    read.sort_by(|x, y| x.id.cmp(&y.id));
    let mut handed = changes.texts.clone();
    handed.sort_by(|x, y| x.id.cmp(&y.id));
    assert_eq!(handed, read, "as the cases hold them");
});
