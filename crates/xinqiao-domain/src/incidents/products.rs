//! Products named in an incident by GTIN and batch (GS1 AI 01 and 10), validated so that a later
//! link to the ledger's batch tracing can match them exactly.

use crate::FieldError;
use serde::Serialize;
use std::fmt;

/// A GTIN-8, -12, -13 or -14 with a correct GS1 check digit, kept as GTIN-14 (zero-padded).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Gtin(String);

impl Gtin {
    pub const FIELD: &'static str = "gtin";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(Self::FIELD, "bad_char", "商品条码（GTIN）只能由数字组成"));
        }
        if ![8, 12, 13, 14].contains(&s.len()) {
            return Err(FieldError::new(Self::FIELD, "bad_length", "商品条码（GTIN）应为8、12、13或14位数字"));
        }
        let padded = format!("{s:0>14}");
        let digits: Vec<u32> = padded.bytes().map(|b| u32::from(b - b'0')).collect();
        if digits[13] != check_digit(&digits[..13]) {
            return Err(FieldError::new(Self::FIELD, "bad_check_digit", "商品条码（GTIN）校验位不正确，请核对"));
        }
        Ok(Self(padded))
    }

    /// The GTIN-14 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown as printed on the pack: GTIN-13 when the indicator digit is 0.
        f.write_str(self.0.strip_prefix('0').unwrap_or(&self.0))
    }
}

/// The GS1 mod-10 check digit over the digits before it (weights 3 and 1 from the right).
pub fn check_digit(body: &[u32]) -> u32 {
    let sum: u32 = body.iter().rev().enumerate().map(|(i, d)| if i % 2 == 0 { d * 3 } else { *d }).sum();
    (10 - sum % 10) % 10
}

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
    fn gtin_check_digits() {
        // GS1's own example GTIN-13 and its GTIN-14 form.
        assert_eq!(Gtin::parse("6901234567892").unwrap().as_str(), "06901234567892");
        assert_eq!(Gtin::parse(" 06901234567892 ").unwrap().to_string(), "6901234567892");
        assert_eq!(Gtin::parse("6901234567893").unwrap_err().code, "bad_check_digit");
        assert_eq!(Gtin::parse("96385074").unwrap().as_str(), "00000096385074", "GTIN-8");
        assert_eq!(Gtin::parse("036000291452").unwrap().as_str(), "00036000291452", "UPC-A");
        assert_eq!(Gtin::parse("690123456789").unwrap_err().code, "bad_check_digit");
        assert_eq!(Gtin::parse("69012345678").unwrap_err().code, "bad_length");
        assert_eq!(Gtin::parse("69012345678９2").unwrap_err().code, "bad_char");
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
