//! Issue 24, eighth pass: the misses of the eight styles written first (call transcripts, chat
//! exports, mediation records, letters, forwarding notes, voice notes, minority and foreign
//! names, rural addresses) — surnames that start common words, rarer compound surnames, birth-rank
//! nicknames, cue words for a full name, and addresses in speech without punctuation.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn a_surname_that_starts_common_words_is_one_after_a_cue_or_before_a_title() {
    has("申请人杭志强，男，1971年出生", Name, "杭志强");
    has("被申请人委托代理人匡建明到场", Name, "匡建明");
    has("店里的郁经理说不能退", Name, "郁经理");
    has("园长母晓红说这是特色课", Name, "母晓红");
    has("老板朴哲秀只肯退一半", Name, "朴哲秀");
    // No cue, no title: the ordinary words stay.
    for text in ["皮鞋穿了两天就开胶了", "母亲节那天买的蛋糕", "杭州发的快递", "心里很郁闷", "朴素的包装", "敬请谅解"]
    {
        assert!(names(text).is_empty(), "{text}: {:?}", names(text));
    }
    // A title on a word jieba knows is no surname with a title (班主任).
    untouched("孩子的班主任说学校不管", "班主任");
    untouched("找了班长和班主任", "班主任");
}

#[test]
fn a_title_with_men_is_a_group() {
    untouched("祝同志们工作顺利", "祝同志");
    has("市信访局转来王建同志来信一件", Name, "王建");
    assert!(names("各位老师们辛苦了").is_empty());
}

#[test]
fn rarer_compound_surnames_are_read_whole() {
    has("申请人赫连明称其在店里买的", Name, "赫连明");
    has("投诉人钟离雪说押金没退", Name, "钟离雪");
    has("宗政文在群里发了截图", Name, "宗政文");
    let chars: Vec<char> = "微生物超标".chars().collect();
    assert_eq!(names::surname_len(&lexicon::Lexicon::new(), &chars, 0), 0);
}

#[test]
fn a_surname_with_lao_and_a_birth_rank_is_a_nickname() {
    has("村东头刘老三开的小卖部卖过期面包", Name, "刘老三");
    has("韦老二家住在河边", Name, "韦老二");
    // A numeral, an age or a measure after it: no nickname.
    assert!(!names("王老五十岁了").iter().any(|n| n == "王老五"));
}

#[test]
fn a_full_name_after_quan_ming_or_da_ming() {
    has("导购叫容容，全名容晓燕", Name, "容晓燕");
    has("我家孩子大名沙文杰", Name, "沙文杰");
    has("翻译人：阿力木", Name, "阿力木");
}

#[test]
fn an_address_in_speech_without_punctuation_starts_after_a_particle() {
    let got = found("我是老卢卢永贵啊幸福村二组十五号我买的饲料");
    assert!(got.iter().any(|(k, t)| *k == Address && t == "幸福村二组十五号"), "{got:?}");
    assert!(got.iter().any(|(k, t)| *k == Name && t == "卢永贵"), "{got:?}");
}

#[test]
fn a_bare_surname_after_xing_also_after_mian_gui_and_for_surnames_that_start_words() {
    has("免贵姓喻，喻晓光", Name, "喻");
    has("她姓皮，皮肤的皮", Name, "皮");
    untouched("老百姓都知道", "百姓");
}

#[test]
fn a_doubled_pet_name_that_jieba_lists_as_an_adjective_after_a_cue() {
    has("我孙女甜甜在那里学画画", Name, "甜甜");
    has("导购员叫依依。", Name, "依依");
    assert!(names("两人依依不舍地分开").is_empty());
    assert!(names("业务员天天打电话").is_empty());
}

#[test]
fn a_list_item_between_two_names_is_one() {
    has("联名人：江德福、江水生、邵桂花", Name, "江水生");
    // A list of things stays a list of things.
    assert!(names("买了苹果、香蕉、橘子").is_empty());
}

#[test]
fn a_numeral_before_ren_counts_people() {
    has("呼延庆、宇文博、端木蓉三人联名投诉", Name, "端木蓉");
}

#[test]
fn a_place_after_wo_shi_is_where_someone_is_from() {
    untouched("我是张家口的，来石家庄打工", "张家口");
    untouched("我是石家庄人", "石家庄");
    untouched("我是张家口的，来石家庄打工", "石家庄");
}

