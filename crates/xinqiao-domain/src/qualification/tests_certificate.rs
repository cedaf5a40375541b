//! Tests of certificates: numbers, validity, reviews, suspension and the roster status.

use super::certificate::*;
use crate::calendar::Date;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

fn cert(issued: &str) -> Certificate {
    Certificate::issue("KHTYG-330100-2026-00017", "c-001", d(issued), DEFAULT_VALIDITY_YEARS).unwrap()
}

#[test]
fn numbers_format_and_parse_back() {
    let n = certificate_number("330100", 2026, 17).unwrap();
    assert_eq!(n, "KHTYG-330100-2026-00017");
    assert_eq!(parse_certificate_number(&n), Some(("330100".to_owned(), 2026, 17)));
    assert_eq!(certificate_number("330100", 2026, 99_999).unwrap(), "KHTYG-330100-2026-99999");
    assert_eq!(certificate_number("3301", 2026, 1).unwrap_err().code, "bad_region");
    assert_eq!(certificate_number("33010A", 2026, 1).unwrap_err().code, "bad_region");
    assert_eq!(certificate_number("330100", 1999, 1).unwrap_err().code, "bad_year");
    assert_eq!(certificate_number("330100", 2026, 0).unwrap_err().code, "bad_seq");
    assert_eq!(certificate_number("330100", 2026, 100_000).unwrap_err().code, "bad_seq");
    for bad in [
        "KHTYG-330100-2026-17",
        "khtyg-330100-2026-00017",
        "KHTYG-330100-2026-00017-1",
        "KHTYG-33010０-2026-00017",
        "KHTYG-330100-2026-00000",
        "KHTYG-330100-2026",
        "",
    ] {
        assert_eq!(parse_certificate_number(bad), None, "{bad}");
    }
}

#[test]
fn validity_defaults_to_two_years_and_is_configurable() {
    let c = cert("2026-03-01");
    assert_eq!(c.valid_until, d("2028-02-29"), "the day before 2028-03-01, a leap year");
    assert_eq!(cert("2024-02-29").valid_until, d("2026-02-28"));
    let three = Certificate::issue("KHTYG-330100-2026-00018", "c-002", d("2026-07-15"), 3).unwrap();
    assert_eq!(three.valid_until, d("2029-07-14"));
    assert_eq!(
        Certificate::issue("KHTYG-330100-2026-00018", "c-002", d("2026-07-15"), 0).unwrap_err().code,
        "bad_validity"
    );
    assert_eq!(Certificate::issue("No.17", "c-002", d("2026-07-15"), 2).unwrap_err().code, "bad_number");
    let json = serde_json::to_value(&c).unwrap();
    assert_eq!(json["issued"], "2026-03-01");
    assert_eq!(json["valid_until"], "2028-02-29");
    assert_eq!(json["last_reviewed"], serde_json::Value::Null);
    assert_eq!(json["state"]["state"], "active");
}

#[test]
fn roster_status_through_the_years() {
    let mut c = cert("2026-03-01");
    let s = |c: &Certificate, day: &str| c.status_on(d(day), 30);
    assert_eq!(s(&c, "2026-02-28"), RosterStatus::Suspended, "not yet in force");
    assert_eq!(s(&c, "2026-03-01"), RosterStatus::OnDuty);
    assert_eq!(c.next_review_due(), d("2027-03-01"));
    assert_eq!(s(&c, "2027-01-29"), RosterStatus::OnDuty, "31 days before the review");
    assert_eq!(s(&c, "2027-01-30"), RosterStatus::ReviewDue, "30 days before the review");
    assert_eq!(s(&c, "2027-04-01"), RosterStatus::ReviewDue, "overdue, certificate still valid");
    c.record_review(d("2027-02-15"));
    assert_eq!(c.next_review_due(), d("2028-02-15"));
    assert_eq!(s(&c, "2027-04-01"), RosterStatus::OnDuty);
    c.record_review(d("2027-12-01"));
    assert_eq!(c.next_review_due(), d("2028-02-29"), "never later than the last valid day");
    assert_eq!(s(&c, "2028-02-29"), RosterStatus::ReviewDue);
    assert_eq!(s(&c, "2028-03-01"), RosterStatus::Suspended, "expired");
    assert_eq!(status_on(d("2026-06-01"), &c, 0), RosterStatus::OnDuty);
}

#[test]
fn a_breach_suspends_at_once_and_revocation_is_final() {
    let mut c = cert("2026-03-01");
    assert_eq!(c.suspend(d("2026-09-01"), "  ").unwrap_err().code, "empty_reason");
    c.suspend(d("2026-09-01"), "经核实，无办案事由查阅投诉人个人信息").unwrap();
    assert_eq!(c.status_on(d("2026-08-31"), 30), RosterStatus::OnDuty);
    assert_eq!(c.status_on(d("2026-09-01"), 30), RosterStatus::Suspended);
    assert!(!c.status_on(d("2026-09-01"), 30).can_take_cases());
    assert!(matches!(&c.state, CertificateState::Suspended { reason, .. } if reason.contains("个人信息")));
    c.reinstate().unwrap();
    assert_eq!(c.status_on(d("2026-09-02"), 30), RosterStatus::OnDuty);
    assert_eq!(c.reinstate().unwrap_err().code, "not_suspended");
    c.revoke(d("2026-10-01"), "确认违规收受礼金").unwrap();
    assert_eq!(c.status_on(d("2026-10-01"), 30), RosterStatus::Revoked);
    assert_eq!(c.suspend(d("2026-10-02"), "再次违规").unwrap_err().code, "revoked");
    assert_eq!(c.reinstate().unwrap_err().code, "not_suspended");
}

#[test]
fn statuses_and_case_routing() {
    let all = [RosterStatus::OnDuty, RosterStatus::ReviewDue, RosterStatus::Suspended, RosterStatus::Revoked];
    let labels: Vec<&str> = all.iter().map(|s| s.label()).collect();
    assert_eq!(labels, ["在岗", "待复审", "暂停", "撤销"]);
    let routable: Vec<bool> = all.iter().map(|s| s.can_take_cases()).collect();
    assert_eq!(routable, [true, true, false, false]);
    assert_eq!(all.iter().map(|s| s.code()).collect::<Vec<_>>(), ["on_duty", "review_due", "suspended", "revoked"]);
}

#[test]
fn lifting_a_suspension_takes_two_supervisors_neither_the_holder() {
    let mut c = cert("2026-01-10");
    assert_eq!(c.reinstatement(None, "boss-a").unwrap_err().code, "not_suspended");
    c.suspend(d("2026-06-01"), "年度复审确认违规：向企业透露检查计划").unwrap();
    assert_eq!(c.reinstatement(None, "c-001").unwrap_err().code, "own_certificate", "the holder never lifts it");
    assert_eq!(c.reinstatement(None, "boss-a").unwrap(), Reinstatement::Requested);
    assert_eq!(c.reinstatement(Some("boss-a"), "boss-a").unwrap_err().code, "four_eyes");
    assert_eq!(c.reinstatement(Some("boss-a"), "c-001").unwrap_err().code, "own_certificate");
    assert_eq!(c.reinstatement(Some("boss-a"), "boss-b").unwrap(), Reinstatement::Confirmed);
}
