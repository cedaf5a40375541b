//! `cargo bench -p xinqiao-web --bench ledger_trace`: batch tracing at scale. Fills a fresh
//! database with XQ_LEDGER_LINES ledger lines (default 1,000,000) across XQ_LEDGER_ENTERPRISES
//! enterprises (default 10,000) in 10 bureaus under one city, then traces XQ_LEDGER_QUERIES random
//! GTIN + batch pairs across the whole tree (the store's query plus building the trace) and prints
//! p50/p99 — and again with the producers' chain one link each way and with the whole chain as
//! the service follows it (`ledger::chain::follow`, beside the batch's lines: both directions at once, a level of the chain at a time, each linked
//! batch a summary summed in SQL), with the process CPU time per trace. SQLite by default; XQ_BENCH_PG=1 with
//! XINQIAO_TEST_PG set runs it on PostgreSQL. XQ_LEDGER_DB=/path/file.db (SQLite) keeps the
//! filled database there, and a later run on the same path migrates it and skips the fill (the
//! queries are drawn from their own seed, so both runs trace the same batches); on PostgreSQL
//! XQ_LEDGER_DB=postgres://…/name does the same with an existing, empty or filled, database.
//!
//! The fill is a bulk load: multi-row INSERTs in transactions of 500,000 lines, with the ledger's
//! secondary indexes dropped first and re-created afterwards from their own stored definitions
//! (so the traced schema is exactly the migrated one), the per-(batch, keeper) sums and their
//! per-(batch, bureau) roll-up rebuilt from the loaded lines, then ANALYZE of the ledger tables (VACUUM ANALYZE on PostgreSQL, so that its
//! covering indexes are read alone). The process's allocator is the server binary's (mimalloc, also
//! SQLite's malloc), so the CPU per trace is the server's. XQ_LEDGER_CACHE_KIB=N sets each SQLite
//! connection's page cache to N KiB for the run.

use std::time::Instant;
use xinqiao_domain::ids::{RegionCode, Uscc};
use xinqiao_domain::ledger::{Batch, Gtin, Lot};
use xinqiao_store::audit::Actor;
use xinqiao_store::testing::TestDb;
use xinqiao_store::{Backend, Store};
use xinqiao_web::ledger::chain::follow;
use xinqiao_web::ledger::service::CHAIN_LIMIT;

/// The server binary's allocator (`crates/xinqiao/src/main.rs`): mimalloc, which through the
/// `override` feature is SQLite's malloc too, so the traces here allocate as the server's do.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PRODUCTS: u64 = 5_000;
const BATCHES: u64 = 20;
/// The tables whose statistics the traces' plans depend on.
const LEDGER_TABLES: [&str; 4] = ["ledger_entries", "ledger_enterprises", "ledger_lot_keepers", "ledger_lot_bureaus"];
const KINDS: [&str; 6] = ["purchase", "purchase", "sale", "production", "shipment", "material_use"];

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n
    }
}

fn gtin(i: u64) -> Gtin {
    Gtin::with_check_digit(&format!("69{:010}", i)).unwrap()
}

