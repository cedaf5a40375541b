//! The first stage of a Q&A search: which entries are worth ranking (see `rank`). Every word of
//! every way of saying every concept, in every text field, is one boosted term of a flat union,
//! so that tantivy's block-max WAND skips the blocks that cannot reach the top (phrases are
//! checked exactly in the second stage). Words in more than 2 % of a large index (经营者,
//! 消费者 …) are left out of this stage, like a common-terms query: they choose nothing, and the
//! second stage still counts them for the candidates. Filters (status, industry, dates …) are checked on the
//! candidates afterwards; when too many fall out, the filtered union is run in full instead. This
//! keeps a public search fast over a million entries.

use std::collections::BTreeMap;

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher, Term};

use crate::Result;
use crate::query::{Clause, Concept};
use crate::rank::matching;

/// How many more candidates than wanted are taken before filtering.
const FILTER_HEADROOM: usize = 4;
/// A word found in more entries than this share of the index (and than [`COMMON_MIN`]) does not
/// choose candidates …
const COMMON_SHARE: u64 = 50;
const COMMON_MIN: u64 = 1_000;
/// … unless no word is rarer; then the rarest few do.
const RAREST_KEPT: usize = 4;

fn words(clause: &Clause, out: &mut Vec<String>) {
    match clause {
        Clause::Term(t) => out.push(t.clone()),
        Clause::Phrase(p) => out.extend(p.iter().map(|(_, w)| w.clone())),
        Clause::AnyOf(cs) => cs.iter().for_each(|c| words(c, out)),
    }
}

/// The flat union of boosted terms for `concepts` over `fields`, common words left out.
fn union(searcher: &Searcher, concepts: &[Concept], fields: &[(Field, f32)]) -> Result<BooleanQuery> {
    let mut terms: BTreeMap<(Field, String), f32> = BTreeMap::new();
    for alt in concepts.iter().filter(|c| !c.outside).flat_map(|c| &c.alts) {
        let mut ws = Vec::new();
        words(&alt.clause, &mut ws);
        for w in ws {
            for &(field, boost) in fields {
                let slot = terms.entry((field, w.clone())).or_default();
                *slot = slot.max(boost * alt.source.weight());
            }
        }
    }
    let common = (searcher.num_docs() / COMMON_SHARE).max(COMMON_MIN);
    let mut rated = Vec::with_capacity(terms.len());
    for ((field, word), boost) in terms {
        let term = Term::from_field_text(field, &word);
        let df = searcher.doc_freq(&term)?;
        if df > 0 {
            rated.push((df, term, boost));
        }
    }
    rated.sort_by_key(|(df, ..)| *df);
    let rare = rated.iter().take_while(|(df, ..)| *df <= common).count().max(RAREST_KEPT.min(rated.len()));
    Ok(BooleanQuery::union(
        rated
            .into_iter()
            .take(rare)
            .map(|(_, term, boost)| -> Box<dyn Query> {
                let term = TermQuery::new(term, IndexRecordOption::WithFreqs);
                Box::new(BoostQuery::new(Box::new(term), boost))
            })
            .collect(),
    ))
}

/// Up to `wanted` entries passing `filter`, best BM25 first.
pub(crate) fn candidates(
    searcher: &Searcher,
    concepts: &[Concept],
    fields: &[(Field, f32)],
    filter: Option<BooleanQuery>,
    wanted: usize,
) -> Result<Vec<(f32, DocAddress)>> {
    let text = union(searcher, concepts, fields)?;
    let Some(filter) = filter else {
        return Ok(searcher.search(&text, &TopDocs::with_limit(wanted.max(1)).order_by_score())?);
    };
    let pool = wanted.max(1) * FILTER_HEADROOM;
    let found = searcher.search(&text, &TopDocs::with_limit(pool).order_by_score())?;
    let weight = filter.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut passes = vec![false; found.len()];
    let mut segments: Vec<u32> = found.iter().map(|(_, a)| a.segment_ord).collect();
    segments.sort_unstable();
    segments.dedup();
    for segment in segments {
        let mut idx: Vec<usize> = (0..found.len()).filter(|&i| found[i].1.segment_ord == segment).collect();
        idx.sort_by_key(|&i| found[i].1.doc_id);
        let docs: Vec<u32> = idx.iter().map(|&i| found[i].1.doc_id).collect();
        for (k, ok) in matching(weight.as_ref(), searcher, segment, &docs)?.into_iter().enumerate() {
            passes[idx[k]] = ok;
        }
    }
    let kept: Vec<(f32, DocAddress)> =
        found.iter().zip(&passes).filter(|(_, ok)| **ok).map(|(hit, _)| *hit).take(wanted).collect();
    if kept.len() >= wanted || found.len() < pool {
        return Ok(kept);
    }
    // Too many candidates were filtered out: run the filtered union in full.
    let full =
        BooleanQuery::new(vec![(Occur::Must, Box::new(filter) as Box<dyn Query>), (Occur::Must, Box::new(text))]);
    Ok(searcher.search(&full, &TopDocs::with_limit(wanted.max(1)).order_by_score())?)
}
