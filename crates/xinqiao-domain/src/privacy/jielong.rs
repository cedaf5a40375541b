//! 接龙 lists in community group-buying chats: numbered rows of a nickname, a building and room
//! and what was ordered (`1. 3栋1202 晴天  2箱`, `2、小太阳 7-3-1401 2份`). The nickname is a
//! screen name, or a person where it reads as one (周姐, 许阿姨); the building and room before or
//! after it only say where to deliver inside the compound and are no address.

use super::PiiKind;
use super::lexicon::Lexicon;
use super::names::Words;
use super::text::{is_han, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// Units of what a row orders (2箱, 30个, 1份).
const UNITS: &str = "份箱个斤盒袋件包只瓶桶提条块串罐";

/// Whether `t` is a building, unit and room (6栋301, 2-1-502, 5栋2单元, 12栋): digits, hyphens and
/// unit words only, a digit first.
fn room(t: &[char]) -> bool {
    t.first().is_some_and(char::is_ascii_digit)
        && t.iter()
            .all(|&c| c.is_ascii_digit() || matches!(c, '-' | '栋' | '幢' | '单' | '元' | '号' | '楼' | '室' | '座'))
}

/// Whether `t` ends with a quantity (2箱, 赣南脐橙2箱, 30个, 两份).
fn quantity(t: &[char]) -> bool {
    let n = t.len();
    n >= 2 && UNITS.contains(t[n - 1]) && (t[n - 2].is_ascii_digit() || "一两二三四五六七八九十".contains(t[n - 2]))
}

/// A numbered row at `line..end` (1. , 2、, 3 ): where its tokens start.
fn row_start(chars: &[char], line: usize, end: usize) -> Option<usize> {
    let mut k = line;
    while k < end && chars[k] == ' ' {
        k += 1;
    }
    let d = k;
    while k < end && k - d < 3 && chars[k].is_ascii_digit() {
        k += 1;
    }
    if k == d || k >= end || !matches!(chars[k], '.' | '、' | '．' | ' ') {
        return None;
    }
    k += 1;
    while k < end && chars[k] == ' ' {
        k += 1;
    }
    (k < end).then_some(k)
}

/// Whether the text is a 接龙 list: the word and two numbered rows.
/// Numbered rows first (a lookup at each line's start), the word only where two are found.
pub(super) fn is_list(chars: &[char], lines: impl Iterator<Item = (usize, usize)>) -> bool {
    lines.filter(|&(line, end)| row_start(chars, line, end).is_some()).count() >= 2 && says_jielong(chars)
}

fn says_jielong(chars: &[char]) -> bool {
    (0..chars.len()).any(|k| chars[k] == '接' && starts_with_at(chars, k, "接龙"))
}

pub(super) fn scan(lex: &Lexicon, words: &Words<'_>, chars: &[char], lines: &[(usize, usize)], found: &mut Found) {
    let rows: Vec<(usize, usize, usize)> =
        lines.iter().filter_map(|&(line, end)| row_start(chars, line, end).map(|s| (line, s, end))).collect();
    if rows.len() < 2 || !says_jielong(chars) {
        return;
    }
    for &(line, s, end) in &rows {
        let mut k = s;
        let mut nick = None;
        let mut rooms = 0;
        while k < end {
            let t0 = k;
            while k < end && chars[k] != ' ' {
                k += 1;
            }
            let t = &chars[t0..k];
            if room(t) {
                rooms += 1;
            } else if nick.is_none()
                && !quantity(t)
                && t.len() <= 12
                && t.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
                && t.iter().all(|&c| is_han(c) || c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '·'))
            {
                nick = Some((t0, k));
            }
            while k < end && chars[k] == ' ' {
                k += 1;
            }
        }
        // A building and room inside the row is no address (nor one run into the nickname).
        if rooms > 0 {
            found.retain(|f| {
                !(f.0 == PiiKind::Address
                    && line <= f.1
                    && f.2 <= end
                    && !chars[f.1..f.2].iter().any(|&c| "路街道村巷弄镇乡".contains(c)))
            });
        }
        let Some((a, b)) = nick else { continue };
        if b - a < 2 || found.iter().any(|f| f.1 <= a && b <= f.2) {
            continue;
        }
        found.push((super::senders::sender_kind(lex, words, chars, (a, b), false, false), a, b));
    }
}
