//! Intake: what a member of the public (or an enterprise) submits, validated field by field with
//! a Chinese message for each problem, before anything is stored.

use super::CaseKind;
use crate::FieldError;
use crate::calendar::Date;
use crate::ids::{IdNumber, Industry, Mobile, RegionCode, Uscc};
use serde::{Deserialize, Serialize};

/// The submission as typed: every field text, as a form or JSON body brings it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IntakeForm {
    pub kind: String,
    pub enterprise_name: String,
    pub uscc: String,
    pub industry: String,
    pub region_code: String,
    pub narrative: String,
    /// Yuan, e.g. `5000` or `128.50`.
    pub amount: String,
    pub demand: String,
    /// `YYYY-MM-DD`.
    pub event_date: String,
    pub name: String,
    pub mobile: String,
    pub id_number: String,
    pub address: String,
    pub consent_publish: bool,
    /// A complaint that also reports a violation: a linked 举报 is opened as well.
    pub also_report: bool,
}

/// Who submitted it. Kept apart from the case and sealed at rest.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub name: String,
    pub mobile: Option<String>,
    pub id_number: Option<String>,
    pub address: String,
}

impl std::fmt::Debug for Contact {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Contact(***)")
    }
}

/// A validated submission.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub kind: CaseKind,
    pub enterprise_name: String,
    pub uscc: Option<Uscc>,
    pub industry: Option<Industry>,
    pub region: RegionCode,
    pub narrative: String,
    pub amount_cents: Option<i64>,
    pub demand: String,
    pub event_date: Option<Date>,
    /// `None` for an anonymous report.
    pub contact: Option<Contact>,
    pub consent_publish: bool,
    pub also_report: bool,
}

fn text(value: &str, field: &'static str, max: usize, label: &str, errors: &mut Vec<FieldError>) -> String {
    let v = value.trim().to_owned();
    if v.chars().count() > max {
        errors.push(FieldError::new(field, "too_long", format!("{label}不能超过{max}个字")));
    }
    v
}

/// Yuan text to cents: up to two decimals, not negative, at most 10 billion.
pub fn parse_amount(s: &str) -> Option<i64> {
    let s = s.trim().trim_start_matches('¥').trim_end_matches('元').replace(',', "");
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    if int.is_empty()
        || !int.bytes().all(|b| b.is_ascii_digit())
        || frac.len() > 2
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || int.len() > 11
    {
        return None;
    }
    let cents = int.parse::<i64>().ok()? * 100 + format!("{frac:0<2}").parse::<i64>().ok()?;
    (cents <= 1_000_000_000_000).then_some(cents)
}

