//! Issue 24, fourth pass: the rules added for the misses of the five styles written first
//! (medical beauty, petition letters, after-sale chat exports, training refunds, speech
//! transcripts), each with the false positives it must not make.

use super::tests_v2::{detector, found, has, untouched};
use super::*;
use PiiKind::*;

#[test]
fn a_name_that_is_also_a_word_is_decided_by_the_clause_that_names_it() {
    has("我们班还有个同学叫江河，他交的钱更多", Name, "江河");
    has("我是雷雨，国网职工，住在城东。", Name, "雷雨");
    has("照片上还有我名字甘露", Name, "甘露");
    has("我名字叫甘露。", Name, "甘露");
    has("我是黄海波，孩子在你们那学钢琴", Name, "黄海波");
    // The subject of a clause that gives a role, a remark in brackets between.
    has("黎明（不是那个明星）是我们这片的快递员，他收了代收费。", Name, "黎明");
    // No name: a place, a longer noun (a screen name or a thing), a role, a verb, a noun that
    // is the subject of the role clause, a clause that gives no role.
    untouched("我是江苏人，在上海工作，网购的衣服质量很差。", "江苏人");
    untouched("来电人：微信wxid_7h2k9d3ml，名字叫向日葵。", "向日葵");
    untouched("我是老师，孩子们都叫我周老师。", "我是老师");
    untouched("我是担心，钱退不回来。", "担心");
    untouched("楼主是@王二小本人，之前发的帖子被删了", "楼主");
    untouched("黎明（早上六点）是一天最冷的时候。", "黎明");
    untouched("高峰（早上八点）是地铁最挤的时候。", "高峰");
}

#[test]
fn a_surname_jiebas_model_glued_to_the_word_before() {
    has("业主群里易红霞组织大家投诉，她家住5栋1单元802。", Name, "易红霞");
    // Glued, but what follows is no given name.
    untouched("御香君茶膏贺新春大赠送", "贺新春");
}

#[test]
fn a_nickname_that_jieba_runs_into_the_next_word() {
    has("在美团上团购的体验课，到店后被小韩拉着办了年卡", Name, "小韩");
    untouched("在商场看到小米手机在打折", "小米");
}

#[test]
fn a_second_mention_of_a_name_already_found() {
    let masked = detector().mask("经查，该件分派给小郝，小郝休产假，未转办。");
    assert!(!masked.contains('郝'), "{masked}");
    // Only the name's own characters, where a word starts and ends there.
    untouched("店员王建国说退不了，建国路那家店也这样。", "建国路");
}

#[test]
fn a_familiar_jie_or_ge_after_a_given_names_character() {
    has("我妈被店里的芳姐忽悠买了三万块的疗程", Name, "芳姐");
    has("涛哥说他认识市场监管局的人，投诉也没用", Name, "涛哥");
    for (text, word) in [("我大姐说这家店不靠谱", "大姐"), ("表哥说他也被骗了", "表哥"), ("门口的帅哥说要排队", "帅哥")]
    {
        untouched(text, word);
    }
}

#[test]
fn a_surname_the_model_rates_rare_where_jieba_reads_a_name() {
    has("收件地址写的小区门口，收件人花艳，手机137 8745 2093。", Name, "花艳");
    untouched("收件人花了两百块才把东西寄回去", "花了");
}

#[test]
fn addresses_with_numbers_read_out_and_next_to_the_own_enterprise() {
    has("你们能不能派个人过来看看地址是芙蓉区五一大道幺幺八号那个写字楼下面", Address, "芙蓉区五一大道幺幺八号");
    let text = "地址：长沙市天心区芙蓉南路二段128号维多利亚医疗美容医院三楼，就是那家";
    let got = detector().detect_for(text, &["维多利亚医疗美容医院"]);
    assert!(got.iter().any(|s| s.kind == Address && s.text == "长沙市天心区芙蓉南路二段128号"), "{got:?}");
    assert!(detector().mask_for(text, &["维多利亚医疗美容医院"]).contains("维多利亚医疗美容医院"));
}

#[test]
fn chat_exports_with_the_sender_before_the_time() {
    has("星河滚烫ing 2026-11-30 14:02:11\n你好 我买的羽绒服钻绒很厉害", ImId, "星河滚烫ing");
    has("一只咸鱼🐟 12-01 22:17\n卖家承诺假一赔十，现在不认账了", ImId, "一只咸鱼🐟");
    has("客服-王敏 2026-11-30 14:03:40\n亲亲 麻烦提供一下图片哦", Name, "王敏");
    has("客服-小雅 2026-11-30 14:03:40\n亲亲 麻烦提供一下图片哦", Name, "小雅");
    has("糖糖-小雅 2026-11-30 14:03:40\n我收到的茶叶有虫", ImId, "小雅");
    // A field's name or an ordinary word before a time is no sender.
    for text in ["下单时间 2026-11-30 20:41:07\n实付1299元", "付款 2026-11-30 20:41:07\n已发货"] {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}

#[test]
fn screen_names_quoted_after_zicheng_and_brands_of_medical_beauty() {
    has("抖音小店山里土货铺卖的蜂蜜是糖水，店主自称“蜂农老杨”", ImId, "蜂农老杨");
    untouched("咨询师当时跟我保证用的是乔雅登，结果后来查了批号根本不是", "乔雅登");
    untouched("做完热玛吉脸上起了一片水泡，又推了个衡力肉毒素", "衡力");
}

#[test]
fn latin_work_names_after_a_role_or_after_a() {
    has("咨询师Amy当时跟我保证用的是正品，现在不回我。", Name, "Amy");
    has("美术班老师阿May在群里说放假，后来群就解散了", Name, "阿May");
    untouched("咨询师说用的是Botox，其实是国产的", "Botox");
    untouched("阿SIR说要排队", "阿SIR");
}
