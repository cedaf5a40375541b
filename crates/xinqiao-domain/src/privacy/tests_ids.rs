//! Identifiers written the ways people write them (issue 24, part 1): grouped, dotted, spaced,
//! full-width, read out in Chinese numerals, mixed, broken across lines, glued to words; and what
//! must survive next to them (amounts, dates, times, order and batch numbers, standards).

use super::*;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(Detector::new)
}

use PiiKind::*;

/// `span` (as written in `text`) is found as `kind`, covering it wholly.
fn covers(text: &str, kind: PiiKind, span: &str) {
    let got = detector().detect(text);
    let start = text.find(span).map(|b| text[..b].chars().count()).expect("in the text");
    let end = start + span.chars().count();
    assert!(
        got.iter().any(|s| s.kind == kind && s.start <= start && end <= s.end),
        "{text:?}: want {kind:?} over {span:?}, got {got:?}"
    );
}

fn untouched(text: &str, keep: &str) {
    let got = detector().detect(text);
    let start = text.find(keep).map(|b| text[..b].chars().count()).expect("in the text");
    let end = start + keep.chars().count();
    assert!(!got.iter().any(|s| s.start < end && start < s.end), "{text:?}: {keep:?} damaged by {got:?}");
}

#[test]
fn mobiles_in_groups_dots_prefixes_and_full_width() {
    for m in [
        "138 1234 5678",
        "138-1234-5678",
        "138.1234.5678",
        "138  1234  5678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "0086 138 1234 5678",
        "(+86) 138 1234 5678",
        "１３８１２３４５６７８",
        "１３８－１２３４－５６７８",
        "13８1234５678",
        "1 3 8 1 2 3 4 5 6 7 8",
    ] {
        covers(&format!("联系电话：{m}，白天都在。"), Mobile, m);
    }
}

#[test]
fn mobiles_read_out_in_every_numeral() {
    for m in [
        "幺三八幺二三四五六七八",
        "一三八零零一三八零零零",
        "壹叁玖贰捌柒陆伍肆叁贰",
        "幺拐拐，两洞洞幺，三幺八勾",
        "一五九，八八二一，零四七三",
        "一八六 一二七四 三九零五",
        "138幺二三四5678",
        "一三八1234五六七八",
    ] {
        covers(&format!("我的号码是{m}，您记一下。"), Mobile, m);
    }
}

#[test]
fn numbers_broken_across_lines_or_glued_to_words() {
    covers("打我手机1391234\n5678就行", Mobile, "1391234\n5678");
    covers("手机139 0571\r\n2468（复制的）", Mobile, "139 0571\r\n2468");
    covers("电话13812345678转人工也没用", Mobile, "13812345678");
    covers("联系人赵敏，TEL13952118860", Mobile, "13952118860");
    covers("加我V13952118860", Mobile, "13952118860");
    // An order number glued to its letters stays whole.
    untouched("快递单号SF1381234567890，查不到", "SF1381234567890");
    untouched("型号AB13812345678的电池", "AB13812345678");
}

#[test]
fn id_numbers_by_structure_whatever_the_check_or_case() {
    // 110105194912310021 has a wrong check digit (the right one is 8): still a 身份证号.
    covers("证件号：110105194912310021", IdCard, "110105194912310021");
    covers("身份证号码42010619900307123x", IdCard, "42010619900307123x");
    covers("身份证 3205 0819 8506 1243 2X", IdCard, "3205 0819 8506 1243 2X");
    covers("身份证号：320508-19850612-4326", IdCard, "320508-19850612-4326");
    covers("身份证号是三二零五零八一九八五零六一二四三二六。", IdCard, "三二零五零八一九八五零六一二四三二六");
    covers(
        "他的身份证号码是三七零二零三一九六二一一零八四二一叉，合同上的",
        IdCard,
        "三七零二零三一九六二一一零八四二一叉",
    );
    covers("身份证32050819850612432X，户主", IdCard, "32050819850612432X");
}

