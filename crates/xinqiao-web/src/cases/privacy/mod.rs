//! A narrative's privacy, one service for the public form, the API, imports and the officer's
//! review. What is masked is kept as spans (kinds and character offsets of the original, never
//! their text): the detector's (knowing the case's own enterprise), the submitter's own contact
//! details wherever they appear, and what the complainant or the officer marked. From the sealed
//! original and the spans come the text staff and the enterprise see (欧***, [已隐去] for what a
//! person marked) and the text for public output (every span dropped whole). A complaint reaches
//! its enterprise only after an officer confirmed the masking, unless the bureau turned that off.

use crate::AppState;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::cases::intake::Contact;
use xinqiao_domain::privacy::{Detector, Doubt, PiiKind, Span, drop_masked_fragments, mask_spans, render_public};
use xinqiao_store::cases::{CaseRecord, NarrativePrivacy};

pub use crate::masking_review::{REVIEW_SETTING, review_required};

mod panel;
mod revise;

pub use panel::{ReviewPanel, ReviewPart, demand_parts, hide_in_demand, hide_word_in_demand, review_panel};
pub use revise::{Revision, confirm, keep_old_public, revise, upgrade_task};

/// Whether the enterprise may see `case` now.
pub async fn enterprise_may_see(state: &AppState, case: &CaseRecord) -> Result<bool, AppError> {
    Ok(case.privacy_confirmed_at.is_some() || !review_required(state).await?)
}

/// What a span holds: a kind the detector knows, something a person marked, or a span an officer
/// restored (kept so that it can be masked again with one click).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Pii(PiiKind),
    Marked,
    Restored,
}

const KINDS: [(PiiKind, &str); 9] = [
    (PiiKind::Mobile, "mobile"),
    (PiiKind::Landline, "landline"),
    (PiiKind::IdCard, "id_card"),
    (PiiKind::BankCard, "bank_card"),
    (PiiKind::Email, "email"),
    (PiiKind::Plate, "plate"),
    (PiiKind::ImId, "im_id"),
    (PiiKind::Address, "address"),
    (PiiKind::Name, "name"),
];

impl MarkKind {
    fn code(self) -> &'static str {
        match self {
            MarkKind::Pii(k) => KINDS.iter().find(|(p, _)| *p == k).map_or("name", |(_, c)| c),
            MarkKind::Marked => "marked",
            MarkKind::Restored => "restored",
        }
    }

    fn parse(code: &str) -> Option<Self> {
        match code {
            "marked" => Some(MarkKind::Marked),
            "restored" => Some(MarkKind::Restored),
            c => KINDS.iter().find(|(_, k)| *k == c).map(|(p, _)| MarkKind::Pii(*p)),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            MarkKind::Pii(k) => k.label(),
            MarkKind::Marked => "人工隐去",
            MarkKind::Restored => "已恢复显示",
        }
    }

    fn hides(self) -> bool {
        self != MarkKind::Restored
    }
}

/// One span of the original narrative, in characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    pub kind: MarkKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Serialize, Deserialize)]
struct StoredMark(String, usize, usize);

/// The spans as stored (JSON: kind code and offsets).
pub fn marks_json(marks: &[Mark]) -> String {
    let stored: Vec<StoredMark> = marks.iter().map(|m| StoredMark(m.kind.code().into(), m.start, m.end)).collect();
    serde_json::to_string(&stored).expect("spans serialise")
}

/// The spans read back; `None` when the text does not parse or does not fit `len` characters.
pub fn marks_of(json: &str, len: usize) -> Option<Vec<Mark>> {
    let stored: Vec<StoredMark> = serde_json::from_str(json).ok()?;
    let mut out = Vec::with_capacity(stored.len());
    for StoredMark(k, start, end) in stored {
        if start >= end || end > len {
            return None;
        }
        out.push(Mark { kind: MarkKind::parse(&k)?, start, end });
    }
    out.sort_by_key(|m| m.start);
    Some(out)
}

/// Where `needle` (two characters or more) occurs in `chars`.
fn occurrences(chars: &[char], needle: &str) -> Vec<(usize, usize)> {
    let n: Vec<char> = needle.trim().chars().collect();
    let mut out = Vec::new();
    if n.len() < 2 {
        return out;
    }
    let mut i = 0;
    while i + n.len() <= chars.len() {
        if chars[i..i + n.len()] == n[..] {
            out.push((i, i + n.len()));
            i += n.len();
        } else {
            i += 1;
        }
    }
    out
}

