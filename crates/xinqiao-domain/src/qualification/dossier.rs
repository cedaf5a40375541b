//! 候选人档案: a candidate's record — work history by type, training, integrity record, conflict
//! declarations, the confidentiality pledge and the gift register — and the record-check gates
//! that must pass before any assessment ([`evaluate_gates`]).
//!
//! **Years of experience.** Entries are inclusive day ranges; an entry still running (`end:
//! None`) and any entry running past the day of the check end on that day, entries starting after
//! it count nothing. Overlapping ranges are merged before counting, so two posts held at once
//! count once. A year is 365 days, so every full calendar year (365 or 366 days) counts as at
//! least one year.
//!
//! The dossier holds personal data and is protected like complainants' data: its `Debug` output
//! names the candidate by id only.

use super::add_years;
use super::framework::GateRules;
use crate::calendar::Date;
use crate::error::FieldError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Days that make one year of experience.
pub const DAYS_PER_YEAR: i64 = 365;

/// The type of a work-history entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkType {
    WindowService,
    RoutineInspection,
    CaseHandling,
    EnterpriseService,
    CrisisHandling,
}

impl WorkType {
    pub const ALL: [WorkType; 5] = [
        WorkType::WindowService,
        WorkType::RoutineInspection,
        WorkType::CaseHandling,
        WorkType::EnterpriseService,
        WorkType::CrisisHandling,
    ];

    pub fn code(self) -> &'static str {
        match self {
            WorkType::WindowService => "window_service",
            WorkType::RoutineInspection => "routine_inspection",
            WorkType::CaseHandling => "case_handling",
            WorkType::EnterpriseService => "enterprise_service",
            WorkType::CrisisHandling => "crisis_handling",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WorkType::WindowService => "窗口服务",
            WorkType::RoutineInspection => "日常检查",
            WorkType::CaseHandling => "案件办理",
            WorkType::EnterpriseService => "企业服务",
            WorkType::CrisisHandling => "危机处理",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL.into_iter().find(|w| w.code() == t || w.label() == t)
    }

    /// 一线监管: window service, routine inspection and case handling (the seed's list).
    pub fn is_frontline(self) -> bool {
        matches!(self, WorkType::WindowService | WorkType::RoutineInspection | WorkType::CaseHandling)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkEntry {
    pub kind: WorkType,
    pub unit: String,
    pub post: String,
    pub start: Date,
    /// The last day, inclusive; `None` while the post is held.
    pub end: Option<Date>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainingEntry {
    pub date: Date,
    pub hours: f64,
    pub topic: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegrityFinding {
    pub date: Date,
    pub summary: String,
}

/// The record from the discipline inspection body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityRecord {
    Clean,
    Findings(Vec<IntegrityFinding>),
}

impl IntegrityRecord {
    /// Findings dated on or after `since` and not after `until`.
    pub fn findings_between(&self, since: Date, until: Date) -> Vec<&IntegrityFinding> {
        match self {
            IntegrityRecord::Clean => Vec::new(),
            IntegrityRecord::Findings(f) => f.iter().filter(|f| f.date >= since && f.date <= until).collect(),
        }
    }
}

/// A conflict-of-interest declaration (利益冲突申报).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictDeclaration {
    pub date: Date,
    /// Every required section answered (亲属从业、持股投资、曾任职、老乡朋友等).
    pub complete: bool,
    /// The ties declared, in words.
    pub ties: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfidentialityPledge {
    pub signed: Date,
    pub text_version: String,
}

/// One offer of a gift or hospitality (礼品礼金和宴请登记).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GiftEntry {
    pub date: Date,
    pub offered_by: String,
    pub description: String,
    pub refused: bool,
    /// Reported to the unit (登记上交或申报).
    pub declared: bool,
}

/// A candidate's record.
#[derive(Clone, PartialEq)]
pub struct Dossier {
    pub candidate_id: String,
    pub name: String,
    pub unit: String,
    pub current_post: String,
    pub work: Vec<WorkEntry>,
    pub training: Vec<TrainingEntry>,
    pub integrity: IntegrityRecord,
    pub declarations: Vec<ConflictDeclaration>,
    pub pledge: Option<ConfidentialityPledge>,
    pub gifts: Vec<GiftEntry>,
}

impl fmt::Debug for Dossier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dossier").field("candidate_id", &self.candidate_id).finish_non_exhaustive()
    }
}

