//! Recomputation: the published file (TASK.json) with the task, its commitment and the published
//! outcome; `verify_file` parses it, recomputes the commitment and the draw, and says whether
//! everything matches or names the first difference, in Chinese.
//!
//! The file: `{"format":"xinqiao-draw/1","commitment":"<hex>","task":{…},"outcome":{…}|null}`.

use super::error::DrawError;
use super::outcome::{DrawOutcome, run};
use super::task::{DrawTask, FORMAT};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The document the public page offers for download.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedDraw {
    pub format: String,
    /// The commitment published at 公示.
    pub commitment: String,
    pub task: DrawTask,
    /// The published outcome; null before the draw.
    #[serde(default)]
    pub outcome: Option<DrawOutcome>,
}

impl PublishedDraw {
    pub fn new(task: DrawTask, outcome: Option<DrawOutcome>) -> Self {
        Self { format: FORMAT.to_owned(), commitment: task.commitment(), task, outcome }
    }

    /// Pretty JSON, as offered for download.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data serialises")
    }

    pub fn from_json(json: &str) -> Result<Self, DrawError> {
        let doc: Self = serde_json::from_str(json)
            .map_err(|e| DrawError::BadDocument(format!("第 {} 行第 {} 列：{}", e.line(), e.column(), e)))?;
        if doc.format != FORMAT {
            return Err(DrawError::UnsupportedFormat(doc.format));
        }
        Ok(doc)
    }
}

/// Where a published draw and its recomputation first differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs, in Chinese (“第 3 个抽中的检查对象” …).
    pub what: String,
    pub published: String,
    pub recomputed: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}：公布的是“{}”，重新计算得到“{}”", self.what, self.published, self.recomputed)
    }
}

/// The verdict of a recomputation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Verification {
    Match { commitment: String, targets: usize, inspector_picks: usize },
    Mismatch(Difference),
}

impl Verification {
    pub fn is_match(&self) -> bool {
        matches!(self, Verification::Match { .. })
    }
}

impl fmt::Display for Verification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Verification::Match { commitment, targets, inspector_picks } => write!(
                f,
                "一致：按公布的输入重新计算，{targets} 个检查对象、{inspector_picks} 人次执法人员与公布结果完全相同（承诺值 {commitment}）"
            ),
            Verification::Mismatch(d) => write!(f, "不一致：{d}"),
        }
    }
}

fn differ(what: impl Into<String>, published: impl ToString, recomputed: impl ToString) -> Option<Difference> {
    Some(Difference { what: what.into(), published: published.to_string(), recomputed: recomputed.to_string() })
}

/// The first difference between a published and a recomputed outcome, if any.
pub fn first_difference(published: &DrawOutcome, recomputed: &DrawOutcome) -> Option<Difference> {
    let (p, r) = (published, recomputed);
    if p.commitment != r.commitment {
        return differ("结果所属任务的承诺值", &p.commitment, &r.commitment);
    }
    if p.key != r.key {
        return differ("由随机数来源得到的密钥", &p.key, &r.key);
    }
    for (i, (a, b)) in p.strata.iter().zip(&r.strata).enumerate() {
        if a != b {
            let show =
                |s: &super::outcome::StratumResult| format!("{}类 {} 户中抽取 {} 户", s.risk, s.eligible, s.drawn);
            return differ(format!("第 {} 个风险类别的抽取数", i + 1), show(a), show(b));
        }
    }
    if p.strata.len() != r.strata.len() {
        return differ("风险类别数", p.strata.len(), r.strata.len());
    }
    for (i, (a, b)) in p.targets.iter().zip(&r.targets).enumerate() {
        let n = i + 1;
        if a.uscc != b.uscc {
            return differ(format!("第 {n} 个抽中的检查对象"), &a.uscc, &b.uscc);
        }
        if a.name != b.name || a.risk != b.risk {
            let show = |t: &super::outcome::DrawnTarget| format!("{}（{}类）", t.name, t.risk);
            return differ(format!("第 {n} 个抽中的检查对象（{}）的名称或类别", a.uscc), show(a), show(b));
        }
        if a.inspectors != b.inspectors {
            return differ(
                format!("第 {n} 个检查对象（{}）选派的执法人员", a.uscc),
                a.inspectors.join("、"),
                b.inspectors.join("、"),
            );
        }
    }
    if p.targets.len() != r.targets.len() {
        return differ("抽中的检查对象数", p.targets.len(), r.targets.len());
    }
    if p.shortfalls != r.shortfalls {
        let show = |s: &[super::outcome::Shortfall]| {
            s.iter()
                .map(|x| format!("{}（需 {} 人，可派 {} 人）", x.uscc, x.needed, x.available))
                .collect::<Vec<_>>()
                .join("、")
        };
        return differ("执法人员不足的检查对象", show(&p.shortfalls), show(&r.shortfalls));
    }
    None
}

/// Recomputes the draw of `task` and compares it with the published outcome.
pub fn verify(task: &DrawTask, published: &DrawOutcome) -> Result<Verification, DrawError> {
    let recomputed = run(task)?;
    Ok(match first_difference(published, &recomputed) {
        None => Verification::Match {
            commitment: recomputed.commitment.clone(),
            targets: recomputed.targets.len(),
            inspector_picks: recomputed.inspector_picks(),
        },
        Some(d) => Verification::Mismatch(d),
    })
}

/// Parses a published file and verifies it: the declared commitment against the task, then the
/// published outcome against a recomputation.
pub fn verify_file(json: &str) -> Result<Verification, DrawError> {
    let doc = PublishedDraw::from_json(json)?;
    doc.task.validate()?;
    let commitment = doc.task.commitment();
    if doc.commitment != commitment {
        return Ok(Verification::Mismatch(Difference {
            what: "公示的承诺值（任务内容的 SHA-256）".to_owned(),
            published: doc.commitment,
            recomputed: commitment,
        }));
    }
    let outcome = doc.outcome.as_ref().ok_or(DrawError::NothingToVerify)?;
    verify(&doc.task, outcome)
}
