//! The insights roll-ups follow the change log and always agree with a recount of the cases;
//! warnings are raised once per window and moved on with an audit entry; campaigns are kept.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::{Action, CaseKind, MediationResult, Status};
use xinqiao_domain::insights::{Cube, Filter};
use xinqiao_store::StoreError;
use xinqiao_store::audit::{Actor, Filter as AuditFilter};
use xinqiao_store::cases::{Finish, Transition};
use xinqiao_store::warnings::{CampaignRow, NewWarning};

/// A small deterministic generator (xorshift), so a failing history can be replayed.
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

/// The cube as the roll-up table holds it.
async fn rolled_up(s: &xinqiao_store::Store) -> Cube {
    let (rows, _) = s.rollups_since(0).await.unwrap();
    let mut cube = Cube::new();
    for (k, m) in rows {
        cube.set(&k, m);
    }
    cube
}

async fn assert_agrees(s: &xinqiao_store::Store, rng: &mut Rng) {
    while s.follow_insights(7).await.unwrap() > 0 {}
    let recount = Cube::from_facts(&s.all_case_facts().await.unwrap());
    let cube = rolled_up(s).await;
    let mut filters = vec![Filter::days(20_700, 20_800)];
    for _ in 0..6 {
        let from = 20_700 + rng.below(100) as i64;
        let mut f = Filter::days(from, from + rng.below(60) as i64);
        f.kind = [None, Some("complaint"), Some("report")][rng.below(3) as usize].map(str::to_owned);
        f.category = [None, Some("prepaid"), Some("quality")][rng.below(3) as usize].map(str::to_owned);
        f.bureau_prefix = [None, Some("320500"), Some("320508")][rng.below(3) as usize].map(str::to_owned);
        filters.push(f);
    }
    for f in &filters {
        assert_eq!(cube.dashboard(f, 5), recount.dashboard(f, 5), "{f:?}");
    }
}

backend_test!(rollups_agree_with_a_recount_over_random_histories, |db| {
    let s = &db.store;
    let a = Actor::console();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ids = Vec::new();
    for i in 0..40 {
        let kind = if rng.below(3) == 0 { CaseKind::Report } else { CaseKind::Complaint };
        let mut r = row(kind, &format!("T{i:05}"), ["320508", "320505", "320506"][rng.below(3) as usize], true);
        r.received_day = 20_700 + rng.below(100) as i64;
        r.category = [None, Some("prepaid"), Some("quality"), Some("price")][rng.below(4) as usize].map(str::to_owned);
        r.enterprise_uscc = None;
        r.enterprise_name = format!("示例企业{}", rng.below(6));
        ids.extend(s.intake(&a, &[r]).await.unwrap());
    }
    assert_agrees(s, &mut rng).await;

    // Cases change: accepted and closed (some late, some mediated), rated, reclassified.
    for _ in 0..60 {
        let id = &ids[rng.below(ids.len() as u64) as usize];
        let case = s.case(id).await.unwrap();
        match (case.status, rng.below(3)) {
            (Status::AwaitingAcceptance, _) => {
                let t = Transition {
                    case_id: id,
                    from: case.status,
                    action: &Action::Accept,
                    note: String::new(),
                    public: true,
                    assign: None,
                    org: None,
                    finish: None,
                };
                s.transition(&a, t).await.unwrap();
            }
            (Status::Accepted, _) => {
                let finish = Finish {
                    on_time: rng.below(4) != 0,
                    mediation: [None, Some(true), Some(false)][rng.below(3) as usize],
                    recovered_cents: Some(rng.below(100_000) as i64),
                };
                // Through the workflow: assigned, mediated, closed.
                let mut from = case.status;
                for action in [Action::Assign, Action::StartMediation, Action::Close(MediationResult::Settled)] {
                    let close = matches!(action, Action::Close(_));
                    let t = Transition {
                        case_id: id,
                        from,
                        action: &action,
                        note: String::new(),
                        public: true,
                        assign: None,
                        org: None,
                        finish: close.then_some(finish),
                    };
                    from = s.transition(&a, t).await.unwrap().status;
                }
            }
            (Status::Closed, 0) => {
                let _ = s.rate_case(&a, id, 1 + rng.below(5) as u8, "").await;
            }
            (_, 1) => {
                let category = ["prepaid", "quality", "contract"][rng.below(3) as usize];
                s.classify_case(&a, id, category, None).await.unwrap();
            }
            _ => {}
        }
        if rng.below(8) == 0 {
            assert_agrees(s, &mut rng).await;
        }
    }
    assert_agrees(s, &mut rng).await;
    let closed = s.all_case_facts().await.unwrap().iter().filter(|f| f.closed).count();
    assert!(closed > 0, "the history closed some cases");

    // Applying a window again (the follower's look-back) changes nothing.
    let before = rolled_up(s).await.dashboard(&Filter::days(20_700, 20_800), 5);
    s.classify_case(&a, &ids[0], "prepaid", None).await.unwrap();
    s.classify_case(&a, &ids[0], "prepaid", None).await.unwrap();
    while s.follow_insights(1).await.unwrap() > 0 {}
    let recount = Cube::from_facts(&s.all_case_facts().await.unwrap());
    assert_eq!(
        rolled_up(s).await.dashboard(&Filter::days(20_700, 20_800), 5),
        recount.dashboard(&Filter::days(20_700, 20_800), 5)
    );
    assert_eq!(before.total.received, recount.dashboard(&Filter::days(20_700, 20_800), 5).total.received);
    // Classifying a case that does not exist changes nothing and says so.
    assert!(matches!(s.classify_case(&a, "no-such-case", "prepaid", None).await, Err(StoreError::NotFound)));
});

