//! The registry of laws and regulations that policy answers cite: each law with its versions
//! (effective date, 现行/已修订/已废止, what replaced it), where the record comes from and whether it
//! was checked against the official text (`verified`). Citations point to a law version and,
//! only where the article is certain, an article.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

use super::KnowledgeError;
use super::dates::{date_opt, parse_date_opt};
use crate::calendar::Date;

/// Where a law version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LawStatus {
    /// 现行
    Current,
    /// 已修订: a later version of the same law replaced it.
    Amended,
    /// 已废止
    Repealed,
}

impl LawStatus {
    pub const ALL: [LawStatus; 3] = [LawStatus::Current, LawStatus::Amended, LawStatus::Repealed];

    pub fn code(self) -> &'static str {
        match self {
            LawStatus::Current => "current",
            LawStatus::Amended => "amended",
            LawStatus::Repealed => "repealed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LawStatus::Current => "现行",
            LawStatus::Amended => "已修订",
            LawStatus::Repealed => "已废止",
        }
    }

    /// Accepts the code (`current`) or the Chinese label (`现行`).
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == text || s.label() == text)
    }
}

impl fmt::Display for LawStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What replaced a version: a later version of the same law, or another law (and its version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Successor {
    pub law_id: String,
    pub version: Option<String>,
}

/// One version of a law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LawVersion {
    /// Stable within its law, usually the year of adoption (`2013`).
    pub id: String,
    /// When it took effect; `None` where not known for sure (never guessed).
    #[serde(default, with = "date_opt")]
    pub effective: Option<Date>,
    pub status: LawStatus,
    pub replaced_by: Option<Successor>,
    /// Free text, e.g. which orders amended it.
    pub note: String,
}

/// A law, regulation, rule or normative document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Law {
    /// Stable slug (`consumer-rights-law`); citations refer to it.
    pub id: String,
    pub name: String,
    /// 制定机关.
    pub issuer: String,
    /// 文号 (`国家市场监督管理总局令第121号`); empty where not known for sure.
    pub doc_number: String,
    /// Oldest first.
    pub versions: Vec<LawVersion>,
    /// Where the record comes from.
    pub source: String,
    /// Whether name, number and dates were checked against the official text.
    pub verified: bool,
}

impl Law {
    /// The law with `id` in `laws`.
    pub fn find<'a>(laws: &'a [Law], id: &str) -> Option<&'a Law> {
        laws.iter().find(|l| l.id == id)
    }

    pub fn version(&self, id: &str) -> Option<&LawVersion> {
        self.versions.iter().find(|v| v.id == id)
    }

    /// The newest version, whatever its status.
    pub fn latest(&self) -> Option<&LawVersion> {
        self.versions.last()
    }

    /// The version in force, if the law has not been repealed.
    pub fn current(&self) -> Option<&LawVersion> {
        self.versions.iter().rev().find(|v| v.status == LawStatus::Current)
    }

    /// The status of the law as a whole: that of its newest version.
    pub fn status(&self) -> LawStatus {
        self.latest().map_or(LawStatus::Repealed, |v| v.status)
    }

    /// 《name》 as cited in Chinese text.
    pub fn title(&self) -> String {
        format!("《{}》", self.name)
    }

    /// Records a new version: the current one becomes 已修订, replaced by `version`, which becomes
    /// 现行. Returns the change to cascade to the entries citing this law.
    pub fn add_version(
        &mut self,
        version: &str,
        effective: Option<Date>,
        note: &str,
    ) -> Result<LawChange, KnowledgeError> {
        if version.trim().is_empty() || self.version(version).is_some() {
            return Err(KnowledgeError::BadData(format!("{} 已有版本“{version}”或版本号为空", self.title())));
        }
        if self.status() == LawStatus::Repealed {
            return Err(KnowledgeError::BadData(format!("{} 已废止，不能再增加版本", self.title())));
        }
        let successor = Successor { law_id: self.id.clone(), version: Some(version.to_owned()) };
        for v in self.versions.iter_mut().filter(|v| v.status == LawStatus::Current) {
            v.status = LawStatus::Amended;
            v.replaced_by = Some(successor.clone());
        }
        self.versions.push(LawVersion {
            id: version.to_owned(),
            effective,
            status: LawStatus::Current,
            replaced_by: None,
            note: note.to_owned(),
        });
        Ok(LawChange::NewVersion { law_id: self.id.clone(), version: version.to_owned() })
    }

    /// Records the repeal of the law (its current version becomes 已废止).
    pub fn repeal(&mut self, replaced_by: Option<Successor>) -> Result<LawChange, KnowledgeError> {
        let Some(v) = self.versions.iter_mut().rev().find(|v| v.status == LawStatus::Current) else {
            return Err(KnowledgeError::BadData(format!("{} 没有现行版本，无法废止", self.title())));
        };
        v.status = LawStatus::Repealed;
        v.replaced_by = replaced_by.clone();
        Ok(LawChange::Repealed { law_id: self.id.clone(), replaced_by })
    }
}

