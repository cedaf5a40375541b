//! `cargo bench -p xinqiao-search --bench qa`: how well and how fast the public Q&A search answers.
//!
//! 1. Quality: the labelled set `eval/qa-queries.toml` (four voices, answerable and unanswerable
//!    queries) against the 39 starter entries, as the public search runs it, with the asker's
//!    audience and without: success@1, success@3, MRR and unanswerable→empty, overall, per voice,
//!    on the tuning part and the held-out part; the misses are listed.
//! 2. Speed: the same queries against an on-disk index of the starter entries plus synthetic
//!    entries (1,000,000 documents in all by default; `XQ_QA_DOCS=N` for fewer), p50/p99 of 2,000
//!    searches. The index is kept under the target directory and reused (`XQ_QA_REBUILD=1`
//!    rebuilds it). Run outside `cargo bench` (e.g. by `cargo test --all-targets`) it does a small
//!    smoke run.
//!
//! Ends with a `RESULT` line for `bench/run`.

use std::path::Path;
use std::time::{Duration, Instant};

use xinqiao_domain::knowledge::{Audience, QaStatus};
use xinqiao_search::eval::{
    LABELLED_QUERIES_TOML, Labelled, evaluate, labelled_from_toml, starter_docs, starter_index,
};
use xinqiao_search::{IndexOptions, QaDoc, QaQuery, Ranking, SearchIndex};

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const SUBJECTS: &[&str] = &[
    "小餐馆",
    "便利店",
    "网店",
    "直播间",
    "美容店",
    "健身房",
    "培训机构",
    "药店",
    "水果店",
    "装修公司",
    "个体工商户",
    "食品小作坊",
    "农贸市场摊位",
    "奶茶店",
    "家电卖场",
];
const TOPICS: &[&str] = &[
    "营业执照变更",
    "食品经营许可",
    "预付卡退款",
    "明码标价",
    "广告宣传用语",
    "七日无理由退货",
    "进货查验记录",
    "年度报告",
    "个人信息收集",
    "商品质量三包",
    "计量器具",
    "产品标识",
    "价格欺诈",
    "网络交易平台规则",
    "消费纠纷调解",
];
const ASKS: &[&str] = &["要注意什么", "怎么办理", "会被处罚吗", "有什么规定", "需要哪些材料", "多久能办好"];
const ANSWER_PARTS: &[&str] = &[
    "请先向当地市场监管部门咨询具体要求。",
    "按规定如实记录并保存相关凭证。",
    "经营者应当在显著位置公示有关信息。",
    "消费者可以先与经营者协商，协商不成的可以投诉。",
    "材料齐全的当场办理，不齐全的一次性告知需要补正的内容。",
    "逾期不改正的，依法予以处罚。",
    "各地做法不同，以当地公布的办事指南为准。",
    "请保留好票据、照片和聊天记录等证据。",
];

/// A synthetic entry, 100 to 250 characters, for the speed part only.
fn synthetic(rng: &mut Rng, n: u64) -> QaDoc {
    let (subject, topic) = (rng.pick(SUBJECTS), rng.pick(TOPICS));
    let answer: String = (0..3).map(|_| rng.pick(ANSWER_PARTS)).collect();
    QaDoc {
        id: format!("synthetic-{n:08}"),
        question: format!("{subject}的{topic}{}？", rng.pick(ASKS)),
        answer,
        explanation: format!("关于{topic}，{}", rng.pick(ANSWER_PARTS)),
        tags: vec![topic.to_string(), subject.to_string()],
        audience: if rng.next().is_multiple_of(2) { vec![Audience::Enterprise] } else { vec![Audience::Consumer] },
        industries: Vec::new(),
        status: QaStatus::Published,
        updated_ms: 1_704_038_400_000 + (n as i64 % 730) * 86_400_000,
        law_names: Vec::new(),
    }
}

fn build(dir: &Path, docs: u64) -> SearchIndex {
    let index = SearchIndex::open_with(dir, &IndexOptions::default()).expect("open");
    index.clear().expect("clear");
    let started = Instant::now();
    let starters = starter_docs();
    for doc in &starters {
        index.upsert_qa(doc).expect("upsert");
    }
    let mut rng = Rng(20_261_206);
    for n in starters.len() as u64..docs {
        index.upsert_qa(&synthetic(&mut rng, n)).expect("upsert");
        if (n + 1) % 100_000 == 0 {
            println!("  {} entries in {:.1} s", n + 1, started.elapsed().as_secs_f64());
        }
    }
    index.commit(docs as i64).expect("commit");
    println!("built: {docs} entries in {:.1} s", started.elapsed().as_secs_f64());
    index
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1e3
}

