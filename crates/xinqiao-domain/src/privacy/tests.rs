//! The detector against sentences written the way complainants write, and property tests over
//! generated identifiers.

use super::*;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(Detector::new)
}

use PiiKind::*;

/// (sentence, the spans it must yield, in order).
const CORPUS: &[(&str, &[(PiiKind, &str)])] = &[
    ("我的手机号是13812345678，请尽快联系我。", &[(Mobile, "13812345678")]),
    ("联系电话：138 1234 5678（白天）", &[(Mobile, "138 1234 5678")]),
    ("电话138-1234-5678，晚上打不通就发短信", &[(Mobile, "138-1234-5678")]),
    ("有事请拨+86 139 8765 4321找我", &[(Mobile, "+86 139 8765 4321")]),
    ("我的号码是＋８６１３９８７６５４３２１", &[(Mobile, "＋８６１３９８７６５４３２１")]),
    ("手机：１３６１２３４５６７８", &[(Mobile, "１３６１２３４５６７８")]),
    ("请回电008613512345678", &[(Mobile, "008613512345678")]),
    ("健身房老板的电话15900001111一直关机", &[(Mobile, "15900001111")]),
    (
        "我叫张伟，手机13912345678，住在苏州市姑苏区人民路88号3栋2单元502室。",
        &[(Name, "张伟"), (Mobile, "13912345678"), (Address, "苏州市姑苏区人民路88号3栋2单元502室")],
    ),
    ("投诉人：李秀英，身份证号360426199101010071。", &[(Name, "李秀英"), (IdCard, "360426199101010071")]),
    ("身份证11010519491231002X已经复印给他们了", &[(IdCard, "11010519491231002X")]),
    ("老人的身份证是 11010519491231002x ，卡是她本人办的", &[(IdCard, "11010519491231002x")]),
    ("旧身份证号码110105491231002还能用吗", &[(IdCard, "110105491231002")]),
    ("退款请打到我的银行卡6222021234567890128上", &[(BankCard, "6222021234567890128")]),
    ("卡号 6222 0212 3456 7890 128，开户行工商银行", &[(BankCard, "6222 0212 3456 7890 128")]),
    ("信用卡4111111111111111被多扣了两次钱", &[(BankCard, "4111111111111111")]),
    ("有问题发邮件到 zhang.wei@example.com 或者打电话", &[(Email, "zhang.wei@example.com")]),
    ("邮箱lixiuying_1960@qq.com。", &[(Email, "lixiuying_1960@qq.com")]),
    ("座机010-62345678，找王先生", &[(Landline, "010-62345678")]),
    ("我家电话0512-67891234，白天没人", &[(Landline, "0512-67891234")]),
    ("电话（021）54321098也可以", &[(Landline, "（021）54321098")]),
    ("我的QQ是 123456789，加我发照片", &[(ImId, "123456789")]),
    ("QQ号：2876543210", &[(ImId, "2876543210")]),
    ("微信号：zhangwei_1988，备注投诉", &[(ImId, "zhangwei_1988")]),
    ("加我微信 wxid_abc123 发票据", &[(ImId, "wxid_abc123")]),
    ("车牌号苏E·12345的车把我的车刮了", &[(Plate, "苏E·12345")]),
    ("那辆京A88888停在店门口", &[(Plate, "京A88888")]),
    ("新能源车粤B D12345充电被多收费", &[(Plate, "粤B D12345")]),
    ("新能源车沪AD12345充电被多收费", &[(Plate, "沪AD12345")]),
    ("我住在杭州市西湖区文三路259号", &[(Address, "杭州市西湖区文三路259号")]),
    ("家住阳光花园小区5栋2单元301室，楼下就是那家超市", &[(Address, "阳光花园小区5栋2单元301室")]),
    ("送货地址是朝阳区建国路88号SOHO现代城", &[(Address, "朝阳区建国路88号")]),
    ("收货地址：南京市鼓楼区中山北路100号2号楼1502", &[(Address, "南京市鼓楼区中山北路100号2号楼1502")]),
    ("我是王建国，家在幸福里胡同12号", &[(Name, "王建国"), (Address, "幸福里胡同12号")]),
    ("联系人：赵敏 电话：13700001234", &[(Name, "赵敏"), (Mobile, "13700001234")]),
    ("姓名：欧阳娜娜", &[(Name, "欧阳娜娜")]),
    ("本人刘德明，要求退还预付卡余额3000元", &[(Name, "刘德明")]),
    ("店里的陈建华先生答应三天内退款", &[(Name, "陈建华")]),
    ("前台的李阿姨说老板跑路了", &[]),
    ("我找了王先生好几次都没用", &[]),
    ("维修的孙师傅把配件换成了旧的", &[]),
    ("孙建国师傅上门时说要另收200元", &[(Name, "孙建国")]),
    ("周末去超市买的牛奶过期了", &[]),
    ("苏州姑苏示例餐饮有限公司的外卖里吃出了头发", &[]),
    ("被投诉企业：张记餐饮管理有限公司，统一社会信用代码91110000600037341L", &[]),
    ("王老五烧烤店卫生太差", &[]),
    ("订单号202611270001234567至今没发货", &[]),
    ("快递单号 SF1234567890123 显示已签收但我没收到", &[]),
    ("受理编号2611-K7M3-9QXD-HF，请问进度", &[]),
    ("我在人民路88号的健身房办了5000元的卡", &[(Address, "人民路88号")]),
    ("金额共计12800元，2026年3月15日购买", &[]),
    ("价格写的是99元，结账收了199元", &[]),
    ("客服热线400-123-4567打不通", &[]),
    ("拨打12315投诉", &[]),
    ("这款手机售价2999元，屏幕5.5寸", &[]),
    ("我母亲叫李秀兰，今年78岁", &[(Name, "李秀兰")]),
    (
        "我的银行卡6228480402564890018，请退款。手机号18600001234。",
        &[(BankCard, "6228480402564890018"), (Mobile, "18600001234")],
    ),
    ("申请人：周杰，身份证号码320508199003151234", &[(Name, "周杰")]),
    ("举报人张小明，电话 0755 2345 6789", &[(Name, "张小明"), (Landline, "0755 2345 6789")]),
    ("他们家的营业执照上写的是赵四，但实际老板姓钱", &[(Name, "赵四")]),
];

