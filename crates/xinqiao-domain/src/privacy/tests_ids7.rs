//! Issue 24's thirteenth pass: screen names in running text (quoted after 网民, after a platform and
//! 叫, in brackets after 账号, with a prefix and an underscore, after a buyer's or answerer's word,
//! named again), an ID sent as two messages, a compound's block before dashed numbers; and what
//! must survive: speakers by role in a transcript, a form's odd field, media accounts after @, rooms
//! of a care home and a mall's gate. Sentences written for the tests, not taken from the corpus.

use super::PiiKind::{Address, IdCard, ImId, Name};
use super::tests_v2::{found, has, untouched};

#[test]
fn screen_names_quoted_after_a_crowd_word() {
    has("网民“爱吃辣的河马”在微博发帖称买到过期牛奶", ImId, "爱吃辣的河马");
    has("答主\"北漂小周2020\"说这家机构收费不退", ImId, "北漂小周2020");
    has("直播间“玉缘坊老纪”里卖的手镯是假的", ImId, "玉缘坊老纪");
    untouched("网民爆料：某超市卖过期面包", "超市");
}

#[test]
fn screen_names_after_a_platform_and_called() {
    has("那个卖茶叶的微信叫云南普洱直销。", ImId, "云南普洱直销");
    has("她在抖音上叫江南小厨的阿香，粉丝不少", ImId, "江南小厨的阿香");
    has("对方在闲鱼上的名字叫二手大王Leo。", ImId, "二手大王Leo");
    untouched("我在微信上叫他过来拿，他不来", "过来");
    untouched("你抖音叫什么名字？", "什么名字");
}

#[test]
fn accounts_in_brackets() {
    has("投诉人钱女士（微博账号钱小姐爱旅行）说被骗", ImId, "钱小姐爱旅行");
    has("他还在小红书（账号阿豪带你吃）上卖", ImId, "阿豪带你吃");
    has("她的朋友圈（小雨的日常）里都是广告", ImId, "小雨的日常");
    untouched("他的微博（已注销）上有截图", "已注销");
}

#[test]
fn handles_on_a_lowercase_prefix_are_one_span() {
    has("买家qq_5520913收货后说少了一件", ImId, "qq_5520913");
    has("卖家xhs_甜品师小柚说不退", ImId, "xhs_甜品师小柚");
    untouched("附件img_20261103.jpg是截图", "img_20261103");
}

#[test]
fn a_buyer_or_answerer_named_by_a_screen_name() {
    has("卖家球鞋代购-Jack收了钱就不回了", ImId, "球鞋代购-Jack");
    has("答主金融民工老陈披露了这家公司的内幕", ImId, "金融民工老陈");
    has("卖家华为数码控阿龙说不是翻新机", ImId, "华为数码控阿龙");
    untouched("卖家态度很差说不退", "态度");
    untouched("网友们纷纷表示被骗了", "网友们");
}

#[test]
fn a_screen_name_named_again_is_masked_again() {
    let t = "橘猫不橘：在吗\n二手控Tina：在的\n橘猫不橘：多少钱\n二手控Tina：200\n后来二手控Tina就不回了";
    let got = found(t);
    assert_eq!(got.iter().filter(|(k, s)| *k == ImId && s == "二手控Tina").count(), 3, "{got:?}");
}

#[test]
fn an_id_sent_as_two_messages() {
    has("我分两次发给他：110105198703\n152417。后来就联系不上了", IdCard, "110105198703\n152417");
}

#[test]
fn a_compound_block_before_dashed_numbers() {
    has("我家在金色家园C区5-1-1203，物业不管", Address, "金色家园C区5-1-1203");
}

#[test]
fn speakers_by_role_in_a_transcript_are_no_screen_names() {
    let t = "执法人员：这店谁开的？\n男子：我表哥开的。\n执法人员：你表哥人呢？\n男子：去进货了。";
    assert!(!found(t).iter().any(|(k, _)| *k == ImId), "{:?}", found(t));
    let t = "[00:01:10] 执法人员：请出示执照。\n[00:01:15] 当事人：在里面。\n[00:01:20] 执法人员：好的。";
    assert!(!found(t).iter().any(|(k, _)| *k == ImId), "{:?}", found(t));
    has("[00:02:01] 执法人员邹：这批货哪来的？\n[00:02:09] 当事人：批发市场。", Name, "邹");
}

#[test]
fn a_forms_odd_field_is_no_sender() {
    let t = "申请人：冯志远\n被申请人：某某加油站\n计量器具名称编码：加油机2号枪\n检定机构：市计量院\n结论：超差";
    assert!(!found(t).iter().any(|(k, _)| *k == ImId), "{:?}", found(t));
}

#[test]
fn media_accounts_after_at_are_kept() {
    untouched("视频转发量过万，@钱江晚报、@都市快报跟进报道", "钱江晚报");
    untouched("视频转发量过万，@钱江晚报、@都市快报跟进报道", "都市快报");
    untouched("@南方都市报记者也来了", "南方都市报");
    has("@小鹿不迷路 你也被骗了吗", ImId, "小鹿不迷路");
}

#[test]
fn rooms_of_a_care_home_and_a_malls_gate_are_no_addresses() {
    untouched("院方把老人从双人间B座306换到了三人间D座110", "双人间B座306");
    untouched("我们约在万象城广场5号门见面", "5号门");
    has("他家在龙湖花园广场5号商铺", Address, "龙湖花园广场5号商铺");
}

#[test]
fn a_real_name_after_a_screen_names_cue_is_no_screen_name() {
    untouched("那个博主本名贺晓婷，在网上卖减肥茶", "本名");
    has("那个直播间的群主叫老蒋，天天卖保健品", Name, "老蒋");
    has("主播自称邵志刚，说自己是老中医", Name, "邵志刚");
}

#[test]
fn an_organisation_called_so_is_no_screen_name() {
    untouched("有个叫“消费维权服务中心”的打电话要我交钱", "消费维权服务中心");
    has("有个叫“追风少年”的买家一直骚扰我", ImId, "追风少年");
}

#[test]
fn a_streamers_speech_is_no_part_of_the_name() {
    untouched("快手主播阿珍说枸杞“能治糖尿病”，我妈就买了", "说枸杞");
    has("我的淘宝名爱吃糖的小熊，买的鞋是假的", ImId, "爱吃糖的小熊");
}
