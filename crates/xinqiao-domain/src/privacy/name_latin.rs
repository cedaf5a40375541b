//! Names not written as Chinese names usually are: in Latin letters (Pierre Dubois, Catherine
//! Zhou, 代购Jessica（谢佳）), in pinyin (Zhang Wei, xiao li, zhang教练), with an English title on a
//! surname (梁Sir, Mr Wang), Japanese names in kanji (田中美咲), and transliterated names (罗伯特·陈,
//! 转账给丽莎). General rules over tables rather than a list of people: frequent given names and
//! family names of other countries, every pinyin syllable and the commonest surnames in pinyin, a
//! list of brand and place pairs that look like names (Calvin Klein, Hong Kong: `latin-names.txt`),
//! and a per-character likelihood of transliteration trained on jieba's dictionary
//! (`translit-model.tsv`).

use super::cues::{self, Cue};
use super::lexicon::FastMap;
use super::names::{Scan, follower, given_char, surname_len};
use super::text::is_han;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

const LISTS: &str = include_str!("../../data/privacy/latin-names.txt");
const TRANSLIT: &str = include_str!("../../data/privacy/translit-model.tsv");

/// What a character never seen in a transliteration scores.
const TRANSLIT_FLOOR: f32 = -3.0;

struct Tables {
    given: HashSet<String>,
    surnames: HashSet<String>,
    pinyin: HashSet<String>,
    pinyin_surnames: HashSet<String>,
    /// Pairs that are brands, places or famous people (lowercase, one space).
    not: HashSet<String>,
    jp_surnames: FastMap<char, Vec<Box<[char]>>>,
    /// A bit set over the first two characters of `jp_surnames` (`pair_bit`): a cheap test before
    /// the map.
    jp_pairs: [u64; 64],
    jp_given: FastMap<char, Vec<Box<[char]>>>,
    translit: FastMap<char, f32>,
}

fn by_first(words: &[&str]) -> FastMap<char, Vec<Box<[char]>>> {
    let mut out: FastMap<char, Vec<Box<[char]>>> = FastMap::default();
    for w in words {
        let chars: Box<[char]> = w.chars().collect();
        out.entry(chars[0]).or_default().push(chars);
    }
    for list in out.values_mut() {
        list.sort_by_key(|w| std::cmp::Reverse(w.len()));
    }
    out
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| {
    let mut sections: HashMap<&str, Vec<&str>> = HashMap::new();
    let mut current = "";
    for line in LISTS.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name;
        } else if current == "not" {
            sections.entry(current).or_default().extend(line.split(',').map(str::trim).filter(|w| !w.is_empty()));
        } else {
            sections.entry(current).or_default().extend(line.split_whitespace());
        }
    }
    let set = |name: &str| -> HashSet<String> {
        sections.get(name).map(|v| v.iter().map(|w| w.to_lowercase()).collect()).unwrap_or_default()
    };
    let translit = TRANSLIT
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| {
            let (c, r) = l.split_once('\t')?;
            Some((c.chars().next()?, r.trim().parse().ok()?))
        })
        .collect();
    let jp_surnames = by_first(sections.get("japanese-surnames").map_or(&[][..], |v| &v[..]));
    let mut jp_pairs = [0u64; 64];
    for w in jp_surnames.values().flatten().filter(|w| w.len() >= 2) {
        let b = pair_bit(w[0], w[1]);
        jp_pairs[b >> 6] |= 1 << (b & 63);
    }
    Tables {
        given: set("given"),
        surnames: set("surnames"),
        pinyin: set("pinyin"),
        pinyin_surnames: set("pinyin-surnames"),
        not: set("not"),
        jp_surnames,
        jp_pairs,
        jp_given: by_first(sections.get("japanese-given").map_or(&[][..], |v| &v[..])),
        translit,
    }
});

/// Whether the tables hold `lower` (lower case) as a frequent given name.
pub(super) fn given_name(lower: &str) -> bool {
    TABLES.given.contains(lower)
}

/// Whether the tables hold `lower` as a common surname in pinyin.
pub(super) fn pinyin_surname(lower: &str) -> bool {
    TABLES.pinyin_surnames.contains(lower)
}

/// Whether `pair` (two lower-case words, one space) is a brand, a place or a public figure.
pub(super) fn not_a_pair(pair: &str) -> bool {
    TABLES.not.contains(pair)
}

/// The bit of two characters in a set of 4,096.
fn pair_bit(a: char, b: char) -> usize {
    ((a as usize).wrapping_mul(31) ^ b as usize) & 4095
}

/// Whether a Japanese surname of two characters or more may start with `a`, `b`.
fn jp_pair(a: char, b: char) -> bool {
    let k = pair_bit(a, b);
    TABLES.jp_pairs[k >> 6] >> (k & 63) & 1 == 1
}