fn overlaps(marks: &[Mark], s: usize, e: usize) -> bool {
    marks.iter().any(|m| s < m.end && m.start < e)
}

/// Adds a span unless it overlaps one already there.
fn add(marks: &mut Vec<Mark>, m: Mark) -> bool {
    if m.start >= m.end || overlaps(marks, m.start, m.end) {
        return false;
    }
    marks.push(m);
    marks.sort_by_key(|m| m.start);
    true
}

/// What is masked in `text` before anyone looked: the detector's spans (the case's own
/// `enterprise` never damaged) and the submitter's own contact details wherever they appear.
pub fn detect(detector: &Detector, text: &str, enterprise: &str, contact: Option<&Contact>) -> Vec<Mark> {
    let enterprises: Vec<&str> = [enterprise].into_iter().filter(|e| !e.trim().is_empty()).collect();
    let mut marks: Vec<Mark> = detector
        .detect_for(text, &enterprises)
        .into_iter()
        .map(|s| Mark { kind: MarkKind::Pii(s.kind), start: s.start, end: s.end })
        .collect();
    if let Some(c) = contact {
        let mut chars: Vec<char> = Vec::new();
        let own = [
            (PiiKind::Name, Some(c.name.as_str())),
            (PiiKind::Mobile, c.mobile.as_deref()),
            (PiiKind::IdCard, c.id_number.as_deref()),
            (PiiKind::Address, Some(c.address.as_str()).filter(|a| a.chars().count() >= 4)),
        ];
        for (kind, value) in own {
            // A value not in the text at all (byte search) has no occurrence: the text is read
            // as characters only for a value that is there.
            let Some(value) = value.filter(|v| text.contains(v.trim())) else { continue };
            if chars.is_empty() {
                chars = text.chars().collect();
            }
            for (start, end) in occurrences(&chars, value) {
                add(&mut marks, Mark { kind: MarkKind::Pii(kind), start, end });
            }
        }
    }
    marks
}

/// Marks every occurrence of `typed` (a word the complainant or the officer wants hidden) where
/// it overlaps nothing masked yet; returns how many were added.
pub fn mark_text(text: &str, marks: &mut Vec<Mark>, typed: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    occurrences(&chars, typed)
        .into_iter()
        .filter(|&(start, end)| add(marks, Mark { kind: MarkKind::Marked, start, end }))
        .count()
}

/// Marks `start..end` (checked against the text); false when out of range or overlapping.
pub fn mark_range(text: &str, marks: &mut Vec<Mark>, start: usize, end: usize) -> bool {
    end <= text.chars().count() && add(marks, Mark { kind: MarkKind::Marked, start, end })
}

fn spans(text: &str, marks: &[Mark]) -> Vec<Span> {
    let chars: Vec<char> = text.chars().collect();
    marks
        .iter()
        .filter(|m| m.kind.hides() && m.end <= chars.len())
        .map(|m| Span {
            kind: match m.kind {
                MarkKind::Pii(k) => k,
                _ => PiiKind::Name,
            },
            start: m.start,
            end: m.end,
            text: chars[m.start..m.end].iter().collect(),
        })
        .collect()
}

/// How one span reads in the masked text.
pub fn masked_piece(text: &str, m: &Mark) -> String {
    piece_masked(text.chars().skip(m.start).take(m.end - m.start).collect(), m.kind)
}

/// How `piece`, a span of `kind`, reads in the masked text.
fn piece_masked(piece: String, kind: MarkKind) -> String {
    match kind {
        MarkKind::Pii(kind) => {
            let n = piece.chars().count();
            mask_spans(&piece, &[Span { kind, start: 0, end: n, text: piece.clone() }])
        }
        MarkKind::Marked => "[已隐去]".into(),
        MarkKind::Restored => piece,
    }
}

/// The text staff and the enterprise see.
pub fn masked_text(text: &str, marks: &[Mark]) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for m in marks.iter().filter(|m| m.kind.hides() && m.end <= chars.len()) {
        if m.start < at {
            continue;
        }
        out.extend(&chars[at..m.start]);
        // The span's characters from the ones already collected (not a walk from the start).
        out.push_str(&piece_masked(chars[m.start..m.end].iter().collect(), m.kind));
        at = m.end;
    }
    out.extend(&chars[at..]);
    out
}

/// The text for public output: every span dropped whole, and any fragment of a mask that came
/// in with the text itself.
pub fn public_text(text: &str, marks: &[Mark]) -> String {
    drop_masked_fragments(&render_public(text, &spans(text, marks)))
}

