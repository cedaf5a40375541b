//! Screen names in characters: quoted after a platform and a word for "called" (我抖音叫“小鹿爱吃
//! 糖”), after a streamer's, seller's or group owner's word (主播“大胃王阿飞”, 团长叫英子姐), and
//! parents or grandparents called by a child's name (佳佳妈妈, 轩轩奶奶, Luna妈). Moved from
//! `handles.rs`, which keeps the handles in letters and digits, @mentions and documents.

use super::PiiKind;
use super::lexicon::Lexicon;
use super::names::Words;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// A screen name quoted after a platform and a word for "called" (我抖音叫“小鹿爱吃糖”, 他快手上
/// 名叫「农家阿芳」): only quoted, since 微信上叫他过来 is an errand, not a name.
pub(super) fn platform_names(chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        let Some(s) = after_platform_called(chars, i) else { continue };
        if !chars.get(s).is_some_and(|&c| matches!(c, '“' | '"' | '「' | '『')) {
            continue;
        }
        let e = (s + 1..chars.len().min(s + 18)).find(|&k| matches!(chars[k], '”' | '"' | '」' | '』' | '\n'));
        if let Some(e) = e.filter(|&e| chars[e] != '\n' && e > s + 2) {
            found.push((PiiKind::ImId, s + 1, e));
        }
    }
}

/// The unquoted screen names after a platform and 叫 (`unquoted_platform_name`), read after the
/// name rules.
pub(super) fn platform_names_unquoted(lex: &Lexicon, chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if let Some(s) = after_platform_called(chars, i)
            && !chars.get(s).is_some_and(|&c| matches!(c, '“' | '"' | '「' | '『'))
        {
            unquoted_platform_name(lex, chars, s, found);
        }
    }
}

/// Where a screen name starts after a platform at `i` and a word for "called" (抖音叫, 快手上名叫,
/// 闲鱼上的名字叫).
fn after_platform_called(chars: &[char], i: usize) -> Option<usize> {
    // The platform by its first two characters (抖音, 快手, 小红书, 微博, B站, 闲鱼, 微信, QQ, 淘宝,
    // 视频号): this runs at every character, so no word is decoded where none can start.
    let second = |c: char| chars.get(i + 1) == Some(&c);
    let len = match chars[i] {
        '抖' if second('音') => 2,
        '快' if second('手') => 2,
        '小' if second('红') && chars.get(i + 2) == Some(&'书') => 3,
        '微' if second('博') || second('信') => 2,
        'B' if second('站') => 2,
        '闲' if second('鱼') => 2,
        'Q' if second('Q') => 2,
        '淘' if second('宝') => 2,
        '视' if second('频') && chars.get(i + 2) == Some(&'号') => 3,
        _ => return None,
    };
    let mut s = i + len;
    if let Some(m) = [
        "上的账号",
        "上的名字",
        "上的网名",
        "的账号",
        "的名字",
        "的网名",
        "的号",
        "账号",
        "名字",
        "网名",
        "号",
        "上",
        "里",
    ]
    .iter()
    .find(|w| starts_with_at(chars, s, w))
    {
        s += m.chars().count();
    }
    let w = ["名叫", "叫做", "叫", "昵称叫"].iter().find(|w| starts_with_at(chars, s, w))?;
    Some(s + w.chars().count())
}

