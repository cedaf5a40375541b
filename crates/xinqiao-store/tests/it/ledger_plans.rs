//! SQLite's plans for the ledger's trace queries: each probes its index (covering where the
//! migrations made it so) and never scans the ledger, after ANALYZE too.

use crate::ledger::{bread, bureaus, line, uscc};
use xinqiao_domain::ledger::{CorrectionReason, EntryKind, Gtin};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{LedgerConflict, LedgerError};

/// SQLite's plan of `sql`, bound with its batches (GTIN, batch) and then the bureaus, in order.
async fn plan_of(store: &Store, sql: String, batches: &[(&Gtin, &str)], orgs: &[String]) -> Vec<String> {
    let mut q = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(sql));
    for (gtin, batch) in batches {
        q = q.bind(gtin.as_str()).bind(*batch);
    }
    for o in orgs {
        q = q.bind(o.as_str());
    }
    q.fetch_all(store.pool()).await.unwrap().into_iter().map(|r| r.3).collect()
}

/// Tracing a finished batch back to its raw-material lots probes the partial index on the
/// product a use went into.
#[tokio::test]
async fn the_uses_into_plan_probes_its_partial_index_on_sqlite() {
    let db = xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Sqlite).await.unwrap();
    let store = &db.store;
    sqlx::raw_sql("ANALYZE").execute(store.pool()).await.unwrap();
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::uses_into_sql(2));
    let orgs = ["a".to_owned(), "b".to_owned()];
    let plan = plan_of(store, sql, &[(&bread(), "P1")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("USING INDEX ledger_entries_into")), "{plan:#?}");
    // A level of the chain at once: the same partial index, probed per batch of the level.
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::lots_lines_sql(true, 2, 2));
    let plan = plan_of(store, sql, &[(&bread(), "P1"), (&bread(), "P2")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("SEARCH e USING INDEX ledger_entries_into")), "{plan:#?}");
    // The chain's use groups into a level's batches read the index alone (migration 0087): no
    // table row per use.
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::lots_uses_sql(true, 2, 2));
    let plan = plan_of(store, sql, &[(&bread(), "P1"), (&bread(), "P2")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("SEARCH e USING COVERING INDEX ledger_entries_into")), "{plan:#?}");
    assert!(
        !plan.iter().any(|d| d.starts_with("SCAN") && !d.contains("CONSTANT ROW") && d.as_str() != "SCAN l"),
        "{plan:#?}"
    );
}