fn translit(c: char) -> f32 {
    TABLES.translit.get(&c).copied().unwrap_or(TRANSLIT_FLOOR)
}

/// The characters the transliteration model rates at least `min` (帕, 塔, 逊, 萨 at 3).
pub(super) fn likely_translit(min: f32) -> impl Iterator<Item = char> {
    TABLES.translit.iter().filter(move |e| *e.1 >= min).map(|e| *e.0)
}

/// Whether `word` (lowercase) splits into one to three pinyin syllables.
fn pinyin_word(word: &str, max: usize) -> bool {
    if word.is_empty() {
        return true;
    }
    if max == 0 {
        return false;
    }
    (1..=word.len().min(6))
        .rev()
        .any(|k| word.is_char_boundary(k) && TABLES.pinyin.contains(&word[..k]) && pinyin_word(&word[k..], max - 1))
}

/// The end of the run of ASCII letters from `s`.
fn word_end(chars: &[char], s: usize) -> usize {
    let mut e = s;
    while chars.get(e).is_some_and(char::is_ascii_alphabetic) {
        e += 1;
    }
    e
}

/// Capitalised: an upper-case letter, then lower-case letters only (Pierre, not LV nor iPhone).
fn capitalised(w: &[char]) -> bool {
    w.len() >= 2 && w[0].is_ascii_uppercase() && w[1..].iter().all(char::is_ascii_lowercase)
}

/// A letter run glued to digits, `_`, `@`, `.` or `-` is an id, a handle, a model or an address.
/// All capitals, two letters or more (ZHANG, not LV's brand cousins: those fail the tables).
fn upper(w: &[char]) -> bool {
    w.len() >= 2 && w.iter().all(char::is_ascii_uppercase)
}

fn capitalised_or_upper(w: &[char]) -> bool {
    capitalised(w) || upper(w)
}

fn glued(chars: &[char], s: usize, e: usize) -> bool {
    let id_char = |c: &char| c.is_ascii_digit() || matches!(c, '_' | '@' | '.' | '-' | '/' | '+' | '&');
    (s > 0 && id_char(&chars[s - 1])) || chars.get(e).is_some_and(id_char)
}

fn lower(w: &[char]) -> String {
    w.iter().map(char::to_ascii_lowercase).collect()
}

/// Every rule of this file at character `i`.
#[inline]
pub(super) fn at(scan: &mut Scan<'_, '_>, i: usize) {
    let c = scan.chars[i];
    if c.is_ascii_alphabetic() {
        if i == 0 || !scan.chars[i - 1].is_ascii_alphabetic() {
            latin(scan, i);
        }
    } else if matches!(c, '·' | '•') {
        dotted(scan, i);
    } else if is_han(c)
        && let Some(t) = scan.words.at(i)
        && t.start == i
    {
        // Both rules read a name that starts a word; most characters do not start one.
        let (len, nr) = (t.end - t.start, matches!(t.tag.as_bytes(), b"nr" | b"nrt"));
        if len >= 2 && jp_pair(c, scan.chars[i + 1]) {
            japanese(scan, i);
        }
        if nr && (2..=3).contains(&len) {
            transliterated_given(scan, i);
        }
    }
}

/// Something before `s` that introduces a person: a cue word, a verb (代购, 转账给), 叫, 给, 和 …
fn introduced(scan: &Scan<'_, '_>, s: usize) -> bool {
    scan.cue_before(s).is_some()
        || s > 0
            && matches!(scan.chars[s - 1], '叫' | '找' | '问' | '跟' | '和' | '与' | '让' | '给' | '被' | '、' | '由')
        || scan.words.at(s.wrapping_sub(1)).is_some_and(|t| s > 0 && t.end == s && t.tag.starts_with('v'))
}

/// Something after `e` that says person: a name in brackets, a verb of speech, a title.
fn followed_as_person(chars: &[char], e: usize) -> bool {
    match chars.get(e) {
        None => false,
        Some('（' | '(') => chars.get(e + 1).is_some_and(|&c| is_han(c)),
        Some(&c) => matches!(c, '说' | '讲' | '称' | '告' | '答' | '表') || cues::title_at(chars, e).is_some(),
    }
}

