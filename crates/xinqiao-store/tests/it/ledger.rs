//! 电子台账 on both backends: the product master and parties, append-only lines (a correction is
//! a new line; UPDATE and DELETE are refused by the database itself), typed conflicts, rows that
//! do not parse refused rather than guessed, batch lines across a bureau tree, recall lists.

use crate::backend_test;
use crate::ledger_chain::{made, use_of};
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::{RegionCode, Uscc};
use xinqiao_domain::ledger::{Batch, Category, CorrectionReason, EntryKind, Gtin, Quantity, Unit};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{EntryWrite, LedgerConflict, LedgerError, NewParty, Product, RecallKind, Voucher};

pub fn uscc(n: u32) -> Uscc {
    Uscc::with_check_char(&format!("91320508MA1XQ{n:04}")).unwrap()
}

pub(crate) fn gtin() -> Gtin {
    Gtin::parse("6901234567892").unwrap()
}

pub(crate) fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

pub fn line(kind: EntryKind, batch: &str, qty: &str, party: Option<&str>) -> EntryWrite {
    EntryWrite {
        kind,
        gtin: gtin(),
        batch: Some(Batch::parse(batch).unwrap()),
        quantity: Quantity::parse(qty).unwrap(),
        unit: Unit::parse("箱").unwrap(),
        recorded_on: d("2026-11-20"),
        production: Some(d("2026-11-01")),
        expiry: Some(d("2027-05-01")),
        shelf_life_days: None,
        party_id: party.map(str::to_owned),
        into_gtin: None,
        into_batch: None,
        voucher: None,
        retain_until: d("2027-11-01"),
    }
}

/// Two bureaus under a city: (city, district A, district B) org ids.
pub(crate) async fn bureaus(store: &Store) -> (String, String, String) {
    let c = Actor::console();
    let city = store.create_org(&c, &RegionCode::parse("320500").unwrap(), "苏州市市场监督管理局", None).await.unwrap();
    let a = store
        .create_org(&c, &RegionCode::parse("320508").unwrap(), "姑苏区市场监督管理局", Some(&city.id))
        .await
        .unwrap();
    let b = store
        .create_org(&c, &RegionCode::parse("320506").unwrap(), "吴中区市场监督管理局", Some(&city.id))
        .await
        .unwrap();
    (city.id, a.id, b.id)
}

fn party(name: &str, u: Option<Uscc>) -> NewParty {
    NewParty {
        name: name.into(),
        party_uscc: u,
        licence: "JY13205080000001".into(),
        address: "苏州市".into(),
        contact: "0512-12345678".into(),
    }
}

backend_test!(products_parties_and_lines_round_trip, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (_, a, _) = bureaus(store).await;
    let me = uscc(1);
    let early = store.ledger_add_party(&actor, &me, &party("未开通", None)).await.unwrap_err();
    assert!(matches!(early, LedgerError::Conflict(LedgerConflict::NotEnrolled)), "{early:?}");
    store.ledger_enroll(&actor, &me, "姑苏示例餐饮有限公司", &a).await.unwrap();
    let p =
        Product { gtin: gtin(), name: "纯牛奶".into(), specification: "250mL×24".into(), category: Category::Food };
    store.ledger_save_product(&actor, &me, &p).await.unwrap();
    assert_eq!(store.ledger_product(&me, &gtin()).await.unwrap(), Some(p.clone()));
    let supplier = store.ledger_add_party(&actor, &me, &party("苏州乳业批发有限公司", Some(uscc(2)))).await.unwrap();
    let again = store.ledger_add_party(&actor, &me, &party("重复", Some(uscc(2)))).await.unwrap_err();
    assert!(matches!(again, LedgerError::Conflict(LedgerConflict::PartyExists)), "{again:?}");
    store.ledger_add_party(&actor, &me, &party("个体户甲", None)).await.unwrap();
    store.ledger_add_party(&actor, &me, &party("个体户乙", None)).await.unwrap();
    assert_eq!(store.ledger_parties(&me).await.unwrap().len(), 3, "parties without a USCC do not collide");

    let mut with_voucher = line(EntryKind::Purchase, "B1", "12", Some(&supplier.id));
    with_voucher.voucher =
        Some(Voucher { sha256: "ab".repeat(32), media: "jpeg".into(), size: 3, sealed: vec![1, 2, 3] });
    let ids = store.ledger_add_entries(&actor, &me, &[with_voucher]).await.unwrap();
    let e = store.ledger_entry(&me, &ids[0]).await.unwrap().unwrap();
    assert_eq!(e.kind, EntryKind::Purchase);
    assert_eq!(e.product_name.as_deref(), Some("纯牛奶"));
    assert_eq!(e.party.as_ref().unwrap().uscc, Some(uscc(2)));
    assert_eq!(e.quantity.to_string(), "12");
    assert_eq!((e.expiry, e.retain_until), (Some(d("2027-05-01")), d("2027-11-01")));
    assert!(e.is_current());
    let (sha, media, sealed) = store.ledger_voucher(&actor, &me, &ids[0], "").await.unwrap();
    assert_eq!((sha.as_str(), media.as_str(), sealed), (e.voucher_sha256.as_deref().unwrap(), "jpeg", vec![1, 2, 3]));

    // A party of another ledger cannot be named; the whole batch of lines is refused.
    let other = uscc(3);
    store.ledger_enroll(&actor, &other, "吴中某超市", &a).await.unwrap();
    let theirs = store.ledger_add_party(&actor, &other, &party("他们的供应商", None)).await.unwrap();
    let refused = store
        .ledger_add_entries(
            &actor,
            &me,
            &[line(EntryKind::Purchase, "B2", "1", None), line(EntryKind::Purchase, "B3", "1", Some(&theirs.id))],
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, LedgerError::Conflict(LedgerConflict::UnknownParty)), "{refused:?}");
    assert_eq!(store.ledger_entries(&me, false, 100).await.unwrap().len(), 1, "all or nothing");
});

