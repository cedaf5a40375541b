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
        // Right after an account's word (我的黑猫账号（维权到底2026）): as inside the bracket.
        let after_account = i >= 2 && (starts_with_at(chars, i - 2, "账号") || starts_with_at(chars, i - 2, "帐号"));
        let worded = worded || after_account;
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
        // After 朋友圈 a bracket may say anything (朋友圈（已删除）, 账号（已注销）): a screen name's shape is
        // required.
        let state = ["已", "被", "注销", "冻结", "封"].iter().any(|w| (s..e).any(|k| starts_with_at(chars, k, w)))
            // 账号（手机号）, 账号（即登录名）: what the account is, not its name.
            || after_account
                && (matches!(chars[e - 1], '号' | '码' | '名')
                    || ["手机", "密码", "即"].iter().any(|w| (s..e).any(|k| starts_with_at(chars, k, w))));
        let shaped = !state
            && (worded
                || super::nicknames::de_name(chars, s, e)
                || e - s >= 3 && !chars[s..e].iter().any(|&c| is_han(c) && is_stop(c)));
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

/// Whether `c` is an emoji (晚安小熊🐻, 芋泥啵啵🧋): screen names end on one.
pub(super) fn emoji(c: char) -> bool {
    let u = c as u32;
    (0x1F300..=0x1FAFF).contains(&u) || (0x2600..=0x27BF).contains(&u)
}

/// Whether a person's name was found from `s` and fills `s..e` or leaves a title after it
/// (李建国先生), or a title ends the value (钢筋班郗师傅): the value is the person, no screen name.
fn person_at(lex: &Lexicon, chars: &[char], found: &Found, s: usize, e: usize, titled: bool) -> bool {
    super::chat::person_like(lex, chars, s, e)
        || titled && (s + 1..e).any(|k| super::cues::title_at(chars, k) == Some(e - k))
        || found.iter().any(|f| {
            f.0 == PiiKind::Name && f.1 == s && (f.2 >= e || super::cues::title_at(chars, f.2) == Some(e - f.2))
        })
}

/// Whether `s..e` has a screen name's shape as a field's value or a quoted name: three to sixteen
/// characters, letters, digits, `_`, `-`, `·`, an emoji last; no pronoun; no stop character unless
/// it is built on 的 (不想再熬夜的猫); not an organisation, an official account, 某 or 匿名.
fn handle_shape(chars: &[char], s: usize, e: usize) -> bool {
    let mut body = e;
    while body > s && emoji(chars[body - 1]) {
        body -= 1;
    }
    let label = &chars[s..body];
    (3..=16).contains(&(e - s))
        && body >= s + 2
        && screen_chars(chars, s, body, false)
        && (!label.iter().any(|&c| is_han(c) && is_stop(c)) || super::nicknames::de_name(chars, s, body))
        && !label.iter().any(|&c| matches!(c, '某' | '匿'))
        && !organisation(label)
        && !super::handles::official_name(label)
}

/// Labels of a complaint platform's or a forum's field whose value is the poster's account
/// (投诉人：不想再熬夜的猫, 用户：sneakerhead_阿杰).
const POSTER_FIELDS: [&str; 7] = ["投诉人", "举报人", "用户", "发布人", "发帖人", "留言人", "楼主"];
/// What a poster does after the account in a platform's line (用户卡奴小刘发起投诉).
const POSTER_ACTS: [&str; 9] = ["发起", "发布", "投诉", "反映", "表示", "爆料", "留言", "评论", "称"];

