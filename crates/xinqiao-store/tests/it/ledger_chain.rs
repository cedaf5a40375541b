//! 电子台账's producers' chain on both backends: raw-material uses naming a production batch
//! within stock, and a level of the chain read in one query as batch by batch reads it. The
//! three-level chain here is shared with the kept sums' tests.

use crate::backend_test;
use crate::ledger::{bread, bureaus, gtin, line, uscc};
use xinqiao_domain::ledger::{Batch, Category, CorrectionReason, EntryKind, Gtin, Lot};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{EntryWrite, LedgerError, Product, RecallKind};

/// A raw-material use of `qty` of flour lot `lot` into bread batch `into` (GTIN left for the store
/// to fill in when `named` is false).
pub(crate) fn use_of(lot: &str, qty: &str, into: &str, named: bool) -> EntryWrite {
    let mut w = line(EntryKind::MaterialUse, lot, qty, None);
    w.into_gtin = named.then(bread);
    w.into_batch = Some(Batch::parse(into).unwrap());
    w
}

pub(crate) fn made(batch: &str, qty: &str) -> EntryWrite {
    let mut w = line(EntryKind::Production, batch, qty, None);
    w.gtin = bread();
    w
}

backend_test!(raw_material_uses_name_a_production_batch_within_stock, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (city, a, b) = bureaus(store).await;
    let (maker, other) = (uscc(1), uscc(2));
    store.ledger_enroll(&actor, &maker, "面包厂", &a).await.unwrap();
    store.ledger_enroll(&actor, &other, "另一家面包厂", &b).await.unwrap();
    let invalid = |e: LedgerError| match e {
        LedgerError::Invalid(v) => v.into_iter().map(|(i, f)| (i, f.code)).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    store.ledger_add_entries(&actor, &maker, &[line(EntryKind::Purchase, "F1", "10", None)]).await.unwrap();
    // The batch made must be this enterprise's: another's production of P1 does not count.
    store.ledger_add_entries(&actor, &other, &[made("P1", "50")]).await.unwrap();
    let err = store.ledger_add_entries(&actor, &maker, &[use_of("F1", "4", "P1", false)]).await.unwrap_err();
    assert_eq!(invalid(err), [(0, "unknown_production")]);
    // In the same submission, in any order; the GTIN is filled in from the batch.
    let ids =
        store.ledger_add_entries(&actor, &maker, &[use_of("F1", "4", "P1", false), made("P1", "100")]).await.unwrap();
    let used = store.ledger_entry(&maker, &ids[0]).await.unwrap().unwrap();
    assert_eq!((used.into_gtin, used.into_batch.as_ref().map(Batch::as_str)), (Some(bread()), Some("P1")));
    // Stock: 6 left; 7 is refused and nothing of the submission is written.
    let before = store.ledger_entries(&maker, false, 100).await.unwrap().len();
    let err = store
        .ledger_add_entries(&actor, &maker, &[use_of("F1", "5", "P1", true), use_of("F1", "2", "P1", true)])
        .await
        .unwrap_err();
    assert_eq!(invalid(err), [(1, "over_stock")]);
    assert_eq!(store.ledger_entries(&maker, false, 100).await.unwrap().len(), before, "all or nothing");
    store.ledger_add_entries(&actor, &maker, &[use_of("F1", "6", "P1", true)]).await.unwrap();

    // Correcting a use frees its own quantity first: 4 → 4.5 fits (0 + 4 on hand), 11 does not.
    let reason = CorrectionReason::parse("称重后数量有误").unwrap();
    let err = store.ledger_correct(&actor, &maker, &ids[0], &reason, &use_of("F1", "11", "P1", true)).await;
    assert_eq!(invalid(err.unwrap_err()), [(0, "over_stock")]);
    store.ledger_correct(&actor, &maker, &ids[0], &reason, &use_of("F1", "4", "P1", true)).await.unwrap();
    // The production batch the uses point to keeps its GTIN and batch through a correction.
    let err = store.ledger_correct(&actor, &maker, &ids[1], &reason, &made("P2", "100")).await.unwrap_err();
    assert_eq!(invalid(err), [(0, "production_in_use")]);
    store.ledger_correct(&actor, &maker, &ids[1], &reason, &made("P1", "90")).await.unwrap();

    // Backward across the tree: the uses into P1, for the bureaus asked about only.
    let p1 = Lot::new(bread(), Batch::parse("P1").unwrap());
    let uses = store.ledger_material_uses_into(&[city.clone(), a.clone()], &p1).await.unwrap();
    let mut quantities: Vec<String> = uses.iter().map(|e| e.quantity.to_string()).collect();
    quantities.sort();
    assert_eq!(quantities, ["4", "6"], "current uses only (the corrected 4 once)");
    assert!(uses.iter().all(|e| e.batch.as_ref().map(Batch::as_str) == Some("F1")));
    assert!(store.ledger_material_uses_into(std::slice::from_ref(&b), &p1).await.unwrap().is_empty());
    assert!(store.ledger_material_uses_into(&[], &p1).await.unwrap().is_empty());

    // A sealing of the flour lot lists the bakery's bread too, and a shop holding only bread.
    let shop = uscc(3);
    store.ledger_enroll(&actor, &shop, "超市", &a).await.unwrap();
    let recall = store
        .ledger_open_recall(
            &actor,
            &city,
            RecallKind::Seal,
            &gtin(),
            &Batch::parse("F1").unwrap(),
            "抽检不合格",
            &[(maker.clone(), 0)],
            &[(maker.clone(), p1.clone(), 80_000), (shop.clone(), p1.clone(), 10_000)],
        )
        .await
        .unwrap();
    let (_, holders) = store.ledger_recall(&recall.id).await.unwrap().unwrap();
    let seen: Vec<(String, i64, Vec<i64>)> = holders
        .iter()
        .map(|h| (h.uscc.as_str().to_owned(), h.on_hand_milli, h.lots.iter().map(|(_, q)| *q).collect()))
        .collect();
    assert_eq!(
        seen,
        [(maker.as_str().to_owned(), 0, vec![80_000]), (shop.as_str().to_owned(), 0, vec![10_000])],
        "the shop is on the list for the bread it holds"
    );
    let mine = store.ledger_recalls_for(&shop).await.unwrap();
    assert_eq!(mine[0].1.lots, [(p1.clone(), 10_000)]);
    store.ledger_confirm_set_aside(&actor, &recall.id, &shop).await.unwrap();
});