/// A screen name after a platform and 叫 with no quotes (他微信叫标哥粮油批发。, 在小红书上叫莫干山的莉莉，,
/// 闲鱼上的名字叫包租婆Helen。), filling the clause: a screen name built on 的, or three to fourteen
/// characters and letters with no stop character, no pronoun, no question word, that read as no
/// person's name (the name rules take those) and are no official account (微信上叫他过来 is an errand:
/// a pronoun).
fn unquoted_platform_name(lex: &Lexicon, chars: &[char], s: usize, found: &mut Found) {
    let mut e = s;
    while e < chars.len()
        && e - s <= 14
        && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric() || "_-".contains(chars[e]))
    {
        e += 1;
    }
    let ends_clause = chars.get(e).is_none_or(|&c| "，。！？；,.!?; \n（(".contains(c));
    if !ends_clause || e < s + 3 || e - s > 14 {
        return;
    }
    let label = &chars[s..e];
    let question = ["什么", "啥", "哪", "多少"].iter().any(|w| (0..label.len()).any(|k| starts_with_at(label, k, w)));
    let plain = !label.iter().any(|&c| is_han(c) && is_stop(c) || "你我他她它们".contains(c));
    if (plain || de_name(chars, s, e))
        && !question
        && label.iter().any(|&c| is_han(c) || c.is_ascii_alphabetic())
        && !super::chat::person_like(lex, chars, s, e)
        && !super::handles::official_name(label)
    {
        found.push((PiiKind::ImId, s, e));
    }
}

/// A parent called by a child's doubled pet name (佳佳妈妈, 糖糖妈, 阳阳爸, 乐乐妈咪): a group or
/// screen nickname that finds the family. Not kinship words doubled (爸爸妈妈, 宝宝妈妈) nor
/// doubled adverbs and time words (天天, 常常, 人人).
pub(super) fn parents_by_child(chars: &[char], found: &mut Found) {
    let first = found.len();
    pet_parents(chars, found);
    listed_parents(chars, first, found);
}

/// Where a list's neighbour of a parent nickname found (`、` or 和 between) is a parent called by a
/// child's name too (小鱼儿的妈、嘟嘟妈和Sunny爸): two to six characters or letters up to the list's
/// other end, ending on a parent's word, one 的 at most, no pronoun or kin word first (我妈、嘟嘟妈),
/// no surname with a kinship title (王妈).
fn listed_parents(chars: &[char], first: usize, found: &mut Found) {
    let sep = |c: char| matches!(c, '、' | '和');
    let item_char = |c: char| is_han(c) && (!is_stop(c) || c == '的') || c.is_ascii_alphanumeric();
    let parent_end =
        |e: usize| PARENTS.iter().any(|w| e >= w.chars().count() && starts_with_at(chars, e - w.chars().count(), w));
    let ok = |s: usize, e: usize| {
        (2..=6).contains(&(e - s))
            && parent_end(e)
            && chars[s..e].iter().filter(|&&c| c == '的').count() <= 1
            && !"我你他她咱俺您".contains(chars[s])
            && !["孩子", "宝宝", "小孩"].iter().any(|w| starts_with_at(chars, s, w))
            // A surname with a kinship title (王妈, 李爸爸) is a name.
            && !(super::lexicon::known_surname(chars[s]) && PARENTS.iter().any(|w| chars[s + 1..e].iter().copied().eq(w.chars())))
    };
    let mut more = Vec::new();
    for &(_, s, e) in &found[first..] {
        if s >= 2 && sep(chars[s - 1]) {
            let mut a = s - 1;
            while a > 0 && s - 1 - a < 6 && item_char(chars[a - 1]) {
                a -= 1;
            }
            if ok(a, s - 1) {
                more.push((PiiKind::ImId, a, s - 1));
            }
        }
        if chars.get(e).is_some_and(|&c| sep(c)) {
            let mut b = e + 1;
            while b < chars.len() && b - e - 1 < 6 && item_char(chars[b]) && !sep(chars[b]) {
                b += 1;
            }
            if ok(e + 1, b) {
                more.push((PiiKind::ImId, e + 1, b));
            }
        }
    }
    more.retain(|m| !found.iter().any(|f| m.1 < f.2 && f.1 < m.2));
    found.extend(more);
}

