//! The draw task as committed and published (the `task` of TASK.json): parameters, the frozen
//! pool of targets, the inspectors, the published exclusions (recusal and rotation) and the
//! announced randomness sources; and its commitment, the SHA-256 that is published at 公示.
//!
//! **Commitment bytes.** `commitment()` is the lowercase hex SHA-256 of the UTF-8 bytes of the
//! compact JSON (no whitespace, keys in the order below, non-ASCII characters written as
//! themselves) of
//! `{"format":"xinqiao-draw/1","id","title","scope","items","parameters","targets","inspectors",
//! "exclusions","sources"}` — the task's own fields in the order they are declared here, with
//! every source reduced to `{"name","description","kind"}` (its `value` is unknown at commit and
//! is left out). `parameters` is `{"sampling","inspectors_per_target","max_targets_per_inspector"}`,
//! `sampling` maps the classes in the order A, B, C, D to `{"permille":n}` or `{"count":n}`;
//! a target is `{"uscc","name","risk"}`, an inspector `{"cert_no","name","unit"}`, an exclusion
//! `{"inspector","uscc","reason"}`. Text fields may not contain control characters, so the only
//! escapes are `\"` and `\\`: the bytes equal Python's
//! `json.dumps(obj, ensure_ascii=False, separators=(",", ":"))` of the same object.
//! A valid task is in canonical order (see [`DrawTask::canonicalize`]), so equal tasks have equal
//! bytes, and any change to a committed value changes the bytes and hence the commitment.

use super::rfc3797::SourceKind;
use crate::cases::independence::{Parties, Tie, conflicting_tie};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// The version tag of the task and of the published file.
pub const FORMAT: &str = "xinqiao-draw/1";

/// 企业信用风险分类: A 信用风险低, B 一般, C 较高, D 高 (labels †, from memory of the 2022
/// national opinion on credit-risk classification; check before showing as official).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum RiskClass {
    A,
    B,
    C,
    D,
}

impl RiskClass {
    pub const ALL: [RiskClass; 4] = [RiskClass::A, RiskClass::B, RiskClass::C, RiskClass::D];

    pub fn code(self) -> &'static str {
        match self {
            RiskClass::A => "A",
            RiskClass::B => "B",
            RiskClass::C => "C",
            RiskClass::D => "D",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RiskClass::A => "信用风险低（A类）",
            RiskClass::B => "信用风险一般（B类）",
            RiskClass::C => "信用风险较高（C类）",
            RiskClass::D => "信用风险高（D类）",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code().eq_ignore_ascii_case(code.trim()))
    }
}

impl fmt::Display for RiskClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// How many targets of one risk class are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Sampling {
    /// A ratio in permille (0–1000); the count is **rounded up**: ⌈n × permille / 1000⌉, so any
    /// non-zero ratio of a non-empty class draws at least one.
    Permille(u32),
    /// A fixed number; a class with fewer targets has all of them drawn.
    Count(u32),
}

impl Sampling {
    /// How many of `n` eligible targets are drawn.
    pub fn count_for(self, n: usize) -> usize {
        match self {
            Sampling::Permille(p) => ((n as u64 * u64::from(p.min(1000))).div_ceil(1000)) as usize,
            Sampling::Count(c) => (c as usize).min(n),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// Sampling per risk class; every class present in the pool needs an entry.
    pub sampling: BTreeMap<RiskClass, Sampling>,
    /// Inspectors per target; at least 2 (行政处罚法: two enforcement officers).
    pub inspectors_per_target: u32,
    /// The most targets one inspector is given in this task; at least 1.
    pub max_targets_per_inspector: u32,
}

/// An eligible enterprise, frozen at commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Target {
    /// 统一社会信用代码, upper case as `Uscc::parse` gives it.
    pub uscc: String,
    pub name: String,
    pub risk: RiskClass,
}

/// An enforcement officer of the staff directory, frozen at commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Inspector {
    /// 执法证号.
    pub cert_no: String,
    pub name: String,
    pub unit: String,
}

/// Why an inspector may not inspect a target. The kind of a declared tie is not published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// 回避: the inspector declared a tie to the enterprise.
    DeclaredTie,
    /// 轮换: the inspector inspected the enterprise in its previous draw.
    Rotation,
}

impl ExclusionReason {
    pub fn label(self) -> &'static str {
        match self {
            ExclusionReason::DeclaredTie => "申报关联关系回避",
            ExclusionReason::Rotation => "上次抽查已检查该企业（轮换）",
        }
    }
}

/// A published ineligibility pair.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// The inspector's 执法证号.
    pub inspector: String,
    pub uscc: String,
    pub reason: ExclusionReason,
}

/// A randomness source announced at commit; `value` is entered at reveal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RandomSource {
    /// E.g. "中国福利彩票双色球 2026-12-01 开奖号码".
    pub name: String,
    /// Where and when the value is published, and how it is read.
    pub description: String,
    pub kind: SourceKind,
    /// The revealed value as published (null until revealed); not part of the commitment.
    #[serde(default)]
    pub value: Option<String>,
    /// When the source publishes its value (epoch milliseconds), as announced at 公示: no value
    /// may be entered before it. Published with the task but, like `value`, not hashed, so
    /// commitments stay those of `xinqiao-draw/1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_at: Option<i64>,
}

