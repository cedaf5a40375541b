//! Issue 24, fourteenth pass: names a trade's frame gives away (English work names after a role or
//! before an act, familiar forms after a role, 老X家 by a neighbour's place, bare surnames in a list
//! before a group, after 姓, cut off after 叫, alone in a field, read alone after a role, a surname with
//! a title after a floor, nicknames glued to 叫 or to a verb, a Latin role before a nickname), a
//! party's or a people's bracket, a transliteration in brackets after a Latin name; and shops and cards
//! that are no person. Sentences written for these tests, not taken from the corpus.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn english_work_names_after_a_role_or_before_an_act() {
    has("4S店的交付顾问Ivy答应送两次保养。", Name, "Ivy");
    has("物流园调度Sam改了我的装车时间。", Name, "Sam");
    has("安装员Kaiser加了我微信以后一直骚扰我。", Name, "Kaiser");
    has("链家的Amy带我看了三套房。", Name, "Amy");
    has("密室逃脱的DMLuna在群里发了我的照片。", Name, "Luna");
    // A brand after a role, a noun after the word: none.
    assert!(names("店员推荐Nike鞋，说是正品。").is_empty());
}

#[test]
fn familiar_forms_after_a_role() {
    has("茶楼的老板娘甜甜姐不回我消息。", Name, "甜甜姐");
    has("中介房姐收了我三千块。", Name, "房姐");
    // 花 is a surname only where a frame says so (a cued surname); its full name in brackets follows.
    has("收银员花姐（花丽娜）多收了我钱。", Name, "花姐");
    has("收银员花姐（花丽娜）多收了我钱。", Name, "花丽娜");
    // A kin word doubled is none.
    assert!(names("服务员姐姐说可以退。").iter().all(|n| n != "姐姐"));
}

#[test]
fn a_neighbour_on_lao_and_jia() {
    has("我家没装，对门老纪家装了。", Name, "老纪");
}

#[test]
fn bare_surnames_in_a_list_before_a_group() {
    let found = names("上门维修的郎、莫两位师傅弄坏了热水器。");
    assert!(found.contains(&"郎".to_owned()) && found.contains(&"莫".to_owned()), "{found:?}");
}

#[test]
fn a_surname_said_alone() {
    has("不是那个，她姓花，花朵的花。", Name, "花");
    has("我舅舅叫甘——算了，不说名字了。", Name, "甘");
    has("维修单\n客户：尤\n机型：手机", Name, "尤");
    has("我们的中介谭两头收钱。", Name, "谭");
}

#[test]
fn a_surname_with_a_title_after_a_floor() {
    has("据说是8楼符阿姨家的车。", Name, "符阿姨");
}

#[test]
fn nicknames_glued_to_a_call_or_a_verb_or_after_a_latin_role() {
    has("门卫只有一个，叫二牛，天天睡觉。", Name, "二牛");
    has("有个叫强子的，卖给我一张假卡。", Name, "强子");
    has("维修员阿伟换了我的屏幕。", Name, "阿伟");
    has("游戏客服GM-阿紫说不能退。", Name, "阿紫");
    has("前台小毛加我微信天天催。", Name, "小毛");
}

#[test]
fn a_party_or_a_people_in_brackets() {
    has("于桂兰（代理人：儿子）投诉燃气公司。", Name, "于桂兰");
    has("次仁（藏族学生，20岁）在店里买的。", Name, "次仁");
}

#[test]
fn a_transliteration_in_brackets_after_a_latin_name() {
    has("用户Carlos Gómez（卡洛斯）的押金一直没退。", Name, "卡洛斯");
}

#[test]
fn shops_in_brackets_and_cards_are_no_person() {
    untouched("每次都去同一家饭店（金鼎轩）吃饭。", "金鼎轩");
    untouched("我充了储值卡2000元。", "储值卡");
    untouched("自动续费“金卡会员”每月98元。", "金卡");
}
