//! The officer's review panel of a complaint: the narrative and the demand in pieces, each
//! masked span or doubtful place with its one-click action, and hiding more of a demand kept
//! only as masked text.

use super::{Mark, demand_review_of, doubts, masked_piece, occurrences, review_of, review_required};
use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::privacy::{Detector, Doubt};
use xinqiao_store::cases::CaseRecord;

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
}
