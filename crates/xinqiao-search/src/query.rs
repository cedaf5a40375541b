//! From what a user typed to the *concepts* of a query, built programmatically (no query syntax,
//! so quotes, colons and brackets are just characters). The text is normalised and cut by the
//! same jieba analyzer as the documents. A concept is one thing the asker said, with the ways an
//! entry may say it (any one matching covers the concept):
//!
//! - the asker's own word: a word jieba knows, together with the shorter dictionary words inside
//!   it (许可证 also finds 许可); or a run of single characters jieba did not recognise as a word
//!   (带 货 in 直播带货 when the dictionary lacks it), as a phrase;
//! - the other words of its synonym group, when a synonym word (aligned with word boundaries,
//!   longest first) starts there;
//! - for the Q&A search, the policy words of the everyday-words vocabulary (开胶 → 质量问题),
//!   with their synonyms; an everyday word of two or more characters needs a word boundary on one
//!   side only (店门锁了 is cut 店|门锁|了 yet says 锁了).
//!
//! Words that overlap are one concept. Stop words (的, 怎么, 咋 …) and bare amounts (三万, 几天)
//! are dropped, unless nothing else is left.

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;

use crate::analyzer::{XqTokenizer, is_han, is_stop_word, normalise};
use crate::synonyms::Synonyms;
use crate::vocabulary::{Listed, VOCABULARY_WEIGHT, Vocabulary};

/// Characters of the user's text that are looked at.
pub(crate) const MAX_QUERY_CHARS: usize = 256;

/// One way of saying something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    Term(String),
    /// Two or more words at these character offsets from the first.
    Phrase(Vec<(usize, String)>),
    /// Any of these.
    AnyOf(Vec<Clause>),
}

/// Where an alternative of a concept comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Source {
    Typed,
    Synonym,
    Vocabulary,
}

