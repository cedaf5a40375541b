//! Measuring Q&A search on a labelled query set (`eval/qa-queries.toml`): success@1, success@3,
//! mean reciprocal rank over the answerable queries, and the share of unanswerable queries that
//! are answered with nothing, overall and per voice, on the tuning part and the held-out part.
//! Used by `cargo bench -p xinqiao-search --bench qa` (a row of `bench/run`) and by a test that
//! keeps the figures from sliding back.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;
use xinqiao_domain::knowledge::{Audience, Law, QaStatus, laws, starter_entries};

use crate::{QaDoc, QaQuery, Result, SearchError, SearchIndex};

/// The labelled set shipped with the crate.
pub const LABELLED_QUERIES_TOML: &str = include_str!("../eval/qa-queries.toml");

/// One labelled query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    pub text: String,
    /// consumer, shop, elderly or formal.
    pub voice: String,
    /// Who asks.
    pub audience: Audience,
    /// Entries that answer it (any counts as right); empty when none does.
    pub expect: Vec<String>,
    /// Every third query (by position) is held out of tuning.
    pub holdout: bool,
}

#[derive(Deserialize)]
struct FileForm {
    q: Vec<RawQuery>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuery {
    text: String,
    voice: String,
    audience: String,
    expect: Vec<String>,
}

/// Parses the labelled set; the split is by position (the 3rd, 6th … are held out).
pub fn labelled_from_toml(text: &str) -> Result<Vec<Labelled>> {
    let form: FileForm = toml::from_str(text).map_err(|e| SearchError::BadData(format!("评测集格式有误：{e}")))?;
    form.q
        .into_iter()
        .enumerate()
        .map(|(i, q)| {
            let audience = Audience::parse(&q.audience)
                .ok_or_else(|| SearchError::BadData(format!("评测集第 {} 条的对象“{}”未知", i + 1, q.audience)))?;
            Ok(Labelled { text: q.text, voice: q.voice, audience, expect: q.expect, holdout: i % 3 == 2 })
        })
        .collect()
}

/// The starter entries (`xinqiao_domain::knowledge::starter_entries`) as published documents.
pub fn starter_docs() -> Vec<QaDoc> {
    let registry = laws();
    starter_entries()
        .into_iter()
        .map(|e| QaDoc {
            law_names: e
                .citations
                .iter()
                .filter_map(|c| Law::find(&registry, &c.law_id).map(|l| l.name.clone()))
                .collect(),
            id: e.id,
            question: e.question,
            answer: e.answer,
            explanation: e.explanation,
            tags: e.tags,
            audience: e.audience,
            industries: e.industries,
            status: QaStatus::Published,
            updated_ms: 0,
        })
        .collect()
}

/// Counts for one group of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Scores {
    pub answerable: usize,
    /// Answerable queries whose first hit is right.
    pub at1: usize,
    /// … with a right hit among the first three.
    pub at3: usize,
    /// Sum of 1/rank of the first right hit (0 when none of the hits is right).
    pub reciprocal_ranks: f64,
    /// Answerable queries answered with nothing.
    pub answerable_empty: usize,
    pub unanswerable: usize,
    /// Unanswerable queries answered with nothing.
    pub unanswerable_empty: usize,
}

impl Scores {
    fn ratio(n: usize, d: usize) -> f64 {
        if d == 0 { 0.0 } else { n as f64 / d as f64 }
    }

    pub fn success_at_1(&self) -> f64 {
        Self::ratio(self.at1, self.answerable)
    }

    pub fn success_at_3(&self) -> f64 {
        Self::ratio(self.at3, self.answerable)
    }

    pub fn mrr(&self) -> f64 {
        if self.answerable == 0 { 0.0 } else { self.reciprocal_ranks / self.answerable as f64 }
    }

    /// Share of unanswerable queries answered with nothing.
    pub fn empty_rate(&self) -> f64 {
        Self::ratio(self.unanswerable_empty, self.unanswerable)
    }

