//! Tests of the legal clocks and promises across weekends, holidays, extension and testing time.

use super::*;
use crate::incidents::promise::{PromiseSpan, PromiseState};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn due(kind: ClockKind, start: &str, ext: Option<&str>, testing: &[Testing]) -> Result<Reckoned<Date>, ClockError> {
    Clocks::builtin().rule(kind).due(&Calendar::builtin(), d(start), ext.map(d), testing)
}

fn test(from: &str, until: &str, notified: Option<&str>) -> Testing {
    Testing { from: d(from), until: d(until), notified_on: notified.map(d) }
}

#[test]
fn the_shipped_clocks_are_complete_sourced_and_unverified() {
    let clocks = Clocks::builtin();
    assert_eq!(clocks.rules.len(), ClockKind::ALL.len());
    for r in &clocks.rules {
        assert!(!r.verified, "{} was not read in the official text", r.kind.key());
        assert!(!r.basis.is_empty() && !r.source.is_empty());
        assert_eq!(ClockKind::parse(r.kind.key()), Some(r.kind));
    }
    let sealing = clocks.rule(ClockKind::Sealing);
    assert_eq!(
        (sealing.span, sealing.extendable_by, sealing.excludes_testing),
        (Span::CalendarDays(30), Some(30), true)
    );
    assert!(sealing.basis.contains("行政强制法") && sealing.basis.contains("第二十五条"));
    assert_eq!(clocks.rule(ClockKind::RetestRequest).span, Span::WorkingDays(7));
    assert_eq!(clocks.promise_warn_ms, 24 * 3_600_000);
    assert_eq!(ClockKind::parse("seizure"), None, "an unknown key is refused, never defaulted");
}

#[test]
fn samples_reach_the_lab_across_national_day() {
    // Sampled Tuesday 09-29: 09-30 (1), the break 10-01..07, 10-08 (2), 10-09 (3), Saturday
    // 10-10 is a make-up workday (4), Sunday off, Monday 10-12 (5).
    let r = due(ClockKind::SampleToLab, "2026-09-29", None, &[]).unwrap();
    assert_eq!(r.value, d("2026-10-12"));
    assert_eq!(r.footing, Footing::default());
}

#[test]
fn the_test_report_across_the_spring_festival() {
    // Received Tuesday 02-10: 02-11..14 (4, Saturday 02-14 worked), the break to 02-23,
    // 02-24..28 (9, Saturday 02-28 worked), then 03-02..06 (14), 03-09..13 (19), 03-16 (20).
    assert_eq!(due(ClockKind::TestReport, "2026-02-10", None, &[]).unwrap().value, d("2026-03-16"));
}

#[test]
fn a_retest_request_across_a_weekend() {
    // Result received Friday 12-04: 12-07..11 (5), 12-14 (6), 12-15 (7).
    assert_eq!(due(ClockKind::RetestRequest, "2026-12-04", None, &[]).unwrap().value, d("2026-12-15"));
}

#[test]
fn penalty_publication_into_a_year_without_a_notice_is_provisional() {
    // Decided Monday 2026-12-21: eight working days to 12-31, 2027-01-01 off (元旦, statutory
    // base), then 01-04..08 (13), 01-11..15 (18), 01-18 (19), 01-19 (20).
    let r = due(ClockKind::PenaltyPublish, "2026-12-21", None, &[]).unwrap();
    assert_eq!(r.value, d("2027-01-19"));
    assert_eq!(r.footing.provisional, Some(2027));
    assert!(r.footing.note().unwrap().contains("2027"));
    // Changed on Thursday 04-30: 05-01..05 off, 05-06, 05-07, 05-08.
    assert_eq!(due(ClockKind::PenaltyWithdraw, "2026-04-30", None, &[]).unwrap().value, d("2026-05-08"));
}

#[test]
fn sealing_is_counted_in_natural_days_extended_once_and_without_testing_time() {
    // Decided 09-20: thirty natural days, holidays included.
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", None, &[]).unwrap().value, d("2026-10-20"));
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", Some("2026-10-15"), &[]).unwrap().value, d("2026-11-19"));
    // Ten days of testing (09-25..10-04), notified in writing on 09-24, are not counted.
    let testing = [test("2026-09-25", "2026-10-04", Some("2026-09-24"))];
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", None, &testing).unwrap().value, d("2026-10-30"));
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", Some("2026-10-25"), &testing).unwrap().value, d("2026-11-29"));
    // The extension must be approved while the period still runs.
    assert_eq!(
        due(ClockKind::Sealing, "2026-09-20", Some("2026-10-21"), &[]),
        Err(ClockError::ExtensionTooLate(d("2026-10-20")))
    );
    // Testing time that was not notified in writing is not excluded: refused, not ignored.
    let unnotified = [test("2026-09-25", "2026-10-04", None)];
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", None, &unnotified), Err(ClockError::TestingNotNotified));
    assert_eq!(
        due(ClockKind::Sealing, "2026-09-20", None, &[test("2026-10-21", "2026-10-25", Some("2026-10-21"))]),
        Err(ClockError::TestingAfterExpiry(d("2026-10-20")))
    );
    let overlapping =
        [test("2026-09-25", "2026-10-04", Some("2026-09-24")), test("2026-10-04", "2026-10-06", Some("2026-10-03"))];
    assert_eq!(due(ClockKind::Sealing, "2026-09-20", None, &overlapping), Err(ClockError::TestingOverlap));
    assert_eq!(
        due(ClockKind::Sealing, "2026-09-20", None, &[test("2026-10-04", "2026-10-01", Some("2026-09-24"))]),
        Err(ClockError::TestingBadRange)
    );
}

