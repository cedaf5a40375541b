//! Identifiers of issue 24's eighth pass: masking never depends on a checksum (bad check digits,
//! a small x, cards failing Luhn), and the forms `data/pii-eval`'s eighth-pass styles showed
//! missing — a second local number after a full-width comma, an area code said apart, a mobile
//! in pairs or with stars between its groups, an id spelled out after 加V, a 旺旺 name — with what
//! must survive beside them.

use super::tests_v2::{detector, untouched};
use super::*;

use PiiKind::*;

/// `span` (as written in `text`) is found as `kind`, covering it wholly.
fn covers(text: &str, kind: PiiKind, span: &str) {
    let got = detector().detect(text);
    let start = text.find(span).map(|b| text[..b].chars().count()).expect("in the text");
    let end = start + span.chars().count();
    assert!(
        got.iter().any(|s| s.kind == kind && s.start <= start && end <= s.end),
        "{text:?}: want {kind:?} over {span:?}, got {got:?}"
    );
}

#[test]
fn a_checksum_never_decides_whether_a_number_is_masked() {
    // 11010519491231002X is right (GB 11643): …8 and …5 have wrong check digits, …x is in lower case.
    for id in ["110105194912310028", "11010519491231002x", "110105194912310025"] {
        covers(&format!("身份证号{id}，请核实"), IdCard, id);
        covers(&format!("他的证件 {id} 还在店里"), IdCard, id);
    }
    // A card number failing Luhn, plain and in groups of four.
    for card in ["6222021202036894522", "6222 0212 0203 6894 522", "6217003260001188200"] {
        assert!(!super::numbers::luhn(card.replace(' ', "").as_bytes()), "{card} must fail Luhn for this test");
        covers(&format!("退款到银行卡{card}。"), BankCard, card);
    }
    // A card's last groups that look like a year and a month (1941 3) are no date; a date is.
    covers("卡号6262 2069 8594 1941 3，", BankCard, "6262 2069 8594 1941 3");
    untouched("电话138 1234 5678，2026 3 12 来的", "2026 3 12");
    // A 统一社会信用代码 stays, whatever case it is typed in.
    untouched("统一社会信用代码91110000600037341L，", "91110000600037341L");
    untouched("该公司（信用代码：91320508MA1XQ0001W）", "91320508MA1XQ0001W");
}

#[test]
fn a_second_number_after_a_full_width_comma_and_an_area_code_said_apart() {
    covers("电话028-8765 4321，或者8765 4322，两部都是店里的。", Landline, "8765 4322");
    covers("区号零一零，号码六二八三 五七四六。", Landline, "六二八三 五七四六");
    // No area code in the clause: a quantity stays.
    untouched("区号改过了。号码牌一共8765432张", "8765432");
}

#[test]
fn mobiles_in_pairs_or_with_stars_between_groups() {
    covers("联系陈经理13 97 71 23 456。", Mobile, "13 97 71 23 456");
    covers("号码用星号隔开：138*7715*2046，", Mobile, "138*7715*2046");
    // A partial number stays a partial number; a product of small numbers is no phone.
    untouched("手机138****5678的用户", "138****5678");
    untouched("规格是 2*3*4 米", "2*3*4");
    // Short groups that are no mobile: a date and a time, scores.
    untouched("比分是 13 97 71 23 45", "13 97 71 23 45");
}

#[test]
fn an_id_spelled_out_after_a_wechat_word_and_a_wangwang_name() {
    covers("让我加V：h k 8 8 6 6 z z，领奖要交钱", ImId, "h k 8 8 6 6 z z");
    covers("淘宝旺旺：小熊家的糖果铺，他家客服一直不回。", ImId, "小熊家的糖果铺");
    // The snack brand and a short answer stay.
    untouched("买了一箱旺旺雪饼", "旺旺");
    untouched("加V领 A B C 三个档位", "A B C");
    // A quoted screen name after a platform and 叫; an Alipay account after 支付宝.
    covers("我抖音叫“小鹿爱吃糖”，被他拉黑了", ImId, "小鹿爱吃糖");
    covers("转账给他支付宝 lijie1988，他收了不发货", ImId, "lijie1988");
    untouched("微信上叫他过来拿货", "他过来拿货");
    untouched("用支付宝付了128元", "128");
}

#[test]
fn numbers_given_partly_in_digits_and_partly_in_words() {
    covers("手机139 零五七一 2468，晚上打", Mobile, "139 零五七一 2468");
    covers("联系电话138 幺二三四 5678", Mobile, "138 幺二三四 5678");
    covers("联系人手机：186-1274-三九零五", Mobile, "186-1274-三九零五");
    covers("打这个：零七七一 5567218", Landline, "零七七一 5567218");
    // A lone numeral beside digits is a word, not a digit group.
    untouched("第一 2026 年度的 3 月", "2026");
    untouched("买了一 200 块的东西", "200");
}

#[test]
fn handles_after_more_of_the_words_people_use_for_them() {
    covers("V：zhangsan1990，加我", ImId, "zhangsan1990");
    covers("淘宝会员名：小米粒儿2018", ImId, "小米粒儿2018");
    covers("b站uid 12345678，视频里卖课", ImId, "12345678");
    covers("抖音号：小鹿乱撞，被他拉黑了", ImId, "小鹿乱撞");
    covers("他的B站账号叫“数码老陈”", ImId, "数码老陈");
    // Not after TV: or MV:; a product searched for on a platform is no account.
    untouched("TV: sony55x9000 的型号", "sony55x9000");
    untouched("在淘宝搜 iphone15 就有", "iphone15");
}