/// Days covered by inclusive ranges, overlaps counted once; ranges are clipped to end on `until`.
pub fn merged_days(ranges: impl IntoIterator<Item = (Date, Date)>, until: Date) -> i64 {
    let mut clipped: Vec<(i64, i64)> =
        ranges.into_iter().map(|(s, e)| (s.0, e.min(until).0)).filter(|(s, e)| s <= e).collect();
    clipped.sort_unstable();
    let mut total = 0;
    let mut current: Option<(i64, i64)> = None;
    for (s, e) in clipped {
        current = match current {
            Some((cs, ce)) if s <= ce + 1 => Some((cs, ce.max(e))),
            Some((cs, ce)) => {
                total += ce - cs + 1;
                Some((s, e))
            }
            None => Some((s, e)),
        };
    }
    total + current.map_or(0, |(s, e)| e - s + 1)
}

impl Dossier {
    pub fn new(candidate_id: &str, name: &str, unit: &str, current_post: &str) -> Self {
        Self {
            candidate_id: candidate_id.to_owned(),
            name: name.to_owned(),
            unit: unit.to_owned(),
            current_post: current_post.to_owned(),
            work: Vec::new(),
            training: Vec::new(),
            integrity: IntegrityRecord::Clean,
            declarations: Vec::new(),
            pledge: None,
            gifts: Vec::new(),
        }
    }

    /// Entries that cannot be right: a work entry ending before it starts, a training entry
    /// without positive hours or topic, a pledge without a text version.
    pub fn validate(&self) -> Result<(), FieldError> {
        for w in &self.work {
            if w.end.is_some_and(|e| e < w.start) {
                return Err(FieldError::new(
                    "work",
                    "end_before_start",
                    format!("工作经历“{}”的结束日期早于开始日期", w.post),
                ));
            }
        }
        if let Some(t) = self.training.iter().find(|t| !(t.hours.is_finite() && t.hours > 0.0)) {
            return Err(FieldError::new("training", "bad_hours", format!("培训“{}”的学时须大于 0", t.topic)));
        }
        if self.training.iter().any(|t| t.topic.trim().is_empty()) {
            return Err(FieldError::new("training", "empty_topic", "培训记录须写明主题"));
        }
        if self.pledge.as_ref().is_some_and(|p| p.text_version.trim().is_empty()) {
            return Err(FieldError::new("pledge", "empty_version", "保密承诺书须注明文本版本"));
        }
        Ok(())
    }

    fn ranges(&self, until: Date, keep: impl Fn(WorkType) -> bool) -> Vec<(Date, Date)> {
        self.work.iter().filter(|w| keep(w.kind)).map(|w| (w.start, w.end.unwrap_or(until))).collect()
    }

    /// Days per work type up to `today`, overlaps within a type counted once.
    pub fn days_by_type(&self, today: Date) -> BTreeMap<WorkType, i64> {
        WorkType::ALL
            .into_iter()
            .map(|t| (t, merged_days(self.ranges(today, |k| k == t), today)))
            .filter(|(_, d)| *d > 0)
            .collect()
    }

    /// Years per work type up to `today` (days ÷ 365).
    pub fn years_by_type(&self, today: Date) -> BTreeMap<WorkType, f64> {
        self.days_by_type(today).into_iter().map(|(t, d)| (t, d as f64 / DAYS_PER_YEAR as f64)).collect()
    }

    /// Days of frontline supervision up to `today`, overlaps across types counted once.
    pub fn frontline_days(&self, today: Date) -> i64 {
        merged_days(self.ranges(today, WorkType::is_frontline), today)
    }

    pub fn frontline_years(&self, today: Date) -> f64 {
        self.frontline_days(today) as f64 / DAYS_PER_YEAR as f64
    }

    /// Training hours dated in `from..=to`.
    pub fn training_hours(&self, from: Date, to: Date) -> f64 {
        self.training.iter().filter(|t| t.date >= from && t.date <= to).map(|t| t.hours).sum()
    }

    /// The latest declaration made on or before `today`.
    pub fn latest_declaration(&self, today: Date) -> Option<&ConflictDeclaration> {
        self.declarations.iter().filter(|d| d.date <= today).max_by_key(|d| d.date)
    }

    /// Gifts accepted (not refused) and not declared.
    pub fn undeclared_gifts(&self) -> Vec<&GiftEntry> {
        self.gifts.iter().filter(|g| !g.refused && !g.declared).collect()
    }
}

