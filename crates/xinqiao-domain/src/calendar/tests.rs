//! The working-day calendar: the shipped notices, the statutory base beyond them, notice checks.

use super::*;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn dates() {
    assert_eq!(d("2026-11-27").to_string(), "2026-11-27");
    assert_eq!(d("2026-11-27").weekday(), 4, "a Friday");
    assert_eq!(Date::parse("2026-02-29"), None);
    assert_eq!(Date::parse("2026-13-01"), None);
    // 2026-11-27 16:30 UTC is already 11-28 in Beijing.
    assert_eq!(Date::of_epoch_ms((20_784 * 86_400 + 16 * 3600 + 1800) * 1000), d("2026-11-28"));
}

#[test]
fn shipped_notices_are_2025_and_2026_and_later_years_are_provisional() {
    let c = Calendar::builtin();
    assert_eq!(c.basis(2026), Basis::Notice);
    assert!(c.notice(2025).unwrap().source.contains("国务院办公厅"));
    assert_eq!(c.last_verified_year(), Some(2026));
    assert_eq!(c.basis(2027), Basis::Statutory);
    // 2027-01-01 (元旦) is off on the statutory base; Monday 01-04 is a working day.
    assert!(!c.is_working_day(d("2027-01-01")));
    assert!(c.is_working_day(d("2027-01-04")));
    let due = c.add_working_days(d("2026-12-28"), 7);
    // 12-29, 30, 31, then 2027: 01-04 … 01-07.
    assert_eq!(due.value, d("2027-01-07"));
    assert_eq!(due.footing.provisional, Some(2027));
    assert_eq!(due.footing.note().unwrap(), "暂按法定节假日计算，2027年调休安排尚未公布");
    let inside = c.add_working_days(d("2026-12-01"), 7);
    assert_eq!(inside.footing, Footing::default(), "a date inside 2026 rests on its notice");
    assert_eq!(inside.footing.note(), None);
}

#[test]
fn every_statutory_day_of_the_shipped_notices_is_off() {
    let c = Calendar::builtin();
    for year in [2025, 2026] {
        let notice = c.notice(year).unwrap();
        assert_eq!(notice.check(c.statutory()), Ok(()));
        for s in c.statutory().days(year) {
            assert!(!c.is_working_day(s.date), "{} {} must be off in {year}", s.date, s.name);
        }
    }
}

#[test]
fn spring_festival_2026_and_its_weekend_workdays() {
    let c = Calendar::builtin();
    assert!(c.is_working_day(d("2026-02-14")), "Saturday 2-14 is a workday (调休)");
    assert!(c.is_working_day(d("2026-02-28")), "Saturday 2-28 is a workday (调休)");
    assert!(!c.is_working_day(d("2026-02-16")), "Monday inside the break");
    assert!(!c.is_working_day(d("2026-02-23")), "last day of the break");
    assert!(c.is_working_day(d("2026-02-24")));
    // Received Thursday 2-12: working days are 2-13 (Fri), 2-14 (Sat, 调休), then 2-24 … 2-28 (Sat, 调休).
    assert_eq!(c.add_working_days(d("2026-02-12"), 7).value, d("2026-02-28"));
    assert_eq!(c.working_days_between(d("2026-02-12"), d("2026-02-28")).value, 7);
    // Received on a holiday: counting starts with the first working day after it.
    assert_eq!(c.add_working_days(d("2026-02-18"), 1).value, d("2026-02-24"));
    assert_eq!(c.add_working_days(d("2026-02-18"), 0).value, d("2026-02-18"));
}

#[test]
fn national_day_2025_and_ordinary_weeks() {
    let c = Calendar::builtin();
    assert!(c.is_working_day(d("2025-09-28")), "Sunday 9-28 is a workday");
    assert!(c.is_working_day(d("2025-10-11")), "Saturday 10-11 is a workday");
    assert!(!c.is_working_day(d("2025-10-08")));
    assert_eq!(c.add_working_days(d("2025-09-30"), 1).value, d("2025-10-09"));
    // An ordinary week: Friday + 7 working days is the Tuesday after next.
    assert_eq!(c.add_working_days(d("2026-11-27"), 7).value, d("2026-12-08"));
}

#[test]
fn the_statutory_base_counts_the_spring_festival_of_a_year_without_notice() {
    let c = Calendar::builtin();
    // 2028: 除夕 01-25 (Tue) to 初三 01-28 (Fri) off; weekends off; no 调休 guessed.
    for day in ["2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-29"] {
        assert!(!c.is_working_day(d(day)), "{day}");
    }
    assert!(c.is_working_day(d("2028-01-24")) && c.is_working_day(d("2028-01-31")));
    let due = c.add_working_days(d("2028-01-21"), 3);
    assert_eq!(due.value, d("2028-02-01"), "01-24, then 01-31 and 02-01");
    assert_eq!(due.footing.provisional, Some(2028));
}

