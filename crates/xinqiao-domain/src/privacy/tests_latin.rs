//! Issue 24, ninth pass: names in Latin letters, pinyin, Japanese kanji and transliterations
//! (`name_latin.rs`), and goods that must not be read as names (`products.rs`). Sentences written
//! for these tests, not taken from the evaluation corpus.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn capitalised_given_and_family_names_are_names() {
    has("收货人写的是Emily Watson，电话打不通", Name, "Emily Watson");
    has("发票抬头旁边签的是Marco Rossi，不是我", Name, "Marco Rossi");
    // A Western given name with a family name in pinyin, and a name all in pinyin.
    has("订单上的客户名是Sophie Wang，我不认识", Name, "Sophie Wang");
    has("对方留的名字是Zhang Wei，说是店里的老板", Name, "Zhang Wei");
    has("转账备注写的Liu Xiaoming，我没问是谁", Name, "Liu Xiaoming");
    // In capitals, as on a card or a passport; three words of pinyin.
    has("持卡人姓名ZHANG WEI，卡是他的", Name, "ZHANG WEI");
    has("收件人写的Wang Xiao Ming，我不认识", Name, "Wang Xiao Ming");
}

#[test]
fn brands_places_and_english_words_in_latin_letters_stay() {
    for (text, keep) in [
        ("在Calvin Klein专柜买的内裤起球了", "Calvin Klein"),
        ("代购说是Hong Kong直邮的", "Hong Kong"),
        ("买的iPhone 15屏幕有坏点", "iPhone"),
        ("Model Y的门把手坏了", "Model Y"),
        ("在Costco买的坚果过期了", "Costco"),
        ("Nike的鞋开胶了，专柜不给修", "Nike"),
        ("从Tokyo寄过来的化妆品是假的", "Tokyo"),
        ("New York的代购发来的包是仿的", "New York"),
        ("Li Ning的运动鞋鞋底断了", "Li Ning"),
        ("商场里Pierre Cardin的皮带是假的", "Pierre Cardin"),
        ("Daniel Wellington的手表走时不准", "Daniel Wellington"),
        ("Jack Ma说的话被拿来做广告", "Jack Ma"),
        ("在屈臣氏买的Dr.Jart+面膜过敏了", "Dr.Jart+"),
        ("买的iPhone 15 Pro Max说是全新的，其实是翻新机", "Max"),
        ("在Hong Kong Disneyland门口买的票是假的", "Hong Kong Disneyland"),
        ("检测报告盖的是SGS的章，标准是GB 2760", "SGS"),
    ] {
        untouched(text, keep);
    }
}

#[test]
fn a_given_name_alone_needs_something_that_says_person() {
    has("代购Jessica（谢佳）不肯退款", Name, "Jessica");
    has("我把钱转给Kevin了，他说三天发货", Name, "Kevin");
    has("Tony说这个价格已经最低了", Name, "Tony");
    // The month, a brand, a pet name for a mother (an IM nickname, not a name).
    untouched("May的新品还没到货", "May");
    assert!(!names("Luna妈在群里说了这件事").iter().any(|n| n == "Luna"));
}

#[test]
fn pinyin_nicknames_and_a_pinyin_surname_with_a_chinese_title() {
    has("店里的xiao wang修了三回都没修好", Name, "xiao wang");
    has("考了三回都没过chen教练不管我了", Name, "chen教练");
    has("找了li经理也没用", Name, "li经理");
    has("投诉人不会说普通话，由陈Sir翻译。", Name, "陈Sir");
    has("前台说Mr Lee已经下班了", Name, "Mr Lee");
}

#[test]
fn japanese_names_in_kanji() {
    has("日本代购山田花子寄来的药是过期的", Name, "山田花子");
    has("中间人是佐藤健一，他不回消息", Name, "佐藤健一");
    // A Japanese surname before goods or a place word is a brand or a place.
    untouched("代购的小林制药退热贴是假的", "小林制药");
    untouched("在中山路买的", "中山路");
}

#[test]
fn transliterated_names_with_a_dot_or_after_a_verb() {
    has("委托人：玛丽·王、彼得·陈", Name, "彼得·陈");
    has("签字的是罗伯特·李，他是经理", Name, "罗伯特·李");
    has("我把定金转给杰克了，他一直不退", Name, "杰克");
}

#[test]
fn goods_are_no_names() {
    for (text, keep) in [
        ("药店卖给我的“安宫牛黄丸”两盒是假的", "安宫牛黄丸"),
        ("他说那只镯子是和田玉，鉴定是石英岩", "和田玉"),
        ("瓷器店卖的唐三彩是新做的", "唐三彩"),
        ("商场推销了一台欧姆龙，后来才知道是翻新机", "欧姆龙"),
        ("买的麦卢卡蜂蜜没有UMF标", "麦卢卡"),
        ("请区卫健局和区市场监管局分别处理", "区卫健局"),
    ] {
        untouched(text, keep);
    }
}

#[test]
fn a_knock_off_of_a_brand_named_in_the_same_text_is_no_name() {
    untouched("超市卖的康师付方便面，包装跟康师傅一模一样", "康师付");
    untouched("推销的是欧姆龙——不对，是“欧龙姆”，假的", "欧龙姆");
    // A person's name after a cue stays a name even beside a brand it resembles.
    has("周大福的店员周大伟说可以换", Name, "周大伟");
}
