//! Issue 24's eleventh pass: comment-thread senders and the ones they reply to, 接龙 rows, numbers
//! in odd groups, reference numbers shaped like cards or mobiles, and a compound's phase before a
//! building, unit and room. Sentences written for the tests, not taken from the corpus.

use super::PiiKind::{Address, IdCard, ImId, Mobile, Name};
use super::tests_v2::{found, has, untouched};

#[test]
fn thread_senders_with_stop_characters_replied_to_or_after_a_platform_tag() {
    let thread = "【小红书】晚风吹过的街：这家理发店办卡就跑路\n赞 12\n周末去看海：我也被坑了\n晚风吹过的街：回复周末去看海：一起投诉吧";
    has(thread, ImId, "晚风吹过的街");
    has(thread, ImId, "周末去看海");
    let reply = "爱喝奶茶的猫：店员很凶\n小雨不打伞：回复爱喝奶茶的猫：我也遇到过\n爱喝奶茶的猫：谢谢";
    has(reply, ImId, "小雨不打伞");
    let floors =
        "1楼 楼下的老猫：这车是泡水车\n2楼 周末不加班：销售是谁\n3楼 楼下的老猫：回复 周末不加班 ：就是那个经理";
    has(floors, ImId, "楼下的老猫");
    has(floors, ImId, "周末不加班");
}

#[test]
fn lines_that_speak_once_or_as_a_pronoun_stay_text() {
    // One line with a stop character is no thread; 他说 said twice is speech, no sender.
    untouched("周末去看海：这是我的愿望", "周末去看海");
    let speech = "他说：不退\n他说：你去告吧";
    assert!(!found(speech).iter().any(|(_, t)| t.contains('他')), "{:?}", found(speech));
    untouched("商家回复：已处理\n客服回复我们：请耐心等待", "我们");
}

#[test]
fn jielong_rows_give_nicknames_and_no_address() {
    let list = "接龙：\n1. 8栋502 山茶花开  2份\n2. 3-1-1201 朵朵妈 1份\n3. 钱阿姨 6栋 1份\n4. Happy小羊 2份";
    has(list, ImId, "山茶花开");
    has(list, ImId, "朵朵妈");
    has(list, Name, "钱阿姨");
    has(list, ImId, "Happy小羊");
    untouched(list, "8栋502");
    untouched(list, "3-1-1201");
    // Without 接龙 numbered lines are a list of goods, not of people.
    untouched("清单：\n1. 苹果 5斤\n2. 香蕉 3斤", "苹果");
}

#[test]
fn ids_and_mobiles_in_odd_groups() {
    has("身份证号3201 02 1990 05 21 1233，请核实", IdCard, "3201 02 1990 05 21 1233");
    has("证件号码320102 199005 21 1233。", IdCard, "320102 199005 21 1233");
    has("送货员电话15937 6 2 0 4 8 1，没人接", Mobile, "15937 6 2 0 4 8 1");
    has("手机号码15\n90\n73\n16\n28\n4，请回电", Mobile, "15\n90\n73\n16\n28\n4");
    // Dates and amounts in groups stay.
    untouched("2026 11 23 15 30 到店", "2026 11 23");
    untouched("金额 1388 00 元", "1388 00");
}

#[test]
fn reference_numbers_shaped_like_cards_or_mobiles_are_kept() {
    untouched("【黑猫投诉】投诉编号 17352846091\n投诉对象：某店", "17352846091");
    untouched("I bought it on Tmall, order number 3920571846032718, and it broke.", "3920571846032718");
    untouched("代理律师：执业证号14401201810527364", "14401201810527364");
    // A card's word keeps a card a card, and a mobile after a phone word stays a mobile.
    has("Please refund to my card 6222 0212 3456 7890", super::PiiKind::BankCard, "6222 0212 3456 7890");
    has("Please refund to 6222021234567890, thanks", super::PiiKind::BankCard, "6222021234567890");
    has("订单号后面留的电话13912345678", Mobile, "13912345678");
}

#[test]
fn a_compounds_phase_before_building_unit_and_room() {
    has("我住滨江壹号二期8-1-302，物业乱收费", Address, "滨江壹号二期8-1-302");
    has("家在凤凰城3期12-2-1805", Address, "凤凰城3期12-2-1805");
    untouched("第二期3-1-302的方案", "3-1-302");
}

#[test]
fn commenters_after_a_thread_word_a_platform_header_and_leaders_nicknames() {
    let post = "小红书：Coco在杭州\n这家奶茶店用过期奶\n评论：本地吃货人Max：我也喝到过\n评论Coco在杭州：谢谢大家";
    has(post, ImId, "Coco在杭州");
    has(post, ImId, "本地吃货人Max");
    untouched(post, "小红书");
    let forum = "发帖：这家驾校乱收费\n网友投诉达人：去12315\n网友路过的猫：同感\n商家回复：已处理";
    has(forum, ImId, "投诉达人");
    has(forum, ImId, "路过的猫");
    // An official account stays.
    let shop = "评论小王子：蛋糕有头发\n评论甜品屋-官方：请私信我们";
    untouched(shop, "甜品屋-官方");
    let list = "接龙：\n1. 5栋 花花 1份\n2. 7栋 青青 2份\n——团长豆豆团长：今天截单";
    has(list, ImId, "豆豆团长");
    has("留言人：业主老韩\n留言内容：电梯常坏", ImId, "业主老韩");
}

#[test]
fn a_forms_verb_and_noun_labels_are_no_senders_but_a_screen_name_that_speaks_twice_is() {
    let form = "经查，当事人：某某超市\n处罚依据：《食品安全法》第一百二十四条\n送达文书：行政处罚决定书\n发现问题：冷藏柜温度超标\n联系人：闫素芬";
    for label in ["处罚依据", "送达文书", "发现问题"] {
        untouched(form, label);
    }
    let thread = "奋斗青春：这家店办卡就跑路\n晚风吹过的街：我也被坑了\n奋斗青春：一起投诉吧";
    has(thread, ImId, "奋斗青春");
}