    /// Counts one query answered with `found` (entry ids, best first).
    pub fn add(&mut self, q: &Labelled, found: &[String]) {
        if q.expect.is_empty() {
            self.unanswerable += 1;
            self.unanswerable_empty += usize::from(found.is_empty());
            return;
        }
        self.answerable += 1;
        self.answerable_empty += usize::from(found.is_empty());
        if let Some(rank) = found.iter().position(|id| q.expect.contains(id)) {
            self.at1 += usize::from(rank == 0);
            self.at3 += usize::from(rank < 3);
            self.reciprocal_ranks += 1.0 / (rank + 1) as f64;
        }
    }

    /// `s@1 0.90 (45/50) · s@3 … · MRR … · empty 7/8`.
    pub fn line(&self) -> String {
        format!(
            "s@1 {:.2} ({}/{}) · s@3 {:.2} ({}/{}) · MRR {:.2} · unanswerable→empty {}/{} · answerable→empty {}",
            self.success_at_1(),
            self.at1,
            self.answerable,
            self.success_at_3(),
            self.at3,
            self.answerable,
            self.mrr(),
            self.unanswerable_empty,
            self.unanswerable,
            self.answerable_empty
        )
    }
}

/// A query whose first hit is wrong (or that found something it should not have).
#[derive(Debug, Clone, PartialEq)]
pub struct Miss {
    pub text: String,
    pub voice: String,
    pub holdout: bool,
    pub expect: Vec<String>,
    /// The first three hits: id, score, coverage.
    pub found: Vec<(String, f32, f32)>,
    /// The first three had the search not been strict.
    pub unfiltered: Vec<(String, f32, f32)>,
}

/// The figures of one run over the set.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// `(split, voice)` → scores; split is `all`, `tuning` or `holdout`, voice `all` or a voice.
    pub scores: BTreeMap<(String, String), Scores>,
    pub misses: Vec<Miss>,
}

impl Report {
    pub fn get(&self, split: &str, voice: &str) -> Scores {
        self.scores.get(&(split.to_string(), voice.to_string())).copied().unwrap_or_default()
    }

    /// One line per split and voice.
    pub fn table(&self) -> String {
        let mut out = String::new();
        for ((split, voice), s) in &self.scores {
            let _ = writeln!(out, "  {split:<8} {voice:<9} {}", s.line());
        }
        out
    }
}

/// Runs every query as the public search does (the asker's audience when `with_audience`) and
/// scores the ids found.
pub fn evaluate(index: &SearchIndex, queries: &[Labelled], with_audience: bool) -> Result<Report> {
    let mut report = Report::default();
    for q in queries {
        let query = QaQuery::public(&q.text, with_audience.then_some(q.audience));
        let hits = index.search_qa(&query)?.hits;
        let found: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        let split = if q.holdout { "holdout" } else { "tuning" };
        for key in [("all", "all"), ("all", q.voice.as_str()), (split, "all"), (split, q.voice.as_str())] {
            report.scores.entry((key.0.to_string(), key.1.to_string())).or_default().add(q, &found);
        }
        let right_first = match (q.expect.is_empty(), found.first()) {
            (true, first) => first.is_none(),
            (false, Some(first)) => q.expect.contains(first),
            (false, None) => false,
        };
        if !right_first {
            report.misses.push(Miss {
                text: q.text.clone(),
                voice: q.voice.clone(),
                holdout: q.holdout,
                expect: q.expect.clone(),
                found: hits.iter().take(3).map(|h| (h.id.clone(), h.score, h.coverage)).collect(),
                unfiltered: index
                    .search_qa(&QaQuery { strict: false, limit: 3, ..query })?
                    .hits
                    .into_iter()
                    .map(|h| (h.id, h.score, h.coverage))
                    .collect(),
            });
        }
    }
    Ok(report)
}

/// An in-memory index of the starter entries.
pub fn starter_index() -> Result<SearchIndex> {
    let index = SearchIndex::in_memory()?;
    for doc in starter_docs() {
        index.upsert_qa(&doc)?;
    }
    index.commit(1)?;
    Ok(index)
}