impl Source {
    /// How much a match through this source counts.
    pub(crate) fn weight(self) -> f32 {
        match self {
            Source::Typed | Source::Synonym => 1.0,
            Source::Vocabulary => VOCABULARY_WEIGHT,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Alt {
    pub clause: Clause,
    pub source: Source,
}

/// One thing the asker said: characters `start..end` of the normalised query and the ways an
/// entry may say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Concept {
    pub start: usize,
    pub end: usize,
    pub alts: Vec<Alt>,
    /// What the asker wrote for it (normalised).
    pub said: String,
    /// It names another department's business (see `vocabulary`): never covered by an entry.
    pub outside: bool,
    /// One word standing for it, to compare questions: the first meaning of its vocabulary word,
    /// else the first word of its synonym group, else what the asker wrote.
    pub key: String,
}

/// A parsed query.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub concepts: Vec<Concept>,
    /// Every word searched for, to highlight.
    pub words: BTreeSet<String>,
    /// The user typed something other than blanks (a query whose words were all dropped, such as
    /// a masked phone number, then finds nothing rather than everything).
    pub had_text: bool,
}

/// A span of the query with its alternatives, before overlapping spans are merged.
struct Piece {
    start: usize,
    end: usize,
    alts: Vec<Alt>,
    outside: bool,
    /// The concept's key this piece offers, with its precedence (vocabulary 2, synonym 1, own 0);
    /// the piece covering the most characters gives the key, precedence breaking ties.
    key: Option<(u8, String)>,
}

/// Parses `text`; `vocabulary` is given for Q&A searches only.
pub(crate) fn parse(text: &str, synonyms: &Synonyms, vocabulary: Option<&Vocabulary>) -> Parsed {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let norm = normalise(&text);
    let had_text = !norm.trim().is_empty();
    let chars: Vec<char> = norm.chars().collect();
    let tokens = XqTokenizer::new(false).tokens(&norm);
    let (mut pieces, stop_words) = typed_pieces(&tokens);
    let starts: BTreeSet<usize> = tokens.iter().map(|t| t.position).collect();
    let ends: BTreeSet<usize> = tokens.iter().map(|t| t.position + t.position_length).collect();
    pieces.extend(synonym_pieces(synonyms, &chars, &tokens, &ends));
    if let Some(v) = vocabulary {
        pieces.extend(vocabulary_pieces(v, synonyms, &chars, &starts, &ends));
    }
    if pieces.is_empty() {
        pieces = stop_words;
    }
    let mut concepts = merge(pieces);
    for c in &mut concepts {
        c.said = chars[c.start.min(chars.len())..c.end.min(chars.len())].iter().collect();
        // Inside a synonym or vocabulary word, a lone character of it (印 of 印啥) is a fragment.
        if c.alts.iter().any(|a| a.source != Source::Typed) {
            c.alts.retain(|a| {
                !(a.source == Source::Typed && matches!(&a.clause, Clause::Term(t) if t.chars().count() == 1))
            });
        }
    }
    let mut words = BTreeSet::new();
    for c in &concepts {
        for a in &c.alts {
            collect_words(&a.clause, &mut words);
        }
    }
    Parsed { concepts, words, had_text }
}

/// The asker's own words: terms (with their subwords) and runs of single characters; and the stop
/// words apart, in case nothing else is left.
fn typed_pieces(tokens: &[Token]) -> (Vec<Piece>, Vec<Piece>) {
    let typed = |start: usize, end: usize, clause: Clause| Piece {
        start,
        end,
        key: Some((0, clause_key(&clause))),
        alts: vec![Alt { clause, source: Source::Typed }],
        outside: false,
    };
    let mut pieces = Vec::new();
    let mut stop_words = Vec::new();
    let mut run: Vec<&Token> = Vec::new();
    let flush = |run: &mut Vec<&Token>, pieces: &mut Vec<Piece>| {
        if let (Some(first), Some(last)) = (run.first(), run.last()) {
            let clause = match run.as_slice() {
                [one] => Clause::Term(one.text.clone()),
                _ => Clause::Phrase(run.iter().map(|t| (t.position - first.position, t.text.clone())).collect()),
            };
            pieces.push(typed(first.position, last.position + last.position_length, clause));
        }
        run.clear();
    };
    for token in tokens {
        let (start, end) = (token.position, token.position + token.position_length);
        if is_stop_word(&token.text) {
            flush(&mut run, &mut pieces);
            stop_words.push(typed(start, end, Clause::Term(token.text.clone())));
            continue;
        }
        if is_amount(&token.text) {
            flush(&mut run, &mut pieces);
            continue;
        }
        if token.position_length == 1 && token.text.chars().all(is_han) {
            if run.last().is_some_and(|last| last.position + 1 != token.position) {
                flush(&mut run, &mut pieces);
            }
            run.push(token);
            continue;
        }
        flush(&mut run, &mut pieces);
        let subwords: BTreeSet<String> =
            XqTokenizer::new(true).tokens(&token.text).into_iter().map(|t| t.text).collect();
        let clause = if subwords.len() > 1 {
            Clause::AnyOf(subwords.into_iter().map(Clause::Term).collect())
        } else {
            Clause::Term(token.text.clone())
        };
        pieces.push(typed(start, end, clause));
    }
    flush(&mut run, &mut pieces);
    (pieces, stop_words)
}

/// A bare amount or count (三万, 五千块, 几天, 两次): says nothing an entry could answer. Numbers
/// of three or more digits (12315) are kept.
fn is_amount(word: &str) -> bool {
    const NUMERALS: &str = "0123456789零一二三四五六七八九十百千万亿两几半多";
    const UNITS: &str = "块元角毛分个次天日月年周号岁斤克遍趟";
    let digits = word.chars().filter(char::is_ascii_digit).count();
    word.chars().any(|c| NUMERALS.contains(c))
        && word.chars().all(|c| NUMERALS.contains(c) || UNITS.contains(c))
        && digits < 3
}

/// Synonym words starting at a token and ending on a word boundary, longest first.
fn synonym_pieces(synonyms: &Synonyms, chars: &[char], tokens: &[Token], ends: &BTreeSet<usize>) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut expanded_to = 0;
    for token in tokens {
        let at = token.position;
        if at < expanded_to {
            continue;
        }
        let max = synonyms.longest().min(chars.len().saturating_sub(at));
        let found = (1..=max).rev().filter(|len| ends.contains(&(at + len))).find_map(|len| {
            let key: String = chars[at..at + len].iter().collect();
            synonyms.lookup(&key).map(|g| (g, len))
        });
        if let Some((g, len)) = found {
            let alts = without_subsumed(synonyms.group(g).iter().filter_map(|m| word_clause(m)).collect())
                .into_iter()
                .map(|clause| Alt { clause, source: Source::Synonym })
                .collect();
            let key = synonyms.group(g).first().map(|w| (1, normalise(w)));
            pieces.push(Piece { start: at, end: at + len, alts, outside: false, key });
            expanded_to = at + len;
        }
    }
    pieces
}

