//! Numbers read out or typed loosely: digit runs in Chinese numerals (一三九，七一零六，三五二八;
//! 幺 两 洞 拐 勾, 壹贰), mixed with digits, spaced one by one, grouped with dots, brackets or
//! commas, broken across lines, glued to TEL/V/Q. Each run is normalised to its digits (each
//! with the position of the character it came from) and judged, group window by window, by the
//! same identifier rules as plain numbers; offsets stay those of the written text.

use super::PiiKind;
use super::numbers::{self, Found};

/// The value of a character read as a digit, if it is one. Besides the ordinary and the
/// financial numerals, the words used to read numbers out clearly: 幺 (1), 两 (2), 拐 (7), 勾 (9),
/// 洞 (0).
pub(super) fn digit_of(c: char) -> Option<u8> {
    Some(match c {
        '0'..='9' => c as u8 - b'0',
        // Circled digits (①③⑧…), as sellers write a number to slip past a platform's filter.
        '①'..='⑨' => (c as u32 - '①' as u32 + 1) as u8,
        '⓪' => 0,
        '零' | '〇' | '○' | '洞' => 0,
        '一' | '幺' | '壹' => 1,
        '二' | '贰' | '两' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' | '拐' => 7,
        '八' | '捌' => 8,
        '九' | '玖' | '勾' => 9,
        _ => return None,
    })
}

fn separator(c: char) -> bool {
    matches!(c, ' ' | ',' | '，' | '、' | '-' | '—' | '.' | '·' | '\n' | '\r' | '\t' | '(' | ')')
        || emoji(c)
        // Fillers of speech between groups read out (幺五幺，零三幺七，嗯，八八六二).
        || matches!(c, '嗯' | '呃' | '额')
}

/// An emoji or a pictograph (🌟, ✨, ❤, ★, the variation selector after one), as sellers put
/// between a number's groups to slip past a platform's filter (138🌟1234🌟5678).
fn emoji(c: char) -> bool {
    let u = c as u32;
    u >= 0x1F000 || (0x2600..=0x27BF).contains(&u) || matches!(u, 0x2B50 | 0x2B55 | 0xFE0F | 0x200D | 0x2605 | 0x2606)
}

/// How digit groups are joined: the separators between two groups of a run, by class.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joint {
    /// Single space or hyphen: what the plain scanner reads (`numbers::scan`).
    Plain,
    /// Anything else without a comma: several spaces, dots, dashes, brackets, line breaks.
    Loose,
    /// A comma or 、 (a list, or a number read out in groups).
    Comma,
}

fn joint(between: &[char]) -> Joint {
    if between.iter().any(|c| matches!(c, ',' | '，' | '、')) {
        Joint::Comma
    } else if between.len() == 1 && matches!(between[0], ' ' | '-') {
        Joint::Plain
    } else {
        Joint::Loose
    }
}

/// A run of digits as written: its digits and where each sits in the text.
pub(super) struct Run {
    pub digits: Vec<u8>,
    pub at: Vec<usize>,
    pub chinese: usize,
    pub groups: usize,
}