backend_test!(corrections_are_new_lines_and_the_table_is_append_only, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (_, a, _) = bureaus(store).await;
    let me = uscc(1);
    store.ledger_enroll(&actor, &me, "老字号食品厂", &a).await.unwrap();
    let ids = store.ledger_add_entries(&actor, &me, &[line(EntryKind::Purchase, "B1", "10", None)]).await.unwrap();
    let reason = CorrectionReason::parse("仓库管理员记错了入库日期").unwrap();
    let mut fixed = line(EntryKind::Purchase, "B1", "10", None);
    fixed.recorded_on = d("2026-11-27");
    let new_id = store.ledger_correct(&actor, &me, &ids[0], &reason, &fixed).await.unwrap();

    let all = store.ledger_entries(&me, false, 100).await.unwrap();
    assert_eq!(all.len(), 2, "the old line stays");
    let old = all.iter().find(|e| e.id == ids[0]).unwrap();
    assert_eq!(old.corrected_by.as_deref(), Some(new_id.as_str()));
    assert_eq!(old.recorded_on, d("2026-11-20"));
    let new = all.iter().find(|e| e.id == new_id).unwrap();
    assert_eq!((new.corrects.as_deref(), new.reason.as_ref()), (Some(ids[0].as_str()), Some(&reason)));
    let current = store.ledger_entries(&me, true, 100).await.unwrap();
    assert_eq!(current.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(), [new_id.as_str()]);

    let twice = store.ledger_correct(&actor, &me, &ids[0], &reason, &fixed).await.unwrap_err();
    assert!(matches!(twice, LedgerError::Conflict(LedgerConflict::AlreadyCorrected)), "{twice:?}");
    let foreign = store.ledger_correct(&actor, &uscc(9), &new_id, &reason, &fixed).await.unwrap_err();
    assert!(matches!(foreign, LedgerError::Conflict(LedgerConflict::EntryNotFound)), "{foreign:?}");
    // A correction of the correction is fine: the chain goes on.
    store.ledger_correct(&actor, &me, &new_id, &reason, &fixed).await.unwrap();

    for sql in ["UPDATE ledger_entries SET quantity_milli = 1", "DELETE FROM ledger_entries"] {
        let err = sqlx::query(sql).execute(store.pool()).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.ledger_entries(&me, false, 100).await.unwrap().len(), 3);
});

backend_test!(an_unknown_stored_value_is_an_error_not_a_default, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (_, a, _) = bureaus(store).await;
    let me = uscc(1);
    store.ledger_enroll(&actor, &me, "某店", &a).await.unwrap();
    // Written behind the application's back: a kind the domain does not know.
    sqlx::query(
        "INSERT INTO ledger_entries (id, uscc, kind, gtin, quantity_milli, unit, recorded_on, retain_until, created_by, created_at) \
         VALUES ('x', $1, 'gift', '06901234567892', 1000, '箱', 20000, 20500, '', 0)",
    )
    .bind(me.as_str())
    .execute(store.pool())
    .await
    .unwrap();
    let err = store.ledger_entries(&me, false, 10).await.unwrap_err();
    assert!(matches!(&err, LedgerError::BadRow { column: "kind", value } if value == "gift"), "{err:?}");
    assert!(err.to_string().contains("kind"));
});