#[test]
fn cards_landlines_and_extensions() {
    covers("卡号：6222 0212 3456 7890 123，工行", BankCard, "6222 0212 3456 7890 123");
    covers("退到6217-0028-8001-2345-671", BankCard, "6217-0028-8001-2345-671");
    covers("银行卡号六二二八四八零四零二五六四八零零零一七", BankCard, "六二二八四八零四零二五六四八零零零一七");
    covers("座机0755-86013388转8001，找售后", Landline, "0755-86013388转8001");
    covers("办公室(021)6234 5678-801，工作日", Landline, "(021)6234 5678-801");
    covers("家里0512—65123456，老人在", Landline, "0512—65123456");
    covers("单位010 6283 5746", Landline, "010 6283 5746");
    covers("座机零三一一八七零六二二一五，您记一下", Landline, "零三一一八七零六二二一五");
    covers("北京的座机+86 10 6283 5746", Landline, "+86 10 6283 5746");
    covers("店里客服：8870 2345，没人接", Landline, "8870 2345");
    covers("总部+86-571-8888-1234", Landline, "+86-571-8888-1234");
    covers("店铺电话0571-88881234/88881235，都没人接", Landline, "88881235");
    covers("打0512-65123456或6512 3457都行", Landline, "6512 3457");
    untouched("电话0512-65123456，2026年共计1234567元", "1234567元");
    untouched("电话0512-65123456，20260312那天买的", "20260312");
}

#[test]
fn landlines_bracketed_spaced_broken_and_extended() {
    covers("家里座机(010) 6283 5746，晚上打", Landline, "(010) 6283 5746");
    covers("店里电话是（0755）8888-1234，打了三次", Landline, "（0755）8888-1234");
    covers("联系电话：（ 0571 ）8702 2345", Landline, "（ 0571 ）8702 2345");
    covers("电话：（０２１）　５４３２　１０９８", Landline, "（０２１）　５４３２　１０９８");
    covers("发货单上的电话(0574)\n87123456，找不到人", Landline, "(0574)\n87123456");
    covers("办公室电话0871-\n65123456", Landline, "0871-\n65123456");
    covers("单位座机02154321098，上午在", Landline, "02154321098");
    covers("公司前台028-8555 6677转分机203，找会计", Landline, "028-8555 6677转分机203");
    covers("座机0755-88881234，转分机 6", Landline, "0755-88881234，转分机 6");
    covers("（0731）8456 7890-内线6是物业的", Landline, "（0731）8456 7890-内线6");
    covers("他说零二一，六四七八，九九零零，转幺零二", Landline, "零二一，六四七八，九九零零，转幺零二");
    covers("固话是：0512 65123456 或者 65123457", Landline, "65123457");
    covers("家里电话是八七六五，四三二一，区号杭州的", Landline, "八七六五，四三二一");
    // Enterprises' service numbers, however grouped or read out, are no one's telephone.
    for keep in ["400-820-8820", "4006-888-999", "400-6666-800", "800 810 5888", "四零零八二零八八二零", "4008208820"]
    {
        untouched(&format!("售后电话：{keep}，我家座机0591-8765 4321"), keep);
        covers(&format!("售后电话：{keep}，我家座机0591-8765 4321"), Landline, "0591-8765 4321");
    }
    untouched("他们的400电话400-880-1234转2", "400-880-1234转2");
    // 转 with no digits read out after it is no extension.
    let got = detector().detect("座机0755-88881234转一下就通");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].text, "0755-88881234");
    untouched("2026-03-12 下午3点到店，消费128.00元，订单号202603121234567", "202603121234567");
}

