//! Group-chat logs pasted as evidence: the sender before each message (`[11-03 20:15] 3栋王阿姨：…`)
//! and the people @mentioned. A sender or a mention that reads as a person (a surname and a
//! likely given name, a surname with a title or nickname, a minority name) is a name, the
//! building number before it (5栋, 12号楼) left out; any other sender label is a screen name.

use super::PiiKind;
use super::cues;
use super::lexicon::Lexicon;
use super::names::{Words, given_char, surname_len};
use super::senders;
use super::text::is_han;

type Found = Vec<(PiiKind, usize, usize)>;

/// Where the person's part of a label `s..e` begins: after a building or room number (5栋,
/// 12号楼, 3-502) or an organisation before a hyphen (嘉园物业-小周).
fn after_prefix(chars: &[char], s: usize, e: usize) -> usize {
    let mut at = s;
    if let Some(h) = (s..e).rev().find(|&k| matches!(chars[k], '-' | '—' | '－')) {
        at = h + 1;
    }
    let mut k = at;
    while k < e && (chars[k].is_ascii_alphanumeric() || chars[k] == '-') {
        k += 1;
    }
    // A run of letters and digits is a building or room only with a digit in it and something
    // after it (Sunny, a screen name in letters, is the whole label).
    if k > at && k < e && chars[at..k].iter().any(char::is_ascii_digit) {
        while k < e && matches!(chars[k], '栋' | '幢' | '号' | '楼' | '单' | '元' | '座' | '室' | '区' | '期')
        {
            k += 1;
        }
        at = k;
    }
    at
}

/// Whether `s..e` (two to four characters) reads as a person: surname + one or two likely
/// given-name characters, a compound surname alone or with them, a surname + title (何老师,
/// 王阿姨, 张叔), 小/老/阿 + surname, or a minority name's parts.
pub(super) fn person_like(lex: &Lexicon, chars: &[char], s: usize, e: usize) -> bool {
    let n = e.saturating_sub(s);
    if !(2..=4).contains(&n) || !chars[s..e].iter().all(|&c| is_han(c)) {
        return false;
    }
    if lex.part_at(chars, s) >= 2 && lex.part_at(chars, s) + s <= e {
        return true;
    }
    if matches!(chars[s], '小' | '老' | '阿') && n == 2 {
        return surname_len(lex, chars, s + 1) == 1 && !cues::nickname_is_a_word(chars[s], chars[s + 1]);
    }
    let sl = surname_len(lex, chars, s);
    // (A place name is no guard here: a sender called 高明 is a person, not the district.)
    if sl == 0 || lex.brand_at(chars, s) >= 2 {
        return false;
    }
    if sl == 2 && n == 2 {
        return true;
    }
    if cues::title_at(chars, s + sl) == Some(e - s - sl) {
        return true;
    }
    let given = &chars[s + sl..e];
    (1..=2).contains(&given.len())
        && given.iter().all(|&c| given_char(c))
        && lex.scores(chars[s]).surname.max(if sl == 2 { 3.0 } else { 0.0 }) >= 1.0
        && lex.given_score(given) >= 0.5 * given.len() as f32
}

/// A timestamp at `at` (`[11-03 20:15]`, `【09:41】`, `2026-11-04 08:02`, `20:15`): where it ends.
fn timestamp(chars: &[char], at: usize) -> Option<usize> {
    let stamp = |c: char| c.is_ascii_digit() || matches!(c, '-' | ':' | '/' | ' ' | '.');
    if matches!(chars.get(at), Some('[' | '【')) {
        let close = (at + 1..chars.len().min(at + 24)).find(|&k| matches!(chars[k], ']' | '】'))?;
        let inner = &chars[at + 1..close];
        return (inner.iter().all(|&c| stamp(c)) && inner.contains(&':')).then_some(close + 1);
    }
    let mut k = at;
    while k < chars.len() && k - at < 20 && stamp(chars[k]) {
        k += 1;
    }
    let inner = &chars[at..k];
    (inner.iter().filter(|c| c.is_ascii_digit()).count() >= 4 && inner.contains(&':') && inner.last() == Some(&' '))
        .then_some(k)
}

