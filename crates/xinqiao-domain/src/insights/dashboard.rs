//! Dashboard answers: the [`Filter`] a dashboard applies, the [`Dashboard`] it shows, and
//! [`recount`], the same answer computed directly from case facts.
//!
//! The cube and the recount gather counts differently but share `finish`, which ranks, shares and
//! zero-fills them, so the two can be compared exactly. Re-exported by [`super::cube`].

use super::facts::{CaseFacts, Key, Measures};
use super::taxonomy::UNCLASSIFIED;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Longest date range whose `by_day` series is zero-filled (about ten years); a longer range lists
/// only the days with cases, so a careless filter cannot allocate without bound.
pub const MAX_DAY_SPAN: i64 = 3_660;
/// Whether region `code` lies within `scope` (GB/T 2260): a province `330000` covers `33xxxx`, a
/// city `330100` covers `3301xx`, any other code covers only itself. Both must be six ASCII digits.
pub fn region_covers(scope: &str, code: &str) -> bool {
    let six = |s: &str| s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit());
    if !six(scope) || !six(code) {
        return false;
    }
    let level = if scope.ends_with("0000") {
        2
    } else if scope.ends_with("00") {
        4
    } else {
        6
    };
    scope[..level] == code[..level]
}

/// Which cases a dashboard counts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Filter {
    /// First day received, inclusive.
    pub from_day: i64,
    /// Last day received, inclusive.
    pub to_day: i64,
    pub kind: Option<String>,
    /// Region scope, see [`region_covers`].
    pub bureau_prefix: Option<String>,
    pub industry: Option<String>,
    /// Nature code; `""` or [`UNCLASSIFIED`] selects unclassified cases.
    pub category: Option<String>,
    /// The bureaus (region codes, sorted) the viewer may see; `None` only for the platform's own
    /// computations that are published per bureau afterwards.
    pub scope: Option<Vec<String>>,
    /// Count only cases the bureau took up (public statistics) in the day, category, bureau,
    /// industry and enterprise tables; the totals keep every measure.
    pub accepted_only: bool,
}

impl Filter {
    /// Every case received in `from_day..=to_day`.
    pub fn days(from_day: i64, to_day: i64) -> Self {
        Self { from_day, to_day, ..Self::default() }
    }

    pub(super) fn category(&self) -> Option<&str> {
        self.category.as_deref().map(|c| if c.is_empty() { UNCLASSIFIED } else { c })
    }

    /// Whether the filter selects a row.
    pub fn matches(&self, key: &Key) -> bool {
        (self.from_day..=self.to_day).contains(&key.day)
            && self.kind.as_ref().is_none_or(|k| *k == key.kind)
            && self.bureau_prefix.as_ref().is_none_or(|s| region_covers(s, &key.bureau))
            && self.in_scope(&key.bureau)
            && self.industry.as_ref().is_none_or(|i| *i == key.industry)
            && self.category().is_none_or(|c| c == key.category)
    }

    /// Whether the viewer may see the bureau with region code `bureau`.
    pub fn in_scope(&self, bureau: &str) -> bool {
        self.scope.as_ref().is_none_or(|s| s.binary_search_by(|r| r.as_str().cmp(bureau)).is_ok())
    }

    pub(super) fn span(&self) -> i64 {
        if self.to_day < self.from_day { 0 } else { self.to_day.saturating_sub(self.from_day).saturating_add(1) }
    }
}

/// One category in a Pareto table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoRow {
    pub code: String,
    pub count: i64,
    /// `count` over all cases in the table.
    pub share: f64,
    /// Share of this and every larger category.
    pub cumulative_share: f64,
}

/// What a dashboard shows for one filter. Lists count cases received; rows with none are left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub total: Measures,
    /// `(day, received)` for every day of the range, zero-filled, ascending (for ranges up to
    /// [`MAX_DAY_SPAN`] days; longer ranges list only days with cases).
    pub by_day: Vec<(i64, i64)>,
    /// Largest first, ties by code.
    pub by_category: Vec<ParetoRow>,
    /// Largest first, ties by code.
    pub by_bureau: Vec<(String, i64)>,
    /// Largest first, ties by code; `""` is unknown.
    pub by_industry: Vec<(String, i64)>,
    /// The `top_n` enterprises by cases received, ties by key; cases without one are left out.
    pub top_enterprises: Vec<(String, i64)>,
}

impl Dashboard {
    pub fn on_time_rate(&self) -> Option<f64> {
        self.total.on_time_rate()
    }

    pub fn mediation_success_rate(&self) -> Option<f64> {
        self.total.mediation_success_rate()
    }

    pub fn average_rating(&self) -> Option<f64> {
        self.total.average_rating()
    }
}

/// Counts gathered for a dashboard, in any order.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) total: Measures,
    pub(super) days: Vec<(i64, i64)>,
    pub(super) categories: Vec<(String, i64)>,
    pub(super) bureaus: Vec<(String, i64)>,
    pub(super) industries: Vec<(String, i64)>,
    pub(super) enterprises: Vec<(String, i64)>,
}

fn ranked(mut rows: Vec<(String, i64)>) -> Vec<(String, i64)> {
    rows.retain(|(_, n)| *n != 0);
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

pub(super) fn finish(filter: &Filter, top_n: usize, t: Tally) -> Dashboard {
    let mut days: Vec<(i64, i64)> = t.days.into_iter().filter(|(_, n)| *n != 0).collect();
    days.sort_unstable();
    let by_day = if filter.span() <= MAX_DAY_SPAN {
        let found: HashMap<i64, i64> = days.into_iter().collect();
        (filter.from_day..=filter.to_day).map(|d| (d, found.get(&d).copied().unwrap_or(0))).collect()
    } else {
        days
    };
    let categories = ranked(t.categories);
    let all: i64 = categories.iter().map(|(_, n)| n).sum();
    let mut running = 0;
    let by_category = categories
        .into_iter()
        .map(|(code, count)| {
            running += count;
            let share = |n: i64| if all == 0 { 0.0 } else { n as f64 / all as f64 };
            ParetoRow { code, count, share: share(count), cumulative_share: share(running) }
        })
        .collect();
    let mut enterprises = t.enterprises;
    enterprises.retain(|(e, _)| !e.is_empty());
    let mut top_enterprises = ranked(enterprises);
    top_enterprises.truncate(top_n);
    Dashboard {
        total: t.total,
        by_day,
        by_category,
        by_bureau: ranked(t.bureaus),
        by_industry: ranked(t.industries),
        top_enterprises,
    }
}

/// The dashboard computed directly from case facts, without a cube.
pub fn recount(facts: &[CaseFacts], filter: &Filter, top_n: usize) -> Dashboard {
    let mut t = Tally::default();
    let mut maps: [BTreeMap<String, i64>; 4] = Default::default();
    let mut days: BTreeMap<i64, i64> = BTreeMap::new();
    for f in facts {
        let (key, m) = f.contribution();
        if !filter.matches(&key) {
            continue;
        }
        t.total += m;
        let n = if filter.accepted_only { m.accepted } else { m.received };
        *days.entry(key.day).or_default() += n;
        for (map, v) in maps.iter_mut().zip([key.category, key.bureau, key.industry, key.enterprise]) {
            *map.entry(v).or_default() += n;
        }
    }
    let [categories, bureaus, industries, enterprises] = maps.map(|m| m.into_iter().collect::<Vec<_>>());
    t.days = days.into_iter().collect();
    (t.categories, t.bureaus, t.industries, t.enterprises) = (categories, bureaus, industries, enterprises);
    finish(filter, top_n, t)
}