fn pet_parents(chars: &[char], found: &mut Found) {
    const NOT_PET: &str = "天常刚渐慢好偷悄个人家时年月日每";
    for i in 0..chars.len().saturating_sub(2) {
        let (a, b) = (chars[i], chars[i + 1]);
        if a != b || !is_han(a) || NOT_PET.contains(a) || super::cues::kin_doubled(a) || i > 0 && chars[i - 1] == a {
            continue;
        }
        if let Some(w) = PARENTS.iter().find(|w| starts_with_at(chars, i + 2, w)) {
            found.push((PiiKind::ImId, i, i + 2 + w.chars().count()));
        }
    }
    // A child's English name (Luna妈, Leo爸, Coco妈妈): a capital and two to seven small letters.
    for i in 0..chars.len() {
        if !chars[i].is_ascii_uppercase() || i > 0 && chars[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut e = i + 1;
        while chars.get(e).is_some_and(char::is_ascii_lowercase) {
            e += 1;
        }
        if !(3..=8).contains(&(e - i)) {
            continue;
        }
        if let Some(w) = PARENTS[..5].iter().find(|w| starts_with_at(chars, e, w)) {
            let end = e + w.chars().count();
            // Not a product for mothers (妈妈包, 妈咪包).
            if !chars.get(end).is_some_and(|&c| matches!(c, '包' | '装' | '群' | '们')) {
                found.push((PiiKind::ImId, i, end));
            }
        }
    }
}

/// What follows 的 in a clause, never in a screen name (说话的时候, 买的东西).
const NOT_NICK_TAILS: [&str; 20] = [
    "时候", "地方", "东西", "事情", "事", "问题", "意思", "话", "钱", "价格", "原因", "情况", "结果", "内容", "时间",
    "方式", "样子", "那个", "这个", "人",
];

/// Whether `s..e` has the shape of a screen name built on 的 (快乐的小蜜蜂, 一路向北的狼, 住在江边的阿杰,
/// 一个被坑的老实人): five to twelve characters, letters or characters, one 的 with two characters
/// or more before it and one to three after it (a noun, no stop character, not what a clause
/// ends on: 的时候, 的东西), no pronoun anywhere (对方叫我的朋友来 is a clause).
pub(super) fn de_name(chars: &[char], s: usize, e: usize) -> bool {
    let label = &chars[s..e];
    let Some(p) = label.iter().rposition(|&c| c == '的') else { return false };
    let tail = &label[p + 1..];
    (5..=12).contains(&label.len())
        && p >= 2
        && (1..=3).contains(&tail.len())
        && label.iter().all(|&c| is_han(c) || c.is_ascii_alphanumeric())
        && label.iter().filter(|&&c| c == '的').count() == 1
        && !label.iter().any(|&c| "我你他她它您咱俺们".contains(c))
        && !tail.iter().any(|&c| is_stop(c))
        && !NOT_NICK_TAILS.iter().any(|w| tail.iter().copied().eq(w.chars()))
}

/// Parents and grandparents called by a child's name (佳佳妈妈, 轩轩奶奶, Luna妈).
const PARENTS: [&str; 11] = ["妈妈", "妈咪", "爸爸", "妈", "爸", "奶奶", "爷爷", "姥姥", "姥爷", "外婆", "外公"];

/// Words after which a private person's screen name follows, quoted (主播“大胃王阿飞”, 卖家「二手
/// 小当家」, 店主自称“蜂农老杨”) or after 叫 up to the end of the clause (主播叫英子姐，, ID叫小鹿乱撞，).
/// (网民“暴躁小橘猫”, 答主“法学阿Kun”, 直播间“翠玉阁老杨”, 账号“浩哥带你看演出” as a brief quotes them.)
const NICK_CUES: [&str; 19] = [
    "主播",
    "博主",
    "UP主",
    "up主",
    "卖家",
    "买家",
    "团长",
    "店主",
    "群主",
    "网友",
    "ID",
    "网民",
    "答主",
    "楼主",
    "账号",
    "直播间",
    "群成员",
    "群友",
    "用户",
];

/// Quoted or 叫-introduced screen names after `NICK_CUES` (the labelled forms, 昵称/网名, are in
/// `handles`). A quoted name may hold anything but a line break (up to 16 characters); an
/// unquoted one must end at punctuation or a space within 10 characters, so that a clause
/// (主播叫我们下单) is not taken for a name.
pub(super) fn nicknames(chars: &[char], found: &mut Found) {
    let open = |c: char| matches!(c, '“' | '"' | '「' | '『' | '‘' | '《');
    let close = |c: char| matches!(c, '”' | '"' | '」' | '』' | '’' | '》');
    for i in 0..chars.len() {
        if !matches!(
            chars[i],
            '主' | '博' | 'U' | 'u' | '卖' | '买' | '团' | '店' | '群' | '网' | 'I' | '答' | '楼' | '账' | '直' | '用'
        ) {
            continue;
        }
        let Some(cue) = NICK_CUES.iter().find(|w| starts_with_at(chars, i, w)) else { continue };
        let mut s = i + cue.chars().count();
        // 主播名叫, 网友叫, ID是: a word for "called" is required before an unquoted name.
        let mut called = false;
        for w in ["名字叫", "名叫", "叫做", "叫", "名是", "是", "自称"] {
            if starts_with_at(chars, s, w) {
                called = w != "是" || cue.starts_with('I');
                s += w.chars().count();
                break;
            }
        }
        while chars.get(s) == Some(&' ') {
            s += 1;
        }
        let Some(&first) = chars.get(s) else { continue };
        if open(first) {
            let e = (s + 1..chars.len().min(s + 18)).find(|&k| close(chars[k]) || chars[k] == '\n');
            if let Some(e) = e
                && close(chars[e])
                && e > s + 2
                && chars[s + 1..e].iter().all(|&c| is_han(c) || c.is_alphanumeric() || "_-·.~ ".contains(c))
            {
                found.push((PiiKind::ImId, s + 1, e));
            }
        } else if called && (is_han(first) || first.is_ascii_alphanumeric()) {
            let mut e = s;
            while e < chars.len()
                && e - s <= 10
                && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric() || chars[e] == '_')
            {
                e += 1;
            }
            let ends_clause = chars.get(e).is_none_or(|&c| "，。！？、；,.!?; \n）)".contains(c));
            // A clause, not a name: 主播叫大家赶紧下单, 卖家叫我先付款. By words, so that a name
            // holding one of their characters stays a name (健康管家小美 holds 家, not 大家).
            const CLAUSE_WORDS: [&str; 9] = ["大家", "赶紧", "先", "再", "都", "也", "就", "还要", "别"];
            // A screen name built on 的 (对方叫快乐的小蜜蜂) holds stop characters and is one.
            let clause = !de_name(chars, s, e)
                && (chars[s..e].iter().any(|&c| is_stop(c) || "会能想快".contains(c))
                    || (s..e).any(|k| CLAUSE_WORDS.iter().any(|w| starts_with_at(chars, k, w))));
            let digits_only = chars[s..e].iter().all(char::is_ascii_digit);
            if ends_clause && !clause && !digits_only && e - s >= 2 && e - s <= 10 {
                found.push((PiiKind::ImId, s, e));
            }
        }
    }
}