/// How the rest of a line `at..end` reads as an export's time stamp: a date and a time and
/// nothing else (`2026-11-30 14:02:11`, `12-01 22:17`, `11月3日 08:12`, `2026年11月6日 晚上8:40`,
/// in brackets or not), or a time alone (`21:03`), which is weaker: an export writes one on
/// every message, so it counts only where two lines of the text carry one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Stamp {
    None,
    TimeOnly,
    DateAndTime,
}

/// Parts of the day an export writes before a time (晚上8:40).
const DAY_PARTS: [&str; 8] = ["凌晨", "早上", "上午", "中午", "下午", "傍晚", "晚上", "夜里"];

fn sender_stamp(chars: &[char], at: usize, end: usize) -> Stamp {
    let mut inner = &chars[at.min(end)..end];
    while let Some(c) = inner.last()
        && *c == ' '
    {
        inner = &inner[..inner.len() - 1];
    }
    if let (Some(open), Some(close)) = (inner.first(), inner.last())
        && matches!((open, close), ('(', ')') | ('（', '）') | ('[', ']'))
    {
        inner = &inner[1..inner.len() - 1];
    }
    let mut digits = 0;
    let mut dated = false;
    let mut k = 0;
    while k < inner.len() {
        let c = inner[k];
        if c.is_ascii_digit() {
            digits += 1;
        } else if matches!(c, '-' | '/' | '.' | '年' | '月' | '日') {
            dated = true;
        } else if let Some(w) = DAY_PARTS.iter().find(|w| super::text::starts_with_at(inner, k, w)) {
            k += w.chars().count();
            continue;
        } else if !matches!(c, ':' | ' ') {
            return Stamp::None;
        }
        k += 1;
    }
    // The time itself: a colon between digits.
    let clock = inner.windows(3).any(|w| w[0].is_ascii_digit() && w[1] == ':' && w[2].is_ascii_digit());
    match (clock, dated) {
        (true, true) if digits >= 5 => Stamp::DateAndTime,
        (true, false) if (3..=6).contains(&digits) => Stamp::TimeOnly,
        _ => Stamp::None,
    }
}

/// Whether the label `s..e` before a timestamp is a field's name or an ordinary word (下单时间,
/// 付款日期, 签收于, 付款): one jieba dictionary word, or ending with a word for when.
fn time_label(chars: &[char], words: &Words<'_>, jieba: &jieba_rs::Jieba, s: usize, e: usize) -> bool {
    let ends = |w: &str| {
        let n = w.chars().count();
        e >= s + n && chars[e - n..e].iter().copied().eq(w.chars())
    };
    ["时间", "日期", "时", "于", "在", "至", "到", "为"].iter().any(|w| ends(w))
        || words.at(s).is_some_and(|t| t.start == s && t.end == e && jieba.has_word(t.word))
}

/// Whether the label `s..e` is @mentioned or replied to elsewhere in the text (@开心果, 回复阿布不吃
/// 肉：): a sender, even where it is a dictionary word.
fn mentioned(chars: &[char], s: usize, e: usize) -> bool {
    let label = &chars[s..e];
    (1..chars.len()).any(|k| {
        (chars[k - 1] == '@' || super::threads::reply_before(chars, k))
            && chars[k..].starts_with(label)
            && !chars.get(k + label.len()).is_some_and(|&c| is_han(c) || c.is_ascii_alphanumeric())
    })
}

/// Characters a form field's or a role's name ends with (申请人, 调解员, 坐席, 电话, 地址, 时间, 记录,
/// 批示, 事由, 意见, 内容, 来源, 情况, 家属, 代表, 附): a label ending so is no sender. (者 is no
/// such ending by itself — 追光者, 守望者 are screen names —, only in `ZHE_ROLES`.)
pub(super) const FIELD_ENDS: &str =
    "人员席话址间点期录示由见容源况属表附问答映码号位式导注求果单名称服长师主家方证件类额住";
