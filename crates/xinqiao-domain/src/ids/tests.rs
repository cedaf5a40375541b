//! Tests of the validated identifiers (统一社会信用代码, 身份证号, region codes, mobiles, user names).

use super::*;

#[test]
fn uscc_accepts_known_valid_code() {
    let c = Uscc::parse(" 91110000600037341l ").unwrap();
    assert_eq!(c.as_str(), "91110000600037341L");
}

#[test]
fn uscc_rejects_wrong_check_char_and_forbidden_letters() {
    assert_eq!(Uscc::parse("91110000600037341M").unwrap_err().code, "bad_check_char");
    assert_eq!(Uscc::parse("9111000060003734IL").unwrap_err().code, "bad_char");
    assert_eq!(Uscc::parse("9111").unwrap_err().code, "bad_length");
}

#[test]
fn uscc_structure_is_checked_not_only_the_check_char() {
    // Each of these has a correct check character; the structure is wrong.
    for (first17, code) in [
        ("01110000600037341", "bad_authority"),
        ("B1110000600037341", "bad_authority"),
        ("9A110000600037341", "bad_entity_type"),
        ("91990000600037341", "bad_region"),
        ("9111A000600037341", "bad_region"),
        ("91329900600037341", "bad_region"),
        ("91320000600037341", "ok"),
        ("91320594600037341", "ok"),
    ] {
        let with_check = Uscc::with_check_char(first17).unwrap();
        let got = Uscc::parse(with_check.as_str()).map_or_else(|e| e.code, |_| "ok");
        assert_eq!(got, code, "{first17}");
    }
    // Any of the 31 symbols may stand in positions 9–17, and N/Y/A authorities are real.
    for first17 in ["Y1320508MA1XQ0001", "N2320508YYYYYYYYY", "A1100000000000000", "53100000500021676"] {
        let c = Uscc::with_check_char(first17).unwrap();
        assert!(Uscc::parse(c.as_str()).is_ok(), "{c}");
        assert!(valid_uscc(c.as_str().as_bytes()));
    }
}

#[test]
fn typed_separators_and_full_width_are_normalised() {
    for typed in [
        "9111 0000 6000 3734 1L",
        "91110000-600037341L",
        "９１110000600037341L",
        "９１１１００００６０００３７３４１ｌ",
    ] {
        assert_eq!(Uscc::parse(typed).unwrap().as_str(), "91110000600037341L", "{typed}");
    }
    for typed in ["360426 19910101 0071", "360426-19910101-0071", "３６0426199101010071", "360426\u{3000}199101010071"]
    {
        assert_eq!(IdNumber::parse(typed).unwrap().as_str(), "360426199101010071", "{typed}");
    }
    assert_eq!(IdNumber::parse("11010519491231002x").unwrap().as_str(), "11010519491231002X");
    assert!(IdNumber::parse(" 360426199101010071 ").is_ok(), "surrounding spaces are no part of it");
    // Other characters are still refused, with the same message.
    for typed in ["3604261991X1010071", "360426.19910101.0071", "36042619910101007１号"] {
        let e = IdNumber::parse(typed).unwrap_err();
        assert_eq!(e.code, "bad_char", "{typed}");
        assert!(e.message.contains("不允许的字符"));
    }
    assert_eq!(Uscc::parse("91110000/600037341L").unwrap_err().code, "bad_char");
}

#[test]
fn id_birth_dates_from_1800_and_never_after_today() {
    let first17 = |s: &str| format!("{s}{}", id_check_char(s.as_bytes()) as char);
    let old = first17("11010518891231002");
    assert!(IdNumber::parse(&old).is_ok(), "born in the 1880s");
    assert_eq!(IdNumber::parse(&first17("11010517991231002")).unwrap_err().code, "invalid");
    let today = crate::calendar::Date::from_ymd(2026, 12, 6).unwrap();
    let tomorrow = first17("11010520261207002");
    assert!(IdNumber::parse(&tomorrow).is_ok(), "without a date, no future check");
    assert_eq!(IdNumber::parse_on(&tomorrow, today).unwrap_err().code, "future_birth");
    assert!(IdNumber::parse_on(&first17("11010520261206002"), today).is_ok(), "born today");
    assert!(IdNumber::parse_on(&old, today).is_ok());
}

#[test]
fn uscc_check_char_round_trips() {
    let c = Uscc::with_check_char("91110000600037341").unwrap();
    assert_eq!(c.as_str(), "91110000600037341L");
    assert!(Uscc::parse(c.as_str()).is_ok());
}

#[test]
fn region_codes() {
    assert!(RegionCode::parse("320500").is_ok());
    assert_eq!(RegionCode::parse("99x000").unwrap_err().code, "bad_format");
    assert_eq!(RegionCode::parse("990000").unwrap_err().code, "unknown_province");
    let city = RegionCode::parse("320500").unwrap();
    let district = RegionCode::parse("320508").unwrap();
    assert!(district.is_within(&city));
    assert!(!city.is_within(&district));
}

#[test]
fn id_numbers() {
    assert_eq!(IdNumber::parse("11010519491231002x").unwrap().as_str(), "11010519491231002X");
    assert!(IdNumber::parse("360426199101010071").is_ok());
    assert_eq!(IdNumber::parse("360426199101010072").unwrap_err().code, "invalid");
    assert_eq!(IdNumber::parse("360426199102300071").unwrap_err().code, "invalid", "no 30 February");
    assert!(IdNumber::parse("110105491231002").is_ok());
    assert_eq!(IdNumber::parse("12345").unwrap_err().code, "bad_length");
    assert_eq!(format!("{:?}", IdNumber::parse("360426199101010071").unwrap()), "IdNumber(***)");
}

#[test]
fn mobiles_and_industries() {
    for typed in ["13812345678", "138 1234 5678", "+86 138-1234-5678", "008613812345678", "１３８１２３４５６７８"]
    {
        assert_eq!(Mobile::parse(typed).unwrap().as_str(), "13812345678", "{typed}");
    }
    assert!(Mobile::parse("12812345678").is_err());
    assert!(Mobile::parse("1381234567").is_err());
    assert_eq!(Industry::parse("h").unwrap().label(), "住宿和餐饮业");
    assert!(Industry::parse("Z").is_err());
    assert_eq!(Industry::all().count(), 20);
}

#[test]
fn usernames() {
    assert_eq!(Username::parse(" Admin.Li ").unwrap().as_str(), "admin.li");
    assert_eq!(Username::parse("ab").unwrap_err().code, "bad_length");
    assert_eq!(Username::parse("张三丰").unwrap_err().code, "bad_char");
}

#[test]
fn stored_codes_are_read_back_by_their_form_alone() {
    // Accepted before the region list (any county digits under a known province): still readable.
    let old = Uscc::with_check_char("91329900600037341").unwrap();
    assert_eq!(Uscc::parse(old.as_str()).unwrap_err().code, "bad_region");
    assert_eq!(Uscc::stored(old.as_str()).unwrap(), old);
    assert_eq!(Uscc::stored("91110000600037341l").unwrap_err().code, "bad_stored");
    assert_eq!(Uscc::stored("9111").unwrap_err().code, "bad_stored");
}
