//! 任职资格框架: the seven dimensions of a customer experience officer, their criteria with
//! rubric anchors, weights and gates, and the record-check gate rules — as versioned data.
//!
//! The shipped framework is `data/competency-framework.toml`, an example for the bureau to adopt
//! (`verified = false`). A bureau may edit it (other dimensions, criteria, weights); every change
//! needs a new `version` ([`check_revision`]) and an assessment is pinned to the version and
//! [`Framework::fingerprint`] it started under ([`FrameworkPin`]).
//!
//! **Canonical form.** [`Framework::to_toml`] serialises the fields in their declared order with
//! the `toml` crate; the fingerprint is the lowercase hex SHA-256 of those UTF-8 bytes, so two
//! frameworks with equal content have equal fingerprints whatever their source file's comments or
//! layout.

use super::{is_code, on_scale};
use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// The framework shipped with Xinqiao.
pub const FRAMEWORK_TOML: &str = include_str!("../../data/competency-framework.toml");

/// The anchor keys every criterion's rubric must have.
pub const ANCHOR_KEYS: [&str; 5] = ["1", "2", "3", "4", "5"];

/// How a criterion is assessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentMethod {
    RecordCheck,
    WrittenTest,
    SituationalJudgement,
    StructuredInterview,
    WorkEvidence,
}

impl AssessmentMethod {
    pub const ALL: [AssessmentMethod; 5] = [
        AssessmentMethod::RecordCheck,
        AssessmentMethod::WrittenTest,
        AssessmentMethod::SituationalJudgement,
        AssessmentMethod::StructuredInterview,
        AssessmentMethod::WorkEvidence,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AssessmentMethod::RecordCheck => "record_check",
            AssessmentMethod::WrittenTest => "written_test",
            AssessmentMethod::SituationalJudgement => "situational_judgement",
            AssessmentMethod::StructuredInterview => "structured_interview",
            AssessmentMethod::WorkEvidence => "work_evidence",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AssessmentMethod::RecordCheck => "档案核查",
            AssessmentMethod::WrittenTest => "笔试",
            AssessmentMethod::SituationalJudgement => "情境判断",
            AssessmentMethod::StructuredInterview => "结构化面试",
            AssessmentMethod::WorkEvidence => "工作实绩",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code.trim())
    }
}

/// One criterion of a dimension.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Unique in the framework, ascii snake_case.
    pub code: String,
    pub label: String,
    pub description: String,
    /// The evidence the criterion needs.
    pub evidence: String,
    pub method: AssessmentMethod,
    /// Relative weight, > 0 (within its dimension and in the weighted total).
    pub weight: u32,
    /// Must pass: its record check (if any) and, when scored, at least `gate_min_score`.
    pub gate: bool,
    /// Observable behaviour for the scores "1" … "5".
    pub anchors: BTreeMap<String, String>,
}

impl Criterion {
    /// The rubric anchor of a score 1–5.
    pub fn anchor(&self, score: u8) -> Option<&str> {
        self.anchors.get(&score.to_string()).map(String::as_str)
    }
}

/// One of the (seven) dimensions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dimension {
    pub code: String,
    pub label: String,
    /// The weighted score (1–5) a candidate must reach in this dimension.
    pub minimum: f64,
    pub criteria: Vec<Criterion>,
}

impl Dimension {
    pub fn total_weight(&self) -> u32 {
        self.criteria.iter().map(|c| c.weight).sum()
    }
}

/// The record-check gates run before any assessment; a failed gate ends the assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateRules {
    /// Frontline supervision (窗口服务, 日常检查, 案件办理) years required; overlaps count once.
    pub frontline_years_min: f64,
    /// No integrity finding dated within this many years before the day of the check.
    pub integrity_lookback_years: u32,
    /// A signed confidentiality pledge is required.
    pub pledge_required: bool,
    /// When set, the pledge must have been signed on this text version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pledge_text_version: Option<String>,
    /// A complete conflict-of-interest declaration and a fully declared gift register are required.
    pub declarations_required: bool,
}

