//! Comment threads that `chat` reads through: the tag before a commenter on a line (【小红书】, 3楼,
//! 评论：), platforms whose name heads a post, replies (回复X：), and a thread's screen names masked
//! again where they occur whole. Moved from `senders.rs`.

use super::PiiKind;
use super::lexicon::Lexicon;
use super::names::Words;
use super::senders::{form_label, sender_kind};
use super::text::{is_han, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// Where a thread's line has its sender's label after a tag (【小红书】橘子汽水：, （评论）@小区第一吃货：,
/// 3楼 老司机带带我：, 【5-2-602】楼下的猫：): a platform, a kind of post or a room in brackets, or a floor
/// number and a space.
pub(super) fn after_tag(chars: &[char], line: usize, end: usize) -> usize {
    let mut at = line;
    if let Some(&open) = chars.get(line).filter(|&&c| matches!(c, '【' | '（' | '(')) {
        let close = if open == '【' {
            '】'
        } else if open == '（' {
            '）'
        } else {
            ')'
        };
        // A room in 【】 (【3-1-1801】电车一族阿伟：) is a tag too.
        let inner_ok = |c: char| is_han(c) || c.is_ascii_alphanumeric() || open == '【' && c == '-';
        if let Some(c) = (line + 1..end.min(line + 10)).find(|&k| chars[k] == close)
            && c > line + 1
            && chars[line + 1..c].iter().all(|&c| inner_ok(c))
        {
            at = c + 1;
        }
    } else {
        let mut k = line;
        while k < end && k - line < 4 && chars[k].is_ascii_digit() {
            k += 1;
        }
        if k > line && chars.get(k) == Some(&'楼') && chars.get(k + 1) == Some(&' ') {
            at = k + 1;
        }
    }
    while at < end && matches!(chars[at], ' ' | '—' | '-') {
        at += 1;
    }
    // A word of the thread before the commenter (评论：海南本地人Leo：, 网友维权达人：, 评论猫奴日记：),
    // where a label of two characters or more follows up to a colon; a platform's user (大众点评用户…).
    let user = platform_user(chars, at);
    if let Some(n) = THREAD_WORDS.iter().find(|w| starts_with_at(chars, at, w)).map(|w| w.chars().count()).or(user) {
        let from = at + n;
        let colon = (from..end.min(from + 14)).find(|&k| matches!(chars[k], '：' | ':'));
        if colon.is_some_and(|c| c >= from + 2) {
            at = from;
        }
    }
    if at < end { at } else { line }
}

/// Whether one of `THREAD_WORDS` ends right at `at` (网友|维权达人：), or a platform's 用户 (大众点评用户|…).
pub(super) fn thread_word_before(chars: &[char], at: usize) -> bool {
    THREAD_WORDS.iter().any(|w| {
        let n = w.chars().count();
        at >= n && chars[at - n..at].iter().copied().eq(w.chars())
    }) || at >= 2
        && chars[at - 2..at] == ['用', '户']
        && PLATFORMS.iter().any(|w| {
            let n = w.chars().count();
            at >= n + 2 && chars[at - 2 - n..at - 2].iter().copied().eq(w.chars())
        })
}

/// The length of a platform's name and 用户 at `at` (大众点评用户, 小红书用户), if one stands there.
fn platform_user(chars: &[char], at: usize) -> Option<usize> {
    let w = PLATFORMS.iter().find(|w| starts_with_at(chars, at, w))?;
    let n = w.chars().count();
    starts_with_at(chars, at + n, "用户").then_some(n + 2)
}

/// Where a commenter's label `s..e` ends before a level in brackets (（Lv6）, (LV10)) or a follow-up
/// word glued on (追评), something of two characters or more left.
pub(super) fn before_level(chars: &[char], s: usize, e: usize) -> usize {
    let label = &chars[s..e];
    if label.len() >= 4 && label.ends_with(&['追', '评']) {
        return e - 2;
    }
    if !matches!(label.last(), Some('）' | ')')) {
        return e;
    }
    let Some(open) = label.iter().rposition(|&c| matches!(c, '（' | '(')) else { return e };
    let inner: String = label[open + 1..label.len() - 1].iter().collect::<String>().to_ascii_lowercase();
    let level = inner
        .strip_prefix("lv")
        .map(|d| d.trim_start_matches('.'))
        .is_some_and(|d| !d.is_empty() && d.len() <= 2 && d.chars().all(|c| c.is_ascii_digit()));
    if level && open >= 2 { s + open } else { e }
}

/// Words of a comment thread before a commenter's name on a line (评论, 网友, 作者).
const THREAD_WORDS: [&str; 7] = ["评论：", "评论:", "评论", "网友", "作者", "楼主", "追评"];

/// Platforms whose name before a colon is a post's header, its value the poster's screen name
/// (小红书：Nini在深圳), never a sender.
pub(super) const PLATFORMS: [&str; 14] = [
    "小红书",
    "抖音",
    "快手",
    "微博",
    "B站",
    "知乎",
    "大众点评",
    "黑猫投诉",
    "贴吧",
    "闲鱼",
    "淘宝",
    "拼多多",
    "视频号",
    "微信",
];

/// Whether `s..e` is a platform's name alone.
pub(super) fn is_platform(chars: &[char], s: usize, e: usize) -> bool {
    PLATFORMS.iter().any(|w| chars[s..e].iter().copied().eq(w.chars()))
}

/// How many times the label `s..e` stands before a colon in the text (a commenter who speaks
/// twice, once after the post's 作者 or 评论).
pub(super) fn speaks_twice(chars: &[char], s: usize, e: usize) -> bool {
    let label = &chars[s..e];
    let mut n = 0;
    for k in 0..chars.len().saturating_sub(label.len()) {
        if chars[k] == label[0]
            && chars[k..].starts_with(label)
            && matches!(chars.get(k + label.len()), Some('：' | ':'))
        {
            n += 1;
        }
    }
    n >= 2
}

/// Other whole occurrences of a thread's screen names (作者喵喵去旅行：… / 喵喵去旅行：…): masked too,
/// names of three characters or more, not inside a longer run of letters or digits.
pub(super) fn other_mentions(chars: &[char], names: &[(usize, usize)], found: &mut Found) {
    for &(s, e) in names {
        let label = &chars[s..e];
        if label.len() < 3 {
            continue;
        }
        for k in 0..=chars.len() - label.len() {
            if k == s || chars[k] != label[0] || !chars[k..].starts_with(label) {
                continue;
            }
            let end = k + label.len();
            let glued = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_');
            if glued(k.checked_sub(1).and_then(|j| chars.get(j)))
                || glued(chars.get(end))
                || found.iter().any(|f| f.1 < end && k < f.2)
            {
                continue;
            }
            found.push((PiiKind::ImId, k, end));
        }
    }
}

/// Whether 回复 (with a space or an @ after it) stands right before `at`.
pub(super) fn reply_before(chars: &[char], at: usize) -> bool {
    let mut j = at;
    while j > 0 && at - j < 2 && matches!(chars[j - 1], ' ' | '@') {
        j -= 1;
    }
    j >= 2 && chars[j - 2] == '回' && chars[j - 1] == '复'
}

/// The one replied to in a thread (回复阿布不吃肉：, 回复 @老司机带带我 ：): a screen name or a person,
/// up to the colon on the same line, two to twelve characters of a label.
pub(super) fn reply_targets(
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
) {
    for k in 0..chars.len().saturating_sub(3) {
        if chars[k] != '回' || chars[k + 1] != '复' {
            continue;
        }
        let mut s = k + 2;
        while s < chars.len() && s - k < 4 && matches!(chars[s], ' ' | '@') {
            s += 1;
        }
        let Some(colon) = (s..chars.len().min(s + 15)).find(|&j| matches!(chars[j], '：' | ':' | '\n')) else {
            continue;
        };
        let mut e = colon;
        while e > s && chars[e - 1] == ' ' {
            e -= 1;
        }
        if chars[colon] == '\n'
            || chars.get(s).is_none_or(|&c| "我你他她您".contains(c))
            || form_label(chars, s, e)
            || !super::chat::sender_label(chars, s, e, true, true)
            || protected.iter().any(|p| s < p.1 && p.0 < e)
            || found.iter().any(|f| f.1 <= s && e <= f.2)
        {
            continue;
        }
        found.push((sender_kind(lex, words, chars, (s, e), false, false), s, e));
    }
}