/// A draw task (TASK.json's `task`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawTask {
    pub id: String,
    pub title: String,
    /// The scope as the supervisor set it (industries, regions, status), for people to read.
    pub scope: String,
    /// 抽查事项.
    pub items: Vec<String>,
    pub parameters: Parameters,
    /// The eligible pool, ascending by `uscc`.
    pub targets: Vec<Target>,
    /// The inspectors, ascending by `cert_no`.
    pub inspectors: Vec<Inspector>,
    /// Ascending by (inspector, uscc, reason), no repeats.
    pub exclusions: Vec<Exclusion>,
    /// In announced order: the key concatenates them in this order.
    pub sources: Vec<RandomSource>,
}

#[derive(Serialize)]
struct Committed<'a> {
    format: &'static str,
    id: &'a str,
    title: &'a str,
    scope: &'a str,
    items: &'a [String],
    parameters: &'a Parameters,
    targets: &'a [Target],
    inspectors: &'a [Inspector],
    exclusions: &'a [Exclusion],
    sources: Vec<CommittedSource<'a>>,
}

#[derive(Serialize)]
struct CommittedSource<'a> {
    name: &'a str,
    description: &'a str,
    kind: SourceKind,
}

/// Feeds written bytes into a SHA-256.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl DrawTask {
    /// Sorts the pool by 统一社会信用代码, the inspectors by 执法证号 and the exclusions, and drops
    /// repeated exclusions: the canonical order that `validate` requires.
    pub fn canonicalize(&mut self) {
        self.targets.sort_by(|a, b| a.uscc.cmp(&b.uscc));
        self.inspectors.sort_by(|a, b| a.cert_no.cmp(&b.cert_no));
        self.exclusions.sort();
        self.exclusions.dedup();
    }

    /// The exact bytes hashed by [`DrawTask::commitment`] (see the module documentation).
    pub fn commitment_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.committed()).expect("plain data serialises")
    }

    /// Lowercase hex SHA-256 of everything fixed at commit (the bytes are streamed into the hash,
    /// not collected: a pool of a million is some 100 MB of JSON).
    pub fn commitment(&self) -> String {
        use std::io::Write;
        let mut hasher = HashWriter(Sha256::new());
        let mut buffered = std::io::BufWriter::with_capacity(1 << 16, &mut hasher);
        serde_json::to_writer(&mut buffered, &self.committed()).expect("plain data serialises");
        buffered.flush().expect("hashing does not fail");
        drop(buffered);
        data_encoding::HEXLOWER.encode(&hasher.0.finalize())
    }

    fn committed(&self) -> Committed<'_> {
        Committed {
            format: FORMAT,
            id: &self.id,
            title: &self.title,
            scope: &self.scope,
            items: &self.items,
            parameters: &self.parameters,
            targets: &self.targets,
            inspectors: &self.inspectors,
            exclusions: &self.exclusions,
            sources: self
                .sources
                .iter()
                .map(|s| CommittedSource { name: &s.name, description: &s.description, kind: s.kind })
                .collect(),
        }
    }

    /// Whether every source has its value (the draw can run).
    pub fn is_revealed(&self) -> bool {
        self.sources.iter().all(|s| s.value.is_some())
    }
}

/// Recusal pairs from one inspector's declared ties: every target that a tie concerns (by 统一社会
/// 信用代码 or by name, as case recusal matches them).
pub fn tie_exclusions(inspector: &str, ties: &[Tie], targets: &[Target]) -> Vec<Exclusion> {
    targets
        .iter()
        .filter(|t| {
            let parties = Parties {
                enterprise_uscc: Some(t.uscc.clone()),
                enterprise_name: t.name.clone(),
                ..Default::default()
            };
            conflicting_tie(ties, &parties).is_some()
        })
        .map(|t| Exclusion {
            inspector: inspector.to_owned(),
            uscc: t.uscc.clone(),
            reason: ExclusionReason::DeclaredTie,
        })
        .collect()
}

/// Rotation pairs: for each `(uscc, inspectors)` of an enterprise's previous draw, the inspectors
/// who inspected it then, restricted to the task's pool and inspectors.
pub fn rotation_exclusions<'a>(
    task: &DrawTask,
    previous: impl IntoIterator<Item = (&'a str, &'a [String])>,
) -> Vec<Exclusion> {
    let in_pool = |u: &str| task.targets.binary_search_by(|t| t.uscc.as_str().cmp(u)).is_ok();
    let staff = |c: &str| task.inspectors.binary_search_by(|i| i.cert_no.as_str().cmp(c)).is_ok();
    let mut out = Vec::new();
    for (uscc, inspectors) in previous {
        if !in_pool(uscc) {
            continue;
        }
        for c in inspectors.iter().filter(|c| staff(c)) {
            out.push(Exclusion { inspector: c.clone(), uscc: uscc.to_owned(), reason: ExclusionReason::Rotation });
        }
    }
    out
}