/// Maximal runs of digits (ASCII or Chinese numerals) with at most two separator characters
/// between neighbours (a line break, `, `, `) `, ` - ` …).
pub(super) fn runs(chars: &[char]) -> Vec<Run> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if digit_of(chars[i]).is_none() {
            i += 1;
            continue;
        }
        // (Room for a mobile's eleven digits: most runs then grow no more.)
        let mut run = Run { digits: Vec::with_capacity(12), at: Vec::with_capacity(12), chinese: 0, groups: 1 };
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
            // Up to three separators (` - `, `, `, `\r\n`), then a digit again; or one star between
            // digits (138*7715*2046, written to slip past filters; 138****5678 hides digits).
            let mut k = j;
            while k < chars.len() && k < j + 3 && separator(chars[k]) {
                k += 1;
            }
            if k == j && chars[j] == '*' && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit()) {
                k = j + 1;
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

/// Letters people glue before a telephone number (TEL13952118860, V13812345678).
fn phone_prefix(chars: &[char], start: usize) -> bool {
    let mut s = start;
    while s > 0 && chars[s - 1].is_ascii_alphabetic() {
        s -= 1;
    }
    let word: String = chars[s..start].iter().map(char::to_ascii_lowercase).collect();
    let before_ok = s == 0 || !chars[s - 1].is_ascii_alphanumeric();
    before_ok
        && ["tel", "phone", "mobile", "mob", "cell", "call", "t", "m", "v", "vx", "wx", "q", "qq"]
            .contains(&word.as_str())
}

/// Whether digits `a..b` of `run` start like a date (2026.03.12, 2026-3-5) or a time.
fn date_like(chars: &[char], run: &Run, groups: &[(usize, usize)], g: usize) -> bool {
    let (a, b) = groups[g];
    let Some(&(c, d)) = groups.get(g + 1) else {
        return false;
    };
    let year = b - a == 4 && matches!(&run.digits[a..a + 2], [1, 9] | [2, 0]);
    let sep = &chars[run.at[b - 1] + 1..run.at[c]];
    // The group after the year is a month (2086 73 is part of a number, not a date).
    let month = run.digits[c..d].iter().fold(0, |v, &x| v * 10 + usize::from(x));
    year && d - c <= 2 && (1..=12).contains(&month) && sep.iter().all(|c| matches!(c, '.' | '-' | '/' | '—' | ' '))
}

/// Finds identifiers in runs the plain scanner cannot read: numbers read out in Chinese
/// numerals (also mixed with digits: 138幺二三四5678), spaced digit by digit, grouped with dots,
/// several spaces, brackets or commas, broken across lines, or glued to TEL/V. Each window of
/// consecutive digit groups is judged, longest first, by the identifier rules of `numbers` on its
/// digits; the span found covers the characters as written. `runs` are `runs(chars)` (found once
/// for this and `contact::scan`).
pub(super) fn scan(chars: &[char], runs: &[Run], protected: &[(usize, usize)], found: &mut Found) {
    for run in runs {
        scan_run(chars, protected, run, found);
    }
    across_turns(chars, runs, found);
    said_again(chars, protected, runs, found);
}

/// A local number said wrongly or corrected (座机6543 2190，她背错了说是6543 2109): seven or eight
/// digits, not from 0 or 1, that begin with the same four digits as a landline found in the text
/// and are as long as its local part, not an amount nor a reference, are a landline too.
fn said_again(chars: &[char], protected: &[(usize, usize)], runs: &[Run], found: &mut Found) {
    let landlines: Vec<Vec<u8>> = found
        .iter()
        .filter(|f| f.0 == PiiKind::Landline)
        .map(|f| chars[f.1..f.2].iter().filter_map(|&c| digit_of(c)).collect::<Vec<u8>>())
        .collect();
    if landlines.is_empty() {
        return;
    }
    let mut more = Vec::new();
    for run in runs {
        let n = run.digits.len();
        let (s, e) = (run.at[0], run.at[n - 1] + 1);
        if !(7..=8).contains(&n) || matches!(run.digits[0], 0 | 1) || run.chinese > 0 && run.chinese < n {
            continue;
        }
        let same = landlines.iter().any(|l| l.len() >= n && l[l.len() - n..l.len() - n + 4] == run.digits[..4]);
        let glued = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '¥' | '￥'));
        let unit = chars.get(e).is_some_and(|&c| "元块万年月日号个件次米".contains(c));
        if same
            && !unit
            && !glued(s.checked_sub(1).and_then(|k| chars.get(k)))
            && !glued(chars.get(e))
            && !numbers::after_reference_cue(chars, s)
            && !found.iter().any(|f| s < f.2 && f.1 < e)
            && !protected.iter().any(|p| s < p.1 && p.0 < e)
        {
            more.push((PiiKind::Landline, s, e));
        }
    }
    found.extend(more);
}

/// A mobile given in two turns of a call (来电人：幺八六…… / 坐席：您说。/ 来电人：一二七四，三九零五):
/// a mobile's first three digits ending their line, asked for or said after a word for a
/// telephone in the thirty characters before, and its other eight digits at the start of a turn
/// within the next three lines, nothing else in between.
fn across_turns(chars: &[char], runs: &[Run], found: &mut Found) {
    for pair in runs.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let (a_end, b_start) = (a.at[a.at.len() - 1] + 1, b.at[0]);
        let head = a.digits.len() == 3 && a.digits[0] == 1 && (3..=9).contains(&a.digits[1]);
        if !head || b.digits.len() != 8 || b_start - a_end > 30 {
            continue;
        }
        let between = &chars[a_end..b_start];
        let breaks = between.iter().filter(|&&c| c == '\n').count();
        // The head ends its line (……, 。 or nothing after it); the tail starts its turn (after a
        // label's colon or the line's start).
        let line_end = between.iter().position(|&c| c == '\n').unwrap_or(0);
        let head_ends = between[..line_end].iter().all(|&c| matches!(c, '…' | '。' | '，' | ',' | '.' | ' '));
        let last_line = between.iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1);
        let tail_head = &between[last_line..];
        let tail_starts = tail_head.is_empty()
            || tail_head.len() <= 8 && matches!(tail_head.last(), Some('：' | ':')) && !tail_head.contains(&' ');
        let phone = {
            let from = a.at[0].saturating_sub(30);
            let before: String = chars[from..a.at[0]].iter().collect();
            ["电话", "手机", "号码", "联系方式"].iter().any(|w| before.contains(w))
        };
        let taken = |s: usize, e: usize| found.iter().any(|f| s < f.2 && f.1 < e);
        let b_end = b.at[b.at.len() - 1] + 1;
        if (1..=3).contains(&breaks)
            && head_ends
            && tail_starts
            && phone
            && !taken(a.at[0], a_end)
            && !taken(b_start, b_end)
        {
            found.push((PiiKind::Mobile, a.at[0], a_end));
            found.push((PiiKind::Mobile, b_start, b_end));
        }
    }
}

