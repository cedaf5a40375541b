//! Short texts the detector has read before and found nothing in. A form's short fields repeat
//! (诉求: 请依法查处, 要求退款, 请解答 — in a generated import file 795 distinct demands in 20,000
//! rows) and each costs the whole pipeline, jieba's cut included, for a few characters. The
//! detector is a pure function of the text once the case's own enterprise does not occur in it,
//! so such a text is not read again. Only texts in which nothing was found are kept: a text that
//! holds personal data is never remembered, so the memo holds no one's name or number.

use std::collections::HashSet;
use std::sync::Mutex;

/// Texts up to this many characters are remembered.
pub(super) const MAX_CHARS: usize = 40;
/// Entries kept at most; when full the memo starts again empty (bounded memory, no bookkeeping).
const MAX_ENTRIES: usize = 4_096;

/// Texts found clean, shared by the threads that use one detector.
#[derive(Default)]
pub(super) struct Memo(Mutex<HashSet<Box<str>>>);

impl Memo {
    /// Whether `text` was read before and nothing was found in it.
    pub(super) fn is_clean(&self, text: &str) -> bool {
        self.0.lock().is_ok_and(|memo| memo.contains(text))
    }

    /// Remembers that nothing was found in `text`.
    pub(super) fn put_clean(&self, text: &str) {
        if let Ok(mut memo) = self.0.lock() {
            if memo.len() >= MAX_ENTRIES {
                memo.clear();
            }
            memo.insert(text.into());
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
    use super::super::Detector;
    use super::{MAX_CHARS, MAX_ENTRIES, Memo};

    #[test]
    fn a_clean_text_is_remembered_and_a_full_memo_starts_again() {
        let memo = Memo::default();
        assert!(!memo.is_clean("请解答"));
        memo.put_clean("请解答");
        assert!(memo.is_clean("请解答"));
        assert!(!memo.is_clean("请解答。"));
        for i in 0..MAX_ENTRIES {
            memo.put_clean(&format!("诉求{i}"));
        }
        assert!(memo.len() <= MAX_ENTRIES);
        memo.clear();
        assert!(!memo.is_clean("请解答"));
    }

    #[test]
    fn a_text_holding_personal_data_is_never_remembered() {
        let detector = Detector::new();
        assert!(!detector.detect("联系人王建国13912345678").is_empty());
        assert!(!detector.detect("联系人王建国13912345678").is_empty());
        assert_eq!(detector.memo.len(), 0, "a text with spans stays out of the memo");
        assert!(detector.detect("请依法查处").is_empty());
        assert_eq!(detector.memo.len(), 1);
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