#[test]
fn a_loaded_notice_replaces_the_base() {
    let c = Calendar::builtin();
    let text = "[2027]\nsource = \"国务院办公厅关于2027年部分节假日安排的通知（测试）\"\nverified = true\n\
                off = [\"2027-01-01\", \"2027-02-05\", \"2027-02-06\", \"2027-02-07\", \"2027-02-08\", \"2027-02-09\", \
                \"2027-02-10\", \"2027-02-11\", \"2027-04-05\", \"2027-05-01\", \"2027-05-02\", \"2027-05-03\", \
                \"2027-06-09\", \"2027-09-15\", \"2027-10-01\", \"2027-10-02\", \"2027-10-03\", \"2027-10-04\"]\n\
                work = [\"2027-02-20\"]\n";
    let notices = Notice::parse_file(text).unwrap();
    assert_eq!(notices[0].check(c.statutory()), Ok(()));
    let next = c.with_notices(notices);
    assert_eq!(next.basis(2027), Basis::Notice);
    assert_eq!(next.last_verified_year(), Some(2027));
    assert!(!next.is_working_day(d("2027-02-10")), "a 调休 day off the base did not know");
    assert!(next.is_working_day(d("2027-02-20")), "a Saturday workday");
    assert_eq!(next.add_working_days(d("2026-12-28"), 7).footing, Footing::default());
    // The original calendar is unchanged.
    assert_eq!(c.basis(2027), Basis::Statutory);
    // The notice survives a round trip through its file form.
    let again = Notice::parse_file(&next.notice(2027).unwrap().to_toml()).unwrap();
    assert_eq!(&again[0], next.notice(2027).unwrap());
}

#[test]
fn a_notice_that_does_not_fit_its_year_is_refused_with_every_problem() {
    let statutory = Statutory::builtin();
    let text =
        "[2027]\nsource = \"\"\noff = [\"2027-01-01\", \"2026-12-31\"]\nwork = [\"2027-01-01\", \"2027-02-03\"]\n";
    let n = &Notice::parse_file(text).unwrap()[0];
    let problems = n.check(&statutory).unwrap_err();
    let all = problems.join("\n");
    assert!(all.contains("没有写明来源"), "{all}");
    assert!(all.contains("2026-12-31 不在 2027 年内"), "{all}");
    assert!(all.contains("2027-01-01 同时列为休息日和上班日"), "{all}");
    assert!(all.contains("2027-02-03 是工作日"), "{all}");
    assert!(all.contains("2027-02-05（春节）是法定节假日"), "{all}");
    assert!(all.contains("2027-01-01（元旦）是法定节假日"), "a statutory day listed as a workday: {all}");
    assert!(!n.verified, "verified defaults to false");
    assert!(
        matches!(Notice::parse_file("[2027]\nsource=\"x\"\noff=[\"2027-02-30\"]\nwork=[]"), Err(CalendarError::Invalid(p)) if p[0].contains("2027-02-30"))
    );
    assert!(matches!(Notice::parse_file("[1900]\nsource=\"x\"\noff=[]\nwork=[]"), Err(CalendarError::Invalid(_))));
    assert!(Notice::parse_file("[二〇二七]\nsource=\"x\"\noff=[]\nwork=[]").is_err());
    assert!(matches!(Notice::parse_file(""), Err(CalendarError::BadData(_))));
    assert!(matches!(Notice::parse_file("[2027]\nsource=1"), Err(CalendarError::BadData(_))));
    assert!(Calendar::from_toml("[2026]\nsource=\"x\"\noff=[\"2025-01-01\"]\nwork=[]").is_err());
}

#[test]
fn natural_day_periods_end_on_a_working_day() {
    let c = Calendar::builtin();
    // Saturday 2026-10-03 inside the National Day break (10-01 to 10-07): the next working day
    // is Thursday 10-08.
    let end = c.roll_to_working_day(d("2026-10-03"));
    assert_eq!(end.value, d("2026-10-08"));
    assert_eq!(end.footing, Footing::default());
    assert_eq!(c.roll_to_working_day(d("2026-10-10")).value, d("2026-10-10"), "Saturday 10-10 is a workday");
    let late = c.roll_to_working_day(d("2027-10-02"));
    assert_eq!(late.value, d("2027-10-04"));
    assert_eq!(late.footing.provisional, Some(2027));
}

#[test]
fn footing_of_a_span_names_the_first_year_without_notice() {
    let c = Calendar::builtin();
    assert_eq!(c.footing(d("2026-12-30"), d("2029-01-05")).provisional, Some(2027));
    assert_eq!(c.footing(d("2026-12-30"), d("2026-12-30")), Footing::default());
    assert_eq!(c.footing(d("2026-12-31"), d("2027-01-01")).provisional, Some(2027));
    let unverified = c.with_notices([Notice {
        year: 2027,
        source: "测试".into(),
        verified: false,
        off: Default::default(),
        work: Default::default(),
    }]);
    let f = unverified.footing(d("2026-12-30"), d("2027-01-05"));
    assert_eq!((f.provisional, f.unverified), (None, Some(2027)));
    assert!(f.note().unwrap().contains("尚未与通知原文核对"));
}