/// The ranking, with any knob overridden by `XQ_QA_RANKING="min_score=0.3,unknown_weight=2"`
/// (for trying a change without rebuilding).
fn ranking() -> Ranking {
    with_knobs(Ranking::default(), &std::env::var("XQ_QA_RANKING").unwrap_or_default())
}

fn with_knobs(mut r: Ranking, knobs: &str) -> Ranking {
    for pair in knobs.split(',').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').expect("knob=value");
        let v: f32 = value.parse().expect("a number");
        match key {
            "question" => r.field_weights[0] = v,
            "tags" => r.field_weights[1] = v,
            "answer" => r.field_weights[2] = v,
            "explanation" => r.field_weights[3] = v,
            "laws" => r.field_weights[4] = v,
            "unknown_weight" => r.unknown_weight = v,
            "single_char" => r.single_char = v,
            "outside_factor" => r.outside_factor = v,
            "question_weight" => r.question_weight = v,
            "audience_boost" => r.audience_boost = v,
            "bm25_weight" => r.bm25_weight = v,
            "min_coverage" => r.min_coverage = v,
            "min_score" => r.min_score = v,
            "tail" => r.tail = v,
            "candidates" => r.candidates = v as usize,
            other => panic!("unknown knob {other}"),
        }
    }
    r
}

/// `XQ_QA_SWEEP="unknown_weight=1,2;min_coverage=0.3,0.4"`: every combination on the tuning part
/// only (the held-out part is not looked at), one line each.
fn sweep(queries: &[Labelled], spec: &str) {
    let index = starter_index().expect("starter index");
    let tuning: Vec<Labelled> = queries.iter().filter(|q| !q.holdout).cloned().collect();
    let mut combos = vec![String::new()];
    for axis in spec.split(';').filter(|a| !a.is_empty()) {
        let (key, values) = axis.split_once('=').expect("knob=v1,v2");
        combos = combos
            .iter()
            .flat_map(|c| {
                values.split(',').map(move |v| format!("{c}{}{key}={v}", if c.is_empty() { "" } else { "," }))
            })
            .collect();
    }
    for knobs in combos {
        index.set_ranking(with_knobs(ranking(), &knobs));
        let s = evaluate(&index, &tuning, true).expect("evaluate").get("tuning", "all");
        println!(
            "sweep {knobs:<60} s@1 {:.3} s@3 {:.3} MRR {:.3} empty {}/{} answerable→empty {}",
            s.success_at_1(),
            s.success_at_3(),
            s.mrr(),
            s.unanswerable_empty,
            s.unanswerable,
            s.answerable_empty
        );
    }
}

