//! A candidate's dossier as it crosses the wire and rests sealed in the store: the JSON shape
//! (also the API's request body), its conversion to the domain's [`Dossier`], and the page form's
//! one-entry-per-line text fields.

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{
    ConfidentialityPledge, ConflictDeclaration, Dossier, GiftEntry, IntegrityFinding, IntegrityRecord, TrainingEntry,
    WorkEntry, WorkType,
};

/// A candidate's record (履历、培训、廉洁记录、利益冲突申报、保密承诺、礼品登记). Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DossierInput {
    pub current_post: String,
    #[serde(default)]
    pub work: Vec<WorkInput>,
    #[serde(default)]
    pub training: Vec<TrainingInput>,
    /// Findings of the discipline inspection body; empty means a clean record.
    #[serde(default)]
    pub integrity_findings: Vec<FindingInput>,
    pub declaration: Option<DeclarationInput>,
    pub pledge: Option<PledgeInput>,
    #[serde(default)]
    pub gifts: Vec<GiftInput>,
    /// Ids of 评审员 the candidate is related to or has a conflict of interest with.
    #[serde(default)]
    pub related_assessors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkInput {
    /// window_service | routine_inspection | case_handling | enterprise_service | crisis_handling
    /// (or 窗口服务 / 日常检查 / 案件办理 / 企业服务 / 危机处理).
    pub kind: String,
    pub unit: String,
    pub post: String,
    pub start: String,
    /// Absent while the post is held.
    pub end: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingInput {
    pub date: String,
    pub hours: f64,
    pub topic: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingInput {
    pub date: String,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationInput {
    pub date: String,
    /// Every section answered.
    pub complete: bool,
    #[serde(default)]
    pub ties: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PledgeInput {
    pub signed: String,
    pub text_version: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiftInput {
    pub date: String,
    pub offered_by: String,
    pub description: String,
    pub refused: bool,
    pub declared: bool,
}

fn date(field: &'static str, text: &str, today: Date) -> Result<Date, FieldError> {
    match Date::parse(text.trim()) {
        Some(d) if d <= today => Ok(d),
        Some(_) => Err(FieldError::new(field, "future_date", format!("日期 {text} 晚于今天"))),
        None => Err(FieldError::new(field, "bad_date", format!("日期“{text}”应为 YYYY-MM-DD"))),
    }
}

fn text(field: &'static str, t: &str, max: usize) -> Result<String, FieldError> {
    let t = t.trim();
    if t.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("内容不超过 {max} 字")));
    }
    Ok(t.to_owned())
}

impl DossierInput {
    /// The domain dossier for a candidate (name and unit come from the account, not the form).
    pub fn to_dossier(&self, candidate_id: &str, name: &str, unit: &str, today: Date) -> Result<Dossier, AppError> {
        let mut d = Dossier::new(candidate_id, name, unit, &text("current_post", &self.current_post, 100)?);
        if d.current_post.is_empty() {
            return Err(AppError::field("current_post", "required", "请填写现任岗位"));
        }
        if self.work.len() > 100 || self.training.len() > 500 || self.gifts.len() > 500 {
            return Err(AppError::field("dossier", "too_many", "履历、培训或礼品登记条目过多"));
        }
        for w in &self.work {
            let kind = WorkType::parse(&w.kind).ok_or_else(|| {
                FieldError::new(
                    "work",
                    "bad_kind",
                    format!("工作类型“{}”应为窗口服务、日常检查、案件办理、企业服务或危机处理", w.kind),
                )
            })?;
            let end = w.end.as_deref().filter(|e| !e.trim().is_empty()).map(|e| date("work", e, today)).transpose()?;
            d.work.push(WorkEntry {
                kind,
                unit: text("work", &w.unit, 100)?,
                post: text("work", &w.post, 100)?,
                start: date("work", &w.start, today)?,
                end,
            });
        }
        for t in &self.training {
            d.training.push(TrainingEntry {
                date: date("training", &t.date, today)?,
                hours: t.hours,
                topic: text("training", &t.topic, 200)?,
            });
        }
        if !self.integrity_findings.is_empty() {
            let findings = self
                .integrity_findings
                .iter()
                .map(|f| {
                    Ok(IntegrityFinding {
                        date: date("integrity", &f.date, today)?,
                        summary: text("integrity", &f.summary, 500)?,
                    })
                })
                .collect::<Result<Vec<_>, FieldError>>()?;
            d.integrity = IntegrityRecord::Findings(findings);
        }
        if let Some(c) = &self.declaration {
            let ties = c.ties.iter().map(|t| text("declaration", t, 200)).collect::<Result<Vec<_>, _>>()?;
            d.declarations.push(ConflictDeclaration {
                date: date("declaration", &c.date, today)?,
                complete: c.complete,
                ties,
            });
        }
        if let Some(p) = &self.pledge {
            d.pledge = Some(ConfidentialityPledge {
                signed: date("pledge", &p.signed, today)?,
                text_version: text("pledge", &p.text_version, 50)?,
            });
        }
        for g in &self.gifts {
            d.gifts.push(GiftEntry {
                date: date("gifts", &g.date, today)?,
                offered_by: text("gifts", &g.offered_by, 100)?,
                description: text("gifts", &g.description, 200)?,
                refused: g.refused,
                declared: g.declared,
            });
        }
        d.validate()?;
        Ok(d)
    }
}

/// Fields of one line: separated by `|`, `,` or `，`, trimmed.
fn fields(line: &str) -> Vec<&str> {
    line.split(['|', ',', '，']).map(str::trim).collect()
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty())
}

fn yes(t: &str) -> bool {
    matches!(t.trim(), "是" | "已" | "y" | "yes" | "true" | "1" | "拒收" | "已拒收" | "已申报" | "申报")
}

fn shape(field: &'static str, n: usize, line: &str, expected: &str) -> Result<(), AppError> {
    if fields(line).len() < n {
        return Err(AppError::field(field, "bad_line", format!("“{line}”应写作：{expected}")));
    }
    Ok(())
}

/// The page form: one entry per line, fields separated by `|` or commas.
pub fn from_form(form: &crate::extract::PageForm) -> Result<DossierInput, AppError> {
    let mut input = DossierInput { current_post: form.get("current_post").to_owned(), ..Default::default() };
    for line in lines(form.get("work")) {
        shape("work", 4, line, "类型|单位|岗位|开始日期|结束日期（在岗可空）")?;
        let f = fields(line);
        input.work.push(WorkInput {
            kind: f[0].into(),
            unit: f[1].into(),
            post: f[2].into(),
            start: f[3].into(),
            end: f.get(4).filter(|e| !e.is_empty()).map(|e| (*e).to_owned()),
        });
    }
    for line in lines(form.get("training")) {
        shape("training", 3, line, "日期|学时|主题")?;
        let f = fields(line);
        let hours =
            f[1].parse().map_err(|_| AppError::field("training", "bad_hours", format!("“{line}”中的学时应为数字")))?;
        input.training.push(TrainingInput { date: f[0].into(), hours, topic: f[2..].join("，") });
    }
    for line in lines(form.get("integrity")) {
        shape("integrity", 2, line, "日期|事由")?;
        let f = fields(line);
        input.integrity_findings.push(FindingInput { date: f[0].into(), summary: f[1..].join("，") });
    }
    if !form.get("declaration_date").trim().is_empty() {
        input.declaration = Some(DeclarationInput {
            date: form.get("declaration_date").into(),
            complete: form.get("declaration_complete") == "on",
            ties: lines(form.get("declaration_ties")).map(str::to_owned).collect(),
        });
    }
    if !form.get("pledge_signed").trim().is_empty() {
        input.pledge = Some(PledgeInput {
            signed: form.get("pledge_signed").into(),
            text_version: form.get("pledge_version").into(),
        });
    }
    for line in lines(form.get("gifts")) {
        shape("gifts", 5, line, "日期|赠送方|内容|是否拒收|是否申报")?;
        let f = fields(line);
        input.gifts.push(GiftInput {
            date: f[0].into(),
            offered_by: f[1].into(),
            description: f[2].into(),
            refused: yes(f[3]),
            declared: yes(f[4]),
        });
    }
    input.related_assessors = form.all("related_assessor").map(str::to_owned).collect();
    Ok(input)
}
