//! Senders of chat logs that `chat` reads through: what stands before a sender's own name inside
//! its label (a room number in an owners' group, 8-2-401 姜：; a role, 【场控小鱼儿】, 店长敖：),
//! senders in 【】 at the start of live-stream lines, the screen name given as a role's field
//! (主播：宝妈严选-晴晴), and whether a log is a register of people (minutes: 牛建业：, 汪洋：) so
//! that a speaker who starts with a surname is a person and not a screen name.

use super::PiiKind;
use super::chat::person_like;
use super::lexicon::{Lexicon, known_surname};
use super::names::Words;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// Roles that stand before a sender's own name inside a label (【场控小鱼儿】, 主播玉缘阁阿凤：,
/// 物业客服小芦：, 店长敖：).
const ROLES: [&str; 19] = [
    "主播",
    "助播",
    "副播",
    "场控",
    "运营",
    "房管",
    "管理员",
    "群主",
    "博主",
    "店主",
    "卖家",
    "买家",
    "团长",
    "楼主",
    "客服",
    "物业",
    "管家",
    "店长",
    "UP主",
];

/// Last characters of offices and bodies (中心, 监管所, 执法队, 办公室 …).
const OFFICE_ENDS: &str = "心所局办科队站院委处部室组会厅司庭团";

/// Roles whose field holds a person's screen name (主播：宝妈严选-晴晴, 场控：阿飞).
const SCREEN_ROLES: [&str; 15] = [
    "主播",
    "助播",
    "副播",
    "场控",
    "运营",
    "房管",
    "群主",
    "博主",
    "店主",
    "卖家",
    "团长",
    "UP主",
    "留言人",
    "发帖人",
    "网友",
];

/// Words for a person by what they are, as a transcript names its speakers (男子：, 女子：, 老人：,
/// 顾客：): roles, no screen names.
pub(super) const DESCRIPTIONS: [&str; 30] = [
    "男子",
    "女子",
    "男士",
    "老人",
    "老汉",
    "老太",
    "老太太",
    "大爷",
    "大妈",
    "大娘",
    "阿姨",
    "小伙",
    "小伙子",
    "姑娘",
    "男孩",
    "女孩",
    "孩子",
    "顾客",
    "老板",
    "老板娘",
    "司机",
    "村民",
    "居民",
    "房东",
    "学生",
    "病人",
    "工人",
    "保安",
    "邻居",
    "供货者",
];

/// Whether `s..e` is a speaker's role in a transcript, not a screen name: a person by what they
/// are (`DESCRIPTIONS`), a role on 者 (`ZHE_ROLES`), a role of the sender lists, or a label ending
/// on a field's or a role's character (执法人员, 当事人).
pub(super) fn speaker_role(chars: &[char], s: usize, e: usize) -> bool {
    let label = &chars[s..e];
    let is = |w: &&str| label.iter().copied().eq(w.chars());
    DESCRIPTIONS.iter().any(is)
        || super::chat::ZHE_ROLES.iter().any(is)
        || is_role(chars, s, e)
        || label.last().is_some_and(|&c| is_han(c) && super::chat::FIELD_ENDS.contains(c))
            && !super::nicknames::de_name(chars, s, e)
}

/// Where the label's own part starts after a room or building number and a space (8-2-401 姜,
/// 5-1-302 北方的狼, 3栋 王阿姨): the number holds a digit and ends at a space or a unit word.
pub(super) fn after_room(chars: &[char], s: usize, e: usize) -> usize {
    let mut k = s;
    while k < e && (chars[k].is_ascii_alphanumeric() || chars[k] == '-') {
        k += 1;
    }
    if k == s || !chars[s..k].iter().any(char::is_ascii_digit) {
        return s;
    }
    let digits_end = k;
    while k < e && matches!(chars[k], '栋' | '幢' | '号' | '楼' | '单' | '元' | '座' | '室') {
        k += 1;
    }
    let unit = k > digits_end;
    let spaced = k < e && chars[k] == ' ';
    while k < e && chars[k] == ' ' {
        k += 1;
    }
    if (unit || spaced) && k < e { k } else { s }
}

