//! Open311 in the store: keys issued, found by hash, revoked once (typed refusals); a request's
//! location written in the intake's transaction; only consented cases of the bureaus asked for
//! are listed, by filter; a stored value the domain does not know is an error, not a default.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::{CaseKind, Status, TrackingCode};
use xinqiao_domain::ids::RegionCode;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::cases::Submission;
use xinqiao_store::open311::{KeyError, Origin, RequestFilter, StoredLocation};

fn code(n: u8) -> TrackingCode {
    TrackingCode::generate(2026, 11, [n, 7, 7, 7, 7, 7, 7, 7])
}

backend_test!(open311_keys_and_consented_requests, |db| {
    let s = &db.store;
    let console = Actor::console();
    let org =
        s.create_org(&console, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", None).await.unwrap();
    let other =
        s.create_org(&console, &RegionCode::parse("320506").unwrap(), "吴中区市场监督管理局", None).await.unwrap();

    // Keys.
    assert!(matches!(s.issue_open311_key(&console, "nope", "x", "h0", "p").await, Err(KeyError::NoSuchBureau)));
    let key = s.issue_open311_key(&console, &org.id, "随手拍", "hash-1", "o311_AB").await.unwrap();
    assert_eq!(s.active_open311_key("hash-1").await.unwrap().map(|k| k.id), Some(key.id.clone()));
    assert_eq!(s.active_open311_key("hash-2").await.unwrap(), None);

    // A request with its location, consented; one not consented; one consented in another bureau.
    let mut consented = row(CaseKind::Report, code(1).as_str(), "320508", false);
    consented.narrative_masked = "超市卖过期牛奶，电话138****5678。".into();
    let mut private = row(CaseKind::Report, code(2).as_str(), "320508", false);
    private.consent_publish = false;
    let elsewhere = row(CaseKind::Suggestion, code(3).as_str(), "320506", false);
    let origin = Origin {
        key_id: key.id.clone(),
        location: StoredLocation::Point { lat: "31.3036".into(), long: "120.6199".into() },
    };
    let public = Actor::anonymous("", "203.0.113.9");
    let sub = |cases, open311| Submission { actor: public.clone(), cases, open311 };
    s.intake_many(&[sub(vec![consented], Some(origin.clone())), sub(vec![private], None), sub(vec![elsewhere], None)])
        .await
        .unwrap();

    let window = |statuses: Vec<Status>| RequestFilter::Window {
        kinds: vec![],
        statuses,
        from_ms: 0,
        to_ms: i64::MAX,
        limit: 1000,
    };
    let listed = s.open311_requests(std::slice::from_ref(&org.id), &window(vec![])).await.unwrap();
    assert_eq!(listed.len(), 1, "only the consented case of this bureau");
    assert_eq!(listed[0].tracking_code, code(1));
    assert_eq!(listed[0].location, Some(origin.location.clone()));
    assert_eq!(listed[0].status, Status::AwaitingVerification);
    assert!(s.open311_requests(std::slice::from_ref(&org.id), &window(vec![Status::Closed])).await.unwrap().is_empty());
    let kinds = RequestFilter::Window {
        kinds: vec![CaseKind::Complaint],
        statuses: vec![],
        from_ms: 0,
        to_ms: i64::MAX,
        limit: 10,
    };
    assert!(s.open311_requests(std::slice::from_ref(&org.id), &kinds).await.unwrap().is_empty());
    let by_code = RequestFilter::Codes(vec![code(1), code(2), code(3)]);
    let found = s.open311_requests(std::slice::from_ref(&org.id), &by_code).await.unwrap();
    assert_eq!(found.iter().map(|r| r.tracking_code.clone()).collect::<Vec<_>>(), [code(1)]);
    let both = s.open311_requests(&[org.id.clone(), other.id.clone()], &by_code).await.unwrap();
    assert_eq!(both.len(), 2);
    assert!(s.open311_requests(&[], &by_code).await.unwrap().is_empty());

    // Revocation: once, then refused; a revoked key is no longer found.
    s.revoke_open311_key(&console, &key.id).await.unwrap();
    assert!(matches!(s.revoke_open311_key(&console, &key.id).await, Err(KeyError::AlreadyRevoked)));
    assert!(matches!(s.revoke_open311_key(&console, "nope").await, Err(KeyError::NotFound)));
    assert_eq!(s.active_open311_key("hash-1").await.unwrap(), None);
    let audit = s
        .audit_entries(&Filter { action: Some("open311.key.revoke".into()), limit: 100, ..Default::default() })
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);

    // A location kind the domain does not know is an error.
    sqlx::query("UPDATE open311_requests SET location_kind = 'planet'").execute(s.pool()).await.unwrap();
    assert!(s.open311_requests(std::slice::from_ref(&org.id), &window(vec![])).await.is_err());
});
