//! Personal names. Candidates start with a surname (single or compound) and are scored: the name
//! model (`lexicon`: how much the surname and the given-name characters look like a name rather
//! than ordinary words, trained on jieba's dictionary), how jieba segments the text (a common
//! word is no name; a name starts and ends words), and the context (a word that introduces a
//! person before — 我叫, 校长, 户名, 舅舅 —, a title after — 先生, 经理, 师傅); a learned score over
//! the same evidence (`name_learned`) may add a candidate the hand-set sum leaves out. A surname with a
//! title or a nickname (赵经理, 钟女士, 小刘, 老李) is a name too: it points at one person. Names of
//! minority peoples are read from their parts (扎西顿珠), foreign names by their `·`. Place names,
//! brands, shops and the case's own enterprise are never cut into names.

use super::PiiKind;
use super::charset::HanSet;
use super::cues::{self, Cue};
use super::lexicon::Lexicon;
use super::name_rules::latin_name;
pub(super) use super::name_surnames::surname_len;
use super::text::{is_han, is_stop};

type Found = Vec<(PiiKind, usize, usize)>;

/// Words jieba tags `nr` that are not names.
pub(super) const COMMON_NOT_NAMES: [&str; 13] =
    ["谢谢", "申请人", "师傅", "老板", "周末", "金额", "高速", "方便", "白天", "常常", "宁可", "章程", "黄牛"];

/// Scores at or above this make a name.
pub(super) const THRESHOLD: f32 = 3.0;

pub(super) use super::words::Words;

pub(super) struct Scan<'a, 'w> {
    pub(super) chars: &'a [char],
    pub(super) words: &'a Words<'w>,
    pub(super) lex: &'a Lexicon,
    pub(super) jieba: &'a jieba_rs::Jieba,
    pub(super) protected: &'a [(usize, usize)],
    /// (score, start, end)
    pub(super) cands: Vec<(f32, usize, usize)>,
    /// Candidates a little below the threshold.
    pub(super) near: Vec<(f32, usize, usize)>,
    /// For each position, the cue that ends right before it (computed once: asked often).
    pub(super) cue_end: Vec<Option<Cue>>,
    /// The name model's candidates with their features, when asked for (training).
    pub(super) trace: Option<Vec<super::name_learned::Traced>>,
}

pub(super) fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Characters a given name may hold.
pub(super) fn given_char(c: char) -> bool {
    is_han(c) && !is_stop(c) && !matches!(c, '某' | '氏')
}

/// Characters that follow a name or a title as a new word (说, 发, 让 …): function words and
/// common verbs.
pub(super) fn follower(c: char) -> bool {
    // (One bit each: asked at many positions by many rules; the string was searched each time.)
    static SET: HanSet = HanSet::new(FOLLOWERS);
    is_stop(c) || SET.contains(c)
}

/// The characters of `follower` besides the stop characters.
const FOLLOWERS: &str = "说讲称发转让给在是也都就还答承表告打来去把被对跟已不没又再才会要叫问带收拿家多很先后今昨明一帮替向这那真太最刚正只从";

/// Last characters of place, document, organisation and shop names (王庄村, 安全法, 李记).
pub(super) fn ends_like_a_place(c: char) -> bool {
    static SET: HanSet = HanSet::new(PLACE_ENDS);
    SET.contains(c)
}

const PLACE_ENDS: &str = "村镇乡县区市省路街巷法证店厂局站部司处室楼组屯寨记院园馆城";

impl Scan<'_, '_> {
    /// A surname that nicknames and familiar titles are built on (小刘, 柳姐, 老霍): one of the
    /// hundred commonest, or one the name model rates a likely surname (prior ≥ 2: 柳, 霍, 柯,
    /// 庞) where jieba reads no ordinary word over `s..e` (小苗 the seedling, 老乔 is fine).
    pub(super) fn nickname_surname(&self, at: usize, s: usize, e: usize) -> bool {
        let c = self.chars[at];
        cues::common_surname(c)
            || self.lex.scores(c).surname >= 2.0
                && !self.words.at(s).is_some_and(|t| {
                    t.start == s && t.end == e && !t.tag.starts_with("nr") && self.jieba.has_word(t.word)
                })
    }

    /// A surname that is also the start of common words (皮, 母, 杭: `surnames-cued.txt`), right
    /// after a word that introduces a person (申请人杭建国, 校长母丽) and rated no likely surname by
    /// the model: a surname here.
    pub(super) fn cued_surname_at(&self, s: usize) -> bool {
        matches!(self.cue_before(s), Some(Cue::Strong | Cue::Role))
            && self.lex.cued_surname(self.chars[s])
            && self.lex.scores(self.chars[s]).surname < super::lexicon::SURNAME_FLOOR
    }

