//! Names recognised by the words around them rather than by a cue list alone: verbs of speech
//! and action that frame a person (李强告诉我, 打电话给周涛), and a bare surname right after a role
//! word (经理周说, 药师黄说, 财务沈说), where the role and the surname together point at one person.

use super::cues;
use super::names::{COMMON_NOT_NAMES, Scan, follower, given_char, surname_len};
use super::text::is_han;

/// Verbs that follow a person as their subject (李强|告诉, 周涛|说): whole jieba words.
const AFTER: [&str; 22] = [
    "说",
    "告诉",
    "讲",
    "称",
    "表示",
    "承认",
    "答应",
    "回答",
    "回复",
    "解释",
    "打电话",
    "打来",
    "发来",
    "让",
    "叫",
    "帮",
    "带",
    "把",
    "跟",
    "问",
    "骂",
    "拒绝",
];

/// Verbs (and verb + 了) that take a person as their object, ending right before the name
/// (告诉|刘洋, 打电话给|周涛, 联系了|林峰, 找了|叶青).
const BEFORE: [&str; 25] = [
    "转账到",
    "转账给",
    "汇款给",
    "汇给",
    "告诉",
    "派给",
    "打电话给",
    "电话给",
    "联系了",
    "联系上",
    "联系",
    "找了",
    "找到",
    "问了",
    "通知",
    "转告",
    "见到",
    "遇到",
    "叫上",
    "约了",
    "交给",
    "转给",
    "打给",
    "骂了",
    "感谢",
];

/// The last characters of the `BEFORE` words.
fn may_end_before(c: char) -> bool {
    matches!(c, '诉' | '给' | '了' | '上' | '系' | '到' | '知' | '告' | '谢')
}

fn ends_with_at(chars: &[char], end: usize, word: &str) -> bool {
    let n = word.chars().count();
    end >= n && chars[end - n..end].iter().copied().eq(word.chars())
}

impl Scan<'_, '_> {
    /// Context score from verbs of speech and action around `s..e` (at most 2.0).
    pub(super) fn person_verbs(&self, s: usize, e: usize) -> f32 {
        let mut score: f32 = 0.0;
        if self.verb_before(s) {
            score += 1.5;
        }
        if self.verb_after(e) {
            score += 1.0;
        }
        // The subject of a clause: at its start, followed by a time word or an adverb (邱磊|昨天|被,
        // 王芳|也).
        let clause_start = s == 0 || self.chars.get(s - 1).is_some_and(|&c| !is_han(c) && !c.is_ascii_alphanumeric());
        if clause_start && self.words.at(e).is_some_and(|t| t.start == e && (t.tag == "t" || t.tag == "d")) {
            score += 0.5;
        }
        score.min(2.0)
    }

    /// Whether one of `BEFORE` ends at `s` (looked at only when the last character may end one).
    fn verb_before(&self, s: usize) -> bool {
        s > 0 && may_end_before(self.chars[s - 1]) && BEFORE.iter().any(|w| ends_with_at(self.chars, s, w))
    }

    /// Whether one of `AFTER` stands at `e` as a whole word (说 but not 说明, 让 but not 让利).
    fn verb_after(&self, e: usize) -> bool {
        let Some(t) = self.words.at(e) else { return false };
        t.start == e && AFTER.contains(&t.word)
    }

    /// A name jieba reads as one word tagged `nr` (李强, 高峰, 欧阳慧敏), framed by a verb of
    /// speech or action: the surname prior and jieba's name reading are confirmed by a person's
    /// verb, which a place, a brand or an ordinary word (高兴, 方便, 周末) does not take.
    pub(super) fn verb_framed(&mut self, s: usize) {
        let sl = surname_len(self.lex, self.chars, s);
        if sl == 0 || sl == 1 && !cues::common_surname(self.chars[s]) {
            return;
        }
        let Some(t) = self.words.at(s) else { return };
        let len = t.end - t.start;
        if t.start != s
            || !t.tag.starts_with("nr")
            || len < sl + 1
            || len > sl + 2
            || COMMON_NOT_NAMES.contains(&t.word)
            || self.lex.common_nr3_word(&self.chars[t.start..t.end])
        {
            return;
        }
        let e = t.end;
        if !(s + sl..e).all(|k| given_char(self.chars[k])) || super::names::ends_like_a_place(self.chars[e - 1]) {
            return;
        }
        // A kinship or role word jieba also tags as a name (孙子帮我打的).
        if cues::cue_at(self.chars, s).is_some_and(|(_, end)| end >= e) {
            return;
        }
        if self.verb_before(s) || self.verb_after(e) {
            self.push(4.0, s, e);
        }
    }

