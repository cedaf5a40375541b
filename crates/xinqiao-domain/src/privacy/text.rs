//! The text scanners: e-mail, licence plates, WeChat ids after their cue words, detailed street
//! addresses; and the ranges that are not personal data (统一社会信用代码, enterprise names).

use super::PiiKind;
use super::charset::HanSet;
use std::sync::LazyLock;

type Found = Vec<(PiiKind, usize, usize)>;

const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const PLATE_SUFFIXES: &str = "学警挂港澳";

/// Characters that end a place or company name when reading leftwards.
pub(super) fn is_stop(c: char) -> bool {
    !is_han(c) && !c.is_ascii_alphanumeric()
        || matches!(
            c,
            '在' | '住'
                | '于'
                | '是'
                | '到'
                | '从'
                | '往'
                | '至'
                | '的'
                | '和'
                | '与'
                | '及'
                | '向'
                | '对'
                | '被'
                | '去'
                | '跟'
                | '给'
                | '找'
                | '了'
                | '我'
                | '你'
                | '他'
                | '她'
                | '们'
                | '说'
                | '买'
                | '办'
                | '把'
                | '让'
                | '请'
                | '叫'
        )
}

/// Two-character words that end what was said before an organisation's name (殷秀珍等3人来访反映
/// 康乐园养老服务中心…): its name starts after them, never at the clause's start, so that a person
/// named earlier in the clause is not taken into the organisation's protected span.
const BEFORE_AN_ORGANISATION: [&str; 16] = [
    "反映", "投诉", "举报", "来访", "来电", "表示", "称在", "告诉", "联系", "发现", "要求", "认为", "等人", "一行",
    "陪同", "带着",
];

/// Whether one of [`BEFORE_AN_ORGANISATION`] ends right before `at`.
fn after_verb(chars: &[char], at: usize) -> bool {
    at >= 2 && BEFORE_AN_ORGANISATION.iter().any(|w| starts_with_at(chars, at - 2, w))
}

const WECHAT_CUES: [&str; 13] =
    ["微信号", "微信", "weixin", "WeChat", "wechat", "VX", "vx", "V信", "v信", "加V", "加v", "薇信", "威信"];