/// Prints the figures and returns them as `key=value` fields for the `RESULT` line: per mode
/// (`aud`, `noaud`) and split (`tuning`, `holdout`, `all`): `s1`, `s3`, `mrr`, `empty` (n/m); and
/// s@1 per voice over the whole set.
fn quality(queries: &[Labelled]) -> Vec<String> {
    let index = starter_index().expect("starter index");
    index.set_ranking(ranking());
    println!("ranking: {:?}", index.ranking());
    let mut result = Vec::new();
    for (label, with_audience) in [("with the asker's audience", true), ("without the audience", false)] {
        let report = evaluate(&index, queries, with_audience).expect("evaluate");
        println!("quality, {label}:");
        print!("{}", report.table());
        if with_audience {
            println!("  first hit wrong (expected → found, top 3):");
            for m in &report.misses {
                let split = if m.holdout { "holdout" } else { "tuning" };
                let show = |hits: &[(String, f32, f32)]| -> String {
                    hits.iter()
                        .map(|(id, score, cov)| format!("{id} {score:.2}/{cov:.2}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let found =
                    if m.found.is_empty() { format!("nothing (else {})", show(&m.unfiltered)) } else { show(&m.found) };
                println!("    [{split} {}] {} : {:?} → {found}", m.voice, m.text, m.expect);
                if std::env::var("XQ_QA_EXPLAIN").is_ok() {
                    let understood: Vec<String> = index
                        .understand_qa(&m.text)
                        .expect("understand")
                        .iter()
                        .map(|u| {
                            format!("{}{}{:.1}{:?}", u.said, if u.unknown { "?" } else { ":" }, u.importance, u.also)
                        })
                        .collect();
                    println!("        {}", understood.join(" "));
                }
            }
        }
        let mode = if with_audience { "aud" } else { "noaud" };
        for split in ["tuning", "holdout", "all"] {
            let s = report.get(split, "all");
            result.push(format!("{mode}_{split}_s1={:.3}", s.success_at_1()));
            result.push(format!("{mode}_{split}_s3={:.3}", s.success_at_3()));
            result.push(format!("{mode}_{split}_mrr={:.3}", s.mrr()));
            result.push(format!("{mode}_{split}_empty={}/{}", s.unanswerable_empty, s.unanswerable));
        }
        for voice in ["consumer", "shop", "elderly", "formal"] {
            result.push(format!("{mode}_{voice}_s1={:.3}", report.get("all", voice).success_at_1()));
        }
    }
    result
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let queries = labelled_from_toml(LABELLED_QUERIES_TOML).expect("the labelled set parses");
    let answerable = queries.iter().filter(|q| !q.expect.is_empty()).count();
    println!(
        "labelled set: {} queries ({answerable} answerable, {} unanswerable; {} held out)",
        queries.len(),
        queries.len() - answerable,
        queries.iter().filter(|q| q.holdout).count()
    );
    if std::env::var("XQ_QA_DUMP").is_ok() {
        // The best entry's figures for every tuning query, to see where a threshold could fall.
        let index = starter_index().expect("starter index");
        index.set_ranking(ranking());
        for q in queries.iter().filter(|q| !q.holdout) {
            let hits = index
                .search_qa(&QaQuery { strict: false, limit: 2, ..QaQuery::public(&q.text, Some(q.audience)) })
                .expect("search")
                .hits;
            let (id, score, cov, qcov) = hits
                .first()
                .map_or(("-".to_string(), 0.0, 0.0, 0.0), |h| (h.id.clone(), h.score, h.coverage, h.question_coverage));
            let second = hits.get(1).map_or(0.0, |h| h.score);
            let class = if q.expect.is_empty() {
                "NONE"
            } else if q.expect.contains(&id) {
                "RIGHT"
            } else {
                "WRONG"
            };
            println!("dump {class:<5} {score:.2} {cov:.2} {qcov:.2} {second:.2} {id} {}", q.text);
        }
        return;
    }
    if let Ok(spec) = std::env::var("XQ_QA_SWEEP") {
        sweep(&queries, &spec);
        return;
    }
    let figures = quality(&queries).join(" ");
    if std::env::var("XQ_QA_DOCS").is_ok_and(|v| v == "0") {
        println!("RESULT docs=0 queries={} {figures}", queries.len());
        return;
    }

    let docs: u64 =
        std::env::var("XQ_QA_DOCS").ok().and_then(|v| v.parse().ok()).unwrap_or(if full { 1_000_000 } else { 2_000 });
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("qa-bench-{docs}"));
    let reuse = std::env::var("XQ_QA_REBUILD").is_err()
        && SearchIndex::open(&dir).is_ok_and(|i| i.last_seq().ok() == Some(docs as i64) && i.doc_count().qa == docs);
    if !reuse {
        let _ = std::fs::remove_dir_all(&dir);
        drop(build(&dir, docs));
    }
    let index = SearchIndex::open(&dir).expect("reopen");
    index.set_ranking(ranking());
    let runs = if full { 2_000 } else { 200 };
    let workload: Vec<QaQuery> = (0..runs + 200)
        .map(|i| {
            let q = &queries[i % queries.len()];
            QaQuery::public(&q.text, i.is_multiple_of(2).then_some(q.audience))
        })
        .collect();
    for q in &workload[..200] {
        index.search_qa(q).expect("warm-up");
    }
    let mut times: Vec<Duration> = workload[200..]
        .iter()
        .map(|q| {
            let t = Instant::now();
            index.search_qa(q).expect("search");
            t.elapsed()
        })
        .collect();
    times.sort();
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "speed: {runs} public searches over {docs} entries: p50 {p50:.2} ms, p99 {p99:.2} ms, max {:.2} ms",
        percentile(&times, 1.0)
    );
    println!("RESULT docs={docs} queries={} {figures} p50_ms={p50:.3} p99_ms={p99:.3}", queries.len());
}