backend_test!(confirmed_categories_teach_and_measure_the_suggestions, |db| {
    let s = &db.store;
    let a = Actor::console();
    let mut r = row(CaseKind::Complaint, "C00001", "320508", true);
    r.category = Some("quality".into());
    let id = s.intake(&a, &[r.clone()]).await.unwrap().remove(0);
    r.tracking_code = "C00002".into();
    let other = s.intake(&a, &[r]).await.unwrap().remove(0);
    assert!(s.confirmed_categories(10).await.unwrap().is_empty(), "suggestions are not examples");
    s.classify_case(&a, &id, "prepaid", Some("fitness")).await.unwrap();
    s.classify_case(&a, &other, "quality", None).await.unwrap();
    let examples = s.confirmed_categories(10).await.unwrap();
    assert_eq!(examples.len(), 2);
    assert!(examples.iter().any(|(text, c)| c == "prepaid" && text.contains("健身房")));
    assert_eq!(s.suggestion_agreement().await.unwrap(), (2, 1), "one of two suggestions was confirmed");
    let case = s.case(&id).await.unwrap();
    assert!(case.category_confirmed);
    assert_eq!((case.category.as_deref(), case.subject.as_deref()), (Some("prepaid"), Some("fitness")));
    assert_eq!(case.category_suggested.as_deref(), Some("quality"), "what was suggested is kept");
    let audited =
        s.audit_entries(&AuditFilter { action: Some("case.classify".into()), limit: 10, ..Default::default() }).await;
    assert_eq!(audited.unwrap().len(), 2);
});

fn warning(subject: &str, end: i64) -> NewWarning {
    NewWarning {
        rule: "prepaid_spike".into(),
        subject: format!("{subject}@320508"),
        bureau: "320508".into(),
        label: "苏州姑苏示例健身管理有限公司 · 预付式消费".into(),
        window_end: end,
        observed: 6,
        expected: "0.50".into(),
        p_value: "1.4e-5".into(),
        case_ids: vec!["c1".into(), "c2".into()],
    }
}

backend_test!(warnings_are_raised_once_and_moved_on_with_an_audit_entry, |db| {
    let s = &db.store;
    let boss = Actor::console();
    let id = s.raise_warning(&warning("91320508MA1XXXXX1X", 20_784)).await.unwrap().expect("new");
    assert_eq!(s.raise_warning(&warning("91320508MA1XXXXX1X", 20_784)).await.unwrap(), None, "same window");
    assert_eq!(s.raise_warning(&warning("91320508MA1XXXXX1X", 20_786)).await.unwrap(), None, "still open");
    assert!(s.raise_warning(&warning("other", 20_786)).await.unwrap().is_some(), "another subject");
    let w = s.warning(&id).await.unwrap();
    assert_eq!((w.status.as_str(), w.w.case_ids.len()), ("open", 2));

    s.update_warning(&boss, &id, "open", "acknowledged", None, "").await.unwrap();
    assert!(matches!(
        s.update_warning(&boss, &id, "open", "closed", None, "迟到的操作").await,
        Err(StoreError::Conflict(_))
    ));
    s.update_warning(&boss, &id, "acknowledged", "closed", None, "已约谈企业，门店照常营业").await.unwrap();
    assert_eq!(s.warnings(&["closed"], None, 10).await.unwrap().len(), 1);
    let here = ["320508".to_owned(), "320500".to_owned()];
    assert_eq!(s.warnings(&[], Some(&here), 10).await.unwrap().len(), 2, "the bureau's own");
    assert!(s.warnings(&[], Some(&["320506".to_owned()]), 10).await.unwrap().is_empty(), "never a neighbour's");
    assert!(s.warnings(&[], Some(&[]), 10).await.unwrap().is_empty(), "no bureau, no warnings");
    for action in ["warning.raise", "warning.acknowledge", "warning.close"] {
        let n = s
            .audit_entries(&AuditFilter { action: Some(action.into()), limit: 10, ..Default::default() })
            .await
            .unwrap()
            .len();
        assert!(n >= 1, "{action} is audited");
    }
    // Once closed, a later window may warn again.
    assert!(s.raise_warning(&warning("91320508MA1XXXXX1X", 20_786)).await.unwrap().is_some());

    let c = CampaignRow {
        id: String::new(),
        title: "年报填报指南".into(),
        kind: "guide".into(),
        start_day: 20_700,
        window_days: 30,
        measure: "category_share:annual_report".into(),
        bureau: String::new(),
        note: String::new(),
        created_by: String::new(),
        created_at: 0,
    };
    let cid = s.create_campaign(&boss, &c).await.unwrap();
    let stored = s.campaign(&cid).await.unwrap();
    assert_eq!((stored.title.as_str(), stored.measure.as_str()), ("年报填报指南", "category_share:annual_report"));
    assert_eq!(s.campaigns().await.unwrap().len(), 1);
});
