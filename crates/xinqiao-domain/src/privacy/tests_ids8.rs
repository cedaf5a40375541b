//! Issue 24's fourteenth pass: screen names on complaint platforms (a poster's field, 用户 + an
//! account and what the poster did), quoted after 叫 where a name was asked, after a player's or a
//! crowd's role, at a sentence's start before a platform, 个叫…的 ending a clause or an emoji, after
//! 红娘 and 组织人; a mobile in brackets after a reference; a passport in groups; and what must
//! survive: complaint platforms' numbers, a shop's member card, a rider's ID, a platform's log
//! field, a place called 屯, a district before its bureau. Sentences written for the tests, not
//! taken from the corpus.

use super::PiiKind::{Address, IdCard, ImId, Mobile};
use super::tests_v2::{found, has, untouched};

#[test]
fn a_posters_account_on_a_complaint_platform() {
    has("投诉对象：某网贷\n投诉人：熬夜追剧的兔子\n诉求：退款", ImId, "熬夜追剧的兔子");
    has("标题：退费难\n投诉人：搬砖小哥阿超\n内容：不退钱", ImId, "搬砖小哥阿超");
    has("详细描述：鞋是假的\n用户：kicks_fan_小龙", ImId, "kicks_fan_小龙");
    has("2026-10-02 09:15 用户月光族小黄发起投诉", ImId, "月光族小黄");
    has("陆女士（黑猫用户陆女士求退款）：退我会员费", ImId, "陆女士求退款");
    // A person, a role, a kin word: no account.
    assert!(!found("标题：退费难\n投诉人：杜建华\n内容：不退钱").iter().any(|f| f.0 == ImId));
    assert!(!found("投诉人：患者家属\n内容：收费不明").iter().any(|f| f.0 == ImId));
    assert!(!found("标题：退费\n投诉人：钱建国先生\n内容：不退").iter().any(|f| f.0 == ImId));
    assert!(!found("很多用户反映这个问题，用户协议中称不退").iter().any(|f| f.0 == ImId));
}

#[test]
fn a_platforms_log_field_is_no_sender() {
    let log = "2026-10-02 09:15 商家回复：已处理\n2026-10-03 11:20 用户补充：根本没人联系我";
    assert!(!found(log).iter().any(|f| f.0 == ImId && f.1 == "用户补充"));
}

#[test]
fn quoted_screen_names_after_a_name_asked_or_a_role() {
    has("坐席：您在游戏里的名字？\n来电人：叫“剑指苍穹”。", ImId, "剑指苍穹");
    has("帮会会长“独孤丶求败”让大家充值冲榜", ImId, "独孤丶求败");
    has("我在游戏里认识一个女生“爱喝奶茶的小羊”，让我给她刷礼物", ImId, "爱喝奶茶的小羊");
    has("货主“顺达物流-王总”扣了我的运费", ImId, "顺达物流-王总");
    has("“开货车的大刘”在快手上说运价又降了", ImId, "开货车的大刘");
    // A product or a shop in quotes is none of these.
    untouched("这个产品叫“能量杯”，说能治病", "能量杯");
}

#[test]
fn called_so_ending_a_clause_or_on_an_emoji() {
    has("游戏里有个叫南城以南的，说能低价充值", ImId, "南城以南");
    has("交友软件上一个叫早安小兔🐰的人骗我投资", ImId, "早安小兔🐰");
    has("这个主播在B站的号叫老周聊理财。", ImId, "老周聊理财");
    untouched("有个叫不出名字的，说要加我", "名字");
}

#[test]
fn a_matchmaker_and_an_organiser_by_screen_name() {
    has("直播间里，红娘喜鹊阿珍连线相亲，要先买卡", ImId, "喜鹊阿珍");
    has("组织人奶盖波波🍵帮店里拉人，收了定金", ImId, "奶盖波波🍵");
}

#[test]
fn a_mobile_in_brackets_after_a_reference() {
    has("店员把我的快递单号和手机号（139 0287 5531）贴在门上", Mobile, "139 0287 5531");
}

#[test]
fn a_passport_in_groups() {
    has("留学生护照72 5518034，在学校交了学费", IdCard, "72 5518034");
}

#[test]
fn complaint_platform_numbers_member_cards_and_staff_ids_stay() {
    untouched("黑猫投诉17390016625、17390016626都是同一人提交的", "17390016625");
    untouched("黑猫投诉17390016625、17390016626都是同一人提交的", "17390016626");
    untouched("会员：钱*（卡号6600 3142 9087）", "6600 3142 9087");
    untouched("您反映的骑手（骑手ID MT0075521）已停止接单", "MT0075521");
    // A bank's card after 卡号 is still one.
    has("退款请打到卡号6222 0210 0112 3456 789", super::PiiKind::BankCard, "6222 0210 0112 3456 789");
}

#[test]
fn a_place_called_tun_and_a_district_before_its_bureau_stay() {
    untouched("我在三里屯借了一个充电宝，一直没退押金", "三里屯");
    let t = "申请人住南昌市东湖区八一大道357号。被申请人：南昌市东湖区市场监督管理局";
    has(t, Address, "南昌市东湖区八一大道357号");
    untouched(t, "南昌市东湖区市场监督管理局");
}

#[test]
fn an_account_in_brackets_right_after_its_word() {
    has("我的黑猫账号（追到底的人2025）被封了", ImId, "追到底的人2025");
    untouched("我的账号（手机号）登不上去", "手机号");
    untouched("他的账号（已注销）查不到", "已注销");
}

#[test]
fn a_sender_after_a_room_in_brackets() {
    let log =
        "业主群：\n【2-1-701】周姐：谁的车占了充电位\n【6-3-1102】绿牌车一族阿斌：物业说不管\n【1-2-301】鲍工：报警吧";
    has(log, ImId, "绿牌车一族阿斌");
}

#[test]
fn a_group_owner_by_model_and_nickname() {
    has("车主群里，群主小鹏G6-阿飞在组织大家维权", ImId, "小鹏G6-阿飞");
    has("车主群里，群主问界007-老吴在统计人数", ImId, "问界007-老吴");
}
