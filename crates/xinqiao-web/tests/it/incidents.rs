//! 突发事件 through its one service: scoped to the bureau tree (what lies outside is not found,
//! and cases of a neighbour cannot be linked), changed only by its team or a supervisor, measures
//! on their legal clocks (extension by a supervisor once, testing time only when notified), the
//! promise's countdown, and every view recorded.

use crate::helpers::*;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::cases::CaseKind;
use xinqiao_store::audit::Actor;
use xinqiao_store::cases::NewCaseRow;
use xinqiao_web::error::AppError;
use xinqiao_web::incidents::service::{self, *};

fn case(code: &str, region: &str) -> NewCaseRow {
    NewCaseRow {
        kind: CaseKind::Complaint,
        tracking_code: code.into(),
        access_key_hash: "hash".into(),
        region_code: region.into(),
        industry: Some('H'),
        enterprise_name: "示例奶茶店".into(),
        enterprise_uscc: None,
        narrative_masked: "奶茶里有异物".into(),
        narrative_sealed: "v1.k1.sealed".into(),
        demand_masked: "退款道歉".into(),
        amount_cents: None,
        event_day: None,
        consent_publish: false,
        received_day: test_today().0 - 1,
        rule_set: None,
        settle_until: None,
        category: Some("food".into()),
        subject: None,
        attachments: Vec::new(),
        identity: None,
        privacy: None,
        demand_privacy: None,
    }
}

async fn officer(app: &TestApp, id: &str) -> Officer {
    let user = app.state.store.user(id).await.unwrap();
    Officer::of(&app.state, &user, "127.0.0.1").await.unwrap()
}

