//! The detector's data, compiled into the binary (nothing is loaded at run time): GB/T 2260 place
//! names, brands and time-honoured shops, parts of minority names, and the name model trained by
//! `data/privacy/train-names.py` from jieba's dictionary. Sources and licences are in the files.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A multiplicative hasher for `char` and small integer keys: these maps are read for every
/// character of every text, and SipHash's resistance to crafted keys buys nothing here.
#[derive(Default)]
pub(super) struct CharHasher(u64);

impl Hasher for CharHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// A map with `CharHasher`.
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<CharHasher>>;

const PLACES: &str = include_str!("../../data/privacy/places.txt");
const WORLD: &str = include_str!("../../data/privacy/world-places.txt");
const BRANDS: &str = include_str!("../../data/privacy/brands.txt");
const PARTS: &str = include_str!("../../data/privacy/name-parts.txt");
const MODEL: &str = include_str!("../../data/privacy/name-model.tsv");
const NR_WORDS: &str = include_str!("../../data/privacy/nr-words.txt");
const NR3_WORDS: &str = include_str!("../../data/privacy/nr3-words.txt");
const SURNAMES_FLOOR: &str = include_str!("../../data/privacy/surnames-floor.txt");
const SURNAMES_CUED: &str = include_str!("../../data/privacy/surnames-cued.txt");

/// The surname prior given to the surnames of `surnames-floor.txt` that the name model under-rates
/// (赖 had -9: 赖文静 was no name after 客户经理): as likely as a middling surname (钱 2.4, 于 1.9).
pub(super) const SURNAME_FLOOR: f32 = 1.8;

/// The rows of the name model (`name-model.tsv`): a character and its scores.
fn model_entries() -> impl Iterator<Item = (char, CharScores)> {
    lines(MODEL).filter_map(|line| {
        let mut f = line.split('\t');
        let c = f.next()?.chars().next()?;
        let mut v = f.map(|x| x.parse::<f32>().unwrap_or(-3.5));
        let mut next = || v.next().unwrap_or(-3.5);
        Some((c, CharScores { surname: next(), given1: next(), given2: next(), single: next() }))
    })
}

/// Whether `c` is ever a surname: the name model saw it as one, or `surnames-floor.txt` or
/// `surnames-cued.txt` lists it. A masked name shows its first character only if it is (张**);
/// a given name found alone (志强) or a name in Latin letters shows nothing of itself.
pub(super) fn known_surname(c: char) -> bool {
    static SURNAMES: std::sync::OnceLock<std::collections::HashSet<char, BuildHasherDefault<CharHasher>>> =
        std::sync::OnceLock::new();
    SURNAMES
        .get_or_init(|| {
            let modelled = model_entries().filter(|(_, s)| s.surname > UNSEEN.surname).map(|(c, _)| c);
            let listed = lines(SURNAMES_FLOOR)
                .chain(lines(SURNAMES_CUED))
                .flat_map(str::split_whitespace)
                .filter_map(|w| w.chars().next());
            modelled.chain(listed).collect()
        })
        .contains(&c)
}

/// Words (two characters or more) by their first two characters, longest first.
#[derive(Default)]
struct Words(FastMap<u64, Vec<Box<[char]>>>);

fn pair(a: char, b: char) -> u64 {
    u64::from(a) << 32 | u64::from(b)
}

/// Three characters in one key (21 bits each: every `char` fits).
fn triple(a: char, b: char, c: char) -> u64 {
    u64::from(a) << 42 | u64::from(b) << 21 | u64::from(c)
}

impl Words {
    fn add(&mut self, word: &str) {
        let w: Box<[char]> = word.chars().collect();
        if w.len() >= 2 {
            self.0.entry(pair(w[0], w[1])).or_default().push(w);
        }
    }

    fn sort(&mut self) {
        for v in self.0.values_mut() {
            v.sort_by_key(|w| std::cmp::Reverse(w.len()));
            v.dedup();
        }
    }

