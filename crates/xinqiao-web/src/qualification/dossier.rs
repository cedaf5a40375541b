//! A candidate's dossier as it crosses the wire and rests sealed in the store: the JSON shape
//! (also the API's request body), its conversion to the domain's [`Dossier`], and the page form's
//! repeatable rows (one row per entry, one field per column).

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

fn required(field: &'static str, t: &str, max: usize, what: &str) -> Result<String, FieldError> {
    let t = text(field, t, max)?;
    if t.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{what}")));
    }
    Ok(t)
}

// One entry of each list. An error names the entry's own field (`start`, `hours` …): the page
// shows it beside that field of the row, the whole dossier reports it under the list's name.

impl WorkInput {
    pub fn entry(&self, today: Date) -> Result<WorkEntry, FieldError> {
        let kind = WorkType::parse(&self.kind).ok_or_else(|| match self.kind.trim() {
            "" => FieldError::new("kind", "required", "请选择工作类型"),
            k => FieldError::new(
                "kind",
                "bad_kind",
                format!("工作类型“{k}”应为窗口服务、日常检查、案件办理、企业服务或危机处理"),
            ),
        })?;
        let unit = required("unit", &self.unit, 100, "单位")?;
        let post = required("post", &self.post, 100, "岗位")?;
        let start = date("start", &self.start, today)?;
        let end = self.end.as_deref().filter(|e| !e.trim().is_empty()).map(|e| date("end", e, today)).transpose()?;
        if end.is_some_and(|e| e < start) {
            return Err(FieldError::new("end", "end_before_start", "结束日期早于开始日期"));
        }
        Ok(WorkEntry { kind, unit, post, start, end })
    }
}

impl TrainingInput {
    pub fn entry(&self, today: Date) -> Result<TrainingEntry, FieldError> {
        let date = date("date", &self.date, today)?;
        if !(self.hours.is_finite() && self.hours > 0.0 && self.hours <= 1000.0) {
            return Err(FieldError::new("hours", "bad_hours", "学时须大于 0（不超过 1000）"));
        }
        Ok(TrainingEntry { date, hours: self.hours, topic: required("topic", &self.topic, 200, "培训主题")? })
    }
}

impl FindingInput {
    pub fn entry(&self, today: Date) -> Result<IntegrityFinding, FieldError> {
        Ok(IntegrityFinding {
            date: date("date", &self.date, today)?,
            summary: required("summary", &self.summary, 500, "事由")?,
        })
    }
}

impl GiftInput {
    pub fn entry(&self, today: Date) -> Result<GiftEntry, FieldError> {
        Ok(GiftEntry {
            date: date("date", &self.date, today)?,
            offered_by: required("offered_by", &self.offered_by, 100, "赠送方")?,
            description: required("description", &self.description, 200, "礼品或宴请内容")?,
            refused: self.refused,
            declared: self.declared,
        })
    }
}

/// The error of the `n`-th entry (from 0) of a list, reported under the list's name.
fn nth(list: &'static str, what: &str, n: usize) -> impl FnOnce(FieldError) -> FieldError {
    move |e| FieldError::new(list, e.code, format!("第 {} 条{what}：{}", n + 1, e.message))
}