backend_test!(batch_lines_follow_the_bureau_tree_and_recall_lists_are_confirmed_once, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (city, a, b) = bureaus(store).await;
    let (maker, shop_a, shop_b) = (uscc(1), uscc(2), uscc(3));
    store.ledger_enroll(&actor, &maker, "乳品厂", &a).await.unwrap();
    store.ledger_enroll(&actor, &shop_a, "姑苏超市", &a).await.unwrap();
    store.ledger_enroll(&actor, &shop_b, "吴中超市", &b).await.unwrap();
    store.ledger_add_entries(&actor, &maker, &[line(EntryKind::Shipment, "B1", "5", None)]).await.unwrap();
    store.ledger_add_entries(&actor, &shop_a, &[line(EntryKind::Purchase, "B1", "5", None)]).await.unwrap();
    store
        .ledger_add_entries(
            &actor,
            &shop_b,
            &[line(EntryKind::Purchase, "B1", "3", None), line(EntryKind::Purchase, "B2", "3", None)],
        )
        .await
        .unwrap();
    let b1 = Batch::parse("B1").unwrap();
    assert_eq!(
        store.ledger_batch_lines(&[city.clone(), a.clone(), b.clone()], &gtin(), Some(&b1)).await.unwrap().len(),
        3
    );
    assert_eq!(
        store.ledger_batch_lines(std::slice::from_ref(&a), &gtin(), Some(&b1)).await.unwrap().len(),
        2,
        "district A only"
    );
    assert_eq!(
        store.ledger_batch_lines(std::slice::from_ref(&b), &gtin(), None).await.unwrap().len(),
        2,
        "every batch"
    );
    assert!(store.ledger_batch_lines(&[], &gtin(), Some(&b1)).await.unwrap().is_empty(), "no bureau, nothing");

    let recall = store
        .ledger_open_recall(
            &actor,
            &city,
            RecallKind::Seal,
            &gtin(),
            &b1,
            "案件 TS2026-001",
            &[(shop_a.clone(), 5000), (shop_b.clone(), 3000)],
            &[],
        )
        .await
        .unwrap();
    let (r, holders) = store.ledger_recall(&recall.id).await.unwrap().unwrap();
    assert_eq!((r.kind, r.batch.as_str()), (RecallKind::Seal, "B1"));
    assert_eq!(holders.len(), 2);
    assert!(holders.iter().all(|h| h.confirmed_at.is_none()));
    store.ledger_confirm_set_aside(&actor, &recall.id, &shop_a).await.unwrap();
    let again = store.ledger_confirm_set_aside(&actor, &recall.id, &shop_a).await.unwrap_err();
    assert!(matches!(again, LedgerError::Conflict(LedgerConflict::AlreadyConfirmed)), "{again:?}");
    let stranger = store.ledger_confirm_set_aside(&actor, &recall.id, &maker).await.unwrap_err();
    assert!(matches!(stranger, LedgerError::Conflict(LedgerConflict::NotAHolder)), "{stranger:?}");
    let nothing = store.ledger_confirm_set_aside(&actor, "nope", &maker).await.unwrap_err();
    assert!(matches!(nothing, LedgerError::Conflict(LedgerConflict::RecallNotFound)), "{nothing:?}");
    let mine = store.ledger_recalls_for(&shop_a).await.unwrap();
    assert_eq!(mine.len(), 1);
    assert!(mine[0].1.confirmed_at.is_some());
    assert!(store.ledger_recalls_for(&maker).await.unwrap().is_empty());
});

pub(crate) fn bread() -> Gtin {
    Gtin::parse("6920000000005").unwrap()
}