    /// The length of the longest word starting at `at`, or 0.
    fn longest_at(&self, chars: &[char], at: usize) -> usize {
        let (Some(&a), Some(&b)) = (chars.get(at), chars.get(at + 1)) else {
            return 0;
        };
        let Some(list) = self.0.get(&pair(a, b)) else {
            return 0;
        };
        let fits = |w: &[char]| chars.len() >= at + w.len() && chars[at + 2..].iter().zip(&w[2..]).all(|(a, b)| a == b);
        list.iter().find(|w| fits(w)).map_or(0, |w| w.len())
    }
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Likelihood ratios of a character in a name (natural logs): as a surname, as the first and the
/// second character of a two-character given name, and as a one-character given name.
#[derive(Clone, Copy, Debug)]
pub(super) struct CharScores {
    pub surname: f32,
    pub given1: f32,
    pub given2: f32,
    pub single: f32,
}

/// The block of `Lexicon::han`: CJK Extension A to the end of the Unified Ideographs.
const HAN_FIRST: u32 = 0x3400;
const HAN_LAST: u32 = 0x9FFF;

/// Where `c` sits in `Lexicon::han`, if it is in the block.
fn han_index(c: char) -> Option<usize> {
    let k = u32::from(c).wrapping_sub(HAN_FIRST);
    (k <= HAN_LAST - HAN_FIRST).then_some(k as usize)
}

/// What a character scores when the model never saw it in a name.
const UNSEEN: CharScores = CharScores { surname: -8.0, given1: -3.5, given2: -3.5, single: -3.5 };

pub(super) struct Lexicon {
    places: Words,
    brands: Words,
    parts: Words,
    model: FastMap<char, CharScores>,
    /// The model's scores of the Han block (U+3400..=U+9FFF) by code point, `UNSEEN` where it has
    /// none: asked at almost every character of every text, where an index costs less than a hash.
    han: Box<[CharScores]>,
    /// Frequent two-character words jieba tags as names (陈述, 麻醉), by `pair`.
    nr_words: std::collections::HashSet<u64, BuildHasherDefault<CharHasher>>,
    /// Three-character words jieba tags as names that are built on an ordinary word (黄金周), by
    /// `triple`.
    nr3_words: std::collections::HashSet<u64, BuildHasherDefault<CharHasher>>,
    /// Surnames that are also the start of common words (皮, 母, 杭): surnames only after a word
    /// that introduces a person or before a title (`surnames-cued.txt`).
    cued: std::collections::HashSet<char, BuildHasherDefault<CharHasher>>,
    /// The learned score of name candidates and how candidates are decided.
    pub scoring: super::name_learned::Scoring,
}

impl Lexicon {
    pub fn new() -> Self {
        let mut places = Words::default();
        lines(PLACES).for_each(|w| places.add(w));
        lines(WORLD).flat_map(str::split_whitespace).for_each(|w| places.add(w));
        places.sort();
        let mut brands = Words::default();
        lines(BRANDS).for_each(|w| brands.add(w));
        brands.sort();
        let mut parts = Words::default();
        lines(PARTS).flat_map(str::split_whitespace).for_each(|w| parts.add(w));
        parts.sort();
        let mut model = FastMap::default();
        model.extend(model_entries());
        for c in lines(SURNAMES_FLOOR).flat_map(str::split_whitespace).filter_map(|w| w.chars().next()) {
            let e = model.entry(c).or_insert(UNSEEN);
            e.surname = e.surname.max(SURNAME_FLOOR);
        }
        let mut han = vec![UNSEEN; (HAN_LAST - HAN_FIRST + 1) as usize].into_boxed_slice();
        for (&c, &s) in &model {
            if let Some(k) = han_index(c) {
                han[k] = s;
            }
        }
        let nr_words = lines(NR_WORDS)
            .flat_map(str::split_whitespace)
            .filter_map(|w| {
                let mut cs = w.chars();
                Some(pair(cs.next()?, cs.next()?))
            })
            .collect();
        let nr3_words = lines(NR3_WORDS)
            .flat_map(str::split_whitespace)
            .filter_map(|w| {
                let mut cs = w.chars();
                Some(triple(cs.next()?, cs.next()?, cs.next()?))
            })
            .collect();
        let cued = lines(SURNAMES_CUED).flat_map(str::split_whitespace).filter_map(|w| w.chars().next()).collect();
        Self {
            places,
            brands,
            parts,
            model,
            han,
            nr_words,
            nr3_words,
            cued,
            scoring: super::name_learned::Scoring::new(),
        }
    }