#[test]
fn corpus_sentences() {
    let mut failures = Vec::new();
    for (sentence, want) in CORPUS {
        let got: Vec<(PiiKind, String)> = detector().detect(sentence).into_iter().map(|s| (s.kind, s.text)).collect();
        let want: Vec<(PiiKind, String)> = want.iter().map(|(k, t)| (*k, t.to_string())).collect();
        if got != want {
            failures.push(format!("{sentence}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} sentences:\n{}", failures.len(), CORPUS.len(), failures.join("\n"));
}

#[test]
fn masking_keeps_text_readable() {
    let d = detector();
    assert_eq!(d.mask("我叫张伟，手机13912345678。"), "我叫张*，手机139****5678。");
    assert_eq!(d.mask("电话：138 1234 5678"), "电话：138****5678");
    assert_eq!(d.mask("身份证11010519491231002X"), "身份证110*************2X");
    assert_eq!(d.mask("卡号6222021234567890128"), "卡号***************0128");
    assert_eq!(d.mask("住在杭州市西湖区文三路259号，邮箱zhang@example.com"), "住在[地址]，邮箱z***@example.com");
    assert_eq!(d.mask("车牌苏E·12345"), "车牌苏E*****");
    let untouched = "被投诉企业：张记餐饮管理有限公司，统一社会信用代码91110000600037341L";
    assert_eq!(d.mask(untouched), untouched);
}

#[test]
fn spans_are_character_offsets() {
    let text = "张伟的手机：13912345678";
    let spans = detector().detect(text);
    let mobile = spans.iter().find(|s| s.kind == Mobile).unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[mobile.start..mobile.end].iter().collect::<String>(), mobile.text);
    assert_eq!(mobile.start, 6);
}

/// A small deterministic generator (xorshift), enough for property tests without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const AREAS: [&str; 6] = ["110105", "320508", "440305", "360426", "510107", "650102"];
const FRAMES: [(&str, &str); 6] = [
    ("我的号码是", "，请联系。"),
    ("联系方式：", ""),
    ("", "是我本人的"),
    ("退款请联系 ", " 谢谢"),
    ("证件号码", "，地址不详"),
    ("（", "）"),
];

fn valid_id(rng: &mut Rng) -> String {
    let area = AREAS[rng.below(6) as usize];
    let year = 1930 + rng.below(80);
    let month = 1 + rng.below(12);
    let day = 1 + rng.below(28);
    let seq = rng.below(1000);
    let first17 = format!("{area}{year}{month:02}{day:02}{seq:03}");
    let check = crate::ids::id_check_char(first17.as_bytes()) as char;
    format!("{first17}{check}")
}

#[test]
fn any_checksum_valid_id_number_is_found() {
    let mut rng = Rng(0x5eed_1234);
    for _ in 0..500 {
        let id = valid_id(&mut rng);
        let (before, after) = FRAMES[rng.below(6) as usize];
        let text = format!("{before}{id}{after}");
        let spans = detector().detect(&text);
        assert!(spans.iter().any(|s| s.kind == IdCard && s.text == id), "{text}: {spans:?}");
    }
}

#[test]
fn any_mobile_number_is_found_however_written() {
    let mut rng = Rng(0xfeed_beef);
    for _ in 0..500 {
        let second = [3, 4, 5, 6, 7, 8, 9][rng.below(7) as usize];
        let rest = rng.below(1_000_000_000);
        let digits = format!("1{second}{rest:09}");
        let written = match rng.below(4) {
            0 => digits.clone(),
            1 => format!("{} {} {}", &digits[..3], &digits[3..7], &digits[7..]),
            2 => format!("{}-{}-{}", &digits[..3], &digits[3..7], &digits[7..]),
            _ => format!("+86 {digits}"),
        };
        let (before, after) = FRAMES[rng.below(6) as usize];
        let text = format!("{before}{written}{after}");
        let spans = detector().detect(&text);
        assert!(spans.iter().any(|s| s.kind == Mobile && s.text == written), "{text}: {spans:?}");
    }
}

#[test]
fn any_valid_credit_code_is_kept() {
    const SYMBOLS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut rng = Rng(0x0c0d_e5e5);
    for _ in 0..500 {
        let mut first17 = String::from(["91", "92", "93", "12", "52"][rng.below(5) as usize]);
        first17.push_str(AREAS[rng.below(6) as usize]);
        for _ in 0..9 {
            first17.push(SYMBOLS[rng.below(31) as usize] as char);
        }
        let code = crate::ids::Uscc::with_check_char(&first17).unwrap();
        let text = format!("被投诉企业统一社会信用代码：{code}，请核查。");
        let spans = detector().detect(&text);
        assert!(spans.iter().all(|s| !s.text.contains(code.as_str())), "{text}: {spans:?}");
    }
}
