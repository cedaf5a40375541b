//! The public form's own parts: its fields as one typed form, the words and fields of each kind
//! (投诉, 举报, 咨询, 建议, 企业诉求), and finding the enterprise among those the bureau knows —
//! a small JSON look-up for the page's script, and the same search without script (查找企业,
//! then 选择).

use crate::AppState;
use crate::error::AppError;
use crate::extract::checkbox;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router, routing::get};
use serde::{Deserialize, Serialize};
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_domain::ids::Industry;
use xinqiao_store::enterprises::KnownEnterprise;

pub fn router() -> Router<AppState> {
    Router::new().route("/submit/enterprises", get(lookup))
}

/// The form as posted: the submission's fields, the step asked for, and the enterprise picked
/// from a search. (The repeated `hide` boxes of the preview are read apart.)
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct SubmitFields {
    /// `preview`, `edit`, `find` or `confirm` (the last also when absent).
    pub step: String,
    /// The code of a known enterprise chosen from the search without script.
    pub pick: String,
    /// The spans the complainant marked on the preview (`start-end` in characters).
    pub hide: Vec<String>,
    pub hide_words: String,
    pub kind: String,
    pub enterprise_name: String,
    pub uscc: String,
    pub industry: String,
    pub region_code: String,
    pub narrative: String,
    pub amount: String,
    pub demand: String,
    pub event_date: String,
    pub name: String,
    pub mobile: String,
    pub id_number: String,
    pub address: String,
    #[serde(deserialize_with = "checkbox")]
    pub consent_publish: bool,
    #[serde(deserialize_with = "checkbox")]
    pub also_report: bool,
}

impl SubmitFields {
    /// The submission for the intake service, as the API would send it.
    pub fn intake(&self) -> IntakeForm {
        IntakeForm {
            kind: self.kind.clone(),
            enterprise_name: self.enterprise_name.clone(),
            uscc: self.uscc.clone(),
            industry: self.industry.clone(),
            region_code: self.region_code.clone(),
            narrative: self.narrative.clone(),
            amount: self.amount.clone(),
            demand: self.demand.clone(),
            event_date: self.event_date.clone(),
            name: self.name.clone(),
            mobile: self.mobile.clone(),
            id_number: self.id_number.clone(),
            address: self.address.clone(),
            consent_publish: self.consent_publish,
            also_report: self.also_report,
        }
    }
}

