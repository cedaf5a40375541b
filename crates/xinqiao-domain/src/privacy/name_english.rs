//! Names in English sentences, decided by the sentence rather than by the tables of `name_latin`:
//! after a self-introduction or a closing (I'm Priya Nair, this is Mohammed Al-Farsi, Regards, João
//! Oliveira), after an English role word (Coach Alex, agent Tina, consultant Cherry), an English
//! form of a Chinese title on a pinyin surname (Master Li, Ayi Zhang), next in a list of Latin names
//! (教练Mandy、Grace), and a Chinese name in brackets right after a Latin name (Ethan Wilson (威以森)).

use super::name_latin::{given_name, not_a_pair, pinyin_surname};
use super::names::Scan;
use super::text::is_han;

/// Phrases after which a name follows (lower case, with their last space or comma).
const INTRODUCTIONS: [&str; 22] = [
    "i'm ",
    "i’m ",
    "i am ",
    "my name is ",
    "my name: ",
    "this is ",
    "i, ",
    "regards, ",
    "regards,\n",
    "sincerely, ",
    "sincerely,\n",
    "thanks, ",
    "— ",
    "my wife ",
    "my husband ",
    "my son ",
    "my daughter ",
    "my mother ",
    "my father ",
    "my friend ",
    "my neighbour ",
    "my neighbor ",
];

/// English role words before a person's given name (agent Tina, Coach Alex).
const ROLES: [&str; 24] = [
    "coach ",
    "agent ",
    "consultant ",
    "manager ",
    "salesman ",
    "saleswoman ",
    "teacher ",
    "tutor ",
    "trainer ",
    "instructor ",
    "landlord ",
    "landlady ",
    "driver ",
    "installer ",
    "called ",
    "named ",
    "nurse ",
    "stylist ",
    "therapist ",
    "designer ",
    "cashier ",
    "technician ",
    "seller ",
    "boss ",
];

/// English forms of Chinese titles written before a pinyin surname (Master Li, Ayi Zhang).
const PINYIN_TITLES: [&str; 4] = ["master", "ayi", "auntie", "uncle"];

/// A letter of a Latin-script name, accents included (João, Müller).
fn letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c.is_alphabetic() && ('\u{c0}'..'\u{250}').contains(&c)
}

/// A capitalised word from `s`, parts joined by a hyphen or an apostrophe each capitalised
/// (Al-Farsi, O'Brien): its end, or `None`.
fn capitalised_word(chars: &[char], s: usize) -> Option<usize> {
    let mut e = s;
    loop {
        if !chars.get(e).is_some_and(|c| c.is_uppercase() && letter(*c)) {
            return None;
        }
        let start = e;
        e += 1;
        while chars.get(e).is_some_and(|&c| letter(c) && c.is_lowercase()) {
            e += 1;
        }
        if e - start < 2 && !(e == s + 1 && matches!(chars.get(e), Some('\'' | '’'))) {
            return None;
        }
        match (chars.get(e), chars.get(e + 1)) {
            (Some('-' | '\'' | '’'), Some(n)) if n.is_uppercase() && letter(*n) => e += 1,
            _ => break,
        }
    }
    // A word glued to digits, an id or an address is none (kf_mobile, Room1502).
    if chars.get(e).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '@')) {
        return None;
    }
    Some(e)
}

/// The lower-cased text of `chars[s..e]`.
fn lower(chars: &[char], s: usize, e: usize) -> String {
    chars[s..e].iter().flat_map(|c| c.to_lowercase()).collect()
}

/// Whether one of `phrases` ends right before `s`, starting at a word boundary.
fn after_phrase(chars: &[char], s: usize, phrases: &[&str]) -> bool {
    let from = s.saturating_sub(14);
    let before = lower(chars, from, s);
    phrases.iter().any(|p| {
        before.ends_with(p) && {
            let n = p.chars().count();
            s < n + 1 || !chars[s - n - 1].is_ascii_alphabetic()
        }
    })
}

