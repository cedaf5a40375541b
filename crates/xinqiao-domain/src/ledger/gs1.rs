//! GS1 identification (GB 12904 / GB/T 16986, GS1 General Specifications): GTIN check digits and
//! the element strings read from GS1-128, GS1 DataMatrix and GS1 QR symbols.
//!
//! Three forms are read: a bare GTIN-8/12/13/14 (an EAN-13 carries nothing else), the
//! human-readable form `(01)06901234567892(10)A1(17)271200`, and what a scanner transmits: the
//! AIs run together, a variable-length field ended by FNC1 (transmitted as GS, 0x1D) unless it is
//! the last one, optionally after a symbology identifier (`]C1` GS1-128, `]d2` GS1 DataMatrix,
//! `]Q3` GS1 QR Code, `]e0` GS1 DataBar; `]E0`/`]E4` EAN-13/EAN-8 carry a bare GTIN).

use super::gs1_facts::{Gs1Facts, Kind, Spec};
use crate::FieldError;
use crate::calendar::Date;
use crate::time::{civil_from_days, days_from_civil};
use serde::Serialize;
use std::fmt;

/// The group separator a scanner transmits for FNC1.
pub const GS: char = '\u{1d}';

/// Why a string is not a usable GS1 code. Messages are Chinese and name what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Gs1Error {
    #[error("条码内容为空")]
    Empty,
    #[error("商品条码只能由数字组成")]
    NotDigits,
    #[error("商品条码应为 8、12、13 或 14 位数字，实为 {0} 位")]
    BadLength(usize),
    #[error("商品条码校验位错误：按前面的数字应为 {expected}，条码上是 {found}，请核对")]
    BadCheckDigit { expected: u8, found: u8 },
    #[error("不认识的应用标识符（AI）{0}")]
    UnknownAi(String),
    #[error("应用标识符（{0}）后的数据不完整")]
    Truncated(&'static str),
    #[error("应用标识符（{ai}）的日期 {value} 无效（格式为 YYMMDD）")]
    BadDate { ai: &'static str, value: String },
    #[error("应用标识符（{0}）的数据含有 GS1 不允许的字符")]
    BadChar(&'static str),
    #[error("应用标识符（{ai}）的数据过长，最多 {max} 个字符")]
    TooLong { ai: &'static str, max: usize },
    #[error("应用标识符（{0}）的数据为空")]
    EmptyField(&'static str),
    #[error("应用标识符（{0}）只能是数字")]
    NotNumeric(&'static str),
    #[error("应用标识符（{0}）重复出现")]
    Repeated(&'static str),
    #[error("应用标识符（{0}）必须与商品条码（01）一起出现")]
    MissingGtin(&'static str),
    #[error("条码格式有误：{0}")]
    Malformed(&'static str),
}

impl Gs1Error {
    /// A stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            Gs1Error::Empty => "empty",
            Gs1Error::NotDigits => "not_digits",
            Gs1Error::BadLength(_) => "bad_length",
            Gs1Error::BadCheckDigit { .. } => "bad_check_digit",
            Gs1Error::UnknownAi(_) => "unknown_ai",
            Gs1Error::Truncated(_) => "truncated",
            Gs1Error::BadDate { .. } => "bad_date",
            Gs1Error::BadChar(_) => "bad_char",
            Gs1Error::TooLong { .. } => "too_long",
            Gs1Error::EmptyField(_) => "empty_field",
            Gs1Error::NotNumeric(_) => "not_numeric",
            Gs1Error::Repeated(_) => "repeated_ai",
            Gs1Error::MissingGtin(_) => "missing_gtin",
            Gs1Error::Malformed(_) => "malformed",
        }
    }

    /// The error reported against a form field.
    pub fn field(&self, field: &'static str) -> FieldError {
        FieldError::new(field, self.code(), self.to_string())
    }
}

/// The GS1 modulo-10 check digit of a run of digits (the key without its check digit): weights
/// 3 and 1 alternate from the rightmost digit (General Specifications 7.9.1).
pub fn check_digit(body: &[u8]) -> u8 {
    let sum: u32 =
        body.iter().rev().enumerate().map(|(i, d)| u32::from(d - b'0') * if i % 2 == 0 { 3 } else { 1 }).sum();
    ((10 - sum % 10) % 10) as u8
}

/// A Global Trade Item Number, kept in its 14-digit form (GTIN-8/12/13 right-aligned with leading
/// zeros), so the same product matches whether an EAN-13 or an AI (01) was scanned.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Gtin(String);

impl Gtin {
    pub const FIELD: &'static str = "gtin";

    /// Parses a GTIN-8, -12, -13 or -14 and checks its check digit.
    pub fn parse(input: &str) -> Result<Self, Gs1Error> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Gs1Error::Empty);
        }
        if !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Gs1Error::NotDigits);
        }
        if ![8, 12, 13, 14].contains(&s.len()) {
            return Err(Gs1Error::BadLength(s.len()));
        }
        let b = s.as_bytes();
        let expected = check_digit(&b[..b.len() - 1]);
        let found = b[b.len() - 1] - b'0';
        if expected != found {
            return Err(Gs1Error::BadCheckDigit { expected, found });
        }
        Ok(Gtin(format!("{s:0>14}")))
    }

    /// Completes a body of 7, 11, 12 or 13 digits with its check digit.
    pub fn with_check_digit(body: &str) -> Option<Self> {
        if ![7, 11, 12, 13].contains(&body.len()) || !body.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let d = check_digit(body.as_bytes());
        Gtin::parse(&format!("{body}{d}")).ok()
    }

    /// The 14-digit form (as AI 01 carries it).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The shortest usual form: GTIN-13 when the 14-digit form starts with 0, else GTIN-14.
    pub fn short(&self) -> &str {
        self.0.strip_prefix('0').unwrap_or(&self.0)
    }

    /// A GS1 China company prefix (690–699 in `data/gs1.toml`): registered with the Article
    /// Numbering Centre of China.
    pub fn is_china(&self) -> bool {
        self.0[1..4].parse().is_ok_and(|p| Gs1Facts::builtin().is_china_prefix(p))
    }
}

impl fmt::Display for Gtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a GS1 code says about one trade item. `gtin` is always present: every supported AI needs
/// AI (01) beside it, and a bare GTIN is a code of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElementString {
    pub gtin: Gtin,
    /// AI 10, batch or lot number.
    pub batch: Option<String>,
    /// AI 11.
    #[serde(serialize_with = "date_text")]
    pub production: Option<Date>,
    /// AI 15.
    #[serde(serialize_with = "date_text")]
    pub best_before: Option<Date>,
    /// AI 17.
    #[serde(serialize_with = "date_text")]
    pub expiry: Option<Date>,
    /// AI 21, serial number.
    pub serial: Option<String>,
    /// AI 30 (variable count of items) or 37 (count of trade items in a logistic unit).
    pub count: Option<u32>,
}

