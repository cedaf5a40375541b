//! What goes into the index and what comes out: the two document kinds (a Q&A entry, a case
//! narrative that is masked by construction), the queries with their filters, and the hits with
//! highlighted snippets as plain-text fragments (the web escapes them like any other text).

use serde::Serialize;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::ids::Industry;
use xinqiao_domain::knowledge::{Audience, QaStatus};
use xinqiao_domain::privacy::Detector;

/// One Q&A entry (its current version) as indexed. `id` is the store's entry id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaDoc {
    pub id: String,
    pub question: String,
    pub answer: String,
    pub explanation: String,
    pub tags: Vec<String>,
    /// Empty means both audiences.
    pub audience: Vec<Audience>,
    /// GB/T 4754 section letters (`'H'`), as in `QaEntry::industries`; empty means every industry.
    pub industries: Vec<char>,
    pub status: QaStatus,
    /// Last change, epoch milliseconds (filters and the order of a query without words).
    pub updated_ms: i64,
    /// Names of the laws the entry cites (《食品安全法》…), searchable like the text.
    pub law_names: Vec<String>,
}

/// A case narrative with personal data masked. There is no way to put an identity into the index:
/// [`CaseDoc`] has no field for one, and its narrative is a `MaskedText`, made either by masking
/// ([`MaskedText::mask`]) or from text the store already keeps masked (`narrative_masked`).
/// Besides, the analyzer drops masked spans and any token of seven or more digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaskedText(String);

impl MaskedText {
    /// Masks `raw` with the domain's detector.
    pub fn mask(detector: &Detector, raw: &str) -> Self {
        Self(detector.mask(raw))
    }

    /// Wraps text that was masked before it was stored (the cases table's `narrative_masked`).
    pub fn already_masked(masked: impl Into<String>) -> Self {
        Self(masked.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// One case as indexed for staff search: only the masked narrative and what filters need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDoc {
    pub id: String,
    pub narrative: MaskedText,
    /// The organisation handling the case; `None` is only visible to [`OrgScope::All`].
    pub org_id: Option<String>,
    pub kind: CaseKind,
    /// Receipt time, epoch milliseconds.
    pub received_ms: i64,
}

/// A Q&A search. Empty `text` lists matching entries, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QaQuery {
    /// What the user typed; no syntax, any characters (at most 256 characters are used).
    pub text: String,
    /// Only entries for this audience (and those for both): a filter, for staff.
    pub audience: Option<Audience>,
    /// Who asks: entries written for them (or for both) rank higher, the others stay.
    pub prefer_audience: Option<Audience>,
    /// Answer with nothing when no entry fits the question well enough (the public's search);
    /// otherwise every matching entry is listed, best first (staff).
    pub strict: bool,
    /// Entries for this industry (and those for every industry).
    pub industry: Option<Industry>,
    /// Statuses to include; empty means every status. [`QaQuery::new`] sets `[Published]`.
    pub statuses: Vec<QaStatus>,
    /// `updated_ms >= from`.
    pub updated_from_ms: Option<i64>,
    /// `updated_ms < to`.
    pub updated_to_ms: Option<i64>,
    /// At most 100.
    pub limit: usize,
    pub offset: usize,
}

impl QaQuery {
    /// A search of published entries (what the public may see), 10 hits.
    pub fn new(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            audience: None,
            prefer_audience: None,
            strict: false,
            industry: None,
            statuses: vec![QaStatus::Published],
            updated_from_ms: None,
            updated_to_ms: None,
            limit: 10,
            offset: 0,
        }
    }

    /// The public's search: published entries, strict ("没有找到" when nothing fits), entries
    /// for `audience` (who asks, when known) first.
    pub fn public(text: impl Into<String>, audience: Option<Audience>) -> Self {
        Self { prefer_audience: audience, strict: true, ..Self::new(text) }
    }
}

/// Which organisations' cases a search may return: the caller's visibility, computed by the web
/// from the user's role and the bureau hierarchy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgScope {
    /// Every case (only for roles that see all).
    All,
    /// Cases of these organisations; an empty list finds nothing.
    Only(Vec<String>),
}

/// A search of case narratives (staff only). Empty `text` lists matching cases, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseQuery {
    pub text: String,
    pub orgs: OrgScope,
    /// Kinds to include; empty means every kind.
    pub kinds: Vec<CaseKind>,
    /// `received_ms >= from`.
    pub received_from_ms: Option<i64>,
    /// `received_ms < to`.
    pub received_to_ms: Option<i64>,
    /// At most 100.
    pub limit: usize,
    pub offset: usize,
}

impl CaseQuery {
    /// A search of the cases of `orgs`, 20 hits.
    pub fn new(text: impl Into<String>, orgs: OrgScope) -> Self {
        Self {
            text: text.into(),
            orgs,
            kinds: Vec::new(),
            received_from_ms: None,
            received_to_ms: None,
            limit: 20,
            offset: 0,
        }
    }
}

/// A piece of a snippet: plain text, highlighted where it matched the query. Not escaped: render
/// it like any other text (askama escapes), wrapping highlighted pieces in `<mark>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fragment {
    pub text: String,
    pub highlighted: bool,
}

/// Concatenates the fragments' text.
pub fn plain_text(fragments: &[Fragment]) -> String {
    fragments.iter().map(|f| f.text.as_str()).collect()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaHit {
    pub id: String,
    pub score: f32,
    /// The share of the query (by importance) the entry says somewhere, 0 to 1.
    pub coverage: f32,
    /// The share of the entry's question the query says, 0 to 1.
    pub question_coverage: f32,
    /// The whole question, highlighted.
    pub question: Vec<Fragment>,
    /// A passage of the answer (or the explanation, when only it matched), highlighted; `…` marks
    /// cut text.
    pub snippet: Vec<Fragment>,
    pub status: QaStatus,
    pub updated_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QaResults {
    /// Matching entries in all (for paging); for a strict search, the entries that fit.
    pub total: usize,
    pub hits: Vec<QaHit>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseHit {
    pub id: String,
    pub score: f32,
    /// A passage of the masked narrative, highlighted.
    pub snippet: Vec<Fragment>,
    pub org_id: Option<String>,
    pub kind: CaseKind,
    pub received_ms: i64,
}
