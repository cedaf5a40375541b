//! Tests of GS1 parsing: the keys and strings used as examples in GS1's documents, error cases,
//! and generated element strings read back in every transmitted form.

use super::*;

fn today() -> Date {
    Date::parse("2026-12-06").unwrap()
}

fn d(s: &str) -> Option<Date> {
    Some(Date::parse(s).unwrap())
}

#[test]
fn check_digits_of_the_general_specifications_examples() {
    // The worked GTIN-13 example of the check digit calculation (7.9.1).
    assert_eq!(check_digit(b"629104150021"), 3);
    // Keys used throughout GS1's examples, in every length.
    for key in ["09501101530003", "09521234543213", "6291041500213", "95012346", "4006381333931", "6901234567892"] {
        assert!(Gtin::parse(key).is_ok(), "{key}");
    }
    assert_eq!(Gtin::parse("6291041500213").unwrap().as_str(), "06291041500213");
    assert_eq!(Gtin::parse("95012346").unwrap().as_str(), "00000095012346");
    assert_eq!(Gtin::parse("6291041500213").unwrap().short(), "6291041500213");
    assert_eq!(Gtin::with_check_digit("690123456789").unwrap().short(), "6901234567892");
    assert!(Gtin::parse("6901234567892").unwrap().is_china());
    assert!(!Gtin::parse("4006381333931").unwrap().is_china());
}

#[test]
fn bad_keys_are_refused_with_the_reason() {
    assert_eq!(Gtin::parse("6291041500214"), Err(Gs1Error::BadCheckDigit { expected: 3, found: 4 }));
    assert_eq!(Gtin::parse("62910415002"), Err(Gs1Error::BadLength(11)));
    assert_eq!(Gtin::parse("69012345678９2"), Err(Gs1Error::NotDigits));
    assert_eq!(Gtin::parse(" "), Err(Gs1Error::Empty));
    let msg = Gtin::parse("6291041500214").unwrap_err().to_string();
    assert!(msg.contains("校验位") && msg.contains('3'), "{msg}");
}

#[test]
fn human_readable_form() {
    let e = ElementString::parse("(01)09501101530003(17)140704(10)AB-123", today()).unwrap();
    assert_eq!(e.gtin.as_str(), "09501101530003");
    assert_eq!(e.expiry, d("2014-07-04"));
    assert_eq!(e.batch.as_deref(), Some("AB-123"));
    assert_eq!(e.production, None);
    // A batch may hold brackets that do not open an AI.
    let e = ElementString::parse("(01)09521234543213(10)A(1)B", today()).unwrap();
    assert_eq!(e.batch.as_deref(), Some("A(1)B"));
}

#[test]
fn transmitted_form_with_group_separators_and_symbology_identifiers() {
    // A GS1 DataMatrix: GTIN, batch ended by GS, expiry with DD = 00, serial last.
    let raw = "010506091751001110628S93R\u{1d}17241000218898847482518646";
    for prefix in ["", "]d2", "]C1", "]Q3", "\u{1d}"] {
        let e = ElementString::parse(&format!("{prefix}{raw}"), today()).unwrap();
        assert_eq!(e.gtin.as_str(), "05060917510011");
        assert_eq!(e.batch.as_deref(), Some("628S93R"));
        assert_eq!(e.expiry, d("2024-10-31"), "DD = 00 is the month's last day");
        assert_eq!(e.serial.as_deref(), Some("8898847482518646"));
    }
    // Fixed-length fields need no separator; the last variable one none either.
    let e = ElementString::parse("]C10109521234543213112601151527063010LOT7", today()).unwrap();
    assert_eq!(e.production, d("2026-01-15"));
    assert_eq!(e.best_before, d("2027-06-30"));
    assert_eq!(e.batch.as_deref(), Some("LOT7"));
    // A bare EAN-13, as typed or as the scanner sends it.
    for s in ["6901234567892", "]E06901234567892"] {
        let e = ElementString::parse(s, today()).unwrap();
        assert_eq!(e, ElementString::new(Gtin::parse("6901234567892").unwrap()));
    }
    assert_eq!(ElementString::parse("(01)06901234567892(30)12", today()).unwrap().count, Some(12));
}

#[test]
fn day_zero_is_the_last_day_of_the_month_leap_years_included() {
    let at = |s: &str| ElementString::parse(&format!("0106901234567892{s}"), today()).unwrap();
    assert_eq!(at("17280200").expiry, d("2028-02-29"));
    assert_eq!(at("17270200").expiry, d("2027-02-28"));
    assert_eq!(at("15261200").best_before, d("2026-12-31"));
    assert_eq!(at("11260400").production, d("2026-04-30"));
}

