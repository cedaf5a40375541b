//! The surname of a full name already found, again with a title or a nickname (游志远 … 游总, 包国强 …
//! 老包, 满福来 … 满老板): the text has shown that the character is a surname here, so the title
//! or 老/小 need not pass the tests a surname of unknown standing must (a likely surname, no verb
//! reading: 游/v 总/b).

use super::PiiKind;
use super::cues;
use super::name_evidence::hmm_split;
use super::names::{Words, follower, given_char};
use super::text::{is_han, is_stop};

/// Titles of one character too loose to follow a surname on this evidence alone (王氏调味品 is a
/// brand; 工 and 处 start too many words).
const LOOSE: [char; 3] = ['氏', '工', '处'];

/// Whether a new word may start at `i`: jieba starts one there, its model glued `i` onto the word
/// before, or `i` is no Han character or a function word.
fn boundary(jieba: &jieba_rs::Jieba, words: &Words<'_>, chars: &[char], i: usize) -> bool {
    i == 0
        || i >= chars.len()
        || !is_han(chars[i - 1])
        || is_stop(chars[i - 1])
        || words.starts_word(i)
        || words.at(i).is_some_and(|t| t.start < i && t.end == i + 1 && !jieba.has_word(t.word))
}

/// Whether a word ends at `at`: jieba ends one there, or what follows is no Han character, a
/// function word or a common verb (游总说, 游总在).
fn ends(jieba: &jieba_rs::Jieba, words: &Words<'_>, chars: &[char], at: usize) -> bool {
    chars.get(at).is_none_or(|&c| !is_han(c) || follower(c))
        || words.starts_word(at)
        || hmm_split(jieba, words, chars, at)
}

/// Adds, among the names found from `from`, each surname of a full name (three characters, or two
/// that are no surname with a title) found again with a title after it or 老/小 before it.
pub(super) fn found_surnames_titled(
    jieba: &jieba_rs::Jieba,
    chars: &[char],
    words: &Words<'_>,
    protected: &[(usize, usize)],
    found: &mut Vec<(PiiKind, usize, usize)>,
    from: usize,
) {
    let mut surnames: Vec<char> = found[from..]
        .iter()
        .filter(|f| f.0 == PiiKind::Name && f.2 - f.1 == 3 && is_han(chars[f.1]))
        .filter(|f| !matches!(chars[f.1], '小' | '老' | '阿') && cues::title_at(chars, f.1 + 1).is_none())
        .filter(|f| chars[f.1 + 1..f.2].iter().all(|&c| given_char(c)))
        .map(|f| chars[f.1])
        .collect();
    if surnames.is_empty() {
        return;
    }
    surnames.sort_unstable();
    surnames.dedup();
    let free = |found: &[(PiiKind, usize, usize)], s: usize, e: usize| {
        !found.iter().any(|f| s < f.2 && f.1 < e) && !protected.iter().any(|p| s < p.1 && p.0 < e)
    };
    for i in 0..chars.len() {
        if !surnames.contains(&chars[i]) {
            continue;
        }
        // 和, 于, 向 standing as a conjunction or a preposition (…和秘书长) are no surname.
        let function_word = words
            .at(i)
            .is_some_and(|w| w.start == i && w.end == i + 1 && (w.tag.starts_with('c') || w.tag.starts_with('p')));
        // A title after it (游总, 满老板, 程经理).
        if let Some(t) = cues::title_at(chars, i + 1)
            && !function_word
            && boundary(jieba, words, chars, i)
            && ends(jieba, words, chars, i + 1 + t)
            && (t > 1 || !LOOSE.contains(&chars[i + 1]))
            && (t > 1 || !words.at(i).is_some_and(|w| w.start == i && w.end == i + 2 && !w.tag.starts_with("nr")))
            && free(found, i, i + 1 + t)
        {
            found.push((PiiKind::Name, i, i + 1 + t));
            continue;
        }
        // 老 or 小 before it (老包, 小游), not a word (老实, 小心: `not_nicknames`).
        if i > 0
            && matches!(chars[i - 1], '老' | '小')
            && !cues::nickname_is_a_word(chars[i - 1], chars[i])
            && (boundary(jieba, words, chars, i - 1) || cues::role_word_before(chars, i - 1))
            && !words.at(i - 1).is_some_and(|w| {
                w.start == i - 1 && w.end == i + 1 && jieba.has_word(w.word) && !w.tag.starts_with("nr")
            })
            && ends(jieba, words, chars, i + 1)
            && !chars.get(i + 1).is_some_and(|&c| given_char(c) && !follower(c) && !words.starts_word(i + 1))
            && free(found, i - 1, i + 1)
            && !super::products::shop_name_start(chars, i - 1, i + 1)
        {
            found.push((PiiKind::Name, i - 1, i + 1));
        }
    }
}

impl super::names::Scan<'_, '_> {
    /// 老 + a birth rank with no surname (司机老六说, 一个叫老四的人, 你说的“老四”): how workmates call one
    /// person, where a role, 叫/称 or a quote stands before; not a count, an age or an order (老三届,
    /// 老二十年).
    pub(super) fn rank_alone(&mut self, s: usize) {
        let chars = self.chars;
        if chars[s] != '老' || !chars.get(s + 1).is_some_and(|c| "二三四五六七八九".contains(*c)) {
            return;
        }
        let ends = chars.get(s + 2).is_none_or(|&c| {
            !is_han(c) && !c.is_ascii_digit() || follower(c) && !"一两".contains(c) || matches!(c, '的' | '”' | '」')
        });
        let before = s > 0
            && (matches!(chars[s - 1], '叫' | '称' | '“' | '「')
                || cues::role_word_before(chars, s)
                || matches!(self.cue_before(s), Some(super::cues::Cue::Strong | super::cues::Cue::Role)));
        if ends && before && !chars.get(s + 2).is_some_and(|c| "十百千万号岁年个块元届期级班".contains(*c))
        {
            self.push(4.5, s, s + 2);
        }
    }
}
