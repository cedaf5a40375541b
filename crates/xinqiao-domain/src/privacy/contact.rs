//! Identifiers given with no word for what they are, decided by shape and context: a QQ number
//! (她给我妈留了个号 2873561904 说有事找她) or a handle of letters and digits (加我 lucky_8812)
//! next to a word of contact (加, 联系, 找, 私信, 留了个号) in its clause, and not a price, a
//! quantity, a date, a time or a reference number.

use super::PiiKind;
use super::digits::Run;
use super::numbers::{Found, after_reference_cue};
use super::text::starts_with_at;

/// Words of contact before an identifier, within its clause.
const BEFORE: [&str; 19] = [
    "加我",
    "Q我",
    "q我",
    "扣我",
    "加她",
    "加他",
    "加一下",
    "加好友",
    "留了个号",
    "留个号",
    "留了号",
    "留的号",
    "联系",
    "私信",
    "私聊",
    "找他",
    "找她",
    "号码",
    "账号",
];
/// More words right before a handle of letters and digits (私我 xiaomei_88, 他的号 jason_lee88, 小号是
/// tb3847291_22, 绿泡泡 for WeChat): too loose for a bare number in the clause.
const BEFORE_HANDLE: [&str; 6] = ["私我", "的号", "的号是", "小号", "小号是", "绿泡泡"];
/// Words of contact right after one (2873561904 有事找她, …说找他).
const AFTER: [&str; 8] = ["找我", "找她", "找他", "联系", "加我", "加她", "加他", "私信"];
/// What a quantity, price, date or time ends with: the run is no identifier.
const UNITS: &str = "元块万亿角个件次年月日天号楼栋室米平克斤箱盒瓶份人台辆岁分秒点%单笔条张本期";

fn clause_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '，' | ',' | ';' | '!' | '?' | '\n')
}

/// Whether a word of contact stands before `at` within its clause (ten characters) or right after
/// `end` (eight).
fn contact_around(chars: &[char], at: usize, end: usize) -> bool {
    let mut from = at.saturating_sub(10);
    if let Some(p) = chars[from..at].iter().rposition(|&c| clause_end(c)) {
        from += p + 1;
    }
    let before = (from..at).any(|k| BEFORE.iter().any(|w| word_at(chars, k, w)));
    let to = (end + 8).min(chars.len());
    let to = (end..to).find(|&k| clause_end(chars[k])).unwrap_or(to);
    before || (end..to).any(|k| AFTER.iter().any(|w| word_at(chars, k, w)))
}

/// Whether a messenger's name (微信, QQ, vx, 抖音 …) stands before `at` in its clause (ten characters).
fn messenger_before(chars: &[char], at: usize) -> bool {
    const MESSENGERS: [&str; 8] = ["微信", "QQ", "qq", "vx", "VX", "抖音", "快手", "小红书"];
    let mut from = at.saturating_sub(10);
    if let Some(p) = chars[from..at].iter().rposition(|&c| clause_end(c)) {
        from += p + 1;
    }
    (from..at).any(|k| MESSENGERS.iter().any(|w| starts_with_at(chars, k, w)))
}

/// `word` at `k`, a pronoun in it not the start of a plural (加我们 is "join us").
fn word_at(chars: &[char], k: usize, word: &str) -> bool {
    let n = word.chars().count();
    // A certificate's, a receipt's or a form's number (检疫证号码, 小票号码, 单号码) is no contact.
    let document = word == "号码" && k > 0 && matches!(chars[k - 1], '证' | '票' | '单' | '批');
    starts_with_at(chars, k, word)
        && !(word.ends_with(['我', '她', '他']) && chars.get(k + n) == Some(&'们'))
        && !document
}

/// `runs` are `digits::runs(chars)`.
/// Provinces' one-character names that open a licence plate.
const PLATE_PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";

/// A licence plate read out on a call, one symbol at a time (鲁H，七，六，五，九，二; 川A，D，F，幺，二，…):
/// a province, a capital letter, then five to seven single letters, digits or Chinese numerals
/// each after a comma, `、` or a space.
fn read_out_plates(chars: &[char], found: &mut Found) {
    let sep = |c: char| matches!(c, '，' | ',' | '、' | ' ');
    let item = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || super::digits::digit_of(c).is_some();
    for i in 0..chars.len().saturating_sub(2) {
        if !chars[i + 1].is_ascii_uppercase() || !PLATE_PROVINCES.contains(chars[i]) {
            continue;
        }
        let (mut e, mut n) = (i + 2, 0);
        while e + 1 < chars.len() && sep(chars[e]) && item(chars[e + 1]) {
            if chars.get(e + 2).is_some_and(|&c| item(c) || c.is_ascii_alphanumeric()) {
                break;
            }
            e += 2;
            n += 1;
        }
        if (5..=7).contains(&n) && !found.iter().any(|f| f.1 < e && i < f.2) {
            found.push((PiiKind::Plate, i, e));
        }
    }
}

