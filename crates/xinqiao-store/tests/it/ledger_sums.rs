//! 电子台账's kept sums on both backends: a chain level summed in SQL (from the per-keeper rows
//! and the per-bureau roll-up) says what the full lines say, after writes, corrections, an import,
//! product saves and the purge, in several scopes; the migrations sum lines written before them.

use crate::backend_test;
use crate::ledger::{bread, d, uscc};
use crate::ledger_chain::{flour, lw, three_level_chain, wheat};
use sqlx::Row;
use xinqiao_domain::ledger::{Batch, Category, CorrectionReason, EntryKind, Gtin, Lot};
use xinqiao_store::Store;
use xinqiao_store::audit::Actor;
use xinqiao_store::ledger::{EntryWrite, Product};

/// What a batch's summary should say, computed here from its full current lines.
fn summary_from_lines(lines: &[xinqiao_store::ledger::Entry]) -> (i64, i64, i64, i64, i64, i64, i64, i64) {
    use std::collections::BTreeMap;
    let mut per: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for e in lines {
        let slot = per.entry(e.uscc.as_str()).or_default();
        if e.kind.stock_sign() > 0 {
            slot.0 += e.quantity.milli();
        } else {
            slot.1 += e.quantity.milli();
        }
    }
    let received: Vec<&(i64, i64)> = per.values().filter(|(i, _)| *i > 0).collect();
    (
        lines.len() as i64,
        per.len() as i64,
        received.len() as i64,
        received.iter().filter(|(i, o)| i > o).count() as i64,
        per.values().map(|(i, _)| i).sum(),
        per.values().map(|(_, o)| o).sum(),
        received.iter().map(|(i, o)| i - o).sum(),
        lines.iter().filter(|e| e.kind == EntryKind::MaterialUse && e.into_gtin.is_none()).count() as i64,
    )
}

/// Every figure of a level's summaries, holders and use groups, in each scope, against the full
/// lines those scopes see.
async fn level_says_what_the_lines_say(store: &Store, scopes: &[Vec<String>], lots: &[Lot]) {
    for orgs in scopes {
        let summaries = store.ledger_lots_summaries(orgs, lots).await.unwrap();
        let holders = store.ledger_lots_holders(orgs, lots).await.unwrap();
        let uses_of = store.ledger_uses_of_lots(orgs, lots).await.unwrap();
        let uses_in = store.ledger_uses_in_lots(orgs, lots).await.unwrap();
        for l in lots {
            let lines = store.ledger_batch_lines(orgs, &l.gtin, Some(&l.batch)).await.unwrap();
            let got = summaries.iter().find(|s| &s.lot == l);
            if lines.is_empty() {
                assert!(got.is_none(), "{l} has no lines in {orgs:?}");
                continue;
            }
            let s = got.unwrap_or_else(|| panic!("{l} in {orgs:?}"));
            assert_eq!(
                (
                    s.movements,
                    s.keepers,
                    s.holders,
                    s.holding,
                    s.in_milli,
                    s.out_milli,
                    s.on_hand_milli,
                    s.unlinked_uses
                ),
                summary_from_lines(&lines),
                "{l} in {orgs:?}"
            );
            assert_eq!(s.first, lines.iter().map(|e| e.recorded_on).min().unwrap());
            assert_eq!(s.last, lines.iter().map(|e| e.recorded_on).max().unwrap());
            assert_eq!(s.product, lines.iter().filter_map(|e| e.product_name.clone()).min());
            // The holders a recall list reaches: every keeper that received it, with its on hand.
            let mut want: Vec<(String, i64)> = Vec::new();
            for e in &lines {
                let on: i64 =
                    lines.iter().filter(|x| x.uscc == e.uscc).map(|x| x.kind.stock_sign() * x.quantity.milli()).sum();
                let got_in = lines.iter().any(|x| x.uscc == e.uscc && x.kind.stock_sign() > 0);
                if got_in && !want.iter().any(|(u, _)| u == e.uscc.as_str()) {
                    want.push((e.uscc.as_str().to_owned(), on));
                }
            }
            want.sort();
            let have: Vec<(String, i64)> =
                holders.iter().filter(|(x, _, _)| x == l).map(|(_, u, q)| (u.as_str().to_owned(), *q)).collect();
            assert_eq!(have, want, "holders of {l} in {orgs:?}");
            // The uses out of it and into it, summed per producer and pair of batches.
            let sum = |groups: &[xinqiao_store::ledger::UseGroup]| -> (i64, i64) {
                (groups.iter().map(|g| g.uses).sum(), groups.iter().map(|g| g.quantity_milli).sum())
            };
            let out: Vec<_> = uses_of.iter().filter(|g| &g.lot == l).cloned().collect();
            let linked_out: Vec<_> =
                lines.iter().filter(|e| e.kind == EntryKind::MaterialUse && e.into_gtin.is_some()).collect();
            assert_eq!(
                sum(&out),
                (linked_out.len() as i64, linked_out.iter().map(|e| e.quantity.milli()).sum()),
                "uses of {l} in {orgs:?}"
            );
            let into = store.ledger_material_uses_into(orgs, l).await.unwrap();
            let inn: Vec<_> = uses_in.iter().filter(|g| &g.lot == l).cloned().collect();
            assert_eq!(sum(&inn), (into.len() as i64, into.iter().map(|e| e.quantity.milli()).sum()), "uses into {l}");
        }
    }
}

