//! 办事指引 (guided procedures): the procedures as data (`data/procedures.toml`, each with its
//! basis, source and `verified` flag), the few questions an applicant answers (or a sentence such
//! as “我要开一家小餐馆，只卖自制饮品” read for them), and the personal checklist those answers give:
//! which procedures, in order, with the materials that apply to the business form.

use crate::calendar::Date;
use serde::Deserialize;

pub const BUILTIN: &str = include_str!("../data/procedures.toml");

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Material {
    pub name: String,
    /// Must be complete for the application to be accepted; the others may be supplied later
    /// where the bureau's 容缺受理 rules allow.
    pub core: bool,
    #[serde(default)]
    pub note: String,
    /// Business forms it applies to (`individual`, `company`); empty: all.
    #[serde(default)]
    pub only_for: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Procedure {
    pub code: String,
    pub name: String,
    pub summary: String,
    pub time_limit: String,
    /// An incomplete application gets one notice of everything missing (一次性告知).
    pub one_time_notice: bool,
    pub basis: String,
    pub source: String,
    pub verified: bool,
    pub steps: Vec<String>,
    pub forms: Vec<String>,
    pub photos: Vec<String>,
    pub materials: Vec<Material>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    procedure: Vec<Procedure>,
}

#[derive(Debug, thiserror::Error)]
pub enum GuideError {
    #[error("办事指引数据无法读取：{0}")]
    Toml(String),
    #[error("办事指引数据有误：{0}")]
    Invalid(String),
}

/// Every procedure.
#[derive(Debug, Clone)]
pub struct Guide {
    pub procedures: Vec<Procedure>,
}

/// What the applicant wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matter {
    Open,
    Change,
    Close,
    AnnualReport,
}

/// The business form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Individual,
    Company,
}

/// Food sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Food {
    None,
    /// Only pre-packaged food: a filing (备案), no licence.
    Prepackaged,
    /// Made or prepared on site (drinks, snacks, meals): a licence.
    Prepared,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answers {
    pub matter: Matter,
    pub form: Form,
    pub food: Food,
}

impl Matter {
    pub const ALL: [Matter; 4] = [Matter::Open, Matter::Change, Matter::Close, Matter::AnnualReport];
    pub fn code(self) -> &'static str {
        match self {
            Matter::Open => "open",
            Matter::Change => "change",
            Matter::Close => "close",
            Matter::AnnualReport => "annual_report",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Matter::Open => "开办新店或新公司",
            Matter::Change => "变更登记事项（地址、名称、经营范围……）",
            Matter::Close => "不再经营，办理注销",
            Matter::AnnualReport => "报送年度报告（年报）",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

impl Form {
    pub const ALL: [Form; 2] = [Form::Individual, Form::Company];
    pub fn code(self) -> &'static str {
        match self {
            Form::Individual => "individual",
            Form::Company => "company",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Form::Individual => "个体工商户",
            Form::Company => "有限责任公司",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

impl Food {
    pub const ALL: [Food; 3] = [Food::None, Food::Prepackaged, Food::Prepared];
    pub fn code(self) -> &'static str {
        match self {
            Food::None => "none",
            Food::Prepackaged => "prepackaged",
            Food::Prepared => "prepared",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Food::None => "不卖食品",
            Food::Prepackaged => "只卖包装好的食品（预包装食品）",
            Food::Prepared => "现场制作食品或饮品（含自制饮品、小吃、餐饮）",
        }
    }
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

impl Answers {
    /// Reads a sentence for the answers it implies (an applicant confirms them on the form).
    /// Words not recognised leave the plain answers: opening an individual business without food.
    pub fn from_words(text: &str) -> Self {
        let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
        let matter = if has(&["年报", "年度报告"]) {
            Matter::AnnualReport
        } else if has(&["注销", "不干了", "关门不做", "不做了"]) {
            Matter::Close
        } else if has(&["变更", "改名", "换地址", "搬到", "搬家", "经营范围"]) {
            Matter::Change
        } else {
            Matter::Open
        };
        let form = if has(&["公司", "有限"]) { Form::Company } else { Form::Individual };
        let food = if has(&["预包装", "包装好的", "包装食品"]) {
            Food::Prepackaged
        } else if has(&[
            "餐馆", "饭店", "餐厅", "自制", "现做", "现制", "饮品", "奶茶", "咖啡", "小吃", "面馆", "早餐", "烘焙",
            "蛋糕",
        ]) {
            Food::Prepared
        } else if has(&["超市", "便利店", "小卖部", "零食"]) {
            Food::Prepackaged
        } else {
            Food::None
        };
        Answers { matter, form, food }
    }
}

/// A procedure as it applies to the applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<'a> {
    pub procedure: &'a Procedure,
    pub materials: Vec<&'a Material>,
}

/// The personal checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist<'a> {
    pub steps: Vec<Step<'a>>,
    /// For the annual report: whether today is inside 1 January – 30 June, and that day.
    pub annual_window: Option<(bool, Date)>,
}

impl Checklist<'_> {
    pub fn codes(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.procedure.code.as_str()).collect()
    }

    /// Something rests on a rule not checked against the official text.
    pub fn unverified(&self) -> bool {
        self.steps.iter().any(|s| !s.procedure.verified)
    }
}

impl Guide {
    pub fn builtin() -> Self {
        Self::from_toml(BUILTIN).expect("the shipped procedures are valid")
    }