    /// A form's value: right after a form word (申请人, 来电人, 收件人 …; a colon or 是 between), a
    /// surname and one or two characters that end the field (punctuation, a space, the end, a
    /// bracket, or 说/称/陈述/反映 as a word) are a name even where they spell an ordinary noun
    /// (来电人向东，诉求人云朵，收件人方圆说): a form word is followed by its person, and a noun
    /// there would not end the field. A field's label (投诉人单位：) and a verb or an adjective
    /// (申请人陈述：, 投诉人高兴地说) are none.
    pub(super) fn form_value(&mut self, s: usize) {
        if self.cue_before(s) != Some(cues::Cue::Strong) {
            return;
        }
        let chars = self.chars;
        // A rare surname (花, 方), one the name model never saw as a surname too, only where
        // jieba reads a name of two or three characters there (收件人花艳).
        let read_as_name =
            self.words.at(s).is_some_and(|t| t.start == s && t.tag.starts_with("nr") && (2..=3).contains(&(t.end - s)));
        let sl = match surname_len(self.lex, chars, s) {
            0 if read_as_name && given_char(chars[s]) => 1,
            sl => sl,
        };
        // One of the hundred commonest surnames (方) is one here, however often it starts words.
        let common = sl == 1 && cues::common_surname(chars[s]);
        if sl == 0 || sl == 1 && self.lex.scores(chars[s]).surname < 1.0 && !read_as_name && !common {
            return;
        }
        for g in [2, 1] {
            let e = s + sl + g;
            if e > chars.len() || !(s + sl..e).all(|k| given_char(chars[k])) || !self.words.ends_word(e) {
                continue;
            }
            let ends_field = match chars.get(e) {
                None => true,
                Some(&c) if !is_han(c) => !matches!(c, '：' | ':'),
                Some(_) => self
                    .words
                    .at(e)
                    .is_some_and(|t| t.start == e && matches!(t.word, "说" | "称" | "陈述" | "反映" | "讲" | "表示")),
            };
            let verbal = self
                .words
                .at(s)
                .is_some_and(|t| t.start == s && ["v", "a", "d", "c", "p", "r"].iter().any(|f| t.tag.starts_with(f)));
            if ends_field && !verbal {
                self.push(4.5, s, e);
                return;
            }
        }
    }

