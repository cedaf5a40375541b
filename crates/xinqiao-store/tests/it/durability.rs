//! Acknowledged means stored: a write that fails (a full disk, a conflict) leaves nothing
//! half-done behind, and the connection it used never goes back to the pool inside a
//! transaction, so the next acknowledged write is really committed and nobody is locked out.

use crate::cases::row;
use xinqiao_domain::cases::CaseKind;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::Submission;
use xinqiao_store::testing::TestDb;
use xinqiao_store::{Backend, Outage, Store, StoreError};

async fn cases_seen_by(store: &Store) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM cases").fetch_one(store.pool()).await.unwrap();
    n
}

fn batch(prefix: &str, n: usize) -> Vec<Submission> {
    (0..n)
        .map(|i| Submission {
            actor: Actor::console(),
            cases: vec![row(CaseKind::Complaint, &format!("{prefix}{i:05}"), "320508", true)],
            open311: None,
        })
        .collect()
}

#[tokio::test]
async fn a_full_disk_fails_the_write_and_the_store_recovers_when_space_returns() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let s = &db.store;
    let a = Actor::console();
    s.intake(&a, &[row(CaseKind::Complaint, "A00001", "320508", true)]).await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(s.pool()).await.unwrap();

    // The disk is full: the batch fails as a whole, and says why.
    s.limit_sqlite_pages(Some(pages as u64));
    let err = s.intake_many(&batch("F", 300)).await.unwrap_err();
    assert!(err.to_string().contains("存储空间已满"), "{err}");
    assert!(matches!(err, StoreError::Unavailable(_)), "{err:?}");
    assert_eq!(cases_seen_by(s).await, 1, "nothing of a failed batch is stored");

    // Space returns. A write that fails for its own reasons (a conflict) is rolled back ...
    s.limit_sqlite_pages(None);
    let dup = s.intake(&a, &[row(CaseKind::Complaint, "A00001", "320508", true)]).await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
    // ... and every acknowledged write after it is committed: another process sees them all,
    // and can write itself (nobody holds the write lock).
    for i in 0..4 {
        s.intake(&a, &[row(CaseKind::Complaint, &format!("B{i:05}"), "320508", true)]).await.unwrap();
    }
    s.intake_many(&batch("G", 300)).await.unwrap();
    let other = Store::connect(&db.url).await.unwrap();
    assert_eq!(cases_seen_by(&other).await, 1 + 4 + 300);
    other.intake(&a, &[row(CaseKind::Complaint, "C00001", "320508", true)]).await.unwrap();
    assert_eq!(cases_seen_by(s).await, 1 + 4 + 300 + 1);
}

/// A statement that runs out of space inside a transaction may make SQLite roll the whole
/// transaction back by itself (as it does when COMMIT fails on a full disk). The connection must
/// not go back to the pool believing it is still inside that transaction: the next transaction
/// on it would then be a savepoint that never commits, acknowledged and lost, holding the write
/// lock ("database is locked") until a restart.
#[tokio::test]
async fn a_transaction_sqlite_rolled_back_by_itself_does_not_poison_its_connection() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    // One connection, so that every step below runs on the one that failed.
    let s = &Store::connect_with(&db.url, 1).await.unwrap().with_clock(xinqiao_store::testing::test_clock());
    let a = Actor::console();
    s.intake(&a, &[row(CaseKind::Complaint, "A00001", "320508", true)]).await.unwrap();
    let (pages,): (i64,) = sqlx::query_as("PRAGMA page_count").fetch_one(s.pool()).await.unwrap();
    s.limit_sqlite_pages(Some(pages as u64));
    {
        let mut tx = s.begin().await.unwrap();
        // A single-row insert into a table without secondary indexes has no statement journal:
        // SQLITE_FULL there rolls back the whole transaction.
        let wide = "案".repeat(100_000);
        let err = sqlx::query("INSERT INTO outbox (topic, entity_id, at_ms) VALUES ('case', $1, 0)")
            .bind(&wide)
            .execute(&mut *tx)
            .await
            .unwrap_err();
        assert_eq!(Outage::of(&err), Some(Outage::DiskFull), "{err:?}");
    }
    s.limit_sqlite_pages(None);
    for i in 0..3 {
        let dup = s.intake(&a, &[row(CaseKind::Complaint, "A00001", "320508", true)]).await;
        assert!(matches!(dup, Err(StoreError::Conflict(_))), "{dup:?}");
        s.intake(&a, &[row(CaseKind::Complaint, &format!("B{i:05}"), "320508", true)]).await.unwrap();
    }
    let other = Store::connect(&db.url).await.unwrap();
    assert_eq!(cases_seen_by(&other).await, 4, "every acknowledged case is committed");
    other.intake(&a, &[row(CaseKind::Complaint, "C00001", "320508", true)]).await.unwrap();
}

