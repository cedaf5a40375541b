//! 突发事件 on both backends: an incident read back whole into domain types, typed conflicts for
//! what was already done, every view recorded, and an unknown stored value refused.

use crate::backend_test;
use crate::helpers::{admin_actor, user_with};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::{RegionCode, Uscc};
use xinqiao_domain::incidents::{Batch, ClockKind, Gtin, LinkKind, MediaItem, MediaUrl, Product, Testing};
use xinqiao_store::audit::Actor;
use xinqiao_store::incidents::{IncidentConflict, IncidentError, NewIncident};

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

backend_test!(an_incident_is_kept_whole_with_typed_conflicts, |db| {
    let s = &db.store;
    let org = s.create_org(&Actor::console(), &RegionCode::parse("320508").unwrap(), "姑苏区局", None).await.unwrap();
    let owner = user_with(s, "owner", &[Role::Officer]).await;
    let mate = user_with(s, "mate", &[Role::Officer]).await;
    let boss = user_with(s, "boss", &[Role::Supervisor]).await;
    let actor = admin_actor(&owner);
    let new = NewIncident {
        org_id: org.id.clone(),
        title: "奶茶异物".into(),
        enterprise_name: "示例奶茶店".into(),
        enterprise_uscc: Some(Uscc::parse("91110000600037341L").unwrap()),
        owner_id: owner.id.clone(),
        team: vec![mate.id.clone(), owner.id.clone()],
    };
    let id = s.create_incident(&actor, &new).await.unwrap();
    s.link_incident(&actor, &id, LinkKind::Case, "case-1").await.unwrap();
    s.link_incident(&actor, &id, LinkKind::Warning, "case-1").await.unwrap();
    assert!(matches!(
        s.link_incident(&actor, &id, LinkKind::Case, "case-1").await,
        Err(IncidentError::Conflict(IncidentConflict::AlreadyLinked))
    ));
    let item = MediaItem {
        url: MediaUrl::parse("https://weibo.example/1").unwrap(),
        excerpt: "奶茶里喝出异物".into(),
        seen_at_ms: 1_000,
    };
    s.add_incident_media(&actor, &id, &item).await.unwrap();
    let product = Product { gtin: Gtin::parse("6901234567892").unwrap(), batch: Batch::parse("L2026").unwrap() };
    s.add_incident_product(&actor, &id, &product).await.unwrap();
    assert!(matches!(
        s.add_incident_product(&actor, &id, &product).await,
        Err(IncidentError::Conflict(IncidentConflict::ProductListed))
    ));
    let m = s.add_incident_measure(&actor, &id, ClockKind::Sealing, "封存同批次", d("2026-09-20")).await.unwrap();
    s.extend_incident_measure(&actor, &id, &m, d("2026-10-10"), &boss.id).await.unwrap();
    assert!(matches!(
        s.extend_incident_measure(&actor, &id, &m, d("2026-10-11"), &boss.id).await,
        Err(IncidentError::Conflict(IncidentConflict::AlreadyExtended))
    ));
    let testing = Testing { from: d("2026-09-25"), until: d("2026-10-04"), notified_on: Some(d("2026-09-24")) };
    s.add_incident_testing(&actor, &id, &m, &testing).await.unwrap();
    let p = s.add_incident_promise(&actor, &id, "三天内给结果", 10, 20).await.unwrap();
    s.keep_incident_promise(&actor, &id, &p, 15).await.unwrap();
    assert!(matches!(
        s.keep_incident_promise(&actor, &id, &p, 16).await,
        Err(IncidentError::Conflict(IncidentConflict::PromiseKept))
    ));
    s.complete_incident_measure(&actor, &id, &m, d("2026-11-01")).await.unwrap();
    assert!(matches!(
        s.complete_incident_measure(&actor, &id, &m, d("2026-11-02")).await,
        Err(IncidentError::Conflict(IncidentConflict::MeasureDone))
    ));
    assert!(matches!(
        s.add_incident_testing(&actor, &id, &m, &testing).await,
        Err(IncidentError::Conflict(IncidentConflict::MeasureDone))
    ));
    assert!(matches!(
        s.complete_incident_measure(&actor, &id, "nope", d("2026-11-02")).await,
        Err(IncidentError::NotFound)
    ));

    let got = s.incident(&id).await.unwrap();
    assert_eq!(got.title, "奶茶异物");
    assert_eq!(got.enterprise_uscc.as_ref().map(Uscc::as_str), Some("91110000600037341L"));
    let mut team = vec![owner.id.clone(), mate.id.clone()];
    team.sort();
    assert_eq!(got.team, team, "the owner is on the team once");
    assert_eq!(got.links.len(), 2);
    assert_eq!(got.media, vec![item]);
    assert_eq!(got.products, vec![product]);
    let measure = got.measure(&m).unwrap();
    assert_eq!(measure.clock, ClockKind::Sealing);
    assert_eq!(measure.extension, Some((d("2026-10-10"), boss.id.clone())));
    assert_eq!(measure.testing, vec![testing]);
    assert_eq!(measure.done_on, Some(d("2026-11-01")));
    assert_eq!(got.promises[0].kept_at_ms, Some(15));
    assert!(matches!(s.incident("nope").await, Err(IncidentError::NotFound)));

    // Every view is recorded, repeated views too.
    s.record_incident_view(&actor, &id).await.unwrap();
    s.record_incident_view(&admin_actor(&mate), &id).await.unwrap();
    s.record_incident_view(&actor, &id).await.unwrap();
    let viewers: Vec<String> = s.incident_viewers(&id).await.unwrap().into_iter().map(|v| v.username).collect();
    assert_eq!(viewers.len(), 3);
    assert!(viewers.contains(&"mate".to_owned()));

    let listed = s.incidents_in(Some(std::slice::from_ref(&org.id)), 10).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert!(s.incidents_in(Some(&["elsewhere".to_owned()]), 10).await.unwrap().is_empty());
    assert!(s.incidents_in(Some(&[]), 10).await.unwrap().is_empty());
    assert_eq!(s.incidents_in(None, 10).await.unwrap().len(), 1);

    // A clock Xinqiao does not know is an error, never read as some default.
    sqlx::query("UPDATE incident_measures SET clock = 'seizure' WHERE id = $1")
        .bind(&m)
        .execute(s.pool())
        .await
        .unwrap();
    assert!(matches!(
        s.incident(&id).await,
        Err(IncidentError::BadRow { table: "incident_measures", column: "clock" })
    ));
});