impl IntakeForm {
    /// Validates everything, reporting every problem at once. `today` is the day of receipt.
    pub fn validate(&self, today: Date) -> Result<NewCase, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = CaseKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid", "请选择诉求类型：投诉、举报、咨询、建议或企业诉求"));
        }
        let needs_enterprise =
            matches!(kind, Some(CaseKind::Complaint | CaseKind::Report | CaseKind::EnterpriseRequest));
        let enterprise_name = text(&self.enterprise_name, "enterprise_name", 100, "企业名称", &mut errors);
        if needs_enterprise && enterprise_name.is_empty() {
            errors.push(FieldError::new("enterprise_name", "required", "请填写被投诉（举报）企业的名称"));
        }
        let uscc = match self.uscc.trim() {
            "" => None,
            s => Uscc::parse(s).map_err(|e| errors.push(e)).ok(),
        };
        // The industry (GB/T 4754) is not something a citizen can be asked to know: it comes from
        // the known enterprise when there is one, or the officer sets it.
        let industry = match self.industry.trim() {
            "" => None,
            s => Industry::parse(s).map_err(|e| errors.push(e)).ok(),
        };
        let region = RegionCode::parse(&self.region_code).map_err(|e| errors.push(e.with_field("region_code"))).ok();
        let narrative = text(&self.narrative, "narrative", 5000, "情况描述", &mut errors);
        if narrative.chars().count() < 10 {
            errors.push(FieldError::new("narrative", "too_short", "请把事情经过写清楚（至少10个字）"));
        }
        let amount_cents = match self.amount.trim() {
            "" => None,
            s => match parse_amount(s) {
                Some(c) => Some(c),
                None => {
                    errors.push(FieldError::new("amount", "invalid", "涉及金额应为数字（元），最多两位小数"));
                    None
                }
            },
        };
        let demand = text(&self.demand, "demand", 500, "诉求", &mut errors);
        if kind == Some(CaseKind::Complaint) && demand.is_empty() {
            errors.push(FieldError::new("demand", "required", "请写明您的具体诉求（如退款、赔偿、更换）"));
        }
        let event_date = match self.event_date.trim() {
            "" => None,
            s => match Date::parse(s) {
                Some(d) if d > today => {
                    errors.push(FieldError::new("event_date", "future", "消费或事发日期不能晚于今天"));
                    None
                }
                Some(d) => Some(d),
                None => {
                    errors.push(FieldError::new("event_date", "invalid", "日期格式应为 YYYY-MM-DD"));
                    None
                }
            },
        };
        let contact = self.contact(kind, today, &mut errors);
        if self.also_report && kind != Some(CaseKind::Complaint) {
            errors.push(FieldError::new("also_report", "invalid", "只有投诉可以同时举报"));
        }
        match (kind, region, errors.is_empty()) {
            (Some(kind), Some(region), true) => Ok(NewCase {
                kind,
                enterprise_name,
                uscc,
                industry,
                region,
                narrative,
                amount_cents,
                demand,
                event_date,
                contact,
                consent_publish: self.consent_publish,
                also_report: self.also_report,
            }),
            _ => Err(errors),
        }
    }

    fn contact(&self, kind: Option<CaseKind>, today: Date, errors: &mut Vec<FieldError>) -> Option<Contact> {
        let name = text(&self.name, "name", 30, "姓名", errors);
        let address = text(&self.address, "address", 200, "联系地址", errors);
        let mobile = match self.mobile.trim() {
            "" => None,
            s => Mobile::parse(s).map_err(|e| errors.push(e)).ok(),
        };
        let id_number = match self.id_number.trim() {
            "" => None,
            s => IdNumber::parse_on(s, today).map_err(|e| errors.push(e)).ok(),
        };
        if kind == Some(CaseKind::Complaint) {
            // Order 20 Art. 15 (✔): a complaint needs the complainant's name, telephone and address.
            if name.is_empty() {
                errors.push(FieldError::new("name", "required", "投诉须留下您的姓名"));
            }
            if self.mobile.trim().is_empty() {
                errors.push(FieldError::new("mobile", "required", "投诉须留下手机号，便于调解联系"));
            }
            if address.is_empty() {
                errors.push(FieldError::new("address", "required", "投诉须留下联系地址"));
            }
        }
        let anonymous = name.is_empty() && mobile.is_none() && id_number.is_none() && address.is_empty();
        (!anonymous).then(|| Contact {
            name,
            mobile: mobile.map(|m| m.as_str().to_owned()),
            id_number: id_number.map(|i| i.as_str().to_owned()),
            address,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    fn complaint() -> IntakeForm {
        IntakeForm {
            kind: "complaint".into(),
            enterprise_name: "苏州姑苏示例健身管理有限公司".into(),
            uscc: "91110000600037341L".into(),
            industry: "R".into(),
            region_code: "320508".into(),
            narrative: "我在这家健身房办了5000元的预付卡，上周突然关门，老板联系不上。".into(),
            amount: "5000".into(),
            demand: "退还卡内余额".into(),
            event_date: "2026-03-15".into(),
            name: "李秀英".into(),
            mobile: "138 1234 5678".into(),
            id_number: String::new(),
            address: "苏州市姑苏区人民路88号".into(),
            consent_publish: true,
            also_report: false,
        }
    }

    #[test]
    fn a_complete_complaint_validates() {
        let c = complaint().validate(today()).unwrap();
        assert_eq!(c.kind, CaseKind::Complaint);
        assert_eq!(c.amount_cents, Some(500_000));
        assert_eq!(c.contact.as_ref().unwrap().mobile.as_deref(), Some("13812345678"));
        assert_eq!(format!("{:?}", c.contact.unwrap()), "Contact(***)", "no identity in debug output");
    }

    #[test]
    fn the_industry_may_be_left_to_the_officer() {
        let c = IntakeForm { industry: String::new(), ..complaint() }.validate(today()).unwrap();
        assert_eq!(c.industry, None);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let form = IntakeForm {
            kind: "complaint".into(),
            uscc: "91110000600037341M".into(),
            industry: "Z".into(),
            region_code: "99".into(),
            narrative: "太差".into(),
            amount: "12.345".into(),
            event_date: "2026-12-01".into(),
            mobile: "12345".into(),
            id_number: "360426199101010072".into(),
            also_report: true,
            ..Default::default()
        };
        let errors = form.validate(today()).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for f in [
            "enterprise_name",
            "uscc",
            "industry",
            "region_code",
            "narrative",
            "amount",
            "demand",
            "event_date",
            "name",
            "mobile",
            "id_number",
            "address",
        ] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        assert!(errors.iter().all(|e| !e.message.is_ascii()), "messages are Chinese");
    }

    #[test]
    fn reports_may_be_anonymous_and_consultations_need_no_enterprise() {
        let report = IntakeForm {
            kind: "report".into(),
            enterprise_name: "某某超市".into(),
            industry: "F".into(),
            region_code: "320508".into(),
            narrative: "这家超市把过期的牛奶改了生产日期重新上架销售。".into(),
            ..Default::default()
        };
        assert!(report.validate(today()).unwrap().contact.is_none());
        let question = IntakeForm {
            kind: "咨询".into(),
            region_code: "320500".into(),
            narrative: "网络直播带货能不能用“全网最低价”宣传？".into(),
            ..Default::default()
        };
        assert_eq!(question.validate(today()).unwrap().kind, CaseKind::Consultation);
    }

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("128.5"), Some(12_850));
        assert_eq!(parse_amount("¥1,299.00"), Some(129_900));
        assert_eq!(parse_amount("5000元"), Some(500_000));
        assert_eq!(parse_amount("-5"), None);
        assert_eq!(parse_amount("1e5"), None);
        assert_eq!(parse_amount("99999999999999"), None);
    }
}