/// Roles and parties on 者: a field's name, no sender.
pub(super) const ZHE_ROLES: [&str; 12] =
    ["消费者", "经营者", "投诉者", "举报者", "记者", "作者", "患者", "使用者", "购买者", "受害者", "当事者", "申请者"];
/// Words that make a label a field wherever they stand in it (微信：, QQ：, 手机号码：, 身份证：).
const FIELD_WORDS: [&str; 16] = [
    "微信", "QQ", "qq", "手机", "电话", "邮箱", "地址", "账号", "身份", "姓名", "名字", "单位", "日期", "时间", "订单",
    "领导",
];

/// What a platform's log line says was done before its colon (用户补充：, 商家回复：): a field, no
/// sender.
const FIELD_ACTS: [&str; 8] = ["补充", "回复", "追问", "追评", "留言", "申诉", "反馈", "备注"];

/// Whether `s..e`, the start of a line before `：`, is a chat sender's label and not a form field:
/// two to twelve characters of a screen name (characters, letters, digits, `_`, a hyphen inside
/// (鹿粉-小丸子), an emoji), no stop character (unless a room number stood before it: 5-1-302
/// 北方的狼), not a field or a role, not a date. Where the label's place shows a handle (`handle`:
/// after 网友, 评论 or 回复) or it ends on letters (海南本地人Leo), a field's last character (维权达人)
/// or a role (果果团长, a group-buying leader's nickname) does not make it a field.
pub(super) fn sender_label(chars: &[char], s: usize, e: usize, after_room: bool, handle: bool) -> bool {
    let label = &chars[s..e];
    // A screen name built on 的 may end on a kin word or a role (阿牛的表哥, 小鱼儿的妈).
    let nick_role =
        handle || label.len() >= 4 && label.ends_with(&['团', '长']) || super::nicknames::de_name(chars, s, e);
    // An official account (甜心烘焙-官方, 本地新闻) is no private person's.
    let official = super::handles::official_name(label);
    let symbol = |c: char| {
        !c.is_ascii()
            && !is_han(c)
            && !c.is_alphanumeric()
            && !c.is_whitespace()
            && !"，。、；！？（）【】《》“”‘’…—·".contains(c)
    };
    let ok_char = |c: char| is_han(c) || c.is_ascii_alphanumeric() || c == '_' || symbol(c);
    let inner_hyphen = |k: usize| label[k] == '-' && k > 0 && k + 1 < label.len();
    (2..=12).contains(&label.len())
        && (0..label.len()).all(|k| ok_char(label[k]) || inner_hyphen(k))
        && label.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
        && (after_room || !label.iter().any(|&c| is_han(c) && super::text::is_stop(c)))
        && (nick_role || !label.last().is_some_and(|&c| is_han(c) && FIELD_ENDS.contains(c)))
        && !official
        && !ZHE_ROLES.iter().any(|w| label.iter().copied().eq(w.chars()))
        && !senders::DESCRIPTIONS.iter().any(|w| label.iter().copied().eq(w.chars()))
        && !(0..label.len()).any(|k| FIELD_WORDS.iter().any(|w| super::text::starts_with_at(label, k, w)))
        && !(label.iter().any(char::is_ascii_digit) && label.iter().any(|c| "年月日".contains(*c)))
        && (nick_role || !cues::role_word_before(chars, e))
}

/// A line of the text: its start, its end and its label before a stamp, if any.
type Line = (usize, usize, Option<(usize, usize, Stamp)>);