fn latin(scan: &mut Scan<'_, '_>, i: usize) {
    let chars = scan.chars;
    let e1 = word_end(chars, i);
    let w1 = &chars[i..e1];
    let l1 = lower(w1);
    // An English title with its point (Mr. Wang) is the one word a point may follow.
    let title = matches!(l1.as_str(), "mr" | "ms" | "mrs" | "dr") && capitalised_or_upper(w1);
    let gap = if title && chars.get(e1) == Some(&'.') { e1 + 1 } else { e1 };
    if glued(chars, i, gap) {
        return;
    }
    // A second word after one space (or right after the title's point).
    let s2 = if chars.get(gap) == Some(&' ') {
        gap + 1
    } else if gap > e1 {
        gap
    } else {
        usize::MAX
    };
    let second = chars
        .get(s2)
        .is_some_and(char::is_ascii_alphabetic)
        .then(|| (s2, word_end(chars, s2)))
        .filter(|&(s2, e2)| !glued(chars, s2, e2));
    let t = &*TABLES;
    if let Some((s2, e2)) = second {
        let w2 = &chars[s2..e2];
        let l2 = lower(w2);
        let pair = format!("{l1} {l2}");
        // Two capitalised words: a known given name first, a known family name second, or a pinyin
        // surname and a pinyin given name (Pierre Dubois, Catherine Zhou, Zhang Wei).
        // Both in capitals too (ZHANG WEI, PIERRE DUBOIS: cards and passports).
        let cased = capitalised(w1) && capitalised(w2) || upper(w1) && upper(w2);
        if cased && !title && !t.not.contains(&pair) {
            let western = t.given.contains(&l1) || t.surnames.contains(&l2) && !t.pinyin.contains(&l1);
            let chinese = t.pinyin_surnames.contains(&l1) && pinyin_word(&l2, 2) && l2.len() >= 2;
            let given_pinyin_surname = t.given.contains(&l1) && t.pinyin_surnames.contains(&l2);
            // A third word goes with a name in pinyin (Wang Xiao Ming); any other capitalised
            // word after makes a title or a brand's line (Hong Kong Disneyland).
            let third = (chars.get(e2) == Some(&' ') && chars.get(e2 + 1).is_some_and(char::is_ascii_alphabetic))
                .then(|| (e2 + 1, word_end(chars, e2 + 1)))
                .filter(|&(s3, e3)| capitalised_or_upper(&chars[s3..e3]) && !glued(chars, s3, e3));
            match third {
                Some((s3, e3)) if chinese && pinyin_word(&lower(&chars[s3..e3]), 1) => {
                    scan.push(6.0, i, e3);
                    return;
                }
                Some(_) => {}
                None if western || chinese || given_pinyin_surname => {
                    scan.push(6.0, i, e2);
                    return;
                }
                None => {}
            }
        }
        // 小/老 in pinyin before a surname in pinyin (xiao li, Lao Wang): a nickname.
        if matches!(l1.as_str(), "xiao" | "lao") && t.pinyin_surnames.contains(&l2) && !t.not.contains(&pair) {
            scan.push(5.0, i, e2);
            return;
        }
        // Mr Wang, Ms Li, Dr Smith.
        // (Dr only before a known family name: Dr.Jart and Dr. Martens are brands.)
        let family = t.surnames.contains(&l2) || t.pinyin_surnames.contains(&l2);
        if (title || l1 == "miss") && capitalised_or_upper(w2) && !t.not.contains(&pair) && (l1 != "dr" || family) {
            scan.push(5.0, i, e2);
            return;
        }
    }
    // A surname in pinyin before a Chinese title (zhang教练, li老师).
    if t.pinyin_surnames.contains(&l1)
        && let Some(n) = cues::title_at(chars, e1)
        && (n >= 2 || chars.get(e1 + 1).is_none_or(|&c| !is_han(c) || follower(c)))
    {
        scan.push(5.0, i, e1 + n);
        return;
    }
    // A Chinese surname with an English title (梁Sir, 陈Madam).
    if matches!(l1.as_str(), "sir" | "madam")
        && i > 0
        && is_han(chars[i - 1])
        && surname_len(scan.lex, chars, i - 1) == 1
        && (i < 2
            || !is_han(chars[i - 2])
            || scan.words.starts_word(i - 1)
            || introduced(scan, i - 1)
            || scan.words.at(i - 1).is_some_and(|t| t.end == i))
    {
        scan.push(5.0, i - 1, e1);
        return;
    }
    // A given name alone where something says person (代购Jessica（谢佳）, 给Kevin, Tony说).
    if capitalised(w1)
        && t.given.contains(&l1)
        && second.is_none_or(|(s2, e2)| !capitalised(&chars[s2..e2]))
        && !chars.get(e1).is_some_and(|&c| matches!(c, '妈' | '爸' | '宝' | '家' | '酱'))
        && (introduced(scan, i) || followed_as_person(chars, e1) || listed_with_given(chars, e1))
    {
        scan.push(4.5, i, e1);
    }
}

/// Whether another known given name follows after 、 (总监Tony、Kevin已去…): a list of people.
fn listed_with_given(chars: &[char], e: usize) -> bool {
    if chars.get(e) != Some(&'、') || !chars.get(e + 1).is_some_and(char::is_ascii_uppercase) {
        return false;
    }
    let e2 = word_end(chars, e + 1);
    !glued(chars, e + 1, e2) && TABLES.given.contains(&lower(&chars[e + 1..e2]))
}

