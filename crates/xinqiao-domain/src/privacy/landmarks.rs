//! Addresses found from a landmark or written as abroad: a door counted or measured from a
//! compound's gate or a station's exit (和平里小区北门往西第二家, 十里堡地铁站A口往东100米二层), and a
//! street address abroad (2150 Broadway Apt 5C, New York).

use super::PiiKind;
use super::address::number_char;
use super::names::Words;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// A door found from a gate or an exit (和平里小区北门往西第二家, 建设路和平里小区门口往西走第二个门脸,
/// 十里堡地铁站A口往东100米二层): a named place, its gate (门口, 东门, 大门) or a station's exit (A口,
/// 出口), a direction (往/向/朝 + 东南西北, 走 after it), then a distance (100米, 二百米) or a count
/// of doors (第二家, 第三个门面), and a floor after it (二层, 3楼). From the place's name.
pub(super) fn directions(chars: &[char], words: &Words<'_>, found: &mut Found) {
    let side = |c: char| matches!(c, '东' | '南' | '西' | '北');
    for i in 2..chars.len() {
        // Every anchor has 门, 口 or 出 at i: one comparison rejects the other positions.
        if !matches!(chars[i], '门' | '口' | '出') {
            continue;
        }
        // The anchor ends at i (exclusive): 门口, X门, 站A口, 出口.
        let anchor = if starts_with_at(chars, i, "门口") {
            Some((i, i + 2))
        } else if chars[i] == '门' && matches!(chars[i - 1], '东' | '南' | '西' | '北' | '大' | '正' | '后')
            || chars[i] == '口' && chars[i - 1].is_ascii_uppercase() && chars[i - 2] == '站'
        {
            Some((i - 1, i + 1))
        } else if starts_with_at(chars, i, "出口") {
            Some((i, i + 2))
        } else {
            None
        };
        let Some((a, mut k)) = anchor else { continue };
        if a < 2 || !is_han(chars[a - 1]) || is_stop(chars[a - 1]) {
            continue;
        }
        if chars.get(k).is_some_and(|&c| matches!(c, '往' | '向' | '朝')) {
            k += 1;
        }
        if !chars.get(k).is_some_and(|&c| side(c)) {
            continue;
        }
        k += 1;
        if chars.get(k) == Some(&'走') {
            k += 1;
        }
        let mut j = k;
        let e = if chars.get(j) == Some(&'第') {
            j += 1;
            let d = j;
            while chars.get(j).is_some_and(|&c| number_char(c)) {
                j += 1;
            }
            let counted = j > d && chars.get(j).is_some_and(|&c| matches!(c, '个' | '家' | '栋' | '间'));
            if !counted {
                continue;
            }
            j += 1;
            if let Some(w) = ["门脸", "门面", "店面", "铺面", "商铺", "店"].iter().find(|w| starts_with_at(chars, j, w))
            {
                j += w.chars().count();
            }
            j
        } else {
            while chars.get(j).is_some_and(|&c| number_char(c)) {
                j += 1;
            }
            if j == k || chars.get(j) != Some(&'米') {
                continue;
            }
            j + 1
        };
        // A floor after it (二层, 3楼).
        let mut f = e;
        while chars.get(f).is_some_and(|&c| number_char(c)) {
            f += 1;
        }
        let e = if f > e && chars.get(f).is_some_and(|&c| matches!(c, '层' | '楼')) { f + 1 } else { e };
        let start = left_of(chars, words, a);
        if a - start >= 2 {
            found.push((PiiKind::Address, start, e));
        }
    }
}

/// The start of a place's name ending at `s`, read leftwards as `scan` reads it (twenty characters
/// at most, up to a stop character that jieba does not join to the name, a digit or a particle).
fn left_of(chars: &[char], words: &Words<'_>, mut s: usize) -> usize {
    let limit = s.saturating_sub(20);
    let joined = |k: usize| words.at(k).is_some_and(|t| t.end > k + 1 && t.end - t.start >= 2);
    while s > limit && (!is_stop(chars[s - 1]) || joined(s - 1)) && !chars[s - 1].is_ascii_digit() {
        s -= 1;
    }
    s
}

/// Words for a street in an address abroad.
const STREETS: [&str; 16] = [
    "Street",
    "St",
    "Road",
    "Rd",
    "Avenue",
    "Ave",
    "Broadway",
    "Boulevard",
    "Blvd",
    "Lane",
    "Ln",
    "Drive",
    "Dr",
    "Way",
    "Place",
    "Pl",
];

/// An address abroad written as it is there (2150 Broadway Apt 5C, New York; 88 George St, Sydney):
/// a house number, capitalised words with a word for a street among them, an apartment or suite
/// after it (Apt 5C, Suite 300, Unit 2, #12), and up to three capitalised words of a city after a
/// comma.
pub(super) fn foreign_street(chars: &[char], found: &mut Found) {
    let word_at = |k: usize| {
        let mut e = k;
        while chars.get(e).is_some_and(char::is_ascii_alphabetic) {
            e += 1;
        }
        e
    };
    for i in 0..chars.len() {
        if !chars[i].is_ascii_digit() || i > 0 && chars[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut k = i;
        while chars.get(k).is_some_and(char::is_ascii_digit) {
            k += 1;
        }
        if k - i > 5 || chars.get(k) != Some(&' ') {
            continue;
        }
        // Capitalised words, one of them a street's word.
        let mut e = k;
        let mut street = false;
        let mut n = 0;
        while n < 4 && chars.get(e) == Some(&' ') && chars.get(e + 1).is_some_and(char::is_ascii_uppercase) {
            let w_end = word_at(e + 1);
            let w: String = chars[e + 1..w_end].iter().collect();
            if matches!(w.as_str(), "Apt" | "Suite" | "Unit") {
                break;
            }
            street |= STREETS.contains(&w.as_str());
            e = w_end;
            if chars.get(e) == Some(&'.') {
                e += 1;
            }
            n += 1;
            if street {
                break;
            }
        }
        if !street {
            continue;
        }
        // Apt 5C, Suite 300, Unit 2, #12.
        for w in [" Apt ", " Apt. ", " Suite ", " Unit ", " #"] {
            if starts_with_at(chars, e, w) {
                let mut j = e + w.chars().count();
                let from = j;
                while chars.get(j).is_some_and(char::is_ascii_alphanumeric) {
                    j += 1;
                }
                if j > from {
                    e = j;
                }
                break;
            }
        }
        // , City (up to three capitalised words).
        if chars.get(e) == Some(&',') {
            let mut j = e + 1;
            let mut words = 0;
            while words < 3 {
                while chars.get(j) == Some(&' ') {
                    j += 1;
                }
                if !chars.get(j).is_some_and(char::is_ascii_uppercase) {
                    break;
                }
                let w_end = word_at(j);
                e = w_end;
                j = w_end;
                words += 1;
                if chars.get(j) != Some(&' ') {
                    break;
                }
            }
        }
        found.push((PiiKind::Address, i, e));
    }
}
