//! Identity documents and phones from outside the mainland: Hong Kong, Macau and Taiwan identity
//! cards (a bracketed check character inside the span), 台胞证, 回乡证, 港澳通行证, passports and foreigners'
//! residence permits after their cue (each a `身份证号` span), and Hong Kong, Macau, Taiwan and
//! other countries' mobiles after +852, +853, +886, +XX or, for eight digits, a phone cue in a
//! text from Hong Kong or Macau. Runs on the normalised (simplified) view. A check character
//! decides nothing about masking: a form with a wrong one is masked like a right one.

use super::PiiKind;
use super::text::{is_han, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

fn at(chars: &[char], i: usize, word: &str) -> bool {
    (i..).zip(word.chars()).all(|(k, w)| chars.get(k).map(|c| c.to_ascii_lowercase()) == Some(w))
}

fn bounded(chars: &[char], s: usize, e: usize) -> bool {
    (s == 0 || !chars[s - 1].is_ascii_alphanumeric()) && chars.get(e).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// Digits from `i` in groups joined by one space or dash (at most `max` digits): (digits, end).
fn digit_groups(chars: &[char], mut i: usize, max: usize) -> (Vec<u8>, usize) {
    let mut d = Vec::new();
    let mut end = i;
    while i < chars.len() && d.len() < max {
        let c = chars[i];
        if c.is_ascii_digit() {
            d.push(c as u8 - b'0');
            i += 1;
            end = i;
        } else if matches!(c, ' ' | '-') && !d.is_empty() && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    (d, end)
}

/// Words after which the next number is a document's: 台胞证, 回乡证, passports, permits.
pub(super) const CUES: &[&str] = &[
    "台胞证",
    "回乡证",
    "通行证",
    "护照",
    "passport",
    "居留许可",
    "居留证",
    "居留身份证",
    "身分证",
    "香港身份证",
    "澳门身份证",
    "居民身份证",
    "居住证",
    "旅行证",
    "证件号",
];

/// Words before a phone number.
const PHONE_CUES: &[&str] =
    &["电话", "手机", "手提", "联系", "联络", "致电", "tel", "phone", "whatsapp", "(香港)", "(澳门)"];

/// Signs that a text comes from Hong Kong or Macau (place names, Cantonese words).
const HK_SIGNS: &[&str] = &["香港", "澳门", "港澳", "852", "853", "喺", "咗", "嘅", "唔", "哋", "佢", "冇", "回乡证"];

/// Adds what it finds outside `protected` ranges (credit codes, links) to `found`.
pub(super) fn scan(chars: &[char], protected: &[(usize, usize)], found: &mut Found) {
    let mut mine = Vec::new();
    scan_all(chars, &mut mine);
    for m in mine.into_iter().filter(|f| !protected.iter().any(|p| f.1 < p.1 && p.0 < f.2)) {
        // The document's or the phone's reading replaces a mainland one of the same digits (eight
        // digits after 电话 read as a local landline, a 台胞证 number as a QQ number).
        found.retain(|f| {
            !(matches!(f.0, PiiKind::Mobile | PiiKind::Landline | PiiKind::IdCard | PiiKind::BankCard | PiiKind::ImId)
                && m.1 <= f.1
                && f.2 <= m.2)
        });
        found.push(m);
    }
}

fn scan_all(chars: &[char], found: &mut Found) {
    let ascii = chars.iter().filter(|c| c.is_ascii_alphanumeric()).count();
    if ascii < 6 {
        return;
    }
    // Whether the text comes from Hong Kong or Macau: looked up once, at the first eight-digit
    // number.
    let mut hk = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let upper_or_digit = c.is_ascii_uppercase() || c.is_ascii_digit();
        let found_end = (if c == '+' { international(chars, i, found) } else { None })
            .or_else(|| if upper_or_digit { id_card(chars, i, found) } else { None })
            .or_else(|| if cue_first(c) { cued_document(chars, i, found) } else { None })
            .or_else(|| if c.is_ascii_digit() { local_mobile(chars, i, &mut hk, found) } else { None });
        i = found_end.unwrap_or(i + 1);
    }
}

/// Whether `c` begins one of `CUES` (a test checks the list).
pub(super) fn cue_first(c: char) -> bool {
    matches!(c, '台' | '回' | '通' | '护' | 'p' | 'P' | '居' | '身' | '香' | '澳' | '旅' | '证')
}

fn contains(chars: &[char], word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.windows(w.len()).any(|x| x == w.as_slice())
}

/// +852 / +853 and eight digits, +886 and nine, +XX and six to thirteen (not +86: the mainland's).
fn international(chars: &[char], i: usize, found: &mut Found) -> Option<usize> {
    if chars[i] != '+' || (i > 0 && chars[i - 1].is_ascii_alphanumeric()) {
        return None;
    }
    // The country code is the digits right after the plus.
    let code_len = chars[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
    if !(1..=3).contains(&code_len) {
        return None;
    }
    let mut j = i + 1 + code_len;
    let code: String = chars[i + 1..j].iter().collect();
    if code == "86" {
        return None;
    }
    while j < chars.len() && matches!(chars[j], ' ' | '-' | '(' | ')') {
        j += 1;
    }
    let (d, end) = digit_groups(chars, j, 14);
    if !bounded(chars, i, end) {
        return None;
    }
    let ok = match code.as_str() {
        "852" | "853" => d.len() == 8,
        "886" => (9..=10).contains(&d.len()),
        _ => (6..=13).contains(&d.len()),
    };
    if !ok {
        return None;
    }
    let kind =
        if code == "886" && d.iter().find(|&&x| x != 0) != Some(&9) { PiiKind::Landline } else { PiiKind::Mobile };
    found.push((kind, i, end));
    Some(end)
}

/// Identity cards by their shape: Hong Kong A123456(7), Macau 1234567(8), Taiwan A123456789, a
/// foreigner's permanent residence card ABC123456789012.
fn id_card(chars: &[char], i: usize, found: &mut Found) -> Option<usize> {
    if i > 0 && chars[i - 1].is_ascii_alphanumeric() {
        return None;
    }
    let letters = chars[i..].iter().take_while(|c| c.is_ascii_uppercase()).count();
    let digits = chars[i + letters..].iter().take_while(|c| c.is_ascii_digit()).count();
    let j = i + letters + digits;
    let paren = |k: usize| {
        chars.get(k) == Some(&'(')
            && chars.get(k + 1).is_some_and(|c| c.is_ascii_digit() || *c == 'A')
            && chars.get(k + 2) == Some(&')')
    };
    // Hong Kong and Macau: letters (HK) or a 1, 5 or 7 (Macau), digits, a check in brackets.
    if ((1..=2).contains(&letters) && digits == 6 || letters == 0 && digits == 7 && matches!(chars[i], '1' | '5' | '7'))
        && paren(j)
    {
        found.push((PiiKind::IdCard, i, j + 3));
        return Some(j + 3);
    }
    if !bounded(chars, i, j) {
        return None;
    }
    // Taiwan: a letter, 1 or 2, eight more digits, after a word of documents or Taiwan (a QQ
    // number after Q has the same shape).
    let cued = || {
        let before: String = chars[i.saturating_sub(15)..i].iter().collect::<String>().to_lowercase();
        ["身分证", "身份证", "字号", "证号", "证件", "台湾", "id"].iter().any(|c| before.contains(c))
    };
    if letters == 1 && digits == 9 && matches!(chars[i + 1], '1' | '2') && cued() {
        found.push((PiiKind::IdCard, i, j));
        return Some(j);
    }
    // A foreigner's permanent residence card (the old form): a country code and twelve digits.
    if letters == 3 && digits == 12 {
        found.push((PiiKind::IdCard, i, j));
        return Some(j);
    }
    None
}

/// The number after a document's cue (台胞证号码 10374856, 护照 E12345678, 通行证：C12345678).
fn cued_document(chars: &[char], i: usize, found: &mut Found) -> Option<usize> {
    let cue = CUES.iter().find(|c| at(chars, i, c))?;
    let mut j = i + cue.chars().count();
    // Up to eight characters between: 号码, 字号, No., a colon, brackets, spaces.
    let limit = j + 8;
    while j < chars.len() && j < limit && !chars[j].is_ascii_alphanumeric() {
        if matches!(chars[j], '，' | '。' | '；' | '\n' | ',' | ';' | '、')
            || super::digits::digit_of(chars[j]).is_some()
        {
            return None;
        }
        j += 1;
    }
    if at(chars, j, "no") && chars.get(j + 2).is_some_and(|c| !c.is_ascii_alphabetic()) {
        j += 2;
        while j < chars.len() && matches!(chars[j], '.' | ' ' | ':' | '：') {
            j += 1;
        }
    }
    let start = j;
    let mut end = j;
    let mut digits = 0;
    while end < chars.len() && chars[end].is_ascii_alphanumeric() {
        digits += usize::from(chars[end].is_ascii_digit());
        end += 1;
    }
    // A check in brackets stays with the number.
    if chars.get(end) == Some(&'(') && chars.get(end + 2) == Some(&')') && chars[end + 1].is_ascii_alphanumeric() {
        end += 3;
    }
    let len = end - start;
    if !(7..=18).contains(&len) || digits < 5 || start == end {
        return None;
    }
    // A mainland mobile after 联系 or a bare 11-digit number is not a document.
    let all_digits = digits == len;
    if all_digits && len == 11 && chars[start] == '1' {
        return None;
    }
    found.push((PiiKind::IdCard, start, end));
    Some(end)
}

/// Hong Kong and Macau mobiles of eight digits (5, 6 or 9 first; 4-4 or whole) after a phone
/// cue, in a text from there; Taiwan mobiles 09xx-xxx-xxx anywhere.
fn local_mobile(chars: &[char], i: usize, hk: &mut Option<bool>, found: &mut Found) -> Option<usize> {
    if !chars[i].is_ascii_digit() || (i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '+')) {
        return None;
    }
    let (d, end) = digit_groups(chars, i, 12);
    if !bounded(chars, i, end) || chars.get(end).is_some_and(|c| matches!(c, '-' | '.' | '/')) {
        return None;
    }
    if d.len() == 10 && d[0] == 0 && d[1] == 9 {
        // 09xx xxx xxx or whole: never a mainland number (none begins 09).
        let groups = chars[i..end].iter().filter(|c| !c.is_ascii_digit()).count();
        if groups == 0 || groups == 2 {
            found.push((PiiKind::Mobile, i, end));
            return Some(end);
        }
    }
    if d.len() == 8 && matches!(d[0], 5 | 6 | 9) && (i == 0 || chars[i - 1] != '-') {
        let before: String = chars[i.saturating_sub(8)..i].iter().collect::<String>().to_lowercase();
        let after: String = chars[end..(end + 5).min(chars.len())].iter().collect();
        let cued =
            PHONE_CUES.iter().any(|c| before.contains(c)) || after.starts_with("(香港)") || after.starts_with("(澳门)");
        if cued && *hk.get_or_insert_with(|| HK_SIGNS.iter().any(|s| contains(chars, s))) {
            found.push((PiiKind::Mobile, i, end));
            return Some(end);
        }
    }
    None
}

/// Words for a travel or service document that identifies its holder.
const DOCUMENTS: [&str; 8] = ["护照", "港澳通行证", "通行证", "台胞证", "回乡证", "军官证", "士兵证", "证件"];

/// A document's number after its word at `i`, up to a few fillers (号, 码, ：, 是): seven to
/// twelve letters and digits with a digit among them, or a military number as its office writes
/// it (南字第2016874号, one character, 字第, the digits, 号).
pub(super) fn document_number(chars: &[char], i: usize, found: &mut Found) {
    let Some(w) = DOCUMENTS.iter().find(|w| starts_with_at(chars, i, w)) else { return };
    // 通行证 inside 港澳通行证 is found at its own start.
    if *w == "通行证" && i >= 2 && chars[i - 2..i] == ['港', '澳'] {
        return;
    }
    let mut s = i + w.chars().count();
    while matches!(chars.get(s), Some('号' | '码' | ' ' | ':' | '：' | '是' | '为')) {
        s += 1;
    }
    if chars.get(s).is_some_and(|&c| is_han(c)) && starts_with_at(chars, s + 1, "字第") {
        let d = s + 3;
        let mut e = d;
        while chars.get(e).is_some_and(char::is_ascii_digit) {
            e += 1;
        }
        if e - d >= 5 && chars.get(e) == Some(&'号') {
            found.push((PiiKind::IdCard, s, e + 1));
        }
        return;
    }
    let mut e = s;
    while e < chars.len() && chars[e].is_ascii_alphanumeric() {
        e += 1;
    }
    // A number in groups (护照75 4418923): a short first group and one space before the rest.
    if (2..=4).contains(&(e - s)) && chars.get(e) == Some(&' ') {
        let mut k = e + 1;
        while k < chars.len() && chars[k].is_ascii_alphanumeric() {
            k += 1;
        }
        if k - e > 5 && k - s <= 13 {
            e = k;
        }
    }
    if (7..=13).contains(&(e - s)) && chars[s..e].iter().any(|c| c.is_ascii_digit()) {
        found.push((PiiKind::IdCard, s, e));
    }
}
