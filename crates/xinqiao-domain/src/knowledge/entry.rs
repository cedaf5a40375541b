//! A policy Q&A entry (政策问答): the question as an enterprise or consumer would ask it, a short
//! plain answer, an explanation, the laws it rests on, who it is for and which industries it
//! concerns. Its lifecycle is in `lifecycle`; its version history and status live in the store.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fmt;

use super::KnowledgeError;
use super::dates::{date_opt, parse_date_opt};
use super::laws::{Citation, Law};
use crate::calendar::Date;
use crate::error::FieldError;

/// The answer's target length in characters (目标 ≤ 200 字). Longer answers are advised against by
/// the plain-language check, not refused.
pub const ANSWER_TARGET_CHARS: usize = 200;

/// Who an entry is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Enterprise,
    Consumer,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Enterprise, Audience::Consumer];

    pub fn code(self) -> &'static str {
        match self {
            Audience::Enterprise => "enterprise",
            Audience::Consumer => "consumer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Enterprise => "企业",
            Audience::Consumer => "消费者",
        }
    }

    /// Accepts the code or the Chinese label.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == text || a.label() == text)
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The GB/T 4754-2017 section (门类) of `letter`, A 农林牧渔业 … T 国际组织.
pub fn industry_label(letter: char) -> Option<&'static str> {
    const SECTIONS: [&str; 20] = [
        "农林牧渔业",
        "采矿业",
        "制造业",
        "电力、热力、燃气及水生产和供应业",
        "建筑业",
        "批发和零售业",
        "交通运输、仓储和邮政业",
        "住宿和餐饮业",
        "信息传输、软件和信息技术服务业",
        "金融业",
        "房地产业",
        "租赁和商务服务业",
        "科学研究和技术服务业",
        "水利、环境和公共设施管理业",
        "居民服务、修理和其他服务业",
        "教育",
        "卫生和社会工作",
        "文化、体育和娱乐业",
        "公共管理、社会保障和社会组织",
        "国际组织",
    ];
    let i = (letter as u32).checked_sub('A' as u32)? as usize;
    SECTIONS.get(i).copied()
}

/// One Q&A entry's content (one version of it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QaEntry {
    /// Stable key of the entry's content (a slug for starter content); the store may use its own ids.
    pub id: String,
    pub question: String,
    /// Plain language, target ≤ 200 characters ([`ANSWER_TARGET_CHARS`]).
    pub answer: String,
    pub explanation: String,
    pub citations: Vec<Citation>,
    pub audience: Vec<Audience>,
    /// GB/T 4754 section letters (`'H'` 住宿和餐饮业); empty = every industry.
    pub industries: Vec<char>,
    pub tags: Vec<String>,
    /// When the entry must be looked at again even if no cited law changed.
    #[serde(default, with = "date_opt")]
    pub review_by: Option<Date>,
    /// A drafted example awaiting legal review (all starter content).
    #[serde(default)]
    pub example: bool,
}

