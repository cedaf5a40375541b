//! Screen names in characters: quoted after a platform and a word for "called" (我抖音叫“小鹿爱吃
//! 糖”), after a streamer's, seller's or group owner's word (主播“大胃王阿飞”, 团长叫英子姐), and
//! parents or grandparents called by a child's name (佳佳妈妈, 轩轩奶奶, Luna妈). Moved from
//! `handles.rs`, which keeps the handles in letters and digits, @mentions and documents.

use super::PiiKind;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

/// A screen name quoted after a platform and a word for "called" (我抖音叫“小鹿爱吃糖”, 他快手上
/// 名叫「农家阿芳」): only quoted, since 微信上叫他过来 is an errand, not a name.
pub(super) fn platform_names(chars: &[char], found: &mut Found) {
    const PLATFORMS: [&str; 10] = ["抖音", "快手", "小红书", "微博", "B站", "闲鱼", "微信", "QQ", "淘宝", "视频号"];
    for i in 0..chars.len() {
        if !matches!(chars[i], '抖' | '快' | '小' | '微' | 'B' | '闲' | 'Q' | '淘' | '视') {
            continue;
        }
        let Some(p) = PLATFORMS.iter().find(|w| starts_with_at(chars, i, w)) else { continue };
        let mut s = i + p.chars().count();
        if let Some(m) = ["上的账号", "上的名字", "的账号", "的名字", "账号", "名字", "上", "里"]
            .iter()
            .find(|w| starts_with_at(chars, s, w))
        {
            s += m.chars().count();
        }
        let Some(w) = ["名叫", "叫做", "叫", "昵称叫"].iter().find(|w| starts_with_at(chars, s, w)) else {
            continue;
        };
        s += w.chars().count();
        if !chars.get(s).is_some_and(|&c| matches!(c, '“' | '"' | '「' | '『')) {
            continue;
        }
        let e = (s + 1..chars.len().min(s + 18)).find(|&k| matches!(chars[k], '”' | '"' | '」' | '』' | '\n'));
        if let Some(e) = e.filter(|&e| chars[e] != '\n' && e > s + 2) {
            found.push((PiiKind::ImId, s + 1, e));
        }
    }
}

/// A parent called by a child's doubled pet name (佳佳妈妈, 糖糖妈, 阳阳爸, 乐乐妈咪): a group or
/// screen nickname that finds the family. Not kinship words doubled (爸爸妈妈, 宝宝妈妈) nor
/// doubled adverbs and time words (天天, 常常, 人人).
pub(super) fn parents_by_child(chars: &[char], found: &mut Found) {
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

/// Parents and grandparents called by a child's name (佳佳妈妈, 轩轩奶奶, Luna妈).
const PARENTS: [&str; 11] = ["妈妈", "妈咪", "爸爸", "妈", "爸", "奶奶", "爷爷", "姥姥", "姥爷", "外婆", "外公"];

/// Words after which a private person's screen name follows, quoted (主播“大胃王阿飞”, 卖家「二手
/// 小当家」, 店主自称“蜂农老杨”) or after 叫 up to the end of the clause (主播叫英子姐，, ID叫小鹿乱撞，).
const NICK_CUES: [&str; 11] = ["主播", "博主", "UP主", "up主", "卖家", "买家", "团长", "店主", "群主", "网友", "ID"];

/// Quoted or 叫-introduced screen names after `NICK_CUES` (the labelled forms, 昵称/网名, are in
/// `handles`). A quoted name may hold anything but a line break (up to 16 characters); an
/// unquoted one must end at punctuation or a space within 10 characters, so that a clause
/// (主播叫我们下单) is not taken for a name.
pub(super) fn nicknames(chars: &[char], found: &mut Found) {
    let open = |c: char| matches!(c, '“' | '"' | '「' | '『' | '‘' | '《');
    let close = |c: char| matches!(c, '”' | '"' | '」' | '』' | '’' | '》');
    for i in 0..chars.len() {
        if !matches!(chars[i], '主' | '博' | 'U' | 'u' | '卖' | '买' | '团' | '店' | '群' | '网' | 'I') {
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
            let clause = chars[s..e].iter().any(|&c| is_stop(c) || "会能想快".contains(c))
                || (s..e).any(|k| CLAUSE_WORDS.iter().any(|w| starts_with_at(chars, k, w)));
            let digits_only = chars[s..e].iter().all(char::is_ascii_digit);
            if ends_clause && !clause && !digits_only && e - s >= 2 && e - s <= 10 {
                found.push((PiiKind::ImId, s, e));
            }
        }
    }
}

#[cfg(test)]
mod tests {
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
