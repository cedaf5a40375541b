//! Highlighted snippets as plain-text fragments. The text is cut by the index's analyzer, so what
//! is highlighted is exactly what matched (never a masked digit); the passage shown is the window
//! of `max_chars` characters holding the most matches, with `…` where text was cut.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::analyzer::XqTokenizer;
use crate::types::Fragment;

/// Characters of context shown before the first match of a passage.
const LEAD_CHARS: usize = 12;

/// Character ranges of `text` that match `words`, sorted, merged where they overlap or touch.
fn matches(text: &str, words: &BTreeSet<String>) -> Vec<Range<usize>> {
    if words.is_empty() {
        return Vec::new();
    }
    let mut char_at = vec![0usize; text.len() + 1];
    for (n, (b, _)) in text.char_indices().enumerate() {
        char_at[b] = n;
    }
    char_at[text.len()] = text.chars().count();
    let mut ranges: Vec<Range<usize>> = XqTokenizer::new(true)
        .tokens(text)
        .into_iter()
        .filter(|t| words.contains(&t.text))
        .map(|t| char_at[t.offset_from]..char_at[t.offset_to])
        .collect();
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// The whole of `text`, highlighted.
pub(crate) fn highlight_all(text: &str, words: &BTreeSet<String>) -> Vec<Fragment> {
    let chars: Vec<char> = text.chars().collect();
    fragments(&chars, 0..chars.len(), &matches(text, words))
}

/// The best passage of `text` for `words`, or `None` when nothing in it matches.
pub(crate) fn best_passage(text: &str, words: &BTreeSet<String>, max_chars: usize) -> Option<Vec<Fragment>> {
    let found = matches(text, words);
    if found.is_empty() {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    let window_at = |anchor: usize| {
        let mut start = anchor.saturating_sub(LEAD_CHARS);
        let end = (start + max_chars).min(chars.len());
        start = start.min(end.saturating_sub(max_chars));
        start..end
    };
    let best = found
        .iter()
        .map(|r| window_at(r.start))
        .max_by_key(|w| {
            let inside = found.iter().filter(|r| w.start <= r.start && r.end <= w.end).count();
            (inside, std::cmp::Reverse(w.start))
        })
        .unwrap_or(0..0);
    Some(fragments(&chars, best, &found))
}

/// The beginning of `text`, up to `max_chars` characters, without highlights.
pub(crate) fn head(text: &str, max_chars: usize) -> Vec<Fragment> {
    let chars: Vec<char> = text.chars().collect();
    fragments(&chars, 0..max_chars.min(chars.len()), &[])
}

/// `chars[window]` split at `highlights`, with `…` at either end when text was cut.
fn fragments(chars: &[char], window: Range<usize>, highlights: &[Range<usize>]) -> Vec<Fragment> {
    let mut out: Vec<Fragment> = Vec::new();
    let mut push = |text: String, highlighted: bool| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.highlighted == highlighted => last.text.push_str(&text),
            _ => out.push(Fragment { text, highlighted }),
        }
    };
    if window.start > 0 {
        push("…".into(), false);
    }
    let mut at = window.start;
    for h in highlights {
        let start = h.start.max(window.start);
        let end = h.end.min(window.end);
        if start >= end || start < at {
            continue;
        }
        push(chars[at..start].iter().collect(), false);
        push(chars[start..end].iter().collect(), true);
        at = end;
    }
    push(chars[at..window.end].iter().collect(), false);
    if window.end < chars.len() {
        push("…".into(), false);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::plain_text;

    fn words(ws: &[&str]) -> BTreeSet<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn highlights_matches_and_keeps_text() {
        let f = highlight_all("直播间能不能说全网最低价？", &words(&["全网", "最低价", "最低"]));
        assert_eq!(plain_text(&f), "直播间能不能说全网最低价？");
        let marked: Vec<&str> = f.iter().filter(|f| f.highlighted).map(|f| f.text.as_str()).collect();
        assert_eq!(marked, ["全网最低价"]);
    }

    #[test]
    fn passage_centres_on_matches_and_marks_cuts() {
        let text = format!("{}预付卡退款{}", "甲".repeat(100), "乙".repeat(100));
        let f = best_passage(&text, &words(&["预付卡"]), 40).unwrap();
        assert_eq!(f.first().unwrap().text.chars().next(), Some('…'));
        assert!(f.iter().any(|f| f.highlighted && f.text == "预付卡"));
        assert!(plain_text(&f).ends_with('…'));
        assert!(best_passage(&text, &words(&["储值卡"]), 40).is_none());
        assert_eq!(plain_text(&head("短文", 40)), "短文");
    }

    #[test]
    fn masked_digits_are_never_highlighted() {
        let f = highlight_all("联系电话138****5678", &words(&["5678", "138"]));
        assert!(f.iter().all(|f| !f.highlighted), "{f:?}");
    }
}
