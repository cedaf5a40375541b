//! `cargo bench -p xinqiao-domain --bench pii`: PII detection throughput on Chinese narratives,
//! one core. Prints MB/s (UTF-8 bytes of input per second).
//!
//! With `XINQIAO_BENCH_NARRATIVES=FILE` (JSON lines `{"id": N, "text": "…"}`, e.g. narratives of
//! `xinqiao gen` extracted by `bench/run`) it measures those instead, writes every span found to
//! `XINQIAO_BENCH_PII_OUT` (JSON lines `{"case_id","kind","start","end"}`, offsets in characters,
//! for `bench/pii-score.py` to compare with the generator's truth) and ends with a `RESULT` line.

use std::time::Instant;
use xinqiao_domain::privacy::Detector;

const PARTS: &[&str] = &[
    "我于2026年3月15日在人民路88号的健身房办了一张5000元的预付卡，",
    "上周健身房突然关门，老板的电话15900001111一直关机。",
    "我叫李秀英，今年68岁，这钱是我攒了半年的养老钱。",
    "联系电话：138 1234 5678，身份证号360426199101010071，",
    "希望市场监管局帮我把余额退回来，退款请打到我的银行卡6222021234567890128。",
    "被投诉企业：苏州姑苏示例健身管理有限公司，统一社会信用代码91110000600037341L。",
    "店里的陈建华先生答应三天内退款，到现在也没有消息，前台的李阿姨说老板跑路了。",
    "我家住阳光花园小区5栋2单元301室，白天可以打座机0512-67891234找我老伴。",
    "另外外卖里吃出了头发，商家态度很差，客服热线400-123-4567一直打不通。",
];

/// The generated narratives: throughput on one core, and the spans for scoring.
fn generated(detector: &Detector, path: &str) {
    let lines = std::fs::read_to_string(path).expect("narratives file");
    let narratives: Vec<(u64, String)> = lines
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a JSON line");
            (v["id"].as_u64().expect("id"), v["text"].as_str().expect("text").to_owned())
        })
        .collect();
    let bytes: usize = narratives.iter().map(|(_, t)| t.len()).sum();
    for (_, t) in narratives.iter().take(200) {
        detector.detect(t);
    }
    let mut best = f64::MAX;
    let mut found = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        found = narratives.iter().map(|(id, n)| (*id, detector.detect(n))).collect::<Vec<_>>();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let mut spans = 0;
    if let Ok(out) = std::env::var("XINQIAO_BENCH_PII_OUT") {
        use std::io::Write;
        let mut w = std::io::BufWriter::new(std::fs::File::create(out).expect("spans file"));
        for (id, list) in &found {
            for s in list {
                let kind = serde_json::to_value(s.kind).expect("serialises");
                writeln!(w, r#"{{"case_id":{id},"kind":{kind},"start":{},"end":{}}}"#, s.start, s.end).expect("write");
                spans += 1;
            }
        }
        w.flush().expect("write");
    }
    println!(
        "pii detection on generated narratives: {} narratives, {:.2} MB, {spans} spans, best of 3: {:.3} s = {:.2} MB/s on one core",
        narratives.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
    println!(
        "RESULT narratives={} bytes={bytes} secs={best:.4} mb_per_s={:.3}",
        narratives.len(),
        bytes as f64 / 1e6 / best
    );
}

fn main() {
    let detector = Detector::new();
    if let Ok(path) = std::env::var("XINQIAO_BENCH_NARRATIVES") {
        generated(&detector, &path);
        return;
    }
    // About 2 MB of narrative, varied by rotating the parts.
    let mut text = String::new();
    let mut i = 0usize;
    while text.len() < 2_000_000 {
        for k in 0..5 {
            text.push_str(PARTS[(i + k * 2) % PARTS.len()]);
        }
        text.push('\n');
        i += 1;
    }
    let narratives: Vec<&str> = text.lines().collect();
    let bytes: usize = narratives.iter().map(|n| n.len()).sum();
    // Warm-up, then three timed rounds; report the best.
    let mut spans = 0;
    for n in narratives.iter().take(200) {
        spans += detector.detect(n).len();
    }
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        spans = 0;
        for n in &narratives {
            spans += detector.detect(n).len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    let jieba = jieba_rs::Jieba::new();
    let t = Instant::now();
    let mut tags = 0;
    for n in &narratives {
        tags += jieba.tag(n, true).len();
    }
    let tag_secs = t.elapsed().as_secs_f64();
    println!("of which jieba tagging alone: {:.3} s ({tags} tags)", tag_secs);
    println!(
        "pii detection: {} narratives, {:.2} MB, {spans} spans, best of 3: {:.3} s = {:.2} MB/s on one core",
        narratives.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best
    );
}