pub(super) fn is_han(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

pub(super) fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Ranges that hold no personal data and must survive: valid 统一社会信用代码 and enterprise
/// names (a run of characters ending in 公司, 超市, 健身房 …).
pub(super) fn protected_ranges(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // 统一社会信用代码: 18 symbols from its alphabet, standing alone (a whole run of ASCII letters
    // and digits), with a valid check character.
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i - start != 18 {
            continue;
        }
        let s: String = chars[start..i].iter().collect();
        let b = s.as_bytes();
        // Decided by structure, never by which checksum happens to pass: 17 digits and a digit
        // or X (either case) with a province and a birth date is a 身份证号, unless a cue says code.
        let id_like = b[..17].iter().all(u8::is_ascii_digit)
            && (b[17].is_ascii_digit() || b[17] == b'X' || b[17] == b'x')
            && crate::ids::id18_structure(&b[..17]);
        let cue: String = chars[start.saturating_sub(12)..start].iter().collect();
        let code_cue = cue.contains("代码") || cue.contains("信用");
        let alphabetic = b.iter().any(u8::is_ascii_alphabetic);
        if ((alphabetic && !id_like) || code_cue) && crate::ids::uscc_structure(b) {
            out.push((start, i));
        }
    }
    const SUFFIXES: &[&str] = &[
        "部门",
        "监管局",
        "管理局",
        "委员会",
        "派出所",
        "事务所",
        "监管所",
        "研究所",
        "研究院",
        "法院",
        "检察院",
        "公安局",
        "协会",
        "消协",
        "消保委",
        "机关",
        "支队",
        "大队",
        "合作社",
        "学校",
        "大学",
        "学院",
        "银行",
        "分行",
        "支行",
        "中心",
        "委",
        "有限责任公司",
        "股份有限公司",
        "有限公司",
        "分公司",
        "公司",
        "集团",
        "商行",
        "超市",
        "商场",
        "门店",
        "餐厅",
        "饭店",
        "酒店",
        "宾馆",
        "健身房",
        "健身中心",
        "工作室",
        "驾校",
        "会所",
        "俱乐部",
        "美容院",
        "培训中心",
        "培训学校",
        "药店",
        "药房",
        "医院",
        "诊所",
        "专卖店",
        "旗舰店",
        "营业部",
        "店",
        "馆",
        "铺",
        "厂",
    ];
    // The suffixes by their last character, sorted: only positions ending in one of these
    // characters are worth trying. This runs on every character: a set of those characters, one
    // bit each, rejects most positions before a binary search (a mask of their low six bits let
    // half of all Han characters through).
    type ByLast = (HanSet, Vec<char>, Vec<(char, &'static str)>);
    static BY_LAST: LazyLock<ByLast> = LazyLock::new(|| {
        let mut v: Vec<(char, &str)> = SUFFIXES.iter().filter_map(|s| Some((s.chars().last()?, *s))).collect();
        v.sort_by_key(|(c, _)| *c);
        let mut set = HanSet::new("");
        let others = v.iter().map(|(c, _)| *c).filter(|&c| !set.insert(c)).collect();
        (set, others, v)
    });
    let (set, others, by_last) = (&BY_LAST.0, BY_LAST.1.as_slice(), BY_LAST.2.as_slice());
    for end in 1..=chars.len() {
        let last = chars[end - 1];
        if !set.contains(last) && !others.contains(&last) {
            continue;
        }
        let from = by_last.partition_point(|(c, _)| *c < last);
        for &(_, suf) in by_last[from..].iter().take_while(|(c, _)| *c == last) {
            let n = suf.chars().count();
            // 中心主任, 大学生: the suffix is part of another word.
            let continues = || {
                matches!(chars.get(end), Some('长' | '任' | '生' | '员' | '托' | '屈' | '婉'))
                // 霍姓店主, 那家铺主: the owner of a shop, not the shop (店主营 is the shop's trade).
                || matches!(suf, "店" | "馆" | "铺" | "厂") && chars.get(end) == Some(&'主') && chars.get(end + 1) != Some(&'营')
                // 管店, 开店, 看店: a verb and its object, not a shop's name (他儿子郑斌管店).
                || suf == "店" && end >= 2 && "管开看守关进回到去逛离".contains(chars[end - 2])
                // 手机关机, 司机关门: 机关 across a device or a driver and a verb is no public body.
                || suf == "机关" && end >= 3 && "手飞司相耳电主开关死待".contains(chars[end - 3])
            };
            if end >= n && starts_with_at(chars, end - n, suf) && !continues() {
                let mut start = end - n;
                loop {
                    // (A determiner is no part of the name: 胡建新系|该超市员工, 在|这家店.)
                    while start > 0
                        && end - start < 30
                        && !is_stop(chars[start - 1])
                        && !after_verb(chars, start)
                        && !matches!(chars[start - 1], '该' | '这' | '此' | '称' | '受')
                    {
                        start -= 1;
                    }
                    // A place in brackets inside the name: 康盛（苏州）医疗器械有限公司.
                    let open = (start >= 2 && matches!(chars[start - 1], '）' | ')'))
                        .then(|| (start.saturating_sub(8)..start - 1).rev().find(|&k| matches!(chars[k], '（' | '(')))
                        .flatten();
                    match open {
                        Some(k) if k > 0 && !is_stop(chars[k - 1]) => start = k,
                        _ => break,
                    }
                }
                if start < end - n {
                    out.push((start, end));
                }
            }
        }
    }
    out
}

fn email(chars: &[char], found: &mut Found) {
    let local = |c: char| c.is_ascii_alphanumeric() || "._%+-".contains(c);
    let domain = |c: char| c.is_ascii_alphanumeric() || ".-".contains(c);
    for (at, _) in chars.iter().enumerate().filter(|(_, c)| **c == '@') {
        // Typed on a phone, the @ often gets a space on either side (chen.jing @ 126.com).
        let gap_before = at >= 2 && chars[at - 1] == ' ' && local(chars[at - 2]);
        let gap_after = chars.get(at + 1) == Some(&' ') && chars.get(at + 2).is_some_and(|c| c.is_ascii_alphanumeric());
        let mut s = at - usize::from(gap_before);
        let local_end = s;
        while s > 0 && local(chars[s - 1]) {
            s -= 1;
        }
        let at = at + usize::from(gap_after);
        let mut e = at + 1;
        while e < chars.len() && domain(chars[e]) {
            e += 1;
        }
        while e > at + 1 && chars[e - 1] == '.' {
            e -= 1;
        }
        let dom: String = chars[at + 1..e].iter().collect();
        let tld_ok = dom
            .rsplit_once('.')
            .is_some_and(|(h, t)| !h.is_empty() && t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
        if s < local_end && tld_ok {
            found.push((PiiKind::Email, s, e));
        }
    }
}

fn plate(chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        // The cheap test first: this runs on every character.
        // A space after the province (京 A12345) and letters in lower case (浙a5n2c8, typed on a
        // phone) are still a plate.
        let gap = usize::from(chars.get(i + 1) == Some(&' '));
        let Some(letter) = chars.get(i + 1 + gap) else { continue };
        if !letter.is_ascii_alphabetic() || !PLATE_PROVINCES.contains(chars[i]) {
            continue;
        }
        let lower = letter.is_ascii_lowercase();
        let mut j = i + 2 + gap;
        if matches!(chars.get(j), Some('·' | '•' | ' ' | '-')) {
            j += 1;
        }
        let symbol = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || lower && c.is_ascii_lowercase();
        // The body's symbols, and whether single spaces stand between them as people type or read
        // a plate (桂B 8 3 2 7 1, 桂AD 12345: the new-energy letter before the space).
        let mut body: Vec<char> = Vec::with_capacity(6);
        let mut spaced = false;
        while j < chars.len() && body.len() < 6 {
            if symbol(chars[j]) {
                body.push(chars[j]);
                j += 1;
            } else if chars[j] == ' ' && !body.is_empty() && chars.get(j + 1).is_some_and(|&c| symbol(c)) {
                spaced = true;
                j += 1;
            } else {
                break;
            }
        }
        let glued = chars.get(j).is_some_and(|c| c.is_ascii_alphanumeric())
            // A spaced plate is whole: no further symbol after one more space (桂A 12345 6789).
            || spaced && chars.get(j) == Some(&' ') && chars.get(j + 1).is_some_and(|c| c.is_ascii_alphanumeric());
        let has_digit = body.iter().any(|c| c.is_ascii_digit());
        // In lower case or with spaces it must look like a plate, not a word (新mate60, 苏 B站):
        // three digits at least and at most two letters.
        let digits = body.iter().filter(|c| c.is_ascii_digit()).count();
        if (lower || gap > 0 || spaced) && (digits < 3 || body.len() - digits > 2) {
            continue;
        }
        if (5..=6).contains(&body.len()) && has_digit && !glued {
            found.push((PiiKind::Plate, i, j));
        } else if body.len() == 4 && has_digit && !glued && chars.get(j).is_some_and(|c| PLATE_SUFFIXES.contains(*c)) {
            // Learner, police, trailer, Hong Kong and Macao plates: four symbols and a character.
            found.push((PiiKind::Plate, i, j + 1));
        }
    }
}

fn wechat(chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if !matches!(chars[i], '微' | 'w' | 'W' | 'V' | 'v' | '加' | '薇' | '威') {
            continue;
        }
        let Some(cue) = WECHAT_CUES.iter().find(|c| starts_with_at(chars, i, c)) else {
            continue;
        };
        let mut j = i + cue.chars().count();
        while matches!(chars.get(j), Some(' ' | ':' | '：' | '是' | '为' | '号')) {
            j += 1;
        }
        let s = j;
        if !chars.get(s).is_some_and(|c| c.is_ascii_alphabetic()) {
            continue;
        }
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || "_-".contains(chars[j])) {
            j += 1;
        }
        if (6..=20).contains(&(j - s)) {
            found.push((PiiKind::ImId, s, j));
        }
    }
}

pub(super) fn scan(chars: &[char], found: &mut Found) {
    email(chars, found);
    plate(chars, found);
    wechat(chars, found);
    super::handles::scan(chars, found);
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_on_each_kind_of_suffix_are_protected() {
        for name in [
            "我去了阳光健身房",
            "在城南派出所",
            "找苏州姑苏示例健身管理有限公司",
            "星光俱乐部的",
            "向市场监督管理局",
            "老街药店",
        ] {
            let chars: Vec<char> = name.chars().collect();
            assert!(!super::protected_ranges(&chars).is_empty(), "{name}");
        }
        let chars: Vec<char> = "我叫李秀英，今年六十八岁".chars().collect();
        assert!(super::protected_ranges(&chars).is_empty());
    }

    #[test]
    fn the_wechat_filter_covers_every_word() {
        for w in super::WECHAT_CUES {
            assert!(matches!(w.chars().next().unwrap(), '微' | 'w' | 'W' | 'V' | 'v' | '加' | '薇' | '威'), "{w}");
        }
    }
}
