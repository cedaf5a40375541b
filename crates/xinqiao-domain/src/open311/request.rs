//! An Open311 POST request, from its form-encoded pairs to the intake form the public form also
//! fills: every parameter known (an unknown or repeated one is refused), exactly one location,
//! the description at most 4,000 characters and without HTML, the service's attributes checked
//! against its definition. `media_url` is refused (the bureau does not fetch files from the
//! internet); `email`, `device_id` and `account_id` are accepted and not kept (minimum necessary).

use super::{CONSENT, Datatype, Service};
use crate::FieldError;
use crate::cases::intake::IntakeForm;
use crate::ids::RegionCode;
use std::collections::BTreeMap;

pub const MAX_DESCRIPTION: usize = 4000;

/// The request as sent: each parameter's text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestForm {
    pub api_key: String,
    pub jurisdiction_id: String,
    pub service_code: String,
    pub lat: String,
    pub long: String,
    pub address_string: String,
    pub address_id: String,
    pub email: String,
    pub device_id: String,
    pub account_id: String,
    pub first_name: String,
    pub last_name: String,
    pub phone: String,
    pub description: String,
    pub media_url: String,
    /// `attribute[CODE]` → value.
    pub attributes: BTreeMap<String, String>,
}

/// Where the matter is: exactly one of the spec's three forms.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    Point { lat: f64, long: f64 },
    Address(String),
    AddressId(String),
}

/// Why a request is refused; each maps to an HTTP status and the spec's error list.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestRefusal {
    #[error("缺少 api_key，或 api_key 无效（已撤销）")]
    BadApiKey,
    #[error("缺少 service_code")]
    MissingServiceCode,
    #[error("service_code 不存在：{0}")]
    UnknownService(String),
    #[error("jurisdiction_id 与 api_key 所属机构不符")]
    WrongJurisdiction,
    #[error("不认识的参数：{0}")]
    UnknownParameter(String),
    #[error("参数重复：{0}")]
    RepeatedParameter(String),
    #[error("须提供且只提供一种位置：lat 与 long、address_string 或 address_id")]
    Location,
    #[error("lat/long 应为十进制经纬度（纬度 -90 至 90，经度 -180 至 180）")]
    Coordinates,
    #[error("description 不能超过 4000 个字符")]
    DescriptionTooLong,
    #[error("description 不能含有 HTML")]
    Html,
    #[error("不接受 media_url：请通过本局的诉求表单上传附件")]
    MediaUrl,
    #[error("该服务没有此属性：{0}")]
    UnknownAttribute(String),
    #[error("属性 {0} 的取值不在可选范围内")]
    AttributeValue(String),
    #[error("缺少必填属性：{0}")]
    MissingAttribute(String),
    #[error("{}", .0.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("；"))]
    Invalid(Vec<FieldError>),
}

impl RequestRefusal {
    /// The HTTP status the spec gives this error (403 for the key, 404 for an unknown service).
    pub fn status(&self) -> u16 {
        match self {
            RequestRefusal::BadApiKey | RequestRefusal::WrongJurisdiction => 403,
            RequestRefusal::UnknownService(_) => 404,
            _ => 400,
        }
    }
}

/// A request ready for intake.
#[derive(Debug, Clone)]
pub struct ValidRequest {
    pub service: Service,
    pub location: Location,
    /// What the public intake takes (with the bureau's region).
    pub intake: IntakeForm,
}

impl RequestForm {
    /// Reads form-encoded pairs; a parameter the spec does not define, or one given twice, is refused.
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, RequestRefusal> {
        let mut f = RequestForm::default();
        let mut seen = std::collections::BTreeSet::new();
        for (name, value) in pairs {
            if !seen.insert(name.as_str()) {
                return Err(RequestRefusal::RepeatedParameter(short(name)));
            }
            let slot = match name.as_str() {
                "api_key" => &mut f.api_key,
                "jurisdiction_id" => &mut f.jurisdiction_id,
                "service_code" => &mut f.service_code,
                "lat" => &mut f.lat,
                "long" => &mut f.long,
                "address_string" => &mut f.address_string,
                "address_id" => &mut f.address_id,
                "email" => &mut f.email,
                "device_id" => &mut f.device_id,
                "account_id" => &mut f.account_id,
                "first_name" => &mut f.first_name,
                "last_name" => &mut f.last_name,
                "phone" => &mut f.phone,
                "description" => &mut f.description,
                "media_url" => &mut f.media_url,
                other => match other.strip_prefix("attribute[").and_then(|r| r.strip_suffix(']')) {
                    Some(code) if !code.is_empty() => {
                        f.attributes.insert(code.to_owned(), value.clone());
                        continue;
                    }
                    _ => return Err(RequestRefusal::UnknownParameter(short(other))),
                },
            };
            *slot = value.clone();
        }
        Ok(f)
    }

