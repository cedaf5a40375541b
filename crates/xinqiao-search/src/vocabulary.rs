//! The everyday-words vocabulary (口语词表): words people use when they ask (开胶, 跑路, 贴纸,
//! 不会弄 …) with the policy words the entries are written in (质量问题, 预付卡, 标签, 帮办代办 …).
//! Unlike a synonym group it points one way: a question saying 开胶 also looks for 质量问题, but
//! an entry about 质量问题 is not offered to someone asking about 质量问题 because of 开胶. A
//! match through the vocabulary counts a little less than the asker's own word
//! ([`VOCABULARY_WEIGHT`]). Used by the Q&A search only, at query time (no reindex).
//!
//! It also lists words that show a question is about another department's business (医保, 租房,
//! 驾照 …): the search never counts them as covered, so such a question is answered with nothing
//! unless an entry fits it well.
//!
//! The shipped list is `data/vocabulary.toml`; supervisors edit it beside the synonyms, as lines
//! `开胶，坏了，用不了 → 质量问题，三包` (words separated by `,` `，` `;` `；` or `|`, the arrow may
//! also be `->` or `=`; `#` starts a comment), and `医保，社保 → 无关` for the other departments'
//! words.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::analyzer::normalise;
use crate::{Result, SearchError};

/// The shipped vocabulary.
pub const SHIPPED_VOCABULARY_TOML: &str = include_str!("../data/vocabulary.toml");

/// How much a match through the vocabulary counts, against 1 for the asker's own word.
pub const VOCABULARY_WEIGHT: f32 = 0.9;

/// Longest word accepted, in characters.
const MAX_WORD_CHARS: usize = 32;

/// The right-hand side that marks other departments' words in the line form.
pub const OUTSIDE_MARK: &str = "无关";

/// One line: everyday words and what they mean in the entries' words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocabularyEntry {
    pub words: Vec<String>,
    pub means: Vec<String>,
}

/// A validated vocabulary: every entry has words and meanings, and an everyday word belongs to
/// one entry only (compared without regard to case and width).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    entries: Vec<VocabularyEntry>,
    /// Words of other departments' business.
    outside: Vec<String>,
    /// Normalised word → what it is.
    index: HashMap<String, Listed>,
    /// Length of the longest normalised everyday word, in characters.
    longest: usize,
}

#[derive(Serialize, Deserialize)]
struct TomlForm {
    entries: Vec<VocabularyEntry>,
    #[serde(default)]
    outside: Vec<String>,
}

/// What a normalised word is in the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// An everyday word of this entry.
    Entry(usize),
    /// A word of another department's business.
    Outside,
}

fn bad(message: String) -> SearchError {
    SearchError::Vocabulary(message)
}

/// Trims, drops empty words and repeats, and checks length and content.
fn clean(words: Vec<String>, line: usize, side: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for word in words {
        let word = word.trim().to_string();
        if word.is_empty() || out.iter().any(|w| normalise(w) == normalise(&word)) {
            continue;
        }
        if word.chars().count() > MAX_WORD_CHARS {
            return Err(bad(format!("第 {line} 行{side}的“{word}”过长（最多 {MAX_WORD_CHARS} 个字）")));
        }
        if !normalise(&word).chars().any(char::is_alphanumeric) {
            return Err(bad(format!("第 {line} 行{side}的“{word}”不含文字")));
        }
        out.push(word);
    }
    Ok(out)
}

impl Vocabulary {
    /// The list shipped in `data/vocabulary.toml` (a test keeps it valid).
    pub fn shipped() -> Self {
        Self::from_toml(SHIPPED_VOCABULARY_TOML).unwrap_or_default()
    }

    /// Validates `entries` and the other departments' words `outside` (see the type's
    /// documentation); entries left empty are skipped.
    pub fn new(entries: Vec<VocabularyEntry>, outside: Vec<String>) -> Result<Self> {
        let mut out = Self::default();
        for (n, entry) in entries.into_iter().enumerate() {
            let line = n + 1;
            let words = clean(entry.words, line, "左边")?;
            let means = clean(entry.means, line, "右边")?;
            match (words.is_empty(), means.is_empty()) {
                (true, true) => continue,
                (true, false) => return Err(bad(format!("第 {line} 行缺少口语说法（箭头左边）"))),
                (false, true) => return Err(bad(format!("第 {line} 行缺少对应的政策用语（箭头右边）"))),
                (false, false) => {}
            }
            for word in &words {
                let key = normalise(word);
                if let Some(&Listed::Entry(e)) = out.index.get(&key) {
                    return Err(bad(format!("口语词“{word}”同时出现在第 {} 行和第 {line} 行", e + 1)));
                }
                out.longest = out.longest.max(key.chars().count());
                out.index.insert(key, Listed::Entry(out.entries.len()));
            }
            out.entries.push(VocabularyEntry { words, means });
        }
        for word in clean(outside, out.entries.len() + 1, "“无关”一行")? {
            let key = normalise(&word);
            if let Some(&Listed::Entry(e)) = out.index.get(&key) {
                return Err(bad(format!("“{word}”既是第 {} 行的口语词，又被列为无关的词", e + 1)));
            }
            out.longest = out.longest.max(key.chars().count());
            out.index.insert(key, Listed::Outside);
            out.outside.push(word);
        }
        Ok(out)
    }