/// A poster's account on a complaint platform or a forum: the value of a field at a line's start
/// (投诉人：打工人阿伟, 用户：sneakerhead_阿杰) or, in running text, 用户 + the account up to what the
/// poster did or a closing bracket (用户卡奴小刘发起投诉, （聚投诉用户邵女士维权中）). A person's name
/// there (投诉人：晏红霞, 用户王先生反映) is left to the name rules; a role or a kin word at the
/// value's end (患者家属) makes it a field's answer, no account.
pub(super) fn poster_accounts(lex: &Lexicon, chars: &[char], found: &mut Found) {
    let mut more: Found = Vec::new();
    for i in 0..chars.len() {
        if !matches!(chars[i], '投' | '举' | '用' | '发' | '留' | '楼') {
            continue;
        }
        let Some(w) = POSTER_FIELDS.iter().find(|w| starts_with_at(chars, i, w)) else { continue };
        let s = i + w.chars().count();
        // A field at a line's or a sentence's start (…。投诉人：…), or in 【】 (【留言人】业主老胡).
        let line_start = i == 0 || !is_han(chars[i - 1]) && !chars[i - 1].is_ascii_alphanumeric();
        let bracketed = i > 0 && chars[i - 1] == '【' && chars.get(s) == Some(&'】');
        if line_start && matches!(chars.get(s), Some('：' | ':')) || bracketed {
            let s = s + 1;
            let e = (s..chars.len().min(s + 20))
                .find(|&k| matches!(chars[k], '\n' | ',' | '，' | '。' | ';' | '；' | '（' | '(' | ' '))
                .unwrap_or(chars.len().min(s + 20));
            let last = chars[e.saturating_sub(1)];
            let ends_field = is_han(last)
                && super::chat::FIELD_ENDS.contains(last)
                && !chars[s..e].iter().any(|c| c.is_ascii_alphabetic());
            if e > s
                && handle_shape(chars, s, e)
                && !ends_field
                && !person_at(lex, chars, found, s, e, true)
                && !super::senders::DESCRIPTIONS.iter().any(|d| chars[s..e].iter().copied().eq(d.chars()))
                && !super::chat::ZHE_ROLES.iter().any(|d| chars[s..e].iter().copied().eq(d.chars()))
            {
                more.push((PiiKind::ImId, s, e));
            }
            continue;
        }
        if *w != "用户" || matches!(chars.get(s), Some('：' | ':' | '名' | '们')) {
            continue;
        }
        let mut e = s;
        while e < chars.len() && e - s < 14 && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric() || chars[e] == '_')
        {
            if POSTER_ACTS.iter().any(|a| starts_with_at(chars, e, a)) {
                break;
            }
            e += 1;
        }
        let bracket = matches!(chars.get(e), Some('）' | ')'));
        let act = POSTER_ACTS.iter().any(|a| starts_with_at(chars, e, a));
        // Not where someone is (用户协议中称): a place word last.
        let placed = chars.get(e.wrapping_sub(1)).is_some_and(|&c| "中里上内下后前时".contains(c));
        if (bracket || act && !placed)
            && handle_shape(chars, s, e)
            && !person_at(lex, chars, found, s, e, true)
            && !chars[s..e].iter().any(|&c| is_han(c) && is_stop(c))
        {
            more.push((PiiKind::ImId, s, e));
        }
    }
    found.extend(more);
}

/// Words for a name asked or given before 叫“…” (游戏里的名字？ / 叫“醉卧沙场”): the quotation is
/// a screen name.
const NAME_WORDS: [&str; 6] = ["名字", "网名", "昵称", "ID", "账号", "游戏名"];
/// Words for a player, a poster or a crowd's role right before a quoted screen name (公会会长“霸天
/// 丶龙哥”, 一个女生“甜甜的小鹿”, 货主“诚信物流-李总”).
const QUOTED_AFTER: [&str; 8] = ["会长", "女生", "男生", "货主", "玩家", "组织人", "红娘", "群友"];
/// Platforms a poster quoted at a sentence's start posts on (“跑车的小白”在抖音上发视频).
const POSTED_ON: [&str; 7] = ["抖音", "快手", "小红书", "微博", "B站", "视频号", "直播间"];

/// Quoted screen names the cue-word rules do not reach: after 叫 where a word for a name stands
/// earlier on the line or the line before (游戏里的名字？ / 叫“醉卧沙场”), after a player's or a
/// crowd's role (`QUOTED_AFTER`), or at a sentence's start before 在 + a platform (“跑车的小白”在抖
/// 音上…). Not an organisation, an official account or a person's name.
pub(super) fn quoted_handles(lex: &Lexicon, chars: &[char], found: &mut Found) {
    let mut more: Found = Vec::new();
    for q in 0..chars.len() {
        if !matches!(chars[q], '“' | '"' | '「' | '『') {
            continue;
        }
        let s = q + 1;
        let Some(e) = (s..chars.len().min(s + 18)).find(|&k| matches!(chars[k], '”' | '"' | '」' | '』' | '\n'))
        else {
            continue;
        };
        if chars[e] == '\n' || !handle_shape(chars, s, e) || person_at(lex, chars, found, s, e, false) {
            continue;
        }
        let called = q > 0 && chars[q - 1] == '叫' && {
            let line = chars[..q].iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1);
            let from = chars[..line.saturating_sub(1)].iter().rposition(|&c| c == '\n').map_or(0, |p| p + 1);
            let from = from.max(q.saturating_sub(30));
            (from..q).any(|k| NAME_WORDS.iter().any(|w| starts_with_at(chars, k, w)))
        };
        let role =
            QUOTED_AFTER.iter().any(|w| q >= w.chars().count() && starts_with_at(chars, q - w.chars().count(), w));
        let poster = (q == 0 || matches!(chars[q - 1], '。' | '!' | '?' | '！' | '？' | '\n'))
            && chars.get(e + 1) == Some(&'在')
            && POSTED_ON.iter().any(|w| starts_with_at(chars, e + 2, w));
        if called || role || poster {
            more.push((PiiKind::ImId, s, e));
        }
    }
    found.extend(more);
}