// A long transaction (an import batch) takes its change-log row first and commits after many
// short ones (live intake) that took later numbers. Followers must still see it: the roll-ups
// count it and the change log hands it out after what was already read. (On SQLite one writer at
// a time cannot be overtaken, so the interleaving exists on PostgreSQL only.)
crate::backend_test!(a_long_transaction_committing_after_many_short_ones_is_not_skipped, |db| {
    let s = &db.store;
    if s.backend() == Backend::Sqlite {
        return;
    }
    let a = Actor::console();
    let first = s.intake(&a, &[row(CaseKind::Complaint, "L00001", "320508", true)]).await.unwrap().remove(0);
    while s.follow_insights(1_000).await.unwrap() > 0 {}
    let read_up_to = s.last_change().await.unwrap();

    let mut long = s.begin().await.unwrap();
    let closed_at = long.now_ms();
    sqlx::query("UPDATE cases SET status = 'closed', closed_at = $1, closed_on_time = 1 WHERE id = $2")
        .bind(closed_at)
        .bind(&first)
        .execute(&mut *long)
        .await
        .unwrap();
    sqlx::query("INSERT INTO outbox (topic, entity_id, at_ms) VALUES ('case', $1, $2)")
        .bind(&first)
        .bind(closed_at)
        .execute(&mut *long)
        .await
        .unwrap();
    // Many short transactions commit meanwhile, and the followers keep up with them.
    for i in 0..30 {
        s.intake_many(&batch(&format!("S{i:02}"), 10)).await.unwrap();
        while s.follow_insights(1_000).await.unwrap() > 0 {}
    }
    let seen_before = s.changes_since(read_up_to, 10_000).await.unwrap();
    assert_eq!(seen_before.len(), 300, "the long transaction's row is not visible yet");
    long.commit().await.unwrap();

    let after: Vec<_> = s.changes_since(seen_before.last().unwrap().seq, 10_000).await.unwrap();
    assert!(after.iter().any(|c| c.entity_id == first), "the late row comes after what was read: {after:?}");
    while s.follow_insights(1_000).await.unwrap() > 0 {}
    let recount = xinqiao_domain::insights::Cube::from_facts(&s.all_case_facts().await.unwrap());
    let (rows, _) = s.rollups_since(0).await.unwrap();
    let mut cube = xinqiao_domain::insights::Cube::new();
    for (k, m) in rows {
        cube.set(&k, m);
    }
    let all = xinqiao_domain::insights::Filter::days(0, 100_000);
    assert_eq!(cube.dashboard(&all, 5), recount.dashboard(&all, 5), "the roll-ups count the late closure");
});

crate::backend_test!(a_rebuild_puts_damaged_rollups_right_and_following_goes_on, |db| {
    let s = &db.store;
    let a = Actor::console();
    s.intake_many(&batch("R", 40)).await.unwrap();
    while s.follow_insights(1_000).await.unwrap() > 0 {}
    assert!(s.check_rollups().await.unwrap().agrees());

    // The roll-ups lost rows (the defect of a fixed look-back window, or a restored backup).
    sqlx::query("UPDATE insight_rollups SET received = received - 1").execute(s.pool()).await.unwrap();
    let check = s.check_rollups().await.unwrap();
    assert!(!check.agrees());
    assert_eq!(check.expected.received, 40);
    assert!(check.actual.received < 40);

    let rebuilt = s.rebuild_rollups(&a).await.unwrap();
    assert_eq!(rebuilt.cases, 40);
    assert_eq!(rebuilt.position, s.last_change().await.unwrap());
    assert_eq!(s.insights_position().await.unwrap(), rebuilt.position);
    assert_eq!(s.rollup_generation().await.unwrap(), 1);
    let check = s.check_rollups().await.unwrap();
    assert!(check.agrees(), "{check:?}");
    // The follower carries on from there without counting anything twice.
    s.intake_many(&batch("T", 5)).await.unwrap();
    while s.follow_insights(1_000).await.unwrap() > 0 {}
    let check = s.check_rollups().await.unwrap();
    assert!(check.agrees(), "{check:?}");
    assert_eq!(check.actual.received, 45);
});

/// On SQLite every writing transaction runs on one connection, kept from one transaction to the
/// next whatever reads run between them on the pool's others: SQLite throws a connection's page
/// cache away when another connection changed the database, so writers taking turns round the
/// pool began every transaction cold (issue 22). A temporary table lives on its connection only.
#[tokio::test]
async fn sqlite_writes_run_on_one_connection_kept_between_them() {
    let db = TestDb::new(Backend::Sqlite).await.unwrap();
    let s = &db.store;
    let a = Actor::console();
    let mut tx = s.begin().await.unwrap();
    sqlx::raw_sql("CREATE TEMP TABLE writer_mark (x INTEGER)").execute(&mut *tx).await.unwrap();
    tx.commit().await.unwrap();
    for i in 0..5 {
        s.intake(&a, &[row(CaseKind::Complaint, &format!("M{i:05}"), "320508", true)]).await.unwrap();
        let (r1, r2, r3) = tokio::join!(cases_seen_by(s), cases_seen_by(s), cases_seen_by(s));
        assert_eq!((r1, r2, r3), (i + 1, i + 1, i + 1));
        let mut tx = s.begin().await.unwrap();
        let marked = sqlx::query("SELECT COUNT(*) FROM temp.writer_mark").fetch_one(&mut *tx).await.map(|_| ());
        assert!(marked.is_ok(), "write {i} ran on another connection: {marked:?}");
        tx.rollback().await.unwrap();
    }
    let read = sqlx::query("SELECT COUNT(*) FROM temp.writer_mark").fetch_one(s.pool()).await;
    assert!(read.is_err(), "reads run on the pool's other connections");
}