#[test]
fn ims_mail_and_plates_in_loose_writing() {
    covers("加我Q283746591，发图片", ImId, "283746591");
    covers("企鹅号3957281046", ImId, "3957281046");
    covers("扣扣幺零四八五七六三二一", ImId, "幺零四八五七六三二一");
    covers("加V：lily_shop2020，客服说的", ImId, "lily_shop2020");
    covers("买家用户名：pdd_83920117", ImId, "pdd_83920117");
    covers("我邮箱是chen.jing @ 126.com，没有空格", Email, "chen.jing @ 126.com");
    covers("车牌京A 12345，被刮了", Plate, "京A 12345");
    covers("车牌：浙a5n2c8（小写）", Plate, "浙a5n2c8");
    covers("车牌沪A-8K2M9", Plate, "沪A-8K2M9");
    untouched("新mate60手机屏幕坏了", "新mate60");
}

#[test]
fn amounts_dates_references_and_standards_survive() {
    for (text, keep) in [
        ("付款1,299,000元，对方不退", "1,299,000"),
        ("原价￥1 380 000，现价999", "1 380 000"),
        ("生产日期2026.03.12，到期2026.04.16，都印着", "2026.03.12，到期2026.04.16"),
        ("有效期2026.03.12，2026.04.16两次检验", "2026.03.12，2026.04.16"),
        ("检验日期2026 03 12 2026 04 16", "2026 03 12 2026 04 16"),
        ("2026-03-15 14:30在店里买的", "2026-03-15 14:30"),
        ("订单编号：3458 2291 0076 5521 883，手机丢了", "3458 2291 0076 5521 883"),
        ("客户编号1300 5678 2301，我查过", "1300 5678 2301"),
        ("我已经打过12315了", "12315"),
        ("热线95588说要本人去", "95588"),
        ("客服热线400-820-8820打不通", "400-820-8820"),
        ("执行标准GB 2760-2014和GB/T 19001-2016", "GB 2760-2014和GB/T 19001-2016"),
        ("批号20260312，条码6901234567892", "20260312，条码6901234567892"),
        ("一共1380箱，单价13.8元，总共19044元", "1380箱，单价13.8元，总共19044元"),
        ("营业时间9:00-21:00", "9:00-21:00"),
        ("统一社会信用代码91310000132204354X，法人", "91310000132204354X"),
        ("第1、3、4、5、6、7、8、9、10条都没做到", "1、3、4、5、6、7、8、9、10"),
        ("每周一三五上课，二四六休息", "一三五上课，二四六"),
        ("三三两两的人，一五一十地说了", "三三两两的人，一五一十"),
        ("发票号码04512398，金额2980元", "04512398"),
    ] {
        untouched(text, keep);
    }
}

#[test]
fn masks_cover_the_number_as_written() {
    let text = "电话一三八 1234 五六七八，身份证42010619900307123x";
    let masked = detector().mask(text);
    assert!(!masked.contains("1234") && !masked.contains("五六七八") && !masked.contains("0307"), "{masked}");
    assert!(masked.contains("138****5678"), "{masked}");
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

#[test]
fn any_mobile_in_any_common_writing_is_found() {
    const HAN: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    const SEPS: [&str; 8] = ["", " ", "-", ".", "  ", "，", "\n", " - "];
    let mut rng = Rng(0x1d0c_2026);
    for _ in 0..400 {
        let mut d = vec![1, 3 + rng.below(7) as usize];
        d.extend((0..9).map(|_| rng.below(10) as usize));
        let style = rng.below(4);
        let sep = SEPS[rng.below(SEPS.len() as u64) as usize];
        // Commas only between groups of three and four, as people read numbers out.
        let mut written = String::new();
        for (i, x) in d.iter().enumerate() {
            if i == 3 || i == 7 {
                written.push_str(sep);
            }
            match style {
                0 => written.push(char::from(b'0' + *x as u8)),
                1 => written.push(char::from_u32(0xFF10 + *x as u32).unwrap()),
                2 => written.push_str(if *x == 1 && rng.below(2) == 0 { "幺" } else { HAN[*x] }),
                _ => written.push_str(HAN[*x]),
            }
        }
        let prefix = ["我的电话是", "手机：", "打", "联系人小王 ", "号码\n"][rng.below(5) as usize];
        covers(&format!("{prefix}{written}，麻烦回个电话。"), Mobile, &written);
    }
}
