//! From what a user typed to a tantivy query, built programmatically (no query syntax, so quotes,
//! colons and brackets are just characters). The text is normalised and cut by the same jieba
//! analyzer as the documents, then:
//!
//! - a synonym word (aligned with word boundaries, longest first) adds "any word of its group",
//!   each group word as a term or, when jieba cuts it into several, as a phrase; its own words are
//!   searched as well, as below, so synonyms only ever add matches;
//! - a run of single characters that jieba did not recognise as a word (带 货 in 直播带货 when the
//!   dictionary lacks it) becomes a phrase, so it matches those characters together;
//! - any other word becomes a term, together with the shorter dictionary words inside it
//!   (许可证 also finds 许可), so that either matches;
//! - stop words (的, 怎么, 可以 …) are dropped, unless nothing else is left.
//!
//! The resulting clauses are ORed and ranked by BM25, field by field with boosts.

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;

use crate::analyzer::{XqTokenizer, is_han, is_stop_word, normalise};
use crate::synonyms::Synonyms;

/// Characters of the user's text that are looked at.
pub(crate) const MAX_QUERY_CHARS: usize = 256;

/// One unit of meaning in a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Clause {
    Term(String),
    /// Two or more words at these character offsets from the first.
    Phrase(Vec<(usize, String)>),
    /// Any of these.
    AnyOf(Vec<Clause>),
}

/// A parsed query.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// ORed together.
    pub clauses: Vec<Clause>,
    /// Every word searched for, to highlight.
    pub words: BTreeSet<String>,
    /// The user typed something other than blanks (a query whose words were all dropped, such as
    /// a masked phone number, then finds nothing rather than everything).
    pub had_text: bool,
}

pub(crate) fn parse(text: &str, synonyms: &Synonyms) -> Parsed {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let norm = normalise(&text);
    let mut parsed = Parsed { had_text: !norm.trim().is_empty(), ..Parsed::default() };
    let chars: Vec<char> = norm.chars().collect();
    let tokens = XqTokenizer::new(false).tokens(&norm);
    let ends: BTreeSet<usize> = tokens.iter().map(|t| t.position + t.position_length).collect();
    let mut run: Vec<&Token> = Vec::new();
    let mut stop_words: Vec<String> = Vec::new();
    // Characters before this are inside a synonym word already expanded.
    let mut expanded_to = 0;
    for token in &tokens {
        if token.position >= expanded_to
            && let Some((g, len)) = synonym_at(synonyms, &chars, token.position, &ends)
        {
            let members = without_subsumed(synonyms.group(g).iter().filter_map(|m| word_clause(m)).collect());
            for m in &members {
                collect_words(m, &mut parsed.words);
            }
            parsed.clauses.push(Clause::AnyOf(members));
            expanded_to = token.position + len;
        }
        if is_stop_word(&token.text) {
            flush_run(&mut run, &mut parsed);
            stop_words.push(token.text.clone());
            continue;
        }
        let single_han = token.position_length == 1 && token.text.chars().all(is_han);
        if single_han {
            if run.last().is_some_and(|last| last.position + 1 != token.position) {
                flush_run(&mut run, &mut parsed);
            }
            run.push(token);
            continue;
        }
        flush_run(&mut run, &mut parsed);
        let subwords: BTreeSet<String> =
            XqTokenizer::new(true).tokens(&token.text).into_iter().map(|t| t.text).collect();
        parsed.words.extend(subwords.iter().cloned());
        parsed.words.insert(token.text.clone());
        if subwords.len() > 1 {
            parsed.clauses.push(Clause::AnyOf(subwords.into_iter().map(Clause::Term).collect()));
        } else {
            parsed.clauses.push(Clause::Term(token.text.clone()));
        }
    }
    flush_run(&mut run, &mut parsed);
    if parsed.clauses.is_empty() {
        for word in stop_words {
            parsed.words.insert(word.clone());
            parsed.clauses.push(Clause::Term(word));
        }
    }
    parsed
}

