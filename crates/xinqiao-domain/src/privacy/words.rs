//! jieba's reading of a text, indexed by character (for the name and address scanners).

/// jieba's reading of the text, indexed by character: which word starts where.
pub(super) struct Words<'a> {
    pub tags: Vec<jieba_rs::Tag<'a>>,
    /// For each character, the index in `tags` of the word that contains it.
    word_of: Vec<usize>,
    /// For each word, whether it is in jieba's dictionary (0 not asked yet, 1 yes, 2 no: a guess
    /// of its model), asked when needed.
    in_dictionary: Vec<std::cell::Cell<u8>>,
}

impl<'a> Words<'a> {
    pub fn new(jieba: &'a jieba_rs::Jieba, text: &'a str, len: usize) -> Self {
        let tags = jieba.tag(text, true);
        let mut word_of = vec![0; len];
        for (k, t) in tags.iter().enumerate() {
            for w in &mut word_of[t.start.min(len)..t.end.min(len)] {
                *w = k;
            }
        }
        let in_dictionary = vec![std::cell::Cell::new(0); tags.len()];
        Self { tags, word_of, in_dictionary }
    }

    /// Whether the word holding character `i` is one jieba's model guessed (no dictionary word).
    pub fn guessed_at(&self, jieba: &jieba_rs::Jieba, i: usize) -> bool {
        let Some(&k) = self.word_of.get(i) else { return false };
        let known = &self.in_dictionary[k];
        if known.get() == 0 {
            known.set(if jieba.has_word(self.tags[k].word) { 1 } else { 2 });
        }
        known.get() == 2
    }

    pub fn at(&self, i: usize) -> Option<&jieba_rs::Tag<'a>> {
        self.word_of.get(i).map(|&k| &self.tags[k])
    }

    pub fn starts_word(&self, i: usize) -> bool {
        self.at(i).is_none_or(|t| t.start == i)
    }

    pub fn ends_word(&self, i: usize) -> bool {
        i == 0 || self.at(i - 1).is_none_or(|t| t.end == i)
    }
}
