//! Knowledge rows as the store keeps them ↔ the domain's entries and laws: shared by the
//! knowledge pages, its API and the search follower (which indexes entries), so that none of them
//! depends on another for it.

use xinqiao_domain::calendar::Date;
use xinqiao_domain::knowledge::{Audience, Citation, Law, LawVersion, QaEntry, QaStatus};
use xinqiao_store::knowledge::{CitationRow, EntryRow, EntryText, LawRow, LawVersionRow};

/// A stored entry as the domain sees it (one version's content).
pub(crate) fn to_domain(id: &str, t: &EntryText) -> QaEntry {
    QaEntry {
        id: id.to_owned(),
        question: t.question.clone(),
        answer: t.answer.clone(),
        explanation: t.explanation.clone(),
        citations: t
            .citations
            .iter()
            .map(|c| Citation {
                law_id: c.law_id.clone(),
                version: c.version.clone(),
                article: Some(c.article.clone()).filter(|a| !a.is_empty()),
            })
            .collect(),
        audience: t.audience.split(',').filter_map(Audience::parse).collect(),
        industries: t.industries.chars().filter(|c| c.is_ascii_uppercase()).collect(),
        tags: t.tags.split([',', '，']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        review_by: t.review_by.map(Date),
        example: t.example,
    }
}

/// The domain's entry as the store keeps it.
pub(crate) fn to_store(e: &QaEntry) -> EntryText {
    EntryText {
        question: e.question.clone(),
        answer: e.answer.clone(),
        explanation: e.explanation.clone(),
        audience: e.audience.iter().map(|a| a.code()).collect::<Vec<_>>().join(","),
        industries: e.industries.iter().collect(),
        tags: e.tags.join(","),
        citations: e
            .citations
            .iter()
            .map(|c| CitationRow {
                law_id: c.law_id.clone(),
                version: c.version.clone(),
                article: c.article.clone().unwrap_or_default(),
            })
            .collect(),
        review_by: e.review_by.map(|d| d.0),
        example: e.example,
    }
}

/// The registry as the domain sees it.
pub(crate) fn laws_of(rows: &[LawRow]) -> Vec<Law> {
    rows.iter()
        .map(|r| Law {
            id: r.id.clone(),
            name: r.name.clone(),
            issuer: r.issuer.clone(),
            doc_number: r.doc_number.clone(),
            source: r.source.clone(),
            verified: r.verified,
            versions: r
                .versions
                .iter()
                .map(|v| LawVersion {
                    id: v.version.clone(),
                    effective: v.effective_day.map(Date),
                    status: v.status,
                    replaced_by: None,
                    note: String::new(),
                })
                .collect(),
        })
        .collect()
}

/// The domain's law as the store keeps it.
pub(crate) fn law_row(l: &Law) -> LawRow {
    LawRow {
        id: l.id.clone(),
        name: l.name.clone(),
        issuer: l.issuer.clone(),
        doc_number: l.doc_number.clone(),
        source: l.source.clone(),
        verified: l.verified,
        versions: l
            .versions
            .iter()
            .map(|v| LawVersionRow {
                version: v.id.clone(),
                effective_day: v.effective.map(|d| d.0),
                status: v.status,
                replaced_by: v
                    .replaced_by
                    .as_ref()
                    .map(|s| format!("{}@{}", s.law_id, s.version.clone().unwrap_or_default())),
            })
            .collect(),
    }
}

pub(crate) fn status_of(row: &EntryRow) -> QaStatus {
    row.status
}