    /// Checks everything but the key (the caller has found the key's bureau, `region`).
    pub fn validate(&self, region: &RegionCode) -> Result<ValidRequest, RequestRefusal> {
        let code = self.service_code.trim();
        if code.is_empty() {
            return Err(RequestRefusal::MissingServiceCode);
        }
        let service = Service::by_code(code).ok_or_else(|| RequestRefusal::UnknownService(short(code)))?;
        if !self.media_url.trim().is_empty() {
            return Err(RequestRefusal::MediaUrl);
        }
        let location = self.location()?;
        let description = self.description.trim();
        if description.chars().count() > MAX_DESCRIPTION {
            return Err(RequestRefusal::DescriptionTooLong);
        }
        if has_html(description) {
            return Err(RequestRefusal::Html);
        }
        let attrs = self.attributes(&service)?;
        let get = |k: &str| attrs.get(k).cloned().unwrap_or_default();
        let intake = IntakeForm {
            kind: service.code().to_owned(),
            enterprise_name: get("enterprise_name"),
            uscc: get("uscc"),
            industry: get("industry"),
            region_code: region.as_str().to_owned(),
            narrative: description.to_owned(),
            amount: get("amount"),
            demand: get("demand"),
            event_date: String::new(),
            // Chinese order: family name first.
            name: format!("{}{}", self.last_name.trim(), self.first_name.trim()),
            mobile: self.phone.trim().to_owned(),
            id_number: String::new(),
            address: get("contact_address"),
            consent_publish: get(CONSENT) == "yes",
            also_report: false,
        };
        Ok(ValidRequest { service, location, intake })
    }

    fn location(&self) -> Result<Location, RequestRefusal> {
        let (lat, long) = (self.lat.trim(), self.long.trim());
        let (addr, addr_id) = (self.address_string.trim(), self.address_id.trim());
        let given = [!lat.is_empty() || !long.is_empty(), !addr.is_empty(), !addr_id.is_empty()];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(RequestRefusal::Location);
        }
        if given[0] {
            let parse = |s: &str, max: f64| {
                s.parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() <= max && !s.contains(['e', 'E']))
            };
            return match (parse(lat, 90.0), parse(long, 180.0)) {
                (Some(lat), Some(long)) => Ok(Location::Point { lat, long }),
                _ => Err(RequestRefusal::Coordinates),
            };
        }
        let text = if given[1] { addr } else { addr_id };
        if text.chars().count() > 200 || has_html(text) {
            return Err(RequestRefusal::Location);
        }
        Ok(if given[1] { Location::Address(text.to_owned()) } else { Location::AddressId(text.to_owned()) })
    }

    fn attributes(&self, service: &Service) -> Result<BTreeMap<String, String>, RequestRefusal> {
        let defs = service.attributes();
        let mut out = BTreeMap::new();
        for (code, value) in &self.attributes {
            let def =
                defs.iter().find(|d| d.code == code).ok_or_else(|| RequestRefusal::UnknownAttribute(short(code)))?;
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let listed = |v: &str| def.values.iter().any(|(k, _)| k == v);
            let ok = match def.datatype {
                Datatype::SingleValueList => listed(value),
                Datatype::MultiValueList => value.split(',').all(|v| listed(v.trim())),
                _ => !has_html(value) && value.chars().count() <= 500,
            };
            if !ok {
                return Err(RequestRefusal::AttributeValue(def.code.to_owned()));
            }
            out.insert(def.code.to_owned(), value.to_owned());
        }
        if let Some(missing) = defs.iter().find(|d| d.required && !out.contains_key(d.code)) {
            return Err(RequestRefusal::MissingAttribute(missing.code.to_owned()));
        }
        Ok(out)
    }
}

/// A name quoted back in an error, bounded.
fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

