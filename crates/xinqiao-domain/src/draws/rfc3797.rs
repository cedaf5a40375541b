//! The bare procedure of RFC 3797 ("Publicly Verifiable Nominations Committee (NomCom) Random
//! Selection", §4 and §6): canonical key from the announced sources, then one MD5 per pick.
//!
//! **Key.** Each source's value is canonicalised and the results are concatenated in the order
//! the sources were announced.
//! - A *numbers* source (lottery balls, an index value written as an integer): its integers are
//!   sorted ascending (duplicates kept), each written in decimal without leading zeros and followed
//!   by `.`, and the source is closed by `/`. Integers may be separated by whitespace, `,`, `，`,
//!   `、`, `;` or `；`; full-width digits (`０`–`９`) count as digits; integers of any length are
//!   accepted. A fraction (`12.5`) or sign is refused: announce such a value as an integer.
//!   "9319", "2 5 12 8 10", "9 18 26 34 41 45" give `9319./2.5.8.10.12./9.18.26.34.41.45./`.
//! - A *text* source (RFC 3797 allows strings, e.g. a named result): the text with leading and
//!   trailing whitespace removed and every inner run of whitespace (including the ideographic
//!   space U+3000) replaced by one ASCII space, taken as typed (UTF-8, no case folding, no Unicode
//!   normalisation), followed by `.` and closed by `/` — the whole text is one item, as the RFC's
//!   reference code appends its "extra key material". Control characters are refused.
//!
//!   Which kind a source is, is fixed when the task is committed ([`SourceKind`]); the bare
//!   command-line procedure guesses it ([`SourceKind::detect`]): numbers when every separated
//!   token is an integer, text otherwise.
//!
//! **Picks.** For the i-th pick (i = 0, 1, 2 …), h = MD5(c ‖ key ‖ c) with c = i as 2 bytes
//! big-endian, read as a 128-bit big-endian unsigned integer; with n entries not yet picked, the
//! pick is the (h mod n)-th (0-based) of them, in list order.
//!
//! **Extension beyond 65,535 picks** (fixed, documented): RFC 3797 writes i in 2 bytes, so it
//! stops at 65,535 picks. For i ≥ 65,536, c is i as **4 bytes** big-endian (u32); for i < 65,536
//! it is exactly the RFC's 2 bytes, so every draw the RFC can express gives the RFC's result. Pools
//! and counts are limited to 2³²−1 entries. The pool size itself is unbounded by the RFC's maths
//! (h mod n is taken over the full 128 bits); removal is done with an order-statistic tree
//! ([`super::fenwick::Remaining`]) instead of a list, with identical results.

use super::error::DrawError;
use super::fenwick::Remaining;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

/// The largest pool or pick count (the 4-byte counter's range).
pub const MAX_ENTRIES: u64 = u32::MAX as u64;

/// How a source's revealed value is read; fixed and published at commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Numbers,
    Text,
}

fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；')
}

fn ascii_digit(c: char) -> Option<u8> {
    match c {
        '0'..='9' => Some(c as u8),
        '０'..='９' => Some(b'0' + (c as u32 - '０' as u32) as u8),
        _ => None,
    }
}

fn tokens(value: &str) -> impl Iterator<Item = &str> {
    value.split(is_separator).filter(|t| !t.is_empty())
}

impl SourceKind {
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Numbers => "numbers",
            SourceKind::Text => "text",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Numbers => "数字",
            SourceKind::Text => "文字",
        }
    }

    /// Numbers when the value has at least one token and every token is an integer; text otherwise.
    pub fn detect(value: &str) -> Self {
        let mut any = false;
        for t in tokens(value) {
            any = true;
            if !t.chars().all(|c| ascii_digit(c).is_some()) {
                return SourceKind::Text;
            }
        }
        if any { SourceKind::Numbers } else { SourceKind::Text }
    }

    /// The canonical form of one source's value, closing `/` included; `Err` holds the reason.
    pub fn canonical(self, value: &str) -> Result<String, &'static str> {
        match self {
            SourceKind::Numbers => canonical_numbers(value),
            SourceKind::Text => canonical_text(value),
        }
    }
}

