//! Screen names in running text that the cue-word rules do not reach: an account given in brackets
//! (侯女士（微博账号侯小姐的日常）, 朋友圈（兰兰的小日子）), a handle on a platform's lowercase prefix
//! and an underscore (zz_8812657, xianyu_摄影师阿哲), and a screen name found once masked wherever the
//! text names it again (包包控Lisa：… / （包包控Lisa的实名是…）).

use super::PiiKind;
use super::lexicon::Lexicon;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// Platforms whose name may open a bracket before the account's word (（微博账号…）).
const PLATFORMS: [&str; 12] =
    ["微博", "抖音", "快手", "小红书", "闲鱼", "淘宝", "微信", "B站", "知乎", "视频号", "拼多多", "转转"];
/// Words for an account's name inside a bracket (（账号浩哥带你看演出）).
const ACCOUNT_WORDS: [&str; 5] = ["账号", "帐号", "用户名", "主页", "网名"];

/// Whether `s..e` may be a screen name's characters: characters, letters, digits, `_`, `-`, `·`,
/// something other than digits, no pronoun.
/// After an account's word a name may speak to its readers (浩哥带你看演出): 你 and 您 allowed.
fn screen_chars(chars: &[char], s: usize, e: usize, worded: bool) -> bool {
    let label = &chars[s..e];
    let pronouns = if worded { "我他她它咱俺" } else { "我你他她它您咱俺" };
    label.iter().all(|&c| is_han(c) || c.is_ascii_alphanumeric() || "_-·".contains(c))
        && label.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
        && !label.iter().any(|&c| pronouns.contains(c))
}

/// An account given in brackets: `（` + a platform (or none) + an account's word + the name + `）`
/// (（微博账号侯小姐的日常）, （账号浩哥带你看演出）), or the bracket right after 朋友圈 or 主页 holding a
/// screen name (朋友圈（兰兰的小日子）): the name is a screen name, unless an official account's.
pub(super) fn bracket_accounts(chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if !matches!(chars[i], '（' | '(') {
            continue;
        }
        let mut s = i + 1;
        if let Some(p) = PLATFORMS.iter().find(|w| starts_with_at(chars, s, w)) {
            s += p.chars().count();
        }
        let worded = match ACCOUNT_WORDS.iter().find(|w| starts_with_at(chars, s, w)) {
            Some(w) => {
                s += w.chars().count();
                while matches!(chars.get(s), Some('：' | ':' | ' ' | '是')) {
                    s += 1;
                }
                true
            }
            None => false,
        };
        let after_moments = i >= 3 && (starts_with_at(chars, i - 3, "朋友圈") || starts_with_at(chars, i - 2, "主页"));
        if !worded && !after_moments {
            continue;
        }
        let Some(e) = (s..chars.len().min(s + 16)).find(|&k| matches!(chars[k], '）' | ')' | '\n')) else { continue };
        if chars[e] == '\n'
            || e < s + 2
            || !screen_chars(chars, s, e, worded)
            || super::handles::official_name(&chars[s..e])
        {
            continue;
        }
        // After 朋友圈 a bracket may say anything (朋友圈（已删除）): a screen name's shape is required.
        let shaped = worded
            || super::nicknames::de_name(chars, s, e)
            || e - s >= 3 && !chars[s..e].iter().any(|&c| is_han(c) && is_stop(c));
        if shaped {
            found.push((PiiKind::ImId, s, e));
        }
    }
}

/// A handle on a lowercase prefix of two to eight letters and an underscore (zz_8812657, xianyu_摄影
/// 师阿哲, shop_lele2020): letters and digits after it (four or more, a digit among them), or a
/// screen name in characters up to a stop character (说, 的 …) — the whole handle one span. Not a
/// file's name (img_2034.jpg) nor inside a longer run of letters.
pub(super) fn prefixed_handles(chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if !chars[i].is_ascii_lowercase() || i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_') {
            continue;
        }
        let mut k = i;
        while chars.get(k).is_some_and(char::is_ascii_lowercase) {
            k += 1;
        }
        if !(2..=8).contains(&(k - i)) || chars.get(k) != Some(&'_') {
            continue;
        }
        let tail = k + 1;
        let mut e = tail;
        while chars.get(e).is_some_and(|&c| c.is_ascii_alphanumeric() || c == '_') {
            e += 1;
        }
        if e > tail {
            let file = chars.get(e) == Some(&'.') && chars.get(e + 1).is_some_and(char::is_ascii_alphabetic);
            if e - tail >= 4 && chars[tail..e].iter().any(char::is_ascii_digit) && !file && chars.get(e) != Some(&'@') {
                found.push((PiiKind::ImId, i, e));
            }
            continue;
        }
        // Characters after the underscore (xianyu_摄影师阿哲说…): up to a stop character, ten at most.
        while chars.get(e).is_some_and(|&c| is_han(c) && !is_stop(c) && !"称收发也就还".contains(c)) && e - tail < 10
        {
            e += 1;
        }
        if e - tail >= 2 {
            found.push((PiiKind::ImId, i, e));
        }
    }
}

