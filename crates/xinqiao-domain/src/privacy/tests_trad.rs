//! Issue 24, tenth pass: traditional characters read as simplified ones, look-alike letters in
//! OCR'd numbers, and identity documents and phones from outside the mainland.

use super::tests_v2::{found, has, untouched};
use super::*;
use PiiKind::*;

fn read(text: &str) -> String {
    normalise(text).into_iter().collect()
}

#[test]
fn traditional_characters_are_read_one_for_one_as_simplified() {
    assert_eq!(read("陳志強，電話號碼，九龍旺角彌敦道688號"), "陈志强,电话号码,九龙旺角弥敦道688号");
    // Hong Kong and Taiwan variants go through the standard form: 綫 → 线, 衞 → 卫, 説 → 说.
    assert_eq!(read("綫衞説"), "线卫说");
    // Characters also written in simplified text stay: 乾隆, 於 as a surname, 著名.
    assert_eq!(read("乾隆年间於先生很著名"), "乾隆年间於先生很著名");
    // Simplified text is unchanged, and the length is always the input's.
    let s = "张伟在北京市朝阳区建国路88号买了手机,电话13812345678。";
    assert_eq!(read(s), s);
    for t in ["黃太喺銅鑼灣", "𠮷野家 ＡＢＣ"] {
        assert_eq!(normalise(t).len(), t.chars().count());
    }
}

#[test]
fn the_map_stays_in_its_block_and_maps_to_other_characters() {
    let table = include_str!("../../data/privacy/trad-simp.tsv");
    let mut n = 0;
    for line in table.lines() {
        let (t, s) = line.split_once('\t').unwrap();
        let (t, s) = (t.chars().next().unwrap(), s.chars().next().unwrap());
        assert!(('\u{3400}'..='\u{9FFF}').contains(&t), "{t}");
        assert_ne!(t, s);
        assert_eq!(super::trad::simplified(t), s);
        n += 1;
    }
    assert!(n > 2_500, "{n}");
}

#[test]
fn names_and_addresses_in_traditional_characters_are_found() {
    has("本人陳志強，香港居民，店員話係足金。", Name, "陳志強");
    has("店主黃先生表示不退不換。", Name, "黃先生");
    has("住址：廣州市天河區體育西路191號中石化大廈B座2樓", Address, "廣州市天河區體育西路191號中石化大廈B座2樓");
}

#[test]
fn look_alike_letters_in_numbers_are_read_as_digits_only_where_an_identifier_results() {
    assert_eq!(read("电话：l3B 0725 946l"), "电话:138 0725 9461");
    assert_eq!(read("联系方式186_7520_3l49"), "联系方式186 7520 3149");
    assert_eq!(read("身份证：42O1O6l97803l54l2X"), "身份证:42010619780315412X");
    assert_eq!(read("人民路l08号2栋3O2室"), "人民路108号2栋302室");
    // Model numbers, member numbers and words stay as written.
    for keep in ["型号B8S-1O的烤箱", "会员卡号VIPOOl286", "Bob说OK", "编号l2315-2O26-ll-O873", "SOS求救"]
    {
        assert_eq!(read(keep), keep.replace('：', ":"), "{keep}");
    }
    has("举报人电话：1S9 2O18 7734，请回电。", Mobile, "1S9 2O18 7734");
    has("卡号6217 OO27 l3Ol 2468 5l3", BankCard, "6217 OO27 l3Ol 2468 5l3");
}

#[test]
fn hong_kong_macau_and_taiwan_identity_cards_are_found_by_their_shape() {
    has("身分證號碼：K385216(4)", IdCard, "K385216(4)");
    has("本人區志明，香港身分證Y649381(2)，想退錢。", IdCard, "Y649381(2)");
    has("澳門居民身份證號碼1389452(6)，在橫琴購買年卡", IdCard, "1389452(6)");
    has("我的台灣身分證字號E121859473，謝謝。", IdCard, "E121859473");
    // A wrong check character changes nothing.
    has("台湾身分证字号E121859474，谢谢。", IdCard, "E121859474");
}

#[test]
fn documents_after_their_cue_are_masked() {
    has("本人台胞證號碼10374856，聯絡電話", IdCard, "10374856");
    has("回鄉證H10492783，手提", IdCard, "H10492783");
    has("旅客港澳通行證C39481562。", IdCard, "C39481562");
    has("护照号码E12345678，电话", IdCard, "E12345678");
    has("passport No. TZ4820517, tel", IdCard, "TZ4820517");
    has("外国人永久居留身份证USA310086101234，电话", IdCard, "USA310086101234");
    // A cue with nothing like a number after it, or a Chinese number, masks nothing.
    untouched("请出示护照原件，谢谢。", "护照原件");
}

#[test]
fn mobiles_of_hong_kong_macau_taiwan_and_other_countries_are_found() {
    has("我電話+852 9163 2874", Mobile, "+852 9163 2874");
    has("澳門電話+853 6628 1590", Mobile, "+853 6628 1590");
    has("台灣電話+886 912 735 408", Mobile, "+886 912 735 408");
    has("手机+49 1523 8841 076，在上海", Mobile, "+49 1523 8841 076");
    has("聯絡電話0932-587-164，電郵", Mobile, "0932-587-164");
    has("本人台灣手機0918 223 457。", Mobile, "0918 223 457");
    has("我叫黃太，喺度等，電話9417 5382。", Mobile, "9417 5382");
    has("聯絡電話：（香港）5128-7396、（內地）135 3762 0184", Mobile, "5128-7396");
    // Eight digits with no cue, or in a mainland text, are no Hong Kong mobile.
    let kinds: Vec<PiiKind> = found("订单金额95123456元，请核对。").into_iter().map(|f| f.0).collect();
    assert!(!kinds.contains(&Mobile), "{kinds:?}");
    let kinds: Vec<PiiKind> = found("北京的座机电话6512 3456找前台。").into_iter().map(|f| f.0).collect();
    assert!(!kinds.contains(&Mobile), "{kinds:?}");
}

#[test]
fn look_alikes_among_spaced_digits_brackets_and_chinese_numerals_are_read_too() {
    assert_eq!(read("电话(O27)B76O 3l42"), "电话(027)8760 3142");
    assert_eq!(read("电话 1 3 9 7 1 O 2 8\n5 6 4"), "电话 1 3 9 7 1 0 2 8\n5 6 4");
    assert_eq!(read("电话 一三五七二八六四O九一"), "电话 一三五七二八六四0九一");
    assert_eq!(read("北门大街2l号"), "北门大街21号");
    // The next field's number after two spaces is not part of the mobile.
    assert_eq!(read("联系电话:l3l2 7O4 6855  3、被投诉人"), "联系电话:1312 704 6855  3、被投诉人");
    // A number that reads as nothing stays: l2 课时, 第一O.
    assert_eq!(read("已上 l2 课时"), "已上 l2 课时");
    // Basements and car-service shops stay: B1层, B12号, 4S店.
    for keep in ["商场B1层", "负一楼B12号商铺", "4S店"] {
        assert_eq!(read(keep), keep);
    }
}

#[test]
fn every_document_cue_begins_with_a_character_the_scanner_stops_at() {
    for cue in super::foreign_ids::CUES {
        assert!(super::foreign_ids::cue_first(cue.chars().next().unwrap()), "{cue}");
    }
}