/// The mean transliteration likelihood of `s..e`.
fn translit_mean(chars: &[char], s: usize, e: usize) -> f32 {
    chars[s..e].iter().map(|&c| translit(c)).sum::<f32>() / (e - s).max(1) as f32
}

/// A transliterated given name, a `·` and a Chinese surname or another transliteration (罗伯特·陈,
/// 玛丽·王): the characters before the dot read as a transliteration, whatever jieba or the cue
/// lists make of them (伯 is a kinship cue).
fn dotted(scan: &mut Scan<'_, '_>, dot: usize) {
    let chars = scan.chars;
    let mut s = dot;
    while s > 0 && dot - s < 6 && is_han(chars[s - 1]) && translit(chars[s - 1]) >= 1.0 {
        s -= 1;
    }
    if dot - s < 2 || translit_mean(chars, s, dot) < 2.5 || dot + 1 >= chars.len() {
        return;
    }
    let right = dot + 1;
    let sl = surname_len(scan.lex, chars, right);
    let e = if sl > 0 {
        // The surname, or the name jieba reads there (陈/nr, 陈大文/nr).
        scan.words
            .at(right)
            .filter(|t| t.start == right && t.tag.starts_with("nr") && t.end - t.start <= 3)
            .map_or(right + sl, |t| t.end)
    } else {
        let mut e = right;
        while e < chars.len() && e - right < 6 && is_han(chars[e]) && translit(chars[e]) >= 1.0 {
            e += 1;
        }
        if e - right < 2 || translit_mean(chars, right, e) < 2.5 {
            return;
        }
        e
    };
    scan.push(12.0, s, e);
}

/// A transliterated given name of two or three characters that jieba reads as a name (丽莎, 安娜,
/// 杰克), where something says person (转账给丽莎, 叫汤姆, 丽莎说).
fn transliterated_given(scan: &mut Scan<'_, '_>, s: usize) {
    let Some(t) = scan.words.at(s) else { return };
    let e = t.end;
    if t.start != s || !(2..=3).contains(&(e - s)) || !matches!(t.tag.as_bytes(), b"nr" | b"nrt") {
        return;
    }
    if scan.chars[s..e].iter().any(|&c| translit(c) < 1.5) || translit_mean(scan.chars, s, e) < 3.5 {
        return;
    }
    let before_ok = matches!(scan.cue_before(s), Some(Cue::Strong | Cue::Role))
        || s > 0 && matches!(scan.chars[s - 1], '叫' | '找' | '问' | '跟' | '与' | '让' | '给' | '、');
    let after_ok =
        scan.chars.get(e).is_none_or(|&c| !is_han(c) || follower(c) || matches!(c, '了' | '吧' | '呢' | '啊'));
    if before_ok && after_ok || followed_as_person(scan.chars, e) && scan.cue_before(s).is_some() {
        scan.push(4.5, s, e);
    }
}

/// A Japanese surname and given name in kanji (田中美咲, 山田花子, 小林健一): both from the tables,
/// or a given name of two or three characters ending in 子 or 郎; the name ends a word.
fn japanese(scan: &mut Scan<'_, '_>, s: usize) {
    let chars = scan.chars;
    let t = &*TABLES;
    let Some(surnames) = t.jp_surnames.get(&chars[s]) else { return };
    let Some(sur) = surnames.iter().find(|w| chars[s..].starts_with(w)) else { return };
    let g = s + sur.len();
    if g >= chars.len() {
        return;
    }
    let listed = t.jp_given.get(&chars[g]).and_then(|l| l.iter().find(|w| chars[g..].starts_with(w))).map(|w| w.len());
    let suffixed = (2..=3).find(|&k| {
        chars.get(g + k - 1).is_some_and(|&c| matches!(c, '子' | '郎'))
            && chars[g..g + k].iter().all(|&c| given_char(c))
    });
    let Some(len) = listed.or(suffixed) else { return };
    let e = g + len;
    let ends = chars.get(e).is_none_or(|&c| !is_han(c) || follower(c) || cues::title_at(chars, e).is_some());
    let ends = ends || len >= 2 && scan.words.ends_word(e);
    if ends {
        scan.push(5.0, s, e);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tables_load() {
        assert!(TABLES.given.contains("pierre"));
        assert!(TABLES.surnames.contains("dubois"));
        assert!(TABLES.not.contains("calvin klein"));
        assert!(pinyin_word("xiaoming", 2));
        assert!(!pinyin_word("smith", 2));
        assert!(translit('莎') > 3.0 && translit('的') < 0.0);
    }
}
