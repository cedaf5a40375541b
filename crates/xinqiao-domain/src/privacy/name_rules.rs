//! The rules of `names` that do not score: surnames with titles and nicknames (赵经理, 小刘),
//! what follows a cue (姓X, minority and foreign names, pet names), names written with `·`, and
//! Latin-letter names (Lisa, Tony).

use super::cues::{self, Cue};
use super::names::{Scan, follower, given_char, surname_len};
use super::text::{is_han, is_stop};

/// Characters of names transliterated from other languages (约翰逊, 史密斯, 詹姆斯, 安娜 …).
const TRANSLITERATION: &str = "阿埃艾爱安奥巴拜班邦保贝本比彼毕宾波伯布查达黛戴丹道德迪蒂丁杜多厄恩尔法菲费芬弗\
福盖甘戈格古哈海汉豪赫亨胡霍基吉加贾杰金卡凯坎康考科克肯库拉莱兰劳勒雷蕾里利莉丽林琳隆卢鲁路伦罗洛玛迈麦曼\
梅门米密敏莫默姆穆纳娜南内尼妮宁努诺欧帕潘佩皮普奇齐乔琴萨塞桑瑟森沙莎尚什史舒斯松苏索塔泰坦汤唐特滕提汀托\
瓦威韦维温沃乌伍西希锡夏谢辛休雅亚扬伊依因英尤约泽扎詹珍朱兹佐逊翰琼茨丝露薇妮娅顿略夫科姆";

/// Of those, the characters seldom found outside transliterated names.
const TRANSLITERATION_ONLY: &str = "逊翰斯姆尔娜莎妮蒂丝薇娅詹茨琼瑟滕汀努诺佩奇兹佐埃弗赫贾迪莉琳蕾黛顿略";

impl Scan<'_, '_> {
    /// Whether a one-character title (总, 局, 科, 姐) ends a word at `at` (周局。, 蔡总发, not 处理).
    pub(super) fn title_ends(&self, at: usize) -> bool {
        // Also where jieba's model guessed a word over the title and what follows (潘总当/nr 面谈):
        // no dictionary reading runs on.
        self.words.starts_word(at)
            || self.chars.get(at).is_none_or(|&c| !is_han(c) || follower(c))
            || self.splits_at(at)
    }

    /// A surname and a one-character title (许科, 丁总): a common surname, not an ordinary word
    /// together (全局, 大局, 高科), and the title ends a word.
    pub(super) fn single_title_ok(&self, s: usize, sl: usize) -> bool {
        let pair: String = self.chars[s..s + sl + 1].iter().collect();
        // A dictionary word unless jieba reads a name there (柳姐/nr, not 全局).
        let word = self.jieba.has_word(&pair)
            && !self.words.at(s).is_some_and(|t| t.start == s && t.end == s + sl + 1 && t.tag.starts_with("nr"));
        let not_a_title = sl == 1 && cues::nickname_is_a_word(self.chars[s], self.chars[s + 1]);
        (sl == 2 || self.nickname_surname(s, s, s + sl + 1)) && !word && !not_a_title && self.title_ends(s + sl + 1)
    }

    /// Whether a name begins at `at` (回访时店长|小陈): a nickname on a common surname, or a word
    /// jieba reads as a name.
    pub(super) fn name_follows(&self, at: usize) -> bool {
        let nickname = self.chars.get(at).is_some_and(|&c| matches!(c, '小' | '老' | '阿'))
            && self.chars.get(at + 1).is_some_and(|&c| cues::common_surname(c));
        nickname || self.words.at(at).is_some_and(|t| t.start == at && t.tag.starts_with("nr"))
    }

    /// A surname with a title right after (赵经理, 钟女士), and a nickname (小刘, 老李): the span
    /// holds the title, since the surname alone then points at the person.
    /// A surname with 老 and a birth rank (马老五, 韦老二, 唐老三): how a village calls one person.
    /// Only a common surname or one the model rates likely, starting a word; not before a numeral,
    /// a measure or an age (王老五十岁).
    pub(super) fn rank_nickname(&mut self, s: usize) {
        let chars = self.chars;
        if chars.get(s + 1) != Some(&'老')
            || !chars.get(s + 2).is_some_and(|c| "二三四五六七八九".contains(*c))
            || surname_len(self.lex, chars, s) != 1
            || chars.get(s + 3).is_some_and(|&c| "十百千万号岁年个块元".contains(c) || c.is_ascii_digit())
        {
            return;
        }
        let likely = cues::common_surname(chars[s]) || self.lex.scores(chars[s]).surname >= 1.5;
        if likely && (self.words.starts_word(s) || self.cue_before(s).is_some()) {
            self.push(5.0, s, s + 3);
        }
    }

