//! The second stage of a Q&A search: the candidates BM25 found are ranked again by what the
//! question is about, and the public is answered with nothing when nothing fits well enough.
//!
//! For each concept of the query (see `query`) and each candidate, where does the entry say it:
//! in its question, its tags, its answer, its explanation or the laws it cites (found with the
//! index's own postings, so exactly what the analyzer matched). Then, with each concept weighted
//! by its importance (inverse document frequency of its most common way of saying it; a concept
//! no entry says at all weighs [`Ranking::unknown_weight`]):
//!
//! - `match` = Σ importance × the weight of the best field it is said in (question first, a
//!   stray word in a long answer counts little), over Σ importance;
//! - `coverage` = the share of the query's importance said anywhere in the entry;
//! - `question coverage` = the share of the entry's question that the query says (a question
//!   whose every word the asker used is very likely the one);
//! - score = match + `question_weight` × question coverage, raised by `audience_boost` for an entry
//!   written for the asker (or for everyone), plus a BM25 tie-break.
//!
//! "没有找到": a strict search (the public's) answers nothing unless the best entry reaches
//! [`Ranking::min_coverage`] and [`Ranking::min_score`], and drops hits far below the best.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::{BooleanQuery, EnableScoring, Query, TermSetQuery, Weight};
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, DocId, Searcher, TantivyDocument, Term};
use xinqiao_domain::knowledge::Audience;

use crate::Result;
use crate::analyzer::{XqTokenizer, is_stop_word};
use crate::query::{Clause, Concept, Source, field_query};
use crate::schema::{ALL, QaFields};

/// The knobs of the second stage. [`Ranking::default`] is what the platform uses; the labelled
/// set (`cargo bench --bench qa`) is how a change is judged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranking {
    /// Weights of a match in the question, tags, answer, explanation and law names.
    pub field_weights: [f32; 5],
    /// Importance of a concept that no entry says in any way.
    pub unknown_weight: f32,
    /// Factor on the importance of a lone character the asker typed (no synonym, no vocabulary).
    pub single_char: f32,
    /// Factor on the importance of a word of another department's business (never covered).
    pub outside_factor: f32,
    /// Weight of the entry's question coverage in the score.
    pub question_weight: f32,
    /// Multiplier for entries written for the asker's audience (or for everyone), minus 1.
    pub audience_boost: f32,
    /// Weight of the BM25 tie-break (BM25 over the best BM25 among candidates).
    pub bm25_weight: f32,
    /// A strict search answers nothing unless the best entry covers this share of the query …
    pub min_coverage: f32,
    /// … and reaches this score.
    pub min_score: f32,
    /// A strict search keeps hits scoring at least this share of the best.
    pub tail: f32,
    /// Candidates taken from BM25 for the second stage.
    pub candidates: usize,
}

impl Default for Ranking {
    fn default() -> Self {
        Self {
            field_weights: [1.0, 0.9, 0.45, 0.3, 0.3],
            unknown_weight: 2.0,
            single_char: 0.5,
            outside_factor: 3.0,
            question_weight: 0.3,
            audience_boost: 0.15,
            bm25_weight: 0.05,
            min_coverage: 0.25,
            min_score: 0.4,
            tail: 0.5,
            candidates: 50,
        }
    }
}

/// A candidate after the second stage.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Ranked {
    pub addr: DocAddress,
    pub score: f32,
    pub coverage: f32,
    pub question_coverage: f32,
}

fn idf(df: f32, n: u64) -> f32 {
    let n = n.max(1) as f32;
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln()
}

/// Documents saying `clause` in the most common way among `fields`, approximately.
fn doc_freq(searcher: &Searcher, clause: &Clause, fields: &[Field]) -> Result<u64> {
    let term_df = |word: &str| -> Result<u64> {
        let mut most = 0;
        for &f in fields {
            most = most.max(searcher.doc_freq(&Term::from_field_text(f, word))?);
        }
        Ok(most)
    };
    Ok(match clause {
        Clause::Term(t) => term_df(t)?,
        Clause::Phrase(p) => {
            let mut least = u64::MAX;
            for (_, w) in p {
                least = least.min(term_df(w)?);
            }
            if least == u64::MAX { 0 } else { least }
        }
        Clause::AnyOf(cs) => {
            let mut most = 0;
            for c in cs {
                most = most.max(doc_freq(searcher, c, fields)?);
            }
            most
        }
    })
}

