//! What the detector found in short texts it has read before. A form's short fields repeat
//! (诉求: 请依法查处, 要求退款, 请解答 — in a generated import file 795 distinct demands in 20,000
//! rows) and each costs the whole pipeline, jieba's cut included, for a few characters. The
//! detector is a pure function of the text once the case's own enterprise does not occur in it,
//! so its spans for such a text are kept and handed out again: the same spans, not recomputed.

use super::Span;
use std::collections::HashMap;
use std::sync::Mutex;

/// Texts up to this many characters are remembered.
pub(super) const MAX_CHARS: usize = 40;
/// Entries kept at most; when full the memo starts again empty (bounded memory, no bookkeeping).
const MAX_ENTRIES: usize = 4_096;

/// Spans by input text, shared by the threads that use one detector.
#[derive(Default)]
pub(super) struct Memo(Mutex<HashMap<Box<str>, Vec<Span>>>);

impl Memo {
    /// The spans found in `text` before, if it was remembered.
    pub(super) fn get(&self, text: &str) -> Option<Vec<Span>> {
        self.0.lock().ok()?.get(text).cloned()
    }

    /// Remembers the spans found in `text`.
    pub(super) fn put(&self, text: &str, spans: &[Span]) {
        if let Ok(mut memo) = self.0.lock() {
            if memo.len() >= MAX_ENTRIES {
                memo.clear();
            }
            memo.insert(text.into(), spans.to_vec());
        }
    }

    /// Forgets everything (the detector's rules changed).
    pub(super) fn clear(&self) {
        if let Ok(mut memo) = self.0.lock() {
            memo.clear();
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.lock().map_or(0, |m| m.len())
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Detector, PiiKind};
    use super::{MAX_CHARS, MAX_ENTRIES, Memo};

    fn span(text: &str) -> super::Span {
        super::Span { kind: PiiKind::Name, start: 0, end: text.chars().count(), text: text.into() }
    }

    #[test]
    fn a_remembered_text_gives_its_spans_and_a_full_memo_starts_again() {
        let memo = Memo::default();
        assert_eq!(memo.get("张伟"), None);
        memo.put("张伟", &[span("张伟")]);
        memo.put("请解答", &[]);
        assert_eq!(memo.get("张伟"), Some(vec![span("张伟")]));
        assert_eq!(memo.get("请解答"), Some(vec![]));
        for i in 0..MAX_ENTRIES {
            memo.put(&format!("诉求{i}"), &[]);
        }
        assert!(memo.len() <= MAX_ENTRIES);
        memo.clear();
        assert_eq!(memo.get("张伟"), None);
    }

    #[test]
    fn short_texts_read_twice_give_what_a_fresh_detector_gives() {
        let memo_detector = Detector::new();
        let texts = [
            "请依法查处",
            "要求退款，联系人王建国13912345678",
            "请联系我，电话15900001111",
            "要求苏州姑苏示例健身管理有限公司退款",
            "退款",
        ];
        for enterprises in [&[][..], &["苏州姑苏示例健身管理有限公司"][..]] {
            for text in texts {
                assert!(text.chars().count() <= MAX_CHARS);
                let first = memo_detector.detect_for(text, enterprises);
                let again = memo_detector.detect_for(text, enterprises);
                let fresh = Detector::new().detect_for(text, enterprises);
                assert_eq!(first, fresh, "{text}");
                assert_eq!(again, fresh, "{text}");
            }
        }
        // The enterprise's own name in the text is protected, not taken from the memo.
        let own = memo_detector.detect_for("要求苏州姑苏示例健身管理有限公司退款", &["苏州姑苏示例健身管理有限公司"]);
        assert!(own.is_empty());
    }
}
