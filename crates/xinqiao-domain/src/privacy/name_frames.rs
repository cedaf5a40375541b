//! Names found by the frame around them rather than by their characters: a nickname after 叫他, 人称
//! or 外号 (大家叫他胖哥，) or right after a role before a verb (厨师大勇配合, 厨师老白说); a child by pet
//! or given name after 女儿, 儿子, 孩子 (女儿朵朵（, 儿子多多写的); a minority name written in
//! transcription syllables after a role or next to a name in a list (从业人员次旦、格桑, 见证人阿不来提);
//! and a second form of a person's name in brackets after the first (阿海（黄海）, 欣欣（孙欣然，5岁）).

use super::cues::{self, Cue};
use super::names::{Scan, THRESHOLD, follower, given_char, surname_len};
use super::text::{is_han, is_stop};

/// Parts of minority names (`name-parts.txt`): their characters are the syllables Uyghur, Tibetan,
/// Mongol and Yi names are written with.
const PARTS: &str = include_str!("../../data/privacy/name-parts.txt");

/// Of the transcription syllables, those seldom found in ordinary Chinese words: a run of syllables
/// holds one of them to be read as a name (次旦, 德吉, 萨仁; not 不来, 其他).
static RARE_SYLLABLES: super::charset::HanSet =
    super::charset::HanSet::new("吉旦桑帕尔哈塔逊娜依萨吐买努扎顿措嘎玛姆孜珍卓旺嘉娅丽提曲罗央珠坦迪莎姬曼艾热");

/// Whether `c` is a syllable of a transcribed minority name: a character of `name-parts.txt`, or one
/// the transliteration model rates likely (帕, 塔, 逊, 萨).
fn syllable(c: char) -> bool {
    static SET: std::sync::LazyLock<super::charset::HanSet> = std::sync::LazyLock::new(|| {
        let mut set = super::charset::HanSet::new("");
        let parts = PARTS.lines().filter(|l| !l.starts_with('#')).flat_map(str::chars).filter(|&c| is_han(c));
        for c in parts.chain(super::name_latin::likely_translit(3.0)) {
            set.insert(c);
        }
        set
    });
    SET.contains(c)
}

/// Where the real name starts after 本名, 真名, 大名 … at `at`, also after 网名，, 外号， or 昵称，
/// (钱多多（网名，真名钱学文）).
fn real_name_at(chars: &[char], at: usize) -> Option<usize> {
    let real = |k: usize| {
        ["本名", "真名", "大名", "全名", "原名", "实名"].iter().any(|w| super::names::starts_with_at(chars, k, w))
    };
    if real(at) {
        return Some(at + 2);
    }
    let nick = ["网名", "外号", "昵称", "绰号", "艺名"].iter().any(|w| super::names::starts_with_at(chars, at, w));
    (nick && matches!(chars.get(at + 2), Some('，' | ',' | '、')) && real(at + 3)).then_some(at + 5)
}

/// Peoples named with one character before 族 (藏族, 回族, 苗族 …).
const ONE_CHAR_PEOPLES: &str = "汉藏回蒙维壮苗彝满侗瑶白土哈傣黎佤畲水纳羌京";

/// Words for a child after which a pet or given name follows (女儿朵朵, 儿子多多).
const CHILD: [&str; 10] = ["女儿", "儿子", "孩子", "孙子", "孙女", "闺女", "外孙", "外孙女", "小女儿", "小儿子"];

/// Titles of familiarity a nickname ends with (胖哥, 倩姐, 鸡婆婶, 红薯爷).
fn familiar_end(c: char) -> bool {
    matches!(c, '哥' | '姐' | '婶' | '爷' | '嫂' | '叔' | '妹')
}

/// jieba tags of readings that are no name: verbs, adjectives, adverbs, pronouns, prepositions,
/// conjunctions, particles, directions, time words (过来/t), numerals and classifiers.
const NOT_NAME_TAGS: [&str; 12] = ["v", "a", "d", "r", "p", "c", "u", "f", "y", "t", "m", "q"];

