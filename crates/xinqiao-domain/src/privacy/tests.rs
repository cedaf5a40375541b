//! The detector against sentences written the way complainants write, and property tests over
//! generated identifiers.

use super::corpus::CORPUS;
use super::*;
use std::sync::OnceLock;

fn detector() -> &'static Detector {
    static D: OnceLock<Detector> = OnceLock::new();
    D.get_or_init(Detector::new)
}

use PiiKind::*;

#[test]
fn corpus_sentences() {
    let mut failures = Vec::new();
    for (sentence, want, _) in CORPUS {
        let got: Vec<(PiiKind, String)> = detector().detect(sentence).into_iter().map(|s| (s.kind, s.text)).collect();
        let want: Vec<(PiiKind, String)> = want.iter().map(|(k, t)| (*k, t.to_string())).collect();
        if got != want {
            failures.push(format!("{sentence}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} sentences:\n{}", failures.len(), CORPUS.len(), failures.join("\n"));
}

#[test]
fn corpus_is_large_and_covers_every_kind() {
    assert!(CORPUS.len() >= 200, "{} sentences", CORPUS.len());
    let negatives = CORPUS.iter().filter(|(_, spans, _)| spans.is_empty()).count();
    assert!(negatives >= 60, "{negatives} sentences without personal data");
    for kind in [Mobile, Landline, IdCard, BankCard, Email, Plate, ImId, Address, Name] {
        let n = CORPUS.iter().flat_map(|(_, spans, _)| spans.iter()).filter(|(k, _)| *k == kind).count();
        assert!(n >= 5, "{kind:?}: {n} spans");
    }
    let mut sentences: Vec<&str> = CORPUS.iter().map(|(s, _, _)| *s).collect();
    sentences.sort_unstable();
    assert!(sentences.windows(2).all(|w| w[0] != w[1]), "a sentence is listed twice");
}

#[test]
fn corpus_masking_hides_every_span_and_keeps_the_rest() {
    let mut failures = Vec::new();
    for (sentence, spans, keep) in CORPUS {
        let masked = detector().mask(sentence);
        for (kind, text) in spans.iter() {
            if masked.contains(text) {
                failures.push(format!("{sentence}\n  {kind:?} {text} survives in {masked}"));
            }
        }
        for text in keep.iter() {
            assert!(sentence.contains(text), "{sentence}: {text} is not in the sentence");
            if !masked.contains(text) {
                failures.push(format!("{sentence}\n  {text} lost in {masked}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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

#[test]
fn any_luhn_valid_bank_card_is_found() {
    const BINS: [&str; 6] = ["622202", "621700", "622848", "621483", "625888", "436742"];
    let mut rng = Rng(0xca4d_0001);
    for _ in 0..500 {
        let len = [16, 19][rng.below(2) as usize];
        let mut digits = String::from(BINS[rng.below(6) as usize]);
        while digits.len() < len - 1 {
            digits.push(char::from(b'0' + rng.below(10) as u8));
        }
        let check = (b'0'..=b'9').find(|&c| super::numbers::luhn(format!("{digits}{}", c as char).as_bytes()));
        digits.push(check.unwrap() as char);
        let written = if rng.below(2) == 0 {
            digits.clone()
        } else {
            digits.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(" ")
        };
        let text = format!("退款请打到我的银行卡{written}，谢谢。");
        let spans = detector().detect(&text);
        assert!(spans.iter().any(|s| s.kind == BankCard && s.text == written), "{text}: {spans:?}");
    }
}

#[test]
fn every_detector_cuts_with_the_one_loaded_dictionary() {
    // The dictionary is about 37 MB: building detectors (the server, imports, benches) must not
    // load it again, and the search analyzer uses the same instance.
    let (a, b) = (Detector::new(), Detector::new());
    assert!(std::ptr::eq(a.jieba(), b.jieba()));
    assert!(std::ptr::eq(a.jieba(), crate::privacy::shared_jieba()));
}