impl ElementString {
    pub fn new(gtin: Gtin) -> Self {
        ElementString {
            gtin,
            batch: None,
            production: None,
            best_before: None,
            expiry: None,
            serial: None,
            count: None,
        }
    }

    /// Reads any of the three forms (see the module's comment). Two-digit years are placed by the
    /// century rule of the General Specifications (7.12), relative to `today`.
    pub fn parse(input: &str, today: Date) -> Result<Self, Gs1Error> {
        let s = input.trim_matches(|c: char| c.is_whitespace());
        if s.is_empty() {
            return Err(Gs1Error::Empty);
        }
        let (gs1, body) = match s.get(..3) {
            Some("]C1" | "]d2" | "]Q3" | "]e0" | "]J1") => (true, &s[3..]),
            Some("]E0" | "]E4" | "]E3") => (false, &s[3..]),
            Some(p) if p.starts_with(']') => return Err(Gs1Error::Malformed("不是 GS1 条码的符号标识")),
            _ => (false, s),
        };
        if body.starts_with('(') {
            return parse_hri(body, today);
        }
        let body = body.trim_start_matches(GS);
        if !gs1 && body.len() <= 14 && body.bytes().all(|b| b.is_ascii_digit()) {
            return Gtin::parse(body).map(ElementString::new);
        }
        parse_raw(body, today)
    }

