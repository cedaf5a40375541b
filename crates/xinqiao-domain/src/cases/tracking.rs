//! 受理编号: the code a member of the public follows a case by. `YYMM-XXXX-XXXX-XC`: the month of
//! receipt, nine random symbols (≈ 44.6 bits, so codes cannot be guessed from one another), and a
//! check symbol. The alphabet is Crockford's without U and Z (31 symbols: no I, L, O to confuse),
//! so the check — a weighted sum modulo the prime 31 — catches every single mistyped symbol and
//! every swap of neighbours. Typing is forgiving: lower case, missing dashes, O for 0, I/L for 1.

use crate::FieldError;
use serde::Serialize;
use std::fmt;

const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKMNPQRSTVWXY";
const LEN: usize = 14;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TrackingCode(String);

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// Weight of position `i`: 3^(i+1) mod 31 (3 generates the multiplicative group mod 31, so the
/// fourteen weights are distinct and non-zero).
fn check_value(symbols: &[u8]) -> u32 {
    let mut weight = 1u32;
    let mut sum = 0u32;
    for &c in symbols {
        weight = weight * 3 % 31;
        sum += value(c).expect("alphabet symbol") * weight;
    }
    (31 - sum % 31) % 31
}

impl TrackingCode {
    pub const FIELD: &'static str = "tracking_code";

    /// A new code for a case received in `year`/`month`, from 8 random bytes.
    pub fn generate(year: i64, month: u32, random: [u8; 8]) -> Self {
        let mut n = u64::from_le_bytes(random);
        let mut symbols = format!("{:02}{month:02}", year.rem_euclid(100)).into_bytes();
        for _ in 0..9 {
            symbols.push(ALPHABET[(n % 31) as usize]);
            n /= 31;
        }
        symbols.push(ALPHABET[check_value(&symbols) as usize]);
        Self(String::from_utf8(symbols).expect("ASCII"))
    }

    /// Reads a code as a person typed it.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let symbols: Vec<u8> = input
            .chars()
            .filter(|c| !matches!(c, '-' | ' ' | '－'))
            .map(|c| match c.to_ascii_uppercase() {
                'O' => b'0',
                'I' | 'L' => b'1',
                c if c.is_ascii() => c as u8,
                _ => b'?',
            })
            .collect();
        if symbols.len() != LEN {
            return Err(FieldError::new(Self::FIELD, "bad_length", "受理编号应为14位（如 2611-K7M3-9QXD-HF）"));
        }
        if symbols.iter().any(|&c| value(c).is_none()) {
            return Err(FieldError::new(Self::FIELD, "bad_char", "受理编号含有无效字符"));
        }
        if value(symbols[LEN - 1]) != Some(check_value(&symbols[..LEN - 1])) {
            return Err(FieldError::new(Self::FIELD, "bad_check_char", "受理编号有误，请核对后重新输入"));
        }
        Ok(Self(String::from_utf8(symbols).expect("ASCII")))
    }

    /// The bare 14 symbols, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TrackingCode {
    /// Grouped for reading aloud: `2611-K7M3-9QXD-HF`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.0;
        write!(f, "{}-{}-{}-{}", &s[..4], &s[4..8], &s[8..12], &s[12..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(i: u64) -> TrackingCode {
        TrackingCode::generate(2026, 11, (i.wrapping_mul(0x9E37_79B9_7F4A_7C15)).to_le_bytes())
    }

    #[test]
    fn generated_codes_parse_back_in_any_typing() {
        for i in 0..500 {
            let code = sample(i);
            assert!(code.as_str().starts_with("2611"));
            let shown = code.to_string();
            assert_eq!(TrackingCode::parse(&shown).unwrap(), code);
            assert_eq!(TrackingCode::parse(&shown.to_lowercase().replace('-', " ")).unwrap(), code);
        }
    }

    #[test]
    fn every_single_typo_and_neighbour_swap_is_caught() {
        for i in 0..60 {
            let code = sample(i).as_str().as_bytes().to_vec();
            for pos in 0..LEN {
                for &c in ALPHABET.iter().filter(|&&c| c != code[pos]) {
                    let mut typo = code.clone();
                    typo[pos] = c;
                    assert!(TrackingCode::parse(std::str::from_utf8(&typo).unwrap()).is_err());
                }
                if pos + 1 < LEN && code[pos] != code[pos + 1] {
                    let mut swapped = code.clone();
                    swapped.swap(pos, pos + 1);
                    assert!(TrackingCode::parse(std::str::from_utf8(&swapped).unwrap()).is_err());
                }
            }
        }
    }

    #[test]
    fn forgiving_about_confusable_letters() {
        let code = sample(7);
        let typed = code.as_str().replace('0', "o").replace('1', "l");
        assert_eq!(TrackingCode::parse(&typed).unwrap(), code);
        assert_eq!(TrackingCode::parse("123").unwrap_err().code, "bad_length");
        assert_eq!(TrackingCode::parse("2611-K7M3-9QXD-H张").unwrap_err().code, "bad_char");
    }
}
