//! Query-time synonyms (同义词表): groups of words that mean the same thing to the people who
//! search (直播带货 ~ 网络直播营销, 预付卡 ~ 储值卡 ~ 会员卡 …). A query containing a word of a group
//! also searches for every other word of the group. The shipped list is `data/synonyms.toml`;
//! supervisors may edit it in the web, which stores the edited list and hands it to
//! [`SearchIndex::set_synonyms`](crate::SearchIndex::set_synonyms). Nothing is indexed differently,
//! so a change needs no reindex.
//!
//! Two text forms: TOML (`groups = [["预付卡", "储值卡"], …]`) and lines for a text area (one group
//! a line, words separated by `,` `，` `;` `；` or `|`; `#` starts a comment).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::analyzer::normalise;
use crate::{Result, SearchError};

/// The shipped list.
pub const SHIPPED_SYNONYMS_TOML: &str = include_str!("../data/synonyms.toml");

/// Longest word accepted, in characters.
const MAX_WORD_CHARS: usize = 32;

/// Validated synonym groups: each has at least two distinct words, and no word is in two groups.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    groups: Vec<Vec<String>>,
    /// Normalised word → its group.
    index: HashMap<String, usize>,
    /// Length of the longest normalised word, in characters.
    longest: usize,
}

#[derive(Serialize, Deserialize)]
struct TomlForm {
    groups: Vec<Vec<String>>,
}

impl Synonyms {
    /// The list shipped in `data/synonyms.toml` (a test keeps it valid).
    pub fn shipped() -> Self {
        Self::from_toml(SHIPPED_SYNONYMS_TOML).unwrap_or_default()
    }

    /// Validates `groups`: words are trimmed, repeated words in one group kept once, a group needs
    /// two words, a word may appear in one group only (compared without regard to case and width).
    pub fn new(groups: Vec<Vec<String>>) -> Result<Self> {
        let mut out = Self::default();
        for (n, group) in groups.into_iter().enumerate() {
            let mut words: Vec<String> = Vec::new();
            for word in group {
                let word = word.trim().to_string();
                if word.is_empty() {
                    continue;
                }
                if word.chars().count() > MAX_WORD_CHARS {
                    return Err(bad(format!("第 {} 组的“{word}”过长（最多 {MAX_WORD_CHARS} 个字）", n + 1)));
                }
                let key = normalise(&word);
                if !key.chars().any(char::is_alphanumeric) {
                    return Err(bad(format!("第 {} 组的“{word}”不含文字", n + 1)));
                }
                match out.index.get(&key) {
                    Some(&g) if g == out.groups.len() => continue,
                    Some(&g) => {
                        return Err(bad(format!("“{word}”同时出现在第 {} 组和第 {} 组", g + 1, n + 1)));
                    }
                    None => {}
                }
                out.longest = out.longest.max(key.chars().count());
                out.index.insert(key, out.groups.len());
                words.push(word);
            }
            match words.len() {
                0 => {}
                1 => return Err(bad(format!("第 {} 组只有一个词“{}”，同义词组至少需要两个词", n + 1, words[0]))),
                _ => out.groups.push(words),
            }
        }
        Ok(out)
    }

    /// Parses the TOML form (`groups = [[…], …]`).
    pub fn from_toml(text: &str) -> Result<Self> {
        let form: TomlForm = toml::from_str(text).map_err(|e| bad(format!("格式有误：{}", e.message())))?;
        Self::new(form.groups)
    }

    /// The TOML form, for storing.
    pub fn to_toml(&self) -> String {
        toml::to_string(&TomlForm { groups: self.groups.clone() }).unwrap_or_default()
    }

    /// Parses the line form: one group a line, words separated by `,` `，` `;` `；` or `|`.
    pub fn from_lines(text: &str) -> Result<Self> {
        let groups = text
            .lines()
            .map(|line| line.split('#').next().unwrap_or(""))
            .filter(|line| !line.trim().is_empty())
            .map(|line| line.split([',', '，', ';', '；', '|']).map(str::to_string).collect())
            .collect();
        Self::new(groups)
    }

    /// The line form, words separated by `，`.
    pub fn to_lines(&self) -> String {
        self.groups.iter().map(|g| g.join("，") + "\n").collect()
    }

    /// The groups, as written.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The group `word` belongs to, if any.
    pub fn group_of(&self, word: &str) -> Option<&[String]> {
        self.index.get(&normalise(word.trim())).map(|&g| self.groups[g].as_slice())
    }

    /// The group index of the normalised `key`.
    pub(crate) fn lookup(&self, key: &str) -> Option<usize> {
        self.index.get(key).copied()
    }

    /// The group with index `g`.
    pub(crate) fn group(&self, g: usize) -> &[String] {
        &self.groups[g]
    }

    /// Length of the longest word, in characters (after normalisation).
    pub(crate) fn longest(&self) -> usize {
        self.longest
    }
}

fn bad(message: String) -> SearchError {
    SearchError::Synonyms(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_list_is_valid_and_rich() {
        let s = Synonyms::from_toml(SHIPPED_SYNONYMS_TOML).expect("shipped synonyms parse");
        assert!(s.groups().len() >= 15);
        assert_eq!(s.group_of("储值卡"), s.group_of("预付卡"));
        assert!(s.group_of("网络直播营销").is_some_and(|g| g.contains(&"直播带货".to_string())));
        assert_eq!(Synonyms::shipped(), s);
    }

    #[test]
    fn forms_round_trip() {
        let s = Synonyms::shipped();
        assert_eq!(Synonyms::from_toml(&s.to_toml()).unwrap(), s);
        assert_eq!(Synonyms::from_lines(&s.to_lines()).unwrap(), s);
    }

    #[test]
    fn lines_are_parsed_and_checked() {
        let s = Synonyms::from_lines("# 注释\n预付卡, 储值卡，会员卡\n\n营业执照|执照|执照\n").unwrap();
        assert_eq!(s.groups().len(), 2);
        assert_eq!(s.group_of("执照").unwrap(), ["营业执照", "执照"]);
        assert_eq!(s.group_of("ＡＢＣ"), None);
        let err = Synonyms::from_lines("预付卡,储值卡\n储值卡,充值卡").unwrap_err();
        assert!(err.to_string().contains("同时出现在第 1 组和第 2 组"), "{err}");
        let err = Synonyms::from_lines("孤词").unwrap_err();
        assert!(err.to_string().contains("至少需要两个词"), "{err}");
        assert!(Synonyms::from_lines("，，\n").unwrap().is_empty());
        assert!(Synonyms::from_toml("groups = 3").is_err());
    }

    #[test]
    fn case_and_width_are_ignored() {
        let s = Synonyms::from_lines("App, 应用程序").unwrap();
        assert!(s.group_of("ＡＰＰ").is_some());
        assert!(s.group_of("app").is_some());
    }
}
