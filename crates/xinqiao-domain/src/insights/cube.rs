//! The in-memory roll-up cube the insights dashboards read: one row per (day received, bureau,
//! kind, category, industry, enterprise) holding additive [`Measures`].
//!
//! Each case contributes one row's worth ([`CaseFacts::contribution`]); when a case changes (closed,
//! mediated, rated, reclassified) the caller applies its old contribution negated and its new one,
//! so the cube always equals a recount from the cases ([`recount`], which the tests compare to).
//!
//! Because the key includes the enterprise there is about one row per case, so a row is kept
//! small: 56 bytes, and about 5–10 more in the index. Dimension values are interned once each
//! (bureau, kind, category and industry to `u16`, the enterprise to `u32`, each name held once),
//! the day is an `i32`, the measures are `i32` counts with the recovered amount in `i64`, and the
//! index from key to row holds only the row number, hashing the row's own columns. Rows are stored
//! column by column, so a filtered [`Cube::dashboard`] is a single pass over a few flat vectors.

pub use super::dashboard::{Dashboard, Filter, MAX_DAY_SPAN, ParetoRow, recount, region_covers};
pub use super::facts::{CaseFacts, Key, Measures};

use super::dashboard::{Tally, finish};
use super::taxonomy::UNCLASSIFIED;
use hashbrown::HashTable;
use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hash};

/// A seeded hash for the cube's tables (names come from the public form: the seed keeps their
/// hashes unpredictable).
#[derive(Debug, Clone, Default)]
struct Hasher(std::collections::hash_map::RandomState);

impl Hasher {
    fn hash<T: Hash + ?Sized>(&self, v: &T) -> u64 {
        self.0.hash_one(v)
    }
}

/// Distinct values of one dimension, numbered in order of first appearance; each name is held
/// once (the index holds numbers).
#[derive(Debug, Clone, Default)]
struct Dim {
    names: Vec<Box<str>>,
    ids: HashTable<u32>,
    hasher: Hasher,
}

impl Dim {
    fn id(&self, s: &str) -> Option<u32> {
        self.ids.find(self.hasher.hash(s), |&i| &*self.names[i as usize] == s).copied()
    }

    fn intern(&mut self, s: &str) -> u32 {
        if let Some(id) = self.id(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 values per dimension");
        let Self { names, ids, hasher } = self;
        names.push(s.into());
        ids.insert_unique(hasher.hash(s), id, |&i| hasher.hash(&*names[i as usize]));
        id
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }

    fn named(&self, counts: Vec<i64>) -> Vec<(String, i64)> {
        counts.into_iter().enumerate().filter(|(_, n)| *n != 0).map(|(i, n)| (self.names[i].to_string(), n)).collect()
    }

    /// Like [`Dim::named`] without empty names, keeping only values that can rank among the `top_n`
    /// largest: those at least as large as the `top_n`-th count (ties included, so the final ranking
    /// by count then name is unchanged). Saves cloning and sorting every enterprise's name.
    fn named_top(&self, counts: Vec<i64>, top_n: usize) -> Vec<(String, i64)> {
        let mut nonzero: Vec<i64> =
            counts.iter().enumerate().filter(|&(i, n)| *n != 0 && !self.names[i].is_empty()).map(|(_, n)| *n).collect();
        if top_n == 0 {
            return Vec::new();
        }
        let threshold = if nonzero.len() > top_n {
            *nonzero.select_nth_unstable_by(top_n - 1, |a, b| b.cmp(a)).1
        } else {
            i64::MIN
        };
        counts
            .into_iter()
            .enumerate()
            .filter(|&(i, n)| n != 0 && n >= threshold && !self.names[i].is_empty())
            .map(|(i, n)| (self.names[i].to_string(), n))
            .collect()
    }
}

/// A small dimension's value number: bureaus, kinds, categories and industries each have far
/// fewer than 65,536 values (China has about 3,000 county-level bureaus).
fn small(id: u32) -> u16 {
    u16::try_from(id).expect("fewer than 65,536 bureaus, kinds, categories or industries")
}

/// A day as stored: days since 1970 fit an `i32` for millions of years either side.
fn day32(day: i64) -> i32 {
    i32::try_from(day).unwrap_or(if day < 0 { i32::MIN } else { i32::MAX })
}

/// An `i64` count as a row's `i32`, saturating (never reached: see [`Compact`]).
fn c32(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

/// [`Measures`] as a row holds them: counts in `i32` (one row is one day, bureau, kind,
/// category, industry and enterprise: far from two billion cases), the amount in `i64`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Compact {
    recovered_cents: i64,
    received: i32,
    accepted: i32,
    closed: i32,
    closed_on_time: i32,
    mediated: i32,
    mediated_success: i32,
    rating_sum: i32,
    rating_count: i32,
}

impl Compact {
    fn add(&mut self, m: &Measures) {
        let add = |a: i32, b: i64| c32(i64::from(a) + b);
        self.recovered_cents += m.recovered_cents;
        self.received = add(self.received, m.received);
        self.accepted = add(self.accepted, m.accepted);
        self.closed = add(self.closed, m.closed);
        self.closed_on_time = add(self.closed_on_time, m.closed_on_time);
        self.mediated = add(self.mediated, m.mediated);
        self.mediated_success = add(self.mediated_success, m.mediated_success);
        self.rating_sum = add(self.rating_sum, m.rating_sum);
        self.rating_count = add(self.rating_count, m.rating_count);
    }