fn scan_run(chars: &[char], protected: &[(usize, usize)], run: &Run, found: &mut Found) {
    let n = run.digits.len();
    if n < 5 {
        return;
    }
    // Groups: index ranges into the run's digits of characters standing next to each other.
    let mut groups: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    for k in 1..=n {
        if k == n || run.at[k] != run.at[k - 1] + 1 {
            groups.push((from, k));
            from = k;
        }
    }
    let between = |g: usize| &chars[run.at[groups[g].1 - 1] + 1..run.at[groups[g + 1].0]];
    let joints: Vec<Joint> = (0..groups.len() - 1).map(|g| joint(between(g))).collect();
    // A reference number (订单号 3315 6789 …) written in groups is one number.
    let reference = groups.len() > 1
        && numbers::after_reference_cue(chars, run.at[0])
        && !numbers::after_phone_cue(chars, run.at[0])
        && !numbers::after_mobile_word(chars, run.at[0]);
    // An amount (1,299,000元; ￥1 380) is no identifier.
    let last = run.at[n - 1] + 1;
    let money = matches!(chars.get(last), Some('元' | '块' | '万' | '亿' | '角'))
        || run.at[0] > 0 && matches!(chars[run.at[0] - 1], '¥' | '￥' | '$');
    if money {
        return;
    }
    let mut i = 0;
    while i < groups.len() {
        // A service number (四零零八二零八八二零, 400.820.8820) is skipped whole.
        let service = (i..groups.len().min(i + 10)).find(|&k| {
            let d: Vec<u8> = run.digits[groups[i].0..groups[k].1].iter().map(|d| b'0' + d).collect();
            numbers::service_number(&d)
        });
        if let Some(k) = service {
            i = k + 1;
            continue;
        }
        let mut matched = None;
        if !date_like(chars, run, &groups, i) {
            for j in (i..groups.len().min(i + 20)).rev() {
                if let Some(hit) = window(chars, protected, run, &groups, &joints[i..j], i, j, reference) {
                    matched = Some((j, hit));
                    break;
                }
            }
        }
        match matched {
            Some((j, hit)) => {
                found.push(hit);
                i = j + 1;
            }
            None => i += 1,
        }
    }
}