/// Markup: a tag (`<a`, `</`, `<!`, `<?`) or a character reference (`&amp;`, `&#60;`).
pub fn has_html(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.iter().enumerate().any(|(i, c)| match c {
        '<' => chars.get(i + 1).is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?')),
        '&' => {
            let rest: String = chars[i + 1..].iter().take(12).collect();
            rest.split_once(';').is_some_and(|(name, _)| {
                !name.is_empty()
                    && (name.chars().all(|c| c.is_ascii_alphanumeric())
                        || name
                            .strip_prefix('#')
                            .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric())))
            })
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    fn region() -> RegionCode {
        RegionCode::parse("320508").unwrap()
    }

    fn report(extra: &[(&str, &str)]) -> Result<ValidRequest, RequestRefusal> {
        let mut p = pairs(&[
            ("api_key", "k"),
            ("service_code", "report"),
            ("description", "超市把过期的牛奶重新贴标签出售，已经看到好几次了。"),
            ("attribute[enterprise_name]", "苏州某某超市有限公司"),
            ("attribute[industry]", "F"),
        ]);
        p.extend(pairs(extra));
        RequestForm::from_pairs(&p)?.validate(&region())
    }

    #[test]
    fn a_report_with_one_location_becomes_an_intake_form() {
        let v = report(&[("lat", "31.3036"), ("long", "120.6199"), ("attribute[consent_publish]", "yes")]).unwrap();
        assert_eq!(v.location, Location::Point { lat: 31.3036, long: 120.6199 });
        assert_eq!(v.intake.kind, "report");
        assert_eq!(v.intake.region_code, "320508");
        assert_eq!(v.intake.industry, "F");
        assert!(v.intake.consent_publish);
        let v = report(&[("address_string", "人民路88号")]).unwrap();
        assert_eq!(v.location, Location::Address("人民路88号".into()));
        assert!(!v.intake.consent_publish, "no answer is no consent");
        assert!(v.intake.validate(crate::calendar::Date(20_000)).is_ok());
    }

    #[test]
    fn exactly_one_location() {
        assert_eq!(report(&[]).unwrap_err(), RequestRefusal::Location);
        assert_eq!(
            report(&[("lat", "31.3"), ("long", "120.6"), ("address_id", "A1")]).unwrap_err(),
            RequestRefusal::Location
        );
        assert_eq!(report(&[("lat", "31.3")]).unwrap_err(), RequestRefusal::Coordinates);
        assert_eq!(report(&[("lat", "91"), ("long", "120")]).unwrap_err(), RequestRefusal::Coordinates);
        assert_eq!(report(&[("lat", "NaN"), ("long", "120")]).unwrap_err(), RequestRefusal::Coordinates);
        assert_eq!(report(&[("lat", "3e1"), ("long", "120")]).unwrap_err(), RequestRefusal::Coordinates);
    }

    #[test]
    fn description_is_bounded_and_plain() {
        let long = "长".repeat(MAX_DESCRIPTION + 1);
        let p = pairs(&[("service_code", "suggestion"), ("address_id", "x"), ("description", &long)]);
        assert_eq!(
            RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap_err(),
            RequestRefusal::DescriptionTooLong
        );
        let exact = "长".repeat(MAX_DESCRIPTION);
        let p = pairs(&[("service_code", "suggestion"), ("address_id", "x"), ("description", &exact)]);
        assert!(RequestForm::from_pairs(&p).unwrap().validate(&region()).is_ok());
        for html in ["<b>很好</b>", "见 <a href=x>", "a &amp; b", "&#60;script", "<!-- x -->"] {
            assert!(has_html(html), "{html}");
        }
        for plain in ["价格 < 10 元", "3<5", "A & B 公司", "满100减20 & 包邮"] {
            assert!(!has_html(plain), "{plain}");
        }
        let p = pairs(&[
            ("service_code", "suggestion"),
            ("address_id", "x"),
            ("description", "建议<script>alert(1)</script>"),
        ]);
        assert_eq!(RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap_err(), RequestRefusal::Html);
        let twice = pairs(&[("description", "一"), ("description", "二")]);
        assert_eq!(
            RequestForm::from_pairs(&twice).unwrap_err(),
            RequestRefusal::RepeatedParameter("description".into())
        );
    }

    #[test]
    fn parameters_and_attributes_are_checked() {
        let unknown = RequestForm::from_pairs(&pairs(&[("service_code", "report"), ("colour", "red")]));
        assert_eq!(unknown.unwrap_err(), RequestRefusal::UnknownParameter("colour".into()));
        assert_eq!(
            report(&[("address_id", "x"), ("attribute[colour]", "red")]).unwrap_err(),
            RequestRefusal::UnknownAttribute("colour".into())
        );
        assert_eq!(
            report(&[("address_id", "x"), ("attribute[consent_publish]", "maybe")]).unwrap_err(),
            RequestRefusal::AttributeValue(CONSENT.into())
        );
        let p = pairs(&[
            ("service_code", "report"),
            ("address_id", "x"),
            ("description", "某超市卖过期食品，请核查处理。"),
        ]);
        assert_eq!(
            RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap_err(),
            RequestRefusal::MissingAttribute("enterprise_name".into())
        );
        let p = pairs(&[("service_code", "parking"), ("address_id", "x")]);
        let e = RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap_err();
        assert_eq!((e.status(), e.clone()), (404, RequestRefusal::UnknownService("parking".into())));
        let p = pairs(&[("address_id", "x")]);
        assert_eq!(
            RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap_err(),
            RequestRefusal::MissingServiceCode
        );
        assert_eq!(
            report(&[("address_id", "x"), ("media_url", "http://x/1.jpg")]).unwrap_err(),
            RequestRefusal::MediaUrl
        );
        assert_eq!(RequestRefusal::BadApiKey.status(), 403);
    }

    #[test]
    fn a_complaint_carries_the_complainant_apart_from_the_text() {
        let p = pairs(&[
            ("service_code", "complaint"),
            ("address_string", "观前街1号"),
            ("first_name", "秀英"),
            ("last_name", "李"),
            ("phone", "13812345678"),
            ("description", "健身房关门，预付卡退不了，余额三千元。"),
            ("attribute[enterprise_name]", "苏州某健身有限公司"),
            ("attribute[industry]", "R"),
            ("attribute[demand]", "退款"),
            ("attribute[contact_address]", "苏州市姑苏区人民路88号"),
        ]);
        let v = RequestForm::from_pairs(&p).unwrap().validate(&region()).unwrap();
        assert_eq!((v.intake.name.as_str(), v.intake.mobile.as_str()), ("李秀英", "13812345678"));
        assert_eq!(v.intake.address, "苏州市姑苏区人民路88号");
        assert!(v.intake.validate(crate::calendar::Date(20_000)).is_ok());
    }
}
