//! Validated identifiers: 统一社会信用代码 (GB 32100), GB/T 2260 region codes, user names.

use crate::FieldError;
use serde::Serialize;
use std::fmt;

/// The 31 symbols of GB 32100, in value order (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// 统一社会信用代码: 18 symbols, the last a check character over the first 17 (GB 32100-2015).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

impl Uscc {
    pub const FIELD: &'static str = "uscc";

    /// Parses a code, accepting lower case and surrounding spaces; anything else is an error.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_ascii_uppercase();
        let err = |code, msg: &str| Err(FieldError::new(Self::FIELD, code, msg));
        if s.chars().count() != 18 {
            return err("bad_length", "统一社会信用代码应为18位");
        }
        let mut values = Vec::with_capacity(18);
        for b in s.bytes() {
            match USCC_ALPHABET.iter().position(|&c| c == b) {
                Some(v) => values.push(v as u32),
                None => {
                    return err(
                        "bad_char",
                        "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）",
                    );
                }
            }
        }
        if !s.as_bytes()[2..8].iter().all(u8::is_ascii_digit) {
            return err("bad_region", "统一社会信用代码第3至8位应为行政区划代码数字");
        }
        if values[17] != uscc_check_value(&values[..17]) {
            return err("bad_check_char", "统一社会信用代码校验位不正确，请核对");
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends the check character to 17 valid symbols (used by generators and tests).
    pub fn with_check_char(first17: &str) -> Option<Self> {
        let values: Option<Vec<u32>> = first17
            .bytes()
            .map(|b| USCC_ALPHABET.iter().position(|&c| c == b).map(|v| v as u32))
            .collect();
        let values = values.filter(|v| v.len() == 17)?;
        let check = USCC_ALPHABET[uscc_check_value(&values) as usize] as char;
        Some(Self(format!("{first17}{check}")))
    }
}

fn uscc_check_value(values: &[u32]) -> u32 {
    let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    (31 - sum % 31) % 31
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A GB/T 2260 administrative-division code: six digits, a known province prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct RegionCode(String);

/// Province-level prefixes of GB/T 2260.
const PROVINCES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

impl RegionCode {
    pub const FIELD: &'static str = "region_code";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                Self::FIELD,
                "bad_format",
                "行政区划代码应为6位数字",
            ));
        }
        let province: u8 = s[..2].parse().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(FieldError::new(
                Self::FIELD,
                "unknown_province",
                "行政区划代码的省级部分不存在",
            ));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when `self` lies inside `other` (a prefix match on the non-zero part of `other`).
    pub fn is_within(&self, other: &RegionCode) -> bool {
        let prefix = other.0.trim_end_matches("00");
        self.0.starts_with(prefix)
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A login name: 3–32 characters of ASCII letters, digits, `.`, `_`, `-`; stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub const FIELD: &'static str = "username";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_ascii_lowercase();
        if !(3..=32).contains(&s.len()) {
            return Err(FieldError::new(
                Self::FIELD,
                "bad_length",
                "用户名长度应为3至32个字符",
            ));
        }
        if !s
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return Err(FieldError::new(
                Self::FIELD,
                "bad_char",
                "用户名只能包含英文字母、数字以及 . _ -",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uscc_accepts_known_valid_code() {
        let c = Uscc::parse(" 91110000600037341l ").unwrap();
        assert_eq!(c.as_str(), "91110000600037341L");
    }

    #[test]
    fn uscc_rejects_wrong_check_char_and_forbidden_letters() {
        assert_eq!(
            Uscc::parse("91110000600037341M").unwrap_err().code,
            "bad_check_char"
        );
        assert_eq!(
            Uscc::parse("9111000060003734IL").unwrap_err().code,
            "bad_char"
        );
        assert_eq!(Uscc::parse("9111").unwrap_err().code, "bad_length");
    }

    #[test]
    fn uscc_check_char_round_trips() {
        let c = Uscc::with_check_char("91110000600037341").unwrap();
        assert_eq!(c.as_str(), "91110000600037341L");
        assert!(Uscc::parse(c.as_str()).is_ok());
    }

    #[test]
    fn region_codes() {
        assert!(RegionCode::parse("320500").is_ok());
        assert_eq!(RegionCode::parse("99x000").unwrap_err().code, "bad_format");
        assert_eq!(
            RegionCode::parse("990000").unwrap_err().code,
            "unknown_province"
        );
        let city = RegionCode::parse("320500").unwrap();
        let district = RegionCode::parse("320508").unwrap();
        assert!(district.is_within(&city));
        assert!(!city.is_within(&district));
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin.Li ").unwrap().as_str(), "admin.li");
        assert_eq!(Username::parse("ab").unwrap_err().code, "bad_length");
        assert_eq!(Username::parse("张三丰").unwrap_err().code, "bad_char");
    }
}
