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

/// One piece of the narrative on the officer's review: plain text, or a span with its one-click
/// action (a small form each, working without JavaScript).
pub struct ReviewPart {
    pub text: String,
    /// `""` for plain text, else `masked`, `doubt` or `restored`.
    pub class: &'static str,
    pub label: &'static str,
    /// `restore` or `mask`.
    pub op: &'static str,
    /// What the form sends: `start-end`.
    pub span: String,
    pub button: &'static str,
}

/// The review panel of a complaint on its staff page.
pub struct ReviewPanel {
    /// `None` when the original does not open here (only the masked text can be confirmed).
    pub parts: Option<Vec<ReviewPart>>,
    pub doubts: usize,
    /// The masked demand (诉求), which the enterprise sees too, with its doubtful places.
    pub demand: Vec<ReviewPart>,
    pub demand_doubts: usize,
    pub confirmed: Option<String>,
    pub required: bool,
}

/// The panel for `case` (complaints only: nothing else goes to an enterprise).
pub async fn review_panel(state: &AppState, case: &CaseRecord) -> Result<Option<ReviewPanel>, AppError> {
    if case.kind != xinqiao_domain::cases::CaseKind::Complaint {
        return Ok(None);
    }
    let required = review_required(state).await?;
    let confirmed = case.privacy_confirmed_at.map(xinqiao_domain::time::format_cst);
    let detector = state.detector().await;
    let (demand, demand_doubts) = match demand_review_of(state, case).await? {
        // The demand kept with its original: masked spans can be restored, restored ones masked.
        Some(d) => {
            let doubts = doubts(&detector, &d.text, &d.marks);
            (review_parts(&d.text, &d.marks, &doubts, ("restore_demand", "mask_demand")), doubts.len())
        }
        None => demand_parts(&detector, &case.demand_masked),
    };
    let Some(review) = review_of(state, case).await? else {
        return Ok(Some(ReviewPanel { parts: None, doubts: 0, demand, demand_doubts, confirmed, required }));
    };
    let doubts = doubts(&detector, &review.text, &review.marks);
    let parts = review_parts(&review.text, &review.marks, &doubts, ("restore", "mask"));
    Ok(Some(ReviewPanel { parts: Some(parts), doubts: doubts.len(), demand, demand_doubts, confirmed, required }))
}

/// The pieces of `text` on the review: plain text, masked spans (with `ops.0`, restore),
/// restored ones and doubtful places (with `ops.1`, mask), in order.
fn review_parts(text: &str, marks: &[Mark], doubts: &[Doubt], ops: (&'static str, &'static str)) -> Vec<ReviewPart> {
    let chars: Vec<char> = text.chars().collect();
    let piece = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let mut items: Vec<ReviewPart> = Vec::new();
    let mut at_of: Vec<(usize, usize)> = Vec::new();
    for m in marks {
        let (class, op, button) =
            if m.kind.hides() { ("masked", ops.0, "恢复") } else { ("restored", ops.1, "隐去") };
        let text = if m.kind.hides() { masked_piece(text, m) } else { piece(m.start, m.end) };
        items.push(ReviewPart {
            text,
            class,
            label: m.kind.label(),
            op,
            span: format!("{}-{}", m.start, m.end),
            button,
        });
        at_of.push((m.start, m.end));
    }
    for d in doubts {
        items.push(ReviewPart {
            text: d.text.clone(),
            class: "doubt",
            label: d.reason.label(),
            op: ops.1,
            span: format!("{}-{}", d.start, d.end),
            button: "隐去",
        });
        at_of.push((d.start, d.end));
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| at_of[i].0);
    let mut slots: Vec<Option<ReviewPart>> = items.into_iter().map(Some).collect();
    let plain = |text: String| ReviewPart { text, class: "", label: "", op: "", span: String::new(), button: "" };
    let mut parts = Vec::new();
    let mut at = 0;
    for i in order {
        let (s, e) = at_of[i];
        if s < at {
            continue;
        }
        if s > at {
            parts.push(plain(piece(at, s)));
        }
        parts.extend(slots[i].take());
        at = e;
    }
    if at < chars.len() {
        parts.push(plain(piece(at, chars.len())));
    }
    parts
}