/// Chat logs written as `sender：message`, one message a line (追风少年：你们是不是骗子, 木木：2026-11-09
/// 20:15, 8-2-401 姜：…): where two lines or more of the text start so, each label that reads as a
/// screen name (`sender_label`, after a room number and a role) is one, a person's name where it
/// reads as a person (`senders::sender_kind`; in a register of people — minutes — a surname and
/// one or two characters). A text of one such line, headings with no message after the colon,
/// form fields (申请人：, 电话：, 问：) and single dictionary words that speak once (商品：, 问题：)
/// are none.
fn colon_senders(
    lex: &Lexicon,
    words: &Words<'_>,
    jieba: &jieba_rs::Jieba,
    chars: &[char],
    protected: &[(usize, usize)],
    lines: &[Line],
    found: &mut Found,
) {
    let label_of = |line: usize, end: usize| {
        let e = (line..end.min(line + 21)).find(|&k| matches!(chars[k], '：' | ':')).filter(|&e| e > line)?;
        // A heading (家长群截图：) has no message after its colon.
        chars[e + 1..end].iter().any(|&c| c != ' ').then_some(e)
    };
    // (line, after its room number, start of the label's own part, end); a thread's tag before
    // the label (【小红书】, （评论）, 3楼) is no part of it.
    let labelled: Vec<(usize, usize, usize, usize)> = lines
        .iter()
        .filter_map(|&(line, end, _)| {
            let line = super::threads::after_tag(chars, line, end);
            let e = label_of(line, end)?;
            let room = senders::after_room(chars, line, e);
            let s = senders::after_roles(chars, room, e);
            // A commenter's level or a follow-up after the name (吃货小分队队长（Lv6）：, …队长追评：).
            let e = super::threads::before_level(chars, s, e);
            (e - s <= 12).then_some((line, room, s, e))
        })
        .collect();
    // A 接龙 list shows a group chat too (——团长果果团长：已截单).
    let list = || super::jielong::is_list(chars, lines.iter().map(|l| (l.0, l.1)));
    if labelled.is_empty() || labelled.len() == 1 && !list() {
        return;
    }
    // One dictionary word tagged as a verb or an adverb (回复, 处理) is a heading.
    let heading = |s: usize, e: usize| {
        words.at(s).is_some_and(|t| t.start == s && t.end == e && (t.tag.starts_with('v') || t.tag == "d"))
    };
    let repeated = |s: usize, e: usize| labelled.iter().filter(|l| chars[l.2..l.3] == chars[s..e]).count() >= 2;
    let labels_only = |s: usize, e: usize| senders::form_label(chars, s, e);
    // A form's field: one dictionary word (商品, 问题) or a verb and a noun (处罚依据, 发现问题).
    let field =
        |s: usize, e: usize| senders::field_word(words, jieba, s, e) || senders::field_phrase(words, jieba, s, e);
    // A screen name that is an idiom (海阔天空：) is a sender where two others speak in the log.
    let idiom = |s: usize, e: usize| words.at(s).is_some_and(|t| t.start == s && t.end == e && t.tag == "i");
    let pick = |idioms: bool| -> Vec<(usize, usize, bool)> {
        labelled
            .iter()
            .filter(|&&(line, room, s, e)| {
                let surname_alone = s > line && e == s + 1 && super::lexicon::known_surname(chars[s]);
                // A screen name may hold a stop character (周末去看海, 爱吃辣的胖丁) where it speaks twice
                // or is replied to; a room number before it shows it is a sender too.
                // (Asked only of a label that holds a stop character: these read the whole text.)
                let thread_word = super::threads::thread_word_before(chars, line);
                let stop = chars[s..e].iter().any(|&c| is_han(c) && super::text::is_stop(c));
                let loose = room > line
                    || thread_word
                    || stop
                        && !"我你他她".contains(chars[s])
                        && (repeated(s, e)
                            || mentioned(chars, s, e)
                            || super::threads::speaks_twice(chars, s, e)
                            || super::nicknames::de_name(chars, s, e));
                let label = surname_alone
                    || sender_label(chars, s, e, loose, thread_word)
                        && !senders::is_role(chars, s, e)
                        && !labels_only(s, e)
                        && (!heading(s, e) || repeated(s, e))
                        && (!field(s, e) || repeated(s, e) || mentioned(chars, s, e) || idioms && idiom(s, e));
                label && !protected.iter().any(|p| s < p.1 && p.0 < e)
            })
            .map(|&(line, _, s, e)| (s, e, s > line))
            .collect()
    };
    let mut senders = pick(false);
    if senders.len() >= 2 {
        senders = pick(true);
    }
    // A chat has two messages from senders at least: one odd field among form fields is none. A
    // thread's field labels (商家回复, UID, 证据1) are no senders, but they show it is a thread.
    let labels = labelled.iter().filter(|l| labels_only(l.2, l.3)).count();
    if senders.is_empty() || senders.len() + labels < 2 && !list() {
        return;
    }
    // A form with one odd label among its fields (申请人：… 争议计量器具：… 检定机构：…): three other
    // labels or more, each speaking once and none a pronoun, and the one sender speaking once too.
    let fields = labelled
        .iter()
        .filter(|l| !senders.iter().any(|s| s.0 == l.2) && !"我你他她".contains(chars[l.2]) && !repeated(l.2, l.3))
        .count();
    if senders.len() == 1 && !repeated(senders[0].0, senders[0].1) && fields >= 3 {
        return;
    }
    let register = lines.iter().any(|&(line, end, _)| senders::speaks_as_person(lex, chars, found, line, end));
    super::threads::reply_targets(lex, words, chars, protected, found);
    for &(s, e, prefixed) in &senders {
        // Already found whole, or a number; a name found inside after a role (物业客服小芦) stands.
        let inside = |f: &(PiiKind, usize, usize)| f.1 < e && s < f.2;
        if found.iter().any(|f| inside(f) && (f.1 <= s && e <= f.2 || f.0 != PiiKind::Name))
            || found.iter().any(|f| inside(f) && f.0 == PiiKind::Name && f.1 > s && cues::role_word_before(chars, f.1))
        {
            continue;
        }
        let kind = senders::sender_kind(lex, words, chars, (s, e), prefixed, register);
        // A role and a person's name (调查人员邹志强：): the name is a name, the role nothing.
        match senders::name_after_role(lex, chars, s, e).filter(|_| kind == PiiKind::ImId) {
            Some(p) => found.push((PiiKind::Name, p, e)),
            None => found.push((kind, s, e)),
        }
    }
    let screen: Vec<(usize, usize)> = found
        .iter()
        .filter(|f| f.0 == PiiKind::ImId && senders.iter().any(|s| s.0 == f.1 && s.1 == f.2))
        .map(|f| (f.1, f.2))
        .collect();
    super::threads::other_mentions(chars, &screen, found);
}

