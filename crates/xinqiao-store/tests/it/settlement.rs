//! 先行和解, merged reports and attachments, on both backends.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_store::StoreError;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::cases::{NewAttachment, PauseReason, ProposalStatus};

const USCC: &str = "91110000600037341L";

fn settling(code: &str, until: i64) -> xinqiao_store::cases::NewCaseRow {
    let mut r = row(CaseKind::Complaint, code, "320508", true);
    r.settle_until = Some(until);
    r
}

fn file(seed: u8) -> NewAttachment {
    NewAttachment {
        sha256: format!("{seed:064x}"),
        media: "png".into(),
        size: 3,
        sealed: vec![seed, 0, 255],
        name: format!("照片{seed}.png"),
        name_sealed: format!("sealed-{seed}"),
    }
}

async fn audited(s: &xinqiao_store::Store, action: &str) -> usize {
    s.audit_entries(&Filter { action: Some(action.into()), limit: 100, ..Default::default() }).await.unwrap().len()
}

backend_test!(odr_membership_is_audited_and_unique, |db| {
    let s = &db.store;
    let boss = Actor::console();
    assert!(!s.is_odr(USCC).await.unwrap());
    s.join_odr(&boss, USCC, "苏州姑苏示例健身管理有限公司").await.unwrap();
    assert!(s.is_odr(USCC).await.unwrap());
    assert!(matches!(s.join_odr(&boss, USCC, "重复").await, Err(StoreError::Conflict(_))));
    assert_eq!(s.odr_enterprises().await.unwrap().len(), 1);
    s.leave_odr(&boss, USCC).await.unwrap();
    assert!(matches!(s.leave_odr(&boss, USCC).await, Err(StoreError::NotFound)));
    assert_eq!(audited(s, "odr.join").await, 1);
    assert_eq!(audited(s, "odr.leave").await, 1);
});

backend_test!(a_settlement_accepted_closes_the_complaint, |db| {
    let s = &db.store;
    let public = Actor::anonymous("", "203.0.113.9");
    let ids = s.intake(&public, &[settling("2611SSSSSSSSS1", 20_790)]).await.unwrap();
    let case = s.case(&ids[0]).await.unwrap();
    assert_eq!(case.status, Status::Settling);
    assert_eq!(case.settle_until, Some(20_790));
    assert_eq!(s.case_pauses(&ids[0]).await.unwrap(), vec![(PauseReason::Settlement, 20_784, None)]);
    // An officer cannot restart a clock that the settlement stopped.
    assert!(matches!(s.resume_case(&Actor::console(), &ids[0], 20_785).await, Err(StoreError::Conflict(_))));
    // Nothing to answer yet.
    assert!(matches!(s.answer_settlement(&public, &ids[0], true, 20_786).await, Err(StoreError::Conflict(_))));

    let firm = Actor::console();
    s.propose_settlement(&firm, &ids[0], "退还余额3000元").await.unwrap();
    s.propose_settlement(&firm, &ids[0], "退还余额4500元，七日内到账").await.unwrap();
    let proposals = s.proposals(&ids[0]).await.unwrap();
    let states: Vec<ProposalStatus> = proposals.iter().map(|p| p.status).collect();
    assert_eq!(states, vec![ProposalStatus::Withdrawn, ProposalStatus::Proposed], "a newer proposal replaces");

    assert_eq!(s.answer_settlement(&public, &ids[0], true, 20_787).await.unwrap(), Status::Closed);
    let case = s.case(&ids[0]).await.unwrap();
    assert_eq!(case.status, Status::Closed);
    assert_eq!(s.case_pauses(&ids[0]).await.unwrap(), vec![(PauseReason::Settlement, 20_784, Some(20_787))]);
    assert_eq!(s.proposals(&ids[0]).await.unwrap()[1].status, ProposalStatus::Accepted);
    let history = s.case_events(&ids[0], true).await.unwrap();
    assert!(history.iter().any(|e| e.to_status == Some(Status::Closed) && e.note.contains("先行和解成功")));
    assert!(matches!(s.answer_settlement(&public, &ids[0], false, 20_788).await, Err(StoreError::Conflict(_))));
    assert!(matches!(s.propose_settlement(&firm, &ids[0], "再议").await, Err(StoreError::Conflict(_))));
    assert_eq!(audited(s, "settlement.propose").await, 2);
    assert_eq!(audited(s, "settlement.accept").await, 1);
});

backend_test!(declined_or_expired_settlements_come_to_the_bureau, |db| {
    let s = &db.store;
    let public = Actor::anonymous("", "203.0.113.9");
    let a = s.intake(&public, &[settling("2611SSSSSSSSS2", 20_790)]).await.unwrap().remove(0);
    let b = s.intake(&public, &[settling("2611SSSSSSSSS3", 20_790)]).await.unwrap().remove(0);
    let c = s.intake(&public, &[settling("2611SSSSSSSSS4", 20_795)]).await.unwrap().remove(0);
    let plain = s.intake(&public, &[row(CaseKind::Complaint, "2611SSSSSSSSS5", "320508", true)]).await.unwrap();
    assert_eq!(s.case(&plain[0]).await.unwrap().status, Status::AwaitingAcceptance);

    s.propose_settlement(&Actor::console(), &a, "退款一半").await.unwrap();
    assert_eq!(s.answer_settlement(&public, &a, false, 20_786).await.unwrap(), Status::AwaitingAcceptance);
    assert_eq!(s.case_pauses(&a).await.unwrap(), vec![(PauseReason::Settlement, 20_784, Some(20_786))]);

    // The window of b ended on 20_790: on 20_791 it comes to the bureau; c's has not ended.
    assert_eq!(s.return_expired_settlements(20_790).await.unwrap(), 0);
    assert_eq!(s.return_expired_settlements(20_791).await.unwrap(), 1);
    assert_eq!(s.case(&b).await.unwrap().status, Status::AwaitingAcceptance);
    assert_eq!(s.case(&c).await.unwrap().status, Status::Settling);
    assert_eq!(s.return_expired_settlements(20_791).await.unwrap(), 0, "once");

    // The bureau may take c up early; then it is no longer in settlement.
    s.return_to_bureau(&Actor::console(), &c, "提前受理", 20_792).await.unwrap();
    assert_eq!(s.case(&c).await.unwrap().status, Status::AwaitingAcceptance);
    assert!(matches!(s.return_to_bureau(&Actor::console(), &c, "再次", 20_792).await, Err(StoreError::Conflict(_))));
    assert!(matches!(s.propose_settlement(&Actor::console(), &c, "太迟了").await, Err(StoreError::Conflict(_))));
    assert_eq!(audited(s, "case.return").await, 2);
});

