//! Issue 24, twelfth pass: names by their frame on text nobody here wrote — nicknames after 叫他 or a
//! role, children after 女儿/儿子, minority names in transcription syllables, bare surnames in forms and
//! lists, a second form of a name in brackets, lists to 等, a Latin name mentioned again; and words that
//! are no names (brands, toys, stars before 演唱会, shop names in quotes). Sentences written for these
//! tests, not taken from the corpus.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn names(text: &str) -> Vec<String> {
    found(text).into_iter().filter(|(k, _)| *k == Name).map(|(_, t)| t).collect()
}

#[test]
fn a_nickname_named_by_its_frame() {
    has("卖菜的那个男的，街坊都叫他瘦猴，秤有问题。", Name, "瘦猴");
    has("老板娘外号辣椒姐，态度很凶。", Name, "辣椒姐");
    has("帮厨大伟说菜是昨天剩的。", Name, "大伟");
    has("芳姐，你上次说的那家店又涨价了。", Name, "芳姐");
    // A verb, a pronoun or a title after 叫他 is none.
    assert!(names("我叫他回来，他不肯。").is_empty());
    untouched("我们都叫她阿姨，她人很好。", "阿姨");
}

#[test]
fn a_child_by_pet_or_given_name() {
    has("我女儿果果（大名）在这家机构学舞蹈。", Name, "果果");
    has("替我儿子乐乐写的：他在游戏里充了钱。", Name, "乐乐");
    // A time word or an adverb after 孩子 is none.
    assert!(names("孩子天天哭，说不想去。").is_empty());
}

#[test]
fn minority_names_in_transcription_syllables() {
    has("从业人员扎桑、次珍无健康证。", Name, "扎桑");
    has("从业人员扎桑、次珍无健康证。", Name, "次珍");
    has("由见证人阿不都拉提签字。", Name, "阿不都拉提");
    has("翻译人员塔依尔。", Name, "塔依尔");
    // Ordinary words of the same characters are none.
    assert!(names("我们的会员努力工作。").is_empty());
    assert!(names("主播是珠宝设计师出身。").is_empty());
}

#[test]
fn bare_surnames_in_forms_and_lists() {
    has("复核人田、邢（只签了姓）。", Name, "田");
    has("复核人田、邢（只签了姓）。", Name, "邢");
    has("被检查单位 永兴商行  负责人 邬  电话 未留", Name, "邬");
    has("菜场摊主孙（卖肉的）缺斤少两。", Name, "孙");
    has("致电商家，店长林接听后挂断。", Name, "林");
    // 单 after 销售 before a bracket is a slip, not a person.
    assert!(names("旺达电器销售单（销售员未签）").is_empty());
}

#[test]
fn a_second_form_in_brackets_a_list_to_deng_and_a_latin_name_again() {
    has("店主阿强（郑强）不在，由伙计配合检查。", Name, "郑强");
    untouched("演员李维山（蒙古族）出席。", "蒙古族");
    has("受会员戴丽娟、柯一鸣、于晴等12人委托。", Name, "柯一鸣");
    has("受会员戴丽娟、柯一鸣、于晴等12人委托。", Name, "于晴");
    let text = "顾问Tracy说包过，后来Tracy不接电话了。";
    assert_eq!(names(text).iter().filter(|n| *n == "Tracy").count(), 2, "{:?}", names(text));
}

#[test]
fn brands_toys_stars_and_shop_names_are_no_names() {
    untouched("厨房的热水器是华帝的，漏水了。", "华帝");
    untouched("网上买的史莱姆有怪味。", "史莱姆");
    untouched("我在闲鱼卖了两张张学友演唱会的票。", "张学友");
    untouched("网店“小熊精品童装”说是全网最低价。", "小熊精品童装");
    untouched("市场里的“老马家牛肉”少称了，摊主马国强不认。", "老马家牛肉");
}

#[test]
fn a_name_written_on_a_paper_a_people_in_brackets_and_a_compound_surname_alone() {
    has("营业执照上写的是邝国栋。", Name, "邝国栋");
    has("户口本上登记为阿依古丽，要求改正。", Name, "阿依古丽");
    has("负责人：岩香（傣族）", Name, "岩香");
    has("打电话来的人自称欧阳，没留全名。", Name, "欧阳");
    has("付款后我转账到邹伟明的卡上。", Name, "邹伟明");
    has("孩子爸爸祁阳139 0000 1234", Name, "祁阳");
    // A people's name in brackets after a place or a word is no name.
    untouched("这家餐厅（回族）老板做的牛肉面很好。", "这家餐厅");
    untouched("上面写的是保质期，不是生产日期。", "保质期");
}

#[test]
fn more_frames_real_names_in_brackets_kin_lists_and_classical_self_names() {
    has("施工队长虎子（本名窦虎成）欠我们工钱。", Name, "虎子");
    has("施工队长虎子（本名窦虎成）欠我们工钱。", Name, "窦虎成");
    has("卖熟食的摊主，人称“刀疤”，不给小票。", Name, "刀疤");
    has("是一个叫三娃的人送来的货。", Name, "三娃");
    has("家属联名：妻俞秀兰、子俞建平。", Name, "俞建平");
    has("鄙人庞守正，年逾七旬。", Name, "庞守正");
    has("请扎西同志核实后回复。", Name, "扎西");
    has("服务员小黄把菜换了。", Name, "小黄");
    // An insult in quotes after 叫她 is no name; a word after 一个叫 without 的人 is none either.
    assert!(names("教练骂人，叫她“笨丫头”。").is_empty());
}

#[test]
fn a_latin_given_name_before_another_in_a_list() {
    has("总监Ryan、Kevin已去另一家店上班。", Name, "Ryan");
    has("售楼员Candy说首付可以分期。", Name, "Candy");
    // A brand or a word in capitals before 、 is none.
    assert!(names("我买了Apple、Huawei两台手机。").is_empty());
}

#[test]
fn a_sign_offs_note_in_brackets_is_no_second_form() {
    has("店主阿彬（朴彬）不在。", Name, "朴彬");
    untouched("反映人：郝建军（盖手印）", "盖手印");
}
