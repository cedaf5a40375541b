//! Reference numbers that are no personal data, by the words before them: order, work-order,
//! contract and invoice numbers (订单号, 工单, 合同), a reference named right before a number shaped
//! like a mobile (投诉编号 17352846091), and references in English text (order number …, Case ref …).
//! Moved from `numbers.rs`, which asks these at each candidate number.

use super::numbers::ends_with;

/// The words that name a reference before its number (订单, 单号, 编号, …), as pairs of characters:
/// compared without decoding a string, since this runs for every candidate number.
const CUE_PAIRS: [(char, char); 22] = [
    ('订', '单'),
    ('单', '号'),
    ('编', '号'),
    ('流', '水'),
    ('快', '递'),
    ('运', '单'),
    ('工', '单'),
    ('受', '理'),
    ('注', '册'),
    ('保', '单'),
    ('合', '同'),
    ('批', '次'),
    ('工', '号'),
    ('交', '易'),
    ('存', '单'),
    ('发', '票'),
    ('条', '码'),
    ('序', '列'),
    ('型', '号'),
    ('挂', '号'),
    ('小', '票'),
    ('执', '业'),
];

pub(super) fn after_reference_cue(chars: &[char], at: usize) -> bool {
    // The eight characters before the number, fillers included (订单编号：), within its clause.
    let mut from = at.saturating_sub(8);
    if let Some(p) = chars[from..at].iter().rposition(|c| matches!(c, '。' | '，' | '；' | '！' | '？' | ',' | ';'))
    {
        from += p + 1;
    }
    // Every cue is two characters.
    let cued = |tail: &[char]| tail.windows(2).any(|x| CUE_PAIRS.iter().any(|&(a, b)| x[0] == a && x[1] == b));
    cued(&chars[from..at]) || reply_to(chars, at).is_some_and(cued)
}

/// Where the number at `at` is a chat message or a turn of its own (追风少年：3926771055821145, the
/// line before asking 请提供一下订单号): the end of the line before (30 characters at most), which
/// says what the number is.
fn reply_to(chars: &[char], at: usize) -> Option<&[char]> {
    // The line's start within fifteen characters (a label of fourteen and its colon at most): this
    // runs for every number, so nothing further back is read unless the line starts near.
    let from = at.saturating_sub(15);
    let line = from + chars[from..at].iter().rposition(|&c| c == '\n')? + 1;
    let head = &chars[line..at];
    // Nothing before the number on its line but a sender's label and its colon.
    let labelled = head.is_empty() || matches!(head.last(), Some('：' | ':')) && !head[..head.len() - 1].contains(&' ');
    if !labelled {
        return None;
    }
    let mut end = at;
    while chars.get(end).is_some_and(|c| c.is_ascii_alphanumeric() || *c == ' ') {
        end += 1;
    }
    if !chars.get(end).is_none_or(|&c| matches!(c, '\n' | '。' | '.' | '!' | '！')) {
        return None;
    }
    // The line before, thirty characters at most.
    let before = line - 1;
    let from = before.saturating_sub(30);
    let start = chars[from..before].iter().rposition(|&c| c == '\n').map_or(from, |p| from + p + 1);
    Some(&chars[start..before])
}

/// A reference's name right before the number, only a colon, a space or 是 between (投诉编号
/// 17352846091, 订单号：13912345678): the number is that reference even with a mobile's shape.
pub(super) fn named_reference(chars: &[char], at: usize) -> bool {
    let mut e = at;
    while e > 0 && at - e < 3 && matches!(chars[e - 1], ' ' | ':' | '：' | '是' | '为') {
        e -= 1;
    }
    let cue = &chars[e.saturating_sub(4)..e];
    // A complaint platform's number (黑猫投诉17382004531): the platform names the reference.
    if ["编号", "单号", "流水号", "案号", "订单", "黑猫投诉", "聚投诉"].iter().any(|w| ends_with(cue, w))
    {
        return true;
    }
    // The next number of a list (黑猫投诉1738…、1738…): a reference where the one before it is.
    if e > 0 && e == at && matches!(chars[e - 1], '、' | '和') {
        let mut p = e - 1;
        while p > 0 && chars[p - 1].is_ascii_digit() {
            p -= 1;
        }
        return e - 1 - p >= 5 && named_reference(chars, p);
    }
    false
}

/// A reference's word in English earlier in the clause (order number 3920571846032718, Case ref
/// 2026112300458, tracking no.): a long number there is that reference, not a card, unless a
/// card's word stands right before it.
pub(super) fn english_reference(chars: &[char], at: usize) -> bool {
    let from = at.saturating_sub(24);
    let from = chars[from..at]
        .iter()
        .rposition(|c| matches!(c, ',' | '，' | ';' | '\n' | '。'))
        .map_or(from, |p| from + p + 1);
    if !chars[from..at].iter().any(char::is_ascii_alphabetic) {
        return false;
    }
    let tail: String = chars[from..at].iter().map(char::to_ascii_lowercase).collect();
    let words = || tail.split(|c: char| !c.is_ascii_alphabetic());
    const REFERENCES: [&str; 11] = [
        "order",
        "tracking",
        "invoice",
        "ref",
        "reference",
        "case",
        "contract",
        "serial",
        "receipt",
        "transaction",
        "booking",
    ];
    words().any(|w| REFERENCES.contains(&w)) && !words().any(|w| ["card", "account", "iban"].contains(&w))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cue_in_the_clause_before_the_number_is_found() {
        let chars: Vec<char> = "我的订单编号：12345678".chars().collect();
        assert!(super::after_reference_cue(&chars, 7));
        let chars: Vec<char> = "订单到了，电话12345678".chars().collect();
        assert!(!super::after_reference_cue(&chars, 7));
    }
}