/// The outcome of one gate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GateResult {
    pub code: &'static str,
    pub label: &'static str,
    pub passed: bool,
    /// Why, in Chinese, with the figures the check used.
    pub reason: String,
}

impl GateResult {
    fn new(code: &'static str, label: &'static str, passed: bool, reason: String) -> Self {
        Self { code, label, passed, reason }
    }
}

/// One decimal, rounded down, so a shortfall never shows as the required figure.
fn years_text(days: i64) -> String {
    let tenths = days * 10 / DAYS_PER_YEAR;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Runs the four record-check gates on the day `today`, in a fixed order: frontline experience,
/// integrity record, confidentiality pledge, declarations. A gate the rules do not require passes
/// with a reason saying so.
pub fn evaluate_gates(dossier: &Dossier, rules: &GateRules, today: Date) -> Vec<GateResult> {
    let mut out = Vec::with_capacity(4);

    let days = dossier.frontline_days(today);
    let needed = (rules.frontline_years_min * DAYS_PER_YEAR as f64).ceil() as i64;
    let basis = format!(
        "一线监管经历（窗口服务、日常检查、案件办理，重叠期间不重复计算）共 {days} 天，约 {} 年",
        years_text(days)
    );
    let (ok, reason) = if days >= needed {
        (true, format!("{basis}，达到 {} 年的要求", rules.frontline_years_min))
    } else {
        (false, format!("{basis}，不足 {} 年的要求", rules.frontline_years_min))
    };
    out.push(GateResult::new("frontline_experience", "一线监管经历", ok, reason));

    let since = add_years(today, -i64::from(rules.integrity_lookback_years));
    let found = dossier.integrity.findings_between(since, today);
    let years = rules.integrity_lookback_years;
    out.push(match found.first() {
        None => GateResult::new(
            "integrity_record",
            "廉洁记录",
            true,
            format!("{since} 以来（近 {years} 年）无廉洁问题记录"),
        ),
        Some(_) => {
            let list: Vec<String> = found.iter().map(|f| format!("{}：{}", f.date, f.summary)).collect();
            let reason =
                format!("近 {years} 年内（{since} 以来）有 {} 项廉洁问题记录：{}", found.len(), list.join("；"));
            GateResult::new("integrity_record", "廉洁记录", false, reason)
        }
    });

    out.push(pledge_gate(dossier, rules, today));
    out.push(declarations_gate(dossier, rules, today));
    out
}

fn pledge_gate(dossier: &Dossier, rules: &GateRules, today: Date) -> GateResult {
    let gate = |ok, reason: String| GateResult::new("confidentiality_pledge", "保密承诺", ok, reason);
    if !rules.pledge_required {
        return gate(true, "现行框架不要求签署保密承诺书".into());
    }
    match &dossier.pledge {
        None => gate(false, "尚未签署保密承诺书".into()),
        Some(p) if p.signed > today => gate(false, format!("保密承诺书签署日期 {} 晚于核查日 {today}", p.signed)),
        Some(p) => match &rules.pledge_text_version {
            Some(v) if *v != p.text_version => {
                gate(false, format!("签署的保密承诺书为 {} 版，须重新签署现行的 {v} 版", p.text_version))
            }
            _ => gate(true, format!("已于 {} 签署保密承诺书（{} 版）", p.signed, p.text_version)),
        },
    }
}

fn declarations_gate(dossier: &Dossier, rules: &GateRules, today: Date) -> GateResult {
    let gate = |ok, reason: String| GateResult::new("declarations", "利益冲突与礼品申报", ok, reason);
    if !rules.declarations_required {
        return gate(true, "现行框架不要求利益冲突申报".into());
    }
    let Some(d) = dossier.latest_declaration(today) else {
        return gate(false, "尚未提交利益冲突申报".into());
    };
    if !d.complete {
        return gate(false, format!("{} 提交的利益冲突申报不完整，请补全后再申请", d.date));
    }
    let undeclared = dossier.undeclared_gifts();
    if !undeclared.is_empty() {
        let list: Vec<String> = undeclared.iter().map(|g| format!("{} {}", g.date, g.description)).collect();
        return gate(false, format!("有 {} 项收受的礼品或宴请未申报：{}", undeclared.len(), list.join("；")));
    }
    gate(true, format!("{} 提交的利益冲突申报完整，礼品登记均已申报", d.date))
}

/// Whether every gate passed.
pub fn all_passed(gates: &[GateResult]) -> bool {
    gates.iter().all(|g| g.passed)
}
