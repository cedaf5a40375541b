//! The labelled query set itself: it parses, names only existing entries, covers every starter
//! entry and every voice, holds unanswerable queries, and never copies an entry's wording.

use std::collections::BTreeSet;

use xinqiao_search::eval::{LABELLED_QUERIES_TOML, labelled_from_toml, starter_docs};

/// Letters and digits only, so that punctuation and spaces do not hide a copy.
fn bare(text: &str) -> Vec<char> {
    text.chars().filter(|c| c.is_alphanumeric()).collect()
}

#[test]
fn the_labelled_set_is_sound_and_written_in_its_own_words() {
    let queries = labelled_from_toml(LABELLED_QUERIES_TOML).unwrap();
    let docs = starter_docs();
    let ids: BTreeSet<&str> = docs.iter().map(|d| d.id.as_str()).collect();
    assert!(queries.len() >= 150, "{} queries", queries.len());
    for q in &queries {
        for id in &q.expect {
            assert!(ids.contains(id.as_str()), "{}: unknown entry {id}", q.text);
        }
        assert!(["consumer", "shop", "elderly", "formal"].contains(&q.voice.as_str()), "{}", q.voice);
    }
    let expected: BTreeSet<&str> = queries.iter().filter_map(|q| q.expect.first().map(String::as_str)).collect();
    assert_eq!(expected, ids, "every starter entry is asked for");
    for voice in ["consumer", "shop", "elderly", "formal"] {
        let of =
            |answerable: bool| queries.iter().filter(|q| q.voice == voice && q.expect.is_empty() != answerable).count();
        assert!(of(true) >= 20 && of(false) >= 3, "{voice}: {} answerable, {} unanswerable", of(true), of(false));
    }
    let held = queries.iter().filter(|q| q.holdout).count();
    assert!(held * 3 >= queries.len() - 2 && held * 3 <= queries.len(), "{held} held out");

    // No query shares 8 consecutive characters with an entry's question.
    for q in &queries {
        let text = bare(&q.text);
        for d in &docs {
            let question: String = bare(&d.question).into_iter().collect();
            for window in text.windows(8) {
                let piece: String = window.iter().collect();
                assert!(!question.contains(&piece), "{} copies “{piece}” from {}", q.text, d.id);
            }
        }
    }
}