#[test]
fn working_day_clocks_have_no_extension_nor_testing_exclusion() {
    assert_eq!(due(ClockKind::RetestRequest, "2026-12-04", Some("2026-12-05"), &[]), Err(ClockError::NotExtendable));
    let testing = [test("2026-12-07", "2026-12-08", Some("2026-12-07"))];
    assert_eq!(due(ClockKind::TestReport, "2026-12-04", None, &testing), Err(ClockError::TestingNotExcluded));
}

#[test]
fn clock_states_count_natural_and_working_days_left() {
    let cal = Calendar::builtin();
    let last = d("2026-12-15");
    assert_eq!(
        ClockState::of(&cal, last, d("2026-12-11"), None),
        ClockState::Running { days_left: 4, working_days_left: 2 }
    );
    assert_eq!(ClockState::of(&cal, last, last, None).describe(), "今日届满");
    assert_eq!(ClockState::of(&cal, last, d("2026-12-17"), None), ClockState::Overdue { days_late: 2 });
    assert_eq!(ClockState::of(&cal, last, d("2026-12-17"), Some(last)), ClockState::Met { on: last });
    assert_eq!(
        ClockState::of(&cal, last, d("2026-12-20"), Some(d("2026-12-16"))),
        ClockState::Missed { on: d("2026-12-16"), days_late: 1 }
    );
}

#[test]
fn a_promise_counts_down_and_warns_before_it_is_missed() {
    let cal = Calendar::builtin();
    let at = |day: &str, hour: i64| d(day).start_ms() + hour * 3_600_000;
    let made = at("2026-12-04", 10); // Friday 10:00 China time: “三天内给结果”
    let three_days = PromiseSpan::Days(3).due_at(&cal, made).value;
    assert_eq!(three_days, at("2026-12-08", 0), "until the end of Monday 12-07");
    assert_eq!(PromiseSpan::WorkingDays(3).due_at(&cal, made).value, at("2026-12-10", 0), "until the end of 12-09");
    assert_eq!(PromiseSpan::Hours(72).due_at(&cal, made).value, at("2026-12-07", 10));
    let warn = Clocks::builtin().promise_warn_ms;
    let on_track = PromiseState::of(three_days, None, at("2026-12-06", 12), warn);
    assert_eq!(on_track, PromiseState::OnTrack { ms_left: 36 * 3_600_000 });
    assert_eq!(on_track.describe(), "剩余 1 天 12 小时");
    assert!(!on_track.needs_warning());
    let close = PromiseState::of(three_days, None, at("2026-12-07", 1), warn);
    assert_eq!(close, PromiseState::Warning { ms_left: 23 * 3_600_000 });
    assert!(close.needs_warning());
    assert_eq!(close.describe(), "即将到期：剩余 23 小时 0 分钟");
    assert_eq!(
        PromiseState::of(three_days, None, at("2026-12-08", 2), warn),
        PromiseState::Missed { ms_late: 7_200_000 }
    );
    assert_eq!(PromiseState::of(three_days, Some(at("2026-12-07", 9)), at("2026-12-09", 0), warn).describe(), "已兑现");
}

#[test]
fn bad_clock_files_are_refused() {
    let unknown = BUILTIN.replacen("key = \"sealing\"", "key = \"seizure\"", 1);
    assert!(matches!(Clocks::from_toml(&unknown), Err(ClockError::BadData(m)) if m.contains("seizure")));
    let testing_on_working_days =
        BUILTIN.replacen("working_days = 5\n", "working_days = 5\nexcludes_testing = true\n", 1);
    assert!(matches!(Clocks::from_toml(&testing_on_working_days), Err(ClockError::BadData(m)) if m.contains("检测")));
    let both = BUILTIN.replacen("working_days = 5\n", "working_days = 5\ncalendar_days = 5\n", 1);
    assert!(Clocks::from_toml(&both).is_err());
    let unsourced = BUILTIN.replacen("source = ", "# source = ", 1);
    assert!(Clocks::from_toml(&unsourced).is_err(), "every clock names its source");
}