/// CPU time used by the whole process so far (user + system, all threads), in clock ticks of
/// 10 ms: summed over many traces it is the work per trace, whatever else the machine runs.
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<u64> = after.split_whitespace().skip(11).take(2).filter_map(|f| f.parse().ok()).collect();
    fields.iter().sum()
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let lines = env("XQ_LEDGER_LINES", 1_000_000);
    let enterprises = env("XQ_LEDGER_ENTERPRISES", 10_000);
    let queries = env("XQ_LEDGER_QUERIES", 1_000);
    let backend = if std::env::var_os("XQ_BENCH_PG").is_some() { Backend::Postgres } else { Backend::Sqlite };
    let kept = std::env::var("XQ_LEDGER_DB").ok().filter(|s| !s.is_empty());
    let (_db, store) = match &kept {
        Some(path) => {
            let url = match backend {
                Backend::Sqlite => format!("sqlite://{path}?mode=rwc"),
                Backend::Postgres => path.clone(),
            };
            let existed = backend == Backend::Postgres || std::path::Path::new(path).exists();
            let store = Store::connect(&url).await.unwrap();
            let t = Instant::now();
            store.migrate().await.unwrap();
            println!("migrated {path} in {:.1} s", t.elapsed().as_secs_f64());
            let filled = existed
                && sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM ledger_enterprises")
                    .fetch_one(store.pool())
                    .await
                    .unwrap()
                    .0
                    > 0;
            if filled {
                let orgs: Vec<String> =
                    sqlx::query_as::<_, (String,)>("SELECT DISTINCT org_id FROM ledger_enterprises ORDER BY org_id")
                        .fetch_all(store.pool())
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|(o,)| o)
                        .collect();
                // A migration since the fill may have made new indexes: their statistics.
                let t = Instant::now();
                let analyze = match backend {
                    Backend::Sqlite => "ANALYZE",
                    Backend::Postgres => "VACUUM ANALYZE",
                };
                for table in LEDGER_TABLES {
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("{analyze} {table}")))
                        .execute(store.pool())
                        .await
                        .unwrap();
                }
                println!("reusing the filled database {path} ({analyze} {:.1} s)", t.elapsed().as_secs_f64());
                measure(&store, &orgs, queries, lines).await;
                return;
            }
            (None, store)
        }
        None => {
            let db = TestDb::new(backend).await.expect("XINQIAO_TEST_PG must be set for XQ_BENCH_PG");
            let store = db.store.clone();
            (Some(db), store)
        }
    };
    let store = &store;
    let console = Actor::console();
    let city = store.create_org(&console, &RegionCode::parse("320500").unwrap(), "苏州市", None).await.unwrap();
    let mut orgs = vec![city.id.clone()];
    for d in ["320505", "320506", "320507", "320508", "320509", "320581", "320582", "320583", "320585"] {
        let o = store.create_org(&console, &RegionCode::parse(d).unwrap(), d, Some(&city.id)).await.unwrap();
        orgs.push(o.id);
    }
    let t = Instant::now();
    let usccs: Vec<String> = (0..enterprises)
        .map(|i| Uscc::with_check_char(&format!("91320508{:09}", i)).unwrap().as_str().to_owned())
        .collect();
    for chunk in usccs.chunks(500) {
        let mut sql = String::from("INSERT INTO ledger_enterprises (uscc, name, org_id, created_at) VALUES ");
        let values: Vec<String> = chunk
            .iter()
            .enumerate()
            .map(|(i, u)| format!("('{u}', 'enterprise {u}', '{}', 0)", orgs[i % orgs.len()]))
            .collect();
        sql += &values.join(", ");
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(store.pool()).await.unwrap();
    }
    // Secondary indexes of the ledger lines, the keepers' sums and their bureaus' roll-up, as the
    // migrations made them.
    let index_sql: Vec<String> = match backend {
        Backend::Sqlite => sqlx::query_as::<_, (String,)>(
            "SELECT sql FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('ledger_entries', 'ledger_lot_keepers', 'ledger_lot_bureaus') \
             AND sql IS NOT NULL",
        )
        .fetch_all(store.pool())
        .await
        .unwrap(),
        Backend::Postgres => sqlx::query_as::<_, (String,)>(
            "SELECT indexdef FROM pg_indexes \
             WHERE tablename IN ('ledger_entries', 'ledger_lot_keepers', 'ledger_lot_bureaus') \
             AND indexname <> 'ledger_entries_pkey'",
        )
        .fetch_all(store.pool())
        .await
        .unwrap(),
    }
    .into_iter()
    .map(|(s,)| s)
    .collect();
    for def in &index_sql {
        let name = def.split_whitespace().skip_while(|w| *w != "INDEX").nth(1).unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("DROP INDEX {name}"))).execute(store.pool()).await.unwrap();
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut written = 0;
    while written < lines {
        let mut tx = store.pool().begin().await.unwrap();
        let until = (written + 500_000).min(lines);
        while written < until {
            let n = (until - written).min(2_000);
            let mut sql = String::from(
                "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, \
                 expiry_on, retain_until, created_by, created_at, into_gtin, into_batch) VALUES ",
            );
            let values: Vec<String> = (0..n)
                .map(|k| {
                    let u = &usccs[rng.below(enterprises) as usize];
                    let g = gtin(rng.below(PRODUCTS));
                    let b = rng.below(BATCHES);
                    let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
                    let into = if kind == "material_use" {
                        format!("'{}', 'B{}'", gtin(rng.below(PRODUCTS)).as_str(), rng.below(BATCHES))
                    } else {
                        "NULL, NULL".to_owned()
                    };
                    format!(
                        "('l{:010}', '{u}', '{kind}', '{}', 'B{b}', {}, '箱', 20400, 20800, 21000, '', 0, {into})",
                        written + k,
                        g.as_str(),
                        1000 * (1 + rng.below(50))
                    )
                })
                .collect();
            sql += &values.join(", ");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut *tx).await.unwrap();
            written += n;
        }
        tx.commit().await.unwrap();
        eprintln!("{written} lines ({:.1} s)", t.elapsed().as_secs_f64());
    }
    let loaded = t.elapsed();
    let (sums_index_sql, lines_index_sql): (Vec<&String>, Vec<&String>) =
        index_sql.iter().partition(|def| def.contains("ledger_lot_"));
    for def in lines_index_sql {
        sqlx::raw_sql(sqlx::AssertSqlSafe(def.clone())).execute(store.pool()).await.unwrap();
    }
    // The per-(batch, keeper) sums and their per-(batch, bureau) roll-up the store keeps with
    // every line it writes: summed here from the loaded lines (through their indexes), as
    // migrations 0085 and 0086 do for the lines written before them, then indexed.
    let t2 = Instant::now();
    let rows = store.ledger_rebuild_lot_keepers().await.unwrap();
    for def in sums_index_sql {
        sqlx::raw_sql(sqlx::AssertSqlSafe(def.clone())).execute(store.pool()).await.unwrap();
    }
    eprintln!(
        "ledger_lot_keepers: {rows} rows, their bureaus' roll-up, and their indexes in {:.1} s",
        t2.elapsed().as_secs_f64()
    );
    // PostgreSQL reads a covering index alone only where its visibility map says so: VACUUM, as
    // autovacuum does after a load.
    let analyze = match backend {
        Backend::Sqlite => "ANALYZE",
        Backend::Postgres => "VACUUM ANALYZE",
    };
    for table in LEDGER_TABLES {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("{analyze} {table}"))).execute(store.pool()).await.unwrap();
    }
    eprintln!("indexes and ANALYZE: {:.1} s", (t.elapsed() - loaded).as_secs_f64());
    println!(
        "filled {lines} lines across {enterprises} enterprises in {:.1} s ({backend:?})",
        t.elapsed().as_secs_f64()
    );
    measure(store, &orgs, queries, lines).await;
}