    pub fn from_toml(text: &str) -> Result<Self, GuideError> {
        let file: File = toml::from_str(text).map_err(|e| GuideError::Toml(e.to_string()))?;
        for p in &file.procedure {
            if p.steps.is_empty() || p.source.trim().is_empty() || !p.materials.iter().any(|m| m.core) {
                return Err(GuideError::Invalid(format!("{}：须有步骤、来源和至少一项核心材料", p.code)));
            }
            for m in &p.materials {
                if let Some(bad) = m.only_for.iter().find(|f| Form::parse(f).is_none()) {
                    return Err(GuideError::Invalid(format!("{}：不认识的主体类型 {bad}", p.code)));
                }
            }
        }
        let guide = Guide { procedures: file.procedure };
        for code in ["establish", "change", "deregister", "food_license", "food_filing", "annual_report"] {
            if guide.procedure(code).is_none() {
                return Err(GuideError::Invalid(format!("缺少办事指引 {code}")));
            }
        }
        Ok(guide)
    }

    pub fn procedure(&self, code: &str) -> Option<&Procedure> {
        self.procedures.iter().find(|p| p.code == code)
    }

    /// The checklist for `answers` on `today`.
    pub fn checklist(&self, answers: Answers, today: Date) -> Checklist<'_> {
        let mut codes = match answers.matter {
            Matter::Open => vec!["establish"],
            Matter::Change => vec!["change"],
            Matter::Close => vec!["deregister"],
            Matter::AnnualReport => vec!["annual_report"],
        };
        if answers.matter == Matter::Open {
            match answers.food {
                Food::Prepared => codes.push("food_license"),
                Food::Prepackaged => codes.push("food_filing"),
                Food::None => {}
            }
        }
        let form = answers.form.code();
        let steps = codes
            .into_iter()
            .filter_map(|c| self.procedure(c))
            .map(|procedure| Step {
                procedure,
                materials: procedure
                    .materials
                    .iter()
                    .filter(|m| m.only_for.is_empty() || m.only_for.iter().any(|f| f == form))
                    .collect(),
            })
            .collect();
        let annual_window = (answers.matter == Matter::AnnualReport).then(|| {
            let end = Date::from_ymd(today.year(), 6, 30).expect("30 June exists");
            (today <= end, end)
        });
        Checklist { steps, annual_window }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn the_shipped_procedures_are_complete_and_unverified() {
        let g = Guide::builtin();
        assert_eq!(g.procedures.len(), 6);
        for p in &g.procedures {
            assert!(!p.verified, "{} is not checked against the official text", p.code);
            assert!(!p.source.is_empty() && !p.steps.is_empty() && !p.forms.is_empty());
        }
        let establish = g.procedure("establish").unwrap();
        assert!(establish.time_limit.contains("当场") && establish.time_limit.contains("3个工作日"));
        assert!(establish.one_time_notice);
        assert!(establish.photos.iter().any(|p| p.contains("不反光")));
        assert!(Guide::from_toml("[[procedure]]\ncode = \"x\"").is_err());
    }

    #[test]
    fn a_small_restaurant_selling_its_own_drinks_needs_a_licence() {
        let g = Guide::builtin();
        let a = Answers::from_words("我要开一家小餐馆，只卖自制饮品");
        assert_eq!(a, Answers { matter: Matter::Open, form: Form::Individual, food: Food::Prepared });
        let list = g.checklist(a, day("2026-11-16"));
        assert_eq!(list.codes(), ["establish", "food_license"]);
        let names: Vec<&str> = list.steps[0].materials.iter().map(|m| m.name.as_str()).collect();
        assert!(names.contains(&"经营者本人身份证件") && !names.iter().any(|n| n.contains("章程")), "{names:?}");
        assert!(list.steps[1].materials.iter().any(|m| !m.core), "some materials may come later");
        assert!(list.unverified());
        assert_eq!(list.annual_window, None);
    }

    #[test]
    fn pre_packaged_food_only_needs_a_filing_and_a_hardware_shop_neither() {
        let g = Guide::builtin();
        let shop = Answers::from_words("开个小超市，只卖预包装食品");
        assert_eq!(g.checklist(shop, day("2026-11-16")).codes(), ["establish", "food_filing"]);
        let hardware = Answers::from_words("我想开一家五金店");
        assert_eq!(g.checklist(hardware, day("2026-11-16")).codes(), ["establish"]);
        let company = Answers::from_words("开一家奶茶有限公司");
        let list = g.checklist(company, day("2026-11-16"));
        assert_eq!(list.codes(), ["establish", "food_license"]);
        assert!(list.steps[0].materials.iter().any(|m| m.name.contains("章程")));
        assert_eq!(g.checklist(Answers::from_words("公司要注销"), day("2026-11-16")).codes(), ["deregister"]);
        let change = Answers { matter: Matter::Change, form: Form::Individual, food: Food::Prepared };
        assert_eq!(g.checklist(change, day("2026-11-16")).codes(), ["change"], "food only for opening");
    }

    #[test]
    fn the_annual_report_window_is_1_january_to_30_june() {
        let g = Guide::builtin();
        let a = Answers::from_words("年报怎么报");
        assert_eq!(a.matter, Matter::AnnualReport);
        assert_eq!(g.checklist(a, day("2026-06-30")).annual_window, Some((true, day("2026-06-30"))));
        assert_eq!(g.checklist(a, day("2026-01-01")).annual_window, Some((true, day("2026-06-30"))));
        assert_eq!(g.checklist(a, day("2026-07-01")).annual_window, Some((false, day("2026-06-30"))));
    }
}
