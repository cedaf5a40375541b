//! Validated identifiers: 统一社会信用代码 (GB 32100), GB/T 2260 region codes, user names.

use crate::FieldError;
use serde::Serialize;
use std::fmt;

/// The 31 symbols of GB 32100, in value order (no I, O, S, V, Z).
const USCC_ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

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
                    return err("bad_char", "统一社会信用代码含有不允许的字符（不使用 I、O、S、V、Z）");
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
        let values: Option<Vec<u32>> =
            first17.bytes().map(|b| USCC_ALPHABET.iter().position(|&c| c == b).map(|v| v as u32)).collect();
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
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63,
    64, 65, 71, 81, 82,
];

impl RegionCode {
    pub const FIELD: &'static str = "region_code";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(Self::FIELD, "bad_format", "行政区划代码应为6位数字"));
        }
        let province: u8 = s[..2].parse().unwrap_or(0);
        if !PROVINCES.contains(&province) {
            return Err(FieldError::new(Self::FIELD, "unknown_province", "行政区划代码的省级部分不存在"));
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
            return Err(FieldError::new(Self::FIELD, "bad_length", "用户名长度应为3至32个字符"));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-')) {
            return Err(FieldError::new(Self::FIELD, "bad_char", "用户名只能包含英文字母、数字以及 . _ -"));
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

/// 身份证号 (GB 11643): 17 digits and a check character (18-digit form); the 15-digit legacy form
/// is accepted and kept as given.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct IdNumber(String);

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

/// The GB 11643 check character of 17 ASCII digits.
pub fn id_check_char(first17: &[u8]) -> u8 {
    let sum: u32 = first17.iter().zip(ID_WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    ID_CHECK[(sum % 11) as usize]
}

fn valid_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn num(s: &[u8]) -> u32 {
    s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'))
}

/// A valid 18-character number: known province, real birth date, right check character.
pub fn valid_id18(first17: &[u8], check: u8) -> bool {
    first17.len() == 17
        && first17.iter().all(u8::is_ascii_digit)
        && PROVINCES.contains(&(num(&first17[..2]) as u8))
        && (1900..=2099).contains(&num(&first17[6..10]))
        && valid_date(num(&first17[6..10]), num(&first17[10..12]), num(&first17[12..14]))
        && id_check_char(first17) == check
}

/// A valid 15-digit legacy number (no check character; two-digit birth year).
pub fn valid_id15(d: &[u8]) -> bool {
    d.len() == 15
        && d.iter().all(u8::is_ascii_digit)
        && PROVINCES.contains(&(num(&d[..2]) as u8))
        && valid_date(1900 + num(&d[6..8]), num(&d[8..10]), num(&d[10..12]))
}

impl IdNumber {
    pub const FIELD: &'static str = "id_number";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s: String = input.trim().chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let b = s.as_bytes();
        let ok = match b.len() {
            18 => valid_id18(&b[..17], b[17]),
            15 => valid_id15(b),
            _ => {
                return Err(FieldError::new(Self::FIELD, "bad_length", "身份证号应为18位（或旧版15位）"));
            }
        };
        if ok {
            Ok(Self(s))
        } else {
            Err(FieldError::new(Self::FIELD, "invalid", "身份证号无效，请核对校验位和出生日期"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdNumber(***)")
    }
}

/// A mainland mobile number, stored as its 11 digits. Accepts +86/0086, spaces, dashes and
/// full-width digits as people type them.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Mobile(String);

impl Mobile {
    pub const FIELD: &'static str = "mobile";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits: String = input
            .chars()
            .map(|c| if ('０'..='９').contains(&c) { char::from_u32(c as u32 - 0xFEE0).unwrap_or(c) } else { c })
            .filter(|c| !matches!(c, ' ' | '-' | '+' | '(' | ')'))
            .collect();
        let core = digits
            .strip_prefix("0086")
            .or_else(|| digits.strip_prefix("86").filter(|d| d.len() == 11))
            .unwrap_or(&digits);
        let b = core.as_bytes();
        if b.len() == 11 && b.iter().all(u8::is_ascii_digit) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1]) {
            Ok(Self(core.to_owned()))
        } else {
            Err(FieldError::new(Self::FIELD, "invalid", "手机号应为以1开头的11位数字"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Mobile(***)")
    }
}

/// A GB/T 4754-2017 section (门类), A to T.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Industry(char);

const INDUSTRIES: [(char, &str); 20] = [
    ('A', "农、林、牧、渔业"),
    ('B', "采矿业"),
    ('C', "制造业"),
    ('D', "电力、热力、燃气及水生产和供应业"),
    ('E', "建筑业"),
    ('F', "批发和零售业"),
    ('G', "交通运输、仓储和邮政业"),
    ('H', "住宿和餐饮业"),
    ('I', "信息传输、软件和信息技术服务业"),
    ('J', "金融业"),
    ('K', "房地产业"),
    ('L', "租赁和商务服务业"),
    ('M', "科学研究和技术服务业"),
    ('N', "水利、环境和公共设施管理业"),
    ('O', "居民服务、修理和其他服务业"),
    ('P', "教育"),
    ('Q', "卫生和社会工作"),
    ('R', "文化、体育和娱乐业"),
    ('S', "公共管理、社会保障和社会组织"),
    ('T', "国际组织"),
];

impl Industry {
    pub const FIELD: &'static str = "industry";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim().to_ascii_uppercase();
        let mut cs = s.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) if INDUSTRIES.iter().any(|(k, _)| *k == c) => Ok(Self(c)),
            _ => Err(FieldError::new(Self::FIELD, "invalid", "行业应为国民经济行业分类（GB/T 4754）门类 A 至 T")),
        }
    }

    pub fn all() -> impl Iterator<Item = (char, &'static str)> {
        INDUSTRIES.iter().copied()
    }

    pub fn code(self) -> char {
        self.0
    }

    pub fn label(self) -> &'static str {
        INDUSTRIES.iter().find(|(k, _)| *k == self.0).map_or("", |(_, l)| l)
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
        assert_eq!(Uscc::parse("91110000600037341M").unwrap_err().code, "bad_check_char");
        assert_eq!(Uscc::parse("9111000060003734IL").unwrap_err().code, "bad_char");
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
        assert_eq!(RegionCode::parse("990000").unwrap_err().code, "unknown_province");
        let city = RegionCode::parse("320500").unwrap();
        let district = RegionCode::parse("320508").unwrap();
        assert!(district.is_within(&city));
        assert!(!city.is_within(&district));
    }

    #[test]
    fn id_numbers() {
        assert_eq!(IdNumber::parse("11010519491231002x").unwrap().as_str(), "11010519491231002X");
        assert!(IdNumber::parse("360426199101010071").is_ok());
        assert_eq!(IdNumber::parse("360426199101010072").unwrap_err().code, "invalid");
        assert_eq!(IdNumber::parse("360426199102300071").unwrap_err().code, "invalid", "no 30 February");
        assert!(IdNumber::parse("110105491231002").is_ok());
        assert_eq!(IdNumber::parse("12345").unwrap_err().code, "bad_length");
        assert_eq!(format!("{:?}", IdNumber::parse("360426199101010071").unwrap()), "IdNumber(***)");
    }

    #[test]
    fn mobiles_and_industries() {
        for typed in ["13812345678", "138 1234 5678", "+86 138-1234-5678", "008613812345678", "１３８１２３４５６７８"]
        {
            assert_eq!(Mobile::parse(typed).unwrap().as_str(), "13812345678", "{typed}");
        }
        assert!(Mobile::parse("12812345678").is_err());
        assert!(Mobile::parse("1381234567").is_err());
        assert_eq!(Industry::parse("h").unwrap().label(), "住宿和餐饮业");
        assert!(Industry::parse("Z").is_err());
        assert_eq!(Industry::all().count(), 20);
    }

    #[test]
    fn usernames() {
        assert_eq!(Username::parse(" Admin.Li ").unwrap().as_str(), "admin.li");
        assert_eq!(Username::parse("ab").unwrap_err().code, "bad_length");
        assert_eq!(Username::parse("张三丰").unwrap_err().code, "bad_char");
    }
}
