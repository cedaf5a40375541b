//! Identifiers that are not numbers: platform handles (tb_…, dy_…), ids after their cue words,
//! @mentions, passport numbers, e-mail addresses read out (wang dot ming at 126 dot com).

use super::PiiKind;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

pub(super) fn scan(chars: &[char], found: &mut Found) {
    handles(chars, found);
    nicknames(chars, found);
    parents_by_child(chars, found);
    spoken_email(chars, found);
    spelled_handles(chars, found);
    platform_names(chars, found);
}

/// A screen name quoted after a platform and a word for "called" (我抖音叫“小鹿爱吃糖”, 他快手上
/// 名叫「农家阿芳」): only quoted, since 微信上叫他过来 is an errand, not a name.
fn platform_names(chars: &[char], found: &mut Found) {
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

/// An id spelled out symbol by symbol after a word for WeChat or QQ (加V：h k 8 8 6 6 z z), as
/// senders of advertising texts write it to slip past filters: six or more letters and digits,
/// each standing alone, one space between them.
fn spelled_handles(chars: &[char], found: &mut Found) {
    const CUES: [&str; 11] = ["加V", "加v", "加Q", "加q", "加微", "微信", "V信", "v信", "vx", "VX", "QQ"];
    let alnum = |k: usize| chars.get(k).is_some_and(char::is_ascii_alphanumeric);
    for i in 0..chars.len() {
        if !matches!(chars[i], '加' | '微' | 'V' | 'v' | 'Q') {
            continue;
        }
        let Some(cue) = CUES.iter().find(|w| starts_with_at(chars, i, w)) else { continue };
        let mut s = i + cue.chars().count();
        while matches!(chars.get(s), Some(' ' | ':' | '是' | '号')) {
            s += 1;
        }
        let (mut k, mut n, mut end) = (s, 0, s);
        while alnum(k) && !alnum(k + 1) {
            n += 1;
            end = k + 1;
            if chars.get(k + 1) != Some(&' ') {
                break;
            }
            k += 2;
        }
        if n >= 6 {
            found.push((PiiKind::ImId, s, end));
        }
    }
}

/// A parent called by a child's doubled pet name (佳佳妈妈, 糖糖妈, 阳阳爸, 乐乐妈咪): a group or
/// screen nickname that finds the family. Not kinship words doubled (爸爸妈妈, 宝宝妈妈) nor
/// doubled adverbs and time words (天天, 常常, 人人).
fn parents_by_child(chars: &[char], found: &mut Found) {
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

/// QQ/WeChat ids and platform handles: prefixed ones anywhere (tb_…, dy_…, xy_…, jd_…, wxid_…),
/// ids after their cue words, and @mentions.
fn handles(chars: &[char], found: &mut Found) {
    const PREFIXES: [&str; 9] = ["tb_", "dy_", "xy_", "jd_", "wxid_", "ks_", "xhs_", "pdd_", "wx_"];
    const CUES: [&str; 27] = [
        "用户名",
        "支付宝",
        "UID",
        "uid",
        "V:",
        "v:",
        "钉钉号",
        "钉钉",
        "加薇",
        "薇信",
        "会员名",
        "抖音号",
        "dy号",
        "快手号",
        "小红书号",
        "淘宝账号",
        "淘宝号",
        "旺旺号",
        "旺旺",
        "闲鱼号",
        "卖家ID",
        "买家ID",
        "京东账号",
        "账号",
        "ID",
        "vx",
        "wx",
    ];
    let handle_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    for i in 0..chars.len() {
        let c = chars[i];
        let prefixed = |p: &&str| {
            chars.len() >= i + p.len()
                && chars[i..i + p.len()].iter().zip(p.chars()).all(|(a, b)| a.eq_ignore_ascii_case(&b))
        };
        if c.is_ascii_alphabetic() && (i == 0 || !handle_char(chars[i - 1])) && PREFIXES.iter().any(prefixed) {
            let mut e = i;
            while e < chars.len() && handle_char(chars[e]) {
                e += 1;
            }
            if e - i >= 5 {
                found.push((PiiKind::ImId, i, e));
            }
        }
        if c == '@' && (i == 0 || !chars[i - 1].is_ascii_alphanumeric()) {
            let mut e = i + 1;
            while e < chars.len()
                && e - i <= 20
                && (is_han(chars[e]) || handle_char(chars[e]))
                && !matches!(chars[e], '的' | '了' | '也' | '都' | '说' | '本' | '在' | '你' | '我' | '他' | '她')
            {
                e += 1;
            }
            if e > i + 1 && !official_account(&chars[i + 1..e]) {
                found.push((PiiKind::ImId, i + 1, e));
            }
        }
        let cue_first = matches!(
            c,
            '用' | '会'
                | '支'
                | 'U'
                | 'u'
                | 'V'
                | '抖'
                | 'd'
                | '快'
                | '小'
                | '淘'
                | '旺'
                | '闲'
                | '卖'
                | '买'
                | '京'
                | '账'
                | 'I'
                | 'v'
                | 'w'
                | '钉'
                | '加'
                | '薇'
        );
        // A lone V (V：zhangsan1990) says WeChat; TV:, MV: say nothing.
        let lone = |w: &&&str| !w.ends_with(':') || i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if let Some(cue) = CUES.iter().filter(|_| cue_first).filter(lone).find(|w| starts_with_at(chars, i, w)) {
            let mut s = i + cue.chars().count();
            while matches!(chars.get(s), Some(' ' | ':' | '：' | '是' | '为')) {
                s += 1;
            }
            let mut e = s;
            while e < chars.len() && handle_char(chars[e]) {
                e += 1;
            }
            if e - s >= 5 && chars[s..e].iter().any(|c| c.is_ascii_digit()) {
                found.push((PiiKind::ImId, s, e));
            }
        }
        // A nickname or an id in characters after its label (昵称：…, ID：…).
        // 用户名 only with a colon or a space after it (闲鱼用户名 萌萌小铺2019, not 用户名和密码).
        // 旺旺 only with a colon or 名 (淘宝旺旺：小熊家的糖果铺; 旺旺 is a snack brand too).
        let label =
            if matches!(c, '昵' | '网' | '微' | 'I' | '用' | '抖' | '快' | '旺' | '会' | '小' | '闲' | '视' | 'i')
            {
                LABELS
                    .iter()
                    .filter(|w| w.starts_with(c))
                    .filter(|w| !w.starts_with(['i', 'I']) || i == 0 || !chars[i - 1].is_ascii_alphanumeric())
                    .find(|w| starts_with_at(chars, i, w))
            } else {
                None
            };
        if let Some(label) = label {
            let mut s = i + label.chars().count();
            while matches!(chars.get(s), Some(' ' | ':' | '：' | '是' | '叫' | '为')) {
                s += 1;
            }
            // Quoted (昵称“大胃王阿飞”): the whole quotation, whatever it holds.
            if chars.get(s).is_some_and(|&c| matches!(c, '“' | '"' | '「' | '『')) {
                let close =
                    (s + 1..chars.len().min(s + 22)).find(|&k| matches!(chars[k], '”' | '"' | '」' | '』' | '\n'));
                if let Some(e) = close.filter(|&e| chars[e] != '\n' && e > s + 2) {
                    found.push((PiiKind::ImId, s + 1, e));
                }
                continue;
            }
            let mut e = s;
            while e < chars.len() && e - s < 20 && (is_han(chars[e]) || handle_char(chars[e])) {
                e += 1;
            }
            if e - s >= 2 {
                found.push((PiiKind::ImId, s, e));
            }
        }
        // A travel or service document's number after its word (护照号E12345678, 港澳通行证 C62815947,
        // 台胞证号码08562741, 军官证号南字第2016874号, 证件号G48271936).
        if matches!(c, '护' | '通' | '台' | '回' | '军' | '士' | '证') {
            document_number(chars, i, found);
        }
    }
}

/// Labels before a nickname or an id in characters (昵称：…, ID：…). 用户名 only with a colon or a
/// space after it (闲鱼用户名 萌萌小铺2019, not 用户名和密码); 旺旺 only with a colon or 名 (淘宝旺旺：小熊家
/// 的糖果铺; 旺旺 is a snack brand too); 抖音号是莫教授健康课堂: an account's name in characters after
/// 是; Instagram in letters (ins：lilylondon_shop).
const LABELS: [&str; 28] = [
    "昵称",
    "网名",
    "微信名",
    "微博名",
    "抖音名",
    "快手名",
    "ID：",
    "ID:",
    "用户名：",
    "用户名:",
    "用户名 ",
    "旺旺:",
    "旺旺名:",
    "旺旺名 ",
    "会员名:",
    "抖音号:",
    "快手号:",
    "小红书号:",
    "闲鱼号:",
    "视频号:",
    "抖音号是",
    "快手号是",
    "小红书号是",
    "视频号是",
    "ins:",
    "ins账号",
    "Instagram:",
    "instagram:",
];

/// Words for a travel or service document that identifies its holder.
const DOCUMENTS: [&str; 8] = ["护照", "港澳通行证", "通行证", "台胞证", "回乡证", "军官证", "士兵证", "证件"];

/// A document's number after its word at `i`, up to a few fillers (号, 码, ：, 是): seven to
/// twelve letters and digits with a digit among them, or a military number as its office writes
/// it (南字第2016874号, one character, 字第, the digits, 号).
/// Words that make an @mention a public body's or a hotline's official account (@12315,
/// @北京市场监管, @中国消费者协会): public, named on purpose, and kept like the body itself.
const OFFICIAL: &[&str] = &[
    "12315",
    "12345",
    "12348",
    "12331",
    "市场监管",
    "市监",
    "监管局",
    "管理局",
    "政府",
    "政务",
    "公安",
    "网警",
    "消协",
    "消委",
    "消费者协会",
    "消保委",
    "网信",
    "法院",
    "检察",
    "发布",
    "人民日报",
    "新华社",
    "央视",
];

fn official_account(label: &[char]) -> bool {
    let label: String = label.iter().collect();
    OFFICIAL.iter().any(|w| label.contains(w))
}

fn document_number(chars: &[char], i: usize, found: &mut Found) {
    let Some(w) = DOCUMENTS.iter().find(|w| starts_with_at(chars, i, w)) else { return };
    // 通行证 inside 港澳通行证 is found at its own start.
    if *w == "通行证" && i >= 2 && chars[i - 2..i] == ['港', '澳'] {
        return;
    }
    let mut s = i + w.chars().count();
    while matches!(chars.get(s), Some('号' | '码' | ' ' | ':' | '：' | '是' | '为')) {
        s += 1;
    }
    if chars.get(s).is_some_and(|&c| is_han(c)) && starts_with_at(chars, s + 1, "字第") {
        let d = s + 3;
        let mut e = d;
        while chars.get(e).is_some_and(char::is_ascii_digit) {
            e += 1;
        }
        if e - d >= 5 && chars.get(e) == Some(&'号') {
            found.push((PiiKind::IdCard, s, e + 1));
        }
        return;
    }
    let mut e = s;
    while e < chars.len() && chars[e].is_ascii_alphanumeric() {
        e += 1;
    }
    if (7..=12).contains(&(e - s)) && chars[s..e].iter().any(|c| c.is_ascii_digit()) {
        found.push((PiiKind::IdCard, s, e));
    }
}

/// Words after which a private person's screen name follows, quoted (主播“大胃王阿飞”, 卖家「二手
/// 小当家」, 店主自称“蜂农老杨”) or after 叫 up to the end of the clause (主播叫英子姐，, ID叫小鹿乱撞，).
const NICK_CUES: [&str; 11] = ["主播", "博主", "UP主", "up主", "卖家", "买家", "团长", "店主", "群主", "网友", "ID"];

/// Quoted or 叫-introduced screen names after `NICK_CUES` (the labelled forms, 昵称/网名, are in
/// `handles`). A quoted name may hold anything but a line break (up to 16 characters); an
/// unquoted one must end at punctuation or a space within 10 characters, so that a clause
/// (主播叫我们下单) is not taken for a name.
fn nicknames(chars: &[char], found: &mut Found) {
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

/// An e-mail address read out: `wang dot ming at 126 dot com`.
fn spoken_email(chars: &[char], found: &mut Found) {
    let word = |mut j: usize| {
        while j < chars.len() && (chars[j].is_ascii_alphanumeric() || chars[j] == '_') {
            j += 1;
        }
        j
    };
    for i in 0..chars.len() {
        if !starts_with_at(chars, i, " at ") || i == 0 || !chars[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let mut s = i;
        loop {
            while s > 0 && (chars[s - 1].is_ascii_alphanumeric() || chars[s - 1] == '_') {
                s -= 1;
            }
            if s >= 5 && starts_with_at(chars, s - 5, " dot ") && chars[s - 6].is_ascii_alphanumeric() {
                s -= 5;
            } else {
                break;
            }
        }
        let mut e = word(i + 4);
        let mut dots = 0;
        while starts_with_at(chars, e, " dot ") && word(e + 5) > e + 5 {
            e = word(e + 5);
            dots += 1;
        }
        if dots > 0 && e > i + 4 {
            found.push((PiiKind::Email, s, e));
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

    #[test]
    fn official_accounts_mentioned_are_kept_and_people_are_not() {
        use super::super::PiiKind::ImId;
        use super::super::tests_v2::{has, untouched};
        untouched("已在微博@12315和@北京市场监管反映，没人理", "12315");
        untouched("已在微博@12315和@北京市场监管反映，没人理", "北京市场监管");
        untouched("@中国消费者协会 请关注这家店", "中国消费者协会");
        untouched("抄送@上海发布，希望曝光", "上海发布");
        has("@小鹿不迷路 你也被骗了吗", ImId, "小鹿不迷路");
    }

    #[test]
    fn handles_and_spoken_mail() {
        let chars: Vec<char> = "淘宝账号tb_7731958208，抖音号 dy_58362910，@小李爱吃肉 说的，邮箱 wang dot ming at 126 dot com，护照号E12345678".chars().collect();
        let mut found = Vec::new();
        super::scan(&chars, &mut found);
        let texts: Vec<String> = found.iter().map(|f| chars[f.1..f.2].iter().collect()).collect();
        for want in ["tb_7731958208", "dy_58362910", "小李爱吃肉", "wang dot ming at 126 dot com", "E12345678"] {
            assert!(texts.iter().any(|t| t == want), "{want} in {texts:?}");
        }
    }
}