    /// A two-character word jieba's dictionary tags as a name but also as an ordinary word (殷红,
    /// 高飞, 江河) right after a role or form word, ending its clause or before 说, 称, 讲 (我找过校长殷红，):
    /// the role names the person. Only on a likely surname (a common one, or prior ≥ 2).
    pub(super) fn role_name_word(&mut self, s: usize) {
        let chars = self.chars;
        // (A number right after names the person's line: 孩子爸爸祁东150….)
        // (…or a verb, or a function word that starts the predicate: 校长温馨在群里说, 儿子汪洋设计的.)
        // (…only where the second character reads as a given name's: not 当事人陈述|申辩.)
        let ends = chars
            .get(s + 2)
            .is_some_and(|&c| matches!(c, '，' | '。' | '；' | '、' | ',' | '说' | '称' | '讲') || c.is_ascii_digit())
            || chars.get(s + 1).is_some_and(|&g| self.lex.scores(g).given2 >= 0.5)
                && (chars
                    .get(s + 2)
                    .is_some_and(|&c| follower(c) && !matches!(c, '的' | '了' | '们' | '和' | '与' | '一'))
                    || self.words.at(s + 2).is_some_and(|t| t.start == s + 2 && t.tag.starts_with('v')));
        // A word jieba reads as a place that no list holds (摄影师秦川拍的): a name when a verb
        // follows, as a person acts and a place does not.
        let place_word = |t: &jieba_rs::Tag<'_>| {
            t.tag == "ns"
                && (self.lex.place_at(chars, s) < 2
                    && self.words.at(s + 2).is_some_and(|n| n.start == s + 2 && n.tag.starts_with('v'))
                    || chars.get(s + 2).is_some_and(char::is_ascii_digit))
        };
        let word = self
            .words
            .at(s)
            .is_some_and(|t| t.start == s && t.end == s + 2 && (t.tag.starts_with("nr") && ends || place_word(t)));
        if !word || !cues::role_word_before(chars, s) {
            return;
        }
        let c = chars[s];
        // (刘某 is a name already withheld.)
        if surname_len(self.lex, chars, s) == 1
            && given_char(chars[s + 1])
            && (cues::common_surname(c) || self.lex.scores(c).surname >= 2.0)
        {
            self.push(4.5, s, s + 2);
        }
    }

    /// A bare surname right after a role word (经理|周|说, 药师|黄|说, 组长|雷|说), ending a word:
    /// the next character is punctuation, the end, or a function word or verb that starts a new
    /// word (not 周末, 高兴, 何时, 马上), and no pronoun (老板|向|我 is a preposition).
    pub(super) fn role_surname(&mut self, s: usize) {
        let chars = self.chars;
        // Cheapest tests first: this runs on every character.
        let sl = surname_len(self.lex, chars, s);
        if sl == 0 || sl == 1 && !self.nickname_surname(s, s, s + 1) || !cues::role_word_before(chars, s) {
            return;
        }
        let e = s + sl;
        // 申请人方, 卖家方: the party's side, not a person called 方.
        if chars[s] == '方' && matches!(chars[s - 1], '人' | '家' | '者' | '户' | '商') {
            return;
        }
        // (Also a verb of two characters or 自己 where jieba reads the surname as a word of its own:
        // 店长许|接听, 教练蒋|自己的车.)
        let verb_next = self
            .words
            .at(e)
            .is_some_and(|t| t.start == e && (t.tag.starts_with('v') && t.end - t.start >= 2 || t.word == "自己"))
            && self.words.at(s).is_some_and(|t| t.start == s && t.end == e);
        let next_ok = verb_next
            || chars
                .get(e)
                .is_none_or(|&c| !is_han(c) || follower(c) && !matches!(c, '我' | '你' | '他' | '她' | '它' | '们'));
        if !next_ok {
            return;
        }
        if let Some(&c) = chars.get(e)
            && is_han(c)
        {
            let pair: String = chars[s..=e].iter().collect();
            if self.jieba.has_word(&pair) {
                return;
            }
        }
        // jieba reads the surname character as a function word (于是, 向, 和) or inside a longer word,
        // also one that holds the role's end (老师傅: 傅 is no surname after 老师).
        let function = self.words.at(s).is_some_and(|t| {
            (t.end > e || t.start < s && t.end == e && t.end - t.start >= 3) && self.jieba.has_word(t.word)
                || t.start == s && t.end == e && ["c", "p", "d", "u", "y", "v"].iter().any(|f| t.tag.starts_with(f))
        });
        // A preposition or conjunction jieba glued to the role (投诉|人于|2026年): no surname.
        let glued_function = self.words.at(s).is_some_and(|t| t.start < s)
            && matches!(chars[s], '于' | '和' | '与' | '向' | '对' | '在' | '从' | '被' | '把' | '为' | '及' | '同');
        if function || glued_function || self.blocked(s, e) {
            return;
        }
        self.cands.push((5.0, s, e));
    }

    /// A pet name (小红, 小雪, 思思) framed by a verb of speech or action (小红说, 告诉思思) or right
    /// after a cue (服务员小雪): jieba reads many of them as ordinary words (小雪 the solar term,
    /// 甜甜), so the frame decides. Verbs, adjectives and adverbs (小心, 小声) and the 小/老 words
    /// of the cue list (小编, 小伙, 小哥) are no names.
    pub(super) fn nickname_framed(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        // (阿 + a kinship word is a form of address: 阿姨, 阿婆, 阿叔.)
        let pet = a == '小' || a == '阿' && !"姨婆公伯叔哥妹嫂爸妈姐弟爷奶舅".contains(b);
        if !(pet || a == b && given_char(a) && !cues::kin_doubled(a))
            || !given_char(b)
            || cues::nickname_is_a_word(a, b)
        {
            return;
        }
        let e = s + 2;
        if chars.get(e).is_some_and(|&c| given_char(c) && !self.words.starts_word(e)) || !self.words.starts_word(s) {
            return;
        }
        let word = self.words.at(s);
        if word.is_none_or(|t| t.end != e || ["v", "a", "d", "ad", "z", "m", "q"].iter().any(|f| t.tag.starts_with(f)))
        {
            return;
        }
        // A doubled time word (业务员天天打电话: 天天/t is "every day") is no pet name.
        if a == b && word.is_some_and(|t| t.tag.starts_with('t')) {
            return;
        }
        // 是 before a pet name jieba reads as a name, the clause ending at it (联系人是小雯）, 我们班
        // 的是小毛，): the copula names the person.
        let clause_ends = chars.get(e).is_some_and(|&c| matches!(c, '，' | ',' | '。' | '）' | ')' | '；' | ';'));
        let copula = pet
            && clause_ends
            && matches!(self.cue_before(s), Some(cues::Cue::Copula))
            && word.is_some_and(|t| t.tag.starts_with("nr"));
        let cue = copula || matches!(self.cue_before(s), Some(cues::Cue::Strong | cues::Cue::Role));
        let verb = self.verb_before(s) || self.verb_after(e);
        // With a verb alone, jieba must read a name there or no word at all (小红/nr, not 小声/n).
        let read_as_name = word.is_some_and(|t| t.tag.starts_with("nr") || !self.jieba.has_word(t.word));
        // A title after a pet name jieba reads as a name (小平同志) frames it as a verb does.
        let titled = pet && read_as_name && cues::title_at(chars, e).is_some();
        if cue && (verb || chars.get(e).is_none_or(|&c| !is_han(c) || follower(c)))
            || (verb || titled) && pet && read_as_name
        {
            self.push(4.5, s, e);
        }
    }
}