/// The rows of `ledger_lot_keepers`, in key order.
async fn keeper_rows(store: &Store) -> Vec<(String, String, String, i64, i64, i64, i64, i64, i64, String, String)> {
    sqlx::query_as(
        "SELECT gtin, batch, uscc, movements, in_milli, out_milli, unlinked, first_on, last_on, unit_lo, unit_hi \
         FROM ledger_lot_keepers ORDER BY gtin, batch, uscc",
    )
    .fetch_all(store.pool())
    .await
    .unwrap()
}

/// The rows of `ledger_lot_bureaus`, in key order.
async fn bureau_rows(store: &Store) -> Vec<Vec<String>> {
    let rows = sqlx::query(
        "SELECT gtin, batch, org_id, keepers, holders, holding, movements, in_milli, out_milli, on_hand_milli, \
         unlinked, first_on, last_on, unit_lo, unit_hi, product FROM ledger_lot_bureaus ORDER BY gtin, batch, org_id",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    rows.iter()
        .map(|r| {
            let mut v: Vec<String> = ["gtin", "batch", "org_id"].iter().map(|c| r.get::<String, _>(*c)).collect();
            for c in [
                "keepers",
                "holders",
                "holding",
                "movements",
                "in_milli",
                "out_milli",
                "on_hand_milli",
                "unlinked",
                "first_on",
                "last_on",
            ] {
                v.push(r.get::<i64, _>(c).to_string());
            }
            v.extend(["unit_lo", "unit_hi"].iter().map(|c| r.get::<String, _>(*c)));
            v.push(format!("{:?}", r.get::<Option<String>, _>("product")));
            v
        })
        .collect()
}

/// The rows the store kept with each write are the rows summed again from the current lines:
/// the per-(batch, keeper) sums and their per-(batch, bureau) roll-up.
async fn kept_sums_are_the_lines_sums(store: &Store) {
    let kept = keeper_rows(store).await;
    let rolled = bureau_rows(store).await;
    assert!(!kept.is_empty() && !rolled.is_empty());
    assert!(rolled.len() < kept.len(), "keepers of a batch in one bureau share a row");
    store.ledger_rebuild_lot_keepers().await.unwrap();
    assert_eq!(kept, keeper_rows(store).await, "kept with each write = summed from the lines");
    assert_eq!(rolled, bureau_rows(store).await, "rolled up with each write = rolled up from the sums");
}

backend_test!(a_level_summed_in_sql_says_what_the_full_lines_say, |db| {
    let store = &db.store;
    let actor = Actor::console();
    let (city, a, b) = three_level_chain(store).await;
    // Entries and a correction, each written through the store: the per-(batch, keeper) sums
    // follow every one of them.
    kept_sums_are_the_lines_sums(store).await;
    // A use written before the chain (no product GTIN) is counted as unlinked. It is written
    // behind the store's back, as the lines a migration found: summed as migration 0085 does.
    let bakery = uscc(12);
    sqlx::query(
        "INSERT INTO ledger_entries (id, uscc, kind, gtin, batch, quantity_milli, unit, recorded_on, retain_until, \
         created_by, created_at, into_batch) VALUES ('old-use', $1, 'material_use', $2, 'F1', 1000, '箱', 20400, 21000, '', 0, 'OLD')",
    )
    .bind(bakery.as_str())
    .bind(flour().as_str())
    .execute(store.pool())
    .await
    .unwrap();
    store.ledger_rebuild_lot_keepers().await.unwrap();
    let lot = |g: Gtin, b: &str| Lot::new(g, Batch::parse(b).unwrap());
    let lots = [lot(wheat(), "W1"), lot(flour(), "F1"), lot(bread(), "P1"), lot(bread(), "P2"), lot(wheat(), "NONE")];
    let scopes = [vec![city.clone(), a.clone(), b.clone()], vec![a.clone()], vec![b.clone()], vec![]];
    level_says_what_the_lines_say(store, &scopes, &lots).await;
    // The whole tree: F1 has the mill's production and shipment, the bakery's purchase and two
    // uses (one corrected, counted once), the old use, the far bakery's purchase and use.
    let all = [city.clone(), a.clone(), b.clone()];
    let f1 = store.ledger_lots_summaries(&all, &lots[1..2]).await.unwrap();
    assert_eq!((f1[0].movements, f1[0].keepers, f1[0].unlinked_uses), (8, 3, 1));
    assert_eq!((f1[0].in_milli, f1[0].out_milli), (133_000, 71_000));
    let p1_uses = store.ledger_uses_in_lots(&all, &lots[2..3]).await.unwrap();
    let mut q: Vec<(String, i64)> = p1_uses.iter().map(|g| (g.uscc.as_str().to_owned(), g.quantity_milli)).collect();
    q.sort();
    assert_eq!(q.len(), 2, "one group per bakery: {q:?}");
    assert_eq!(q.iter().map(|(_, m)| m).sum::<i64>(), 15_000, "12 (corrected) + 3");

    // Product masters saved after the lines: the far bakery names the bread first by the least
    // name (so bureau b's and the tree's summaries take it), then renames it past the bakery's
    // (the tree's name goes back to the bakery's: the least is summed again, not kept); the mill
    // names its flour. Each summary follows, in every scope.
    let far = uscc(14);
    let bread_named = |name: &str| Product {
        gtin: bread(),
        name: name.into(),
        specification: "400g".into(),
        category: Category::Food,
    };
    store.ledger_save_product(&actor, &far, &bread_named("全麦吐司")).await.unwrap();
    level_says_what_the_lines_say(store, &scopes, &lots).await;
    let p1 = store.ledger_lots_summaries(&all, &lots[2..3]).await.unwrap();
    assert_eq!(p1[0].product.as_deref(), Some("全麦吐司"));
    store.ledger_save_product(&actor, &far, &bread_named("面包")).await.unwrap();
    let mill_flour =
        Product { gtin: flour(), name: "小麦粉".into(), specification: "25kg".into(), category: Category::Food };
    store.ledger_save_product(&actor, &uscc(11), &mill_flour).await.unwrap();
    level_says_what_the_lines_say(store, &scopes, &lots).await;
    kept_sums_are_the_lines_sums(store).await;
    let p1 = store.ledger_lots_summaries(&all, &lots[2..3]).await.unwrap();
    assert_eq!(p1[0].product.as_deref(), Some("吐司"));
    let p1_b = store.ledger_lots_summaries(std::slice::from_ref(&b), &lots[2..3]).await.unwrap();
    assert_eq!(p1_b[0].product.as_deref(), Some("面包"));

    // An import (several lines in one submission) by a new keeper in the other bureau, some kept
    // only until 2027-01-01, one of those corrected by another such line; then the purge of the
    // lines past their date, which leaves that keeper with one line of F1 and another keeper
    // with none at all.
    let early = |w: EntryWrite| EntryWrite { retain_until: d("2027-01-01"), ..w };
    let (importer, gone) = (uscc(15), uscc(16));
    store.ledger_enroll(&actor, &importer, "外区超市", &b).await.unwrap();
    store.ledger_enroll(&actor, &gone, "外区小店", &a).await.unwrap();
    let ids = store
        .ledger_add_entries(
            &actor,
            &importer,
            &[
                early(lw(EntryKind::Purchase, &flour(), "F1", "7")),
                early(lw(EntryKind::Sale, &flour(), "F1", "2")),
                EntryWrite { recorded_on: d("2026-11-25"), ..lw(EntryKind::Purchase, &flour(), "F1", "1") },
                early(lw(EntryKind::Purchase, &bread(), "P2", "4")),
            ],
        )
        .await
        .unwrap();
    store.ledger_add_entries(&actor, &gone, &[early(lw(EntryKind::Purchase, &bread(), "P1", "6"))]).await.unwrap();
    let reason = CorrectionReason::parse("数量录错").unwrap();
    store
        .ledger_correct(&actor, &importer, &ids[1], &reason, &early(lw(EntryKind::Sale, &flour(), "F1", "3")))
        .await
        .unwrap();
    // A correction moving a line to another batch: both batches' sums follow.
    store
        .ledger_correct(&actor, &importer, &ids[3], &reason, &early(lw(EntryKind::Purchase, &bread(), "P1", "4")))
        .await
        .unwrap();
    level_says_what_the_lines_say(store, &scopes, &lots).await;
    kept_sums_are_the_lines_sums(store).await;
    let f1 = store.ledger_lots_summaries(&all, &lots[1..2]).await.unwrap();
    assert_eq!((f1[0].movements, f1[0].keepers, f1[0].in_milli, f1[0].out_milli), (11, 4, 141_000, 74_000));
    let purged = store.ledger_purge_expired(&actor, d("2027-01-02")).await.unwrap();
    assert_eq!(
        purged.lines, 6,
        "the importer's five early lines (two corrected, with their corrections) and the small shop's one"
    );
    level_says_what_the_lines_say(store, &scopes, &lots).await;
    kept_sums_are_the_lines_sums(store).await;
    let f1 = store.ledger_lots_summaries(&all, &lots[1..2]).await.unwrap();
    assert_eq!((f1[0].movements, f1[0].keepers, f1[0].in_milli, f1[0].last), (9, 4, 134_000, d("2026-11-25")));
    let rows = keeper_rows(store).await;
    assert!(!rows.iter().any(|r| r.2 == gone.as_str()), "a keeper with no line left has no sums: {rows:?}");
});

// A database filled before migrations 0085 and 0086: they sum its lines into the same rows the
// store keeps with each write, per keeper and per bureau.
backend_test!(the_migration_sums_the_lines_written_before_it, |db| {
    let store = &db.store;
    let (city, a, b) = three_level_chain(store).await;
    let kept = keeper_rows(store).await;
    let lot = |g: Gtin, b: &str| Lot::new(g, Batch::parse(b).unwrap());
    let lots = [lot(wheat(), "W1"), lot(flour(), "F1"), lot(bread(), "P1"), lot(bread(), "P2")];
    let all = [city.clone(), a.clone(), b.clone()];
    // One summary per lot, in no particular order (the chain keys them by lot).
    let summaries = |mut v: Vec<xinqiao_store::ledger::LotSummary>| {
        v.sort_by(|a, b| a.lot.cmp(&b.lot));
        v
    };
    let before = summaries(store.ledger_lots_summaries(&all, &lots).await.unwrap());
    assert_eq!(before.len(), 4);
    let rolled = bureau_rows(store).await;
    assert!(!rolled.is_empty());
    // Undo the migrations, as if the lines had been written before them, and run them again.
    sqlx::raw_sql(
        "DROP TABLE ledger_lot_bureaus; DROP TABLE ledger_lot_keepers; \
         DELETE FROM schema_migrations WHERE version IN (85, 86)",
    )
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(store.migrate().await.unwrap(), 2);
    assert_eq!(keeper_rows(store).await, kept);
    assert_eq!(bureau_rows(store).await, rolled);
    assert_eq!(summaries(store.ledger_lots_summaries(&all, &lots).await.unwrap()), before);
    let scopes = [all.to_vec(), vec![a.clone()], vec![b.clone()], vec![]];
    level_says_what_the_lines_say(store, &scopes, &lots).await;
});
