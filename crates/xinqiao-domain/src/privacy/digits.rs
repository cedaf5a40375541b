//! Numbers read out or typed loosely: digit runs in Chinese numerals (一三九，七一零六，三五二八;
//! 幺 for one, 〇/零 for nought), digits spaced one by one (1 8 6 1 2 7 …), groups joined by
//! commas or 、. Each run is normalised to its digits and then judged by the same identifier
//! rules as plain numbers; offsets stay those of the written text.

use super::PiiKind;
use super::numbers::{self, Found};

/// The value of a character read as a digit, if it is one.
pub(super) fn digit_of(c: char) -> Option<u8> {
    Some(match c {
        '0'..='9' => c as u8 - b'0',
        '零' | '〇' | '○' | 'Ｏ' => 0,
        '一' | '幺' | '壹' => 1,
        '二' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn separator(c: char) -> bool {
    matches!(c, ' ' | ',' | '，' | '、' | '-' | '—' | '.' | '·')
}

/// A run of digits as written: its digits and where each sits in the text.
pub(super) struct Run {
    pub digits: Vec<u8>,
    pub at: Vec<usize>,
    pub chinese: usize,
    pub groups: usize,
}

/// Maximal runs of digits (ASCII or Chinese numerals) with at most two separator characters
/// between neighbours. A run of Chinese numerals alone needs five digits (一三五 is a week).
pub(super) fn runs(chars: &[char]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit_of(chars[i]).is_none() {
            i += 1;
            continue;
        }
        let mut run = Run { digits: Vec::new(), at: Vec::new(), chinese: 0, groups: 1 };
        let mut j = i;
        loop {
            if let Some(d) = digit_of(chars[j]) {
                run.digits.push(d);
                run.at.push(j);
                run.chinese += usize::from(!chars[j].is_ascii_digit());
                j += 1;
            }
            if j >= chars.len() {
                break;
            }
            if digit_of(chars[j]).is_some() {
                continue;
            }
            // Up to two separators, then a digit again.
            let mut k = j;
            while k < chars.len() && k < j + 2 && separator(chars[k]) {
                k += 1;
            }
            if k > j && k < chars.len() && digit_of(chars[k]).is_some() {
                run.groups += 1;
                j = k;
                continue;
            }
            break;
        }
        i = j.max(i + 1);
        out.push(run);
    }
    out
}

/// Finds identifiers in runs the plain scanner cannot read: any run with Chinese numerals, and
/// ASCII runs spaced or comma-separated into more groups than it tries together.
pub(super) fn scan(chars: &[char], protected: &[(usize, usize)], found: &mut Found) {
    for run in runs(chars) {
        let n = run.digits.len();
        let spoken = run.chinese > 0;
        if n < 5 || (!spoken && run.groups <= 5 && !has_loose_separator(chars, &run)) {
            continue;
        }
        if spoken && run.chinese < 5 && run.chinese < n / 2 {
            continue;
        }
        // Written digits in long groups are numbers of their own (身份证号…，1月): joined only
        // when every group is short, as when a number is read out or typed digit by digit.
        let longest = longest_group(&run.at);
        if !spoken && longest > 4 {
            continue;
        }
        let (start, mut end) = (run.at[0], run.at[n - 1] + 1);
        if protected.iter().any(|p| start < p.1 && p.0 < end) {
            continue;
        }
        let mut digits: Vec<u8> = run.digits.iter().map(|d| b'0' + d).collect();
        if matches!(chars.get(end), Some('X' | 'x')) && n == 17 {
            digits.push(b'X');
            end += 1;
        }
        if let Some(kind) = numbers::kind_of_digits(chars, start, &digits) {
            found.push((kind, start, end));
        } else if n >= 22 {
            // Two numbers read out one after the other: try a mobile at the front.
            let d11 = &digits[..11];
            if numbers::kind_of_digits(chars, start, d11) == Some(PiiKind::Mobile) {
                found.push((PiiKind::Mobile, start, run.at[10] + 1));
            }
        }
    }
}

/// The length of the longest group of adjacent digits.
fn longest_group(at: &[usize]) -> usize {
    let (mut best, mut cur) = (0, 0);
    for (k, &a) in at.iter().enumerate() {
        cur = if k > 0 && a == at[k - 1] + 1 { cur + 1 } else { 1 };
        best = best.max(cur);
    }
    best
}

fn has_loose_separator(chars: &[char], run: &Run) -> bool {
    run.at.windows(2).any(|w| chars[w[0] + 1..w[1]].iter().any(|c| !matches!(c, ' ' | '-')) || w[1] - w[0] > 2)
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_read_chinese_numerals_and_spacing() {
        let chars: Vec<char> = "电话一三九，七一零六，三五二八，或者1 8 6 1 2 7 4 3 9 0 5".chars().collect();
        let runs = super::runs(&chars);
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].digits, vec![1, 3, 9, 7, 1, 0, 6, 3, 5, 2, 8]);
        assert_eq!(runs[1].digits.len(), 11);
        assert_eq!(runs[1].groups, 11);
    }
}
