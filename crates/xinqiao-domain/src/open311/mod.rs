//! Open311 GeoReport v2, the rules: which services a bureau offers (one per case kind it takes
//! from outside), their attributes, what a request's status is to the outside world (`open` or
//! `closed`, with the status in words as the note), and the W3C date-times of the wire format.
//! Requests (`request`) and queries (`query`) are validated here; nothing of HTTP or XML.

pub mod query;
pub mod request;

use crate::cases::{CaseKind, Status};
use crate::ids::Industry;

pub use query::{Filter, QueryError, RequestQuery, format_w3c, parse_w3c};
pub use request::{Location, RequestForm, RequestRefusal, ValidRequest};

/// How an attribute's value is typed (the spec's six datatypes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    String,
    Number,
    Datetime,
    Text,
    SingleValueList,
    MultiValueList,
}

impl Datatype {
    pub fn code(self) -> &'static str {
        match self {
            Datatype::String => "string",
            Datatype::Number => "number",
            Datatype::Datetime => "datetime",
            Datatype::Text => "text",
            Datatype::SingleValueList => "singlevaluelist",
            Datatype::MultiValueList => "multivaluelist",
        }
    }
}

/// One extra question a service asks (the service definition's `attribute`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    pub code: &'static str,
    pub datatype: Datatype,
    pub required: bool,
    pub description: &'static str,
    pub datatype_description: Option<&'static str>,
    /// 1-based position in the form.
    pub order: u32,
    /// For the list types: (key, name).
    pub values: Vec<(String, String)>,
}

/// A service a bureau offers through Open311: one kind of case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub kind: CaseKind,
    pub name: &'static str,
    pub description: &'static str,
    pub keywords: &'static str,
    pub group: &'static str,
}

/// The case kinds offered: 企业诉求 is left to the enterprises' own portal.
pub const OFFERED: [CaseKind; 4] =
    [CaseKind::Complaint, CaseKind::Report, CaseKind::Consultation, CaseKind::Suggestion];

/// The public's consent to publish the masked text (the case's `consent_publish`): only
/// requests that carry it are ever listed through Open311.
pub const CONSENT: &str = "consent_publish";

impl Service {
    /// Every service offered, in order.
    pub fn all() -> Vec<Service> {
        OFFERED.into_iter().map(Service::of).collect()
    }

    /// The service whose code is `code` (the case kind's code).
    pub fn by_code(code: &str) -> Option<Service> {
        OFFERED.into_iter().find(|k| k.code() == code).map(Service::of)
    }

    fn of(kind: CaseKind) -> Service {
        let (description, keywords) = match kind {
            CaseKind::Complaint => ("消费者与经营者之间的消费纠纷，请求市场监管部门调解", "投诉, 消费纠纷, 退款, 调解"),
            CaseKind::Report => ("反映经营者涉嫌违反市场监管法律法规的线索", "举报, 违法线索, 食品安全, 价格"),
            CaseKind::Consultation => ("咨询市场监管政策、办事流程", "咨询, 政策, 办事"),
            _ => ("对市场监管工作的意见和建议", "建议, 意见"),
        };
        Service { kind, name: kind.label(), description, keywords, group: "市场监管" }
    }

    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Every service asks for consent, so every service has metadata.
    pub fn metadata(&self) -> bool {
        !self.attributes().is_empty()
    }

