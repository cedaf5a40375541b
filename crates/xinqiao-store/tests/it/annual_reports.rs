//! 年报 help in the store: who should report (active enterprise accounts in a bureau), a filing
//! recorded once per year, reminders given once per enterprise and stage and audited as a count.

use crate::backend_test;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::{RegionCode, Uscc, Username};
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::users::NewUser;

backend_test!(annual_reports_filed_once_reminded_once_per_stage, |db| {
    let s = &db.store;
    let console = Actor::console();
    let org =
        s.create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", None).await.unwrap();
    for (name, code, org_id) in
        [("shop1", "91110000600037341L", Some(org.id.clone())), ("shop2", "91320508MA1XL00010", None)]
    {
        let uscc = Uscc::parse(code).ok().or_else(|| Uscc::with_check_char(&code[..17])).unwrap();
        s.create_user(
            &console,
            NewUser {
                username: Username::parse(name).unwrap(),
                display_name: name.into(),
                password_hash: "x".into(),
                org_id,
                uscc: Some(uscc),
                roles: vec![Role::Enterprise],
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    }
    let who = s.annual_reporters().await.unwrap();
    assert_eq!(who.len(), 1, "only an account in a bureau counts: {who:?}");
    assert_eq!((who[0].uscc.as_str(), who[0].org_id.as_str()), ("91110000600037341L", org.id.as_str()));

    let day = Date::parse("2027-05-31").unwrap();
    let usccs = vec!["91110000600037341L".to_owned()];
    assert_eq!(s.remind_annual(2026, 30, day, &usccs).await.unwrap(), 1);
    assert_eq!(s.remind_annual(2026, 30, day, &usccs).await.unwrap(), 0, "once per stage");
    assert_eq!(s.remind_annual(2026, 7, day, &usccs).await.unwrap(), 1);
    assert_eq!(s.annual_reminders_of(2026, "91110000600037341L").await.unwrap().len(), 2);
    assert_eq!(s.annual_reminder_count(2026).await.unwrap(), [("91110000600037341L".to_owned(), 2)]);

    assert!(s.record_annual_filing(&console, 2026, "91110000600037341L", Some(&org.id), day).await.unwrap());
    assert!(!s.record_annual_filing(&console, 2026, "91110000600037341L", Some(&org.id), day).await.unwrap());
    assert_eq!(s.annual_filings(2026).await.unwrap(), [("91110000600037341L".to_owned(), day)]);
    assert!(s.annual_filings(2025).await.unwrap().is_empty());
    let f = |a: &str| Filter { action: Some(a.into()), limit: 10, ..Default::default() };
    assert_eq!(s.audit_entries(&f("annual_report.remind")).await.unwrap().len(), 2);
    assert_eq!(s.audit_entries(&f("annual_report.filed")).await.unwrap().len(), 1);
});