/// Everyday words of the vocabulary (and other departments' words), longest first, aligned with
/// a word boundary on both sides (one side is enough for two characters or more).
fn vocabulary_pieces(
    vocabulary: &Vocabulary,
    synonyms: &Synonyms,
    chars: &[char],
    starts: &BTreeSet<usize>,
    ends: &BTreeSet<usize>,
) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let max = vocabulary.longest().min(chars.len() - at);
        let found = (1..=max).rev().find_map(|len| {
            let (open, close) = (starts.contains(&at), ends.contains(&(at + len)));
            if !(open && close || len >= 2 && (open || close)) {
                return None;
            }
            let key: String = chars[at..at + len].iter().collect();
            vocabulary.lookup(&key).map(|e| (e, len))
        });
        let Some((listed, len)) = found else {
            at += 1;
            continue;
        };
        let Listed::Entry(e) = listed else {
            let key = Some((2, chars[at..at + len].iter().collect()));
            pieces.push(Piece { start: at, end: at + len, alts: Vec::new(), outside: true, key });
            at += len;
            continue;
        };
        let mut clauses = Vec::new();
        for meaning in &vocabulary.entry(e).means {
            clauses.extend(word_clause(meaning));
            if let Some(group) = synonyms.group_of(meaning) {
                clauses.extend(group.iter().filter_map(|m| word_clause(m)));
            }
        }
        let alts =
            without_subsumed(clauses).into_iter().map(|clause| Alt { clause, source: Source::Vocabulary }).collect();
        let key = vocabulary.entry(e).means.first().map(|m| (2, normalise(m)));
        pieces.push(Piece { start: at, end: at + len, alts, outside: false, key });
        at += len;
    }
    pieces
}

/// A typed clause as one word.
fn clause_key(clause: &Clause) -> String {
    match clause {
        Clause::Term(t) => t.clone(),
        Clause::Phrase(p) => p.iter().map(|(_, w)| w.as_str()).collect(),
        Clause::AnyOf(cs) => cs.iter().map(clause_key).max_by_key(|k| k.chars().count()).unwrap_or_default(),
    }
}

/// Merges overlapping pieces into concepts, in query order; an alternative given twice keeps its
/// strongest source.
fn merge(mut pieces: Vec<Piece>) -> Vec<Concept> {
    pieces.sort_by_key(|p| (p.start, p.end));
    let mut concepts: Vec<Concept> = Vec::new();
    let mut precedence: Vec<(usize, u8)> = Vec::new();
    for piece in pieces {
        let concept = match concepts.last_mut() {
            Some(last) if piece.start < last.end => {
                last.end = last.end.max(piece.end);
                last
            }
            _ => {
                concepts.push(Concept {
                    start: piece.start,
                    end: piece.end,
                    alts: Vec::new(),
                    said: String::new(),
                    outside: false,
                    key: String::new(),
                });
                precedence.push((0, 0));
                concepts.last_mut().expect("just pushed")
            }
        };
        concept.outside |= piece.outside;
        let held = precedence.last_mut().expect("one per concept");
        if let Some((p, key)) = piece.key {
            let rank = (piece.end - piece.start, p);
            if concept.key.is_empty() || rank > *held {
                concept.key = key;
                *held = rank;
            }
        }
        for alt in piece.alts {
            match concept.alts.iter_mut().find(|a| a.clause == alt.clause) {
                Some(existing) => existing.source = existing.source.min(alt.source),
                None => concept.alts.push(alt),
            }
        }
    }
    concepts
}