/// A pointer from an answer to the law it rests on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Citation {
    pub law_id: String,
    pub version: String,
    /// `第二十五条` (optionally `第二十五条第一款`); only where the article is certain.
    pub article: Option<String>,
}

impl Citation {
    /// `《中华人民共和国消费者权益保护法》第二十五条（2013年版）`, or the bare ids for an unknown law.
    pub fn label(&self, laws: &[Law]) -> String {
        let article = self.article.as_deref().unwrap_or("");
        match Law::find(laws, &self.law_id) {
            Some(law) => format!("{}{article}（{}年版）", law.title(), self.version),
            None => format!("{}@{}{article}", self.law_id, self.version),
        }
    }

    /// Whether `article` looks like `第…条`, optionally followed by `第…款` and `第…项`.
    pub fn article_is_well_formed(article: &str) -> bool {
        const UNITS: [char; 3] = ['条', '款', '项'];
        let chars: Vec<char> = article.chars().collect();
        let (mut i, mut next) = (0, 0);
        while i < chars.len() {
            if chars[i] != '第' {
                return false;
            }
            let digits = chars[i + 1..].iter().take_while(|c| "零一二三四五六七八九十百千".contains(**c)).count();
            let unit = chars.get(i + 1 + digits).and_then(|c| UNITS.iter().position(|u| u == c));
            // 条 first, then 款 and/or 项 in that order.
            match unit {
                Some(pos) if digits > 0 && (if next == 0 { pos == 0 } else { pos >= next }) => next = pos + 1,
                _ => return false,
            }
            i += 2 + digits;
        }
        next > 0
    }
}

/// A change to the registry that makes answers citing the law due for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LawChange {
    NewVersion { law_id: String, version: String },
    Repealed { law_id: String, replaced_by: Option<Successor> },
}

impl LawChange {
    pub fn law_id(&self) -> &str {
        match self {
            LawChange::NewVersion { law_id, .. } | LawChange::Repealed { law_id, .. } => law_id,
        }
    }

    /// A sentence for the author's list, in Chinese.
    pub fn describe(&self, laws: &[Law]) -> String {
        let title = |id: &str| Law::find(laws, id).map_or_else(|| id.to_owned(), Law::title);
        match self {
            LawChange::NewVersion { law_id, version } => format!("{}有新版本（{version}年版）", title(law_id)),
            LawChange::Repealed { law_id, replaced_by: Some(s) } => {
                format!("{}已废止，由{}取代", title(law_id), title(&s.law_id))
            }
            LawChange::Repealed { law_id, replaced_by: None } => format!("{}已废止", title(law_id)),
        }
    }
}