impl DossierInput {
    /// The domain dossier for a candidate (name and unit come from the account, not the form).
    pub fn to_dossier(&self, candidate_id: &str, name: &str, unit: &str, today: Date) -> Result<Dossier, AppError> {
        let mut d = Dossier::new(candidate_id, name, unit, &text("current_post", &self.current_post, 100)?);
        if d.current_post.is_empty() {
            return Err(AppError::field("current_post", "required", "请填写现任岗位"));
        }
        if self.work.len() > MAX_ROWS || self.training.len() > MAX_ROWS || self.gifts.len() > MAX_ROWS {
            return Err(AppError::field("dossier", "too_many", "履历、培训或礼品登记条目过多"));
        }
        for (i, w) in self.work.iter().enumerate() {
            d.work.push(w.entry(today).map_err(nth("work", "工作经历", i))?);
        }
        for (i, t) in self.training.iter().enumerate() {
            d.training.push(t.entry(today).map_err(nth("training", "培训", i))?);
        }
        if !self.integrity_findings.is_empty() {
            let findings = self
                .integrity_findings
                .iter()
                .enumerate()
                .map(|(i, f)| f.entry(today).map_err(nth("integrity", "廉洁记录", i)))
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
        for (i, g) in self.gifts.iter().enumerate() {
            d.gifts.push(g.entry(today).map_err(nth("gifts", "礼品登记", i))?);
        }
        d.validate()?;
        Ok(d)
    }
}

/// Entries of one list at most (the API and the page alike).
pub const MAX_ROWS: usize = 100;

/// The application page's form, as [`crate::extract::PageForm::typed`] reads it: each list is a
/// set of repeated names, one value per row in page order (a row's fields share its position).
#[derive(Debug, Default, Deserialize)]
pub struct DossierForm {
    #[serde(default)]
    pub current_post: String,
    #[serde(default)]
    pub work_kind: Vec<String>,
    #[serde(default)]
    pub work_unit: Vec<String>,
    #[serde(default)]
    pub work_post: Vec<String>,
    #[serde(default)]
    pub work_start: Vec<String>,
    #[serde(default)]
    pub work_end: Vec<String>,
    #[serde(default)]
    pub training_date: Vec<String>,
    #[serde(default)]
    pub training_hours: Vec<String>,
    #[serde(default)]
    pub training_topic: Vec<String>,
    #[serde(default)]
    pub integrity_date: Vec<String>,
    #[serde(default)]
    pub integrity_summary: Vec<String>,
    #[serde(default)]
    pub declaration_date: String,
    #[serde(default, deserialize_with = "crate::extract::checkbox")]
    pub declaration_complete: bool,
    #[serde(default)]
    pub ties_tie: Vec<String>,
    #[serde(default)]
    pub pledge_signed: String,
    #[serde(default)]
    pub pledge_version: String,
    #[serde(default)]
    pub gifts_date: Vec<String>,
    #[serde(default)]
    pub gifts_offered_by: Vec<String>,
    #[serde(default)]
    pub gifts_description: Vec<String>,
    #[serde(default)]
    pub gifts_refused: Vec<String>,
    #[serde(default)]
    pub gifts_declared: Vec<String>,
    #[serde(default)]
    pub related_assessor: Vec<String>,
    /// 添加一行: the list that asked for one more row (the form is shown again, not sent).
    #[serde(default)]
    pub add: String,
}

/// How a column is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    Text,
    Date,
    Number,
    /// One of the five work types.
    WorkType,
    /// 是 / 否.
    YesNo,
}

/// One column of a list: its name in the form (`{list}_{name}`) and in entry errors, its label.
pub struct Column {
    pub name: &'static str,
    pub label: &'static str,
    pub input: Input,
    pub max: usize,
    pub optional: bool,
}

const fn col(name: &'static str, label: &'static str, input: Input, max: usize) -> Column {
    Column { name, label, input, max, optional: false }
}

/// A list of the form: its name, what one entry is called, and its columns.
pub struct List {
    pub key: &'static str,
    pub noun: &'static str,
    pub columns: &'static [Column],
    /// Blank rows shown on a fresh form.
    pub fresh: usize,
}

pub const WORK: List = List {
    key: "work",
    noun: "工作经历",
    columns: &[
        col("kind", "类型", Input::WorkType, 20),
        col("unit", "单位", Input::Text, 100),
        col("post", "岗位", Input::Text, 100),
        col("start", "开始日期", Input::Date, 10),
        Column { name: "end", label: "结束日期（在岗留空）", input: Input::Date, max: 10, optional: true },
    ],
    fresh: 2,
};
pub const TRAINING: List = List {
    key: "training",
    noun: "培训",
    columns: &[
        col("date", "日期", Input::Date, 10),
        col("hours", "学时", Input::Number, 10),
        col("topic", "主题", Input::Text, 200),
    ],
    fresh: 1,
};
pub const INTEGRITY: List = List {
    key: "integrity",
    noun: "廉洁记录",
    columns: &[col("date", "日期", Input::Date, 10), col("summary", "事由", Input::Text, 500)],
    fresh: 1,
};
pub const TIES: List =
    List { key: "ties", noun: "申报的关系", columns: &[col("tie", "关系", Input::Text, 200)], fresh: 1 };
pub const GIFTS: List = List {
    key: "gifts",
    noun: "礼品登记",
    columns: &[
        col("date", "日期", Input::Date, 10),
        col("offered_by", "赠送方", Input::Text, 100),
        col("description", "内容", Input::Text, 200),
        col("refused", "是否拒收", Input::YesNo, 3),
        col("declared", "是否申报", Input::YesNo, 3),
    ],
    fresh: 1,
};
pub const LISTS: [&List; 5] = [&WORK, &TRAINING, &INTEGRITY, &TIES, &GIFTS];

/// An error beside one field of one row: (list, row from 0, column) and the message; a field
/// outside the lists has an empty `list` and its own name as `column`.
#[derive(Debug, Clone)]
pub struct RowError {
    pub list: &'static str,
    pub row: usize,
    pub column: &'static str,
    pub message: String,
}

impl DossierForm {
    /// The values of a list's column, by row.
    pub fn column(&self, list: &str, column: &str) -> &[String] {
        match (list, column) {
            ("work", "kind") => &self.work_kind,
            ("work", "unit") => &self.work_unit,
            ("work", "post") => &self.work_post,
            ("work", "start") => &self.work_start,
            ("work", "end") => &self.work_end,
            ("training", "date") => &self.training_date,
            ("training", "hours") => &self.training_hours,
            ("training", "topic") => &self.training_topic,
            ("integrity", "date") => &self.integrity_date,
            ("integrity", "summary") => &self.integrity_summary,
            ("ties", "tie") => &self.ties_tie,
            ("gifts", "date") => &self.gifts_date,
            ("gifts", "offered_by") => &self.gifts_offered_by,
            ("gifts", "description") => &self.gifts_description,
            ("gifts", "refused") => &self.gifts_refused,
            ("gifts", "declared") => &self.gifts_declared,
            _ => &[],
        }
    }