/// A line of `kind` of `g` batch `b`.
pub(crate) fn lw(kind: EntryKind, g: &Gtin, b: &str, qty: &str) -> EntryWrite {
    let mut w = line(kind, b, qty, None);
    w.gtin = g.clone();
    w
}

pub(crate) fn wheat() -> Gtin {
    Gtin::with_check_digit("690000000001").unwrap()
}

pub(crate) fn flour() -> Gtin {
    Gtin::with_check_digit("690000000002").unwrap()
}

/// Wheat W1 → flour F1 (the mill) → bread P1 and P2 (the bakery) → the shop; another bakery in
/// district B also makes P1 from F1; one use corrected. The bureaus: (city, A, B).
pub(crate) async fn three_level_chain(store: &Store) -> (String, String, String) {
    let actor = Actor::console();
    let (city, a, b) = bureaus(store).await;
    let (mill, bakery, shop, far) = (uscc(11), uscc(12), uscc(13), uscc(14));
    store.ledger_enroll(&actor, &mill, "面粉厂", &a).await.unwrap();
    store.ledger_enroll(&actor, &bakery, "面包厂", &a).await.unwrap();
    store.ledger_enroll(&actor, &shop, "超市", &b).await.unwrap();
    store.ledger_enroll(&actor, &far, "外区面包厂", &b).await.unwrap();
    store
        .ledger_save_product(
            &actor,
            &bakery,
            &Product { gtin: bread(), name: "吐司".into(), specification: "400g".into(), category: Category::Food },
        )
        .await
        .unwrap();
    let into = |mut w: EntryWrite, g: Gtin, batch: &str| {
        w.into_gtin = Some(g);
        w.into_batch = Some(Batch::parse(batch).unwrap());
        w
    };
    store
        .ledger_add_entries(
            &actor,
            &mill,
            &[lw(EntryKind::Purchase, &wheat(), "W1", "100"), lw(EntryKind::Production, &flour(), "F1", "80")],
        )
        .await
        .unwrap();
    store
        .ledger_add_entries(
            &actor,
            &mill,
            &[
                into(lw(EntryKind::MaterialUse, &wheat(), "W1", "60"), flour(), "F1"),
                lw(EntryKind::Shipment, &flour(), "F1", "50"),
            ],
        )
        .await
        .unwrap();
    let ids = store
        .ledger_add_entries(
            &actor,
            &bakery,
            &[
                lw(EntryKind::Purchase, &flour(), "F1", "50"),
                lw(EntryKind::Production, &bread(), "P1", "200"),
                lw(EntryKind::Production, &bread(), "P2", "100"),
                into(lw(EntryKind::MaterialUse, &flour(), "F1", "10"), bread(), "P1"),
                into(lw(EntryKind::MaterialUse, &flour(), "F1", "5"), bread(), "P2"),
                lw(EntryKind::Sale, &bread(), "P1", "20"),
            ],
        )
        .await
        .unwrap();
    // A corrected use counts once, as its correction.
    let reason = CorrectionReason::parse("称重后数量有误").unwrap();
    store
        .ledger_correct(
            &actor,
            &bakery,
            &ids[3],
            &reason,
            &into(lw(EntryKind::MaterialUse, &flour(), "F1", "12"), bread(), "P1"),
        )
        .await
        .unwrap();
    store.ledger_add_entries(&actor, &shop, &[lw(EntryKind::Purchase, &bread(), "P1", "20")]).await.unwrap();
    store
        .ledger_add_entries(
            &actor,
            &far,
            &[lw(EntryKind::Purchase, &flour(), "F1", "3"), lw(EntryKind::Production, &bread(), "P1", "9")],
        )
        .await
        .unwrap();
    store
        .ledger_add_entries(&actor, &far, &[into(lw(EntryKind::MaterialUse, &flour(), "F1", "3"), bread(), "P1")])
        .await
        .unwrap();

    (city, a, b)
}