#[test]
fn century_rule_of_the_general_specifications() {
    let on = |y: i64| Date::from_ymd(y, 6, 1).unwrap();
    // This year 2026: 76 is 50 ahead (this century), 77 is 51 ahead (the previous one).
    assert_eq!(century_year(76, on(2026)), 2076);
    assert_eq!(century_year(77, on(2026)), 1977);
    assert_eq!(century_year(0, on(2026)), 2000);
    // Near the end of a century a small YY is in the next one.
    assert_eq!(century_year(10, on(2060)), 2110);
    assert_eq!(century_year(11, on(2060)), 2011);
    assert_eq!(century_year(98, on(2001)), 1998);
}

#[test]
fn malformed_strings_name_the_fault() {
    let err = |s: &str| ElementString::parse(s, today()).unwrap_err();
    assert_eq!(err("(10)ABC(17)271231"), Gs1Error::MissingGtin("10"));
    // Eight digits alone are a GTIN-8; with a GS1 symbology identifier they are AI 17.
    assert_eq!(err("17271231"), Gs1Error::BadCheckDigit { expected: 3, found: 1 });
    assert_eq!(err("]d217271231"), Gs1Error::MissingGtin("17"));
    assert_eq!(err("0109521234543214"), Gs1Error::BadCheckDigit { expected: 3, found: 4 });
    assert_eq!(err("(01)09521234543213(17)271301"), Gs1Error::BadDate { ai: "17", value: "271301".into() });
    assert_eq!(err("(01)09521234543213(17)270230"), Gs1Error::BadDate { ai: "17", value: "270230".into() });
    assert_eq!(err("(01)09521234543213(17)2712"), Gs1Error::BadDate { ai: "17", value: "2712".into() });
    assert_eq!(err("(01)09521234543213(10)123456789012345678901"), Gs1Error::TooLong { ai: "10", max: 20 });
    assert_eq!(err("(01)09521234543213(10)批号一"), Gs1Error::BadChar("10"));
    assert_eq!(err("(01)09521234543213(10)"), Gs1Error::EmptyField("10"));
    assert_eq!(err("(01)0952123454321"), Gs1Error::Truncated("01"));
    assert_eq!(err("010952123454321399ABC"), Gs1Error::UnknownAi("99".into()));
    assert_eq!(err("0109521234543213(10)A"), Gs1Error::UnknownAi("(1".into()));
    assert_eq!(err("(01)09521234543213(01)09521234543213"), Gs1Error::Repeated("01"));
    assert_eq!(err("]E1123"), Gs1Error::Malformed("不是 GS1 条码的符号标识"));
    assert_eq!(err("01095212345432131"), Gs1Error::Malformed("末尾多出不完整的应用标识符"));
    assert_eq!(err("(01"), Gs1Error::Malformed("应用标识符的括号没有闭合"));
    assert_eq!(err(""), Gs1Error::Empty);
    // Without the separator the batch swallows what follows, and that is too long.
    assert_eq!(err("0109521234543213106288888888888883R17241000"), Gs1Error::TooLong { ai: "10", max: 20 });
    assert!(err("(10)A").to_string().contains("（01）"));
}

/// A small deterministic generator (no dev-dependency): xorshift64*.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn text(&mut self, max: u64) -> String {
        const SET: &[u8] = b"ABCXYZabz0123456789!\"%&'()*+,-./:;<=>?_";
        (0..=self.below(max)).map(|_| SET[self.below(SET.len() as u64) as usize] as char).collect()
    }
    fn date(&mut self, today: Date) -> Date {
        // Within the window the century rule can express: 49 years back to 50 ahead.
        Date(today.0 - 49 * 365 + self.below(99 * 365) as i64)
    }
}

#[test]
fn generated_element_strings_read_back_in_every_form() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let today = today();
    for round in 0..3000 {
        let len = [7, 11, 12, 13][g.below(4) as usize];
        let body: String = (0..len).map(|_| char::from(b'0' + g.below(10) as u8)).collect();
        let mut e = ElementString::new(Gtin::with_check_digit(&body).unwrap());
        if g.below(2) == 0 {
            e.batch = Some(g.text(20));
        }
        if g.below(2) == 0 {
            e.production = Some(g.date(today));
        }
        if g.below(2) == 0 {
            e.best_before = Some(g.date(today));
        }
        if g.below(2) == 0 {
            e.expiry = Some(g.date(today));
        }
        if g.below(3) == 0 {
            e.serial = Some(g.text(20));
        }
        if g.below(4) == 0 {
            e.count = Some(g.below(99_999_999) as u32);
        }
        let raw = e.to_raw();
        for s in [raw.clone(), format!("]d2{raw}"), format!("]C1{raw}"), e.to_hri()] {
            assert_eq!(ElementString::parse(&s, today).as_ref(), Ok(&e), "round {round}: {s:?}");
        }
        // One digit changed in the GTIN is always caught by the check digit.
        let pos = 2 + g.below(13) as usize;
        let mut bytes = raw.into_bytes();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + 1 + g.below(9) as u8) % 10;
        let broken = String::from_utf8(bytes).unwrap();
        assert!(matches!(ElementString::parse(&broken, today), Err(Gs1Error::BadCheckDigit { .. })), "{broken:?}");
    }
}