#[test]
fn the_issues_false_positives_survive_in_letters_and_calls() {
    for (text, keep) in [
        ("尊敬的领导：我在周大福买的金镯子称重少了", "周大福"),
        ("来电人：我买的王守义十三香是假的", "王守义十三香"),
        ("我去胡庆余堂抓的药", "胡庆余堂"),
        ("店里卖的马应龙痔疮膏过期了", "马应龙"),
        ("楼下杨国福麻辣烫卫生很差", "杨国福麻辣烫"),
        ("超市的王老吉是假的", "王老吉"),
        ("收到的戴森V12是翻新机", "戴森V12"),
        ("本信同时抄送区纪检监察部门", "纪检监察部门"),
    ] {
        untouched(text, keep);
    }
}

#[test]
fn a_crossing_of_two_roads_with_a_distance_or_a_corner_is_an_address() {
    has("店在解放路与中山路交叉口往北50米路东", Address, "解放路与中山路交叉口往北50米路东");
    has("就在人民路和建设街交汇处东北角", Address, "人民路和建设街交汇处东北角");
    // A crossing alone places no door.
    assert!(!found("在人民路与建设街交叉口等我").iter().any(|(k, _)| *k == Address));
}

#[test]
fn a_mongol_village_under_its_township() {
    has("我是锡林浩特市宝力根苏木巴彦淖尔嘎查的牧民", Address, "锡林浩特市宝力根苏木巴彦淖尔嘎查");
}

#[test]
fn more_parts_of_minority_names() {
    has("导游热依拉带我们去了玉石店", Name, "热依拉");
    has("老板索朗多吉不给退押金", Name, "索朗多吉");
    has("介绍人小扎西说中介费不退", Name, "小扎西");
    has("我叫阿苏拉则", Name, "阿苏拉则");
}

#[test]
fn a_nickname_of_a_and_a_given_name_jieba_reads_as_a_name() {
    has("我听店里打工的阿强说的", Name, "阿强");
    untouched("我阿姨说的", "阿姨");
    untouched("买了两盒阿胶，", "阿胶");
}

#[test]
fn a_form_fields_value_on_a_common_surname_that_starts_words() {
    has("申请人：方圆，女，住合肥市", Name, "方圆");
    untouched("联系人：方便的时候回个电话", "方便");
}

#[test]
fn a_name_that_is_also_a_word_right_after_a_role_ending_its_clause() {
    has("我找过校长殷红，她说会处理", Name, "殷红");
    // A surname with 某 is a name (issue 24, tenth pass: the lead's labelling rule), one span.
    has("经办人刘某，男", Name, "刘某");
    untouched("店长陈述了经过", "陈述");
}

#[test]
fn an_organisations_name_starts_after_what_was_said_not_at_the_clauses_start() {
    // The organisation's protected span once reached back over the whole clause, so the person
    // named at its start could never be masked.
    has("殷秀珍等3人来访反映康乐园养老服务中心收费不合理", Name, "殷秀珍");
    untouched("殷秀珍等3人来访反映康乐园养老服务中心收费不合理", "康乐园养老服务中心");
    has("消费者韦丽娟来电投诉星河湾健身中心拒绝退卡", Name, "韦丽娟");
    untouched("消费者韦丽娟来电投诉星河湾健身中心拒绝退卡", "星河湾健身中心");
    // Organisation names that hold such a word are not cut: the span still covers them whole.
    untouched("联系苏州市消费者权益保护委员会", "苏州市消费者权益保护委员会");
}

#[test]
fn chat_senders_before_times_in_more_export_forms() {
    has("Sunny 11月3日 08:12\n请问退费表填好交给谁\n邓老师 11月3日 08:20\n交给办公室", ImId, "Sunny");
    has("一路向北 2026年11月6日 晚上8:40\n我查了，法人换人了", ImId, "一路向北");
    has("A-小雨点 (2026-11-05 10:22:31)\n有人知道那家宠物医院吗", ImId, "小雨点");
    // A time alone counts where two lines of the text are written so; a group's tag is no part
    // of the sender.
    let export = "【维权群】追风少年 21:03\n那个项目经理跑了\n【维权群】大海的宝贝 21:05\n他上个月还在我家工地";
    has(export, ImId, "追风少年");
    has(export, ImId, "大海的宝贝");
    untouched(export, "维权群");
    // One line with a time alone is what someone wrote, not an export.
    for text in ["明天上午 10:30\n在店门口等", "营业时间 9:00\n周末不休", "下单时间 2026年11月6日 20:41\n实付1299元"]
    {
        assert!(found(text).is_empty(), "{text}: {:?}", found(text));
    }
}