backend_test!(a_level_of_the_chain_in_one_query_reads_what_batch_by_batch_reads, |db| {
    let store = &db.store;
    let (city, a, b) = three_level_chain(store).await;
    let lot = |g: Gtin, b: &str| Lot::new(g, Batch::parse(b).unwrap());
    let levels = [
        vec![lot(wheat(), "W1")],
        vec![lot(flour(), "F1")],
        vec![lot(bread(), "P1"), lot(bread(), "P2"), lot(wheat(), "NONE")],
    ];
    for orgs in [vec![city.clone(), a.clone(), b.clone()], vec![a.clone()], vec![b.clone()], vec![]] {
        for lots in &levels {
            let together = store.ledger_lots_lines(&orgs, lots).await.unwrap();
            let uses_together = store.ledger_uses_into_lots(&orgs, lots).await.unwrap();
            for l in lots {
                let one: Vec<_> = together.iter().filter(|(x, _)| x == l).map(|(_, e)| e.clone()).collect();
                assert_eq!(
                    one,
                    store.ledger_batch_lines(&orgs, &l.gtin, Some(&l.batch)).await.unwrap(),
                    "{l} in {orgs:?}"
                );
                let uses: Vec<_> = uses_together.iter().filter(|(x, _)| x == l).map(|(_, e)| e.clone()).collect();
                assert_eq!(uses, store.ledger_material_uses_into(&orgs, l).await.unwrap(), "uses into {l} in {orgs:?}");
            }
            assert!(together.iter().all(|(l, _)| lots.contains(l)));
        }
    }
    // What the whole tree sees: F1's lines at both bakeries and the mill, the uses into P1 from
    // both bakeries (the corrected 10 as 12), none into the wheat.
    let all = [city.clone(), a.clone(), b.clone()];
    assert_eq!(store.ledger_lots_lines(&all, &levels[1]).await.unwrap().len(), 7);
    let uses = store.ledger_uses_into_lots(&all, &levels[2]).await.unwrap();
    let mut seen: Vec<(String, String)> =
        uses.iter().map(|(l, e)| (l.batch.as_str().to_owned(), e.quantity.to_string())).collect();
    seen.sort();
    assert_eq!(seen, [("P1".to_owned(), "12".to_owned()), ("P1".into(), "3".into()), ("P2".into(), "5".into())]);
    assert_eq!(uses.iter().filter(|(_, e)| e.product_name.is_some()).count(), 0, "the uses name flour, not the bread");
    let p1 = store.ledger_lots_lines(&all, &levels[2][..1]).await.unwrap();
    assert!(p1.iter().any(|(_, e)| e.product_name.as_deref() == Some("吐司")));
});