/// Which of `docs` (sorted, one segment) `weight` matches: one forward pass of its postings.
pub(crate) fn matching(weight: &dyn Weight, searcher: &Searcher, segment: u32, docs: &[DocId]) -> Result<Vec<bool>> {
    let mut scorer = weight.scorer(searcher.segment_reader(segment), 1.0)?;
    Ok(docs
        .iter()
        .map(|&doc| {
            let at = if scorer.doc() < doc { scorer.seek(doc) } else { scorer.doc() };
            at == doc
        })
        .collect())
}

/// The share of `question`'s meaningful characters that `concepts` say (a character said only
/// through the vocabulary counts half).
fn question_coverage(question: &str, concepts: &[Concept]) -> f32 {
    let (mut own, mut vocabulary) = (BTreeSet::new(), BTreeSet::new());
    for a in concepts.iter().filter(|c| !c.outside).flat_map(|c| &c.alts) {
        let words = if a.source == Source::Vocabulary { &mut vocabulary } else { &mut own };
        crate::query::collect_words(&a.clause, words);
    }
    let mut meaningful = BTreeSet::new();
    for t in XqTokenizer::new(false).tokens(question) {
        if !is_stop_word(&t.text) {
            meaningful.extend(t.position..t.position + t.position_length);
        }
    }
    if meaningful.is_empty() {
        return 0.0;
    }
    let mut covered: BTreeMap<usize, f32> = BTreeMap::new();
    for t in XqTokenizer::new(true).tokens(question) {
        let weight = if own.contains(&t.text) {
            1.0
        } else if vocabulary.contains(&t.text) {
            0.5
        } else {
            continue;
        };
        for at in t.position..t.position + t.position_length {
            let slot = covered.entry(at).or_default();
            *slot = slot.max(weight);
        }
    }
    let said: f32 = meaningful.iter().filter_map(|at| covered.get(at)).sum();
    said / meaningful.len() as f32
}

/// The importance of each concept (see the module documentation), and whether some entry says it.
pub(crate) fn importance(
    searcher: &Searcher,
    f: &QaFields,
    concepts: &[Concept],
    ranking: &Ranking,
) -> Result<Vec<(f32, bool)>> {
    let fields = [f.question, f.tags, f.answer, f.explanation];
    let n = searcher.num_docs();
    // tantivy's document frequencies count replaced entries until their segments merge: scaled by
    // the share of live documents, so that a freshly edited index ranks as a merged one.
    let max_doc: u64 = searcher.segment_readers().iter().map(|r| u64::from(r.max_doc())).sum();
    let alive = if max_doc == 0 { 1.0 } else { n as f32 / max_doc as f32 };
    let mut out = Vec::with_capacity(concepts.len());
    for c in concepts {
        let mut raw = 0;
        for a in &c.alts {
            raw = raw.max(doc_freq(searcher, &a.clause, &fields)?);
        }
        let most = raw as f32 * alive;
        // A lone character the asker typed (卖, 说, 开 …) says little by itself.
        let single = c.said.chars().count() == 1 && c.alts.iter().all(|a| a.source == Source::Typed);
        let scale = if single { ranking.single_char } else { 1.0 };
        out.push(if c.outside {
            (ranking.unknown_weight.max(idf(most, n)) * ranking.outside_factor, false)
        } else if most <= 0.5 {
            (ranking.unknown_weight * scale, false)
        } else {
            (idf(most, n) * scale, true)
        });
    }
    Ok(out)
}

/// How a Q&A search understands a query: each thing the asker said, its importance and the
/// words an entry may use for it (shown to staff beside their search).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Understood {
    /// As written (normalised).
    pub said: String,
    pub importance: f32,
    /// Whether no entry says it in any way.
    pub unknown: bool,
    /// Synonyms and vocabulary meanings (not the word itself).
    pub also: Vec<String>,
}

