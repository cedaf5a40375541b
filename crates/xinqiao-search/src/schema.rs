//! The two tantivy schemas (Q&A entries, case narratives), their field handles, and the conversion
//! of [`QaDoc`] and [`CaseDoc`] into tantivy documents. Text fields use the jieba analyzer with
//! positions (phrases); filters are raw strings; times are i64 fast fields.

use tantivy::TantivyDocument;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};

use crate::analyzer::ANALYZER;
use crate::types::{CaseDoc, QaDoc};

/// Bumped when a schema or the analyzer changes: an index written by another version is rebuilt
/// empty on open (and the follower then reindexes, since `last_seq()` is 0).
pub(crate) const SCHEMA_VERSION: u32 = 1;

/// Indexed for "applies to all" when a Q&A entry names no audience or no industry.
pub(crate) const ALL: &str = "_all";
/// Indexed as the organisation of a case without one.
pub(crate) const NO_ORG: &str = "_none";

fn text(stored: bool) -> TextOptions {
    let indexing =
        TextFieldIndexing::default().set_tokenizer(ANALYZER).set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored { options.set_stored() } else { options }
}

#[derive(Clone, Copy)]
pub(crate) struct QaFields {
    pub id: Field,
    pub question: Field,
    pub answer: Field,
    pub explanation: Field,
    pub tags: Field,
    pub laws: Field,
    pub audience: Field,
    pub industry: Field,
    pub status: Field,
    pub updated_ms: Field,
}

impl QaFields {
    pub(crate) fn schema() -> (Schema, Self) {
        let mut b = Schema::builder();
        let fields = Self {
            id: b.add_text_field("id", STRING | STORED),
            question: b.add_text_field("question", text(true)),
            answer: b.add_text_field("answer", text(true)),
            explanation: b.add_text_field("explanation", text(true)),
            tags: b.add_text_field("tags", text(false)),
            laws: b.add_text_field("laws", text(false)),
            audience: b.add_text_field("audience", STRING),
            industry: b.add_text_field("industry", STRING),
            status: b.add_text_field("status", STRING | STORED),
            updated_ms: b.add_i64_field("updated_ms", INDEXED | FAST | STORED),
        };
        (b.build(), fields)
    }

    /// Text fields with their BM25 boosts (which entries become candidates for the second stage,
    /// see `rank`): the question counts most, then tags, the answer, the explanation and the law
    /// names.
    pub(crate) fn boosted(&self) -> [(Field, f32); 5] {
        [(self.question, 3.0), (self.tags, 2.5), (self.answer, 1.2), (self.explanation, 0.7), (self.laws, 0.7)]
    }

    pub(crate) fn document(&self, qa: &QaDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &qa.id);
        d.add_text(self.question, &qa.question);
        d.add_text(self.answer, &qa.answer);
        d.add_text(self.explanation, &qa.explanation);
        for tag in &qa.tags {
            d.add_text(self.tags, tag);
        }
        for law in &qa.law_names {
            d.add_text(self.laws, law);
        }
        if qa.audience.is_empty() {
            d.add_text(self.audience, ALL);
        }
        for a in &qa.audience {
            d.add_text(self.audience, a.code());
        }
        if qa.industries.is_empty() {
            d.add_text(self.industry, ALL);
        }
        for c in &qa.industries {
            d.add_text(self.industry, c.to_ascii_uppercase().to_string());
        }
        d.add_text(self.status, qa.status.code());
        d.add_i64(self.updated_ms, qa.updated_ms);
        d
    }
}

#[derive(Clone, Copy)]
pub(crate) struct CaseFields {
    pub id: Field,
    pub narrative: Field,
    pub org: Field,
    pub kind: Field,
    pub received_ms: Field,
}

impl CaseFields {
    pub(crate) fn schema() -> (Schema, Self) {
        let mut b = Schema::builder();
        let fields = Self {
            id: b.add_text_field("id", STRING | STORED),
            narrative: b.add_text_field("narrative", text(true)),
            org: b.add_text_field("org", STRING | STORED),
            kind: b.add_text_field("kind", STRING | STORED),
            received_ms: b.add_i64_field("received_ms", INDEXED | FAST | STORED),
        };
        (b.build(), fields)
    }

    pub(crate) fn document(&self, case: &CaseDoc) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        d.add_text(self.id, &case.id);
        d.add_text(self.narrative, case.narrative.as_str());
        d.add_text(self.org, case.org_id.as_deref().unwrap_or(NO_ORG));
        d.add_text(self.kind, case.kind.code());
        d.add_i64(self.received_ms, case.received_ms);
        d
    }
}