    /// The rows of a list as sent, blank ones included (their count is what the page shows).
    pub fn rows(&self, list: &List) -> Vec<Vec<String>> {
        let n = list.columns.iter().map(|c| self.column(list.key, c.name).len()).max().unwrap_or(0);
        (0..n)
            .map(|i| {
                list.columns
                    .iter()
                    .map(|c| self.column(list.key, c.name).get(i).map(|v| v.trim().to_owned()).unwrap_or_default())
                    .collect()
            })
            .collect()
    }

    /// The names `PageForm::typed` reads as lists.
    pub fn list_names() -> Vec<String> {
        let mut names: Vec<String> =
            LISTS.iter().flat_map(|l| l.columns.iter().map(|c| format!("{}_{}", l.key, c.name))).collect();
        names.push("related_assessor".into());
        names
    }

    /// The dossier the rows describe, every wrong field of every row named (blank rows are
    /// left out); the whole dossier is checked again when it is applied with.
    pub fn to_input(&self, today: Date) -> Result<DossierInput, Vec<RowError>> {
        let mut errors = Vec::new();
        let mut input = DossierInput { current_post: self.current_post.clone(), ..Default::default() };
        for list in LISTS {
            for (i, row) in self.rows(list).into_iter().enumerate() {
                if row.iter().all(String::is_empty) {
                    continue;
                }
                let mut wrong = |column: &'static str, message: String| {
                    errors.push(RowError { list: list.key, row: i, column, message });
                };
                let v = |name: &str| {
                    list.columns.iter().position(|c| c.name == name).map(|p| row[p].clone()).unwrap_or_default()
                };
                let checked = match list.key {
                    "work" => {
                        let w = WorkInput {
                            kind: v("kind"),
                            unit: v("unit"),
                            post: v("post"),
                            start: v("start"),
                            end: Some(v("end")).filter(|e| !e.is_empty()),
                        };
                        let e = w.entry(today).err();
                        input.work.push(w);
                        e
                    }
                    "training" => match v("hours").parse::<f64>() {
                        Ok(hours) => {
                            let t = TrainingInput { date: v("date"), hours, topic: v("topic") };
                            let e = t.entry(today).err();
                            input.training.push(t);
                            e
                        }
                        Err(_) => Some(FieldError::new("hours", "bad_hours", "学时应为数字，如 8 或 2.5")),
                    },
                    "integrity" => {
                        let f = FindingInput { date: v("date"), summary: v("summary") };
                        let e = f.entry(today).err();
                        input.integrity_findings.push(f);
                        e
                    }
                    "ties" => text("tie", &v("tie"), 200).err(),
                    _ => {
                        let yes_no = |name: &'static str, label: &str| match v(name).as_str() {
                            "yes" => Ok(true),
                            "no" => Ok(false),
                            _ => Err(FieldError::new(name, "required", format!("请选择{label}"))),
                        };
                        match (yes_no("refused", "是否拒收"), yes_no("declared", "是否申报")) {
                            (Ok(refused), Ok(declared)) => {
                                let g = GiftInput {
                                    date: v("date"),
                                    offered_by: v("offered_by"),
                                    description: v("description"),
                                    refused,
                                    declared,
                                };
                                let e = g.entry(today).err();
                                input.gifts.push(g);
                                e
                            }
                            (Err(e), _) | (_, Err(e)) => Some(e),
                        }
                    }
                };
                if let Some(e) = checked {
                    wrong(e.field, e.message);
                }
            }
        }
        let ties: Vec<String> =
            self.ties_tie.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).map(str::to_owned).collect();
        let field =
            |column: &'static str, message: &str| RowError { list: "", row: 0, column, message: message.into() };
        if !ties.is_empty() && self.declaration_date.trim().is_empty() {
            errors.push(field("declaration_date", "填写了申报的关系时，请填写申报日期"));
        }
        if !self.pledge_version.trim().is_empty() && self.pledge_signed.trim().is_empty() {
            errors.push(field("pledge_signed", "请填写保密承诺书的签署日期"));
        }
        if !self.declaration_date.trim().is_empty() {
            input.declaration = Some(DeclarationInput {
                date: self.declaration_date.clone(),
                complete: self.declaration_complete,
                ties,
            });
        }
        if !self.pledge_signed.trim().is_empty() {
            input.pledge =
                Some(PledgeInput { signed: self.pledge_signed.clone(), text_version: self.pledge_version.clone() });
        }
        input.related_assessors = self.related_assessor.clone();
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}
