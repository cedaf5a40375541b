//! `cargo bench -p xinqiao-domain --bench name_train`: trains the learned score of the name
//! model's candidates (`privacy::name_learned`), a logistic regression, on the TUNING part of
//! `data/pii-eval` only (every fifth text, the held-out part, is never read here). A candidate
//! is positive when a labelled name spans exactly its characters, negative otherwise (also
//! those the segmentation vetoes: training on them alone measured worse on the looked-at sets). Prints
//! the weights; with `XQ_NAME_TRAIN_WRITE=1` writes them to `data/privacy/name-weights.tsv`.
//! `XQ_NAME_TRAIN_THRESHOLD` sets the threshold written (a logit; default 0, probability ½).
//! `XQ_NAME_TRAIN_DROP=feature,feature` leaves features out of the fit (their weight stays 0), to
//! measure whether a feature carries over to text the corpus does not hold.

use xinqiao_domain::privacy::eval::Label;
use xinqiao_domain::privacy::{Detector, NAME_FEATURES, NameScoring, PiiKind};

#[path = "support/corpus.rs"]
mod corpus;

fn main() {
    let detector = Detector::new().with_name_scoring(NameScoring::Hand, None);
    let (mut xs, mut ys): (Vec<Vec<f64>>, Vec<f64>) = (Vec::new(), Vec::new());
    for (_, texts) in corpus::styles() {
        for t in texts {
            if t.held_out() {
                continue;
            }
            let known = t.enterprises();
            let known: Vec<&str> = known.iter().map(String::as_str).collect();
            for c in detector.name_candidates(&t.text, &known) {
                let exact =
                    t.spans.iter().any(|&(l, s, e)| l == Label::Pii(PiiKind::Name) && s == c.start && e == c.end);
                xs.push(c.features.iter().map(|&f| f64::from(f)).collect());
                ys.push(if exact { 1.0 } else { 0.0 });
            }
        }
    }
    let n = xs.len();
    let d = NAME_FEATURES.len();
    let positives = ys.iter().sum::<f64>();
    println!("{n} candidates, {positives} names");
    // Standardise (the bias stays 1), fit by gradient descent with a small L2 penalty, and fold
    // the scaling back into the weights.
    let mut mean = vec![0.0; d];
    let mut sd = vec![1.0; d];
    for k in 1..d {
        mean[k] = xs.iter().map(|x| x[k]).sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x[k] - mean[k]).powi(2)).sum::<f64>() / n as f64;
        sd[k] = var.sqrt().max(1e-6);
    }
    let z: Vec<Vec<f64>> =
        xs.iter().map(|x| (0..d).map(|k| if k == 0 { 1.0 } else { (x[k] - mean[k]) / sd[k] }).collect()).collect();
    let lambda = 1e-3;
    let dropped: Vec<usize> = std::env::var("XQ_NAME_TRAIN_DROP")
        .map(|v| v.split(',').filter_map(|f| NAME_FEATURES.iter().position(|n| *n == f.trim())).collect())
        .unwrap_or_default();
    let mut w = vec![0.0; d];
    let (mut m, mut v) = (vec![0.0; d], vec![0.0; d]);
    for step in 1..=3000 {
        let mut grad = vec![0.0; d];
        for (x, y) in z.iter().zip(&ys) {
            let p = 1.0 / (1.0 + (-x.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>()).exp());
            for k in 0..d {
                grad[k] += (p - y) * x[k];
            }
        }
        for k in (0..d).filter(|k| !dropped.contains(k)) {
            let g = grad[k] / n as f64 + if k == 0 { 0.0 } else { lambda * w[k] };
            m[k] = 0.9 * m[k] + 0.1 * g;
            v[k] = 0.999 * v[k] + 0.001 * g * g;
            let (mh, vh) = (m[k] / (1.0 - 0.9f64.powi(step)), v[k] / (1.0 - 0.999f64.powi(step)));
            w[k] -= 0.05 * mh / (vh.sqrt() + 1e-8);
        }
    }
    let mut raw = vec![0.0; d];
    raw[0] = w[0];
    for k in 1..d {
        raw[k] = w[k] / sd[k];
        raw[0] -= w[k] * mean[k] / sd[k];
    }
    let threshold: f64 = std::env::var("XQ_NAME_TRAIN_THRESHOLD").ok().and_then(|t| t.parse().ok()).unwrap_or(0.0);
    let logit = |x: &[f64]| x.iter().zip(&raw).map(|(a, b)| a * b).sum::<f64>();
    for t in [-2.0, -1.0, 0.0, 1.0, 2.0] {
        let (mut tp, mut fp) = (0, 0);
        for (x, y) in xs.iter().zip(&ys) {
            if logit(x) >= t {
                if *y > 0.5 { tp += 1 } else { fp += 1 }
            }
        }
        println!("threshold {t:+.1}: {tp} of {positives} names, {fp} wrong (training candidates)");
    }
    let mut out = String::from(
        "# Learned name score (privacy::name_learned): logistic-regression weights over the name model's\n\
         # candidate features, trained on the tuning part of data/pii-eval only (the held-out fifth never read).\n\
         # Written by `XQ_NAME_TRAIN_WRITE=1 cargo bench -p xinqiao-domain --bench name_train`.\n",
    );
    out.push_str(&format!("# {n} candidates, {positives} names\nthreshold\t{threshold}\n"));
    for (f, x) in NAME_FEATURES.iter().zip(&raw) {
        out.push_str(&format!("{f}\t{x:.4}\n"));
    }
    print!("{out}");
    if std::env::var("XQ_NAME_TRAIN_WRITE").is_ok() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/privacy/name-weights.tsv");
        std::fs::write(path, out).expect("write the weights");
    }
}
