//! A narrative's masking review and sealed attachment names, on both backends.

use crate::backend_test;
use crate::cases::row;
use xinqiao_domain::cases::CaseKind;
use xinqiao_store::StoreError;
use xinqiao_store::audit::{Actor, Filter};
use xinqiao_store::cases::{CaseFilter, NarrativePrivacy, NewAttachment};

fn privacy(public: &str) -> NarrativePrivacy {
    NarrativePrivacy { spans: "[[\"name\",0,3]]".into(), public: public.into() }
}

backend_test!(masking_is_revised_and_confirmed_once_with_audit_entries, |db| {
    let s = &db.store;
    let mut complaint = row(CaseKind::Complaint, "2611PRIVACY001", "320508", true);
    complaint.privacy = Some(privacy("[已隐去]在健身房办卡"));
    let id = s.intake(&Actor::console(), &[complaint]).await.unwrap().remove(0);
    let before = s.case_privacy(&id).await.unwrap();
    assert_eq!(before.spans.as_deref(), Some("[[\"name\",0,3]]"));
    assert_eq!(before.confirmed_at, None);
    assert_eq!(s.case(&id).await.unwrap().privacy_confirmed_at, None);
    let confirmed = CaseFilter { privacy_confirmed: true, limit: 10, ..Default::default() };
    assert!(s.list_cases(&confirmed).await.unwrap().is_empty(), "unconfirmed cases are left out");

    let officer = Actor::console();
    let revised = privacy("[已隐去]在[已隐去]办卡");
    s.revise_masking(&officer, &id, "欧***在[已隐去]办卡", &revised, "mask", serde_json::json!({"start": 4}))
        .await
        .unwrap();
    assert_eq!(s.case(&id).await.unwrap().narrative_masked, "欧***在[已隐去]办卡");
    assert_eq!(s.case_privacy(&id).await.unwrap().public.as_deref(), Some("[已隐去]在[已隐去]办卡"));
    assert!(matches!(
        s.revise_masking(&officer, "no-such-case", "x", &revised, "mask", serde_json::Value::Null).await,
        Err(StoreError::NotFound)
    ));

    // The demand is revised on its own, audited without its text.
    s.revise_demand_masking(&officer, &id, "退款，并由[已隐去]道歉", serde_json::json!({"start": 5, "end": 8}))
        .await
        .unwrap();
    assert_eq!(s.case(&id).await.unwrap().demand_masked, "退款，并由[已隐去]道歉");
    assert!(matches!(
        s.revise_demand_masking(&officer, "no-such-case", "x", serde_json::Value::Null).await,
        Err(StoreError::NotFound)
    ));
    let f = Filter { action: Some("case.privacy.revise".into()), limit: 10, ..Default::default() };
    let entries = s.audit_entries(&f).await.unwrap();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| !format!("{e:?}").contains("道歉")), "no text in the audit");
    s.confirm_masking(&officer, &id).await.unwrap();
    assert!(matches!(s.confirm_masking(&officer, &id).await, Err(StoreError::Conflict(_))), "once");
    assert!(s.case(&id).await.unwrap().privacy_confirmed_at.is_some());
    assert_eq!(s.list_cases(&confirmed).await.unwrap().len(), 1);
    for (action, n) in [("case.privacy.revise", 2), ("case.privacy.confirm", 1)] {
        let f = Filter { action: Some(action.into()), limit: 10, ..Default::default() };
        assert_eq!(s.audit_entries(&f).await.unwrap().len(), n, "{action}");
    }
    // Public narratives prefer the public form.
    let texts = s.consented_narratives(&["91110000600037341L".to_owned()], 0, 2, None, false).await.unwrap();
    assert!(texts.is_empty(), "not accepted yet");

    // An older case without a public text is found, given one once, and not again.
    let old = s.intake(&Actor::console(), &[row(CaseKind::Complaint, "2611PRIVACY002", "320508", true)]).await.unwrap();
    let missing = s.narratives_without_public("", 10).await.unwrap();
    assert_eq!(missing.iter().map(|m| &m.0).collect::<Vec<_>>(), vec![&old[0]]);
    assert!(missing[0].1.contains("159****1111"), "made from the masked text");
    s.keep_narrative_publics(&[(old[0].clone(), "旧的公开文本".into())]).await.unwrap();
    s.keep_narrative_publics(&[(old[0].clone(), "不会覆盖".into())]).await.unwrap();
    assert_eq!(s.case_privacy(&old[0]).await.unwrap().public.as_deref(), Some("旧的公开文本"));
    assert!(s.narratives_without_public("", 10).await.unwrap().is_empty());
});

backend_test!(clear_attachment_names_are_replaced_by_sealed_ones, |db| {
    let s = &db.store;
    let mut complaint = row(CaseKind::Complaint, "2611PRIVACY003", "320508", true);
    complaint.attachments = vec![NewAttachment {
        sha256: format!("{:064x}", 7),
        media: "jpeg".into(),
        size: 3,
        sealed: vec![1, 2, 3],
        name: "****_身份证.jpg".into(),
        name_sealed: "v1.k1.name".into(),
    }];
    let id = s.intake(&Actor::console(), &[complaint]).await.unwrap().remove(0);
    assert!(s.unsealed_attachment_names("", 10).await.unwrap().is_empty(), "new names are sealed");
    let file = s.attachments(&id).await.unwrap().remove(0);
    sqlx::query("UPDATE case_attachments SET name = $1, name_sealed = NULL WHERE id = $2")
        .bind("欧阳建国_身份证.jpg")
        .bind(&file.id)
        .execute(s.pool())
        .await
        .unwrap();
    let clear = s.unsealed_attachment_names("", 10).await.unwrap();
    assert_eq!(clear, vec![(file.id.clone(), file.sha256.clone(), "欧阳建国_身份证.jpg".to_owned())]);
    let done = s
        .seal_attachment_names(&Actor::system(), &[(file.id.clone(), "****_身份证.jpg".into(), "v1.k1.sealed".into())])
        .await
        .unwrap();
    assert_eq!(done, 1);
    s.scrub_replaced().await.unwrap();
    assert_eq!(s.attachments(&id).await.unwrap()[0].name, "****_身份证.jpg");
    assert!(s.unsealed_attachment_names("", 10).await.unwrap().is_empty());
    let f = Filter { action: Some("case.attachment.names_sealed".into()), limit: 10, ..Default::default() };
    let entries = s.audit_entries(&f).await.unwrap();
    assert_eq!(entries.len(), 1);
    assert!(!entries[0].record.detail.to_string().contains("欧阳"));
});