impl Default for GateRules {
    fn default() -> Self {
        Self {
            frontline_years_min: 3.0,
            integrity_lookback_years: 3,
            pledge_required: true,
            pledge_text_version: None,
            declarations_required: true,
        }
    }
}

/// A competency framework, one version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub version: String,
    pub title: String,
    pub source: String,
    /// Whether the bureau has reviewed and adopted it; the shipped example says `false`.
    pub verified: bool,
    pub note: String,
    /// The weighted total (1–5) a candidate must reach.
    pub threshold: f64,
    /// The score a gate criterion must reach when it is scored.
    pub gate_min_score: f64,
    pub gates: GateRules,
    pub dimensions: Vec<Dimension>,
}

/// The version an assessment started under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkPin {
    pub version: String,
    pub fingerprint: String,
}

fn bad(code: &'static str, message: String) -> FieldError {
    FieldError::new("framework", code, message)
}

impl Framework {
    /// The shipped example framework.
    pub fn shipped() -> Self {
        Self::from_toml(FRAMEWORK_TOML).expect("the shipped competency framework is valid (tested)")
    }

    /// Parses and validates.
    pub fn from_toml(text: &str) -> Result<Self, FieldError> {
        let framework: Framework =
            toml::from_str(text).map_err(|e| bad("bad_toml", format!("任职资格框架文件格式有误：{}", e.message())))?;
        framework.validate()?;
        Ok(framework)
    }