/// Whether `s..e` is a role's name and nothing else (主播, 场控：): a field, no sender.
pub(super) fn is_role(chars: &[char], s: usize, e: usize) -> bool {
    ROLES.iter().any(|w| chars[s..e].iter().copied().eq(w.chars()))
}

/// Where the label's own part starts after up to two roles (主播玉缘阁阿凤 → 玉缘阁阿凤, 物业客服小芦
/// → 小芦), something left after them.
pub(super) fn after_roles(chars: &[char], s: usize, e: usize) -> usize {
    let mut at = s;
    for _ in 0..2 {
        match ROLES.iter().find(|w| starts_with_at(chars, at, w)) {
            Some(w) if at + w.chars().count() < e => at += w.chars().count(),
            _ => break,
        }
    }
    at
}

/// Whether `s..e` is one dictionary word tagged as a common noun, a verb or an adjective (商品,
/// 数量, 问题, 运营, 开心果): a form's field, unless it speaks again (`repeated`).
pub(super) fn field_word(words: &Words<'_>, jieba: &jieba_rs::Jieba, s: usize, e: usize) -> bool {
    words.at(s).is_some_and(|t| {
        t.start == s
            && t.end == e
            && !t.tag.starts_with("nr")
            && ["n", "v", "a", "t", "m", "d", "l", "i", "z"].iter().any(|f| t.tag.starts_with(f))
            && jieba.has_word(t.word)
    })
}

/// Whether `s..e` is a verb and a noun from jieba's dictionary, each of two characters or more
/// (处罚依据, 送达文书, 发现问题, 检查结果): a form's field, unless it speaks again. A screen name
/// made of words starts otherwise (周末去看海, 宝妈严选, 快乐小天使).
pub(super) fn field_phrase(words: &Words<'_>, jieba: &jieba_rs::Jieba, s: usize, e: usize) -> bool {
    let Some(first) = words.at(s).filter(|t| t.start == s) else { return false };
    let Some(second) = words.at(first.end).filter(|t| t.end == e) else { return false };
    let long = |t: &jieba_rs::Tag<'_>| t.end - t.start >= 2 && jieba.has_word(t.word);
    long(first) && long(second) && ["v", "vn"].contains(&first.tag) && ["n", "vn", "v", "p"].contains(&second.tag)
}

