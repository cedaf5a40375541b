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

    /// Parses a code as people type it: lower case, full-width characters, and spaces or hyphens
    /// between groups are normalised (issue 24; what was stored is shown back). The structure is
    /// checked as well as the check character: position 1 is the registering authority (1–9, A,
    /// N, Y), position 2 the entity type (a digit), positions 3–8 a GB/T 2260 region code (100000
    /// for the central level).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = compact(input);
        let err = |code, msg: &str| Err(FieldError::new(Self::FIELD, code, msg));
        let mut values = Vec::with_capacity(18);
        for b in s.chars() {
            match USCC_ALPHABET.iter().position(|&c| u32::from(c) == u32::from(b)) {
                Some(v) => values.push(v as u32),
                None => {
                    return err(
                        "bad_char",
                        "统一社会信用代码含有不允许的字符（只能是数字和大写字母，不使用 I、O、S、V、Z）",
                    );
                }
            }
        }
        if values.len() != 18 {
            return err("bad_length", "统一社会信用代码应为18位");
        }
        let b = s.as_bytes();
        if !uscc_authority(b[0]) {
            return err("bad_authority", "统一社会信用代码第1位（登记管理部门）应为1至9或A、N、Y");
        }
        if !b[1].is_ascii_digit() {
            return err("bad_entity_type", "统一社会信用代码第2位（机构类别）应为数字");
        }
        if !uscc_region(&b[2..8]) {
            return err("bad_region", "统一社会信用代码第3至8位应为行政区划代码");
        }
        if values[17] != uscc_check_value(&values[..17]) {
            return err("bad_check_char", "统一社会信用代码校验位不正确，请核对");
        }
        Ok(Self(s))
    }

    /// A code read back from storage: it was validated when it was written, under the rules then
    /// in force, so only its form (18 symbols of the alphabet, as stored) is checked again — a rule
    /// tightened later (issue 24's region list) never makes stored rows unreadable.
    pub fn stored(s: &str) -> Result<Self, FieldError> {
        if s.len() == 18 && s.bytes().all(|b| USCC_ALPHABET.contains(&b)) {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(Self::FIELD, "bad_stored", "保存的统一社会信用代码格式不正确"))
        }
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

/// An identifier as typed, normalised: full-width characters to ASCII, spaces (also the
/// ideographic space) and hyphens between groups removed, upper case.
fn compact(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .filter(|c| !matches!(c, ' ' | '-' | '\t'))
        .collect::<String>()
        .to_ascii_uppercase()
}

/// Position 1 of a 统一社会信用代码: the registering authority (GB 32100: 1–9, A, N, Y).
fn uscc_authority(b: u8) -> bool {
    matches!(b, b'1'..=b'9' | b'A' | b'N' | b'Y')
}

/// Positions 3–8 of a 统一社会信用代码: a GB/T 2260 code of `data/regions/regions.txt` (province,
/// prefecture or county level; 100000 for bodies registered at the central level), or a county
/// part under a listed prefecture: registration authorities of development zones number their
/// codes under the prefecture (320594, Suzhou Industrial Park), and a code issued before a
/// district was merged or renamed stays on the licence.
fn uscc_region(r: &[u8]) -> bool {
    crate::region_list::listed(r) || r.len() == 6 && crate::region_list::listed(&[r[0], r[1], r[2], r[3], b'0', b'0'])
}

/// Whether 18 ASCII symbols have the structure of a 统一社会信用代码 (authority, entity type,
/// region, alphabet), whatever their check character: how text decides what a code is.
pub fn uscc_structure(s: &[u8]) -> bool {
    s.len() == 18
        && uscc_authority(s[0].to_ascii_uppercase())
        && s[1].is_ascii_digit()
        && uscc_region(&s[2..8])
        && s.iter().all(|b| USCC_ALPHABET.contains(&b.to_ascii_uppercase()))
}