/// Words for the other side of a deal or a chat before its name is given (对方叫…, 那人网名叫…).
const OTHER_PARTY: [&str; 4] = ["对方", "那人", "那个人", "此人"];

/// The other side's screen name after `对方叫` (对方叫快乐星球22, 对方叫夏天的风铃，), up to the end of
/// the clause: a screen name built on 的 (`de_name`), or two to eleven characters and letters that
/// read as no person's name, hold no stop character and start no clause (对方叫物业过来处理: a verb
/// in it; 对方叫我等通知: a pronoun).
pub(super) fn other_party_called(lex: &Lexicon, words: &Words<'_>, chars: &[char], found: &mut Found) {
    for i in 0..chars.len() {
        if !matches!(chars[i], '对' | '那' | '此') {
            continue;
        }
        let Some(w) = OTHER_PARTY.iter().find(|w| starts_with_at(chars, i, w)) else { continue };
        let mut s = i + w.chars().count();
        if let Some(w) =
            ["的网名", "的昵称", "的名字", "网名", "昵称", "名字"].iter().find(|w| starts_with_at(chars, s, w))
        {
            s += w.chars().count();
        }
        let Some(w) = ["名叫", "叫做", "叫"].iter().find(|w| starts_with_at(chars, s, w)) else {
            continue;
        };
        s += w.chars().count();
        let mut e = s;
        while e < chars.len()
            && e - s <= 12
            && (is_han(chars[e]) || chars[e].is_ascii_alphanumeric() || chars[e] == '_')
        {
            e += 1;
        }
        let ends_clause = chars.get(e).is_none_or(|&c| "，。！？；,.!?; \n（(".contains(c));
        if !ends_clause || !(2..=12).contains(&(e - s)) || super::chat::person_like(lex, chars, s, e) {
            continue;
        }
        let ascii = chars[s..e].iter().any(char::is_ascii_alphanumeric);
        let verb = (s..e).any(|k| {
            words
                .at(k)
                .is_some_and(|t| t.start == k && ["v", "p", "r", "d", "c", "u"].iter().any(|f| t.tag.starts_with(f)))
        });
        let plain = !chars[s..e].iter().any(|&c| is_stop(c)) && (ascii || !verb) && e - s >= 3;
        if de_name(chars, s, e) || plain {
            found.push((PiiKind::ImId, s, e));
        }
    }
}