    pub(super) fn cue_before(&self, s: usize) -> Option<Cue> {
        self.cue_end.get(s).copied().flatten()
    }

    /// A candidate that overlaps a protected range (enterprise, public body, the case's own
    /// enterprise), or begins a brand or a place name (a place only where no cue says person:
    /// 负责人乌兰 is a person, 去乌兰 a county).
    pub(super) fn blocked(&self, s: usize, e: usize) -> bool {
        // Inside a place or brand that began earlier (吴中区|盛宇 → 区 is 吴中区's).
        let inside = (1..=6.min(s)).any(|k| {
            let (p, b) = (self.lex.place_at(self.chars, s - k), self.lex.brand_at(self.chars, s - k));
            // (A place that starts inside a word jieba reads before it is none: 房东|阿杰 holds no 东阿.)
            p > k && self.words.starts_word(s - k) || b > k
        });
        if inside
            || super::products::not_a_person(self, s, e)
            || super::name_bare::no_person(self.chars, s, e)
            || super::name_roles::no_person_frame(self, s, e)
        {
            return true;
        }
        if self.spokesperson(s, e) {
            return true;
        }
        // (A place followed by 的 or 人 is where someone is from, cue or not: 我是张家口的, 我是石家庄人.)
        let place_len = self.lex.place_at(self.chars, s);
        let origin = self.chars.get(s + place_len).is_some_and(|c| matches!(c, '的' | '人'));
        // (…and a place with 人 is one too, whatever reads it as a name: 老板是吴江人 is no 吴江人.)
        let place = place_len >= (e - s).min(3) && (self.cue_before(s).is_none() || origin)
            || place_len >= 2 && origin && self.chars[s + place_len] == '人' && e == s + place_len + 1;
        self.protected.iter().any(|p| s < p.1 && p.0 < e) || place || self.lex.brand_at(self.chars, s) >= (e - s).min(3)
    }

    pub(super) fn push(&mut self, score: f32, s: usize, e: usize) {
        if e > s + 1 && !self.blocked(s, e) {
            self.cands.push((score, s, e));
        }
    }

    /// A candidate below the threshold, kept in case a list of names vouches for it.
    pub(super) fn near(&mut self, score: f32, s: usize, e: usize) {
        if e > s + 1 && !self.blocked(s, e) {
            self.near.push((score, s, e));
        }
    }
}

