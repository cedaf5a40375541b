//! `cargo bench -p xinqiao-web --bench import_mask`: a bulk import's per-row preparation
//! (validation, masking of the narrative and the demand, sealing, blind indexes) exactly as
//! `xinqiao import cases` runs it — [`Masking::prepare_batch`] on the import's masking workers, in
//! batches of 2,000 — over the rows of a generated `cases.csv`, nothing written. Prints rows/s and
//! MB/s (narrative and demand bytes) per core: rows per CPU-second of the whole process, so the
//! figure does not depend on how busy the shared machine is.
//!
//! Environment: XQ_IMPORT_CSV (default `/work/imp4/gen/cases.csv`; when absent the rows are
//! generated with `xinqiao-gen`, seed 7), XQ_ROWS (default 10,000), XQ_ROUNDS (default 3).
//! `XQ_MASK_DIGEST=1` prints instead a SHA-256 of every row's masked narrative, public text,
//! spans, masked demand and demand spans, through the public functions `mask_case` is made of
//! (`cases::privacy::{detect, kept, masked_text, marks_json}`), for checking that a change kept
//! the output identical.

use std::time::Instant;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_store::audit::Actor;
use xinqiao_web::cases::bulk::{BulkOutcome, BulkRow, Masking};
use xinqiao_web::{Config, cases::privacy};

/// The `xinqiao` binary's allocator, so that the allocations cost what they cost in the import.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BATCH: usize = 2_000;

fn csv_text(rows: usize) -> String {
    let path = std::env::var("XQ_IMPORT_CSV").unwrap_or_else(|_| "/work/imp4/gen/cases.csv".into());
    if let Ok(text) = std::fs::read_to_string(&path) {
        eprintln!("rows from {path}");
        return text;
    }
    eprintln!("{path} absent: {rows} rows generated (xinqiao-gen, seed 7)");
    let mut generator = xinqiao_gen::Generator::new(7, 2_000);
    let mut cases = xinqiao_gen::CASE_HEADER.as_bytes().to_vec();
    generator.write_cases(0..rows as u64, &mut cases, &mut std::io::sink()).expect("generates");
    String::from_utf8(cases).expect("UTF-8")
}

/// The rows as the import's reader makes them (`xinqiao/src/case_rows.rs`).
fn rows(limit: usize) -> Vec<BulkRow> {
    let text = csv_text(limit);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().expect("heading").iter().map(|h| h.trim().to_owned()).collect();
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    let cols: Vec<usize> = [
        "kind",
        "enterprise_name",
        "enterprise_uscc",
        "industry",
        "region_code",
        "narrative",
        "amount_cents",
        "demand",
        "complainant_name",
        "complainant_mobile",
        "complainant_id_number",
        "complainant_address",
        "consent",
        "received_on",
        "closed",
        "closed_on",
        "closed_on_time",
        "rating",
        "recovered_cents",
    ]
    .iter()
    .map(|c| at(c))
    .collect();
    let flag = |t: &str| matches!(t, "1" | "true" | "是" | "yes");
    let mut out = Vec::with_capacity(limit);
    for (i, record) in reader.records().take(limit).enumerate() {
        let r = record.expect("record");
        let get = |k: usize| r.get(cols[k]).unwrap_or("").trim();
        let amount = match get(6) {
            "" => String::new(),
            c => {
                let cents: i64 = c.parse().expect("cents");
                format!("{}.{:02}", cents / 100, cents % 100)
            }
        };
        let form = IntakeForm {
            kind: get(0).into(),
            enterprise_name: get(1).into(),
            uscc: get(2).into(),
            industry: get(3).into(),
            region_code: get(4).into(),
            narrative: get(5).into(),
            amount,
            demand: get(7).into(),
            event_date: String::new(),
            name: get(8).into(),
            mobile: get(9).into(),
            id_number: get(10).into(),
            address: get(11).into(),
            consent_publish: flag(get(12)),
            also_report: false,
        };
        let number = |k: usize| get(k).parse::<i64>().ok();
        let outcome = flag(get(14)).then(|| BulkOutcome {
            closed_on: Date::parse(get(15)).expect("closed_on"),
            on_time: flag(get(16)),
            mediation: None,
            rating: number(17).map(|v| v as u8),
            recovered_cents: number(18),
        });
        let received = Date::parse(get(13)).expect("received_on");
        out.push(BulkRow { line: i + 2, form, received, category: None, subject: None, outcome });
    }
    out
}

/// The process's user + system CPU seconds so far.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, s)| s);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    // utime and stime are the 14th and 15th fields; `after` starts at the 3rd.
    (ticks(11) + ticks(12)) / 100.0
}

fn digest(detector: &xinqiao_domain::privacy::Detector, rows: &[BulkRow]) {
    use sha2::{Digest, Sha256};
    let mut all = Sha256::new();
    let mut spans = 0usize;
    for row in rows {
        let case = row.form.validate(row.received).expect("valid row");
        let contact = case.contact.as_ref();
        let marks = privacy::detect(detector, &case.narrative, &case.enterprise_name, contact);
        let (narrative, kept) = privacy::kept(&case.narrative, &marks);
        let demand_marks = privacy::detect(detector, &case.demand, &case.enterprise_name, contact);
        spans += marks.len() + demand_marks.len();
        for part in [
            narrative,
            kept.spans,
            kept.public,
            privacy::masked_text(&case.demand, &demand_marks),
            privacy::marks_json(&demand_marks),
        ] {
            all.update(part.as_bytes());
            all.update([0u8]);
        }
    }
    let hex: String = all.finalize().iter().map(|b| format!("{b:02x}")).collect();
    println!("DIGEST rows={} spans={spans} sha256={hex}", rows.len());
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() {
    let limit: usize = std::env::var("XQ_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    let rounds: usize = std::env::var("XQ_ROUNDS").ok().and_then(|s| s.parse().ok()).unwrap_or(3);
    let rows = rows(limit);
    let bytes: usize = rows.iter().map(|r| r.form.narrative.len() + r.form.demand.len()).sum();
    let dir = std::env::temp_dir().join(format!("xinqiao-bench-{}", xinqiao_store::new_id()));
    let state = xinqiao_web::prepare(Config { data_dir: dir.clone(), ..Config::default() }).await.expect("prepare");
    let detector = state.detector().await;
    if std::env::var("XQ_MASK_DIGEST").is_ok_and(|v| v == "1") {
        digest(&detector, &rows);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    let masking = Masking::new().expect("workers");
    let actor = Actor::console();
    for round in 0..rounds {
        let (wall, cpu) = (Instant::now(), cpu_seconds());
        let mut done = 0;
        for chunk in rows.chunks(BATCH) {
            done += masking.prepare_batch(&state, &actor, chunk.to_vec()).await.expect("prepares").len();
        }
        let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
        println!(
            "round {round}: {done} rows, {bytes} bytes, wall {wall:.3} s ({:.0} rows/s), CPU {cpu:.2} s: \
             {:.0} rows/s and {:.2} MB/s per core",
            done as f64 / wall,
            done as f64 / cpu,
            bytes as f64 / cpu / 1e6,
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