/// Nouns for a person or an account after `一个叫…的` (一个叫小鹿乱撞的网友, 有个叫二手小当家的卖家).
const CALLED_NOUNS: [&str; 23] = [
    "网友", "博主", "主播", "卖家", "买家", "商家", "用户", "账号", "号", "女", "男", "姑娘", "小伙", "家伙", "客服",
    "群主", "人", "托", "骗子", "代购", "代练", "中介", "团长",
];

/// `(一)个叫X的` + a person or account noun: X names someone. Quoted (一个叫“荣耀代练小哥”的人), X is
/// a screen name whatever it holds, unless a person's name was found in it; unquoted, where X does not read as a person's name (the name
/// rules take those), a nickname of two characters (一个叫二毛的人) is a name used for the person,
/// a longer one or one with letters a screen name.
pub(super) fn called_the(lex: &Lexicon, chars: &[char], found: &mut Found) {
    let open = |c: char| matches!(c, '“' | '"' | '「' | '『' | '‘');
    let close = |c: char| matches!(c, '”' | '"' | '」' | '』' | '’');
    for i in 1..chars.len() {
        if chars[i] != '叫' || !matches!(chars[i - 1], '个' | '位') {
            continue;
        }
        let s = i + 1;
        if chars.get(s).is_some_and(|&c| open(c)) {
            let e = (s + 1..chars.len().min(s + 18)).find(|&k| close(chars[k]) || chars[k] == '\n');
            // A person's name found inside (一个叫“美丽顾问小琪”的微信) stands.
            let named = |e: usize| found.iter().any(|f| f.0 == PiiKind::Name && s < f.1 && f.2 <= e);
            // An organisation in quotes (一个叫“信用修复服务中心”的) is no one's screen name.
            let body = |e: usize| &chars[s + 1..e];
            if let Some(e) = e.filter(|&e| {
                close(chars[e])
                    && e > s + 2
                    && chars.get(e + 1) == Some(&'的')
                    && !named(e)
                    && !super::running_names::organisation(body(e))
                    && !super::handles::official_name(body(e))
            }) {
                found.push((PiiKind::ImId, s + 1, e));
            }
            continue;
        }
        let Some(de) = (s..chars.len().min(s + 12)).find(|&k| chars[k] == '的') else { continue };
        let run = &chars[s..de];
        // 有个叫北城以北的，: the clause ends on 的, a person meant.
        let noun = CALLED_NOUNS.iter().any(|w| super::text::starts_with_at(chars, de + 1, w))
            || chars.get(de + 1).is_some_and(|&c| matches!(c, ',' | '。' | '!' | '，' | '！'));
        // A screen name may end on an emoji (晚安小熊🐻).
        let body = run.len() - run.iter().rev().take_while(|&&c| super::running_names::emoji(c)).count();
        let clean = body >= 2 && run[..body].iter().all(|&c| is_han(c) || c.is_ascii_alphanumeric() || c == '_');
        // Not a clause (叫不出名字的人, 叫我们去的人): no function word or pronoun in it.
        let clause = run[..body].iter().any(|&c| super::text::is_stop(c) || "不我你他她们什么啥哪谁".contains(c));
        if noun && clean && !clause && (2..=10).contains(&run.len()) && !super::chat::person_like(lex, chars, s, de) {
            let nickname = run.len() == 2 && run.iter().all(|&c| is_han(c));
            found.push((if nickname { PiiKind::Name } else { PiiKind::ImId }, s, de));
        }
    }
}

