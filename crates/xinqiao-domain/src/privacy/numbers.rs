//! The number scanners: mobile numbers, landlines, 身份证号, bank cards and QQ numbers. Digit
//! groups joined by single spaces or dashes are tried together (138 1234 5678, 6222 0212 …), and
//! a number must not run into other letters or digits.

use super::PiiKind;
pub(super) use super::references::after_reference_cue;
use super::references::{english_reference, named_reference};

pub(super) type Found = Vec<(PiiKind, usize, usize)>;

use crate::ids::{id18_structure, valid_id15};

#[cfg(test)]
pub fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, c)| {
            let v = u32::from(c - b'0');
            if i % 2 == 1 { if v * 2 > 9 { v * 2 - 9 } else { v * 2 } } else { v }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// An enterprise's nationwide service number (400-820-8820, 800 810 5888): ten digits from 400
/// or 800. Not personal data, and never cut into a local number (4006-888 and 999).
pub(super) fn service_number(d: &[u8]) -> bool {
    d.len() == 10 && (d.starts_with(b"400") || d.starts_with(b"800"))
}

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// Whether a whole number written in odd groups (3301 06 1988 04 17 2737, 420106 199207 15 3024,
/// 15937 6 2 0 4 8 1) has the strong structure of a 身份证号 or a mobile: groups of at most six,
/// eighteen digits of an ID's structure or eleven of a mobile's. People group such numbers as
/// they read them off a card or a screen, not only in threes and fours.
pub(super) fn strong_whole(d: &[u8], sizes: &[usize]) -> bool {
    sizes.len() > 1
        && sizes.iter().all(|&s| s <= 6)
        && (d.len() == 18 && id18_structure(&d[..17]) && (d[17].is_ascii_digit() || d[17] == b'X') || is_mobile(d))
}

pub(super) fn landline(d: &[u8]) -> bool {
    if d.first() != Some(&b'0') || d.get(1) == Some(&b'0') {
        return false;
    }
    let area = if matches!(d.get(1), Some(b'1') | Some(b'2')) { 3 } else { 4 };
    (7..=8).contains(&(d.len().saturating_sub(area))) && d[area] != b'0' && d[area] != b'1'
}

/// The text just before `at` (ten characters at most), without trailing fillers such as `：`,
/// `是`, `号`. A slice, not a string: this runs for every number.
fn cue_before(chars: &[char], at: usize) -> &[char] {
    let from = at.saturating_sub(10);
    let mut end = at;
    while end > from && matches!(chars[end - 1], ' ' | ':' | '：' | '是' | '为' | '号' | '码' | '-' | ',') {
        end -= 1;
    }
    &chars[from..end]
}

/// Whether `cue` ends with `word`, ASCII letters in any case.
pub(super) fn ends_with(cue: &[char], word: &str) -> bool {
    // Compared from the last character (most words differ there), nothing counted first.
    let mut tail = cue.iter().rev();
    word.chars().rev().all(|w| tail.next().is_some_and(|c| c.eq_ignore_ascii_case(&w)))
}

fn after_qq_cue(chars: &[char], at: usize) -> bool {
    let cue = cue_before(chars, at);
    let tail = &chars[at.saturating_sub(7)..at];
    let qq = tail.windows(2).any(|w| {
        (w[0].eq_ignore_ascii_case(&'Q') && w[1].eq_ignore_ascii_case(&'Q')) || (w[0] == '扣' && w[1] == '扣')
    });
    // A QQ group's number (QQ群 …) is no person's.
    let group = cue.last() == Some(&'群');
    // A lone Q (加我Q, Q号) or the penguin (企鹅号) says QQ too.
    let lone_q = ends_with(cue, "Q") && !cue[..cue.len() - 1].last().is_some_and(char::is_ascii_alphabetic);
    !group
        && (ends_with(cue, "QQ")
            || ends_with(cue, "扣扣")
            || ends_with(cue, "企鹅")
            || lone_q
            || qq && !tail.contains(&'。'))
}

/// A word for a card or an account just before (卡号, 账号, 存折 …): a number there is one
/// whatever its length or checksum.
fn after_card_cue(chars: &[char], at: usize) -> bool {
    let cue = cue_before(chars, at);
    ["卡", "账", "帐", "账户", "存折", "户", "银行", "转到", "打到", "退到"].iter().any(|c| ends_with(cue, c))
}

/// A shop's member or stored-value card named before a short card number (会员：聂*（卡号8800 2211
/// 4739）, 储值卡号 …): twelve to fifteen digits there are the shop's card, no bank's.
fn member_card(chars: &[char], at: usize) -> bool {
    let tail = &chars[at.saturating_sub(14)..at];
    ["会员", "储值", "积分", "购物卡", "油卡", "饭卡", "公交卡", "健身卡"]
        .iter()
        .any(|w| (0..tail.len()).any(|k| super::text::starts_with_at(tail, k, w)))
}

/// A word for a mobile right before a number (手机号（137 0125 8846）, 手机：): it outweighs a
/// reference's word earlier in the clause (外卖单号和手机号（…）).
pub(super) fn after_mobile_word(chars: &[char], at: usize) -> bool {
    let mut e = at;
    while e > 0 && at - e < 2 && matches!(chars[e - 1], '（' | '(' | ' ') {
        e -= 1;
    }
    let cue = cue_before(chars, e);
    ends_with(cue, "手机") || ends_with(cue, "电话")
}

/// A word for a telephone just before: a local number of seven or eight digits is a landline.
pub(super) fn after_phone_cue(chars: &[char], at: usize) -> bool {
    let cue = cue_before(chars, at);
    ["电话", "座机", "固话", "传真", "打", "拨", "联系", "联系方式", "热线", "客服", "致电", "来电", "tel", "分机"]
        .iter()
        .any(|c| ends_with(cue, c))
}

/// An area code said apart earlier in the clause (区号零一零，号码六二八三 五七四六): a local number
/// follows.
fn after_area_code(chars: &[char], at: usize) -> bool {
    let from = at.saturating_sub(14);
    let tail = &chars[from..at];
    let since = tail.iter().rposition(|c| matches!(c, '。' | '\n' | ';' | '；' | '?' | '!')).map_or(0, |p| p + 1);
    tail[since..].windows(2).any(|w| w == ['区', '号'])
}

/// The kind of identifier these digits are (ASCII, `X` allowed last), judged by structure and
/// context. A checksum never decides whether a number is personal data: an 18-digit number with
/// the structure of a 身份证号 is one even with a wrong check character, and a 16–19 digit number
/// is a card whether or not it passes Luhn.
pub(super) fn kind_of_digits(chars: &[char], start: usize, d: &[u8]) -> Option<PiiKind> {
    let n = d.len();
    if (5..=11).contains(&n) && after_qq_cue(chars, start) {
        return Some(PiiKind::ImId);
    }
    // Dialled from abroad with another country's code (+7 925 613 4480, +64 22 318 9054, +852 6123
    // 4587): a mobile by the labelling rules, whatever the country's plan.
    let foreign = start > 0
        && chars[start - 1] == '+'
        && (start < 2 || !chars[start - 2].is_ascii_alphanumeric())
        && !d.starts_with(b"86");
    if foreign && (9..=13).contains(&n) && d.iter().all(u8::is_ascii_digit) && d[0] != b'0' {
        return Some(PiiKind::Mobile);
    }
    if is_mobile(d) && !named_reference(chars, start)
        || (n == 13 && d.starts_with(b"86") && is_mobile(&d[2..]))
        || (n == 15 && d.starts_with(b"0086") && is_mobile(&d[4..]))
    {
        return Some(PiiKind::Mobile);
    }
    if n == 18 && id18_structure(&d[..17]) && (d[17].is_ascii_digit() || d[17] == b'X') {
        return Some(PiiKind::IdCard);
    }
    // A telephone word right before the number outweighs a reference word earlier in the clause
    // (工单：来电人座机8563 2174).
    let phone_cue = after_phone_cue(chars, start);
    if !d.iter().all(u8::is_ascii_digit) || after_reference_cue(chars, start) && !phone_cue {
        return None;
    }
    if n == 15 && valid_id15(d) {
        return Some(PiiKind::IdCard);
    }
    let card_cue = after_card_cue(chars, start);
    if ((16..=19).contains(&n) && d[0] != b'0' && (card_cue || !english_reference(chars, start)))
        || ((12..=19).contains(&n) && card_cue && (n >= 16 || !member_card(chars, start)))
    {
        return Some(PiiKind::BankCard);
    }
    let local = (7..=8).contains(&n) && d[0] != b'0' && d[0] != b'1';
    if landline(d) || ((7..=8).contains(&n) && d[0] != b'0' && phone_cue) || local && after_area_code(chars, start) {
        return Some(PiiKind::Landline);
    }
    // An area code said without its trunk zero (座机是幺零 六二八三 五七四六, 前面加零).
    if (9..=11).contains(&n) && d[0] != b'0' && phone_cue && !service_number(d) {
        let mut with_zero = vec![b'0'];
        with_zero.extend_from_slice(d);
        if landline(&with_zero) {
            return Some(PiiKind::Landline);
        }
    }
    None
}

fn classify(chars: &[char], start: usize, end: usize, digits: &[u8]) -> Option<(PiiKind, usize, usize)> {
    if digits.len() == 17 && matches!(chars.get(end), Some('X' | 'x')) {
        let mut with_x = digits.to_vec();
        with_x.push(b'X');
        if kind_of_digits(chars, start, &with_x) == Some(PiiKind::IdCard) {
            return Some((PiiKind::IdCard, start, end + 1));
        }
    }
    let kind = kind_of_digits(chars, start, digits)?;
    let start = if kind == PiiKind::Mobile && start > 0 && chars[start - 1] == '+' { start - 1 } else { start };
    Some((kind, start, end))
}

/// Landlines written with the area code in brackets, however spaced: （021）54321098,
/// (010) 6283 5746, （ 0571 ）8702 2345, (0574)↵87123456 (broken after the bracket).
fn bracketed_landlines(chars: &[char], found: &mut Found) {
    let blank = |c: char| matches!(c, ' ' | '\t');
    // ( and （ (normalised), 〔 and 【 as OCR and some input methods give them.
    for (i, &open) in chars.iter().enumerate().filter(|(_, c)| matches!(**c, '(' | '〔' | '【' | '[')) {
        let close = match open {
            '〔' => '〕',
            '【' => '】',
            '[' => ']',
            _ => ')',
        };
        let mut j = i + 1;
        while j < chars.len() && blank(chars[j]) {
            j += 1;
        }
        let a = j;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        let area = j - a;
        if !(3..=4).contains(&area) || chars[a] != '0' || chars[a + 1] == '0' {
            continue;
        }
        while j < chars.len() && blank(chars[j]) {
            j += 1;
        }
        if chars.get(j) != Some(&close) {
            continue;
        }
        // Up to two blanks or a line break between the bracket and the local number.
        let mut k = j + 1;
        let mut skipped = 0;
        while k < chars.len() && skipped < 2 && matches!(chars[k], ' ' | '\t' | '\n' | '\r' | '-') {
            k += 1;
            skipped += 1;
        }
        let s = k;
        let mut gaps = 0;
        while k < chars.len()
            && (chars[k].is_ascii_digit()
                || (matches!(chars[k], ' ' | '-' | '\n')
                    && gaps == 0
                    && chars.get(k + 1).is_some_and(char::is_ascii_digit)))
        {
            gaps += usize::from(!chars[k].is_ascii_digit());
            k += 1;
        }
        let local = k - s - gaps;
        if (7..=8).contains(&local)
            && !matches!(chars[s], '0' | '1')
            && !chars.get(k).is_some_and(|c| c.is_ascii_alphanumeric())
        {
            found.push((PiiKind::Landline, i, k));
        }
    }
}

/// Whether digit groups of these sizes are grouped as people group a telephone, card or ID
/// number: digit by digit, or groups of three or more with at most one shorter group at either
/// end (…1243 26), the country code of a number dialled from abroad aside.
pub(super) fn plausible_grouping(sizes: &[usize], abroad: bool) -> bool {
    let inner = &sizes[usize::from(abroad).min(sizes.len())..];
    let short = inner.iter().filter(|&&s| s < 3).count();
    let one_by_one = inner.iter().all(|&s| s == 1);
    let ends = inner.first().is_some_and(|&s| s < 3) || inner.last().is_some_and(|&s| s < 3);
    one_by_one || short == 0 || short == 1 && ends
}

/// Extends each landline over its extension (转8001, -801, 分机 23, 转分机203, 内线6, ext. 12,
/// ，转幺零二 read out): the mask covers the number as dialled.
pub(super) fn extensions(chars: &[char], found: &mut Found) {
    for f in found.iter_mut().filter(|f| f.0 == PiiKind::Landline) {
        let mut k = f.2;
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        // A comma before 转 when the number is read out (…九九零零，转幺零二).
        if matches!(chars.get(k), Some(',' | '，')) && chars.get(k + 1) == Some(&'转') {
            k += 1;
        }
        let word = ["转分机", "转内线", "转", "-内线", "-分机", "-", "—", "分机", "内线", "ext.", "ext", "Ext.", "EXT"]
            .iter()
            .find(|w| super::text::starts_with_at(chars, k, w));
        let Some(word) = word else { continue };
        k += word.chars().count();
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        let s = k;
        let spoken = !chars.get(k).is_some_and(char::is_ascii_digit);
        while k < chars.len()
            && (chars[k].is_ascii_digit() || spoken && chars[k] != '两' && super::digits::digit_of(chars[k]).is_some())
        {
            k += 1;
        }
        // Read-out extensions are short and never a quantity (转一下, 转两次 are no extension).
        let enough = if spoken { (2..=5).contains(&(k - s)) } else { (1..=5).contains(&(k - s)) };
        if enough && !chars.get(k).is_some_and(|c| c.is_ascii_alphanumeric()) {
            f.2 = k;
        }
    }
    // A second local number after a landline (0571-88881234/88881235, 或 8888 1235): the same
    // line's other number.
    let mut more = Vec::new();
    for f in found.iter().filter(|f| f.0 == PiiKind::Landline) {
        let mut k = f.2;
        // The text is normalised: a full-width comma reads ','.
        let joiner = ["/", "、", " 或者 ", "或者", " 或 ", "或", ",或者", ",或", ", 或者", "，或者", "，或", " / "]
            .iter()
            .find(|w| super::text::starts_with_at(chars, k, w));
        let Some(joiner) = joiner else { continue };
        k += joiner.chars().count();
        while chars.get(k) == Some(&' ') {
            k += 1;
        }
        let s = k;
        let mut gaps = 0;
        while k < chars.len()
            && (chars[k].is_ascii_digit()
                || matches!(chars[k], ' ' | '-')
                    && gaps == 0
                    && k > s
                    && chars.get(k + 1).is_some_and(char::is_ascii_digit))
        {
            gaps += usize::from(!chars[k].is_ascii_digit());
            k += 1;
        }
        let n = k - s - gaps;
        let glued = chars.get(k).is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '元' | '块' | '万' | '.'));
        if (7..=8).contains(&n) && chars[s] != '0' && chars[s] != '1' && !glued {
            more.push((PiiKind::Landline, s, k));
        }
    }
    found.extend(more);
}