backend_test!(a_retest_laboratory_is_drawn_once_and_read_back_checked, |db| {
    use xinqiao_domain::incidents::RetestPool;
    let s = &db.store;
    let org = s.create_org(&Actor::console(), &RegionCode::parse("320508").unwrap(), "姑苏区局", None).await.unwrap();
    let owner = user_with(s, "owner", &[Role::Officer]).await;
    let actor = admin_actor(&owner);
    let new = NewIncident {
        org_id: org.id.clone(),
        title: "奶粉抽检不合格".into(),
        enterprise_name: "示例乳品厂".into(),
        enterprise_uscc: None,
        owner_id: owner.id.clone(),
        team: vec![],
    };
    let id = s.create_incident(&actor, &new).await.unwrap();
    let sealing = s.add_incident_measure(&actor, &id, ClockKind::Sealing, "封存", d("2026-11-01")).await.unwrap();
    let retest = s.add_incident_measure(&actor, &id, ClockKind::RetestRequest, "复检", d("2026-11-02")).await.unwrap();
    let draw = RetestPool::new("初检所", "甲检测中心\n乙检验所\n初检所").unwrap().draw([9; 32]);
    assert!(matches!(s.draw_retest_lab(&actor, &id, &sealing, &draw).await, Err(IncidentError::NotFound)));
    assert!(matches!(s.draw_retest_lab(&actor, "nope", &retest, &draw).await, Err(IncidentError::NotFound)));
    s.draw_retest_lab(&actor, &id, &retest, &draw).await.unwrap();
    let other = RetestPool::new("初检所", "丙检测公司\n丁检测公司").unwrap().draw([1; 32]);
    assert!(matches!(
        s.draw_retest_lab(&actor, &id, &retest, &other).await,
        Err(IncidentError::Conflict(IncidentConflict::RetestDrawn))
    ));
    let got = s.incident(&id).await.unwrap();
    let lab = got.retest_lab(&retest).unwrap();
    assert_eq!((&lab.draw, lab.drawn_by.as_str()), (&draw, owner.id.as_str()), "the first draw stands");
    assert!(got.retest_lab(&sealing).is_none());

    // A pick that the stored seed and list do not make is refused on reading.
    let wrong = if draw.picked == "甲检测中心" { "乙检验所" } else { "甲检测中心" };
    sqlx::query("UPDATE incident_retest_labs SET picked = $1 WHERE measure_id = $2")
        .bind(wrong)
        .bind(&retest)
        .execute(s.pool())
        .await
        .unwrap();
    assert!(matches!(
        s.incident(&id).await,
        Err(IncidentError::BadRow { table: "incident_retest_labs", column: "picked" })
    ));
});