#[cfg(test)]
mod tests {
    /// `after_platform_called` as it read the platforms from a list: the fast version must agree.
    fn platform_called_by_list(chars: &[char], i: usize) -> Option<usize> {
        use super::starts_with_at;
        const PLATFORMS: [&str; 10] = ["抖音", "快手", "小红书", "微博", "B站", "闲鱼", "微信", "QQ", "淘宝", "视频号"];
        let p = PLATFORMS.iter().find(|w| starts_with_at(chars, i, w))?;
        let mut s = i + p.chars().count();
        if let Some(m) = [
            "上的账号",
            "上的名字",
            "上的网名",
            "的账号",
            "的名字",
            "的网名",
            "的号",
            "账号",
            "名字",
            "网名",
            "号",
            "上",
            "里",
        ]
        .iter()
        .find(|w| starts_with_at(chars, s, w))
        {
            s += m.chars().count();
        }
        let w = ["名叫", "叫做", "叫", "昵称叫"].iter().find(|w| starts_with_at(chars, s, w))?;
        Some(s + w.chars().count())
    }

    #[test]
    fn the_platform_test_agrees_with_the_list_of_platforms() {
        let platforms = ["抖音", "快手", "小红书", "微博", "B站", "闲鱼", "微信", "QQ", "淘宝", "视频号"];
        let near = ["抖", "快", "小红", "小", "微", "B", "闲", "Q", "淘", "视频", "视", "微微信", "小小红书", "QQQ"];
        let middles = ["", "上的账号", "上的名字", "的网名", "的号", "账号", "号", "上", "里", "的"];
        let calls = ["名叫", "叫做", "叫", "昵称叫", "是", ""];
        let mut tried = 0;
        for p in platforms.iter().chain(&near) {
            for m in middles {
                for c in calls {
                    for text in [format!("{p}{m}{c}“阿飞”"), format!("我{p}{m}{c}"), format!("{p}{m}{c}")] {
                        let chars: Vec<char> = text.chars().collect();
                        for i in 0..chars.len() {
                            assert_eq!(
                                super::after_platform_called(&chars, i),
                                platform_called_by_list(&chars, i),
                                "{text} at {i}"
                            );
                            tried += 1;
                        }
                    }
                }
            }
        }
        assert!(tried > 1000);
    }

    #[test]
    fn a_parent_by_a_childs_doubled_name() {
        use super::super::PiiKind::ImId;
        use super::super::tests_v2::{has, untouched};
        has("群里的佳佳妈妈也被骗了，她可以作证", ImId, "佳佳妈妈");
        has("群主是晨晨妈妈，大家都交了钱", ImId, "晨晨妈妈");
        has("阳阳爸说他去问", ImId, "阳阳爸");
        untouched("我爸爸妈妈都七十多了", "爸爸妈妈");
        untouched("宝宝妈妈们都在群里", "宝宝妈妈");
        untouched("他天天妈妈长妈妈短的", "天天");
    }
}