/// The synonym group whose word starts at character `at` and ends on a word boundary, longest
/// first: `(group, length in characters)`.
fn synonym_at(synonyms: &Synonyms, chars: &[char], at: usize, ends: &BTreeSet<usize>) -> Option<(usize, usize)> {
    let max = synonyms.longest().min(chars.len().saturating_sub(at));
    (1..=max).rev().filter(|len| ends.contains(&(at + len))).find_map(|len| {
        let key: String = chars[at..at + len].iter().collect();
        synonyms.lookup(&key).map(|g| (g, len))
    })
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

/// Drops each group word that contains another group word (七日无理由退货 contains 无理由退货):
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

fn flush_run(run: &mut Vec<&Token>, parsed: &mut Parsed) {
    match run.as_slice() {
        [] => {}
        [one] => {
            parsed.words.insert(one.text.clone());
            parsed.clauses.push(Clause::Term(one.text.clone()));
        }
        [first, ..] => {
            let phrase: Vec<(usize, String)> =
                run.iter().map(|t| (t.position - first.position, t.text.clone())).collect();
            parsed.words.extend(phrase.iter().map(|(_, w)| w.clone()));
            parsed.clauses.push(Clause::Phrase(phrase));
        }
    }
    run.clear();
}

fn collect_words(clause: &Clause, words: &mut BTreeSet<String>) {
    match clause {
        Clause::Term(t) => {
            words.insert(t.clone());
        }
        Clause::Phrase(p) => words.extend(p.iter().map(|(_, w)| w.clone())),
        Clause::AnyOf(cs) => cs.iter().for_each(|c| collect_words(c, words)),
    }
}

/// The query for `clauses` over `fields` (each with its boost): every clause in any field.
pub(crate) fn to_query(clauses: &[Clause], fields: &[(Field, f32)]) -> Box<dyn Query> {
    let units: Vec<Box<dyn Query>> = clauses
        .iter()
        .map(|clause| {
            let per_field: Vec<Box<dyn Query>> = fields
                .iter()
                .map(|&(field, boost)| -> Box<dyn Query> {
                    let q = field_query(clause, field);
                    if boost == 1.0 { q } else { Box::new(BoostQuery::new(q, boost)) }
                })
                .collect();
            one_or_union(per_field)
        })
        .collect();
    one_or_union(units)
}

fn field_query(clause: &Clause, field: Field) -> Box<dyn Query> {
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
mod tests {
    use super::*;

    fn clauses(text: &str) -> Vec<Clause> {
        parse(text, &Synonyms::shipped()).clauses
    }

    #[test]
    fn synonyms_expand_to_their_group() {
        let c = clauses("储值卡怎么退");
        let Clause::AnyOf(members) = &c[0] else { panic!("{c:?}") };
        assert!(members.contains(&Clause::Term("预付卡".into())), "{members:?}");
        assert!(members.iter().any(|m| matches!(m, Clause::Phrase(_))), "{members:?}");
    }

    #[test]
    fn synonyms_need_word_boundaries() {
        // 年报 is a synonym word, but in 今年报名 it straddles 今年|报名.
        let c = clauses("今年报名");
        assert!(!c.iter().any(|c| matches!(c, Clause::AnyOf(m) if m.contains(&Clause::Term("年度报告".into())))));
    }

    #[test]
    fn group_words_containing_another_are_dropped() {
        let c = clauses("七日无理由退货");
        let Clause::AnyOf(members) = &c[0] else { panic!("{c:?}") };
        let phrase = |ws: &[(usize, &str)]| Clause::Phrase(ws.iter().map(|(a, w)| (*a, w.to_string())).collect());
        assert_eq!(members, &[phrase(&[(0, "无"), (1, "理由"), (3, "退货")])]);
        let kept = without_subsumed(vec![Clause::Term("执照".into()), Clause::Term("执照".into())]);
        assert_eq!(kept, [Clause::Term("执照".into())]);
    }

    #[test]
    fn stop_words_drop_unless_alone() {
        assert_eq!(clauses("的"), vec![Clause::Term("的".into())]);
        let c = clauses("食品经营许可证怎么办理");
        assert!(!c.contains(&Clause::Term("怎么".into())), "{c:?}");
    }

    #[test]
    fn odd_input_never_panics() {
        for text in
            ["", "   ", "\"", "a:b", "((", "[地址]", "*", "**5678", "'); DROP TABLE", "\u{0}", "🙂", "AND OR NOT"]
        {
            let p = parse(text, &Synonyms::shipped());
            let _ = to_query(&p.clauses, &[]);
        }
        let long = "预付卡".repeat(1000);
        assert!(parse(&long, &Synonyms::shipped()).clauses.len() <= MAX_QUERY_CHARS);
    }
}
