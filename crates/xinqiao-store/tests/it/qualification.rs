//! 任职资格 in storage, on both backends: framework versions are never reused; an assessment's
//! test is opened once and handed in once; only panel members score; a decision issues the
//! next certificate number and closes the assessment; one appeal per decision; certificate
//! states decide routing eligibility; the annual review's evidence query runs.

use crate::backend_test;
use crate::helpers::{admin_actor, user_with};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{Framework, RosterStatus};
use xinqiao_store::StoreError;
use xinqiao_store::audit::Actor;
use xinqiao_store::certificates::REQUIRE_CERTIFICATE;
use xinqiao_store::conflict::{Conflict, QualificationConflict};
use xinqiao_store::qualification::{NewAssessment, status};

fn today() -> Date {
    Date::parse(xinqiao_store::testing::TEST_DAY).unwrap()
}

backend_test!(an_assessment_runs_once_through_its_steps, |db| {
    let s = &db.store;
    let console = Actor::console();
    let f = Framework::shipped();
    s.save_framework(&console, &f.version, &f.fingerprint(), &f.to_toml()).await.unwrap();
    let again = s.save_framework(&console, &f.version, "other", "body").await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(s.framework_versions().await.unwrap().len(), 1);

    let candidate = user_with(s, "candidate", &[Role::Officer]).await;
    let members = [
        user_with(s, "judge1", &[Role::Reviewer]).await,
        user_with(s, "judge2", &[Role::Reviewer]).await,
        user_with(s, "judge3", &[Role::Reviewer]).await,
    ];
    let outsider = user_with(s, "outsider", &[Role::Reviewer]).await;
    assert_eq!(s.assessor_pool().await.unwrap().len(), 4);

    let new = NewAssessment {
        candidate_id: candidate.id.clone(),
        framework_version: f.version.clone(),
        framework_fingerprint: f.fingerprint(),
        dossier_sealed: "v1.k.sealed".into(),
        checked_on: today().0,
        gates_passed: true,
        paper_source: Some("source".into()),
        ..Default::default()
    };
    let id = s.create_assessment(&admin_actor(&candidate), new.clone()).await.unwrap();
    let me = admin_actor(&candidate);

    // The clock starts once.
    s.start_test(&me, &id, 1_000).await.unwrap();
    s.start_test(&me, &id, 9_999).await.unwrap();
    let row = s.assessment(&id).await.unwrap().unwrap();
    assert_eq!(row.test_due_at, Some(1_000));
    assert_eq!(row.status, status::IN_PROGRESS);
    s.submit_answers(&me, &id, "{}", serde_json::json!({})).await.unwrap();
    let twice = s.submit_answers(&me, &id, "{}", serde_json::json!({})).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(Conflict::Qualification(QualificationConflict::TestSubmitted)))),
        "{twice:?}"
    );

    // The panel is drawn once; only its members score, and a revision replaces the first scores.
    let ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
    s.set_panel(&console, &id, "{}", &ids).await.unwrap();
    assert!(matches!(s.set_panel(&console, &id, "{}", &ids).await, Err(StoreError::Conflict(_))));
    let refused = s.submit_scores(&admin_actor(&outsider), &id, "{\"x\":3}", "").await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(Conflict::Qualification(QualificationConflict::NotOnPanel)))),
        "{refused:?}"
    );
    for m in &members {
        s.submit_scores(&admin_actor(m), &id, "{\"x\":3}", "").await.unwrap();
    }
    s.submit_scores(&admin_actor(&members[0]), &id, "{\"x\":4}", "修改").await.unwrap();
    let scores = s.panel_scores(&id).await.unwrap();
    assert_eq!(scores.len(), 3);
    assert!(scores.iter().any(|p| p.scores == "{\"x\":4}" && p.note == "修改"));
    assert_eq!(s.assessments(None, Some(&members[1].id)).await.unwrap().len(), 1);
    assert!(s.assessments(None, Some(&outsider.id)).await.unwrap().is_empty());

    // The decision issues the next number under the prefix and closes the assessment.
    let prefix = "KHTYG-320508-2026-";
    let other = user_with(s, "earlier", &[Role::Officer]).await;
    let first = s.register_certificate(&console, prefix, &other.id, today().0, today().0 + 700).await.unwrap();
    assert_eq!(first, "KHTYG-320508-2026-00001");
    let number = s
        .record_decision(&console, &id, "{}", true, today().0, today().0 + 15, Some((prefix, today().0 + 730)))
        .await
        .unwrap();
    assert_eq!(number.as_deref(), Some("KHTYG-320508-2026-00002"));
    let closed = s.set_evidence(&console, &id, "{}").await;
    assert!(
        matches!(closed, Err(StoreError::Conflict(Conflict::Qualification(QualificationConflict::AssessmentClosed)))),
        "{closed:?}"
    );

    // One appeal per decision.
    let appeal = NewAssessment { appeal_of: Some(id.clone()), appeal_reason: Some("理由".into()), ..new.clone() };
    let second = s.create_assessment(&me, appeal.clone()).await.unwrap();
    assert_eq!(s.assessment(&id).await.unwrap().unwrap().status, status::APPEALED);
    assert_eq!(s.assessment(&second).await.unwrap().unwrap().appeal_of.as_deref(), Some(id.as_str()));
    let twice = s.create_assessment(&me, appeal).await;
    assert!(
        matches!(twice, Err(StoreError::Conflict(Conflict::Qualification(QualificationConflict::AlreadyAppealed)))),
        "{twice:?}"
    );
    assert_eq!(s.assessments(Some(&candidate.id), None).await.unwrap().len(), 2);
});