/// What the form asks for one kind, and in which words.
pub(crate) struct KindWords {
    pub code: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    /// The enterprise section's heading, and whether the name must be given; none: not asked.
    pub enterprise: Option<(&'static str, bool)>,
    pub narrative_label: &'static str,
    pub narrative_hint: &'static str,
    pub amount: bool,
    pub date_label: Option<&'static str>,
    /// The label and hint of 诉求, and whether it must be given; none: not asked.
    pub demand: Option<(&'static str, &'static str, bool)>,
    pub contact_legend: &'static str,
    pub contact_required: bool,
    pub also_report: bool,
}

impl KindWords {
    pub fn of(kind: CaseKind) -> Self {
        match kind {
            CaseKind::Complaint => KindWords {
                code: "complaint",
                title: "我要投诉",
                intro: "与商家发生消费纠纷，希望市场监管部门帮您调解。",
                enterprise: Some(("被投诉的企业", true)),
                narrative_label: "发生了什么",
                narrative_hint: "请写明时间、地点和经过，至少10个字。",
                amount: true,
                date_label: Some("消费日期"),
                demand: Some(("您的诉求", "例如退款、赔偿、更换。", true)),
                contact_legend: "您的联系方式",
                contact_required: true,
                also_report: true,
            },
            CaseKind::Report => KindWords {
                code: "report",
                title: "我要举报",
                intro: "发现企业有违法行为，向市场监管部门提供线索。可以匿名举报。",
                enterprise: Some(("被举报的企业", true)),
                narrative_label: "违法行为的情况",
                narrative_hint: "请写明时间、地点和您看到的情况，至少10个字。",
                amount: true,
                date_label: Some("发现日期"),
                demand: None,
                contact_legend: "您的联系方式（选填，可以匿名）",
                contact_required: false,
                also_report: false,
            },
            CaseKind::Consultation => KindWords {
                code: "consultation",
                title: "我要咨询",
                intro: "对市场监管方面的政策或办事流程有疑问，我们会答复您。",
                enterprise: Some(("涉及的企业（选填）", false)),
                narrative_label: "您想咨询的问题",
                narrative_hint: "请把问题写清楚，至少10个字。",
                amount: false,
                date_label: None,
                demand: None,
                contact_legend: "您的联系方式（选填，留下后便于答复您）",
                contact_required: false,
                also_report: false,
            },
            CaseKind::Suggestion => KindWords {
                code: "suggestion",
                title: "我要建议",
                intro: "对市场监管工作有想法或建议，欢迎告诉我们。",
                enterprise: None,
                narrative_label: "您的建议",
                narrative_hint: "至少10个字。",
                amount: false,
                date_label: None,
                demand: None,
                contact_legend: "您的联系方式（选填）",
                contact_required: false,
                also_report: false,
            },
            CaseKind::EnterpriseRequest => KindWords {
                code: "enterprise_request",
                title: "企业诉求",
                intro: "企业在办事或经营中遇到问题，需要市场监管部门帮助。",
                enterprise: Some(("您的企业", true)),
                narrative_label: "遇到的问题",
                narrative_hint: "请写明经过和已经办过的手续，至少10个字。",
                amount: false,
                date_label: None,
                demand: Some(("希望得到的帮助", "选填。", false)),
                contact_legend: "联系人",
                contact_required: false,
                also_report: false,
            },
        }
    }
}

/// A kind in the chooser at the top of the form.
pub(crate) struct KindTab {
    pub code: &'static str,
    pub label: &'static str,
    pub current: bool,
}

pub(crate) fn tabs(kind: CaseKind) -> Vec<KindTab> {
    CaseKind::ALL.into_iter().map(|k| KindTab { code: k.code(), label: k.label(), current: k == kind }).collect()
}

/// The kind asked for, 投诉 when unknown.
pub(crate) fn kind_of(code: &str) -> CaseKind {
    CaseKind::parse(code.trim()).unwrap_or(CaseKind::Complaint)
}

/// A known enterprise offered to the submitter.
#[derive(Debug, Serialize)]
pub(crate) struct EnterpriseChoice {
    pub uscc: String,
    pub name: String,
    /// The GB/T 4754 section, when the directory says it.
    pub industry: String,
    pub industry_label: String,
}

impl EnterpriseChoice {
    fn of(e: KnownEnterprise) -> Self {
        let industry = e.industry.as_deref().and_then(|i| Industry::parse(i).ok());
        EnterpriseChoice {
            uscc: e.uscc,
            name: e.name,
            industry: industry.map(|i| i.code().to_string()).unwrap_or_default(),
            industry_label: industry.map(|i| i.label().to_owned()).unwrap_or_default(),
        }
    }
}

/// How many enterprises a search offers.
const OFFERED: i64 = 8;

/// Known enterprises whose name contains, or whose code starts with, what was typed (two
/// characters at least).
pub(crate) async fn find(state: &AppState, typed: &str) -> Result<Vec<EnterpriseChoice>, AppError> {
    let typed: String = typed.trim().chars().take(100).collect();
    if typed.chars().count() < 2 {
        return Ok(Vec::new());
    }
    Ok(state.store.known_enterprises(&typed, OFFERED).await?.into_iter().map(EnterpriseChoice::of).collect())
}

/// Fills the enterprise fields from the known enterprise with code `uscc` (its industry too,
/// when the directory has it); false when no such enterprise is known.
pub(crate) async fn pick(state: &AppState, f: &mut SubmitFields, uscc: &str) -> Result<bool, AppError> {
    let Some(e) = state.store.known_enterprise(uscc).await? else { return Ok(false) };
    let e = EnterpriseChoice::of(e);
    f.enterprise_name = e.name;
    f.uscc = e.uscc;
    if !e.industry.is_empty() {
        f.industry = e.industry;
    }
    Ok(true)
}

#[derive(Deserialize)]
struct Lookup {
    #[serde(default)]
    q: String,
}

#[derive(Serialize)]
struct Found {
    enterprises: Vec<EnterpriseChoice>,
}

/// `GET /submit/enterprises?q=…`: the page script's look-up (public: the names and codes of
/// enterprises are public registration data).
async fn lookup(State(state): State<AppState>, Query(q): Query<Lookup>) -> Result<Response, crate::error::ApiError> {
    let enterprises = find(&state, &q.q).await?;
    Ok(Json(Found { enterprises }).into_response())
}