/// Every rule of this file at a Latin word starting at `i`.
pub(super) fn at(scan: &mut Scan<'_, '_>, i: usize) {
    let chars = scan.chars;
    let Some(e1) = capitalised_word(chars, i) else { return };
    let w1 = lower(chars, i, e1);
    if matches!(w1.as_str(), "mr" | "ms" | "mrs" | "dr" | "miss" | "the" | "i") {
        return;
    }
    // Up to two more capitalised words after single spaces (Nguyen Van Thanh).
    let mut end = e1;
    let mut words = 1;
    while words < 3
        && chars.get(end) == Some(&' ')
        && let Some(e) = capitalised_word(chars, end + 1)
    {
        end = e;
        words += 1;
    }
    if PINYIN_TITLES.contains(&w1.as_str()) {
        if words >= 2 && pinyin_surname(&lower(chars, e1 + 1, capitalised_word(chars, e1 + 1).unwrap_or(e1 + 1))) {
            let e2 = capitalised_word(chars, e1 + 1).unwrap_or(e1 + 1);
            scan.push(5.0, i, e2);
        }
        return;
    }
    if words >= 2 && not_a_pair(&lower(chars, i, capitalised_word(chars, e1 + 1).unwrap_or(e1))) {
        return;
    }
    if after_phrase(chars, i, &INTRODUCTIONS) {
        // Two or three capitalised words are a full name; one is a name where the tables know it
        // or a comma or a bracket follows (I'm Ahmad, I sell …).
        if words >= 2 || given_name(&w1) {
            scan.push(5.5, i, end);
        }
        return;
    }
    // After an English role word; or the next of a list of Latin names (教练Mandy、Grace).
    let listed =
        i > 0 && chars[i - 1] == '、' && scan.cands.iter().any(|c| c.2 == i - 1 && chars[c.1].is_ascii_alphabetic());
    if (after_phrase(chars, i, &ROLES) || listed) && words == 1 && scan.lex.brand_at(chars, i) == 0 {
        scan.push(4.5, i, e1);
    }
}

/// A Chinese name in brackets right after a Latin name found (Ethan Wilson (威以森), Ms. Gao (高静)):
/// the bracket at `open`.
pub(super) fn bracketed(scan: &mut Scan<'_, '_>, open: usize) {
    let chars = scan.chars;
    let before = if open > 0 && chars[open - 1] == ' ' { open - 1 } else { open };
    if before == 0 || !letter(chars[before - 1]) {
        return;
    }
    // (The name found may stop short of the bracket at a letter with an accent: Diego Hern|ández（迭戈）.)
    let latin_before = scan.cands.iter().any(|c| {
        c.2 <= before && chars[c.1].is_ascii_alphabetic() && chars[c.2..before].iter().all(|&l| letter(l) || l == ' ')
    });
    if !latin_before {
        return;
    }
    let s = open + 1;
    let Some(len) = (2..=4).find(|&n| matches!(chars.get(s + n), Some(')' | '）'))) else { return };
    // A transliteration jieba reads as a name filling the bracket (Diego Hernández（迭戈）, Sophia
    // Müller（苏菲）, Tomás Novák（诺瓦克）).
    let translit = chars[s..s + len].iter().all(|&c| is_han(c))
        && scan.words.at(s).is_some_and(|t| t.start == s && t.end == s + len && t.tag.starts_with("nr"));
    if translit && !scan.blocked(s, s + len) {
        scan.push(5.0, s, s + len);
        return;
    }
    if len == 4 {
        return;
    }
    // Written like a Chinese name: a surname the model knows, and no dictionary word that is no name
    // (Tom Ford (汤姆福特) is a brand's transliteration; (北京), (中国) places).
    let word = scan
        .words
        .at(s)
        .is_some_and(|t| t.start == s && t.end == s + len && !t.tag.starts_with("nr") && scan.jieba.has_word(t.word));
    if chars[s..s + len].iter().all(|&c| is_han(c))
        && super::names::surname_len(scan.lex, chars, s) == 1
        && scan.lex.scores(chars[s]).surname >= 1.0
        && !word
    {
        scan.push(5.0, s, s + len);
    }
}
