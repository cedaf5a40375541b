//! The producers' chain of a traced batch — the batches made from it (forward) and the
//! raw-material lots used in it (backward) — followed breadth first a level at a time: one query
//! reads the lines of every batch newly reached on a level (and, backward, one the uses into every
//! batch of the level), rather than one query per batch.

use super::trace::{LinkedBatch, UseView};
use std::collections::BTreeMap;
use xinqiao_domain::ledger::production::Lot;
use xinqiao_store::Store;
use xinqiao_store::ledger::{Entry, LedgerResult};

/// The chain found from one batch.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    pub made_into: Vec<LinkedBatch>,
    pub made_from: Vec<LinkedBatch>,
    /// Whether the limit cut the chain in either direction.
    pub truncated: bool,
}

/// A batch reached, its lines read once its level is complete.
struct Reached {
    lot: Lot,
    uses: Vec<UseView>,
    /// How many of `uses` reached it first (the product's name falls back on those).
    first_uses: usize,
    depth: u32,
    lines: Vec<Entry>,
}

/// Where a level of the walk left it.
enum Level {
    /// New batches were reached: their range in `Found::list`, the next level's sources.
    Next((usize, usize)),
    /// Nothing new: the chain ends here.
    Done,
    /// The limit stopped it.
    Cut,
}

/// The batches reached in one direction, in the order reached.
struct Found {
    start: Lot,
    limit: usize,
    list: Vec<Reached>,
    /// Where the batches without their lines yet begin.
    unread: usize,
}

impl Found {
    fn new(start: &Lot, limit: usize) -> Self {
        Found { start: start.clone(), limit, list: Vec::new(), unread: 0 }
    }

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
        self.list.push(Reached { lot, first_uses: uses.len(), uses, depth, lines: Vec::new() });
        true
    }

    /// Reads the lines of every batch reached since the last read, in one query.
    async fn read(&mut self, store: &Store, orgs: &[String]) -> LedgerResult<()> {
        let from = self.unread;
        self.unread = self.list.len();
        let lots: Vec<Lot> = self.list[from..].iter().map(|r| r.lot.clone()).collect();
        if lots.is_empty() {
            return Ok(());
        }
        let at: BTreeMap<Lot, usize> = lots.iter().cloned().enumerate().map(|(i, l)| (l, from + i)).collect();
        for (lot, e) in store.ledger_lots_lines(orgs, &lots).await? {
            if let Some(&i) = at.get(&lot) {
                self.list[i].lines.push(e);
            }
        }
        Ok(())
    }

    /// Takes in the batches a level reached (at `depth`) and reads the new ones' lines.
    async fn take_level(
        &mut self,
        reached: Vec<(Lot, Vec<UseView>)>,
        depth: u32,
        store: &Store,
        orgs: &[String],
    ) -> LedgerResult<Level> {
        let before = self.list.len();
        for (lot, uses) in reached {
            if !self.reach(lot, uses, depth) {
                return Ok(Level::Cut);
            }
        }
        self.read(store, orgs).await?;
        Ok(if self.list.len() == before { Level::Done } else { Level::Next((before, self.list.len())) })
    }

    fn into_batches(self) -> Vec<LinkedBatch> {
        self.list
            .into_iter()
            .map(|r| {
                let mut linked =
                    LinkedBatch::of(&r.lot.gtin, &r.lot.batch, &r.lines, r.uses[..r.first_uses].to_vec(), r.depth);
                linked.uses = r.uses;
                linked
            })
            .collect()
    }
}

/// Follows the chain from `start` (whose current lines in the tree are `start_lines`) up to
/// `limit` batches each way and `max_depth` links from it, within the bureaus `orgs`.
pub async fn follow(
    store: &Store,
    orgs: &[String],
    start: &Lot,
    start_lines: &[Entry],
    limit: usize,
    max_depth: u32,
) -> LedgerResult<Chain> {
    let (made_into, cut_forward) = forward(store, orgs, start, start_lines, limit, max_depth).await?;
    let (made_from, cut_backward) = backward(store, orgs, start, limit, max_depth).await?;
    Ok(Chain { made_into, made_from, truncated: cut_forward || cut_backward })
}

/// Forward: the production batches the lot's raw-material uses name, then those made from them.
async fn forward(
    store: &Store,
    orgs: &[String],
    start: &Lot,
    start_lines: &[Entry],
    limit: usize,
    max_depth: u32,
) -> LedgerResult<(Vec<LinkedBatch>, bool)> {
    let mut found = Found::new(start, limit);
    let mut level = (0, 0);
    let mut depth = 0;
    let mut cut = false;
    while depth < max_depth {
        let sources: Vec<&[Entry]> = if depth == 0 {
            vec![start_lines]
        } else {
            found.list[level.0..level.1].iter().map(|r| r.lines.as_slice()).collect()
        };
        let mut reached: Vec<(Lot, Vec<UseView>)> = Vec::new();
        for lines in sources {
            let mut by_product: BTreeMap<Lot, Vec<UseView>> = BTreeMap::new();
            for e in lines {
                if let (Some(view), Some(g), Some(b)) = (UseView::of(e), &e.into_gtin, &e.into_batch) {
                    by_product.entry(Lot::new(g.clone(), b.clone())).or_default().push(view);
                }
            }
            reached.extend(by_product);
        }
        match found.take_level(reached, depth + 1, store, orgs).await? {
            Level::Next(range) => level = range,
            Level::Done => break,
            Level::Cut => {
                cut = true;
                break;
            }
        }
        depth += 1;
    }
    found.read(store, orgs).await?;
    Ok((found.into_batches(), cut))
}

/// Backward: the raw-material lots used in the batch, then the lots used in those.
async fn backward(
    store: &Store,
    orgs: &[String],
    start: &Lot,
    limit: usize,
    max_depth: u32,
) -> LedgerResult<(Vec<LinkedBatch>, bool)> {
    let mut found = Found::new(start, limit);
    let mut level = (0, 0);
    let mut depth = 0;
    let mut cut = false;
    while depth < max_depth {
        let lots: Vec<Lot> = if depth == 0 {
            vec![start.clone()]
        } else {
            found.list[level.0..level.1].iter().map(|r| r.lot.clone()).collect()
        };
        let mut uses_into: BTreeMap<Lot, Vec<Entry>> = BTreeMap::new();
        for (lot, e) in store.ledger_uses_into_lots(orgs, &lots).await? {
            uses_into.entry(lot).or_default().push(e);
        }
        let mut reached: Vec<(Lot, Vec<UseView>)> = Vec::new();
        for lot in &lots {
            let mut by_lot: BTreeMap<Lot, Vec<UseView>> = BTreeMap::new();
            for e in uses_into.get(lot).map(Vec::as_slice).unwrap_or_default() {
                if let (Some(view), Some(b)) = (UseView::of(e), &e.batch) {
                    by_lot.entry(Lot::new(e.gtin.clone(), b.clone())).or_default().push(view);
                }
            }
            reached.extend(by_lot);
        }
        match found.take_level(reached, depth + 1, store, orgs).await? {
            Level::Next(range) => level = range,
            Level::Done => break,
            Level::Cut => {
                cut = true;
                break;
            }
        }
        depth += 1;
    }
    found.read(store, orgs).await?;
    Ok((found.into_batches(), cut))
}
