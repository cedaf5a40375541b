//! Searching: Q&A entries with filters (audience, industry, status, update time) and case
//! narratives within the caller's organisations, each hit with a highlighted snippet. Filters score
//! nothing; ranking is BM25 over the boosted text fields, or newest first when no text was given.

use std::collections::BTreeSet;
use std::ops::Bound;

use tantivy::collector::{Count, TopDocs};
use tantivy::query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery, TermSetQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, Order, Searcher, TantivyDocument, Term};
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::knowledge::QaStatus;

use crate::candidates::candidates;
use crate::index::SearchIndex;
use crate::query::{self, Parsed};
use crate::query::{Clause, Source};
use crate::rank::{Understood, cut, importance, rerank};
use crate::schema::{ALL, NO_ORG};
use crate::snippet::{best_passage, head, highlight_all};
use crate::types::{CaseHit, CaseQuery, Fragment, OrgScope, QaHit, QaQuery, QaResults};
use crate::{Result, SearchError};

/// Hits a page may ask for.
const MAX_LIMIT: usize = 100;
/// Hits a search may skip.
const MAX_OFFSET: usize = 10_000;
/// Length of an answer snippet, in characters.
const QA_SNIPPET_CHARS: usize = 80;
/// Length of a narrative snippet, in characters.
const CASE_SNIPPET_CHARS: usize = 100;

fn filter(query: Box<dyn Query>) -> (Occur, Box<dyn Query>) {
    (Occur::Must, Box::new(ConstScoreQuery::new(query, 0.0)))
}

fn any_term(field: Field, values: impl IntoIterator<Item = String>) -> Box<dyn Query> {
    Box::new(TermSetQuery::new(values.into_iter().map(|v| Term::from_field_text(field, &v))))
}

fn time_range(field: Field, from: Option<i64>, to: Option<i64>) -> Option<Box<dyn Query>> {
    if from.is_none() && to.is_none() {
        return None;
    }
    let lower = from.map_or(Bound::Unbounded, |v| Bound::Included(Term::from_field_i64(field, v)));
    let upper = to.map_or(Bound::Unbounded, |v| Bound::Excluded(Term::from_field_i64(field, v)));
    Some(Box::new(RangeQuery::new(lower, upper)))
}

/// Runs `clauses` (the text query, if any, and filters): by score with text, else newest first.
fn top_docs(
    searcher: &Searcher,
    text: Option<Box<dyn Query>>,
    filters: Vec<(Occur, Box<dyn Query>)>,
    time_field: &str,
    limit: usize,
    offset: usize,
    count: bool,
) -> Result<(Vec<(f32, DocAddress)>, usize)> {
    let limit = limit.clamp(1, MAX_LIMIT);
    let offset = offset.min(MAX_OFFSET);
    let scored = text.is_some();
    // A text query alone is run as is, so that tantivy can skip blocks that cannot reach the top.
    let query: Box<dyn Query> = match (text, filters.is_empty()) {
        (Some(text), true) => text,
        (None, true) => Box::new(AllQuery),
        (text, false) => {
            let mut clauses = filters;
            clauses.extend(text.map(|t| (Occur::Must, t)));
            Box::new(BooleanQuery::new(clauses))
        }
    };
    let total = if count { searcher.search(&query, &Count)? } else { 0 };
    let hits = if scored {
        searcher.search(&query, &TopDocs::with_limit(limit).and_offset(offset).order_by_score())?
    } else {
        let by_time = TopDocs::with_limit(limit).and_offset(offset).order_by_fast_field::<i64>(time_field, Order::Desc);
        searcher.search(&query, &by_time)?.into_iter().map(|(_, addr)| (0.0, addr)).collect()
    };
    Ok((hits, total))
}