    /// Parses the TOML form (`entries = [{ words = […], means = […] }, …]`).
    pub fn from_toml(text: &str) -> Result<Self> {
        let form: TomlForm = toml::from_str(text).map_err(|e| bad(format!("格式有误：{}", e.message())))?;
        Self::new(form.entries, form.outside)
    }

    /// The TOML form, for storing.
    pub fn to_toml(&self) -> String {
        toml::to_string(&TomlForm { entries: self.entries.clone(), outside: self.outside.clone() }).unwrap_or_default()
    }

    /// Parses the line form: `words → meanings`, one entry a line.
    pub fn from_lines(text: &str) -> Result<Self> {
        let split = |side: &str| side.split([',', '，', ';', '；', '|']).map(str::to_string).collect::<Vec<_>>();
        let mut entries = Vec::new();
        let mut outside = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("");
            if line.trim().is_empty() {
                continue;
            }
            let Some((words, means)) = ["→", "->", "＝", "="].iter().find_map(|arrow| line.split_once(arrow)) else {
                return Err(bad(format!("第 {} 行缺少“→”：请写成“口语说法 → 政策用语”", n + 1)));
            };
            if means.trim() == OUTSIDE_MARK {
                outside.extend(split(words));
            } else {
                entries.push(VocabularyEntry { words: split(words), means: split(means) });
            }
        }
        Self::new(entries, outside)
    }

    /// The line form, words separated by `，`; the other departments' words last.
    pub fn to_lines(&self) -> String {
        let mut out: String =
            self.entries.iter().map(|e| format!("{} → {}\n", e.words.join("，"), e.means.join("，"))).collect();
        if !self.outside.is_empty() {
            out.push_str(&format!("{} → {OUTSIDE_MARK}\n", self.outside.join("，")));
        }
        out
    }

    pub fn entries(&self) -> &[VocabularyEntry] {
        &self.entries
    }

    /// Words of other departments' business.
    pub fn outside(&self) -> &[String] {
        &self.outside
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.outside.is_empty()
    }

    /// What an everyday word means, if it is listed.
    pub fn meanings_of(&self, word: &str) -> Option<&[String]> {
        match self.index.get(&normalise(word.trim())) {
            Some(&Listed::Entry(e)) => Some(self.entries[e].means.as_slice()),
            _ => None,
        }
    }

    /// What the normalised `key` is, if listed.
    pub(crate) fn lookup(&self, key: &str) -> Option<Listed> {
        self.index.get(key).copied()
    }

    pub(crate) fn entry(&self, e: usize) -> &VocabularyEntry {
        &self.entries[e]
    }

    /// Length of the longest listed word, in characters (after normalisation).
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_vocabulary_is_valid_and_covers_the_issue_examples() {
        let v = Vocabulary::from_toml(SHIPPED_VOCABULARY_TOML).expect("shipped vocabulary parses");
        assert_eq!(Vocabulary::shipped(), v);
        assert!(v.outside().iter().any(|w| w == "医保"));
        for (word, meaning) in [("开胶", "质量问题"), ("跑路", "预付卡"), ("贴纸", "标签"), ("不会弄", "帮办代办")]
        {
            let means = v.meanings_of(word).unwrap_or_else(|| panic!("{word} is listed"));
            assert!(means.iter().any(|m| m == meaning), "{word} → {means:?}");
        }
    }

    #[test]
    fn forms_round_trip() {
        let v = Vocabulary::shipped();
        assert_eq!(Vocabulary::from_toml(&v.to_toml()).unwrap(), v);
        assert_eq!(Vocabulary::from_lines(&v.to_lines()).unwrap(), v);
    }

    #[test]
    fn lines_are_parsed_and_checked() {
        let v =
            Vocabulary::from_lines("# 注释\n开胶，坏了 → 质量问题，三包\n\n撸铁馆 -> 健身房\n卷钱=预付卡\n").unwrap();
        assert_eq!(v.entries().len(), 3);
        assert_eq!(v.meanings_of("坏了").unwrap(), ["质量问题", "三包"]);
        assert_eq!(v.meanings_of("撸铁馆").unwrap(), ["健身房"]);
        assert_eq!(v.meanings_of("ＡＢ"), None);
        let err = Vocabulary::from_lines("开胶 → 质量问题\n开胶 → 三包").unwrap_err();
        assert!(err.to_string().contains("同时出现在第 1 行和第 2 行"), "{err}");
        let err = Vocabulary::from_lines("开胶，坏了").unwrap_err();
        assert!(err.to_string().contains("缺少“→”"), "{err}");
        let err = Vocabulary::from_lines("开胶 →").unwrap_err();
        assert!(err.to_string().contains("缺少对应的政策用语"), "{err}");
        let err = Vocabulary::from_lines("→ 质量问题").unwrap_err();
        assert!(err.to_string().contains("缺少口语说法"), "{err}");
        assert!(Vocabulary::from_lines("  \n# 只有注释\n").unwrap().is_empty());
        let v = Vocabulary::from_lines("医保，社保 → 无关\n开胶 → 质量问题").unwrap();
        assert_eq!(v.outside(), ["医保", "社保"]);
        assert_eq!(v.meanings_of("医保"), None);
        let err = Vocabulary::from_lines("医保 → 看病\n医保 → 无关").unwrap_err();
        assert!(err.to_string().contains("又被列为无关的词"), "{err}");
        assert!(Vocabulary::from_toml("entries = 3").is_err());
    }
}