fn canonical_numbers(value: &str) -> Result<String, &'static str> {
    let mut numbers: Vec<String> = Vec::new();
    for t in tokens(value) {
        let digits: Option<Vec<u8>> = t.chars().map(ascii_digit).collect();
        let digits =
            digits.ok_or("数字来源只能含有整数（以空格、逗号或顿号分隔），小数与正负号请在公示时约定为整数写法")?;
        let first = digits.iter().position(|&d| d != b'0').unwrap_or(digits.len() - 1);
        numbers.push(String::from_utf8(digits[first..].to_vec()).expect("ASCII digits"));
    }
    if numbers.is_empty() {
        return Err("没有任何数字");
    }
    // Ascending numeric order: without leading zeros, shorter is smaller; equal length compares as text.
    numbers.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    let mut out = String::new();
    for n in &numbers {
        out.push_str(n);
        out.push('.');
    }
    out.push('/');
    Ok(out)
}

fn canonical_text(value: &str) -> Result<String, &'static str> {
    if value.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err("含有控制字符");
    }
    let words: Vec<&str> = value.split(char::is_whitespace).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err("内容为空");
    }
    Ok(format!("{}./", words.join(" ")))
}

/// The key: the canonical sources concatenated in announced order. `Err((index, reason))` names
/// the first source (0-based) whose value cannot be read.
pub fn key<'a>(sources: impl IntoIterator<Item = (SourceKind, &'a str)>) -> Result<String, (usize, &'static str)> {
    let mut key = String::new();
    for (i, (kind, value)) in sources.into_iter().enumerate() {
        key.push_str(&kind.canonical(value).map_err(|reason| (i, reason))?);
    }
    Ok(key)
}

/// h for the i-th pick: MD5(c ‖ key ‖ c) as a big-endian u128, c being i in 2 bytes (RFC 3797)
/// or, from i = 65,536 on, in 4 bytes (Xinqiao's extension).
///
/// # Panics
/// When `i > u32::MAX`.
pub fn pick_hash(key: &[u8], i: u64) -> u128 {
    let mut md5 = Md5::new();
    if let Ok(short) = u16::try_from(i) {
        let c = short.to_be_bytes();
        md5.update(c);
        md5.update(key);
        md5.update(c);
    } else {
        let c = u32::try_from(i).expect("at most u32::MAX picks").to_be_bytes();
        md5.update(c);
        md5.update(key);
        md5.update(c);
    }
    let digest: [u8; 16] = md5.finalize().into();
    u128::from_be_bytes(digest)
}

/// Draws `count` entries from a list of `pool_size`: their 0-based positions, in pick order.
pub fn select(key: &[u8], pool_size: usize, count: usize) -> Result<Vec<usize>, DrawError> {
    if pool_size as u64 > MAX_ENTRIES {
        return Err(DrawError::TooLarge { max: MAX_ENTRIES });
    }
    if count > pool_size {
        return Err(DrawError::CountExceedsPool { count, pool: pool_size });
    }
    let mut remaining = Remaining::full(pool_size);
    Ok((0..count as u64)
        .map(|i| {
            let k = pick_hash(key, i) % remaining.len() as u128;
            remaining.take(k as usize)
        })
        .collect())
}

/// The textbook procedure, removing from a `Vec` (O(n) per pick): the reference the fast one is
/// tested against.
#[cfg(test)]
pub(crate) fn select_naive(key: &[u8], pool_size: usize, count: usize) -> Vec<usize> {
    let mut left: Vec<usize> = (0..pool_size).collect();
    (0..count as u64)
        .map(|i| {
            let k = pick_hash(key, i) % left.len() as u128;
            left.remove(k as usize)
        })
        .collect()
}