/// Traces `queries` random batches and prints the figures.
async fn measure(store: &Store, orgs: &[String], queries: u64, lines: u64) {
    // XQ_LEDGER_CACHE_KIB=N (SQLite): every pool connection's page cache at N KiB instead of the
    // store's, set on all eight held at once, to measure what a cache size buys before the store
    // sets it.
    let cache = std::env::var("XQ_LEDGER_CACHE_KIB").ok().and_then(|s| s.parse::<u64>().ok());
    if let Some(kib) = cache.filter(|_| std::env::var_os("XQ_BENCH_PG").is_none()) {
        let mut held = Vec::new();
        for _ in 0..8 {
            let mut conn = store.pool().acquire().await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA cache_size = -{kib}")))
                .execute(&mut *conn)
                .await
                .unwrap();
            held.push(conn);
        }
        println!("page cache {kib} KiB per connection");
    }
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let mut times = Vec::with_capacity(queries as usize);
    let mut chain_times = Vec::with_capacity(queries as usize);
    let mut full_times = Vec::with_capacity(queries as usize);
    let mut linked = 0usize;
    let mut full_linked = 0usize;
    let mut summarised = 0i64;
    // CPU ticks: the trace alone, the trace with one link each way, with the whole chain.
    let mut cpu = [0u64; 3];
    let mut found = 0usize;
    for _ in 0..queries {
        let g = gtin(rng.below(PRODUCTS));
        let b = Batch::parse(&format!("B{}", rng.below(BATCHES))).unwrap();
        let lot = Lot::new(g.clone(), b.clone());
        let t = Instant::now();
        let c = cpu_ticks();
        let got = store.ledger_batch_lines(orgs, &g, Some(&b)).await.unwrap();
        let trace = xinqiao_web::ledger::trace::build(&g, &b, &got);
        times.push(t.elapsed());
        cpu[0] += cpu_ticks() - c;
        found += trace.suppliers.len() + trace.buyers.len() + trace.holders.len();
        // The producers' chain as the service follows it (a level at a time, each linked batch
        // a summary summed in SQL, the batch's lines read at the same time, both directions at
        // once): one link each way, then the whole chain up to the service's limit of linked
        // batches each way.
        let t = Instant::now();
        let c = cpu_ticks();
        let (got, chain) = tokio::try_join!(
            store.ledger_batch_lines(orgs, &g, Some(&b)),
            follow(store, orgs, &lot, CHAIN_LIMIT, 1, "bench")
        )
        .unwrap();
        let _ = xinqiao_web::ledger::trace::build(&g, &b, &got);
        chain_times.push(t.elapsed());
        cpu[1] += cpu_ticks() - c;
        linked += chain.made_into.len() + chain.made_from.len();
        let t = Instant::now();
        let c = cpu_ticks();
        let (got, chain) = tokio::try_join!(
            store.ledger_batch_lines(orgs, &g, Some(&b)),
            follow(store, orgs, &lot, CHAIN_LIMIT, u32::MAX, "bench")
        )
        .unwrap();
        let _ = xinqiao_web::ledger::trace::build(&g, &b, &got);
        full_times.push(t.elapsed());
        cpu[2] += cpu_ticks() - c;
        full_linked += chain.made_into.len() + chain.made_from.len();
        summarised += chain.made_into.iter().chain(&chain.made_from).map(|l| l.movements).sum::<i64>();
    }
    let per_trace = |ticks: u64| ticks as f64 * 10.0 / queries as f64;
    println!(
        "CPU per trace (process, all threads, averaged): trace alone {:.2} ms, with one link each way {:.2} ms, with the whole chain {:.2} ms",
        per_trace(cpu[0]),
        per_trace(cpu[1]),
        per_trace(cpu[2])
    );
    let report = |name: &str, v: &mut Vec<std::time::Duration>, extra: String| {
        v.sort();
        let at = |p: f64| v[((v.len() as f64 * p) as usize).min(v.len() - 1)].as_secs_f64() * 1000.0;
        println!(
            "{name}: {queries} queries, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms{extra}",
            at(0.50),
            at(0.99),
            v.last().unwrap().as_secs_f64() * 1000.0
        );
    };
    report(
        "batch trace over the whole tree",
        &mut times,
        format!(" ({} lines per batch on average; {found} rows in all)", lines / (PRODUCTS * BATCHES)),
    );
    report(
        "with the producers' chain one link each way",
        &mut chain_times,
        format!(" ({:.1} linked batches per trace on average)", linked as f64 / queries as f64),
    );
    report(
        &format!("with the whole chain as the service follows it (up to {CHAIN_LIMIT} linked batches each way)"),
        &mut full_times,
        format!(
            " ({:.1} linked batches per trace on average, summarising {:.0} lines)",
            full_linked as f64 / queries as f64,
            summarised as f64 / queries as f64
        ),
    );
}
