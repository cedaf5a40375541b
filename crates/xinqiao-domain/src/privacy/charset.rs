//! Sets of Han characters fixed at compile time, for the tests that run at every character of a
//! text: `SET.contains(c)` reads one bit, where `"村镇乡…".contains(c)` encodes `c` and searches
//! the string each time. Built by a `const fn`, so a set is a `static` with nothing to load.

/// The block covered: CJK Extension A to the end of the Unified Ideographs.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;
const WORDS: usize = ((LAST - FIRST + 1) as usize).div_ceil(64);

/// A set of characters of the Han block (U+3400..=U+9FFF), one bit each.
pub(super) struct HanSet {
    bits: [u64; WORDS],
}

impl HanSet {
    /// The characters of `s`, every one of them in the block (anything else fails the build
    /// where the set is a `static`, and panics elsewhere).
    pub(super) const fn new(s: &str) -> HanSet {
        let b = s.as_bytes();
        let mut bits = [0u64; WORDS];
        let mut i = 0;
        while i < b.len() {
            // Every character of the block takes three bytes in UTF-8: 1110xxxx 10xxxxxx 10xxxxxx.
            assert!(b[i] & 0xF0 == 0xE0 && i + 2 < b.len(), "a Han character (U+3400..=U+9FFF)");
            let c = ((b[i] & 0x0F) as u32) << 12 | ((b[i + 1] & 0x3F) as u32) << 6 | (b[i + 2] & 0x3F) as u32;
            assert!(c >= FIRST && c <= LAST, "a Han character (U+3400..=U+9FFF)");
            let k = (c - FIRST) as usize;
            bits[k / 64] |= 1 << (k % 64);
            i += 3;
        }
        HanSet { bits }
    }

    /// Adds `c`; false (and nothing added) where it is not in the block.
    pub(super) fn insert(&mut self, c: char) -> bool {
        let k = u32::from(c).wrapping_sub(FIRST);
        if k > LAST - FIRST {
            return false;
        }
        self.bits[k as usize / 64] |= 1 << (k % 64);
        true
    }

    /// Whether `c` is one of the set's characters.
    pub(super) fn contains(&self, c: char) -> bool {
        let k = u32::from(c).wrapping_sub(FIRST);
        k <= LAST - FIRST && self.bits[k as usize / 64] >> (k % 64) & 1 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::HanSet;

    #[test]
    fn a_set_holds_its_characters_and_nothing_else() {
        const TEXT: &str = "村镇乡县区市省路街巷㐀鿿阿";
        static SET: HanSet = HanSet::new(TEXT);
        for c in TEXT.chars() {
            assert!(SET.contains(c), "{c}");
        }
        // Every other character of the block, and characters around it, are not in it.
        for u in 0x3300..=0xA100u32 {
            let c = char::from_u32(u).unwrap();
            assert_eq!(SET.contains(c), TEXT.contains(c), "{u:X}");
        }
        for c in ['a', '1', ' ', '，', '。', '\u{33FF}', '\u{A000}', '𠀀', '😀'] {
            assert!(!SET.contains(c), "{c}");
        }
        assert!(!HanSet::new("").contains('阿'));
        let mut built = HanSet::new("");
        for c in TEXT.chars() {
            assert!(built.insert(c), "{c}");
        }
        assert!(!built.insert('a') && !built.insert('\u{A000}'));
        for u in 0x3300..=0xA100u32 {
            let c = char::from_u32(u).unwrap();
            assert_eq!(built.contains(c), SET.contains(c), "{u:X}");
        }
    }

    #[test]
    #[should_panic(expected = "a Han character")]
    fn a_character_outside_the_block_is_refused() {
        let _ = HanSet::new("村a");
    }
}