/// jieba tags of readings that are no given name: verbs, adjectives, adverbs, pronouns, numerals,
/// classifiers, conjunctions, prepositions, particles, time and direction words.
const NOT_GIVEN: [&str; 12] = ["v", "a", "d", "r", "m", "q", "c", "p", "u", "t", "f", "z"];

/// How much two characters must look like a given name (`Lexicon::given_score`, the sum of their
/// log-likelihood ratios as first and second character) to stand for a person without a surname:
/// 晓梅 7.0, 振华 6.1, 佳琪 5.0, 宏达 4.2 pass; 保健 3.2, 老板 2.4, 小区 1.3, 工资 −6.0 do not.
const GIVEN_ALONE: f32 = 3.5;

impl Scan<'_, '_> {
    /// A given name without its surname right after a word that introduces a person (员工晓梅代为
    /// 陈述, 儿子振华叫我, 负责人宏达（…）, 我是佳琪，): two characters that the name model rates as a
    /// given name (`GIVEN_ALONE`), read by jieba as one word that is no verb, adjective, function
    /// or time word, ending the clause or followed by a verb or a function word. The name model
    /// scores the characters rather than a list of names, so names never seen here are found.
    pub(super) fn given_alone(&mut self, s: usize) {
        let chars = self.chars;
        let e = s + 2;
        // Cheapest tests first: this runs on every character. 我是 introduces the speaker only when
        // the clause ends at the name (我是佳琪，); a title after a name jieba reads (海燕同志) frames it too.
        let cue = match self.cue_before(s) {
            Some(cues::Cue::Strong | cues::Cue::Role) => true,
            Some(cues::Cue::Copula) => {
                s >= 2
                    && chars[s - 2..s] == ['我', '是']
                    && chars.get(e).is_none_or(|&c| matches!(c, '，' | '。' | ','))
            }
            None => false,
        };
        let titled_after =
            || cues::title_at(chars, e).is_some() && self.words.at(s).is_some_and(|t| t.tag.starts_with("nr"));
        if !cue && !titled_after() {
            return;
        }
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        if !given_char(a) || !given_char(b) || matches!(a, '小' | '老' | '阿' | '大') || a == b {
            return;
        }
        let Some(word) = self.words.at(s).filter(|t| t.start == s && t.end == e) else { return };
        if NOT_GIVEN.iter().any(|f| word.tag.starts_with(f)) && !word.tag.starts_with("nr") {
            return;
        }
        if self.lex.given_score(&chars[s..e]) < GIVEN_ALONE {
            return;
        }
        let next_ok = chars.get(e).is_none_or(|&c| !is_han(c) && !c.is_ascii_alphanumeric() || follower(c))
            || self.words.at(e).is_some_and(|t| t.start == e && t.tag.starts_with('v'));
        // A surname's own candidate is the name model's to judge; a role or title word (老板, 师傅)
        // is no name.
        let titled = cues::cue_at(chars, s).is_some_and(|(_, end)| end >= e) || cues::title_at(chars, s).is_some();
        let place = self.lex.place_at(chars, s) >= 2;
        if next_ok && surname_len(self.lex, chars, s) == 0 && !titled && !place && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }
}

/// A party named by its act, a two-character verb + 人 (反映人, 诉求人, 被反映人, 写信人), right
/// before `s` (a colon or a space between): what follows names the party, as after 投诉人.
pub(super) fn agent_noun_before(words: &super::names::Words<'_>, chars: &[char], s: usize) -> Option<cues::Cue> {
    let mut e = s;
    while e > 0 && s - e < 2 && matches!(chars[e - 1], ' ' | ':' | '：') {
        e -= 1;
    }
    (e >= 3
        && chars[e - 1] == '人'
        && words.at(e - 3).is_some_and(|t| t.start == e - 3 && t.end == e - 1 && t.tag.starts_with('v')))
    .then_some(cues::Cue::Strong)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_quick_test_admits_every_verb_before_a_name() {
        for w in super::BEFORE {
            assert!(super::may_end_before(w.chars().last().unwrap()), "{w}");
        }
    }
}