    pub(super) fn titled(&mut self, s: usize) {
        let (chars, words) = (self.chars, self.words);
        let mut sl = surname_len(self.lex, chars, s);
        // A surname that starts common words (郁闷, 皮鞋) with a title of two characters or more
        // (郁经理, 皮女士), where jieba reads it as a word of its own (not 班主任, a word).
        if sl == 0
            && words.at(s).is_some_and(|t| t.start == s && t.end == s + 1)
            && self.lex.cued_surname(chars[s])
            && cues::title_at(chars, s + 1).is_some_and(|t| t > 1)
        {
            sl = 1;
        }
        // 和, 向, 于 standing as a conjunction or a preposition (…和委员们, 向总统) are no surname.
        // After 的 or a classifier (讲课的于教授, 那位向经理) a noun phrase starts: no preposition
        // stands there, so a surname with a title of two characters or more is a person.
        let noun_slot =
            s > 0 && matches!(chars[s - 1], '的' | '位' | '个') && cues::title_at(chars, s + sl).is_some_and(|t| t > 1);
        let function_word = sl == 1
            && !noun_slot
            && words
                .at(s)
                .is_some_and(|t| t.start == s && t.end == s + 1 && (t.tag.starts_with('c') || t.tag.starts_with('p')));
        if sl > 0
            && !function_word
            && let Some(t) = cues::title_at(chars, s + sl)
            && (s == 0
                || !is_han(chars[s - 1])
                || is_stop(chars[s - 1])
                || t > 1 && words.starts_word(s) && (cues::common_surname(chars[s]) || !self.name_follows(s + sl + t))
                || noun_slot
                // jieba's model glued the character before onto the surname (回去问葛|经理, 育儿嫂梁|阿姨,
                // 我们组牛|大爷): a title of two characters after a likely surname stands.
                || t > 1 && self.glued_start(s) && self.nickname_surname(s, s, s + sl + t)
                // 楼下|刘哥, 楼上|张姨: a familiar title on a common surname that jieba starts a word with.
                || t == 1 && words.starts_word(s) && self.nickname_surname(s, s, s + sl + 1)
                || self.cue_before(s).is_some())
            && (t > 1 || self.single_title_ok(s, sl))
        {
            self.push(6.0, s, s + sl + t);
        }
        // 阿 + a given name's character that jieba reads as a name of its own (阿强, 阿海 …),
        // followed by a verb, a particle or the clause's end (店里打工的阿强说的, 阿强（卖家）说): a
        // nickname, cue or not. Not kin words (阿姨, 阿婆).
        if chars[s] == '阿'
            && chars.get(s + 1).is_some_and(|&c| given_char(c) && !"姨婆公爷哥姐妹嫂叔伯妈爸".contains(c))
            && words.at(s).is_some_and(|t| t.start == s && t.end == s + 2 && t.tag.starts_with("nr"))
            && chars.get(s + 2).is_none_or(|&c| !is_han(c) || follower(c))
        {
            self.push(4.5, s, s + 2);
        }
        // 阿 + a surname too (阿袁, 阿陈), where jieba reads no ordinary word there (阿胶).
        let a_word =
            chars[s] == '阿' && words.at(s).is_some_and(|t| t.start == s && t.end == s + 2 && !t.tag.starts_with("nr"));
        if (matches!(chars[s], '小' | '老') || chars[s] == '阿' && !a_word)
            && chars.len() > s + 1
            // After a role a less common surname will do too (婚车司机老邝).
            && (self.nickname_surname(s + 1, s, s + 2)
                || cues::role_word_before(chars, s) && self.lex.scores(chars[s + 1]).surname >= 1.5)
            // jieba may read a role and 老 as one word (厨师|长老|郭): the role vouches for the nickname.
            && (words.starts_word(s)
                || cues::role_word_before(chars, s)
                || words.at(s).is_some_and(|t| t.end == s + 1 && !self.jieba.has_word(t.word))
                // (or glued by its model's guess onto the word before: 二手车商|老钱 read 商老钱.)
                || self.glued_start(s))
            && !cues::nickname_is_a_word(chars[s], chars[s + 1])
            && !(chars[s] == '老' && self.adverb_lao(s))
            // (jieba's model may run the surname into the next word: 小|韩拉着.)
            && (words.ends_word(s + 2) && words.at(s + 1).is_some_and(|t| t.end == s + 2)
                || chars.get(s + 2).is_none_or(|&c| !is_han(c) || follower(c))
                || words.at(s + 1).is_some_and(|t| t.start == s + 1) && self.splits_at(s + 2))
            && !chars.get(s + 2).is_some_and(|&c| {
                cues::title_at(chars, s + 2).is_none() && given_char(c) && !follower(c) && !self.splits_at(s + 2)
            })
        {
            self.push(5.0, s, s + 2);
        }
        // After a role, jieba's model may read 小 + a surname and the next word's first character
        // as one name it never saw (销售员|小凌开|得飞快): a 小-name holds two characters, so the
        // nickname is 小凌 and 开 starts the verb.
        if matches!(chars[s], '小' | '老')
            && chars.len() > s + 2
            && cues::role_word_before(chars, s)
            && self.nickname_surname(s + 1, s, s + 2)
            && !cues::nickname_is_a_word(chars[s], chars[s + 1])
            && words.at(s).is_some_and(|t| {
                t.start == s && t.end == s + 3 && t.tag.starts_with("nr") && !self.jieba.has_word(t.word)
            })
            && !self.jieba.has_word(&chars[s..s + 2].iter().collect::<String>())
        {
            self.push(4.5, s, s + 2);
        }
        // 老李头, 老王头: an old man by his surname, the whole nickname one span.
        if chars[s] == '老'
            && chars.len() > s + 1
            && self.nickname_surname(s + 1, s, s + 3)
            && chars.get(s + 2) == Some(&'头')
            && words.starts_word(s)
            && !chars.get(s + 3).is_some_and(|&c| given_char(c) && !follower(c) && !words.starts_word(s + 3))
        {
            self.push(5.5, s, s + 3);
        }
    }