/// Judges groups `i..=j` of a run as one number.
#[allow(clippy::too_many_arguments)]
fn window(
    chars: &[char],
    protected: &[(usize, usize)],
    run: &Run,
    groups: &[(usize, usize)],
    joints: &[Joint],
    i: usize,
    j: usize,
    reference: bool,
) -> Option<(PiiKind, usize, usize)> {
    let (a, b) = (groups[i].0, groups[j].1);
    let len = b - a;
    if len < 5 || len > 19 && !(i == j && len >= 22) {
        return None;
    }
    let (mut start, mut end) = (run.at[a], run.at[b - 1] + 1);
    if protected.iter().any(|p| start < p.1 && p.0 < end) {
        return None;
    }
    let chinese = run.at[a..b].iter().filter(|&&p| !chars[p].is_ascii_digit()).count();
    let joined = i < j;
    // What the plain scanner reads itself: ASCII digits alone or in up to five groups joined by a
    // single space or hyphen, not glued to letters.
    let glued_letters = start > 0 && chars[start - 1].is_ascii_alphabetic();
    let plus = start > 0 && chars[start - 1] == '+';
    let abroad = plus || run.digits[a..].starts_with(&[0, 0, 8, 6]);
    if chinese == 0 && j - i < 5 && joints.iter().all(|&k| k == Joint::Plain) && !glued_letters && !abroad {
        return None;
    }
    if glued_letters && !phone_prefix(chars, start) {
        return None;
    }
    if joined && reference {
        return None;
    }
    // A whole run in odd groups with the strong structure of an ID or a mobile (3301 06 1988 04 17
    // 2737, 15937 6 2 0 4 8 1): whatever the grouping, and an ID's birth date is no date.
    let sizes: Vec<usize> = groups[i..=j].iter().map(|g| g.1 - g.0).collect();
    let strong = chinese == 0 && i == 0 && j == groups.len() - 1 && !joints.contains(&Joint::Comma) && {
        let d: Vec<u8> = run.digits[a..b].iter().map(|d| b'0' + d).collect();
        numbers::strong_whole(&d, &sizes)
    };
    // An ID sent as two messages (320584198807 / 122013): two groups with only a line break between
    // them, eighteen digits of an ID's structure.
    let split_id = chinese == 0
        && j == i + 1
        && len == 18
        && {
            let gap = &chars[run.at[groups[i].1 - 1] + 1..run.at[groups[j].0]];
            gap.contains(&'\n') && gap.iter().all(|&c| matches!(c, '\n' | '\r' | ' '))
        }
        && {
            let d: Vec<u8> = run.digits[a..b].iter().map(|d| b'0' + d).collect();
            crate::ids::id18_structure(&d[..17])
        };
    if chinese == 0 && joined && !strong && !split_id {
        // Written digits are joined only in the groupings people use for a telephone, card or
        // ID number: groups of at most eight, and with commas only groups of three or four.
        let sizes = sizes.iter().copied();
        if sizes.clone().any(|s| s > 8) {
            return None;
        }
        if joints.contains(&Joint::Comma) && sizes.clone().any(|s| !(3..=4).contains(&s)) {
            return None;
        }
        if !numbers::plausible_grouping(&sizes.collect::<Vec<_>>(), abroad) {
            return None;
        }
        // A year and a month at the window's start, or with a day after them (not a card's last
        // groups 1941 3).
        let day = |g: usize| {
            g <= j && groups[g].1 - groups[g].0 <= 2 && {
                let v = run.digits[groups[g].0..groups[g].1].iter().fold(0, |v, &x| v * 10 + usize::from(x));
                (1..=31).contains(&v)
            }
        };
        if (i..j).any(|g| date_like(chars, run, groups, g) && (g == i || day(g + 2))) {
            return None;
        }
    }
    // A few Chinese numerals among digits (138幺二三四5678): only as one unbroken number with the
    // strong structure of a mobile or a 身份证号.
    let mixed = chinese > 0 && chinese < 5 && chinese < len / 2;
    let mut digits: Vec<u8> = run.digits[a..b].iter().map(|d| b'0' + d).collect();
    if len == 17 && matches!(chars.get(end), Some('X' | 'x' | '叉')) {
        digits.push(b'X');
        end += 1;
    }
    let glued_after = chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric());
    if glued_after {
        return None;
    }
    if len >= 22 {
        // Two numbers read out one after the other: try a mobile at the front.
        if chinese > 0 && numbers::kind_of_digits(chars, start, &digits[..11]) == Some(PiiKind::Mobile) {
            return Some((PiiKind::Mobile, start, run.at[a + 10] + 1));
        }
        return None;
    }
    let mut kind = numbers::kind_of_digits(chars, start, &digits);
    // +86 10 6283 5746: a landline dialled from abroad.
    if kind.is_none() && (plus && digits.starts_with(b"86") || digits.starts_with(b"0086")) {
        let rest = if plus { &digits[2..] } else { &digits[4..] };
        let mut local = vec![b'0'];
        local.extend_from_slice(rest);
        if numbers::landline(&local) {
            kind = Some(PiiKind::Landline);
        }
    }
    let kind = kind?;
    // Groups each wholly in digits or wholly read out, three numerals at least (139 零五七一 2468,
    // 186-1274-三九零五, 零七七一 5567218): a number given partly in digits and partly in words.
    let whole_groups = groups[i..=j].iter().all(|&(ga, gb)| {
        let read = run.at[ga..gb].iter().filter(|&&p| !chars[p].is_ascii_digit()).count();
        read == 0 || read == gb - ga && read >= 3
    });
    let allowed = if joined {
        whole_groups && matches!(kind, PiiKind::Mobile | PiiKind::IdCard | PiiKind::Landline | PiiKind::BankCard)
    } else {
        matches!(kind, PiiKind::Mobile | PiiKind::IdCard)
    };
    if mixed && !allowed {
        return None;
    }
    if glued_letters && !matches!(kind, PiiKind::Mobile | PiiKind::ImId) {
        return None;
    }
    if plus {
        start -= 1;
        if start > 0 && chars[start - 1] == '(' {
            start -= 1;
        }
    }
    Some((kind, start, end))
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