pub(super) fn scan(chars: &[char], protected: &[(usize, usize)], found: &mut Found) {
    bracketed_landlines(chars, found);
    // Digit groups: (start, end) of maximal ASCII-digit runs.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let s = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            groups.push((s, i));
        } else {
            i += 1;
        }
    }
    // Chains: groups separated by exactly one space or dash.
    let mut chains: Vec<Vec<(usize, usize)>> = Vec::new();
    for g in groups {
        match chains.last_mut() {
            Some(chain) if chain.last().is_some_and(|l| g.0 == l.1 + 1 && matches!(chars[l.1], ' ' | '-')) => {
                chain.push(g)
            }
            _ => chains.push(vec![g]),
        }
    }
    let alnum_at = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_ascii_alphanumeric());
    for chain in chains {
        // A reference number (订单号 3315 6789 0234 …) written in groups is one number: none of
        // its groups is a telephone.
        if chain.len() > 1
            && after_reference_cue(chars, chain[0].0)
            && !after_phone_cue(chars, chain[0].0)
            && !after_mobile_word(chars, chain[0].0)
        {
            continue;
        }
        let mut i = 0;
        while i < chain.len() {
            // A service number written in groups (400-820-8820) is skipped whole.
            let service = (i..chain.len().min(i + 4)).find(|&k| {
                let d: Vec<u8> =
                    chars[chain[i].0..chain[k].1].iter().filter(|c| c.is_ascii_digit()).map(|c| *c as u8).collect();
                k > i && service_number(&d)
            });
            if let Some(k) = service {
                i = k + 1;
                continue;
            }
            let mut matched = false;
            for j in (i..chain.len().min(i + 6)).rev() {
                let (start, end) = (chain[i].0, chain[j].1);
                if protected.iter().any(|p| start < p.1 && p.0 < end) {
                    continue;
                }
                // Whole numbers only: nothing alphanumeric glued on either side (the ID's X aside).
                if alnum_at(start.checked_sub(1)) {
                    continue;
                }
                // Groups as people group a number, and no date among them (2026 03 12 …).
                if j > i {
                    let sizes: Vec<usize> = chain[i..=j].iter().map(|g| g.1 - g.0).collect();
                    let abroad =
                        start > 0 && chars[start - 1] == '+' || chars[start..].starts_with(&['0', '0', '8', '6']);
                    // A year and a month (2026 03 12 …; not 2086 73), at the start or with a day
                    // after it (a card's last groups 1941 3 are no date).
                    let value = |(c, d): (usize, usize)| {
                        chars[c..d].iter().fold(0, |v, &x| v * 10 + (x as usize - '0' as usize))
                    };
                    let dated = (i..j).any(|g| {
                        let (a, b) = chain[g];
                        let (c, d) = chain[g + 1];
                        let day = g + 2 <= j
                            && chain[g + 2].1 - chain[g + 2].0 <= 2
                            && (1..=31).contains(&value(chain[g + 2]));
                        b - a == 4
                            && matches!(&chars[a..a + 2], ['1', '9'] | ['2', '0'])
                            && d - c <= 2
                            && (1..=12).contains(&value((c, d)))
                            && (g == i || day)
                    });
                    // An area code and the local number in pairs (0898-66 77 88 99).
                    let area_pairs = chars[start] == '0'
                        && (3..=4).contains(&sizes[0])
                        && sizes.len() >= 4
                        && sizes[1..].iter().all(|&s| (2..=4).contains(&s));
                    // A mobile read in pairs (13 97 71 23 456): the whole chain, eleven digits.
                    let whole = i == 0 && j == chain.len() - 1;
                    // A single digit may end it (13 56 77 84 09 1).
                    let (body, tail) = sizes.split_at(sizes.len() - 1);
                    let mobile_pairs = whole
                        && body.iter().all(|s| (2..=4).contains(s))
                        && (1..=4).contains(&tail[0])
                        && sizes.iter().sum::<usize>() == 11
                        && chars[start] == '1';
                    let d: Vec<u8> =
                        chars[start..end].iter().filter(|c| c.is_ascii_digit()).map(|c| *c as u8).collect();
                    let strong = whole && strong_whole(&d, &sizes) && (!dated || d.len() == 18);
                    if !strong && (dated || !(plausible_grouping(&sizes, abroad) || area_pairs || mobile_pairs)) {
                        continue;
                    }
                }
                let digits: Vec<u8> =
                    chars[start..end].iter().filter(|c| c.is_ascii_digit()).map(|c| *c as u8).collect();
                let Some(hit) = classify(chars, start, end, &digits) else {
                    continue;
                };
                if alnum_at(Some(hit.2)) {
                    continue;
                }
                found.push(hit);
                i = j + 1;
                matched = true;
                break;
            }
            if !matched {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    /// `ends_with` as it was written first (count, then compare forwards): the reverse walk must agree.
    fn ends_with_counted(cue: &[char], word: &str) -> bool {
        let n = word.chars().count();
        cue.len() >= n && cue[cue.len() - n..].iter().zip(word.chars()).all(|(c, w)| c.eq_ignore_ascii_case(&w))
    }

    #[test]
    fn ends_with_compares_from_the_end_as_counted() {
        let words = ["电话", "打", "联系方式", "tel", "TEL", "", "分机", "话"];
        let cues = ["", "话", "电话", "我的电话", "联系方式", "方式", "Tel", "my tel", "te", "分机号", "打", "拨打"];
        for c in cues {
            let chars: Vec<char> = c.chars().collect();
            for w in words {
                assert_eq!(super::ends_with(&chars, w), ends_with_counted(&chars, w), "{c} / {w}");
            }
        }
        assert!(super::ends_with(&['T', 'e', 'L'], "tel"));
        assert!(!super::ends_with(&['e', 'l'], "tel"));
    }
}