    /// The human-readable form, `(01)…(10)…`.
    pub fn to_hri(&self) -> String {
        self.fields().map(|(ai, v)| format!("({ai}){v}")).collect()
    }

    /// The transmitted form without symbology identifier: GS after each variable-length field that
    /// is not the last.
    pub fn to_raw(&self) -> String {
        let fields: Vec<_> = self.fields().collect();
        let mut out = String::new();
        for (i, (ai, v)) in fields.iter().enumerate() {
            out.push_str(ai);
            out.push_str(v);
            if spec(ai).is_some_and(|s| s.kind.is_variable()) && i + 1 < fields.len() {
                out.push(GS);
            }
        }
        out
    }

    fn fields(&self) -> impl Iterator<Item = (&'static str, String)> + '_ {
        let date = |d: &Option<Date>| d.map(yymmdd);
        [
            ("01", Some(self.gtin.0.clone())),
            ("11", date(&self.production)),
            ("15", date(&self.best_before)),
            ("17", date(&self.expiry)),
            ("10", self.batch.clone()),
            ("21", self.serial.clone()),
            ("30", self.count.map(|c| c.to_string())),
        ]
        .into_iter()
        .filter_map(|(ai, v)| v.map(|v| (ai, v)))
    }
}

/// A date as `YYYY-MM-DD` (null when absent) in JSON.
fn date_text<S: serde::Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_str(&d.to_string()),
        None => s.serialize_none(),
    }
}

/// A date as YYMMDD (never with DD = 00: a stored date is a real day).
fn yymmdd(d: Date) -> String {
    let (y, m, dd) = civil_from_days(d.0);
    format!("{:02}{m:02}{dd:02}", y.rem_euclid(100))
}

/// The AI's entry in the facts (`data/gs1.toml`).
fn spec(ai: &str) -> Option<&'static Spec> {
    Gs1Facts::builtin().spec(ai)
}

/// The GS1 AI encodable character set 82 (General Specifications 7.11, figure 7.11-1).
fn is_cset82(c: char) -> bool {
    c.is_ascii_alphanumeric() || "!\"%&'()*+,-./:;<=>?_".contains(c)
}

fn parse_hri(s: &str, today: Date) -> Result<ElementString, Gs1Error> {
    let mut fields = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let inner = rest.strip_prefix('(').ok_or(Gs1Error::Malformed("应用标识符应写在括号里，如 (01)"))?;
        let close = inner.find(')').ok_or(Gs1Error::Malformed("应用标识符的括号没有闭合"))?;
        let ai = &inner[..close];
        if !(2..=4).contains(&ai.len()) || !ai.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Gs1Error::Malformed("括号里应是 2 至 4 位数字的应用标识符"));
        }
        let after = &inner[close + 1..];
        // The value runs to the next "(NN)" that opens an AI; a batch may itself hold brackets.
        let end = next_hri_ai(after).unwrap_or(after.len());
        fields.push((ai, &after[..end]));
        rest = &after[end..];
    }
    assemble(fields, today)
}

fn next_hri_ai(s: &str) -> Option<usize> {
    s.match_indices('(').map(|(i, _)| i).find(|&i| {
        let t = &s[i + 1..];
        t.find(')').is_some_and(|c| {
            (2..=4).contains(&c) && t[..c].bytes().all(|b| b.is_ascii_digit()) && spec(&t[..c]).is_some()
        })
    })
}

fn parse_raw(s: &str, today: Date) -> Result<ElementString, Gs1Error> {
    let mut fields = Vec::new();
    if !s.is_ascii() {
        return Err(Gs1Error::Malformed("含有条码中不会出现的字符"));
    }
    let mut rest = s;
    while !rest.is_empty() {
        let ai = rest.get(..2).ok_or(Gs1Error::Malformed("末尾多出不完整的应用标识符"))?;
        let spec = spec(ai).ok_or_else(|| Gs1Error::UnknownAi(ai.chars().filter(char::is_ascii_graphic).collect()))?;
        let data = &rest[2..];
        let len = match spec.kind {
            Kind::Gtin => 14.min(data.len()),
            Kind::Date => 6.min(data.len()),
            Kind::Text(_) | Kind::Count(_) => data.find(GS).unwrap_or(data.len()),
        };
        fields.push((spec.ai.as_str(), &data[..len]));
        // A variable-length field ends at GS; a GS after a fixed-length one is tolerated (some
        // printers add one).
        rest = &data[len..];
        rest = rest.strip_prefix(GS).unwrap_or(rest);
    }
    assemble(fields, today)
}

