//! The producers' chain of a traced batch — the batches made from it (forward) and the
//! raw-material lots used in it (backward) — followed breadth first a level at a time. Each level
//! is two queries: the uses linking it to the next (grouped by producer and pair of batches), and
//! the summary of every batch newly reached, summed in SQL; no linked batch's lines are read
//! (its own trace, a link away, reads them). The two directions are followed at once, and a
//! level's summaries are read at once with the uses of the same batches (the next level's
//! links), each on its own connection: the waits for the database overlap rather than add up
//! (at 10M a whole chain was nine statements one after the other, now three deep).

use super::trace::{LinkedBatch, UseView};
use std::collections::BTreeMap;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_store::Store;
use xinqiao_store::ledger::{LedgerResult, LotSummary, UseGroup};

/// The chain found from one batch.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub made_into: Vec<LinkedBatch>,
    pub made_from: Vec<LinkedBatch>,
    /// Whether the limit cut the chain in either direction.
    pub truncated: bool,
}

/// A batch reached, its summary read once its level is complete.
struct Reached {
    lot: Lot,
    uses: Vec<UseView>,
    depth: u32,
    summary: Option<LotSummary>,
}

/// The batches reached in one direction, in the order reached.
struct Found {
    start: Lot,
    limit: usize,
    list: Vec<Reached>,
}

impl Found {
    /// Adds a batch reached by `uses`, or the uses to the batch already reached; false when the
    /// limit stops it (the chain is cut there).
    fn reach(&mut self, lot: Lot, uses: Vec<UseView>, depth: u32) -> bool {
        if lot == self.start {
            return true;
        }
        if let Some(r) = self.list.iter_mut().find(|r| r.lot == lot) {
            r.uses.extend(uses);
            return true;
        }
        if self.list.len() >= self.limit {
            return false;
        }
        self.list.push(Reached { lot, uses, depth, summary: None });
        true
    }
}

/// Follows the chain from `start` up to `limit` batches each way and `max_depth` links from it,
/// within the bureaus `orgs`; each linked batch's link to its own trace carries `purpose`.
pub async fn follow(
    store: &Store,
    orgs: &[String],
    start: &Lot,
    limit: usize,
    max_depth: u32,
    purpose: &str,
) -> LedgerResult<Chain> {
    let ((made_into, cut_forward), (made_from, cut_backward)) = tokio::try_join!(
        walk(store, orgs, start, limit, max_depth, true, purpose),
        walk(store, orgs, start, limit, max_depth, false, purpose)
    )?;
    Ok(Chain { made_into, made_from, truncated: cut_forward || cut_backward })
}

/// One direction: forward, the production batches each level's lots went into (and on);
/// backward, the raw-material lots used in each level's batches (and on).
async fn walk(
    store: &Store,
    orgs: &[String],
    start: &Lot,
    limit: usize,
    max_depth: u32,
    forward: bool,
    purpose: &str,
) -> LedgerResult<(Vec<LinkedBatch>, bool)> {
    let mut found = Found { start: start.clone(), limit, list: Vec::new() };
    let mut level: Vec<Lot> = vec![start.clone()];
    let mut depth = 0;
    let mut cut = false;
    // The uses of the level, when they were read with the previous level's summaries.
    let mut read_ahead: Option<Vec<UseGroup>> = None;
    while depth < max_depth && !level.is_empty() {
        let groups = match read_ahead.take() {
            Some(groups) => groups,
            None => uses(store, orgs, &level, forward).await?,
        };
        // Per source batch in the level's order, the batches it reaches in their order.
        let mut by_source: BTreeMap<&Lot, BTreeMap<Lot, Vec<UseView>>> = BTreeMap::new();
        for g in &groups {
            let next = if forward { &g.into } else { &g.material };
            by_source.entry(&g.lot).or_default().entry(next.clone()).or_default().push(UseView::of_group(g));
        }
        let before = found.list.len();
        'level: for source in &level {
            for (lot, uses) in by_source.remove(source).unwrap_or_default() {
                if !found.reach(lot, uses, depth + 1) {
                    cut = true;
                    break 'level;
                }
            }
        }
        let new: Vec<Lot> = found.list[before..].iter().map(|r| r.lot.clone()).collect();
        // The batches just reached are the next level, unless the chain stops here.
        let next_level = !cut && depth + 1 < max_depth && !new.is_empty();
        let summaries = if next_level {
            let (summaries, groups) =
                tokio::try_join!(store.ledger_lots_summaries(orgs, &new), uses(store, orgs, &new, forward))?;
            read_ahead = Some(groups);
            summaries
        } else {
            store.ledger_lots_summaries(orgs, &new).await?
        };
        let mut summaries: BTreeMap<Lot, LotSummary> = summaries.into_iter().map(|s| (s.lot.clone(), s)).collect();
        for r in &mut found.list[before..] {
            r.summary = summaries.remove(&r.lot);
        }
        if cut {
            break;
        }
        level = new;
        depth += 1;
    }
    let batches =
        found.list.into_iter().map(|r| LinkedBatch::of(&r.lot, r.summary.as_ref(), r.uses, r.depth, purpose)).collect();
    Ok((batches, cut))
}

/// The uses linking the batches of `level` to the next level: forward, their uses as raw
/// material; backward, the uses that went into them.
async fn uses(store: &Store, orgs: &[String], level: &[Lot], forward: bool) -> LedgerResult<Vec<UseGroup>> {
    if forward { store.ledger_uses_of_lots(orgs, level).await } else { store.ledger_uses_in_lots(orgs, level).await }
}