backend_test!(a_warning_links_its_batches_once_each_and_audited, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let w = xinqiao_store::warnings::NewWarning {
        rule: "enterprise_spike".into(),
        subject: "key@320508".into(),
        bureau: "320508".into(),
        label: "某食品店（姑苏区）".into(),
        window_end: 20_000,
        observed: 7,
        expected: "0.50".into(),
        p_value: "1.00e-5".into(),
        case_ids: Vec::new(),
    };
    let id = store.raise_warning(&w).await.unwrap().expect("raised");
    let b7 = Batch::parse("B7").unwrap();
    assert!(store.ledger_link_warning_batch(&actor, &id, &gtin(), &b7).await.unwrap());
    assert!(!store.ledger_link_warning_batch(&actor, &id, &gtin(), &b7).await.unwrap(), "once");
    let b8 = Batch::parse("B8").unwrap();
    assert!(store.ledger_link_warning_batch(&actor, &id, &gtin(), &b8).await.unwrap());
    let linked = store.ledger_warning_batches(&id).await.unwrap();
    assert_eq!(linked.iter().map(|l| l.batch.as_str()).collect::<Vec<_>>(), ["B7", "B8"]);
    assert!(store.ledger_warning_batches("nope").await.unwrap().is_empty());
    // A warning that does not exist cannot be linked (the foreign key holds).
    assert!(store.ledger_link_warning_batch(&actor, "nope", &gtin(), &b7).await.is_err());
    let audited = store
        .audit_entries(&xinqiao_store::audit::Filter {
            action: Some("ledger.warning_batch.link".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(audited.len(), 2);
});

backend_test!(a_purchase_is_not_corrected_below_what_has_gone_out_of_its_batch, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (_, a, _) = bureaus(store).await;
    let (shop, other) = (uscc(21), uscc(22));
    store.ledger_enroll(&actor, &shop, "批发部", &a).await.unwrap();
    store.ledger_enroll(&actor, &other, "另一家", &a).await.unwrap();
    let ids = store
        .ledger_add_entries(
            &actor,
            &shop,
            &[
                line(EntryKind::Purchase, "B1", "10", None),
                line(EntryKind::Sale, "B1", "6", None),
                line(EntryKind::Sale, "B9", "6", None),
                line(EntryKind::Purchase, "B9", "2", None),
            ],
        )
        .await
        .unwrap();
    // Another ledger's sales of B1 are not this one's.
    store.ledger_add_entries(&actor, &other, &[line(EntryKind::Sale, "B1", "50", None)]).await.unwrap();
    let reason = CorrectionReason::parse("数量录错").unwrap();
    let count = || async { store.ledger_entries(&shop, false, 100).await.unwrap().len() };
    let before = count().await;
    let below = |e: LedgerError| matches!(e, LedgerError::Conflict(LedgerConflict::BelowUsed));
    // 10 in, 6 sold: 5 is refused, and so is moving the purchase to another batch.
    let err = store.ledger_correct(&actor, &shop, &ids[0], &reason, &line(EntryKind::Purchase, "B1", "5", None)).await;
    assert!(below(err.unwrap_err()));
    let err = store.ledger_correct(&actor, &shop, &ids[0], &reason, &line(EntryKind::Purchase, "B2", "10", None)).await;
    assert!(below(err.unwrap_err()));
    let err = store.ledger_correct(&actor, &shop, &ids[0], &reason, &line(EntryKind::Sale, "B1", "1", None)).await;
    assert!(below(err.unwrap_err()), "nor turned into a sale");
    assert_eq!(count().await, before, "nothing written");
    assert_eq!(LedgerConflict::BelowUsed.code(), "ledger_below_used");
    assert!(LedgerConflict::BelowUsed.to_string().contains("少于已用去、售出或发出的数量"));
    // Down to exactly what went out is kept.
    let fixed = store
        .ledger_correct(&actor, &shop, &ids[0], &reason, &line(EntryKind::Purchase, "B1", "6", None))
        .await
        .unwrap();
    // A raw-material use counts as gone out too (the shop makes something of B1 now).
    store.ledger_add_entries(&actor, &shop, &[made("P1", "1")]).await.unwrap();
    let err = store.ledger_add_entries(&actor, &shop, &[use_of("B1", "1", "P1", true)]).await.unwrap_err();
    assert!(matches!(err, LedgerError::Invalid(_)), "6 in, 6 out: nothing left to use");
    let more = store
        .ledger_correct(&actor, &shop, &fixed, &reason, &line(EntryKind::Purchase, "B1", "8", None))
        .await
        .unwrap();
    store.ledger_add_entries(&actor, &shop, &[use_of("B1", "2", "P1", true)]).await.unwrap();
    let err = store.ledger_correct(&actor, &shop, &more, &reason, &line(EntryKind::Purchase, "B1", "7", None)).await;
    assert!(below(err.unwrap_err()), "6 sold and 2 used: 7 is short");
    // A batch already short (6 sold, 2 bought) may be corrected towards right, not further off.
    store.ledger_correct(&actor, &shop, &ids[3], &reason, &line(EntryKind::Purchase, "B9", "3", None)).await.unwrap();
    let current = store.ledger_entries(&shop, true, 100).await.unwrap();
    let b9 = current
        .iter()
        .find(|e| e.kind == EntryKind::Purchase && e.batch.as_ref().map(Batch::as_str) == Some("B9"))
        .unwrap();
    let err = store.ledger_correct(&actor, &shop, &b9.id, &reason, &line(EntryKind::Purchase, "B9", "1", None)).await;
    assert!(below(err.unwrap_err()));
    // A sale is not held by this rule.
    store.ledger_correct(&actor, &shop, &ids[1], &reason, &line(EntryKind::Sale, "B1", "5", None)).await.unwrap();
});

backend_test!(lines_past_their_retention_date_are_purged_chain_by_chain, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (_, a, _) = bureaus(store).await;
    let me = uscc(31);
    store.ledger_enroll(&actor, &me, "超市", &a).await.unwrap();
    let kept_until = |w: EntryWrite, day: &str| EntryWrite { retain_until: d(day), ..w };
    let voucher =
        |n: u8| Some(Voucher { sha256: format!("{n:02x}").repeat(32), media: "jpeg".into(), size: 1, sealed: vec![n] });
    // A line kept until 2028-01-10 with its voucher; a second line sharing another line's voucher.
    let mut alone = kept_until(line(EntryKind::Purchase, "R1", "5", None), "2028-01-10");
    alone.voucher = voucher(1);
    let mut shared_a = kept_until(line(EntryKind::Purchase, "R2", "5", None), "2028-01-10");
    shared_a.voucher = voucher(2);
    let mut shared_b = kept_until(line(EntryKind::Purchase, "R3", "5", None), "2029-01-10");
    shared_b.voucher = voucher(2);
    let ids = store.ledger_add_entries(&actor, &me, &[alone, shared_a, shared_b]).await.unwrap();
    // A chain: a line kept until 2028-01-10 corrected by one kept until 2028-06-01.
    let old = store
        .ledger_add_entries(&actor, &me, &[kept_until(line(EntryKind::Purchase, "R4", "5", None), "2028-01-10")])
        .await
        .unwrap();
    let reason = CorrectionReason::parse("数量录错").unwrap();
    let fix = store
        .ledger_correct(
            &actor,
            &me,
            &old[0],
            &reason,
            &kept_until(line(EntryKind::Purchase, "R4", "6", None), "2028-06-01"),
        )
        .await
        .unwrap();
    let count = || async { store.ledger_entries(&me, false, 100).await.unwrap().len() };
    let blobs =
        || async { sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM blobs").fetch_one(store.pool()).await.unwrap().0 };
    assert_eq!((count().await, blobs().await), (5, 2));

    // Outside a purge a line past its date still cannot be deleted.
    let refused = sqlx::query("DELETE FROM ledger_entries WHERE id = $1").bind(&ids[0]).execute(store.pool()).await;
    assert!(refused.is_err(), "append-only outside the purge");

    // The day before the date and the date itself: nothing goes.
    for day in ["2028-01-09", "2028-01-10"] {
        assert_eq!(store.ledger_purge_expired(&actor, d(day)).await.unwrap(), Default::default(), "{day}");
        assert_eq!(count().await, 5);
    }
    // The day after: the two lines past their date go, with the voucher no other line names; the
    // shared voucher stays with the line still kept; the chain stays whole (its correction is
    // kept until June).
    let p = store.ledger_purge_expired(&actor, d("2028-01-11")).await.unwrap();
    assert_eq!((p.lines, p.vouchers), (2, 1));
    let left: Vec<String> = store.ledger_entries(&me, false, 100).await.unwrap().into_iter().map(|e| e.id).collect();
    assert!(!left.contains(&ids[0]) && !left.contains(&ids[1]) && left.contains(&ids[2]), "{left:?}");
    assert!(left.contains(&old[0]) && left.contains(&fix), "the chain is not all past: {left:?}");
    assert_eq!(blobs().await, 1);
    let e = store.ledger_entry(&me, &ids[2]).await.unwrap().unwrap();
    assert!(store.ledger_voucher(&actor, &me, &e.id, "").await.is_ok(), "the shared voucher is still there");
    // Once the correction is past too, the chain goes together.
    let p = store.ledger_purge_expired(&actor, d("2028-06-02")).await.unwrap();
    assert_eq!((p.lines, p.vouchers), (2, 0));
    assert_eq!(count().await, 1);
    // Each purge is audited with counts only.
    let purges = store
        .audit_entries(&xinqiao_store::audit::Filter {
            action: Some("ledger.purge".into()),
            limit: 10,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(purges.len(), 2);
    let details: Vec<String> = purges.iter().map(|e| e.record.detail.to_string()).collect();
    assert!(details.contains(&r#"{"lines":2,"vouchers":1}"#.to_owned()), "{details:?}");
    assert!(details.iter().all(|d| !d.contains(&me.as_str().to_string()) && !d.contains("R1")));
    // Purging again finds nothing.
    assert_eq!(store.ledger_purge_expired(&actor, d("2028-06-02")).await.unwrap(), Default::default());
});