pub(super) fn scan(
    jieba: &jieba_rs::Jieba,
    lex: &Lexicon,
    words: &Words<'_>,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
    trace: Option<&mut Vec<super::name_learned::Traced>>,
) {
    let cue_end = (0..=chars.len())
        .map(|i| {
            cues::cue_ending_at(chars, i)
                .or_else(|| super::name_context::agent_noun_before(words, chars, i))
                .or_else(|| super::name_bare::person_noun_before(words, chars, i))
        })
        .collect();
    let mut scan = Scan {
        chars,
        words,
        lex,
        jieba,
        protected,
        cands: Vec::new(),
        near: Vec::new(),
        cue_end,
        trace: trace.is_some().then(Vec::new),
    };
    for i in 0..chars.len() {
        let c = chars[i];
        super::name_latin::at(&mut scan, i);
        if !is_han(c) {
            scan.latin_work_name(i);
            if c.is_uppercase() && (i == 0 || !chars[i - 1].is_alphabetic()) {
                super::name_english::at(&mut scan, i);
            } else if matches!(c, '(' | '（') {
                super::name_english::bracketed(&mut scan, i);
                scan.ethnic_bracket(i);
            }
            if matches!(c, '·' | '•') {
                scan.dotted(i);
            } else if c.is_ascii_uppercase() && (i == 0 || !chars[i - 1].is_ascii_alphabetic()) {
                let e = latin_name(chars, i);
                if e > i + 1
                    && (cues::title_at(chars, e).is_some()
                        || chars.get(e).is_some_and(|&c| {
                            lex.scores(c).surname > 2.0
                                && surname_len(lex, chars, e) == 1
                                && !chars.get(e + 1).is_some_and(|&n| given_char(n))
                        }))
                {
                    let end = if cues::title_at(chars, e).is_some() { e } else { e + 1 };
                    scan.push(4.0, i, end);
                }
                // 阿 + a Latin name (阿May, 阿Ken): a nickname.
                if e > i + 1 && i > 0 && chars[i - 1] == '阿' && !chars.get(e).is_some_and(char::is_ascii_alphanumeric)
                {
                    scan.push(4.5, i - 1, e);
                }
            }
            continue;
        }
        if cues::may_start_cue(c) {
            scan.after_cue(i);
        }
        // Foreign names jieba knows (克林顿, 普里马科夫): three characters or more, no place, and
        // something around that says person (jieba tags foreign places and phrases nrt too).
        if let Some(t) = words.at(i).filter(|t| t.start == i && t.tag == "nrt" && t.end - t.start >= 3)
            && lex.place_at(chars, i) == 0
            && !matches!(chars[t.end - 1], '人' | '族' | '语' | '式' | '派')
            // (jieba's model may glue a verb of speech onto a brand: 老板|说巴奴/nrt|不给退.)
            && !matches!(chars[i], '说' | '讲' | '让' | '给' | '叫' | '跟' | '被' | '把' | '找' | '问')
            && scan.context(i, t.end) >= 0.8
        {
            scan.push(4.0, i, t.end);
        }
        scan.titled(i);
        scan.decided_by_context(i);
        scan.given_name_kin(i);
        scan.role_surname(i);
        scan.role_name_word(i);
        scan.verb_framed(i);
        scan.form_value(i);
        scan.nickname_framed(i);
        scan.given_alone(i);
        scan.called_nickname(i);
        scan.vocative(i);
        scan.role_nickname(i);
        scan.child_name(i);
        scan.minority_syllables(i);
        scan.written_name(i);
        scan.compound_surname_alone(i);
        scan.kin_listed(i);
        scan.rank_nickname(i);
        if c == '老' {
            scan.rank_alone(i);
        }
        scan.withheld_given_name(i);
        scan.bare_surname(i);
        scan.rare_surname_after_cue(i);
        scan.verb_read_after_role(i);
        scan.role_bare_surname(i);
        scan.titled_after_role(i);
        scan.glued_familiar(i);
        scan.a_nickname(i);
        scan.signed_full_name(i);
        scan.glued_to_call(i);
        scan.signature_line(i);
        scan.worknames_at(i);
        if words.starts_word(i) || scan.cue_before(i).is_some() {
            scan.transliterated(i);
        }
        if words.starts_word(i)
            || words.at(i).is_some_and(|t| t.tag.starts_with("nr"))
            || scan.cue_before(i).is_some()
            || scan.glued_before_a_name(i)
            || surname_len(lex, chars, i) > 0 && scan.glued_start(i)
        {
            scan.model(i);
        }
        if words.starts_word(i) && lex.part_at(chars, i) >= 2 {
            let e = scan.parts_from(i);
            let parts = {
                let mut n = 0;
                let mut k = i;
                while let l @ 1.. = lex.part_at(chars, k) {
                    k += l;
                    n += 1;
                }
                n
            };
            if parts >= 2 || cues::title_at(chars, e).is_some() {
                scan.push(5.0, i, e);
            }
        }
    }
    if let (Some(out), Some(traced)) = (trace, scan.trace.take()) {
        out.extend(traced);
    }
    // Names in a list (赵满仓、李铁锁、王秋菊): a near candidate next to a name by 、 or 和 is one.
    // Repeated, so a list vouches along its length.
    let items = scan.list_items();
    let again = scan.bracketed_again();
    let mut cands = scan.cands;
    cands.extend(items);
    cands.extend(again);
    let mut near = scan.near;
    let joined = |a: usize, b: usize| b == a + 1 && matches!(chars[a], '、' | '和' | '与' | '及');
    loop {
        let before = near.len();
        near.retain(|&(score, s, e)| {
            let vouched = cands.iter().any(|c| c.0 >= THRESHOLD && (joined(c.2, s) || joined(e, c.1)));
            if vouched {
                cands.push((score + 3.0, s, e));
            }
            !vouched
        });
        if near.len() == before {
            break;
        }
    }
    // The best-scoring candidates that do not overlap.

    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then((b.2 - b.1).cmp(&(a.2 - a.1))));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let from = found.len();
    for (_, s, e) in cands {
        if !kept.iter().any(|k| s < k.1 && k.0 < e) {
            kept.push((s, e));
            found.push((PiiKind::Name, s, e));
        }
    }
    super::name_evidence::second_mentions(jieba, chars, words, protected, found, from);
    super::name_titles::found_surnames_titled(jieba, chars, words, protected, found, from);
    super::name_evidence::keep_located_places(lex, chars, found, from);
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_character_sets_hold_their_strings() {
        for u in (0x3000..=0xA100u32).chain(0x20..=0x7F) {
            let c = char::from_u32(u).unwrap();
            assert_eq!(super::follower(c), super::is_stop(c) || super::FOLLOWERS.contains(c), "{u:X}");
            assert_eq!(super::ends_like_a_place(c), super::PLACE_ENDS.contains(c), "{u:X}");
        }
    }
}
