//! Identifiers that are not numbers: platform handles (tb_…, dy_…), ids after their cue words,
//! @mentions, passport numbers, e-mail addresses read out (wang dot ming at 126 dot com). Screen
//! names in characters after a platform, a streamer's or seller's word or a child's name are in
//! `nicknames.rs`.

use super::PiiKind;
use super::text::{is_han, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

pub(super) fn scan(chars: &[char], found: &mut Found) {
    handles(chars, found);
    super::nicknames::nicknames(chars, found);
    super::nicknames::parents_by_child(chars, found);
    spoken_email(chars, found);
    spelled_handles(chars, found);
    super::nicknames::platform_names(chars, found);
    super::running_names::prefixed_handles(chars, found);
    super::running_names::bracket_accounts(chars, found);
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

/// QQ/WeChat ids and platform handles: prefixed ones anywhere (tb_…, dy_…, xy_…, jd_…, wxid_…),
/// ids after their cue words, and @mentions.
fn handles(chars: &[char], found: &mut Found) {
    const PREFIXES: [&str; 9] = ["tb_", "dy_", "xy_", "jd_", "wxid_", "ks_", "xhs_", "pdd_", "wx_"];
    const CUES: [&str; 30] = [
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
        "WeChat",
        "Wechat",
        "wechat",
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
            // A medium's name may run past a stop character (@南方都市报记者): read ten characters on.
            let wide = (e..chars.len().min(i + 11)).find(|&k| !is_han(chars[k])).unwrap_or(chars.len().min(i + 11));
            if e > i + 1 && !media_account(&chars[i + 1..e], &chars[i + 1..e.max(wide)]) {
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
                | 'W'
                | '钉'
                | '加'
                | '薇'
        );
        // A lone V (V：zhangsan1990) says WeChat; TV:, MV: say nothing.
        let lone = |w: &&&str| !w.ends_with(':') || i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if let Some(cue) = CUES
            .iter()
            .filter(|_| cue_first)
            .filter(lone)
            .find(|w| starts_with_at(chars, i, w))
            .filter(|w| !w.starts_with('I') || !staff_before(chars, i))
        {
            let mut s = i + cue.chars().count();
            while matches!(chars.get(s), Some(' ' | ':' | '：' | '是' | '为')) {
                s += 1;
            }
            // In English (His WeChat is zhou_xinju88, the seller ID is kf_mobile_2019), not after a
            // reference's word (order ID is 2026…).
            let english = starts_with_at(chars, s, "is ");
            if english {
                s += 3;
                while chars.get(s) == Some(&' ') {
                    s += 1;
                }
            }
            let mut e = s;
            while e < chars.len() && handle_char(chars[e]) {
                e += 1;
            }
            while e > s && chars[e - 1] == '.' {
                e -= 1;
            }
            if e - s >= 5
                && chars[s..e].iter().any(|c| c.is_ascii_digit())
                && !(english && super::references::english_reference(chars, s))
            {
                found.push((PiiKind::ImId, s, e));
            }
        }
        // A nickname or an id in characters after its label (昵称：…, ID：…).
        // 用户名 only with a colon or a space after it (闲鱼用户名 萌萌小铺2019, not 用户名和密码).
        // 旺旺 only with a colon or 名 (淘宝旺旺：小熊家的糖果铺; 旺旺 is a snack brand too).
        let label = if matches!(
            c,
            '昵' | '网'
                | '微'
                | 'I'
                | '用'
                | '抖'
                | '快'
                | '旺'
                | '会'
                | '小'
                | '闲'
                | '视'
                | 'i'
                | '淘'
                | '召'
                | '角'
        ) {
            LABELS
                .iter()
                .filter(|w| w.starts_with(c))
                .filter(|w| !w.starts_with(['i', 'I']) || i == 0 || !chars[i - 1].is_ascii_alphanumeric())
                .find(|w| starts_with_at(chars, i, w))
        } else {
            None
        };
        if let Some(label) = label.filter(|w| !w.starts_with('I') || !staff_before(chars, i)) {
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
            // A middle dot between characters stays inside (群昵称阿花·专注母婴好物).
            let dot = |e: usize| {
                chars[e] == '·' && e > s && is_han(chars[e - 1]) && chars.get(e + 1).is_some_and(|&c| is_han(c))
            };
            while e < chars.len() && e - s < 20 && (is_han(chars[e]) || handle_char(chars[e]) || dot(e)) {
                e += 1;
            }
            // An official account (抖音号是福宝月子官方, 视频号：康乐养老服务中心官方号) is kept.
            if e - s >= 2 && !official_name(&chars[s..e]) {
                found.push((PiiKind::ImId, s, e));
            }
        }
        // A travel or service document's number after its word (护照号E12345678, 港澳通行证 C62815947,
        // 台胞证号码08562741, 军官证号南字第2016874号, 证件号G48271936).
        if matches!(c, '护' | '通' | '台' | '回' | '军' | '士' | '证') {
            super::foreign_ids::document_number(chars, i, found);
        }
    }
}

/// Labels before a nickname or an id in characters (昵称：…, ID：…). 用户名 only with a colon or a
/// space after it (闲鱼用户名 萌萌小铺2019, not 用户名和密码); 旺旺 only with a colon or 名 (淘宝旺旺：小熊家
/// 的糖果铺; 旺旺 is a snack brand too); 抖音号是莫教授健康课堂: an account's name in characters after
/// 是; Instagram in letters (ins：lilylondon_shop).
const LABELS: [&str; 32] = [
    "召唤师名",
    "角色名",
    "淘宝名",
    "闲鱼名",
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

/// A staff member's word right before an ID (骑手ID MT0088312, 客服ID：…): a work number like 工号,
/// no private account.
fn staff_before(chars: &[char], i: usize) -> bool {
    let mut k = i;
    while k > 0 && chars[k - 1] == ' ' {
        k -= 1;
    }
    ["骑手", "员工", "客服", "店员", "坐席", "司机", "配送员", "快递员", "工作人员"]
        .iter()
        .any(|w| k >= w.chars().count() && starts_with_at(chars, k - w.chars().count(), w))
}

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

/// Whether an @mention (`label`, and `wide`: ten characters on from the @, past a stop character)
/// is a public body's, an enterprise's or a medium's account (@12315, @大河报, @澎湃新闻, @南方都市报记者):
/// kept, and what runs on after it (@顶端新闻跟进报道) with it. A medium's word counts only where
/// the name starts (@小美看了日报 is a person), a name on 报 only where it ends there or before 记者.
fn media_account(label: &[char], wide: &[char]) -> bool {
    let from_start = |w: &str| (0..wide.len().min(5)).any(|k| starts_with_at(wide, k, w));
    official_name(label)
        || (2..wide.len().min(6)).any(|k| {
            wide[k] == '报'
                && (wide.get(k + 1).is_none_or(|&c| !is_han(c)) || starts_with_at(wide, k + 1, "记者"))
                && !wide[..k].iter().any(|&c| super::text::is_stop(c))
        })
        || ["报社", "电视", "广播", "卫视", "频道", "时报", "周刊", "头条"].iter().any(|w| from_start(w))
}

/// Words that make an account's name an enterprise's or a medium's, not a private person's
/// (福宝月子官方, 某某旗舰店, 本地新闻, 城市晚报).
const OFFICIAL_NAMES: [&str; 9] = ["官方", "官微", "旗舰店", "专卖店", "新闻", "日报", "晚报", "电视台", "融媒"];

/// Whether a screen name is an official account's: a public body's (`OFFICIAL`) or one of
/// `OFFICIAL_NAMES` in it.
pub(super) fn official_name(label: &[char]) -> bool {
    official_account(label) || OFFICIAL_NAMES.iter().any(|w| (0..label.len()).any(|k| starts_with_at(label, k, w)))
}

/// The next ids of a list after one found (微信号candy_yhfc、ganlu9981, QQ是3318872045和2745519803,
/// lele_shop2020 / xiaoyu8827): after `、`, `，`, `/`, 和, 或, 及 or 跟 (spaces around allowed), a
/// token of the same shape — digits only after digits (five to eleven, a QQ number), else letters
/// with a digit or an underscore (five to twenty symbols) —, not glued to more letters or digits,
/// not taken. Each id found so continues the list.
pub(super) fn listed_after(chars: &[char], protected: &[(usize, usize)], found: &mut Found) {
    let handle_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
    let mut k = 0;
    while k < found.len() {
        let (kind, s, e) = found[k];
        k += 1;
        if kind != PiiKind::ImId || !chars[s..e].iter().all(|&c| handle_char(c)) {
            continue;
        }
        let digits = chars[s..e].iter().all(char::is_ascii_digit);
        let mut j = e;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        if !chars.get(j).is_some_and(|&c| matches!(c, '、' | '，' | ',' | '/' | '和' | '或' | '及' | '跟')) {
            continue;
        }
        j += 1;
        while chars.get(j) == Some(&' ') {
            j += 1;
        }
        let a = j;
        while chars.get(j).is_some_and(|&c| handle_char(c)) {
            j += 1;
        }
        // A trailing dot ends the sentence, not the id.
        while j > a && chars[j - 1] == '.' {
            j -= 1;
        }
        let token = &chars[a..j];
        let shaped = if digits {
            (5..=11).contains(&token.len()) && token.iter().all(char::is_ascii_digit) && token[0] != '0'
        } else {
            (5..=20).contains(&token.len())
                && token[0].is_ascii_alphanumeric()
                && token.iter().any(char::is_ascii_alphabetic)
                && token.iter().any(|&c| c.is_ascii_digit() || c == '_')
        };
        let taken = |f: &(usize, usize)| a < f.1 && f.0 < j;
        if shaped
            && !found.iter().any(|f| taken(&(f.1, f.2)))
            && !protected.iter().any(taken)
            && !super::references::after_reference_cue(chars, a)
        {
            found.push((PiiKind::ImId, a, j));
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
