//! Issue 24, tenth pass: a surname standing for one person (张某, 汪氏, 孔君; an officer signing
//! with a bare surname; a record's field; a role before a bare surname), names with rare surnames
//! after a word that introduces a person, and words that are no names (the verb 戴, 阿拉, a party's
//! 方). Sentences written for these tests, not taken from the corpus.

use super::tests_v2::{detector, found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn a_surname_with_mou_shi_or_jun_is_a_name() {
    has("据反映，店员蔡某态度恶劣。", Name, "蔡某");
    has("消费者谢某某称，其购买的牛奶已过期。", Name, "谢某某");
    has("当事人欧阳某未到场。", Name, "欧阳某");
    has("其母龚氏，年逾七旬。", Name, "龚氏");
    has("承蒙贺君相告，始知其详。", Name, "贺君");
    has("款项转至潘某个人账户。", Name, "潘某");
    // The display keeps the surname only.
    assert_eq!(detector().mask("据反映，店员蔡某态度恶劣。"), "据反映，店员蔡*态度恶劣。");
}

#[test]
fn mou_shi_and_jun_that_name_no_one_stay() {
    untouched("于某日下午，在某药房买的药。", "于某日");
    untouched("某公司的客服向某人借了钱。", "向某人");
    untouched("诸君请安静。", "诸君");
    untouched("他代表加勒比地区某国签了协议。", "地区某国");
    untouched("应邀请，于10月2日出发。", "于");
    untouched("在屈臣氏买的面膜，摄氏度三十。", "屈臣氏");
    untouched("这是一种姓氏文化。", "姓氏");
}

#[test]
fn a_bare_surname_signing_a_note_or_filling_a_field_is_a_name() {
    has("转交通局处理。喻\n交通局意见：已约谈。", Name, "喻");
    has("同意转办。邵12.3", Name, "邵");
    has("请尽快回复，韦", Name, "韦");
    has("调解结束，双方签字。\n记录：钟", Name, "钟");
    has("回访人：蒋", Name, "蒋");
    has("经办：饶，签发：鲁局长", Name, "饶");
    has("店长闵：我去问一下老板。", Name, "闵");
    has("到场：郭院长、护士长阎\n见证人：无", Name, "阎");
    has("据说是一位廖姓店主卖的。", Name, "廖");
}

#[test]
fn single_characters_that_are_no_signature_stay() {
    untouched("我觉得还行。好", "好");
    untouched("性别：男\n民族：汉", "汉");
    untouched("老百姓都知道这家店。", "百姓");
    untouched("共计：3件。", "共计");
    untouched("请填写姓名：", "姓名");
    untouched("店长说：明天再来。", "店长说");
    untouched("当你遇到真正爱的人时：要珍惜。", "人时");
    untouched("州长和波士顿市长都到了。", "和波士顿");
    untouched("政府是代表全中国人民的政府。", "全中国");
}

#[test]
fn a_rare_surname_after_a_role_word_is_a_name() {
    has("客服主管危丽说不能退。", Name, "危丽");
    has("住户那桂琴，说暖气不热。", Name, "那桂琴");
    has("经办人危志刚电话打不通。", Name, "危志刚");
    has("执法人员綦小龙到场检查。", Name, "綦小龙");
    has("质检部仉海燕说批次没问题。", Name, "仉海燕");
}

#[test]
fn readings_that_start_like_a_name_and_are_none() {
    untouched("投诉方代表和品牌方代表都到了。", "方代表");
    untouched("被申请人方：某某烧烤店。", "人方");
    untouched("那个推销员戴着工牌，说是医院的。", "戴着");
    untouched("他戴帽子进来的。", "戴帽子");
    untouched("侬晓得伐，阿拉是开面馆的。", "阿拉");
    assert_eq!(names("中介商老孙说押金可以退。"), vec!["老孙".to_owned()]);
    // A surname 戴 or 方 is still one (戴建国说, 方经理).
    has("店员戴建国说可以退。", Name, "戴建国");
    has("联系了方经理。", Name, "方经理");
    has("投保人方志刚，被保险人方小雨。", Name, "方志刚");
    has("到场：投诉方闫先生、被投诉方店长。", Name, "闫先生");
}

#[test]
fn a_name_before_a_verb_and_shop_is_no_shop() {
    has("他女婿冯志刚管店，人很凶。", Name, "冯志刚");
    has("保安邹建军系该商场员工。", Name, "邹建军");
    untouched("保安邹建军系该商场员工。", "商场");
}

#[test]
fn a_pet_name_after_the_copula_or_on_a_is_a_name() {
    has("负责我家孩子的是小璐，", Name, "小璐");
    has("卖给外婆的是阿珠，她说包治百病。", Name, "阿珠");
    untouched("最大的问题是小区，", "小区");
    untouched("这是小事，", "小事");
    untouched("家政公司派来的阿姨把钥匙弄丢了。", "阿姨");
}

#[test]
fn a_name_read_as_a_verb_right_after_a_role() {
    has("维修师傅付强于周五上门。", Name, "付强");
    has("调解员甘露向双方说明了规则。", Name, "甘露");
    untouched("师傅付清了尾款。", "付清");
}