/// A line's label before its stamp (`星河滚烫ing 2026-11-30 14:02:11`, the message on the next
/// line): up to 20 characters, a space, and a stamp that fills the rest of the line; a group's
/// tag before the label (`【维权群】`) is no part of it. Answers the label's start, the space and
/// the stamp's kind.
fn label_before_stamp(chars: &[char], line: usize, end: usize) -> Option<(usize, usize, Stamp)> {
    let from = if chars.get(line) == Some(&'【') {
        (line + 1..end.min(line + 12)).find(|&k| chars[k] == '】').map_or(line, |k| k + 1)
    } else {
        line
    };
    let sp = (from..end.min(from + 21)).find(|&k| chars[k] == ' ').filter(|&sp| sp > from)?;
    let stamp = sender_stamp(chars, sp + 1, end);
    (stamp != Stamp::None).then_some((from, sp, stamp))
}

pub(super) fn scan(
    lex: &Lexicon,
    words: &Words<'_>,
    jieba: &jieba_rs::Jieba,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
) {
    super::streamers::streamer_names(lex, words, chars, found);
    super::streamers::before_account(lex, chars, found);
    super::nicknames::called_the(lex, chars, found);
    super::nicknames::other_party_called(lex, words, chars, found);
    // Every line with its label before a stamp, read once; a time alone (`追风少年 21:03`) counts
    // only in an export, where two lines of the text are written so.
    let mut lines = Vec::new();
    let mut line = 0;
    while line < chars.len() {
        let end = (line..chars.len()).find(|&k| chars[k] == '\n').unwrap_or(chars.len());
        lines.push((line, end, label_before_stamp(chars, line, end)));
        line = end + 1;
    }
    let senders_with_times = lines.iter().filter(|l| l.2.is_some()).count();
    // Senders: a line that starts with a timestamp, then a label of up to 14 characters and `：`.
    for &(line, end, stamped) in &lines {
        if let Some(mut s) = timestamp(chars, line) {
            while s < end && chars[s] == ' ' {
                s += 1;
            }
            let colon = (s..end.min(s + 15)).find(|&k| matches!(chars[k], '：' | ':'));
            if let Some(e) = colon.filter(|&e| e > s && chars[s..e].iter().all(|&c| c.is_alphanumeric() || c == '-'))
                && !protected.iter().any(|p| s < p.1 && p.0 < e)
                && !FIELD_ACTS.iter().any(|w| e >= s + 3 && super::text::starts_with_at(chars, e - 2, w))
            {
                let p = after_prefix(chars, s, e);
                // A role with a bare surname (执法人员曾：): the surname is the person.
                let surname = e > p + 2
                    && super::lexicon::known_surname(chars[e - 1])
                    && (cues::role_word_before(chars, e - 1) || senders::speaker_role(chars, p, e - 1));
                if p < e && person_like(lex, chars, p, e) {
                    found.push((PiiKind::Name, p, e));
                } else if surname {
                    found.push((PiiKind::Name, e - 1, e));
                } else if p < e
                    && !senders::speaker_role(chars, p, e)
                    && !found.iter().any(|f| f.0 == PiiKind::Name && f.1 < e && s < f.2)
                {
                    found.push((PiiKind::ImId, p, e));
                }
            }
        }
        // Exports that put the sender before the time (`星河滚烫ing 2026-11-30 14:02:11`, then the
        // message on the next line).
        if let Some((from, sp, stamp)) = stamped
            && (stamp == Stamp::DateAndTime || stamp == Stamp::TimeOnly && senders_with_times >= 2)
            && !chars[from..sp].iter().any(|&c| matches!(c, '：' | ':' | '[' | '【'))
            && !protected.iter().any(|p| from < p.1 && p.0 < sp)
            && (!time_label(chars, words, jieba, from, sp) || mentioned(chars, from, sp))
        {
            let p = after_prefix(chars, from, sp);
            // A staff member's work name after a role and a hyphen (客服-小雅) is a name too.
            let work_name = p > from
                && cues::role_word_before(chars, p - 1)
                && sp == p + 2
                && matches!(chars[p], '小' | '阿')
                && is_han(chars[p + 1]);
            if p < sp && (person_like(lex, chars, p, sp) || work_name) {
                found.push((PiiKind::Name, p, sp));
            } else if p < sp {
                found.push((PiiKind::ImId, p, sp));
            }
        }
    }
    colon_senders(lex, words, jieba, chars, protected, &lines, found);
    let plain: Vec<(usize, usize)> = lines.iter().map(|l| (l.0, l.1)).collect();
    senders::bracket_senders(lex, words, jieba, chars, &plain, found);
    senders::role_fields(lex, words, chars, &plain, found);
    super::jielong::scan(lex, words, chars, &plain, found);
    // @mentions: one that reads as a person is a name; @所有人 is nobody.
    let mut k = 0;
    while k < found.len() {
        let (kind, s, e) = found[k];
        if kind == PiiKind::ImId && s > 0 && chars[s - 1] == '@' {
            let label: String = chars[s..e].iter().collect();
            if matches!(label.as_str(), "所有人" | "全体成员" | "全体") {
                found.swap_remove(k);
                continue;
            }
            let p = after_prefix(chars, s, e);
            if p < e && person_like(lex, chars, p, e) {
                found[k] = (PiiKind::Name, p, e);
            }
        }
        // A name after 叫 or 自称 that reads as a person (群主叫老黄, 主播自称杨军) is the person's name.
        let called = s > 0 && chars[s - 1] == '叫' || s > 1 && chars[s - 2..s] == ['自', '称'];
        if kind == PiiKind::ImId && called && person_like(lex, chars, s, e) {
            found[k] = (PiiKind::Name, s, e);
        }
        k += 1;
    }
    super::nicknames::platform_names_unquoted(lex, chars, found);
    super::running_names::building_members(lex, chars, found);
    super::running_names::poster_accounts(lex, chars, found);
    super::running_names::quoted_handles(lex, chars, found);
    super::running_names::named_again(lex, chars, found);
}