fn assemble(fields: Vec<(&str, &str)>, today: Date) -> Result<ElementString, Gs1Error> {
    let mut gtin = None;
    let mut out = ElementString::new(Gtin(String::new()));
    let mut first_other: Option<&'static str> = None;
    let mut seen: Vec<&'static str> = Vec::new();
    for (ai, value) in fields {
        let spec = spec(ai).ok_or_else(|| Gs1Error::UnknownAi(ai.to_string()))?;
        let ai = spec.ai.as_str();
        if seen.contains(&ai) {
            return Err(Gs1Error::Repeated(ai));
        }
        seen.push(ai);
        if value.is_empty() {
            return Err(Gs1Error::EmptyField(ai));
        }
        match spec.kind {
            Kind::Gtin => {
                if value.len() != 14 {
                    return Err(if value.bytes().all(|b| b.is_ascii_digit()) {
                        Gs1Error::Truncated(ai)
                    } else {
                        Gs1Error::NotNumeric(ai)
                    });
                }
                gtin = Some(Gtin::parse(value)?);
            }
            Kind::Date => {
                let d = parse_yymmdd(ai, value, today)?;
                match ai {
                    "11" => out.production = Some(d),
                    "15" => out.best_before = Some(d),
                    _ => out.expiry = Some(d),
                }
            }
            Kind::Text(max) => {
                if value.chars().count() > max {
                    return Err(Gs1Error::TooLong { ai, max });
                }
                if !value.chars().all(is_cset82) {
                    return Err(Gs1Error::BadChar(ai));
                }
                if ai == "10" {
                    out.batch = Some(value.to_string());
                } else {
                    out.serial = Some(value.to_string());
                }
            }
            Kind::Count(max) => {
                if !value.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(Gs1Error::NotNumeric(ai));
                }
                if value.len() > max {
                    return Err(Gs1Error::TooLong { ai, max });
                }
                out.count = Some(value.parse().map_err(|_| Gs1Error::NotNumeric(ai))?);
            }
        }
        if ai != "01" {
            first_other.get_or_insert(ai);
        }
    }
    match gtin {
        Some(g) => {
            out.gtin = g;
            Ok(out)
        }
        None => Err(first_other.map_or(Gs1Error::Empty, Gs1Error::MissingGtin)),
    }
}

/// The full year of a two-digit year (General Specifications 7.12): with D the difference
/// between YY and this year's last two digits, D of 51…99 is the previous century, −99…−50 the
/// next one, anything else this century.
pub fn century_year(yy: i64, today: Date) -> i64 {
    let this = today.year();
    let century = this - this.rem_euclid(100);
    let diff = yy - this.rem_euclid(100);
    if diff >= 51 {
        century - 100 + yy
    } else if diff <= -50 {
        century + 100 + yy
    } else {
        century + yy
    }
}

fn parse_yymmdd(ai: &'static str, value: &str, today: Date) -> Result<Date, Gs1Error> {
    let bad = || Gs1Error::BadDate { ai, value: value.chars().filter(char::is_ascii_graphic).take(12).collect() };
    if value.len() != 6 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| value[r].parse::<u32>().map_err(|_| bad());
    let (yy, mm, dd) = (num(0..2)?, num(2..4)?, num(4..6)?);
    if !(1..=12).contains(&mm) {
        return Err(bad());
    }
    let year = century_year(i64::from(yy), today);
    if dd == 0 {
        // The last day of the month: the day before the first of the next month.
        let (ny, nm) = if mm == 12 { (year + 1, 1) } else { (year, mm + 1) };
        return Ok(Date(days_from_civil(ny, nm, 1) - 1));
    }
    Date::from_ymd(year, mm, dd).ok_or_else(bad)
}

#[cfg(test)]
#[path = "gs1_tests.rs"]
mod tests;
