//! Issue 24's ninth pass: identifiers and addresses as hotline calls, mediation records and chats
//! give them (the forms of `data/pii-eval/hotlineids.txt` and `chatids.txt`).

use super::PiiKind::{Address, IdCard, ImId, Mobile, Name};
use super::tests_v2::{has, untouched};

#[test]
fn travel_and_service_documents_are_id_numbers() {
    has("来电人用港澳通行证报的团，证件号C62815947，定金不退。", IdCard, "C62815947");
    has("台胞证号码08562741，在诊所做的项目出了问题", IdCard, "08562741");
    has("军官证号南字第2016874号，说优惠不能叠加", IdCard, "南字第2016874号");
    has("护照号：G48271936，反映收了改签费", IdCard, "G48271936");
    has("回乡证 H1029384756 也复印了", IdCard, "H1029384756");
    // A document's word with no number after it, or a short number, is nothing.
    untouched("港澳通行证的签注过期了，证件号码我回头发你", "港澳通行证");
    untouched("通行证编号是第3批，共12张", "12");
}

#[test]
fn chat_senders_before_a_colon_in_a_chat_of_two_messages_or_more() {
    let chat = "追风少年：你们是不是骗子\n乐享数码客服：亲，请提供一下订单号哦\n追风少年：3926771055821145";
    has(chat, ImId, "追风少年");
    // The number answering a request for an order number is that order number.
    untouched(chat, "3926771055821145");
    has("[图片]\n花开富贵：我也被骗了，卖家电话是18937160254\n静待花开：我也是", ImId, "静待花开");
    has("司马文：2026-11-09 20:11\n买的金镯子少了三克\n木木：2026-11-09 20:15\n我也是！", ImId, "木木");
    // Form fields and roles are no senders, nor is one odd label among them.
    let record = "申请人：钱玉兰\n被申请人：百佳超市\n调解员：方志刚\n事由：退货\n微信：见附件\n备注：无";
    for field in ["申请人", "被申请人", "调解员", "事由", "微信", "备注"] {
        untouched(record, field);
    }
    untouched("处理结果：已退款\n回访：满意", "回访");
    untouched("2026年12月1日：来电\n2026年12月3日：回访", "2026年12月1日");
}

#[test]
fn a_sender_that_is_a_dictionary_word_is_one_where_someone_mentions_it() {
    let export = "蓝姐 09:15\n@开心果 你家热水器是在建材城买的吧\n开心果 09:16\n对，美的的";
    has(export, ImId, "开心果");
}

#[test]
fn handles_with_underscores_next_to_a_messenger_or_contact_word() {
    has("你加我微信吧 linxiaoyu_sz 我把付款截图发你", ImId, "linxiaoyu_sz");
    has("抖音搜xiaolu_888就能找到他", ImId, "xiaolu_888");
    has("有事打我电话或者Q我 847263951，我都告诉你们", ImId, "847263951");
    // A file name or a product code with an underscore and no messenger is none.
    untouched("截图保存为 refund_photo 发给客服了", "refund_photo");
}

#[test]
fn circled_digits_are_digits() {
    has("在评论里留了电话①③⑨⑤⑦①②④⑥⑧⑧，我打过去她让我转账", Mobile, "①③⑨⑤⑦①②④⑥⑧⑧");
    untouched("诉求：①退款②赔偿③道歉", "①退款");
}

#[test]
fn compounds_with_dashed_rooms_spaced_parts_and_lanes() {
    has("来电人住绿城桂花园11-2-301，说楼上漏水", Address, "绿城桂花园11-2-301");
    has("寄到绿地世纪城 B区 12幢 1802，收件人付晓", Address, "绿地世纪城 B区 12幢 1802");
    has("门店在县人民医院对面巷子里17号，现在关门了", Address, "县人民医院对面巷子里17号");
    // A date after a park, a building with a year after a space, a lane with no number: none.
    untouched("我们在人民公园2026-12-07拍的照片", "2026-12-07");
    untouched("小区的 3栋 2019年交房", "2019");
}

#[test]
fn a_person_like_sender_is_a_name() {
    has("司马文：群里有人买过吗\n木木：我也是", Name, "司马文");
}

#[test]
fn numbers_broken_by_emoji_or_fillers_of_speech() {
    has("卖家图片上写的联系方式：138🌟1234🌟5678，说走平台要扣手续费", Mobile, "138🌟1234🌟5678");
    has("电话是一八六✨二七四一✨三九零五", Mobile, "一八六✨二七四一✨三九零五");
    has("来电人说他的号码呃幺五幺，零三幺七，嗯，八八六二，超市卖过期牛奶", Mobile, "幺五幺，零三幺七，嗯，八八六二");
    // Two amounts or a date with an emoji between are no number.
    untouched("花了 2026🌟12 块", "2026🌟12");
    untouched("第一嗯，第二个问题", "第一");
}

#[test]
fn a_mobile_given_in_two_turns_of_a_call() {
    let call = "坐席：请问您的联系电话？\n来电人：幺八六……\n坐席：您说。\n来电人：一二七四，三九零五。";
    has(call, Mobile, "幺八六");
    has(call, Mobile, "一二七四，三九零五");
    // Three digits and eight more with no word for a telephone, or inside a line, are none.
    untouched("坐席：几号楼？\n来电人：186……\n坐席：您说。\n来电人：12743905。", "186");
    untouched("电话里说了135，后来又说了 12345678 这个数", "135");
}

#[test]
fn a_compound_named_again_on_its_own_is_masked_too() {
    has("我们小区叫桂语江南，桂语江南5幢1单元302是我家。", Address, "桂语江南");
    // A compound named only on its own, or a road named again without its number, is nothing.
    untouched("桂语江南的物业费太贵了", "桂语江南");
    untouched("我住解放路88号，解放路上车很多", "上车");
}