/// Ranges of `chars` (a masked text) that are masks already: `[已隐去]`, `[地址]` and the like,
/// and runs holding `*` (欧**, 138****5678) with what is glued to them.
fn masks_in(chars: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '[' {
            if let Some(k) = chars[i..chars.len().min(i + 12)].iter().position(|&c| c == ']') {
                out.push((i, i + k + 1));
                i += k + 1;
                continue;
            }
        } else if chars[i] == '*' {
            let glued = |c: char| c == '*' || c.is_ascii_alphanumeric();
            let mut s = i;
            while s > 0 && glued(chars[s - 1]) {
                s -= 1;
            }
            // The surname kept before the stars (欧**).
            if s == i && s > 0 && ('\u{4E00}'..='\u{9FFF}').contains(&chars[s - 1]) {
                s -= 1;
            }
            let mut e = i;
            while e < chars.len() && glued(chars[e]) {
                e += 1;
            }
            out.push((s, e));
            i = e;
            continue;
        }
        i += 1;
    }
    out
}

/// The masked demand on the review: plain text, and the places the detector finds or is unsure
/// of (outside what is masked already), each with a one-click mask (`mask_demand`). Returns the
/// parts and how many such places there are.
pub fn demand_parts(detector: &Detector, demand: &str) -> (Vec<ReviewPart>, usize) {
    let chars: Vec<char> = demand.chars().collect();
    let found = detector.detect(demand);
    let mut spots: Vec<(usize, usize, &'static str)> = found.iter().map(|s| (s.start, s.end, s.kind.label())).collect();
    spots.extend(detector.doubtful(demand, &found).into_iter().map(|d| (d.start, d.end, d.reason.label())));
    let masks = masks_in(&chars);
    spots.retain(|&(s, e, _)| !masks.iter().any(|m| s < m.1 && m.0 < e));
    spots.sort_by_key(|s| s.0);
    let piece = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let plain = |text: String| ReviewPart { text, class: "", label: "", op: "", span: String::new(), button: "" };
    let (mut parts, mut at, mut n) = (Vec::new(), 0, 0);
    for (s, e, label) in spots {
        if s < at {
            continue;
        }
        if s > at {
            parts.push(plain(piece(at, s)));
        }
        parts.push(ReviewPart {
            text: piece(s, e),
            class: "doubt",
            label,
            op: "mask_demand",
            span: format!("{s}-{e}"),
            button: "隐去",
        });
        n += 1;
        at = e;
    }
    if at < chars.len() {
        parts.push(plain(piece(at, chars.len())));
    }
    (parts, n)
}

/// `demand` (a masked text) with `start..end` hidden ([已隐去]); `None` when the range is empty,
/// out of the text or touches a mask already there.
pub fn hide_in_demand(demand: &str, start: usize, end: usize) -> Option<String> {
    let chars: Vec<char> = demand.chars().collect();
    if start >= end || end > chars.len() || masks_in(&chars).iter().any(|m| start < m.1 && m.0 < end) {
        return None;
    }
    let mut out: String = chars[..start].iter().collect();
    out.push_str("[已隐去]");
    out.extend(&chars[end..]);
    Some(out)
}

/// `demand` with every occurrence of `word` outside the masks hidden, and how many there were.
pub fn hide_word_in_demand(demand: &str, word: &str) -> (String, usize) {
    let mut text = demand.to_owned();
    let mut n = 0;
    loop {
        let chars: Vec<char> = text.chars().collect();
        let masks = masks_in(&chars);
        let Some((s, e)) =
            occurrences(&chars, word).into_iter().find(|&(s, e)| !masks.iter().any(|m| s < m.1 && m.0 < e))
        else {
            break;
        };
        text = hide_in_demand(&text, s, e).unwrap_or(text);
        n += 1;
        if n > 200 {
            break;
        }
    }
    (text, n)
}

/// One change by the officer.
#[derive(Debug, Clone)]
pub enum Revision {
    /// Hide `start..end` (a doubtful span, or a restored one again).
    Mask(usize, usize),
    /// Show the masked span starting at `start` again.
    Restore(usize),
    /// Hide every occurrence of a word, in the narrative and in the demand.
    MaskText(String),
    /// Hide `start..end` of the demand (诉求): of its original where it is kept with its spans
    /// (a restored span is masked again), else of its masked text.
    MaskDemand(usize, usize),
    /// Show the masked span of the demand starting at `start` again (demands kept with spans).
    RestoreDemand(usize),
}

/// Applies one change of the officer to the masking of `case` (a complaint they may act on):
/// the masked text, the public text and the spans are kept anew, audited without any text.
pub async fn revise(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    revision: Revision,
) -> Result<(), AppError> {
    match revision {
        Revision::MaskDemand(..) | Revision::RestoreDemand(_) => {
            return revise_demand(state, actor, case, revision).await;
        }
        Revision::MaskText(ref word) => return mask_word(state, actor, case, word).await,
        Revision::Mask(..) | Revision::Restore(_) => {}
    }
    let Some(mut review) = review_of(state, case).await? else {
        return Err(AppError::Conflict("原文无法用本节点的密钥打开，无法调整遮蔽".into()));
    };
    let text = &review.text;
    let marks = &mut review.marks;
    let (what, detail) = match revision {
        Revision::Mask(s, e) => remask(state, case, text, marks, s, e).await?,
        Revision::Restore(s) => restore(marks, s)?,
        _ => unreachable!("handled above"),
    };
    let (masked, privacy) = kept(text, marks);
    state.store.revise_masking(actor, &case.id, &masked, &privacy, what, detail).await?;
    Ok(())
}

/// Hides `s..e` of `text`: a restored span masked again as what the detector said it was, else
/// a new span the officer marked. Returns the audit's change and detail (offsets only).
async fn remask(
    state: &AppState,
    case: &CaseRecord,
    text: &str,
    marks: &mut Vec<Mark>,
    s: usize,
    e: usize,
) -> Result<(&'static str, serde_json::Value), AppError> {
    if let Some(m) = marks.iter_mut().find(|m| m.kind == MarkKind::Restored && m.start == s && m.end == e) {
        let kind = detect(&*state.detector().await, text, &case.enterprise_name, None)
            .into_iter()
            .find(|d| d.start == s && d.end == e)
            .map_or(MarkKind::Marked, |d| d.kind);
        m.kind = kind;
    } else if !mark_range(text, marks, s, e) {
        return Err(AppError::field("span", "invalid", "要隐去的位置无效或与已遮蔽的内容重叠"));
    }
    Ok(("mask", serde_json::json!({"start": s, "end": e})))
}

/// Shows the masked span starting at `s` again; the audit's change and detail (offsets and
/// the kind, never the text).
fn restore(marks: &mut [Mark], s: usize) -> Result<(&'static str, serde_json::Value), AppError> {
    let Some(m) = marks.iter_mut().find(|m| m.start == s && m.kind.hides()) else {
        return Err(AppError::field("span", "invalid", "没有从该位置开始的遮蔽内容"));
    };
    let kind = m.kind.code();
    m.kind = MarkKind::Restored;
    Ok(("restore", serde_json::json!({"start": s, "end": m.end, "kind": kind})))
}

/// A change to the demand: on its original and spans where they are kept, else (older cases)
/// hiding more of its masked text, the only change possible there.
async fn revise_demand(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    revision: Revision,
) -> Result<(), AppError> {
    let Some(mut review) = demand_review_of(state, case).await? else {
        let Revision::MaskDemand(s, e) = revision else {
            return Err(AppError::Conflict(
                "该诉求提交于可恢复功能启用之前（或本节点的密钥无法打开原文），只能另行隐去".into(),
            ));
        };
        let Some(demand) = hide_in_demand(&case.demand_masked, s, e) else {
            return Err(AppError::field("span", "invalid", "要隐去的位置无效或与已遮蔽的内容重叠"));
        };
        let detail = serde_json::json!({"start": s, "end": e});
        state.store.revise_demand_masking(actor, &case.id, &demand, detail).await?;
        return Ok(());
    };
    let (text, marks) = (&review.text, &mut review.marks);
    let (what, detail) = match revision {
        Revision::MaskDemand(s, e) => remask(state, case, text, marks, s, e).await?,
        Revision::RestoreDemand(s) => restore(marks, s)?,
        _ => unreachable!("only demand revisions come here"),
    };
    let masked = masked_text(text, marks);
    state.store.revise_demand(actor, &case.id, &masked, Some(&marks_json(marks)), what, detail).await?;
    Ok(())
}

/// Hides every occurrence of `word` in what the enterprise sees: the narrative and the demand.
async fn mask_word(
    state: &AppState,
    actor: &xinqiao_store::audit::Actor,
    case: &CaseRecord,
    word: &str,
) -> Result<(), AppError> {
    let word = word.trim();
    if word.chars().count() < 2 {
        return Err(AppError::field("words", "length", "要隐去的文字至少2个字"));
    }
    let mut in_narrative = 0;
    let review = review_of(state, case).await?;
    let opened = review.is_some();
    if let Some(mut review) = review {
        in_narrative = mark_text(&review.text, &mut review.marks, word);
        if in_narrative > 0 {
            let (masked, privacy) = kept(&review.text, &review.marks);
            let detail = serde_json::json!({"occurrences": in_narrative});
            state.store.revise_masking(actor, &case.id, &masked, &privacy, "mask", detail).await?;
        }
    }
    let in_demand = match demand_review_of(state, case).await? {
        Some(mut d) => {
            let n = mark_text(&d.text, &mut d.marks, word);
            if n > 0 {
                let masked = masked_text(&d.text, &d.marks);
                let detail = serde_json::json!({"occurrences": n});
                state
                    .store
                    .revise_demand(actor, &case.id, &masked, Some(&marks_json(&d.marks)), "mask", detail)
                    .await?;
            }
            n
        }
        None => {
            let (demand, n) = hide_word_in_demand(&case.demand_masked, word);
            if n > 0 {
                let detail = serde_json::json!({"occurrences": n});
                state.store.revise_demand_masking(actor, &case.id, &demand, detail).await?;
            }
            n
        }
    };
    if !opened && in_demand == 0 {
        return Err(AppError::Conflict("原文无法用本节点的密钥打开，无法调整遮蔽".into()));
    }
    if in_narrative + in_demand == 0 {
        return Err(AppError::field("words", "not_found", "原文中没有找到这段文字（或已遮蔽）"));
    }
    Ok(())
}

/// The officer confirms the masking: from now on the enterprise sees the complaint.
pub async fn confirm(state: &AppState, actor: &xinqiao_store::audit::Actor, case: &CaseRecord) -> Result<(), AppError> {
    if case.kind != xinqiao_domain::cases::CaseKind::Complaint {
        return Err(AppError::Conflict("只有投诉会提供给被投诉企业".into()));
    }
    state.store.confirm_masking(actor, &case.id).await.map_err(|e| match e {
        xinqiao_store::StoreError::Conflict(xinqiao_store::Conflict::Case(
            xinqiao_store::conflict::CaseConflict::MaskingConfirmed,
        )) => AppError::Conflict("已经确认过".into()),
        other => other.into(),
    })
}

/// Keeps a public text for cases from before it was kept: made from the masked text (which
/// already hides the submitter's own details), whatever the detector finds in it and every old
/// mask fragment dropped whole. Run at start; safe to run again. Returns how many were kept.
pub async fn keep_old_public(state: &AppState) -> Result<u64, AppError> {
    let mut done = 0;
    let mut after = String::new();
    loop {
        let page = state.store.narratives_without_public(&after, 200).await?;
        let Some(last) = page.last() else { break };
        after = last.0.clone();
        let detector = state.detector().await;
        let publics: Vec<(String, String)> =
            page.into_iter().map(|(id, masked)| (id, public_of(&detector, &masked))).collect();
        state.store.keep_narrative_publics(&publics).await?;
        done += publics.len() as u64;
    }
    Ok(done)
}

/// The start-up work of this module and of attachment names: old values brought under the
/// current rules, in the background (logged by count, never by content).
/// The one-off pass at start over what older versions stored: attachment names sealed, public
/// texts kept for older narratives. Run by the supervisor.
pub fn upgrade_task() -> crate::tasks::Task {
    crate::tasks::Task::once("privacy-upgrade", |state: AppState| async move {
        let names = super::files::seal_old_names(&state, &xinqiao_store::audit::Actor::system()).await;
        match &names {
            Ok(0) => {}
            Ok(n) => tracing::info!(names = n, "attachment names sealed"),
            Err(e) => tracing::warn!(error = %e, "attachment names could not be sealed"),
        }
        let public = keep_old_public(&state).await;
        match &public {
            Ok(0) => {}
            Ok(n) => tracing::info!(cases = n, "public texts kept for older narratives"),
            Err(e) => tracing::warn!(error = %e, "public texts of older narratives could not be kept"),
        }
        if names.is_err() || public.is_err() {
            return Err(crate::tasks::TaskError("旧数据的隐私升级未能完成"));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demand_is_hidden_in_place_never_across_a_mask() {
        let demand = "退款到6222***0123，请阿珍道歉，阿珍说过";
        assert_eq!(hide_in_demand(demand, 0, 2).as_deref(), Some("[已隐去]到6222***0123，请阿珍道歉，阿珍说过"));
        assert_eq!(hide_in_demand(demand, 2, 5), None, "touches the masked card");
        assert_eq!(hide_in_demand(demand, 3, 99), None, "out of the text");
        assert_eq!(hide_word_in_demand(demand, "阿珍"), ("退款到6222***0123，请[已隐去]道歉，[已隐去]说过".into(), 2));
        assert_eq!(hide_word_in_demand("[已隐去]和已隐", "已隐").1, 1, "never inside a mask");
    }

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