/// A word (or a synonym group word) as a term, or as a phrase when jieba cuts it into several.
fn word_clause(word: &str) -> Option<Clause> {
    let tokens = XqTokenizer::new(false).tokens(&normalise(word));
    match tokens.as_slice() {
        [] => None,
        [one] => Some(Clause::Term(one.text.clone())),
        [first, ..] => {
            Some(Clause::Phrase(tokens.iter().map(|t| (t.position - first.position, t.text.clone())).collect()))
        }
    }
}

/// The words of a term or phrase with their offsets.
fn words_at(clause: &Clause) -> Vec<(usize, &str)> {
    match clause {
        Clause::Term(t) => vec![(0, t.as_str())],
        Clause::Phrase(p) => p.iter().map(|(at, w)| (*at, w.as_str())).collect(),
        Clause::AnyOf(_) => Vec::new(),
    }
}

/// Drops each word that contains another of the list (七日无理由退货 contains 无理由退货):
/// whatever matches it matches the shorter one too, and phrases are the costly part of a query.
fn without_subsumed(members: Vec<Clause>) -> Vec<Clause> {
    let words: Vec<Vec<(usize, &str)>> = members.iter().map(words_at).collect();
    let contains = |outer: &[(usize, &str)], inner: &[(usize, &str)]| {
        let Some(&(first_at, first)) = inner.first() else { return false };
        outer
            .iter()
            .filter(|(_, w)| *w == first)
            .any(|(at, _)| inner.iter().all(|(o, w)| outer.contains(&((at + o).saturating_sub(first_at), *w))))
    };
    let keep: Vec<bool> = (0..members.len())
        .map(|i| {
            !(0..members.len())
                .any(|j| j != i && contains(&words[i], &words[j]) && (!contains(&words[j], &words[i]) || j < i))
        })
        .collect();
    members.into_iter().zip(keep).filter_map(|(m, k)| k.then_some(m)).collect()
}

pub(crate) fn collect_words(clause: &Clause, words: &mut BTreeSet<String>) {
    match clause {
        Clause::Term(t) => {
            words.insert(t.clone());
        }
        Clause::Phrase(p) => words.extend(p.iter().map(|(_, w)| w.clone())),
        Clause::AnyOf(cs) => cs.iter().for_each(|c| collect_words(c, words)),
    }
}

/// The query for `concepts` over `fields` (each with its boost): any alternative of any concept
/// in any field, a vocabulary alternative weighted down.
pub(crate) fn to_query(concepts: &[Concept], fields: &[(Field, f32)]) -> Box<dyn Query> {
    let mut units: Vec<Box<dyn Query>> = Vec::new();
    for alt in concepts.iter().flat_map(|c| &c.alts) {
        for &(field, boost) in fields {
            let q = field_query(&alt.clause, field);
            let boost = boost * alt.source.weight();
            units.push(if boost == 1.0 { q } else { Box::new(BoostQuery::new(q, boost)) });
        }
    }
    one_or_union(units)
}

pub(crate) fn field_query(clause: &Clause, field: Field) -> Box<dyn Query> {
    match clause {
        Clause::Term(t) => Box::new(TermQuery::new(Term::from_field_text(field, t), IndexRecordOption::WithFreqs)),
        Clause::Phrase(p) if p.len() >= 2 => Box::new(PhraseQuery::new_with_offset(
            p.iter().map(|(at, w)| (*at, Term::from_field_text(field, w))).collect(),
        )),
        Clause::Phrase(p) => {
            one_or_union(p.iter().map(|(_, w)| field_query(&Clause::Term(w.clone()), field)).collect())
        }
        Clause::AnyOf(cs) => one_or_union(cs.iter().map(|c| field_query(c, field)).collect()),
    }
}

fn one_or_union(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    if queries.len() == 1 { queries.remove(0) } else { Box::new(BooleanQuery::union(queries)) }
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
