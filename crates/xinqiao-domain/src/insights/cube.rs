//! The in-memory roll-up cube the insights dashboards read: one row per (day received, bureau,
//! kind, category, industry, enterprise) holding additive [`Measures`].
//!
//! Each case contributes one row's worth ([`CaseFacts::contribution`]); when a case changes (closed,
//! mediated, rated, reclassified) the caller applies its old contribution negated and its new one,
//! so the cube always equals a recount from the cases ([`recount`], which the tests compare to).
//! Dimensions are interned to `u32` and rows are stored column by column, so a filtered
//! [`Cube::dashboard`] is a single pass over a few flat vectors.

pub use super::dashboard::{Dashboard, Filter, MAX_DAY_SPAN, ParetoRow, recount, region_covers};
pub use super::facts::{CaseFacts, Key, Measures};

use super::dashboard::{Tally, finish};
use super::taxonomy::UNCLASSIFIED;
use std::collections::{BTreeMap, HashMap};

/// Distinct values of one dimension, numbered in order of first appearance.
#[derive(Debug, Clone, Default)]
struct Dim {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Dim {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = u32::try_from(self.names.len()).expect("fewer than 2^32 values per dimension");
        self.ids.insert(s.to_owned(), id);
        self.names.push(s.to_owned());
        id
    }

    fn named(&self, counts: Vec<i64>) -> Vec<(String, i64)> {
        counts.into_iter().enumerate().filter(|(_, n)| *n != 0).map(|(i, n)| (self.names[i].clone(), n)).collect()
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
            .map(|(i, n)| (self.names[i].clone(), n))
            .collect()
    }
}

/// A row's key with its dimensions interned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Packed {
    day: i64,
    dims: [u32; 5],
}