    fn wide(&self) -> Measures {
        Measures {
            received: self.received.into(),
            accepted: self.accepted.into(),
            closed: self.closed.into(),
            closed_on_time: self.closed_on_time.into(),
            mediated: self.mediated.into(),
            mediated_success: self.mediated_success.into(),
            rating_sum: self.rating_sum.into(),
            rating_count: self.rating_count.into(),
            recovered_cents: self.recovered_cents,
        }
    }
}

/// A row's key with its dimensions interned: bureau, kind, category, industry, then enterprise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Packed {
    day: i32,
    dims: [u16; 4],
    enterprise: u32,
}

/// Which rows a filter selects, by interned values.
struct Selection {
    from: i64,
    to: i64,
    kind: Option<u16>,
    industry: Option<u16>,
    category: Option<u16>,
    bureau_ok: Vec<bool>,
}

impl Selection {
    fn takes(&self, day: i32, [bureau, kind, category, industry]: [u16; 4]) -> bool {
        let day = i64::from(day);
        day >= self.from
            && day <= self.to
            && self.kind.is_none_or(|k| k == kind)
            && self.industry.is_none_or(|v| v == industry)
            && self.category.is_none_or(|c| c == category)
            && self.bureau_ok[bureau as usize]
    }
}

/// The roll-up cube; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    bureaus: Dim,
    kinds: Dim,
    categories: Dim,
    industries: Dim,
    enterprises: Dim,
    day: Vec<i32>,
    /// Bureau, kind, category, industry of each row.
    dims: Vec<[u16; 4]>,
    enterprise: Vec<u32>,
    measures: Vec<Compact>,
    /// Row numbers, found by hashing the row's key from the columns.
    index: HashTable<u32>,
    hasher: Hasher,
}

impl Cube {
    pub fn new() -> Self {
        Self::default()
    }