backend_test!(certificate_states_decide_who_is_offered_cases, |db| {
    let s = &db.store;
    let console = Actor::console();
    let officer = user_with(s, "officer", &[Role::Officer]).await;
    let day = today();
    assert!(!s.may_take_cases(&officer.id, day).await.unwrap(), "no certificate, no cases");
    assert_eq!(s.roster_status(&officer.id, day).await.unwrap(), None);

    let number = s.register_certificate(&console, "KHTYG-320500-2026-", &officer.id, day.0, day.0 + 729).await.unwrap();
    assert!(s.may_take_cases(&officer.id, day).await.unwrap());
    assert_eq!(s.roster_status(&officer.id, day).await.unwrap(), Some(RosterStatus::OnDuty));

    let mut row = s.certificate(&number).await.unwrap();
    row.certificate.suspend(day, "经查实泄露投诉人信息").unwrap();
    s.update_certificate(&console, &row.certificate, "certificate.suspend").await.unwrap();
    let stored = s.certificate(&number).await.unwrap();
    assert_eq!(stored.certificate, row.certificate, "state and reason round-trip");
    assert!(!s.may_take_cases(&officer.id, day).await.unwrap(), "a suspended officer is offered nothing");

    // The bureau may switch the requirement off.
    s.put_setting(&console, REQUIRE_CERTIFICATE, &false).await.unwrap();
    assert!(s.may_take_cases(&officer.id, day).await.unwrap());
    s.put_setting(&console, REQUIRE_CERTIFICATE, &true).await.unwrap();

    row.certificate.reinstate().unwrap();
    s.update_certificate(&console, &row.certificate, "certificate.reinstate").await.unwrap();
    assert!(s.may_take_cases(&officer.id, day).await.unwrap());

    // An annual review records the day on the certificate; the evidence query counts work logs.
    s.add_work_log(&admin_actor(&officer), day.0, "帮企业办证", "", "").await.unwrap();
    let evidence = s.officer_evidence(&officer.id, day.start_ms(), day.start_ms() + 86_400_000).await.unwrap();
    assert_eq!(evidence.work_logs, 1);
    assert_eq!(evidence.cases_handled, 0);
    let supervisor = user_with(s, "supervisor", &[Role::Supervisor]).await;
    s.record_review(&admin_actor(&supervisor), &number, 2026, "{}", "称职", day).await.unwrap();
    assert_eq!(s.certificate(&number).await.unwrap().certificate.last_reviewed, Some(day));
    assert_eq!(s.reviews(&officer.id).await.unwrap().len(), 1);
});
