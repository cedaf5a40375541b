//! Issue 24's tenth pass: screen names, chat senders and speakers, foreign mobiles, numbers said
//! twice, and addresses by a gate, an exit or abroad. Sentences written for the tests, not taken
//! from the corpus.

use super::PiiKind::{Address, ImId, Landline, Mobile, Name};
use super::tests_v2::{found, has, untouched};

#[test]
fn senders_in_brackets_at_the_start_of_stream_lines() {
    let text = "【场控小橙子】最后五单\n【用户3371902】主播这个包是真皮吗\n【助播大白】是的亲";
    has(text, ImId, "小橙子");
    has(text, ImId, "用户3371902");
    // Headings and offices in brackets are no senders.
    let notes = "【城南市场监管所】已转办，请核实。\n【退回理由】不属于本所辖区。";
    untouched(notes, "城南市场监管所");
    untouched(notes, "退回理由");
    untouched("【业主群】\n今天停水了\n【通知】明天恢复", "业主群");
}

#[test]
fn senders_after_a_room_number_a_hyphen_or_on_者() {
    let group = "6-2-302 严：暖气又不热了\n9-1-1501 南方的雪：我家也是\n6-2-302 严：找物业去";
    has(group, Name, "严");
    has(group, ImId, "南方的雪");
    let fans = "夜行者：你们的杯子漏水吗\n橙粉-小满：漏的\n夜行者：那就一起投诉";
    has(fans, ImId, "夜行者");
    has(fans, ImId, "橙粉-小满");
}

#[test]
fn speakers_in_a_register_of_people_are_names() {
    let minutes = "庞志刚（调解员）：请申请人先说。\n汪洋：空调装了三天就坏了。\n詹美华：我们可以换新机。";
    has(minutes, Name, "汪洋");
}

#[test]
fn fields_and_headings_are_no_senders() {
    let form = "商品：电饭煲\n数量：1\n问题：内胆掉漆";
    for w in ["商品", "数量", "问题"] {
        untouched(form, w);
    }
    untouched("群聊截图：\n小王：明天开会\n老李：好的", "群聊截图");
    let fields = "主播：糖糖爱美食-甜甜\n品牌：九阳\n价格：399元";
    has(fields, ImId, "糖糖爱美食-甜甜");
    untouched(fields, "品牌");
}

#[test]
fn screen_names_after_a_streamer_or_seller_word() {
    has("主播霞姐说翠说是天然的", ImId, "霞姐说翠");
    has("主播酒神三哥，真名不知道", ImId, "酒神三哥");
    has("在抖音主播张家界阿妹哥的直播间买的", ImId, "张家界阿妹哥");
    has("视频号李医生谈养生的直播里卖的", ImId, "李医生谈养生");
    has("闲鱼卖家成都小仙女说是正品", ImId, "成都小仙女");
    has("博主是橙子呀推荐的面霜", ImId, "是橙子呀");
    // A seller named as a person, and what the seller did, stay as they were.
    has("店主韦国强不认账", Name, "韦国强");
    untouched("店主卷款跑路了，电话也不接", "卷款跑路");
    untouched("卖家客服态度很差", "客服态度");
}

#[test]
fn parents_and_accounts_by_their_screen_names() {
    has("家长群里果果奶奶、Ella妈都说饭菜凉了", ImId, "果果奶奶");
    has("家长群里果果奶奶、Ella妈都说饭菜凉了", ImId, "Ella妈");
    has("他的抖音号是王教授讲健康。", ImId, "王教授讲健康");
    has("她ins：anna_home_shop，卖的是假货", ImId, "anna_home_shop");
    untouched("妈咪包和Baby妈妈包都卖完了", "Baby妈妈包");
}

#[test]
fn mobiles_dialled_from_abroad_and_in_pairs() {
    has("她电话+7 916 204 3318，人在莫斯科", Mobile, "+7 916 204 3318");
    has("新西兰号码+64 27 419 6605", Mobile, "+64 27 419 6605");
    has("香港号码+852 9123 4567", Mobile, "+852 9123 4567");
    has("我报的是13 72 64 80 15 9", Mobile, "13 72 64 80 15 9");
    untouched("比分是3+1 234 567 890", "1 234 567 890");
}

#[test]
fn a_landline_said_wrongly_is_one_too() {
    let text = "家里座机是5832 6170，奶奶背成了5832 6107，我核对过";
    has(text, Landline, "5832 6170");
    has(text, Landline, "5832 6107");
    // An amount or a reference number with the same head stays.
    untouched("家里座机是5832 6170，退款58326107元", "58326107");
    untouched("小票号码58326101，座机5832 6170", "58326101");
}

#[test]
fn addresses_by_a_gate_an_exit_a_banner_village_or_abroad() {
    has("店在解放路春晖小区门口往东走第三个门面", Address, "解放路春晖小区门口往东走第三个门面");
    has("在团结湖地铁站C口往北150米二楼", Address, "团结湖地铁站C口往北150米二楼");
    has("住在阳光里小区北门往西第二家", Address, "阳光里小区北门往西第二家");
    has("家在杭锦旗锡尼镇巴音乌素嘎查", Address, "杭锦旗锡尼镇巴音乌素嘎查");
    has("我家在石板沟村四社8号", Address, "石板沟村四社8号");
    has("房子在1208 Elm Street Apt 3A, Chicago，押金没退", Address, "1208 Elm Street Apt 3A, Chicago");
    has("我住书香天地3-2-1102", Address, "书香天地3-2-1102");
    untouched("我们是旅行社三社合并的", "三社");
    untouched("往东走了100米也没找到门口", "100米");
    let got = found("检疫证号码NM150824，批号2026-11");
    assert!(!got.iter().any(|(k, _)| *k == ImId), "{got:?}");
}

#[test]
fn a_screen_name_before_its_account_in_brackets() {
    has("朋友圈代购悉尼小考拉Mia（微信mia_syd88）卖的奶粉", ImId, "悉尼小考拉Mia");
    // A person's name before the account stays a name.
    has("代购刘晓燕（微信lxy_2020）卖的面霜", Name, "刘晓燕");
}

#[test]
fn field_labels_of_forms_threads_and_mails_are_no_senders_but_show_a_thread() {
    use super::PiiKind::ImId;
    use super::tests_v2::{has, untouched};
    let evidence = "证据清单\n证据1：购物小票一张\n证据2：聊天记录截图\n证据三：退款申请页面";
    for label in ["证据1", "证据2", "证据三"] {
        untouched(evidence, label);
    }
    let mail = "From: Emma Clarke\nTo: 12315\nSubject: deposit not returned\n内容：押金不退";
    for label in ["From", "To", "Subject"] {
        untouched(mail, label);
    }
    // A thread with one commenter and a shop's reply: the reply's label is no sender, the
    // commenter still is.
    let thread = "小鹿不迷路：菜里有头发，店员还骂人\n商家回复：已核实，向您道歉";
    untouched(thread, "商家回复");
    has(thread, ImId, "小鹿不迷路");
}
