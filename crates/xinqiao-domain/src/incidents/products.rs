//! Products named in an incident by GTIN and batch (GS1 AI 01 and 10), validated so that a later
//! link to the ledger's batch tracing can match them exactly.

use crate::FieldError;
use serde::Serialize;

/// The one GTIN type of the platform, the ledger's: GTIN-8/12/13/14 with its check digit, kept
/// as GTIN-14, so an incident's product and the ledger's lines name a product the same way.
pub use crate::ledger::Gtin;

/// A batch or lot number (GS1 AI 10): 1–20 characters of GS1 character set 82.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Batch(String);

impl Batch {
    pub const FIELD: &'static str = "batch";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.is_empty() || s.chars().count() > 20 {
            return Err(FieldError::new(Self::FIELD, "bad_length", "批号应为1至20个字符"));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || b"!\"%&'()*+,-./:;<=>?_".contains(&b)) {
            return Err(FieldError::new(
                Self::FIELD,
                "bad_char",
                "批号只能包含字母、数字和 GS1 允许的符号（不含空格和中文）",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A product involved in an incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub gtin: Gtin,
    pub batch: Batch,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_product_names_a_gtin_as_the_ledger_does() {
        // GS1's own example GTIN-13 and its GTIN-14 form; GTIN-8 and UPC-A padded the same way.
        let g = Gtin::parse(" 6901234567892 ").unwrap();
        assert_eq!(g.as_str(), "06901234567892");
        assert_eq!(g, crate::ledger::Gtin::parse("06901234567892").unwrap(), "one type, one form");
        assert_eq!(g.short(), "6901234567892");
        assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074", "GTIN-8");
        assert_eq!(Gtin::parse("036000291452").unwrap().as_str(), "00036000291452", "UPC-A");
        assert_eq!(Gtin::parse("6901234567893").unwrap_err().code(), "bad_check_digit");
        assert_eq!(Gtin::parse("690123456789").unwrap_err().code(), "bad_check_digit");
        assert_eq!(Gtin::parse("69012345678").unwrap_err().code(), "bad_length");
        assert_eq!(Gtin::parse("69012345678９2").unwrap_err().code(), "not_digits");
        let e = Gtin::parse("6901234567893").unwrap_err().field(Gtin::FIELD);
        assert_eq!((e.field, e.code), ("gtin", "bad_check_digit"));
    }

    #[test]
    fn batches() {
        assert_eq!(Batch::parse("L20261201-A").unwrap().as_str(), "L20261201-A");
        assert_eq!(Batch::parse("").unwrap_err().code, "bad_length");
        assert_eq!(Batch::parse("A".repeat(21).as_str()).unwrap_err().code, "bad_length");
        assert_eq!(Batch::parse("批次1").unwrap_err().code, "bad_char");
        assert_eq!(Batch::parse("A B").unwrap_err().code, "bad_char");
    }
}