backend_test!(repeated_reports_merge_into_the_open_one, |db| {
    let s = &db.store;
    let public = Actor::anonymous("", "203.0.113.9");
    let first = s.intake(&public, &[row(CaseKind::Report, "2611MMMMMMMMM1", "320508", false)]).await.unwrap().remove(0);
    let second =
        s.intake(&public, &[row(CaseKind::Report, "2611MMMMMMMMM2", "320508", false)]).await.unwrap().remove(0);
    let mut other = row(CaseKind::Report, "2611MMMMMMMMM3", "320508", false);
    other.enterprise_uscc = None;
    other.enterprise_name = "另一家公司".into();
    let other = s.intake(&public, &[other]).await.unwrap().remove(0);

    let like: Vec<String> =
        s.open_reports_like(&s.case(&second).await.unwrap()).await.unwrap().into_iter().map(|c| c.id).collect();
    assert_eq!(like, vec![first.clone()], "same enterprise, received before, not itself");
    assert!(s.open_reports_like(&s.case(&other).await.unwrap()).await.unwrap().is_empty());

    assert!(matches!(s.merge_report(&Actor::console(), &second, &second, "x").await, Err(StoreError::Conflict(_))));
    s.merge_report(&Actor::console(), &second, &first, "2611-MMMM-MMMM-M1").await.unwrap();
    let merged = s.case(&second).await.unwrap();
    assert_eq!(merged.status, Status::Merged);
    assert_eq!(merged.merged_into.as_deref(), Some(first.as_str()));
    assert!(matches!(s.merge_report(&Actor::console(), &second, &first, "x").await, Err(StoreError::Conflict(_))));
    // A merged report is not open: nothing merges into it.
    assert!(matches!(s.merge_report(&Actor::console(), &other, &second, "x").await, Err(StoreError::Conflict(_))));
    let public_history = s.case_events(&second, true).await.unwrap();
    assert!(public_history.iter().any(|e| e.note.contains("合并处理")));
    assert!(!public_history.iter().any(|e| e.note.contains("2611-MMMM")), "the other code stays internal");
    assert_eq!(audited(s, "case.merge").await, 1);
});

backend_test!(attachments_are_stored_once_and_every_read_is_audited, |db| {
    let s = &db.store;
    let public = Actor::anonymous("", "203.0.113.9");
    let mut complaint = row(CaseKind::Complaint, "2611FFFFFFFFF1", "320508", true);
    complaint.attachments = vec![file(1), file(2)];
    let mut report = row(CaseKind::Report, "2611FFFFFFFFF2", "320508", true);
    report.attachments = vec![file(1), file(2)];
    let ids = s.intake(&public, &[complaint, report]).await.unwrap();
    let (blobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM blobs").fetch_one(s.pool()).await.unwrap();
    assert_eq!(blobs, 2, "the same bytes are kept once");
    let listed = s.attachments(&ids[0]).await.unwrap();
    assert_eq!(listed.iter().map(|a| a.name.as_str()).collect::<Vec<_>>(), vec!["照片1.png", "照片2.png"]);
    assert_eq!(listed[0].source.code(), "intake");

    let staff = Actor::console();
    let (a, sealed) = s.read_attachment(&staff, &ids[0], &listed[1].id).await.unwrap();
    assert_eq!((a.sha256.as_str(), sealed), (file(2).sha256.as_str(), vec![2, 0, 255]));
    assert!(
        matches!(s.read_attachment(&staff, &ids[1], &listed[1].id).await, Err(StoreError::NotFound)),
        "not its case"
    );
    assert_eq!(audited(s, "case.attachment.read").await, 1);

    // A supplement with files restarts a clock paused for it.
    s.pause_case(&staff, &ids[0], PauseReason::Supplement, 20_785).await.unwrap();
    s.supplement(&public, &ids[0], "补充收据", &[file(3)], 20_787).await.unwrap();
    assert_eq!(s.case_pauses(&ids[0]).await.unwrap(), vec![(PauseReason::Supplement, 20_785, Some(20_787))]);
    assert_eq!(s.attachments(&ids[0]).await.unwrap().len(), 3);
    let history = s.case_events(&ids[0], true).await.unwrap();
    assert!(history.iter().any(|e| e.note.contains("补充收据") && e.note.contains("附件1个")));

    // Too many files on one case: refused, nothing written.
    let many: Vec<NewAttachment> = (10..28).map(file).collect();
    assert!(matches!(s.supplement(&public, &ids[0], "", &many, 20_788).await, Err(StoreError::Conflict(_))));
    assert_eq!(s.attachments(&ids[0]).await.unwrap().len(), 3);
    let (blobs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM blobs").fetch_one(s.pool()).await.unwrap();
    assert_eq!(blobs, 3);
    assert_eq!(audited(s, "case.supplement").await, 1);
});