    /// 老 as "very" before an adjective or a verb that starts with a surname's character (服务老|周到
    /// 了, 价格老高了): the surname starts a dictionary verb or adjective that runs past it, or it is
    /// an adjective on its own before 了 or 啦.
    fn adverb_lao(&self, s: usize) -> bool {
        let runs_on = self.words.at(s + 1).is_some_and(|t| {
            t.start == s + 1
                && t.end > s + 2
                && (t.tag.starts_with('v') || t.tag.starts_with('a'))
                && self.jieba.has_word(t.word)
        });
        runs_on
            || s > 0
                && is_han(self.chars[s - 1])
                && matches!(self.chars.get(s + 2), Some('了' | '啦'))
                && self.jieba.tag(&self.chars[s + 1].to_string(), false).first().is_some_and(|t| t.tag == "a")
    }

    /// After a word that introduces a name: minority names, foreign names, a bare surname after 姓.
    pub(super) fn after_cue(&mut self, at: usize) {
        let chars = self.chars;
        let Some((cue, end)) = cues::cue_at(chars, at) else { return };
        let mut s = end;
        while matches!(chars.get(s), Some(' ' | ':' | '：' | '是' | '叫' | '为')) {
            s += 1;
        }
        // A cue ending the text (…他不肯说他姓) names no one.
        if s >= chars.len() {
            return;
        }
        if chars[at] == '姓' && end == at + 1 {
            // 姓 as a word of its own (我姓钟), not inside one (百姓, 贵姓), nor denied (根本不姓杨:
            // no one is named by it).
            // (免贵姓喻 is the polite form of 我姓喻.)
            let polite = at >= 2 && chars[at - 2] == '免' && chars[at - 1] == '贵';
            if at > 0
                && !polite
                && matches!(chars[at - 1], '百' | '贵' | '同' | '复' | '改' | '单' | '双' | '大' | '不')
            {
                return;
            }
            // A surname that also starts common words (姓皮, 姓海) is one here.
            let sl = match surname_len(self.lex, chars, s) {
                0 if self.lex.cued_surname(chars[s]) => 1,
                sl => sl,
            };
            if sl > 0 && !self.blocked(s, s + sl) {
                self.cands.push((5.0, s, s + sl));
            }
            return;
        }
        // A surname the speaker half remembers (叫邓什么的, 姓魏什么): the surname is the name.
        let sl = surname_len(self.lex, chars, s);
        if sl > 0
            && matches!(chars[end - 1], '叫' | '姓')
            && ["什么", "啥", "某某"].iter().any(|w| super::names::starts_with_at(chars, s + sl, w))
            && !self.blocked(s, s + sl)
        {
            self.cands.push((5.0, s, s + sl));
        }
        let p = self.parts_from(s);
        if p > s + 1 {
            self.push(5.0, s, p);
        }
        // 小 + a minority name's part (介绍人小扎西): a nickname.
        if chars.get(s) == Some(&'小') && self.lex.part_at(chars, s + 1) >= 2 {
            let p = self.parts_from(s + 1);
            self.push(5.0, s, p);
        }
        let latin = latin_name(chars, s);
        if latin > s + 1 && cue == Cue::Role || latin > s + 2 {
            self.push(4.0, s, latin);
        }
        // A compound surname alone (店长欧阳).
        if surname_len(self.lex, chars, s) == 2 && !chars.get(s + 2).is_some_and(|&c| given_char(c)) {
            self.push(5.0, s, s + 2);
        }
        // 阿 before an elder's kinship character is a form of address, no nickname (保洁阿姨, 阿婆; 阿妹
        // and 阿弟 may name one person).
        let address = chars[s] == '阿' && chars.get(s + 1).is_some_and(|&c| "姨婆公伯叔嫂爸妈爷奶舅".contains(c));
        // Nicknames and pet names: 小美, 阿强, 甜甜, 乐乐 — after a cue, at a word's end.
        if let (Some(&a), Some(&b)) = (chars.get(s), chars.get(s + 1))
            && !address
            && given_char(b)
            && !chars.get(s + 2).is_some_and(|&c| given_char(c) && !self.words.starts_word(s + 2))
            && (matches!(a, '小' | '阿') || a == b && !cues::kin_doubled(a))
            && (!self.ordinary_at(s) || a == b && self.doubled_name_word(s))
            && !cues::nickname_is_a_word(a, b)
        {
            self.push(4.5, s, s + 2);
        }
        // 阿 + a character: a nickname (阿龙, 阿杰).
        if chars[s..].first() == Some(&'阿')
            && !address
            && chars.get(s + 1).is_some_and(|&c| given_char(c))
            && self.words.at(s).is_some_and(|t| t.start == s && (t.end == s + 2 || t.end == s + 1))
            && !self
                .words
                .at(s)
                .is_some_and(|t| t.end == s + 2 && !t.tag.starts_with("nr") && self.jieba.has_word(t.word))
        {
            self.push(4.0, s, s + 2);
        }
    }