impl QaEntry {
    /// Hard errors that keep an entry from being saved: empty question or answer, no audience, an
    /// unknown industry letter, a citation to a law or version not in `laws`, a malformed article,
    /// an empty or repeated tag. Style (length, jargon …) is the plain-language check's business.
    pub fn check(&self, laws: &[Law]) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if self.question.trim().is_empty() {
            errors.push(FieldError::new("question", "required", "请填写问题"));
        }
        if self.answer.trim().is_empty() {
            errors.push(FieldError::new("answer", "required", "请填写答复"));
        }
        if self.audience.is_empty() {
            errors.push(FieldError::new("audience", "required", "请选择面向对象（企业或消费者）"));
        }
        if let Some(c) = self.industries.iter().find(|c| industry_label(**c).is_none()) {
            errors.push(FieldError::new(
                "industries",
                "unknown_industry",
                format!("“{c}”不是国民经济行业门类代码（A–T）"),
            ));
        }
        for c in &self.citations {
            match Law::find(laws, &c.law_id) {
                None => errors.push(FieldError::new("citations", "unknown_law", format!("法规库中没有“{}”", c.law_id))),
                Some(law) if law.version(&c.version).is_none() => errors.push(FieldError::new(
                    "citations",
                    "unknown_version",
                    format!("{}没有“{}”版本", law.title(), c.version),
                )),
                Some(_) => {}
            }
            if let Some(a) = &c.article
                && !Citation::article_is_well_formed(a)
            {
                errors.push(FieldError::new(
                    "citations",
                    "bad_article",
                    format!("条文“{a}”的写法应为“第二十五条”“第九条第三项”这样"),
                ));
            }
        }
        let mut seen = HashSet::new();
        if self.tags.iter().any(|t| t.trim().is_empty() || !seen.insert(t.as_str())) {
            errors.push(FieldError::new("tags", "bad_tag", "标签不能为空或重复"));
        }
        errors
    }

    /// Whether any citation points to `law_id`.
    pub fn cites(&self, law_id: &str) -> bool {
        self.citations.iter().any(|c| c.law_id == law_id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntriesFile {
    entry: Vec<EntryFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EntryFile {
    id: String,
    question: String,
    answer: String,
    explanation: String,
    #[serde(default)]
    citations: Vec<CitationFile>,
    audience: Vec<String>,
    #[serde(default)]
    industries: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    review_by: String,
    #[serde(default)]
    example: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CitationFile {
    law: String,
    /// Defaults to the law's current version.
    version: Option<String>,
    article: Option<String>,
}

/// Parses entries (format: `data/qa-starter.toml`), resolving citations without a version to the
/// cited law's current version, and checks each with [`QaEntry::check`]. Ids must be unique.
pub fn entries_from_toml(text: &str, laws: &[Law]) -> Result<Vec<QaEntry>, KnowledgeError> {
    let file: EntriesFile = toml::from_str(text).map_err(|e| KnowledgeError::BadData(e.message().to_owned()))?;
    let bad = |msg: String| KnowledgeError::BadData(msg);
    let mut out: Vec<QaEntry> = Vec::new();
    for e in file.entry {
        if out.iter().any(|o| o.id == e.id) {
            return Err(bad(format!("问答标识“{}”重复", e.id)));
        }
        let mut citations = Vec::new();
        for c in e.citations {
            let version = match c.version {
                Some(v) => v,
                None => Law::find(laws, &c.law)
                    .and_then(Law::current)
                    .map(|v| v.id.clone())
                    .ok_or_else(|| bad(format!("{}: 引用的“{}”不在法规库中或已无现行版本", e.id, c.law)))?,
            };
            citations.push(Citation { law_id: c.law, version, article: c.article });
        }
        let audience = e
            .audience
            .iter()
            .map(|a| Audience::parse(a).ok_or_else(|| bad(format!("{}: 面向对象“{a}”无效", e.id))))
            .collect::<Result<Vec<_>, _>>()?;
        let industries = e
            .industries
            .iter()
            .map(|s| {
                let mut it = s.chars();
                match (it.next(), it.next()) {
                    (Some(c), None) => Ok(c),
                    _ => Err(bad(format!("{}: 行业“{s}”应为一个字母", e.id))),
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        let review_by = parse_date_opt(&e.review_by).map_err(|()| bad(format!("{}: 复核日期无效", e.id)))?;
        let entry = QaEntry {
            id: e.id,
            question: e.question.trim().to_owned(),
            answer: e.answer.trim().to_owned(),
            explanation: e.explanation.trim().to_owned(),
            citations,
            audience,
            industries,
            tags: e.tags,
            review_by,
            example: e.example,
        };
        if let Some(err) = entry.check(laws).into_iter().next() {
            return Err(bad(format!("{}: {}", entry.id, err.message)));
        }
        out.push(entry);
    }
    Ok(out)
}