/// Ranks `candidates` (BM25 score, address) again; best first.
pub(crate) fn rerank(
    searcher: &Searcher,
    f: &QaFields,
    concepts: &[Concept],
    candidates: &[(f32, DocAddress)],
    prefer: Option<Audience>,
    ranking: &Ranking,
) -> Result<Vec<Ranked>> {
    if candidates.is_empty() || concepts.is_empty() {
        return Ok(Vec::new());
    }
    let fields = [f.question, f.tags, f.answer, f.explanation, f.laws];
    let importance: Vec<f32> = importance(searcher, f, concepts, ranking)?.into_iter().map(|(w, _)| w).collect();
    let total: f32 = importance.iter().sum();

    // One weight per concept, kind of alternative (own words and synonyms, or vocabulary) and
    // field, with the value of a match there.
    let scoring = EnableScoring::disabled_from_searcher(searcher);
    let mut weights: Vec<(usize, f32, Box<dyn Weight>)> = Vec::new();
    for (ci, c) in concepts.iter().enumerate().filter(|(_, c)| !c.outside) {
        for source in [Source::Typed, Source::Vocabulary] {
            let clauses: Vec<&Clause> = c
                .alts
                .iter()
                .filter(|a| (a.source == Source::Vocabulary) == (source == Source::Vocabulary))
                .map(|a| &a.clause)
                .collect();
            if clauses.is_empty() {
                continue;
            }
            for (fi, &field) in fields.iter().enumerate() {
                let query = BooleanQuery::union(clauses.iter().map(|c| field_query(c, field)).collect());
                weights.push((ci, ranking.field_weights[fi] * source.weight(), query.weight(scoring)?));
            }
        }
    }
    let audience = match prefer {
        Some(a) => {
            Some(TermSetQuery::new([a.code(), ALL].map(|v| Term::from_field_text(f.audience, v))).weight(scoring)?)
        }
        None => None,
    };

    // best[candidate][concept]: the weight of the best place the entry says the concept.
    let mut best = vec![vec![0f32; concepts.len()]; candidates.len()];
    let mut for_asker = vec![false; candidates.len()];
    let mut segments: Vec<u32> = candidates.iter().map(|(_, a)| a.segment_ord).collect();
    segments.sort_unstable();
    segments.dedup();
    for segment in segments {
        let mut idx: Vec<usize> = (0..candidates.len()).filter(|&i| candidates[i].1.segment_ord == segment).collect();
        idx.sort_by_key(|&i| candidates[i].1.doc_id);
        let docs: Vec<DocId> = idx.iter().map(|&i| candidates[i].1.doc_id).collect();
        for (ci, value, weight) in &weights {
            for (k, hit) in matching(weight.as_ref(), searcher, segment, &docs)?.into_iter().enumerate() {
                if hit {
                    let slot = &mut best[idx[k]][*ci];
                    *slot = slot.max(*value);
                }
            }
        }
        if let Some(weight) = &audience {
            for (k, hit) in matching(weight.as_ref(), searcher, segment, &docs)?.into_iter().enumerate() {
                for_asker[idx[k]] = hit;
            }
        }
    }

    let top_bm25 = candidates.iter().map(|(s, _)| *s).fold(f32::MIN_POSITIVE, f32::max);
    let mut ranked = Vec::with_capacity(candidates.len());
    for (i, (bm25, addr)) in candidates.iter().enumerate() {
        let matched: f32 = best[i].iter().zip(&importance).map(|(b, w)| b * w).sum::<f32>() / total;
        let coverage: f32 =
            best[i].iter().zip(&importance).filter(|(b, _)| **b > 0.0).map(|(_, w)| w).sum::<f32>() / total;
        let doc: TantivyDocument = searcher.doc(*addr)?;
        let question = doc.get_first(f.question).and_then(|v| v.as_str()).unwrap_or_default();
        let question_coverage = question_coverage(question, concepts);
        let mut score = matched + ranking.question_weight * question_coverage;
        if for_asker[i] {
            score *= 1.0 + ranking.audience_boost;
        }
        score += ranking.bm25_weight * bm25 / top_bm25;
        ranked.push(Ranked { addr: *addr, score, coverage, question_coverage });
    }
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    Ok(ranked)
}

/// What a strict search keeps of `ranked`: nothing when the best does not fit well enough, else
/// the hits not far below the best.
pub(crate) fn cut(ranked: Vec<Ranked>, ranking: &Ranking) -> Vec<Ranked> {
    let Some(top) = ranked.first().copied() else { return ranked };
    if top.coverage < ranking.min_coverage || top.score < ranking.min_score {
        return Vec::new();
    }
    let floor = (top.score * ranking.tail).max(ranking.min_score);
    ranked.into_iter().filter(|r| r.score >= floor).collect()
}