    /// The end of a run of minority-name parts from `s` (two parts, or one part that follows a cue
    /// or precedes a title), or `s`.
    pub(super) fn parts_from(&self, s: usize) -> usize {
        let mut e = s;
        let mut n = 0;
        while let l @ 1.. = self.lex.part_at(self.chars, e) {
            e += l;
            n += 1;
            if matches!(self.chars.get(e), Some('·' | '•')) {
                e += 1;
            }
        }
        if n >= 1 { e } else { s }
    }

    /// Foreign and minority names written with `·` between their parts.
    pub(super) fn dotted(&mut self, dot: usize) {
        let chars = self.chars;
        let name_char = |c: char| is_han(c) && !is_stop(c);
        if dot == 0 || !chars.get(dot + 1).is_some_and(|&c| name_char(c)) || !name_char(chars[dot - 1]) {
            return;
        }
        // Leftwards: the words just before the dot that are not ordinary words, four characters at most.
        let mut s = dot;
        while s > 0 && dot - s < 6 && name_char(chars[s - 1]) {
            let t = self.words.at(s - 1);
            let ordinary =
                t.is_some_and(|t| t.end - t.start >= 2 && !t.tag.starts_with("nr") && self.jieba.has_word(t.word));
            if ordinary && dot - s >= 2 || self.cue_before(s).is_some() {
                break;
            }
            s -= 1;
        }
        // Rightwards: parts of names where they are known (艾买提), else name characters up to a
        // title, an ordinary word or a word such as 也, 说.
        let mut e = self.parts_from(dot + 1);
        if e < dot + 3 {
            e = dot + 1;
            while e < chars.len() && e - dot <= 8 && (name_char(chars[e]) || matches!(chars[e], '·' | '•')) {
                let stop = cues::title_at(chars, e).is_some()
                    || self.words.starts_word(e) && self.ordinary_at(e)
                    || follower(chars[e]);
                if e > dot + 2 && stop {
                    break;
                }
                e += 1;
            }
        }
        // The dot is strong evidence: the whole name wins over any part of it scored alone.
        if dot - s >= 2 || (dot - s >= 1 && e - dot >= 3) {
            self.push(12.0, s, e);
        }
    }

