//! Issue 24's twelfth pass: ids in a list, English cues, screen names built on 的, the other side's
//! screen name, commenters with a level, group-buying leaders' shops, a role before a speaker's name,
//! official accounts and registration codes that survive, addresses by a crossing and its units, a
//! mall's floor and a landmark's gate. Sentences written for the tests, not taken from the corpus.

use super::PiiKind::{Address, ImId, Name};
use super::tests_v2::{found, has, untouched};

#[test]
fn the_next_ids_of_a_list_are_ids_too() {
    has("他们俩的微信号是wang_lei88、zhaomin2021，都拉黑我了", ImId, "zhaomin2021");
    has("他的QQ是2837461950和3029184756两个号", ImId, "3029184756");
    has("抖音号dy_58362910 / ksmall_2020 都是她的", ImId, "ksmall_2020");
    // A reference after the list word is no id (QQ 2837461950，订单号 …).
    untouched("他QQ是2837461950，订单号2026112801234567", "2026112801234567");
    untouched("微信号wang_lei88和手机都打不通", "手机");
}

#[test]
fn ids_after_english_cues_and_not_references() {
    has("His WeChat is chen_trade88 and he never replied.", ImId, "chen_trade88");
    has("The seller ID is kf_shop_2019, please check.", ImId, "kf_shop_2019");
    untouched("My order ID is 20261128345, shipped late.", "20261128345");
}

#[test]
fn screen_names_built_on_de() {
    use super::nicknames::de_name;
    let yes = |t: &str| de_name(&t.chars().collect::<Vec<_>>(), 0, t.chars().count());
    assert!(yes("快乐的小蜜蜂") && yes("一路向北的狼") && yes("住在江边的阿杰"));
    assert!(!yes("我的朋友") && !yes("说话的时候") && !yes("买的东西") && !yes("的的确确"));
    let thread = "评论区：\n爱吃辣条的兔子：这家店太坑了\n不睡觉的猫头鹰：我也被坑过";
    has(thread, ImId, "爱吃辣条的兔子");
    has(thread, ImId, "不睡觉的猫头鹰");
    has("留言人：一个被骗的普通人\n留言时间：2026-11-20\n店家卷款跑了", ImId, "一个被骗的普通人");
    has("黑猫投诉：不想再被坑的小周\n投诉对象：某某分期", ImId, "不想再被坑的小周");
}

#[test]
fn the_other_sides_screen_name_after_called() {
    has("对方叫晚风里的猫，在闲鱼上卖我一台相机", ImId, "晚风里的猫");
    has("对方叫星辰大海99，收了钱就不回了", ImId, "星辰大海99");
    has("我在游戏里认识一个叫“峡谷代练小哥”的人，转了他300元", ImId, "峡谷代练小哥");
    has("是一个叫三胖的人送的货", Name, "三胖");
    // A clause after 叫 is no name.
    untouched("对方叫我们先等通知，", "我们");
    untouched("对方叫物业过来处理，", "物业");
}

#[test]
fn commenters_with_a_level_and_a_follow_up() {
    let review =
        "大众点评用户深夜觅食小分队（Lv5）：菜是冷的\n商家回复：抱歉，已核实\n深夜觅食小分队追评：核实了也没退钱";
    has(review, ImId, "深夜觅食小分队");
    untouched(review, "商家回复");
}

#[test]
fn group_buying_leaders_by_their_shops() {
    has("在团长鲜果时光小铺说的保甜，结果全是酸的", ImId, "鲜果时光小铺");
    has("都是在团长优选生活-小满那里买的鸡蛋", ImId, "优选生活-小满");
    untouched("团长发货很慢，", "发货");
    untouched("团长说平台不赔", "平台");
}

#[test]
fn parents_by_a_childs_name_in_a_list() {
    let list = "小石头的妈、豆豆妈和Lily爸都说孩子吐了";
    has(list, ImId, "小石头的妈");
    has(list, ImId, "豆豆妈");
    // A surname with a kinship title is a name, not a parent's nickname.
    assert!(!found("豆豆妈、王妈都来了").iter().any(|(k, t)| *k == ImId && t == "王妈"));
}

#[test]
fn a_speakers_role_and_name_and_form_labels() {
    let minutes = "听证笔录\n主持人：核对身份\n调查人员柏文涛：当事人销售的蜂蜜不合格\n代理人庞立新：我方有异议";
    has(minutes, Name, "柏文涛");
    assert!(!found(minutes).iter().any(|(k, t)| *k == ImId && t.contains("调查人员")), "{:?}", found(minutes));
    let receipt = "送达回证\n受送达人签收：史国庆\n送达人：雷鸣、晏平\n送达时间：2026年11月26日";
    assert!(!found(receipt).iter().any(|(k, t)| *k == ImId && t.contains("签收")), "{:?}", found(receipt));
    let signed = "检验员签字：龚平\n复核人签字：韦芬\n样品编号：SP2026110387";
    assert!(!found(signed).iter().any(|(k, _)| *k == ImId), "{:?}", found(signed));
}

#[test]
fn official_accounts_and_registration_codes_survive() {
    untouched("他们的抖音号是康宁月子官方，拍了我家宝宝", "康宁月子官方");
    untouched("视频号：百姓健康服务中心官方号", "百姓健康服务中心官方号");
    untouched("电梯使用登记证号梯11沪A07213(18)已过期", "沪A07213");
    untouched("本地新闻：已联系市场监管局\n路人甲乙：同问\n路人甲乙：顶", "本地新闻");
    has("车牌沪A07213停在消防通道", super::PiiKind::Plate, "沪A07213");
}

#[test]
fn addresses_by_a_crossing_and_its_units_a_malls_floor_and_a_gate() {
    has(
        "店在郑州市二七区大学路与陇海路交叉口东北角万象商城C区4排21号",
        Address,
        "郑州市二七区大学路与陇海路交叉口东北角万象商城C区4排21号",
    );
    has("天津市河西区友谊路与围堤道交口西北角底商5号", Address, "天津市河西区友谊路与围堤道交口西北角底商5号");
    has("网吧在新华路与解放路口新华大厦3楼", Address, "新华路与解放路口新华大厦3楼");
    has("我在赛格国际购物中心6楼6018号买的", Address, "赛格国际购物中心6楼6018号");
    has("店在公园商厦负一楼A区7号", Address, "公园商厦负一楼A区7号");
    has("司机在乌鲁木齐市沙依巴克区友好北路大巴扎东门把我放下", Address, "乌鲁木齐市沙依巴克区友好北路大巴扎东门");
    // A crossing with nothing that places a door, a line or a stop, a circuit board: no address.
    untouched("在人民路与中山路口等了20分钟", "中山路口");
    untouched("解放路与新华路口3号线地铁站", "3号线");
    untouched("电路板厂东门", "电路板厂");
}