fn text_of(doc: &TantivyDocument, field: Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

fn i64_of(doc: &TantivyDocument, field: Field) -> i64 {
    doc.get_first(field).and_then(|v| v.as_i64()).unwrap_or_default()
}

/// A clause as readable text (a phrase's words joined).
fn clause_text(clause: &Clause) -> String {
    match clause {
        Clause::Term(t) => t.clone(),
        Clause::Phrase(p) => p.iter().map(|(_, w)| w.as_str()).collect(),
        Clause::AnyOf(cs) => cs.iter().map(clause_text).collect::<Vec<_>>().join("/"),
    }
}

fn corrupt(what: &str) -> SearchError {
    SearchError::Index(tantivy::TantivyError::InternalError(format!("unexpected stored {what}")))
}

fn passage(texts: &[&str], words: &BTreeSet<String>, max_chars: usize) -> Vec<Fragment> {
    texts
        .iter()
        .find_map(|t| best_passage(t, words, max_chars))
        .unwrap_or_else(|| head(texts.first().copied().unwrap_or_default(), max_chars))
}

impl SearchIndex {
    /// Searches Q&A entries. Never fails on what the user typed. With text, BM25 finds the
    /// candidates and `rank` orders them again (see there); a strict search may answer nothing.
    pub fn search_qa(&self, q: &QaQuery) -> Result<QaResults> {
        let f = &self.inner.qa_fields;
        let vocabulary = self.vocabulary();
        let Parsed { concepts, words, had_text } = query::parse(&q.text, &self.synonyms(), Some(&vocabulary));
        let text = had_text.then(|| query::to_query(&concepts, &f.boosted()));
        let mut filters = Vec::new();
        if let Some(a) = q.audience {
            filters.push(filter(any_term(f.audience, [a.code().to_string(), ALL.to_string()])));
        }
        if let Some(i) = q.industry {
            filters.push(filter(any_term(f.industry, [i.code().to_string(), ALL.to_string()])));
        }
        if !q.statuses.is_empty() {
            filters.push(filter(any_term(f.status, q.statuses.iter().map(|s| s.code().to_string()))));
        }
        if let Some(range) = time_range(f.updated_ms, q.updated_from_ms, q.updated_to_ms) {
            filters.push(filter(range));
        }
        let searcher = self.inner.qa.reader.searcher();
        let (limit, offset) = (q.limit.clamp(1, MAX_LIMIT), q.offset.min(MAX_OFFSET));
        let (top, total) = if had_text {
            let ranking = self.ranking();
            let wanted = ranking.candidates.max(limit + offset);
            let (found, count) = if q.strict {
                let filter = (!filters.is_empty()).then(|| BooleanQuery::new(filters));
                (candidates(&searcher, &concepts, &f.boosted(), filter, wanted)?, 0)
            } else {
                top_docs(&searcher, text, filters, "updated_ms", wanted, 0, true)?
            };
            let mut ranked = rerank(&searcher, f, &concepts, &found, q.prefer_audience, &ranking)?;
            if q.strict {
                ranked = cut(ranked, &ranking);
            }
            let total = if q.strict { ranked.len() } else { count };
            let page = ranked
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|r| (r.score, r.coverage, r.question_coverage, r.addr))
                .collect();
            (page, total)
        } else {
            let (found, total) = top_docs(&searcher, None, filters, "updated_ms", limit, offset, true)?;
            (found.into_iter().map(|(s, a)| (s, 0.0, 0.0, a)).collect::<Vec<_>>(), total)
        };
        let mut hits = Vec::with_capacity(top.len());
        for (score, coverage, question_coverage, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let (question, answer) = (text_of(&doc, f.question), text_of(&doc, f.answer));
            let explanation = text_of(&doc, f.explanation);
            hits.push(QaHit {
                id: text_of(&doc, f.id),
                score,
                coverage,
                question_coverage,
                question: highlight_all(&question, &words),
                snippet: passage(&[&answer, &explanation], &words, QA_SNIPPET_CHARS),
                status: QaStatus::parse(&text_of(&doc, f.status)).ok_or_else(|| corrupt("status"))?,
                updated_ms: i64_of(&doc, f.updated_ms),
            });
        }
        Ok(QaResults { total, hits })
    }

    /// How a Q&A search understands `text`: the concepts, their importance and the other words
    /// looked for (synonyms, vocabulary meanings).
    pub fn understand_qa(&self, text: &str) -> Result<Vec<Understood>> {
        let f = &self.inner.qa_fields;
        let Parsed { concepts, .. } = query::parse(text, &self.synonyms(), Some(&self.vocabulary()));
        let searcher = self.inner.qa.reader.searcher();
        let weights = importance(&searcher, f, &concepts, &self.ranking())?;
        Ok(concepts
            .iter()
            .zip(weights)
            .map(|(c, (importance, known))| {
                let mut also = BTreeSet::new();
                for a in c.alts.iter().filter(|a| a.source != Source::Typed) {
                    also.insert(clause_text(&a.clause));
                }
                also.remove(&c.said);
                Understood { unknown: !known, said: c.said.clone(), importance, also: also.into_iter().collect() }
            })
            .collect())
    }

    /// The key words of a question, to compare it with others (see `knowledge::gaps` in the
    /// domain): one word per concept (an everyday word becomes its policy word, a synonym its
    /// group's first word), stop words left out, sorted and without repeats.
    pub fn key_words(&self, text: &str) -> Vec<String> {
        let Parsed { concepts, .. } = query::parse(text, &self.synonyms(), Some(&self.vocabulary()));
        let keys: BTreeSet<String> = concepts.into_iter().map(|c| c.key).filter(|k| !k.is_empty()).collect();
        keys.into_iter().collect()
    }

    /// Searches masked case narratives within `q.orgs`. Never fails on what the user typed.
    pub fn search_cases(&self, q: &CaseQuery) -> Result<Vec<CaseHit>> {
        let f = &self.inner.case_fields;
        let mut filters = Vec::new();
        match &q.orgs {
            OrgScope::All => {}
            OrgScope::Only(orgs) if orgs.is_empty() => return Ok(Vec::new()),
            OrgScope::Only(orgs) if orgs.len() == 1 => filters.push(filter(Box::new(TermQuery::new(
                Term::from_field_text(f.org, &orgs[0]),
                IndexRecordOption::Basic,
            )))),
            OrgScope::Only(orgs) => filters.push(filter(any_term(f.org, orgs.iter().cloned()))),
        }
        if !q.kinds.is_empty() {
            filters.push(filter(any_term(f.kind, q.kinds.iter().map(|k| k.code().to_string()))));
        }
        if let Some(range) = time_range(f.received_ms, q.received_from_ms, q.received_to_ms) {
            filters.push(filter(range));
        }
        let Parsed { concepts, words, had_text } = query::parse(&q.text, &self.synonyms(), None);
        let text = had_text.then(|| query::to_query(&concepts, &[(f.narrative, 1.0)]));
        let searcher = self.inner.cases.reader.searcher();
        let (top, _) = top_docs(&searcher, text, filters, "received_ms", q.limit, q.offset, false)?;
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let narrative = text_of(&doc, f.narrative);
            let org = text_of(&doc, f.org);
            hits.push(CaseHit {
                id: text_of(&doc, f.id),
                score,
                snippet: passage(&[&narrative], &words, CASE_SNIPPET_CHARS),
                org_id: (org != NO_ORG).then_some(org),
                kind: CaseKind::parse(&text_of(&doc, f.kind)).ok_or_else(|| corrupt("case kind"))?,
                received_ms: i64_of(&doc, f.received_ms),
            });
        }
        Ok(hits)
    }
}
