//! Public statements about an incident: the draft (facts, measures, the time of the next
//! update) and the checks before publication — no unmasked personal data (the privacy detector,
//! knowing the enterprise's own name) and none of the enterprise's declared trade secrets (terms
//! and figures, matched ignoring spaces, width and digit grouping).

use crate::FieldError;
use crate::privacy::Detector;

pub const MAX_PART_CHARS: usize = 5000;

/// A statement as drafted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementDraft {
    pub facts: String,
    pub measures: String,
    /// When the public will hear next (epoch ms).
    pub next_update_at_ms: Option<i64>,
}

impl StatementDraft {
    pub fn new(
        facts: &str,
        measures: &str,
        next_update_at_ms: Option<i64>,
        now_ms: i64,
    ) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (facts, measures) = (facts.trim(), measures.trim());
        if facts.is_empty() {
            errors.push(FieldError::new("facts", "required", "请写明已查明的事实"));
        }
        for (field, text) in [("facts", facts), ("measures", measures)] {
            if text.chars().count() > MAX_PART_CHARS {
                errors.push(FieldError::new(field, "too_long", format!("每部分不能超过{MAX_PART_CHARS}个字")));
            }
        }
        if next_update_at_ms.is_some_and(|t| t <= now_ms) {
            errors.push(FieldError::new("next_update_at", "in_past", "下次更新时间应晚于现在"));
        }
        if errors.is_empty() {
            Ok(Self { facts: facts.to_owned(), measures: measures.to_owned(), next_update_at_ms })
        } else {
            Err(errors)
        }
    }

    /// Everything the public will read, for the checks.
    pub fn text(&self) -> String {
        format!("{}\n{}", self.facts, self.measures)
    }
}

/// Why a statement may not be published yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("含有未遮盖的个人信息（{kind}）：“{text}”")]
    PersonalData { kind: &'static str, text: String },
    #[error("含有企业申报的商业秘密：“{term}”")]
    TradeSecret { term: String },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::PersonalData { .. } => "personal_data",
            Refusal::TradeSecret { .. } => "trade_secret",
        }
    }
}

/// Text folded for matching declared secrets: full-width to ASCII, lower case, without spaces
/// and digit-group separators (so “12,800 元”, “12800元” and “１２８００元” all match).
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .filter(|c| !c.is_whitespace() && *c != ',' && *c != '\u{3000}')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A declared secret as stored: trimmed, 2–100 characters.
pub fn secret_term(input: &str) -> Result<String, FieldError> {
    let s = input.trim();
    let n = fold(s).chars().count();
    if !(2..=100).contains(&n) {
        return Err(FieldError::new("term", "bad_length", "商业秘密条目应为2至100个字（数字可含千分位）"));
    }
    Ok(s.to_owned())
}

/// Every reason `text` may not be published: unmasked personal data (the enterprise's own name
/// is not personal data) and each declared secret that appears, named.
pub fn check_publication(detector: &Detector, text: &str, enterprise: &str, secrets: &[String]) -> Vec<Refusal> {
    let mut refusals: Vec<Refusal> = detector
        .detect_for(text, &[enterprise])
        .into_iter()
        .map(|s| Refusal::PersonalData { kind: s.kind.label(), text: s.text })
        .collect();
    let folded = fold(text);
    for term in secrets {
        let t = fold(term);
        if !t.is_empty() && folded.contains(&t) {
            refusals.push(Refusal::TradeSecret { term: term.clone() });
        }
    }
    refusals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_validated() {
        assert!(StatementDraft::new("经查，异物为塑料片。", "", Some(2_000), 1_000).is_ok());
        let errs = StatementDraft::new(" ", &"长".repeat(MAX_PART_CHARS + 1), Some(500), 1_000).unwrap_err();
        let codes: Vec<&str> = errs.iter().map(|e| e.code).collect();
        assert_eq!(codes, ["required", "too_long", "in_past"]);
    }

    #[test]
    fn secrets_match_across_spacing_width_and_grouping() {
        assert_eq!(fold("日销 12,800 元"), "日销12800元");
        assert_eq!(fold("ＡＢＣ配方"), "abc配方");
        assert!(secret_term(" 1 ").is_err());
        assert_eq!(secret_term(" 糖浆配比 ").unwrap(), "糖浆配比");
    }

    #[test]
    fn publication_is_refused_for_a_secret_or_an_unmasked_name() {
        let detector = Detector::new();
        let secrets = vec!["糖浆配比".to_owned(), "12,800".to_owned()];
        let clean = "经查，示例奶茶店一名员工操作时掉落的塑料片混入饮品。我局已封存同批次原料，责令整改。";
        assert_eq!(check_publication(&detector, clean, "示例奶茶店", &secrets), vec![]);
        let leaky = "该店日销售额约１２８００元，糖浆配比已记录在案。";
        let refused = check_publication(&detector, leaky, "示例奶茶店", &secrets);
        assert_eq!(
            refused,
            vec![Refusal::TradeSecret { term: "糖浆配比".into() }, Refusal::TradeSecret { term: "12,800".into() }]
        );
        assert_eq!(refused[0].to_string(), "含有企业申报的商业秘密：“糖浆配比”");
        let named = "投诉人张伟反映，联系电话13812345678。";
        let refused = check_publication(&detector, named, "示例奶茶店", &[]);
        assert!(refused.iter().any(|r| matches!(r, Refusal::PersonalData { text, .. } if text == "13812345678")));
        assert!(refused.iter().any(|r| matches!(r, Refusal::PersonalData { text, .. } if text.contains("张伟"))));
        assert!(refused.iter().all(|r| r.code() == "personal_data"));
    }
}