    /// Whether `c` is a surname only where the context says person (皮, 母, 杭, 郁: `surnames-cued.txt`).
    pub fn cued_surname(&self, c: char) -> bool {
        self.cued.contains(&c)
    }

    /// The longest place name (GB/T 2260, with short forms) starting at `at`, or 0.
    pub fn place_at(&self, chars: &[char], at: usize) -> usize {
        self.places.longest_at(chars, at)
    }

    /// The longest brand or shop name starting at `at`, or 0.
    pub fn brand_at(&self, chars: &[char], at: usize) -> usize {
        self.brands.longest_at(chars, at)
    }

    /// The longest part of a minority name starting at `at`, or 0.
    pub fn part_at(&self, chars: &[char], at: usize) -> usize {
        self.parts.longest_at(chars, at)
    }

    /// Whether a two-character word is one jieba tags as a name but is mostly an ordinary word.
    pub fn common_nr_word(&self, a: char, b: char) -> bool {
        self.nr_words.contains(&pair(a, b))
    }

    /// Whether a three-character word jieba tags as a name is an ordinary word built on an
    /// ordinary word (黄金周 on 黄金, 银行卡 on 银行).
    pub fn common_nr3_word(&self, w: &[char]) -> bool {
        matches!(w, [a, b, c] if self.nr3_words.contains(&triple(*a, *b, *c)))
    }

    pub fn scores(&self, c: char) -> CharScores {
        match han_index(c) {
            Some(k) => self.han[k],
            None => self.model.get(&c).copied().unwrap_or(UNSEEN),
        }
    }

    /// How much the characters `given` (one or two, after a surname) look like a given name.
    pub fn given_score(&self, given: &[char]) -> f32 {
        match given {
            [g] => {
                let s = self.scores(*g);
                s.single.max((s.given1 + s.given2) / 2.0)
            }
            [a, b] => self.scores(*a).given1 + self.scores(*b).given2,
            _ => f32::NEG_INFINITY,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_data_loads_and_answers() {
        let lex = super::Lexicon::new();
        let chars: Vec<char> = "去石家庄市和周大福，扎西顿珠".chars().collect();
        assert_eq!(lex.place_at(&chars, 1), 4, "石家庄市");
        assert_eq!(lex.brand_at(&chars, 6), 3, "周大福");
        assert_eq!(lex.part_at(&chars, 10), 2, "扎西");
        assert!(lex.scores('王').surname > 2.0);
        assert!(lex.common_nr3_word(&['黄', '金', '周']));
        assert!(!lex.common_nr3_word(&['黄', '金', '凤']));
        assert!(lex.scores('的').surname < -3.0);
        assert!(lex.given_score(&['建', '国']) > lex.given_score(&['的', '是']) + 5.0);
    }

    #[test]
    fn the_han_table_answers_as_the_map() {
        let lex = super::Lexicon::new();
        let same = |a: super::CharScores, b: super::CharScores| {
            [a.surname, a.given1, a.given2, a.single].map(f32::to_bits)
                == [b.surname, b.given1, b.given2, b.single].map(f32::to_bits)
        };
        for (&c, &s) in &lex.model {
            assert!(same(lex.scores(c), s), "{c}");
        }
        for c in ['\u{33FF}', '\u{3400}', '的', '\u{9FFF}', '\u{A000}', 'a', '𠀀'] {
            assert!(same(lex.scores(c), lex.model.get(&c).copied().unwrap_or(super::UNSEEN)), "{c}");
        }
        assert_eq!(super::han_index('\u{3400}'), Some(0));
        assert_eq!(super::han_index('\u{33FF}'), None);
        assert_eq!(super::han_index('\u{A000}'), None);
    }
}