/// The doubtful places the detector left (for a person to look at), none inside a masked span.
pub fn doubts(detector: &Detector, text: &str, marks: &[Mark]) -> Vec<Doubt> {
    let hidden = spans(text, marks);
    detector.doubtful(text, &hidden).into_iter().filter(|d| !overlaps(marks, d.start, d.end)).collect()
}

/// The masked text and what the store keeps for `text` with `marks`.
pub fn kept(text: &str, marks: &[Mark]) -> (String, NarrativePrivacy) {
    (masked_text(text, marks), NarrativePrivacy { spans: marks_json(marks), public: public_text(text, marks) })
}

pub use crate::text::public_of;

/// The original narrative of `case`, if this node's keys open it.
pub fn original(state: &AppState, case_code: &str, sealed: &str) -> Option<String> {
    let bytes = state.secrets.open(&super::sealing::narrative_aad(case_code), sealed)?;
    String::from_utf8(bytes).ok()
}

/// The review of a case's narrative: the original (never shown whole: only its unmasked parts
/// are), its spans and whether it was confirmed.
pub struct Review {
    pub text: String,
    pub marks: Vec<Mark>,
    pub confirmed_at: Option<i64>,
}

/// The review state of `case`; `None` when its original does not open here, or when it came
/// before spans were kept (its masking also hid the submitter's own details, which the review
/// cannot re-derive without reading the identity): then nothing can be masked or restored, only
/// confirmed as shown.
pub async fn review_of(state: &AppState, case: &CaseRecord) -> Result<Option<Review>, AppError> {
    let p = state.store.case_privacy(&case.id).await?;
    let Some(text) = original(state, &case.tracking_code, &p.narrative_sealed) else { return Ok(None) };
    let len = text.chars().count();
    let Some(marks) = p.spans.as_deref().and_then(|j| marks_of(j, len)) else { return Ok(None) };
    Ok(Some(Review { text, marks, confirmed_at: p.confirmed_at }))
}

/// The original demand (诉求) of `case`, if this node's keys open it.
pub fn demand_original(state: &AppState, case_code: &str, sealed: &str) -> Option<String> {
    let bytes = state.secrets.open(&super::sealing::demand_aad(case_code), sealed)?;
    String::from_utf8(bytes).ok()
}

/// The review state of a complaint's demand: its original and spans; `None` when it was kept
/// before demands were sealed (only its masked text exists: an officer can hide more of it, not
/// restore) or when its original does not open here.
pub async fn demand_review_of(state: &AppState, case: &CaseRecord) -> Result<Option<Review>, AppError> {
    let p = state.store.case_privacy(&case.id).await?;
    let Some(d) = p.demand else { return Ok(None) };
    let Some(text) = demand_original(state, &case.tracking_code, &d.sealed) else { return Ok(None) };
    let Some(marks) = marks_of(&d.spans, text.chars().count()) else { return Ok(None) };
    Ok(Some(Review { text, marks, confirmed_at: p.confirmed_at }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_round_trip_and_are_checked_against_the_text() {
        let marks = vec![
            Mark { kind: MarkKind::Pii(PiiKind::Name), start: 0, end: 3 },
            Mark { kind: MarkKind::Marked, start: 5, end: 7 },
            Mark { kind: MarkKind::Restored, start: 8, end: 10 },
        ];
        let json = marks_json(&marks);
        assert!(!json.contains('欧'));
        assert_eq!(marks_of(&json, 10), Some(marks));
        assert_eq!(marks_of(&json, 9), None, "a span past the end");
        assert_eq!(marks_of("[[\"what\",0,1]]", 9), None);
    }

    #[test]
    fn marked_spans_hide_whole_and_restored_ones_show() {
        let text = "欧阳建国说小明家在后街";
        let mut marks = vec![Mark { kind: MarkKind::Pii(PiiKind::Name), start: 0, end: 4 }];
        assert!(mark_range(text, &mut marks, 5, 7));
        assert!(!mark_range(text, &mut marks, 6, 8), "overlaps");
        assert!(!mark_range(text, &mut marks, 9, 99), "out of range");
        assert_eq!(masked_text(text, &marks), "欧***说[已隐去]家在后街");
        assert_eq!(public_text(text, &marks), "[已隐去]说[已隐去]家在后街");
        marks[0].kind = MarkKind::Restored;
        assert_eq!(masked_text(text, &marks), "欧阳建国说[已隐去]家在后街");
        assert_eq!(mark_text(text, &mut marks, "后街"), 1);
        assert_eq!(masked_text(text, &marks), "欧阳建国说[已隐去]家在[已隐去]");
    }
}