    /// A foreign name written in Chinese without `·` (外教约翰逊, 经理史密斯说): three to seven
    /// characters of transliteration, two of them seldom found elsewhere (or one, after a cue or
    /// before a title), ending before an ordinary word, and something around that says person.
    pub(super) fn transliterated(&mut self, s: usize) {
        let chars = self.chars;
        static SET: super::charset::HanSet = super::charset::HanSet::new(TRANSLITERATION);
        static ONLY: super::charset::HanSet = super::charset::HanSet::new(TRANSLITERATION_ONLY);
        let in_set = |c: char| SET.contains(c);
        if !in_set(chars[s]) || s > 0 && in_set(chars[s - 1]) && self.cue_before(s).is_none() {
            return;
        }
        let mut e = s;
        while e < chars.len() && e - s < 7 && in_set(chars[e]) {
            // An ordinary word starting inside the run ends it (约翰逊|马上).
            if e > s && self.words.starts_word(e) && self.ordinary_at(e) {
                break;
            }
            e += 1;
        }
        if e - s < 3 || self.lex.place_at(chars, s) > 0 || self.lex.brand_at(chars, s) > 0 {
            return;
        }
        // The whole run one ordinary word (安排, 伊利): no name.
        if self.words.at(s).is_some_and(|t| t.start == s && t.end >= e) && self.ordinary_at(s) {
            return;
        }
        let rare = chars[s..e].iter().filter(|&&c| ONLY.contains(c)).count();
        let cued = self.cue_before(s).is_some() || cues::title_at(chars, e).is_some();
        if (rare >= 2 || rare >= 1 && cued) && (cued || self.context(s, e) >= 0.8) {
            self.push(4.5, s, e);
        }
    }

    /// Whether an ordinary word (not a name) starts at `i` or runs through it.
    /// A doubled character that jieba's dictionary lists as an adjective or a descriptive word
    /// (甜甜/a, 依依/z) but that ends its clause or is followed by a verb or a particle
    /// (孙女甜甜在…, 导购员叫依依。): a pet name after a cue, not 依依不舍 or 天天/t.
    fn doubled_name_word(&self, s: usize) -> bool {
        self.words.at(s).is_some_and(|t| t.start == s && t.end == s + 2 && (t.tag == "a" || t.tag == "z"))
            && self.chars.get(s + 2).is_none_or(|&c| !is_han(c) || follower(c))
    }

    pub(super) fn ordinary_at(&self, i: usize) -> bool {
        self.words.at(i).is_some_and(|t| {
            !t.tag.starts_with("nr")
                && (t.end - t.start >= 2 && self.jieba.has_word(t.word) || t.start == i && is_stop(self.chars[i]))
        })
    }
}

/// The end of a Latin-letter name at `s` (Lisa, Tony, Lily Han), or `s`.
pub(super) fn latin_name(chars: &[char], s: usize) -> usize {
    if !chars.get(s).is_some_and(char::is_ascii_uppercase) {
        return s;
    }
    let mut e = s + 1;
    while chars.get(e).is_some_and(char::is_ascii_lowercase) {
        e += 1;
    }
    if e - s < 2 {
        return s;
    }
    if chars.get(e) == Some(&' ') && chars.get(e + 1).is_some_and(char::is_ascii_uppercase) {
        let mut f = e + 2;
        while chars.get(f).is_some_and(char::is_ascii_lowercase) {
            f += 1;
        }
        if f > e + 2 {
            e = f;
        }
    }
    e
}