/// Whether 18 ASCII symbols are a valid 统一社会信用代码: structure and check character.
pub fn valid_uscc(s: &[u8]) -> bool {
    if !uscc_structure(s) {
        return false;
    }
    let values: Vec<u32> = s
        .iter()
        .filter_map(|b| USCC_ALPHABET.iter().position(|c| *c == b.to_ascii_uppercase()).map(|v| v as u32))
        .collect();
    values[17] == uscc_check_value(&values[..17])
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

/// Positions 1–2 of a 身份证号: a province of GB/T 2260, or 83 (the residence permits of Taiwan
/// residents, numbered like IDs; 81 and 82 serve Hong Kong and Macau).
fn id_province(p: u32) -> bool {
    p == 83 || PROVINCES.iter().any(|&q| u32::from(q) == p)
}

/// The birth date of 17 leading ID digits (positions 7–14), when it is a real date from 1800 on.
pub fn id18_birth(first17: &[u8]) -> Option<(u32, u32, u32)> {
    if first17.len() < 14 || !first17[..14].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (y, m, d) = (num(&first17[6..10]), num(&first17[10..12]), num(&first17[12..14]));
    ((1800..=2099).contains(&y) && valid_date(y, m, d)).then_some((y, m, d))
}

/// Whether 17 ASCII digits have the structure of an 18-digit 身份证号 (a known province and a real
/// birth date), whatever the check character: how text decides what a number is. The check
/// character decides only whether the number was typed correctly.
pub fn id18_structure(first17: &[u8]) -> bool {
    first17.len() == 17
        && first17.iter().all(u8::is_ascii_digit)
        && id_province(num(&first17[..2]))
        && id18_birth(first17).is_some()
}

/// A valid 18-character number: known province, real birth date (1800 or later), right check
/// character (`X` upper case). Whether the birth date lies in the past is `IdNumber::parse_on`'s
/// business: it needs today's date.
pub fn valid_id18(first17: &[u8], check: u8) -> bool {
    id18_structure(first17) && id_check_char(first17) == check
}

/// A valid 15-digit legacy number (no check character; two-digit birth year).
pub fn valid_id15(d: &[u8]) -> bool {
    d.len() == 15
        && d.iter().all(u8::is_ascii_digit)
        && id_province(num(&d[..2]))
        && valid_date(1900 + num(&d[6..8]), num(&d[8..10]), num(&d[10..12]))
}

impl IdNumber {
    pub const FIELD: &'static str = "id_number";

    /// Parses a number without knowing today's date: structure, birth date and check character.
    /// Prefer `parse_on`, which also refuses a birth date after today.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        Self::parse_checked(input, None)
    }

    /// Parses a number typed on `today`: as `parse`, and a birth date after today is refused.
    pub fn parse_on(input: &str, today: crate::calendar::Date) -> Result<Self, FieldError> {
        Self::parse_checked(input, Some(today))
    }

    fn parse_checked(input: &str, today: Option<crate::calendar::Date>) -> Result<Self, FieldError> {
        let err = |code, msg: &str| Err(FieldError::new(Self::FIELD, code, msg));
        // As typed: spaces or hyphens between groups, full-width digits, a small x (issue 24).
        let s = compact(input);
        let b = s.as_bytes();
        let allowed = |(i, c): (usize, &u8)| c.is_ascii_digit() || (*c == b'X' && i + 1 == b.len());
        if !b.iter().enumerate().all(allowed) {
            return err("bad_char", "身份证号含有不允许的字符（只能是数字，最后一位可以是X）");
        }
        let (ok, birth) = match b.len() {
            18 => (valid_id18(&b[..17], b[17]), id18_birth(&b[..17])),
            15 => (valid_id15(b), Some((1900 + num(&b[6..8]), num(&b[8..10]), num(&b[10..12])))),
            _ => return err("bad_length", "身份证号应为18位（或旧版15位）"),
        };
        if !ok {
            return err("invalid", "身份证号无效，请核对校验位和出生日期");
        }
        let born = birth.and_then(|(y, m, d)| crate::calendar::Date::from_ymd(i64::from(y), m, d));
        if let (Some(today), Some(born)) = (today, born)
            && born > today
        {
            return err("future_birth", "身份证号中的出生日期晚于今天，请核对");
        }
        Ok(Self(s))
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
mod tests;