    /// The canonical TOML (see the module documentation).
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a framework always serialises")
    }

    /// Lowercase hex SHA-256 of [`Self::to_toml`].
    pub fn fingerprint(&self) -> String {
        data_encoding::HEXLOWER.encode(&Sha256::digest(self.to_toml().as_bytes()))
    }

    pub fn pin(&self) -> FrameworkPin {
        FrameworkPin { version: self.version.clone(), fingerprint: self.fingerprint() }
    }

    /// Whether this framework is exactly the version an assessment was pinned to.
    pub fn check_pin(&self, pin: &FrameworkPin) -> Result<(), FieldError> {
        if self.version != pin.version {
            return Err(bad(
                "version_mismatch",
                format!("本次评估按框架 {} 版进行，不能改用 {} 版", pin.version, self.version),
            ));
        }
        if self.fingerprint() != pin.fingerprint {
            return Err(bad(
                "fingerprint_mismatch",
                format!("框架 {} 版的内容与评估开始时不一致（指纹不符），不能继续评估", self.version),
            ));
        }
        Ok(())
    }

    /// Structural rules every framework must keep (edited ones included).
    pub fn validate(&self) -> Result<(), FieldError> {
        if self.version.trim().is_empty() || self.title.trim().is_empty() {
            return Err(bad("empty_field", "框架的版本号和名称不能为空".into()));
        }
        if !on_scale(self.threshold) {
            return Err(bad("bad_threshold", format!("合格总分须在 1 至 5 分之间，当前为 {}", self.threshold)));
        }
        if !on_scale(self.gate_min_score) {
            return Err(bad(
                "bad_gate_score",
                format!("门槛项最低分须在 1 至 5 分之间，当前为 {}", self.gate_min_score),
            ));
        }
        let g = &self.gates;
        if !g.frontline_years_min.is_finite() || g.frontline_years_min < 0.0 {
            return Err(bad("bad_gate_rule", "一线监管年限要求不能为负数".into()));
        }
        if g.pledge_text_version.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(bad("bad_gate_rule", "指定的保密承诺书文本版本不能为空".into()));
        }
        if self.dimensions.is_empty() {
            return Err(bad("no_dimensions", "框架至少要有一个维度".into()));
        }
        let mut dims = BTreeSet::new();
        let mut crits = BTreeSet::new();
        for d in &self.dimensions {
            if !is_code(&d.code) {
                return Err(bad("bad_code", format!("维度代码“{}”须为小写英文字母、数字和下划线", d.code)));
            }
            if !dims.insert(d.code.as_str()) {
                return Err(bad("duplicate_code", format!("维度代码“{}”重复", d.code)));
            }
            if d.label.trim().is_empty() {
                return Err(bad("empty_field", format!("维度“{}”缺少名称", d.code)));
            }
            if !on_scale(d.minimum) {
                return Err(bad("bad_minimum", format!("维度“{}”的最低分须在 1 至 5 分之间", d.label)));
            }
            if d.criteria.is_empty() {
                return Err(bad("no_criteria", format!("维度“{}”至少要有一项指标", d.label)));
            }
            for c in &d.criteria {
                self.validate_criterion(d, c, &mut crits)?;
            }
        }
        Ok(())
    }

    fn validate_criterion<'a>(
        &self,
        d: &Dimension,
        c: &'a Criterion,
        seen: &mut BTreeSet<&'a str>,
    ) -> Result<(), FieldError> {
        if !is_code(&c.code) {
            return Err(bad("bad_code", format!("指标代码“{}”须为小写英文字母、数字和下划线", c.code)));
        }
        if !seen.insert(c.code.as_str()) {
            return Err(bad("duplicate_code", format!("指标代码“{}”重复", c.code)));
        }
        if [&c.label, &c.description, &c.evidence].iter().any(|t| t.trim().is_empty()) {
            return Err(bad("empty_field", format!("维度“{}”的指标“{}”缺少名称、说明或所需证据", d.label, c.code)));
        }
        if c.weight == 0 {
            return Err(bad("bad_weight", format!("指标“{}”的权重须大于 0", c.label)));
        }
        for key in ANCHOR_KEYS {
            if c.anchors.get(key).is_none_or(|t| t.trim().is_empty()) {
                return Err(bad("missing_anchor", format!("指标“{}”缺少 {key} 分的评分锚点", c.label)));
            }
        }
        if let Some(extra) = c.anchors.keys().find(|k| !ANCHOR_KEYS.contains(&k.as_str())) {
            return Err(bad("bad_anchor", format!("指标“{}”的评分锚点“{extra}”不在 1 至 5 分之内", c.label)));
        }
        Ok(())
    }

    /// The shipped shape: the given number of dimensions, each with the given number of criteria
    /// (7 × 3 for the seed's framework). Edited frameworks need not keep it.
    pub fn check_shape(&self, dimensions: usize, criteria_each: usize) -> Result<(), FieldError> {
        if self.dimensions.len() != dimensions {
            return Err(bad("bad_shape", format!("框架应有 {dimensions} 个维度，实有 {} 个", self.dimensions.len())));
        }
        if let Some(d) = self.dimensions.iter().find(|d| d.criteria.len() != criteria_each) {
            return Err(bad(
                "bad_shape",
                format!("维度“{}”应有 {criteria_each} 项指标，实有 {} 项", d.label, d.criteria.len()),
            ));
        }
        Ok(())
    }

    pub fn dimension(&self, code: &str) -> Option<&Dimension> {
        self.dimensions.iter().find(|d| d.code == code)
    }

    /// A criterion and its dimension.
    pub fn criterion(&self, code: &str) -> Option<(&Dimension, &Criterion)> {
        self.criteria().find(|(_, c)| c.code == code)
    }

    /// Every criterion with its dimension, in framework order.
    pub fn criteria(&self) -> impl Iterator<Item = (&Dimension, &Criterion)> {
        self.dimensions.iter().flat_map(|d| d.criteria.iter().map(move |c| (d, c)))
    }

    /// The criteria assessed by one method.
    pub fn criteria_by_method(&self, method: AssessmentMethod) -> Vec<&Criterion> {
        self.criteria().map(|(_, c)| c).filter(|c| c.method == method).collect()
    }

    pub fn total_weight(&self) -> u32 {
        self.dimensions.iter().map(Dimension::total_weight).sum()
    }
}

/// A revision of `old`: valid on its own, and with a different version string whenever its
/// content differs (an unchanged framework may keep its version).
pub fn check_revision(old: &Framework, new: &Framework) -> Result<(), FieldError> {
    new.validate()?;
    if old.fingerprint() != new.fingerprint() && old.version == new.version {
        return Err(bad("version_unchanged", format!("框架内容已修改，须使用新的版本号（不能沿用 {}）", old.version)));
    }
    Ok(())
}