/// A screen name found (three characters or more, not digits alone) masked again wherever the text
/// names it whole (包包控Lisa：… and （包包控Lisa的实名是…）): not inside a longer run of letters or
/// digits, nor where a span found crosses its ends (a span inside it, a name read in it, is
/// overruled by the longer one); a person's name of two to four characters is no screen name here.
pub(super) fn named_again(lex: &Lexicon, chars: &[char], found: &mut Found) {
    let names: Vec<(usize, usize)> = found
        .iter()
        .filter(|f| f.0 == PiiKind::ImId && f.2 - f.1 >= 3)
        .filter(|f| chars[f.1..f.2].iter().any(|&c| !c.is_ascii_digit()))
        .filter(|f| !super::chat::person_like(lex, chars, f.1, f.2))
        .map(|f| (f.1, f.2))
        .collect();
    let mut more: Found = Vec::new();
    for (s, e) in names {
        let label = &chars[s..e];
        if more.iter().any(|m| chars[m.1..m.2] == *label) {
            continue;
        }
        let glued = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_');
        for k in 0..=chars.len() - label.len() {
            if chars[k] != label[0] || !chars[k..].starts_with(label) {
                continue;
            }
            let end = k + label.len();
            let crosses = |f: &(PiiKind, usize, usize)| f.1 < end && k < f.2 && (f.1 < k || f.2 > end);
            let same = |f: &(PiiKind, usize, usize)| f.1 == k && f.2 == end;
            if glued(k.checked_sub(1).and_then(|j| chars.get(j)))
                || glued(chars.get(end))
                || found.iter().any(|f| crosses(f) || same(f))
                || more.iter().any(|f| f.1 < end && k < f.2)
            {
                continue;
            }
            more.push((PiiKind::ImId, k, end));
        }
    }
    found.extend(more);
}

/// A group member named by building and screen name in running text (6栋-阳台种菜的卖给我…): after a
/// building number and a hyphen, a screen name up to a stop character, or up to a 的 that ends it
/// before what the member did; a person's name there is a name. Not a sender's label (a colon after
/// it: the chat rules read those).
pub(super) fn building_members(lex: &Lexicon, chars: &[char], found: &mut Found) {
    for i in 2..chars.len() {
        if chars[i] != '-' || !matches!(chars[i - 1], '栋' | '幢' | '楼') || !chars[i - 2].is_ascii_digit() {
            continue;
        }
        let s = i + 1;
        let mut e = s;
        while e < chars.len() && e - s < 10 && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric()) {
            if chars[e] == '的' {
                let next = chars.get(e + 1).copied().unwrap_or('。');
                if is_stop(next) || "卖说发在把给买".contains(next) {
                    e += 1;
                }
                break;
            }
            if is_han(chars[e]) && is_stop(chars[e]) {
                break;
            }
            e += 1;
        }
        if e < s + 2 || matches!(chars.get(e), Some('：' | ':')) || found.iter().any(|f| f.1 <= s && e <= f.2) {
            continue;
        }
        let kind = if super::chat::person_like(lex, chars, s, e) { PiiKind::Name } else { PiiKind::ImId };
        found.push((kind, s, e));
    }
}

/// Whether a quoted name ends as an organisation's does (服务中心, 有限公司, 协会, 事务所).
pub(super) fn organisation(name: &[char]) -> bool {
    const ENDS: [&str; 12] =
        ["中心", "公司", "集团", "协会", "机构", "事务所", "研究院", "医院", "学校", "银行", "商会", "联盟"];
    ENDS.iter().any(|w| name.len() > w.chars().count() && name.ends_with(&w.chars().collect::<Vec<_>>()))
}