impl Scan<'_, '_> {
    fn tag_is(&self, s: usize, e: usize, heads: &[&str]) -> bool {
        self.words.at(s).is_some_and(|t| t.start == s && t.end == e && heads.iter().any(|h| t.tag.starts_with(h)))
    }

    /// Whether a clause or a person's predicate may start at `e`: the end, punctuation, a function
    /// word or verb of `follower`, or a verb jieba reads there (配合, 接听).
    fn predicate_at(&self, e: usize) -> bool {
        self.chars.get(e).is_none_or(|&c| !is_han(c) && !c.is_ascii_alphanumeric() || follower(c))
            || self.words.at(e).is_some_and(|t| t.start == e && t.tag.starts_with('v'))
    }

    /// A nickname named by 叫他, 叫她, 人称, 外号 or 绰号, the clause ending at it (大家叫他胖哥，,
    /// 都叫她倩姐。, 人称红薯爷): two to four name characters, no verb, pronoun or title (叫他回来,
    /// 叫她阿姨).
    pub(super) fn called_nickname(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 || !matches!(chars[s - 1], '他' | '她' | '称' | '号' | '叫' | '“' | '"' | '「') {
            return;
        }
        // An opening quote after the frame (人称“老疤”, 外号“钟大头”).
        let f = if matches!(chars[s - 1], '“' | '"' | '「') { s - 1 } else { s };
        if f < 2 {
            return;
        }
        let frame = [['叫', '他'], ['叫', '她'], ['喊', '他'], ['喊', '她'], ['人', '称'], ['外', '号'], ['绰', '号']];
        // (A quote after 叫她 may hold what she was called once, an insult: 叫她“瓜女子”; after 人称 or
        // 外号 it is how people call the person.)
        // (…nor after 大家叫他 or 都叫他, what everyone calls the person: 大家都叫他“票爷”.)
        let habitual = f >= 3 && matches!(chars[f - 3], '都' | '家');
        let framed = frame.contains(&[chars[f - 2], chars[f - 1]])
            && (f == s || matches!(chars[f - 1], '称' | '号') || habitual);
        // 叫 alone after a role (场控叫二虎，, 团长叫宁宁，), or in 一个叫二毛的人.
        let one_called = chars[f - 1] == '叫' && f >= 3 && chars[f - 2] == '个' && matches!(chars[f - 3], '一' | '有');
        let role_called = chars[f - 1] == '叫' && cues::role_word_before(chars, f - 1);
        if !framed && !one_called && !role_called {
            return;
        }
        let Some(len) = (2..=4).take_while(|&n| s + n <= chars.len()).find(|&n| {
            if one_called {
                // (…or 一个叫强子的，: the clause ends after 的.)
                // (Four characters there are a screen name's more often: 有个叫北城以北的.)
                return chars.get(s + n) == Some(&'的')
                    && chars.get(s + n + 1).is_none_or(|&c| c == '人' || n <= 3 && matches!(c, '，' | '。' | ','));
            }
            chars.get(s + n).is_none_or(|&c| {
                matches!(c, '，' | '。' | '！' | '；' | '）' | ')' | '、' | ',' | '\n' | '”' | '"' | '」')
            })
        }) else {
            return;
        };
        let e = s + len;
        if !chars[s..e].iter().all(|&c| given_char(c)) || is_stop(chars[s]) {
            return;
        }
        // (No verb or function word inside after the first character: 叫他过来拿货.)
        let inner_verb = (s + 1..e).any(|k| {
            self.words
                .at(k)
                .is_some_and(|t| t.start == k && ["v", "d", "p", "u", "r", "c"].iter().any(|h| t.tag.starts_with(h)))
        });
        if inner_verb {
            return;
        }
        // (An adjective of one character may start a nickname: 瘦/a 猴.)
        let verbal = self.words.at(s).is_some_and(|t| {
            t.start == s
                && NOT_NAME_TAGS.iter().any(|h| t.tag.starts_with(h))
                && (t.end >= e || !t.tag.starts_with('a'))
        });
        let title =
            cues::title_at(chars, s).is_some_and(|n| n >= len) || cues::cue_at(chars, s).is_some_and(|c| c.1 >= e);
        if !verbal && !title && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A surname with a familiar title opening the text or a line as a vocative (关姐，上回你说…):
    /// the text speaks to one person.
    pub(super) fn vocative(&mut self, s: usize) {
        let chars = self.chars;
        if s > 0 && chars[s - 1] != '\n' {
            return;
        }
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        let likely = cues::common_surname(a) || super::lexicon::known_surname(a);
        if likely
            && familiar_end(b)
            && chars.get(s + 2).is_some_and(|&c| matches!(c, '，' | ',' | '！' | '!' | '：' | ':'))
            && !self.blocked(s, s + 2)
        {
            self.push(4.5, s, s + 2);
        }
    }

    /// A nickname on 大 or 老 right after a role, before the person's predicate (厨师大勇配合, 厨师老白说):
    /// jieba reads a name there. Not an adverb or adjective (大多, 老是).
    pub(super) fn role_nickname(&mut self, s: usize) {
        let chars = self.chars;
        let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1)) else { return };
        if !matches!(a, '大' | '老' | '小') || !given_char(b) {
            return;
        }
        if !matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong)) || !cues::role_word_before(chars, s) {
            return;
        }
        let e = s + 2;
        // A speech or action verb's head, or a list's mark, right after (服务员小黄把…, 司机大军、…).
        let acts = chars.get(e).is_some_and(|&c| "说讲把被让给叫告、".contains(c))
            // (…or a verb jieba reads there after 小 + a common surname: 会籍顾问小毛加我.)
            || a == '小' && self.words.at(e).is_some_and(|t| t.start == e && t.tag == "v");
        // jieba reads a name; or a rare noun (私教大熊退了, 司机大军、): not a frequent one (员工大会).
        let noun = self.words.at(s).is_some_and(|t| {
            t.start == s && t.end == e && matches!(t.tag, "n" | "nz" | "ng") && self.rare_word(t.word)
        });
        // 小 + a common surname the cue list calls a word (小黄) where a verb follows.
        let surname = a == '小' && cues::common_surname(b) && acts && self.words.starts_word(e);
        let read = if a == '小' { surname } else { self.tag_is(s, e, &["nr"]) || noun && acts };
        if read && self.predicate_at(e) && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A child's pet or given name right after 女儿, 儿子, 孩子 … (女儿朵朵（大名…）, 儿子多多写的,
    /// 女儿若曦刚满18岁): a doubled character whatever jieba reads it as (朵朵/q, 多多/m) but a time
    /// word or an adverb (天天, 常常), or two characters jieba reads as a name; before the
    /// predicate or punctuation.
    pub(super) fn child_name(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 || !matches!(chars[s - 1], '儿' | '子' | '女') {
            return;
        }
        let after_child = CHILD.iter().any(|w| {
            let n = w.chars().count();
            s >= n && chars[s - n..s].iter().copied().eq(w.chars())
        });
        let e = s + 2;
        if !after_child || e > chars.len() || !given_char(chars[s]) || !given_char(chars[s + 1]) {
            return;
        }
        let (a, b) = (chars[s], chars[s + 1]);
        let doubled = a == b && !cues::kin_doubled(a) && !self.tag_is(s, e, &["t", "d", "v", "r"]);
        let named = a != b && self.tag_is(s, e, &["nr"]) && surname_len(self.lex, chars, s) == 0;
        if (doubled || named) && self.predicate_at(e) && cues::cue_at(chars, s).is_none() && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A minority name in transcription syllables (次旦, 德吉, 帕尔哈提, 阿不来提, 吐逊娜依, 萨日娜): two to
    /// five syllables (`syllable`), one of them seldom found in ordinary words, right after a role or
    /// a form word, or after 、 or 和 following a name; ending before the predicate or punctuation.
    /// Not where jieba reads a function word or a verb at its start (不来, 提出).
    pub(super) fn minority_syllables(&mut self, s: usize) {
        let chars = self.chars;
        if !syllable(chars[s]) || s == 0 {
            return;
        }
        let cued = matches!(self.cue_before(s), Some(Cue::Role | Cue::Strong));
        // (A title after the run frames it too: 请次旦同志核实.)
        let titled = || {
            let mut e = s;
            while e < chars.len() && e - s < 5 && syllable(chars[e]) {
                e += 1;
            }
            e >= s + 2 && cues::title_at(chars, e).is_some_and(|n| n >= 2)
        };
        let cued = cued || titled();
        let listed = matches!(chars[s - 1], '、' | '和') && self.cands.iter().any(|c| c.0 >= THRESHOLD && c.2 + 1 == s);
        if !cued && (!listed || syllable(chars[s - 1])) {
            return;
        }
        let mut e = s;
        while e < chars.len() && e - s < 5 && syllable(chars[e]) {
            // (A function word jieba reads after two syllables ends the run: 索朗多吉|不给.)
            let function = self
                .words
                .at(e)
                .is_some_and(|t| t.start == e && ["d", "p", "c", "u", "r"].iter().any(|h| t.tag.starts_with(h)));
            if e >= s + 2 && function {
                break;
            }
            e += 1;
        }
        if e - s < 2 || !chars[s..e].iter().any(|&c| RARE_SYLLABLES.contains(c)) {
            return;
        }
        // (A syllable run that goes on is no name of these: 阿拉伯数字.)
        if chars.get(e).is_some_and(|&c| is_han(c)) && !self.predicate_at(e) && !self.words.starts_word(e) {
            return;
        }
        let first = self.words.at(s).filter(|t| t.start == s);
        // (A dictionary word of two characters or more there is a name or a place jieba knows, 格桑/nr,
        // 德吉/ns, or no name at all: 珠宝/nz, 努力/ad.)
        let ordinary = |t: &jieba_rs::Tag<'_>| {
            t.end - t.start >= 2
                && !["nr", "ns", "t", "x"].iter().any(|h| t.tag.starts_with(h))
                && self.jieba.has_word(t.word)
        };
        if first.is_some_and(|t| {
            ["d", "p", "c", "u", "r", "m", "q", "a"].iter().any(|h| t.tag.starts_with(h)) || ordinary(t)
        }) {
            return;
        }
        if self.lex.place_at(chars, s) >= 2 || self.lex.brand_at(chars, s) >= 2 || self.blocked(s, e) {
            return;
        }
        // (Longer than the parts the table knows, it wins over them: 阿不都拉提 over 阿不都.)
        let parts_end = self.parts_from(s);
        self.push(if parts_end > s && e > parts_end { 5.5 } else { 4.5 }, s, e);
    }

    /// A name written on a paper, the clause ending at it (营业执照上写的是黎国柱。, 工号牌上写的蔡鹏程，,
    /// 汉字名字被登记为吐逊娜依，): a surname and one or two name characters, or a run of minority
    /// syllables, after 写的(是), 登记为, 登记的是, 签的是 or 署名是. Not a dictionary word that is no name.
    pub(super) fn written_name(&mut self, s: usize) {
        let chars = self.chars;
        if s < 3 || !matches!(chars[s - 1], '的' | '是' | '为') {
            return;
        }
        let frames = ["写的是", "写的", "登记为", "登记的是", "签的是", "署名是", "签名是", "写着"];
        if !frames.iter().any(|w| {
            let n = w.chars().count();
            s >= n && chars[s - n..s].iter().copied().eq(w.chars())
        }) {
            return;
        }
        let clause_ends = |e: usize| {
            chars
                .get(e)
                .is_none_or(|&c| matches!(c, '，' | '。' | '；' | '、' | ',' | '\n' | '（' | '(' | '”' | '"' | ' '))
        };
        let sl = match surname_len(self.lex, chars, s) {
            0 if is_han(chars[s]) && super::lexicon::known_surname(chars[s]) => 1,
            n => n,
        };
        let run = (s..(s + 5).min(chars.len())).take_while(|&k| syllable(chars[k])).count();
        let e = if run >= 2 && clause_ends(s + run) && chars[s..s + run].iter().any(|&c| RARE_SYLLABLES.contains(c)) {
            s + run
        } else if sl > 0 {
            match (s + sl + 1..=(s + sl + 2).min(chars.len())).find(|&e| clause_ends(e)) {
                Some(e) if chars[s + sl..e].iter().all(|&c| given_char(c)) => e,
                _ => return,
            }
        } else {
            return;
        };
        let word = self.words.at(s).filter(|t| t.start == s && t.end == e);
        let ordinary = word.is_some_and(|t| !t.tag.starts_with("nr") && self.jieba.has_word(t.word));
        if !ordinary && !self.blocked(s, e) {
            self.push(4.5, s, e);
        }
    }

    /// A name after a one-character kin word in a list of the family (…之妻许林氏、子许国华、女许国英):
    /// 子, 女, 妻, 夫, 孙 right after 、 or a colon, then a surname and two name characters ending at
    /// 、, a comma or a full stop.
    pub(super) fn kin_listed(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2
            || !matches!(chars[s - 1], '子' | '女' | '妻' | '夫' | '孙')
            || !matches!(chars[s - 2], '、' | '：' | ':')
        {
            return;
        }
        let sl = surname_len(self.lex, chars, s);
        let e = s + sl + 2;
        if sl == 0 || e > chars.len() || !chars[s + sl..e].iter().all(|&c| given_char(c)) {
            return;
        }
        if chars.get(e).is_none_or(|&c| matches!(c, '、' | '，' | '。' | ',' | '；' | '\n')) && !self.blocked(s, e)
        {
            self.push(4.5, s, e);
        }
    }

    /// A compound surname standing alone after 自称, 人称, 姓 or 叫, the clause ending at it (来电者自称夏侯，).
    pub(super) fn compound_surname_alone(&mut self, s: usize) {
        let chars = self.chars;
        if s < 2 || !matches!(chars[s - 1], '称' | '姓' | '叫') || surname_len(self.lex, chars, s) != 2 {
            return;
        }
        let e = s + 2;
        let ends = chars.get(e).is_none_or(|&c| matches!(c, '，' | '。' | '；' | ',' | '、' | '\n' | ' ' | '（' | '('));
        if ends && !self.blocked(s, e) {
            self.push(5.0, s, e);
        }
    }

    /// A person's people in brackets after the name (负责人：岩温（傣族）, 教练员斯琴（蒙古族，女）), or the
    /// real name (队长黑子（本名…）): two to four Han characters back to a cue or punctuation before a
    /// bracket that opens with a people's name on 族 or with 本名, 真名, 大名 ….
    pub(super) fn ethnic_bracket(&mut self, open: usize) {
        let chars = self.chars;
        // (…or with 本名, 真名, 大名 …: the name before the bracket is what people call the person,
        // 黑子（本名贺黑虎）.)
        let real_name = real_name_at(chars, open + 1).is_some();
        let people = (open + 2..=open + 4).find(|&k| chars.get(k) == Some(&'族')).is_some_and(|zu| {
            chars[open + 1..zu].iter().all(|&c| is_han(c))
                && (matches!(chars.get(zu + 1), Some('）' | ')' | '，' | ',' | '、'))
                    // (…or one of the peoples of one character before what the person is: 巴桑（藏族学生，.)
                    || zu == open + 2 && ONE_CHAR_PEOPLES.contains(chars[open + 1]))
        });
        // A party's bracket at the text's or a line's start: its agent or its sex first (于桂兰（代理人：…）,
        // 某某（女，…）); the name then starts with a surname.
        let party = ["代理人", "委托代理", "法定代理"].iter().any(|w| super::names::starts_with_at(chars, open + 1, w))
            || matches!(chars.get(open + 1), Some('男' | '女')) && matches!(chars.get(open + 2), Some('，' | ','));
        if !people && !real_name && !party {
            return;
        }
        let mut s = open;
        while s > 0 && open - s < 5 && given_char(chars[s - 1]) && self.cue_before(s).is_none() {
            s -= 1;
        }
        // (A party's surname jieba reads as a function word, at a line's start: 于|桂兰（代理人….)
        if (party && s == 1 || party && s >= 2 && chars[s - 2] == '\n') && super::lexicon::known_surname(chars[s - 1]) {
            s -= 1;
        }
        let bounded = self.cue_before(s).is_some() || s == 0 || !is_han(chars[s - 1]);
        if !bounded || !(2..=4).contains(&(open - s)) || self.blocked(s, open) {
            return;
        }
        if party && !people && !real_name && (s > 0 && chars[s - 1] != '\n' || !super::lexicon::known_surname(chars[s]))
        {
            return;
        }
        self.push(4.5, s, open);
    }

    /// A second form of a person's name in brackets right after the first (阿海（黄海）, 欣欣（孙欣然，
    /// 5岁）, Dr. Park（朴志勋，韩国籍）): a surname and one or two name characters filling the bracket
    /// or ending at a comma. Asked once the candidates are in.
    pub(super) fn bracketed_again(&self) -> Vec<(f32, usize, usize)> {
        let chars = self.chars;
        let mut out = Vec::new();
        for &(score, _, e) in &self.cands {
            if score < THRESHOLD || !matches!(chars.get(e), Some('（' | '(')) {
                continue;
            }
            // (After 本名, 真名 … and a colon if any: 黑子（本名贺黑虎）.)
            let mut s = e + 1;
            if let Some(after) = real_name_at(chars, s) {
                s = after;
                if matches!(chars.get(s), Some('：' | ':' | '是' | '叫')) {
                    s += 1;
                }
            }
            let sl = match surname_len(self.lex, chars, s) {
                0 if chars.get(s).is_some_and(|&c| is_han(c) && super::lexicon::known_surname(c)) => 1,
                n => n,
            };
            if sl == 0 {
                continue;
            }
            let Some(end) = (s + sl + 1..=s + sl + 2).find(|&k| {
                chars.get(k).is_some_and(|&c| matches!(c, '）' | ')' | '，' | ','))
                    && chars[s + sl..k].iter().all(|&g| given_char(g))
            }) else {
                continue;
            };
            // (A people or a nationality in brackets is none: 王维山（蒙古族）, 朴志勋（韩国籍）.)
            if matches!(chars[end - 1], '族' | '籍' | '人') {
                continue;
            }
            // (Nor a noun after a surname's character: 蔡国梁（盖手印）, 手印/n; 孙欣然 stays.)
            let given: String = chars[s + sl..end].iter().collect();
            if end - (s + sl) == 2
                && self.jieba.has_word(&given)
                && !self.lex.common_nr_word(chars[s + sl], chars[s + sl + 1])
            {
                let reading = self.words.at(s + sl).filter(|t| t.start == s + sl && t.end == end);
                if reading.is_some_and(|t| t.tag.starts_with('n') && !t.tag.starts_with("nr")) {
                    continue;
                }
            }
            if !self.cands.iter().any(|c| c.1 < end && s < c.2) && !self.blocked(s, end) {
                out.push((THRESHOLD + 1.0, s, end));
            }
        }
        out
    }
}