/// Whether `s..e` is a form's or a message's field label rather than someone speaking: an
/// e-mail header (From, To, Subject, UID), a numbered item (证据1, 附件二, 图片3) or a label ending
/// in a field noun (留言标题, 作者回复, 机构盖章, 所报课程, 抖音评论).
pub(super) fn form_label(chars: &[char], s: usize, e: usize) -> bool {
    const HEADERS: &[&str] =
        &["from", "to", "cc", "bcc", "subject", "date", "sent", "re", "uid", "id", "tel", "email", "e-mail", "name"];
    const NUMBERED: &[&str] = &[
        "证据", "附件", "材料", "图片", "截图", "照片", "视频", "录音", "问题", "事项", "诉求", "附图", "凭证", "清单",
        "序号",
    ];
    const FIELD_ENDS: &[&str] = &[
        "标题", "回复", "盖章", "签章", "课程", "评论", "名称", "编号", "姓名", "日期", "时间", "金额", "类型", "内容",
        "事由", "备注", "理由", "结果", "意见", "属地", "来源", "地点", "项目", "方式", "状态", "主题", "签字", "签收",
        "签名", "捺印",
    ];
    let label: String = chars[s..e].iter().collect();
    let lower = label.to_ascii_lowercase();
    if HEADERS.contains(&lower.as_str()) || super::threads::is_platform(chars, s, e) {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let stem = label.trim_end_matches(numeral);
    let digits = label.chars().count() - stem.chars().count();
    if (1..=2).contains(&digits) && NUMBERED.contains(&stem) {
        return true;
    }
    e - s >= 3 && FIELD_ENDS.iter().any(|w| label.ends_with(w))
}

/// Whether `s..e` reads as a person where the log is a register of people: two or three
/// characters (a compound surname and one or two) from a surname, no dictionary noun (向日葵,
/// 开心果 stay screen names).
fn register_name(lex: &Lexicon, words: &Words<'_>, chars: &[char], s: usize, e: usize) -> bool {
    let sl = super::names::surname_len(lex, chars, s);
    let n = e - s;
    sl > 0
        && (2..=3 + usize::from(sl == 2)).contains(&n)
        && n > sl
        && chars[s..e].iter().all(|&c| is_han(c) && !is_stop(c))
        && lex.brand_at(chars, s) < n
        && lex.place_at(chars, s) < n
        && !words
            .at(s)
            .is_some_and(|t| t.start == s && t.end == e && ["n", "ns", "nz", "nt", "t", "m"].contains(&t.tag))
}

/// How a sender's label is labelled: a person (a surname and given name, a surname with a title,
/// a surname alone after a room or a role; in a register of people a surname and one or two
/// characters) or a screen name.
pub(super) fn sender_kind(
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    (s, e): (usize, usize),
    prefixed: bool,
    register: bool,
) -> PiiKind {
    let surname_alone = e == s + 1 && prefixed && known_surname(chars[s]);
    if surname_alone || person_like(lex, chars, s, e) || register && register_name(lex, words, chars, s, e) {
        PiiKind::Name
    } else {
        PiiKind::ImId
    }
}

/// Where a person's name starts after a role inside a speaker's label (调查人员邹志强, 被申请人代表管志强):
/// a role (the cue lists' roles, a noun on 员, 人员 or 代表) right before two to four characters that
/// read as a person.
pub(super) fn name_after_role(lex: &Lexicon, chars: &[char], s: usize, e: usize) -> Option<usize> {
    let role = |p: usize| {
        super::cues::role_word_before(chars, p)
            || ["人员", "代表"].iter().any(|w| p >= s + 2 && chars[p - 2..p].iter().copied().eq(w.chars()))
    };
    (s + 2..e.saturating_sub(1)).find(|&p| role(p) && person_like(lex, chars, p, e))
}

/// Whether a label at a line's start reads as a person (a register of people: minutes, a
/// mediation): up to the colon or a bracket (莫少聪（店长）：), a person's name or a name found.
pub(super) fn speaks_as_person(lex: &Lexicon, chars: &[char], found: &Found, line: usize, end: usize) -> bool {
    let Some(e) = (line..end.min(line + 8)).find(|&k| matches!(chars[k], '：' | ':' | '（' | '(')) else {
        return false;
    };
    let s = after_roles(chars, after_room(chars, line, e), e);
    e > s && (person_like(lex, chars, s, e) || found.iter().any(|f| f.0 == PiiKind::Name && f.1 == s && f.2 == e))
}

/// A role's field whose value is the person's screen name (主播：宝妈严选-晴晴, 场控：阿飞): the
/// value fills the rest of its line (or runs to a bracket), two to sixteen characters of a name,
/// no clause (no stop character, no verb or pronoun first).
pub(super) fn role_fields(
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    lines: &[(usize, usize)],
    found: &mut Found,
) {
    for &(line, end) in lines {
        let platform = super::threads::PLATFORMS.iter().find(|w| starts_with_at(chars, line, w));
        let Some(role) = SCREEN_ROLES.iter().find(|w| starts_with_at(chars, line, w)).or(platform) else { continue };
        let colon = line + role.chars().count();
        if !matches!(chars.get(colon), Some('：' | ':')) {
            continue;
        }
        let s = colon + 1;
        let e = (s..end).find(|&k| matches!(chars[k], '（' | '(' | '，' | ',')).unwrap_or(end);
        let mut e2 = e;
        while e2 > s && chars[e2 - 1] == ' ' {
            e2 -= 1;
        }
        let value = &chars[s..e2];
        // A platform's header holds the poster's name, which may hold a stop character (Nini在深圳),
        // filling its line.
        let stop_ok = platform.is_some() && e == end && value.len() <= 12;
        // A screen name built on 的 filling its line (留言人：一个被坑的老实人, 大众点评：爱吃肉的小胖).
        let de = e == end && super::nicknames::de_name(chars, s, e2);
        let ok = de
            || (2..=16).contains(&value.len())
                && value
                    .iter()
                    .all(|&c| is_han(c) && (stop_ok || !is_stop(c)) || c.is_ascii_alphanumeric() || "-_·".contains(c))
                && value.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
                && !value.iter().any(|&c| "我你他她它们".contains(c))
                && !words.at(s).is_some_and(|t| {
                    t.start == s
                        && t.tag != "eng"
                        && ["v", "d", "r", "p", "c", "u", "y", "e", "o", "m", "a"].iter().any(|f| t.tag.starts_with(f))
                });
        // An official account (视频号：某某服务中心官方号) is kept.
        if !ok || found.iter().any(|f| f.1 <= s && e2 <= f.2) || super::handles::official_name(value) {
            continue;
        }
        let kind = if person_like(lex, chars, s, e2) { PiiKind::Name } else { PiiKind::ImId };
        found.push((kind, s, e2));
        // The poster named in a platform's header is the one who comments again (评论Nini在深圳：).
        if platform.is_some() && kind == PiiKind::ImId {
            super::threads::other_mentions(chars, &[(s, e2)], found);
        }
    }
}

/// Senders in 【】 at the start of live-stream lines (【晓晓好物分享】这款面霜…, 【场控小鱼儿】三二一上链接,
/// 【用户8827331】主播…): where two lines or more start so, with a message after the bracket that is
/// not a sender's label of its own (【维权群】张三：…), the label less its role is a screen name, or a
/// person where it reads as one. Headings (【业主群】 alone on its line), times and fields that speak
/// once (【公告】) are none.
pub(super) fn bracket_senders(
    lex: &Lexicon,
    words: &Words<'_>,
    jieba: &jieba_rs::Jieba,
    chars: &[char],
    lines: &[(usize, usize)],
    found: &mut Found,
) {
    let mut labels: Vec<(usize, usize, bool)> = Vec::new();
    for &(line, end) in lines {
        if chars.get(line) != Some(&'【') {
            continue;
        }
        let Some(close) = (line + 1..end.min(line + 18)).find(|&k| chars[k] == '】') else { continue };
        let rest = &chars[close + 1..end];
        let message = rest.iter().any(|&c| c != ' ');
        let label_next = rest.iter().take(14).position(|&c| matches!(c, '：' | ':')).is_some_and(|p| {
            rest[..p].iter().all(|&c| is_han(c) && !is_stop(c) || c.is_ascii_alphanumeric() || c == '-' || c == ' ')
        });
        let s = after_roles(chars, line + 1, close);
        let inner = &chars[s..close];
        let stamp = inner.iter().all(|&c| c.is_ascii_digit() || ":-/. ".contains(c));
        let clean = inner.iter().all(|&c| is_han(c) || c.is_ascii_alphanumeric() || "-_·".contains(c));
        if message && !label_next && !stamp && clean && !inner.is_empty() {
            labels.push((s, close, s > line + 1));
        }
    }
    if labels.len() < 2 {
        return;
    }
    let repeated = |s: usize, e: usize| labels.iter().filter(|&&(a, b, _)| chars[a..b] == chars[s..e]).count() >= 2;
    for &(s, e, role) in &labels {
        let single_surname = e == s + 1 && role && known_surname(chars[s]);
        // An office or a field in brackets (【城东市场监管所】, 【退回理由】) is no sender.
        let office = chars[s..e].iter().rev().find(|&&c| is_han(c)).is_some_and(|&c| OFFICE_ENDS.contains(c));
        let label = super::chat::sender_label(chars, s, e, false, false) && !office;
        if !single_surname && (!label || field_word(words, jieba, s, e) && !repeated(s, e)) {
            continue;
        }
        if found.iter().any(|f| f.1 <= s && e <= f.2) {
            continue;
        }
        let kind = sender_kind(lex, words, chars, (s, e), role, false);
        found.push((kind, s, e));
    }
}