    /// A cube holding every case's contribution.
    pub fn from_facts<'a>(facts: impl IntoIterator<Item = &'a CaseFacts>) -> Self {
        let mut cube = Self::new();
        for f in facts {
            let (key, m) = f.contribution();
            cube.apply(&key, m);
        }
        cube
    }

    fn packed_at(&self, row: usize) -> Packed {
        Packed { day: self.day[row], dims: self.dims[row], enterprise: self.enterprise[row] }
    }

    fn find(&self, packed: &Packed) -> Option<usize> {
        let hash = self.hasher.hash(packed);
        self.index.find(hash, |&r| self.packed_at(r as usize) == *packed).map(|&r| r as usize)
    }

    /// Adds `delta` to the row at `key`, creating it if needed; a row that reaches zero stays. An
    /// empty category is filed as [`UNCLASSIFIED`], as [`CaseFacts::contribution`] does.
    pub fn apply(&mut self, key: &Key, delta: Measures) {
        let category = if key.category.is_empty() { UNCLASSIFIED } else { &key.category };
        let packed = Packed {
            day: day32(key.day),
            dims: [
                small(self.bureaus.intern(&key.bureau)),
                small(self.kinds.intern(&key.kind)),
                small(self.categories.intern(category)),
                small(self.industries.intern(&key.industry)),
            ],
            enterprise: self.enterprises.intern(&key.enterprise),
        };
        if let Some(row) = self.find(&packed) {
            self.measures[row].add(&delta);
            return;
        }
        let row = u32::try_from(self.measures.len()).expect("fewer than 2^32 rows");
        self.day.push(packed.day);
        self.dims.push(packed.dims);
        self.enterprise.push(packed.enterprise);
        let mut m = Compact::default();
        m.add(&delta);
        self.measures.push(m);
        let Self { index, hasher, day, dims, enterprise, .. } = self;
        index.insert_unique(hasher.hash(&packed), row, |&r| {
            let r = r as usize;
            hasher.hash(&Packed { day: day[r], dims: dims[r], enterprise: enterprise[r] })
        });
    }

    /// Rows, including those that came back to zero.
    pub fn len(&self) -> usize {
        self.measures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.measures.is_empty()
    }

    fn key_at(&self, i: usize) -> Key {
        let [b, k, c, n] = self.dims[i];
        Key {
            day: self.day[i].into(),
            bureau: self.bureaus.name(b.into()).to_owned(),
            kind: self.kinds.name(k.into()).to_owned(),
            category: self.categories.name(c.into()).to_owned(),
            industry: self.industries.name(n.into()).to_owned(),
            enterprise: self.enterprises.name(self.enterprise[i]).to_owned(),
        }
    }

    /// Every row with its key, in order of creation.
    pub fn rows(&self) -> impl Iterator<Item = (Key, Measures)> + '_ {
        (0..self.len()).map(|i| (self.key_at(i), self.measures[i].wide()))
    }

    /// Which rows `filter` selects; `None` when it selects nothing (a value the cube never saw,
    /// an empty range).
    fn selection(&self, filter: &Filter) -> Option<Selection> {
        let wanted = |dim: &Dim, v: Option<&str>| match v {
            None => Some(None),
            Some(v) => dim.id(v).map(|id| Some(small(id))),
        };
        let kind = wanted(&self.kinds, filter.kind.as_deref())?;
        let industry = wanted(&self.industries, filter.industry.as_deref())?;
        let category = wanted(&self.categories, filter.category())?;
        if filter.span() == 0 {
            return None;
        }
        let bureau_ok = self
            .bureaus
            .names
            .iter()
            .map(|b| filter.bureau_prefix.as_ref().is_none_or(|p| region_covers(p, b)) && filter.in_scope(b))
            .collect();
        Some(Selection { from: filter.from_day, to: filter.to_day, kind, industry, category, bureau_ok })
    }

    /// The dashboard for `filter`, in one pass over the rows.
    pub fn dashboard(&self, filter: &Filter, top_n: usize) -> Dashboard {
        let Some(sel) = self.selection(filter) else { return finish(filter, top_n, Tally::default()) };
        let dense = filter.span() <= MAX_DAY_SPAN;
        let mut by_day = vec![0i64; if dense { filter.span() as usize } else { 0 }];
        let mut sparse: BTreeMap<i64, i64> = BTreeMap::new();
        let mut per_category = vec![0i64; self.categories.names.len()];
        let mut per_bureau = vec![0i64; self.bureaus.names.len()];
        let mut per_industry = vec![0i64; self.industries.names.len()];
        let mut per_enterprise = vec![0i64; self.enterprises.names.len()];
        let mut total = Measures::default();
        // Slices of one length, so the loop indexes them without bounds checks.
        let rows = self.measures.len();
        let (days, dims, enterprises) = (&self.day[..rows], &self.dims[..rows], &self.enterprise[..rows]);
        for (i, m) in self.measures.iter().enumerate() {
            if !sel.takes(days[i], dims[i]) {
                continue;
            }
            total += m.wide();
            let n = i64::from(if filter.accepted_only { m.accepted } else { m.received });
            if n == 0 {
                continue;
            }
            let day = i64::from(days[i]);
            if dense {
                by_day[(day - filter.from_day) as usize] += n;
            } else {
                *sparse.entry(day).or_default() += n;
            }
            let [bureau, _, category, industry] = dims[i];
            per_category[category as usize] += n;
            per_bureau[bureau as usize] += n;
            per_industry[industry as usize] += n;
            per_enterprise[enterprises[i] as usize] += n;
        }
        let days = if dense {
            by_day.into_iter().enumerate().map(|(i, n)| (filter.from_day + i as i64, n)).collect()
        } else {
            sparse.into_iter().collect()
        };
        let tally = Tally {
            total,
            days,
            categories: self.categories.named(per_category),
            bureaus: self.bureaus.named(per_bureau),
            industries: self.industries.named(per_industry),
            enterprises: self.enterprises.named_top(per_enterprise, top_n),
        };
        finish(filter, top_n, tally)
    }

    /// Sets the row at `key` to `value` (as the roll-up table holds it now): how a node's copy
    /// follows the table.
    pub fn set(&mut self, key: &Key, value: Measures) {
        let current = self.get(key);
        self.apply(key, value - current);
    }

    /// The row at `key` (zero when there is none).
    pub fn get(&self, key: &Key) -> Measures {
        let category = if key.category.is_empty() { UNCLASSIFIED } else { &key.category };
        let small_id = |dim: &Dim, v: &str| dim.id(v).and_then(|id| u16::try_from(id).ok());
        let dims = [
            small_id(&self.bureaus, &key.bureau),
            small_id(&self.kinds, &key.kind),
            small_id(&self.categories, category),
            small_id(&self.industries, &key.industry),
        ];
        let [Some(a), Some(b), Some(c), Some(d)] = dims else { return Measures::default() };
        let Some(enterprise) = self.enterprises.id(&key.enterprise) else { return Measures::default() };
        if i32::try_from(key.day).is_err() {
            return Measures::default();
        }
        let packed = Packed { day: day32(key.day), dims: [a, b, c, d], enterprise };
        self.find(&packed).map_or_else(Measures::default, |row| self.measures[row].wide())
    }

    /// Every enterprise's measures under `filter` (those with any case), in one pass; for the
    /// public statistics, which need each enterprise's mediation results as well as its count.
    pub fn enterprise_measures(&self, filter: &Filter) -> Vec<(String, Measures)> {
        let Some(sel) = self.selection(filter) else { return Vec::new() };
        let mut per = vec![Measures::default(); self.enterprises.names.len()];
        for (i, m) in self.measures.iter().enumerate() {
            if sel.takes(self.day[i], self.dims[i]) {
                per[self.enterprise[i] as usize] += m.wide();
            }
        }
        per.into_iter()
            .enumerate()
            .filter(|(i, m)| m.received != 0 && !self.enterprises.names[*i].is_empty())
            .map(|(i, m)| (self.enterprises.names[i].to_string(), m))
            .collect()
    }
}

#[cfg(test)]
#[path = "cube_tests.rs"]
mod tests;