    /// The service definition's attributes.
    pub fn attributes(&self) -> Vec<Attribute> {
        let list = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, n)| ((*k).to_owned(), (*n).to_owned())).collect();
        let mut out = Vec::new();
        let mut add = |code, datatype, required, description, datatype_description, values| {
            let order = out.len() as u32 + 1;
            out.push(Attribute { code, datatype, required, description, datatype_description, order, values });
        };
        if matches!(self.kind, CaseKind::Complaint | CaseKind::Report) {
            add("enterprise_name", Datatype::String, true, "被投诉（举报）企业的名称", None, vec![]);
            let industries = Industry::all().map(|(c, l)| (c.to_string(), l.to_owned())).collect();
            add(
                "industry",
                Datatype::SingleValueList,
                true,
                "企业所属行业",
                Some("国民经济行业分类（GB/T 4754）门类"),
                industries,
            );
            add("uscc", Datatype::String, false, "企业的统一社会信用代码（知道时填写）", Some("18位"), vec![]);
        }
        if self.kind == CaseKind::Complaint {
            add("demand", Datatype::Text, true, "您的具体诉求（如退款、赔偿、更换）", None, vec![]);
            add("contact_address", Datatype::String, true, "您的联系地址（不会公开）", None, vec![]);
            add("amount", Datatype::Number, false, "涉及金额（元）", Some("最多两位小数"), vec![]);
        }
        add(
            CONSENT,
            Datatype::SingleValueList,
            false,
            "是否同意在遮蔽个人信息后公开本诉求的内容（不填即不同意；不同意的诉求不会在 Open311 中列出）",
            None,
            list(&[("yes", "同意公开"), ("no", "不同意公开")]),
        );
        out
    }
}

/// A request's status to the outside world: only `open` or `closed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicStatus {
    Open,
    Closed,
}

impl PublicStatus {
    pub fn code(self) -> &'static str {
        match self {
            PublicStatus::Open => "open",
            PublicStatus::Closed => "closed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "open" => Some(PublicStatus::Open),
            "closed" => Some(PublicStatus::Closed),
            _ => None,
        }
    }

    /// Closed once the bureau's handling has ended (办结 included: the follow-up call is the
    /// bureau's own business); 立案 is an investigation under way, so still open.
    pub fn of(status: Status) -> Self {
        match status {
            Status::Closed
            | Status::FollowedUp
            | Status::Rejected
            | Status::NotOpened
            | Status::Informed
            | Status::Merged
            | Status::Replied => PublicStatus::Closed,
            Status::Settling
            | Status::AwaitingAcceptance
            | Status::Accepted
            | Status::Assigned
            | Status::Mediating
            | Status::AwaitingVerification
            | Status::Opened
            | Status::AwaitingReply => PublicStatus::Open,
        }
    }
}

/// The status note: the status in words, never an officer's own text.
pub fn status_note(status: Status) -> String {
    format!("当前状态：{}", status.label())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_is_open_or_closed_and_final_ones_are_closed() {
        for s in Status::ALL {
            if s.is_final() {
                assert_eq!(PublicStatus::of(s), PublicStatus::Closed, "{s:?}");
            }
        }
        assert_eq!(PublicStatus::of(Status::Closed), PublicStatus::Closed);
        assert_eq!(PublicStatus::of(Status::Mediating), PublicStatus::Open);
        assert_eq!(PublicStatus::of(Status::Opened), PublicStatus::Open);
        assert_eq!(PublicStatus::parse("open"), Some(PublicStatus::Open));
        assert_eq!(PublicStatus::parse("Open"), None);
        assert_eq!(status_note(Status::Mediating), "当前状态：调解中");
    }

    #[test]
    fn services_are_the_kinds_taken_from_outside_with_their_questions() {
        let codes: Vec<_> = Service::all().iter().map(Service::code).collect();
        assert_eq!(codes, ["complaint", "report", "consultation", "suggestion"]);
        assert!(Service::by_code("enterprise_request").is_none());
        let complaint = Service::by_code("complaint").unwrap();
        let attrs = complaint.attributes();
        let required: Vec<_> = attrs.iter().filter(|a| a.required).map(|a| a.code).collect();
        assert_eq!(required, ["enterprise_name", "industry", "demand", "contact_address"]);
        assert_eq!(attrs.iter().map(|a| a.order).collect::<Vec<_>>(), (1..=attrs.len() as u32).collect::<Vec<_>>());
        let industry = attrs.iter().find(|a| a.code == "industry").unwrap();
        assert_eq!(industry.values.len(), 20);
        assert_eq!(industry.values[7], ("H".to_owned(), "住宿和餐饮业".to_owned()));
        let consultation = Service::by_code("consultation").unwrap();
        assert_eq!(consultation.attributes().iter().map(|a| a.code).collect::<Vec<_>>(), [CONSENT]);
        assert!(consultation.metadata());
    }
}