/// The batch trace reads its lines through `ledger_entries_batch` and probes each line's
/// correction through the partial index, after ANALYZE too. Before migration 0041 the full index
/// on `corrects` held one NULL per line; SQLite's statistics counted them as one value and the
/// plan scanned the whole ledger for every traced line (`SCAN c`): seconds per trace at 1M lines.
#[tokio::test]
async fn the_batch_trace_plan_probes_indexes_and_never_scans_the_ledger_on_sqlite() {
    let db = xinqiao_store::testing::TestDb::new(xinqiao_store::Backend::Sqlite).await.unwrap();
    let store = &db.store;
    let actor = Actor::console();
    let (city, a, b) = bureaus(store).await;
    let orgs = [city.clone(), a.clone(), b.clone()];
    for n in 0..30 {
        store.ledger_enroll(&actor, &uscc(n), "企业", &orgs[n as usize % 3]).await.unwrap();
    }
    let values: Vec<String> = (0..3_000)
        .map(|i| {
            let g = Gtin::with_check_digit(&format!("69{:010}", i % 50)).unwrap();
            format!(
                "('l{i:05}', '{}', 'purchase', '{}', 'B{}', 1000, '箱', 20400, 20800, 21000, '', 0)",
                uscc(i % 30).as_str(),
                g.as_str(),
                i % 7
            )
        })
        .collect();
    let sql = format!(
        "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, expiry_on, \
         retain_until, created_by, created_at) VALUES {}",
        values.join(", ")
    );
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(store.pool()).await.unwrap();
    let target = store.ledger_entries(&uscc(1), false, 1).await.unwrap().remove(0);
    let mut fix = line(EntryKind::Purchase, "B1", "2", None);
    fix.gtin = target.gtin.clone();
    let reason = CorrectionReason::parse("数量录错").unwrap();
    store.ledger_correct(&actor, &uscc(1), &target.id, &reason, &fix).await.unwrap();
    // The lines loaded behind the store's back: their per-(batch, keeper) sums, as migration 0085
    // makes them.
    store.ledger_rebuild_lot_keepers().await.unwrap();
    sqlx::raw_sql("ANALYZE").execute(store.pool()).await.unwrap();

    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::batch_lines_sql(true, 3));
    let plan = plan_of(store, sql, &[(&target.gtin, "B1")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("USING INDEX ledger_entries_batch")), "{plan:#?}");
    assert!(plan.iter().any(|d| d.contains("USING INDEX ledger_entries_corrects")), "{plan:#?}");
    assert!(!plan.iter().any(|d| d.starts_with("SCAN")), "no table is scanned: {plan:#?}");
    // A level of the producers' chain in one query: the list of batches first, then the same
    // probes per batch (row values `IN (VALUES …)` made SQLite scan the enterprises instead).
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::lots_lines_sql(false, 2, 3));
    let plan = plan_of(store, sql, &[(&target.gtin, "B1"), (&target.gtin, "B2")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("SEARCH e USING INDEX ledger_entries_batch")), "{plan:#?}");
    assert!(plan.iter().any(|d| d.contains("USING INDEX ledger_entries_corrects")), "{plan:#?}");
    let scans: Vec<&String> =
        plan.iter().filter(|d| d.starts_with("SCAN") && !d.contains("CONSTANT ROWS") && *d != "SCAN l").collect();
    assert!(scans.is_empty(), "only the list of batches is scanned: {plan:#?}");
    // A level's summaries: each batch's rows of the bureaus in scope, read from the covering
    // index of `ledger_lot_bureaus` alone — no keeper's sums, no enterprise, no line of the ledger.
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::lots_summaries_sql(2, 3));
    let plan = plan_of(store, sql, &[(&target.gtin, "B1"), (&target.gtin, "B2")], &orgs).await;
    assert!(
        plan.iter()
            .any(|d| d
                .contains("SEARCH r USING COVERING INDEX ledger_lot_bureaus_cover (gtin=? AND batch=? AND org_id=?)")),
        "{plan:#?}"
    );
    for table in ["ledger_entries", "ledger_lot_keepers", "ledger_enterprises", "ledger_products"] {
        assert!(!plan.iter().any(|d| d.contains(table)), "{table} is not read: {plan:#?}");
    }
    let scans: Vec<&String> = plan
        .iter()
        .filter(|d| d.starts_with("SCAN") && !d.contains("CONSTANT ROW") && d.as_str() != "SCAN l")
        .collect();
    assert!(scans.is_empty(), "only the list of batches is scanned: {plan:#?}");
    // A recall's holders read the keepers' sums (every holder by name), from their covering index.
    let sql = format!("EXPLAIN QUERY PLAN {}", xinqiao_store::ledger::lots_holders_sql(2, 3));
    let plan = plan_of(store, sql, &[(&target.gtin, "B1"), (&target.gtin, "B2")], &orgs).await;
    assert!(plan.iter().any(|d| d.contains("SEARCH s USING COVERING INDEX ledger_lot_keepers_cover")), "{plan:#?}");
    assert!(!plan.iter().any(|d| d.contains("ledger_entries")), "no line of the ledger is read: {plan:#?}");
    assert!(
        plan.iter().any(|d| d.starts_with("SEARCH le USING") && d.contains("INDEX ledger_enterprises_")),
        "{plan:#?}"
    );
    let scans: Vec<&String> = plan
        .iter()
        .filter(|d| d.starts_with("SCAN") && !d.contains("CONSTANT ROW") && !["SCAN l", "SCAN k"].contains(&d.as_str()))
        .collect();
    assert!(scans.is_empty(), "only the batches and their sums are scanned: {plan:#?}");
    // The partial index still refuses a second correction of the same line.
    let again = store.ledger_correct(&actor, &uscc(1), &target.id, &reason, &fix).await.unwrap_err();
    assert!(matches!(again, LedgerError::Conflict(LedgerConflict::AlreadyCorrected)), "{again:?}");
}