/// The roll-up cube; see the module documentation.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    bureaus: Dim,
    kinds: Dim,
    categories: Dim,
    industries: Dim,
    enterprises: Dim,
    day: Vec<i64>,
    bureau: Vec<u32>,
    kind: Vec<u32>,
    category: Vec<u32>,
    industry: Vec<u32>,
    enterprise: Vec<u32>,
    measures: Vec<Measures>,
    index: HashMap<Packed, usize>,
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

    /// Adds `delta` to the row at `key`, creating it if needed; a row that reaches zero stays. An
    /// empty category is filed as [`UNCLASSIFIED`], as [`CaseFacts::contribution`] does.
    pub fn apply(&mut self, key: &Key, delta: Measures) {
        let category = if key.category.is_empty() { UNCLASSIFIED } else { &key.category };
        let packed = Packed {
            day: key.day,
            dims: [
                self.bureaus.intern(&key.bureau),
                self.kinds.intern(&key.kind),
                self.categories.intern(category),
                self.industries.intern(&key.industry),
                self.enterprises.intern(&key.enterprise),
            ],
        };
        if let Some(&row) = self.index.get(&packed) {
            self.measures[row] += delta;
            return;
        }
        self.index.insert(packed, self.measures.len());
        self.day.push(packed.day);
        self.bureau.push(packed.dims[0]);
        self.kind.push(packed.dims[1]);
        self.category.push(packed.dims[2]);
        self.industry.push(packed.dims[3]);
        self.enterprise.push(packed.dims[4]);
        self.measures.push(delta);
    }

    /// Rows, including those that came back to zero.
    pub fn len(&self) -> usize {
        self.measures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.measures.is_empty()
    }

    /// Every row with its key, in order of creation.
    pub fn rows(&self) -> impl Iterator<Item = (Key, Measures)> + '_ {
        (0..self.len()).map(|i| {
            let key = Key {
                day: self.day[i],
                bureau: self.bureaus.names[self.bureau[i] as usize].clone(),
                kind: self.kinds.names[self.kind[i] as usize].clone(),
                category: self.categories.names[self.category[i] as usize].clone(),
                industry: self.industries.names[self.industry[i] as usize].clone(),
                enterprise: self.enterprises.names[self.enterprise[i] as usize].clone(),
            };
            (key, self.measures[i])
        })
    }

    /// The dashboard for `filter`, in one pass over the rows.
    pub fn dashboard(&self, filter: &Filter, top_n: usize) -> Dashboard {
        // A value the cube never saw selects nothing: `Some(None)`.
        let wanted = |dim: &Dim, v: Option<&str>| v.map(|v| dim.ids.get(v).copied());
        let kind = wanted(&self.kinds, filter.kind.as_deref());
        let industry = wanted(&self.industries, filter.industry.as_deref());
        let category = wanted(&self.categories, filter.category());
        if [kind, industry, category].contains(&Some(None)) || filter.span() == 0 {
            return finish(filter, top_n, Tally::default());
        }
        let bureau_ok: Vec<bool> = self
            .bureaus
            .names
            .iter()
            .map(|b| filter.bureau_prefix.as_ref().is_none_or(|p| region_covers(p, b)) && filter.in_scope(b))
            .collect();
        let (kind, industry, category) = (kind.flatten(), industry.flatten(), category.flatten());
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
        let (days, bureaus, kinds) = (&self.day[..rows], &self.bureau[..rows], &self.kind[..rows]);
        let (categories, industries, enterprises) =
            (&self.category[..rows], &self.industry[..rows], &self.enterprise[..rows]);
        for (i, m) in self.measures.iter().enumerate() {
            let day = days[i];
            if day < filter.from_day
                || day > filter.to_day
                || kind.is_some_and(|k| kinds[i] != k)
                || industry.is_some_and(|v| industries[i] != v)
                || category.is_some_and(|c| categories[i] != c)
                || !bureau_ok[bureaus[i] as usize]
            {
                continue;
            }
            total += *m;
            let n = if filter.accepted_only { m.accepted } else { m.received };
            if n == 0 {
                continue;
            }
            if dense {
                by_day[(day - filter.from_day) as usize] += n;
            } else {
                *sparse.entry(day).or_default() += n;
            }
            per_category[categories[i] as usize] += n;
            per_bureau[bureaus[i] as usize] += n;
            per_industry[industries[i] as usize] += n;
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
}

impl Cube {
    /// Sets the row at `key` to `value` (as the roll-up table holds it now): how a node's copy
    /// follows the table.
    pub fn set(&mut self, key: &Key, value: Measures) {
        let current = self.get(key);
        self.apply(key, value - current);
    }

    /// The row at `key` (zero when there is none).
    pub fn get(&self, key: &Key) -> Measures {
        let category = if key.category.is_empty() { UNCLASSIFIED } else { &key.category };
        let id = |dim: &Dim, v: &str| dim.ids.get(v).copied();
        let dims = [
            id(&self.bureaus, &key.bureau),
            id(&self.kinds, &key.kind),
            id(&self.categories, category),
            id(&self.industries, &key.industry),
            id(&self.enterprises, &key.enterprise),
        ];
        let [Some(a), Some(b), Some(c), Some(d), Some(e)] = dims else { return Measures::default() };
        let packed = Packed { day: key.day, dims: [a, b, c, d, e] };
        self.index.get(&packed).map_or_else(Measures::default, |&row| self.measures[row])
    }

    /// Every enterprise's measures under `filter` (those with any case), in one pass; for the
    /// public statistics, which need each enterprise's mediation results as well as its count.
    pub fn enterprise_measures(&self, filter: &Filter) -> Vec<(String, Measures)> {
        let wanted = |dim: &Dim, v: Option<&str>| v.map(|v| dim.ids.get(v).copied());
        let kind = wanted(&self.kinds, filter.kind.as_deref());
        let industry = wanted(&self.industries, filter.industry.as_deref());
        let category = wanted(&self.categories, filter.category());
        if [kind, industry, category].contains(&Some(None)) || filter.span() == 0 {
            return Vec::new();
        }
        let (kind, industry, category) = (kind.flatten(), industry.flatten(), category.flatten());
        let bureau_ok: Vec<bool> = self
            .bureaus
            .names
            .iter()
            .map(|b| filter.bureau_prefix.as_ref().is_none_or(|p| region_covers(p, b)) && filter.in_scope(b))
            .collect();
        let mut per = vec![Measures::default(); self.enterprises.names.len()];
        for (i, m) in self.measures.iter().enumerate() {
            let day = self.day[i];
            if day < filter.from_day
                || day > filter.to_day
                || kind.is_some_and(|k| self.kind[i] != k)
                || industry.is_some_and(|v| self.industry[i] != v)
                || category.is_some_and(|c| self.category[i] != c)
                || !bureau_ok[self.bureau[i] as usize]
            {
                continue;
            }
            per[self.enterprise[i] as usize] += *m;
        }
        per.into_iter()
            .enumerate()
            .filter(|(i, m)| m.received != 0 && !self.enterprises.names[*i].is_empty())
            .map(|(i, m)| (self.enterprises.names[i].clone(), m))
            .collect()
    }
}

#[cfg(test)]
#[path = "cube_tests.rs"]
mod tests;
