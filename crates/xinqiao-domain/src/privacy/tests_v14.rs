//! Issue 24, thirteenth pass: names framed by a role or a form (a bare surname before a verb or a
//! speaker's colon, a surname with a title after a role or a department, 老/小 glued to a verb,
//! nicknames on 阿 and 大, a full name in a signer's field) and frames that say no person (fillers,
//! role nouns on 姐, a group's surname, villages on 家, shops on 老X家, performers before a show).
//! Sentences written for these tests, not taken from the corpus.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn a_bare_surname_after_a_role_before_a_verb_or_a_colon() {
    has("夜班经理南说卡坏了，不给退。", Name, "南");
    has("仓库保管员于来了以后才开门。", Name, "于");
    has("执法人员莫：请出示营业执照。", Name, "莫");
    // A word the surname and the verb make (于是) is none.
    assert!(names("店员于是把货收了回去。").is_empty());
}

#[test]
fn a_list_of_bare_surnames_to_a_count() {
    has("检查人员冷、晏两人到店核查。", Name, "晏");
}

#[test]
fn a_title_after_a_role_or_a_department() {
    has("经办人于科长说下周答复。", Name, "于科长");
    has("请质监科林科长跟进。", Name, "林科长");
    has("门口那个尹队跟我说没事。", Name, "尹队");
    // 排队 and 车队 are no team leaders.
    assert!(names("大家排队，车队在后面。").is_empty());
}

#[test]
fn a_familiar_surname_glued_to_a_verb() {
    has("这台秤是老宁卖给我的。", Name, "老宁");
    has("钱被他和中介的小甘分了。", Name, "小甘");
}

#[test]
fn nicknames_on_a_and_da() {
    has("民宿的房东阿杰说房间满了。", Name, "阿杰");
    has("阿坤负责拍，我负责写。", Name, "阿坤");
    has("大鹏负责买货。", Name, "大鹏");
    // 阿姨 is a form of address.
    assert!(names("阿姨说她不知道。").is_empty());
}

#[test]
fn a_full_name_in_a_signers_field() {
    has("现场照片12张。\n整理人：伍文静", Name, "伍文静");
    // A verdict in a field is none.
    assert!(names("验收：合格").is_empty());
}

#[test]
fn a_name_before_an_organisation_after_a_verb_of_saying() {
    has("现场负责人闻晓光称系广告公司做的。", Name, "闻晓光");
}

#[test]
fn frames_that_say_no_person() {
    untouched("店主：对对对，都在这里。", "对对");
    untouched("卖给我的柜姐说是足金。", "柜姐");
    untouched("我们都姓曹，但不是一家。", "曹");
    untouched("他说是马家河那个磨坊的。", "马家河");
    untouched("回民街老米家泡馍太贵了。", "老米");
    untouched("我买了孟京辉话剧的票。", "孟京辉");
    untouched("找人买了薛之谦12月8日上海站的票，是假的。", "薛之谦");
    untouched("派单安装A.O.史密斯热水器。", "史密斯");
}

#[test]
fn nicknames_on_er_and_a_name_glued_to_call() {
    has("那箱酒是我表哥二牛送来的。", Name, "二牛");
    has("服务员：我叫晓琳，张晓琳。", Name, "晓琳");
    // Counts on 二 are none.
    assert!(names("住在二楼的人说二手的不行，二次检测也没过。").is_empty());
}

#[test]
fn a_signature_after_a_dash_and_a_nickname_everyone_uses() {
    has("请你们依法处理。——郑海峰", Name, "郑海峰");
    has("修鞋的是个瘦子，大家都叫他“钉子哥”，天天在路口。", Name, "钉子哥");
    has("刀哥（外号，真名邓志刚）是这里的老板。", Name, "邓志刚");
    has("林大伯家的狗咬了人。", Name, "林大伯");
}

#[test]
fn a_shop_on_lao_x_jia_in_quotes() {
    untouched("网上说“老黄家是老字号”，其实是冒牌的。", "老黄家");
}