/// What changed between two states of the registry: for each law in both, a version that is new
/// (the newest one, if several were added) and a repeal that is new. Laws only in `new` cannot be
/// cited yet; laws only in `old` are left to validation (their citations no longer resolve).
pub fn changes_between(old: &[Law], new: &[Law]) -> Vec<LawChange> {
    let mut out = Vec::new();
    for law in new {
        let Some(before) = Law::find(old, &law.id) else { continue };
        let known: HashSet<&str> = before.versions.iter().map(|v| v.id.as_str()).collect();
        if let Some(v) = law.versions.iter().rev().find(|v| !known.contains(v.id.as_str()))
            && v.status == LawStatus::Current
        {
            out.push(LawChange::NewVersion { law_id: law.id.clone(), version: v.id.clone() });
        }
        if law.status() == LawStatus::Repealed && before.status() != LawStatus::Repealed {
            let replaced_by = law.latest().and_then(|v| v.replaced_by.clone());
            out.push(LawChange::Repealed { law_id: law.id.clone(), replaced_by });
        }
    }
    out
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LawsFile {
    law: Vec<LawFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LawFile {
    id: String,
    name: String,
    issuer: String,
    #[serde(default)]
    doc_number: String,
    source: String,
    verified: bool,
    version: Vec<VersionFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionFile {
    id: String,
    #[serde(default)]
    effective: String,
    status: String,
    replaced_by: Option<SuccessorFile>,
    #[serde(default)]
    note: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuccessorFile {
    law: Option<String>,
    version: Option<String>,
}

/// Parses and checks a registry file (format: `data/laws.toml`).
pub fn laws_from_toml(text: &str) -> Result<Vec<Law>, KnowledgeError> {
    let file: LawsFile = toml::from_str(text).map_err(|e| KnowledgeError::BadData(e.message().to_owned()))?;
    let bad = |msg: String| KnowledgeError::BadData(msg);
    let mut laws = Vec::new();
    for l in file.law {
        let mut versions = Vec::new();
        for v in l.version {
            let status = LawStatus::parse(&v.status).ok_or_else(|| bad(format!("{}: 状态“{}”无效", l.id, v.status)))?;
            let effective =
                parse_date_opt(&v.effective).map_err(|_| bad(format!("{}: 日期“{}”无效", l.id, v.effective)))?;
            let replaced_by =
                v.replaced_by.map(|s| Successor { law_id: s.law.unwrap_or_else(|| l.id.clone()), version: s.version });
            versions.push(LawVersion { id: v.id, effective, status, replaced_by, note: v.note });
        }
        laws.push(Law {
            id: l.id,
            name: l.name,
            issuer: l.issuer,
            doc_number: l.doc_number,
            versions,
            source: l.source,
            verified: l.verified,
        });
    }
    check_registry(&laws)?;
    Ok(laws)
}

/// Ids unique; every law has versions with unique ids, at most one 现行, ordered by known dates;
/// a 已修订 version names its successor; every successor resolves.
pub fn check_registry(laws: &[Law]) -> Result<(), KnowledgeError> {
    let bad = |msg: String| Err(KnowledgeError::BadData(msg));
    let mut ids = HashSet::new();
    for law in laws {
        let slug_ok =
            !law.id.is_empty() && law.id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug_ok || !ids.insert(law.id.as_str()) {
            return bad(format!("法规标识“{}”无效或重复", law.id));
        }
        if law.name.trim().is_empty() || law.versions.is_empty() {
            return bad(format!("{}: 缺少名称或版本", law.id));
        }
        let mut seen = HashSet::new();
        if law.versions.iter().any(|v| !seen.insert(v.id.as_str())) {
            return bad(format!("{}: 版本号重复", law.id));
        }
        if law.versions.iter().filter(|v| v.status == LawStatus::Current).count() > 1 {
            return bad(format!("{}: 不能有两个现行版本", law.id));
        }
        let dates: Vec<Date> = law.versions.iter().filter_map(|v| v.effective).collect();
        if dates.windows(2).any(|w| w[0] > w[1]) {
            return bad(format!("{}: 版本须按生效日期从早到晚排列", law.id));
        }
        for v in &law.versions {
            if v.status == LawStatus::Amended && v.replaced_by.is_none() {
                return bad(format!("{} {}: 已修订的版本须写明被哪个版本取代", law.id, v.id));
            }
        }
    }
    for law in laws {
        for s in law.versions.iter().filter_map(|v| v.replaced_by.as_ref()) {
            let target = Law::find(laws, &s.law_id);
            let ok = target.is_some_and(|t| s.version.as_deref().is_none_or(|v| t.version(v).is_some()));
            if !ok {
                return bad(format!("{}: 取代它的“{}”不在法规库中", law.id, s.law_id));
            }
        }
    }
    Ok(())
}