fn field_code(e: AppError) -> String {
    match e {
        AppError::Validation(f) => f[0].code.to_owned(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn an_incident_is_run_within_the_bureau_tree_on_its_clocks() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (st, s) = (&app.state, &app.state.store);
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let other = officer(&app, &app.member("other.gusu", &b.gusu, Role::Officer).await).await;
    let boss = officer(&app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    let city = officer(&app, &app.member("boss.city", &b.city, Role::Supervisor).await).await;
    let neighbour = officer(&app, &app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await).await;
    let enterprise = app.user("shop", &[Role::Enterprise]).await;
    assert!(matches!(Officer::of(st, &enterprise, "x").await, Err(AppError::Forbidden(_))));
    s.intake(&Actor::console(), &[case("G0000001", "320508"), case("W0000001", "320506")]).await.unwrap();

    // A team member from the neighbouring district is refused; the owner defaults to the creator.
    let input = |team: Vec<String>| NewIncidentInput {
        title: "奶茶异物".into(),
        enterprise_name: "示例奶茶店".into(),
        team,
        ..Default::default()
    };
    let refused = service::create(st, &owner, input(vec![neighbour.user.id.clone()])).await.unwrap_err();
    assert_eq!(field_code(refused), "out_of_scope");
    let bad = NewIncidentInput { title: " ".into(), enterprise_uscc: Some("123".into()), ..input(vec![]) };
    match service::create(st, &owner, bad).await.unwrap_err() {
        AppError::Validation(f) => assert_eq!(f.len(), 2, "every bad field named: {f:?}"),
        other => panic!("{other:?}"),
    }
    let id = service::create(st, &owner, input(vec![])).await.unwrap();

    // Outside the tree the incident does not exist; above it, it does.
    assert!(matches!(service::open(st, &neighbour, &id).await, Err(AppError::NotFound)));
    assert!(service::list(st, &neighbour).await.unwrap().is_empty());
    assert_eq!(service::list(st, &city).await.unwrap().len(), 1);
    let link = |kind: &str, target: &str| LinkInput { kind: kind.into(), target: target.into() };
    assert!(matches!(service::link(st, &neighbour, &id, link("case", "W0000001")).await, Err(AppError::NotFound)));

    // Cases of the tree are linked by tracking code; a neighbour's case is refused as not found.
    service::link(st, &owner, &id, link("case", "G0000001")).await.unwrap();
    assert_eq!(field_code(service::link(st, &owner, &id, link("case", "W0000001")).await.unwrap_err()), "not_found");
    assert!(matches!(service::link(st, &owner, &id, link("case", "G0000001")).await, Err(AppError::Conflict(_))));
    assert_eq!(field_code(service::link(st, &owner, &id, link("rumour", "x")).await.unwrap_err()), "bad_kind");

    // Someone of the bureau who is not on the team may look but not change.
    let product = |gtin: &str| ProductInput { gtin: gtin.into(), batch: "L20261110".into() };
    assert!(matches!(
        service::add_product(st, &other, &id, product("6901234567892")).await,
        Err(AppError::Forbidden(_))
    ));
    assert_eq!(
        field_code(service::add_product(st, &owner, &id, product("6901234567893")).await.unwrap_err()),
        "bad_check_digit"
    );
    service::add_product(st, &owner, &id, product("6901234567892")).await.unwrap();

    // The media excerpt is kept masked.
    let media = MediaInput {
        url: "https://weibo.example/post/1".into(),
        excerpt: "网友张伟爆料：示例奶茶店的奶茶里有塑料片，电话13812345678".into(),
        seen_at: "2026-11-15T21:30".into(),
    };
    service::add_media(st, &owner, &id, media).await.unwrap();

    // Sealing on 11-06: thirty natural days to 12-06; a supervisor extends it once.
    let sealing = service::add_measure(
        st,
        &owner,
        &id,
        MeasureInput {
            clock: "sealing".into(), title: "封存同批次产品".into(), started_on: "2026-11-06".into()
        },
    )
    .await
    .unwrap();
    let day = |on: &str| DayInput { on: on.into() };
    assert!(matches!(service::extend(st, &owner, &id, &sealing, day("2026-11-16")).await, Err(AppError::Forbidden(_))));
    let testing = |notified: Option<&str>| TestingInput {
        from: "2026-11-10".into(),
        until: "2026-11-13".into(),
        notified_on: notified.map(str::to_owned),
    };
    let unnotified = service::add_testing(st, &owner, &id, &sealing, testing(None)).await.unwrap_err();
    assert_eq!(field_code(unnotified), "testing_not_notified");
    service::add_testing(st, &owner, &id, &sealing, testing(Some("2026-11-09"))).await.unwrap();
    service::extend(st, &boss, &id, &sealing, day("2026-11-16")).await.unwrap();
    assert!(matches!(service::extend(st, &boss, &id, &sealing, day("2026-11-16")).await, Err(AppError::Conflict(_))));
    let retest = service::add_measure(
        st,
        &owner,
        &id,
        MeasureInput {
            clock: "retest_request".into(), title: "告知复检权利".into(), started_on: "2026-11-13".into()
        },
    )
    .await
    .unwrap();
    assert_eq!(
        field_code(service::extend(st, &boss, &id, &retest, day("2026-11-16")).await.unwrap_err()),
        "not_extendable"
    );
    assert_eq!(
        field_code(
            service::add_measure(
                st,
                &owner,
                &id,
                MeasureInput { clock: "seizure".into(), title: "x".into(), started_on: "2026-11-13".into() }
            )
            .await
            .unwrap_err()
        ),
        "bad_clock"
    );

    let promise = PromiseInput { text: "三天内给结果".into(), unit: "days".into(), amount: 3 };
    service::add_promise(st, &owner, &id, promise).await.unwrap();

    let view = service::open(st, &boss, &id).await.unwrap();
    let seal = view.measures.iter().find(|m| m.id == sealing).unwrap();
    // 12-06 + 30 (extension) + 4 testing days = 2027-01-09.
    assert_eq!(seal.due.as_ref().unwrap().date, "2027-01-09");
    assert!(seal.extended && !seal.extendable && !seal.verified);
    assert!(seal.basis.contains("行政强制法"));
    assert_eq!(seal.state, "剩余 54 天（38 个工作日）");
    let re = view.measures.iter().find(|m| m.id == retest).unwrap();
    // Result received Friday 11-13: seven working days to Tuesday 11-24.
    assert_eq!(re.due.as_ref().unwrap().date, "2026-11-24");
    let p = &view.promises[0];
    assert_eq!(p.due_at_ms, test_today().next().next().next().next().start_ms(), "until the end of 11-19");
    assert!(p.countdown.starts_with("剩余 3 天 1"), "{}", p.countdown);
    assert!(!view.promises[0].warning);
    let links: Vec<(&str, &str)> = view.links.iter().map(|l| (l.kind.as_str(), l.id.as_str())).collect();
    assert_eq!(links, vec![("case", s.case_by_tracking_code("G0000001").await.unwrap().id.as_str())]);
    let products: Vec<(&str, &str)> = view.products.iter().map(|p| (p.gtin.as_str(), p.batch.as_str())).collect();
    assert_eq!(products, vec![("06901234567892", "L20261110")]);
    assert!(!view.media[0].excerpt.contains("张伟") && !view.media[0].excerpt.contains("13812345678"));
    assert!(view.media[0].excerpt.contains("示例奶茶店"), "the enterprise is not masked");

    // Three days later the promise warns; every view is on record.
    st.clock().advance(3 * 86_400_000);
    let view = service::open(st, &owner, &id).await.unwrap();
    assert!(view.promises[0].warning, "{}", view.promises[0].countdown);
    assert!(view.promises[0].countdown.starts_with("即将到期：剩余 1"), "{}", view.promises[0].countdown);
    let who: Vec<&str> = view.viewers.iter().map(|v| v.username.as_str()).collect();
    assert_eq!(who, ["boss.gusu", "officer.gusu"]);
}

#[tokio::test]
async fn the_team_is_changed_by_its_owner_or_a_supervisor_within_the_tree_and_audited() {
    let app = TestApp::start().await;
    let b = app.bureau().await;
    let (st, s) = (&app.state, &app.state.store);
    let owner = officer(&app, &app.member("officer.gusu", &b.gusu, Role::Officer).await).await;
    let member = officer(&app, &app.member("member.gusu", &b.gusu, Role::Officer).await).await;
    let newcomer = officer(&app, &app.member("new.gusu", &b.gusu, Role::Officer).await).await;
    let boss = officer(&app, &app.member("boss.gusu", &b.gusu, Role::Supervisor).await).await;
    let neighbour = officer(&app, &app.member("officer.wuzhong", &b.wuzhong, Role::Officer).await).await;
    let shop = app.user("shop", &[Role::Enterprise]).await;
    let input = NewIncidentInput {
        title: "奶茶异物".into(),
        enterprise_name: "示例奶茶店".into(),
        team: vec![member.user.id.clone()],
        ..Default::default()
    };
    let id = service::create(st, &owner, input).await.unwrap();
    let team = |owner: &Officer, members: &[&Officer]| TeamInput {
        owner_id: owner.user.id.clone(),
        team: members.iter().map(|m| m.user.id.clone()).collect(),
    };

    // A member who is not the owner may not reshape the team; outside the tree it is not found.
    let refused = service::change_team(st, &member, &id, team(&member, &[])).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))), "{refused:?}");
    let refused = service::change_team(st, &neighbour, &id, team(&neighbour, &[])).await;
    assert!(matches!(refused, Err(AppError::NotFound)), "{refused:?}");
    // Nobody outside the tree, no enterprise account and no unknown id joins it.
    for stranger in [neighbour.user.id.clone(), shop.id.clone(), "no-such-user".to_owned()] {
        let input = TeamInput { owner_id: owner.user.id.clone(), team: vec![stranger] };
        assert_eq!(field_code(service::change_team(st, &owner, &id, input).await.unwrap_err()), "out_of_scope");
    }
    let input = TeamInput { owner_id: neighbour.user.id.clone(), team: vec![] };
    assert_eq!(field_code(service::change_team(st, &boss, &id, input).await.unwrap_err()), "out_of_scope");
    assert_eq!(s.incident(&id).await.unwrap().team.len(), 2, "nothing changed by a refusal");

    // The owner swaps a member; then a supervisor hands the incident to the newcomer.
    let change = service::change_team(st, &owner, &id, team(&owner, &[&newcomer])).await.unwrap();
    assert_eq!((change.added, change.removed), (vec![newcomer.user.id.clone()], vec![member.user.id.clone()]));
    assert!(matches!(
        service::add_product(st, &member, &id, ProductInput { gtin: "6901234567892".into(), batch: "L1".into() }).await,
        Err(AppError::Forbidden(_))
    ));
    let change = service::change_team(st, &boss, &id, team(&newcomer, &[])).await.unwrap();
    assert!(change.owner_changed);
    let incident = s.incident(&id).await.unwrap();
    assert_eq!(
        (incident.owner_id.as_str(), incident.team.clone()),
        (newcomer.user.id.as_str(), vec![newcomer.user.id.clone()])
    );
    let refused = service::change_team(st, &owner, &id, team(&owner, &[])).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))), "the former owner no longer may");

    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT actor_id, detail FROM audit_log WHERE action = 'incident.team' ORDER BY seq")
            .fetch_all(s.pool())
            .await
            .unwrap();
    assert_eq!(rows.len(), 2, "each change audited once, refusals not: {rows:?}");
    assert_eq!(rows[1].0, boss.user.id);
    assert!(rows[1].1.contains(&newcomer.user.id) && rows[1].1.contains("previous_owner"), "{}", rows[1].1);
}