pub(super) fn scan(chars: &[char], runs: &[Run], protected: &[(usize, usize)], found: &mut Found) {
    read_out_plates(chars, found);
    let taken = |s: usize, e: usize, found: &Found| {
        found.iter().any(|f| s < f.2 && f.1 < e) || protected.iter().any(|p| s < p.1 && p.0 < e)
    };
    // A plate's letters inside a longer code (使用登记证号梯11粤B08517(19)): a registration code, no plate.
    found.retain(|f| !(f.0 == PiiKind::Plate && f.1 > 0 && chars[f.1 - 1].is_ascii_alphanumeric()));
    let mut more: Found = Vec::new();
    for run in runs {
        let n = run.digits.len();
        // Five to eleven digits, not from a zero (a landline or a code), written as one number
        // or one by one (not 2 3 4 of a list).
        if !(5..=11).contains(&n) || run.digits[0] == 0 || run.groups > 1 && run.groups != n {
            continue;
        }
        let (s, e) = (run.at[0], run.at[n - 1] + 1);
        let glued =
            |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '¥' | '￥' | '$'));
        if glued(s.checked_sub(1).and_then(|k| chars.get(k))) || glued(chars.get(e)) {
            continue;
        }
        let unit = chars[e..].iter().find(|&&c| c != ' ').is_some_and(|&c| UNITS.contains(c));
        if unit || taken(s, e, found) || after_reference_cue(chars, s) || !contact_around(chars, s, e) {
            continue;
        }
        more.push((PiiKind::ImId, s, e));
    }
    // Handles of letters and digits after a word of contact (加我 lucky_8812, 私信 mike2020).
    for i in 0..chars.len() {
        let c = chars[i];
        if !c.is_ascii_alphabetic() || i > 0 && (chars[i - 1].is_ascii_alphanumeric() || chars[i - 1] == '_') {
            continue;
        }
        let mut e = i;
        while e < chars.len() && (chars[e].is_ascii_alphanumeric() || matches!(chars[e], '_' | '-')) {
            e += 1;
        }
        let token = &chars[i..e];
        let digits = token.iter().filter(|c| c.is_ascii_digit()).count();
        let shaped = (6..=20).contains(&token.len()) && digits >= 2 && token.len() - digits >= 2;
        // A handle of letters joined by an underscore (linxiaoyu_sz), digits or none: a handle's
        // shape, never a word's, but only with a word of contact or a messenger in its clause.
        let letters = token.iter().filter(|c| c.is_ascii_alphabetic()).count();
        let underscored = (6..=20).contains(&token.len()) && token.contains(&'_') && letters >= 4;
        if !(shaped || underscored) || matches!(chars.get(e), Some('@' | '.')) || taken(i, e, found) {
            continue;
        }
        if underscored && (contact_around(chars, i, e) || messenger_before(chars, i)) {
            more.push((PiiKind::ImId, i, e));
            continue;
        }
        // Right after the word of contact (a space or a colon between), not anywhere in the clause:
        // a model number (加了个戴森V12) is no handle.
        let mut k = i;
        while k > 0 && matches!(chars[k - 1], ' ' | ':' | '：') {
            k -= 1;
        }
        let direct = BEFORE.iter().chain(&BEFORE_HANDLE).any(|w| {
            let n = w.chars().count();
            k >= n && word_at(chars, k - n, w)
        });
        if direct {
            more.push((PiiKind::ImId, i, e));
        }
    }
    found.extend(more);
    // The next ids of a list after one found by any rule (QQ是3318872045和2745519803).
    super::handles::listed_after(chars, protected, found);
}

#[cfg(test)]
mod tests {
    use super::super::PiiKind::ImId;
    use super::super::tests_v2::{has, untouched};

    #[test]
    fn a_number_or_handle_next_to_a_word_of_contact_is_an_id() {
        has("她给我妈留了个号 2873561904 说有事找她", ImId, "2873561904");
        has("有啥事 846250193 找我就行", ImId, "846250193");
        has("那个人让我加他 三五七二八八一九零，说能退", ImId, "三五七二八八一九零");
        has("不满意可以私信 mike_2020 处理", ImId, "mike_2020");
        has("加我 lucky8812 发你图", ImId, "lucky8812");
        has("有问题可以私我 xiaomei_88", ImId, "xiaomei_88");
        has("他的号 jason_lee88 你们查一下", ImId, "jason_lee88");
        has("小号是 tb3847291_22", ImId, "tb3847291_22");
        has("加我绿泡泡 lily0823", ImId, "lily0823");
        untouched("他的号称是 V12Pro 旗舰款", "V12Pro");
    }

    #[test]
    fn prices_quantities_dates_and_references_next_to_contact_words_stay() {
        untouched("联系了好几次，一共退了 12800 元", "12800");
        untouched("联系客服说加 50000 个积分", "50000");
        untouched("我联系了他们，订单号 283746192 至今未发货", "283746192");
        untouched("联系人说2026年12月3日前退款", "2026");
        untouched("加了一台戴森V12，联系客服说没货", "V12");
        untouched("找他要了 3 4 5 6 7 号的发票", "3 4 5 6 7");
        untouched("加我们的会员价格是 12888", "12888");
    }
}