backend_test!(reminders_are_told_once_and_reviews_feed_the_work_log, |db| {
    use xinqiao_domain::incidents::reminders::{Due, Stage, Subject};
    let s = &db.store;
    let console = Actor::console();
    let city = s.create_org(&console, &RegionCode::parse("320500").unwrap(), "市局", None).await.unwrap();
    let org = s.create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区局", Some(&city.id)).await.unwrap();
    let owner = user_with(s, "owner", &[Role::Officer]).await;
    let boss = user_with(s, "boss", &[Role::Supervisor]).await;
    s.set_org(&console, &owner.id, Some(&org.id)).await.unwrap();
    s.set_org(&console, &boss.id, Some(&city.id)).await.unwrap();
    // No supervisor in the district: the city's is the nearest.
    assert_eq!(s.supervisors_over(&org.id).await.unwrap(), vec![boss.id.clone()]);
    let actor = admin_actor(&owner);
    let new = NewIncident {
        org_id: org.id.clone(),
        title: "奶茶异物".into(),
        enterprise_name: "示例奶茶店".into(),
        enterprise_uscc: None,
        owner_id: owner.id.clone(),
        team: vec![],
    };
    let id = s.create_incident(&actor, &new).await.unwrap();
    let m = s.add_incident_measure(&actor, &id, ClockKind::SampleToLab, "抽样送检", d("2026-09-20")).await.unwrap();
    let p = s.add_incident_promise(&actor, &id, "三天内给结果", 10, 20).await.unwrap();
    assert_eq!(s.incidents_with_open_clocks().await.unwrap(), vec![id.clone()]);
    let due = vec![
        (Due { subject: Subject::Measure, subject_id: m.clone(), stage: Stage::DueSoon }, vec![owner.id.clone()]),
        (Due { subject: Subject::Promise, subject_id: p.clone(), stage: Stage::Missed }, vec![owner.id.clone()]),
    ];
    assert_eq!(s.record_incident_reminders(&id, &due).await.unwrap(), 2);
    assert_eq!(s.record_incident_reminders(&id, &due).await.unwrap(), 0, "each stage once");
    let r = s.incident_reminders_for(&owner.id, 10).await.unwrap();
    assert_eq!(r.len(), 2);
    s.keep_incident_promise(&actor, &id, &p, 30).await.unwrap();
    let r = s.incident_reminders_for(&owner.id, 10).await.unwrap();
    assert_eq!((r.len(), r[0].subject_text.as_str(), r[0].stage), (1, "抽样送检", Stage::DueSoon));

    s.save_incident_review(&actor, &id, "承诺要留余量", "突发事件复盘：奶茶异物", "对外发布通报 0 次").await.unwrap();
    s.save_incident_review(&actor, &id, "承诺要留余量，先登记再核实", "突发事件复盘：奶茶异物", "对外发布通报 0 次")
        .await
        .unwrap();
    assert_eq!(s.incident_review(&id).await.unwrap().unwrap().lessons, "承诺要留余量，先登记再核实");
    assert_eq!(s.work_logs(&owner.id, 10).await.unwrap().len(), 2, "each saving is logged");
});
