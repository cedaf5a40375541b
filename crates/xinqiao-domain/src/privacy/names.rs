//! Personal names: jieba's part-of-speech tag `nr` (with HMM for names not in its dictionary),
//! kept only when it starts with a Chinese surname, strengthened by cue words before (我叫, 姓名,
//! 联系人 …) and honorifics after (先生, 女士, 阿姨, 师傅 …). A bare surname with an honorific
//! (王先生) identifies no one and is left alone. Enterprise names are protected.
//!
//! jieba's dictionary tags many everyday two-character words `nr` (顾问, 阳光, 胡同, 明白, 许可 …):
//! a two-character dictionary word is therefore not a name on its tag alone, only after a cue or
//! before an honorific. Where a cue or an honorific proposes a name, jieba's segmentation must not
//! contradict it: the name must start a word, and that word must not be a common word (本人郑重承诺,
//! 我是金牌会员, 项目经理) nor a function word (投诉人和商家).

use super::PiiKind;
use super::text::{is_han, is_stop};
use std::collections::HashSet;
use std::sync::LazyLock;

type Found = Vec<(PiiKind, usize, usize)>;

const COMPOUND_SURNAMES: [&str; 12] =
    ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒"];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

/// How much a cue word vouches for the name after it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Cue {
    /// Introduces a name wherever it stands (我叫, 姓名, 投诉人).
    Strong,
    /// Often introduces something else (本人郑重承诺, 我是江苏人): jieba must also read a name.
    Weak,
    /// A form label (法定代表人, 户名): a cue only when a colon follows it.
    Label,
}

const CUES: [(&str, Cue); 31] = [
    ("我叫", Cue::Strong),
    ("名叫", Cue::Strong),
    ("叫做", Cue::Strong),
    ("姓名", Cue::Strong),
    ("联系人", Cue::Strong),
    ("投诉人", Cue::Strong),
    ("举报人", Cue::Strong),
    ("申请人", Cue::Strong),
    ("收件人", Cue::Strong),
    ("收货人", Cue::Strong),
    ("寄件人", Cue::Strong),
    ("本人", Cue::Weak),
    ("我是", Cue::Weak),
    ("家属", Cue::Weak),
    ("叫", Cue::Weak),
    ("法定代表人", Cue::Label),
    ("法人代表", Cue::Label),
    ("负责人", Cue::Label),
    ("经营者", Cue::Label),
    ("户名", Cue::Label),
    ("持卡人", Cue::Label),
    ("机主", Cue::Label),
    ("车主", Cue::Label),
    ("业主", Cue::Label),
    ("当事人", Cue::Label),
    ("消费者", Cue::Label),
    ("患者", Cue::Label),
    ("家长", Cue::Label),
    ("学员", Cue::Label),
    ("代理人", Cue::Label),
    ("委托人", Cue::Label),
];
/// Words jieba tags `nr` that are not names.
const NOT_NAMES: [&str; 12] =
    ["谢谢", "申请人", "师傅", "老板", "周末", "金额", "高速", "方便", "白天", "常常", "宁可", "章程"];
const HONORIFICS: [&str; 10] = ["先生", "女士", "小姐", "阿姨", "师傅", "大爷", "大妈", "老师", "经理", "同学"];
/// jieba tags of function words: a surname-like character standing alone with one of these tags
/// is no surname (和/c, 于/p, 向/p …; `u…` too). Pronouns are not among them: 何 is both.
const FUNCTION_TAGS: [&str; 5] = ["c", "p", "y", "e", "o"];

/// First characters of `CUES` (a test keeps them in step): a cheap filter.
fn cue_start(c: char) -> bool {
    // `matches!` rather than a string search: this runs on every character of the text.
    matches!(c, '我' | '名' | '叫' | '姓' | '联' | '投' | '举' | '申' | '收' | '寄' | '本' | '家' | '法')
        || matches!(c, '负' | '经' | '户' | '持' | '机' | '车' | '业' | '当' | '消' | '患' | '学' | '代' | '委')
}

/// First characters of `HONORIFICS` (a test keeps them in step).
fn honorific_start(c: char) -> bool {
    matches!(c, '先' | '女' | '小' | '阿' | '师' | '大' | '老' | '经' | '同')
}

/// Last characters of place, document, organisation and shop names (王庄村, 安全法, 许可证,
/// 李记): a given name does not end in one.
fn ends_like_a_place(c: char) -> bool {
    "村镇乡县区市省路街巷法证店厂局站部司处室楼组屯记氏".contains(c)
}

/// The length of the surname at `at` (2 for compound surnames), or 0.
fn surname_len(chars: &[char], at: usize) -> usize {
    static SINGLE: LazyLock<HashSet<char>> = LazyLock::new(|| SURNAMES.chars().collect());
    let Some(&first) = chars.get(at) else {
        return 0;
    };
    if COMPOUND_SURNAMES.iter().any(|c| starts_with_at(chars, at, c)) {
        2
    } else if SINGLE.contains(&first) {
        1
    } else {
        0
    }
}

fn starts_with_at(chars: &[char], at: usize, word: &str) -> bool {
    word.chars().enumerate().all(|(k, w)| chars.get(at + k) == Some(&w))
}

/// Given-name characters: Han, not a stop word, not the start of an honorific or a cue, not 某
/// (张某, 胡某某 are names already withheld).
fn given_char(chars: &[char], at: usize) -> bool {
    chars.get(at).is_some_and(|&c| {
        is_han(c)
            && !is_stop(c)
            && !matches!(c, '电' | '手' | '号' | '先' | '女' | '阿' | '师' | '老' | '经' | '同' | '姓' | '名')
            && !matches!(c, '今' | '昨' | '某')
    }) && !HONORIFICS.iter().any(|h| starts_with_at(chars, at, h))
}

/// jieba's reading of the text, indexed by character: which word starts where.
struct Words<'a> {
    tags: Vec<jieba_rs::Tag<'a>>,
    /// For each character, the index in `tags` of the word that contains it.
    word_of: Vec<usize>,
}

impl<'a> Words<'a> {
    fn new(jieba: &'a jieba_rs::Jieba, text: &'a str, len: usize) -> Self {
        let tags = jieba.tag(text, true);
        let mut word_of = vec![0; len];
        for (k, t) in tags.iter().enumerate() {
            for w in &mut word_of[t.start.min(len)..t.end.min(len)] {
                *w = k;
            }
        }
        Self { tags, word_of }
    }

    fn at(&self, i: usize) -> Option<&jieba_rs::Tag<'a>> {
        self.word_of.get(i).map(|&k| &self.tags[k])
    }

    /// The words that overlap `s..e`.
    fn overlapping(&self, s: usize, e: usize) -> &[jieba_rs::Tag<'a>] {
        if s >= e || e > self.word_of.len() {
            return &[];
        }
        &self.tags[self.word_of[s]..=self.word_of[e - 1]]
    }

    /// Whether jieba's reading contradicts a name at `s..e` proposed by a cue word at `cue_at`
    /// (or by an honorific: `cue_at == s`). The name must start a word, unless jieba reads a name
    /// there too (投诉人林晓燕 → 人林晓燕/nr) or glued the cue to the surname (叫任/v 小龙/nr); its
    /// first word must be neither a common word nor a function word.
    fn contradict(&self, jieba: &jieba_rs::Jieba, s: usize, e: usize, cue: Cue, cue_at: usize) -> bool {
        let Some(first) = self.at(s) else {
            return true;
        };
        if first.start != s {
            if first.tag.starts_with("nr") {
                return false;
            }
            let glued_to_cue = first.start >= cue_at && first.start < s && first.end < e;
            return !glued_to_cue || self.overlapping(first.end, e).iter().any(common_word);
        }
        let function_word = FUNCTION_TAGS.contains(&first.tag) || first.tag.starts_with('u');
        if (first.end - first.start == 1 && function_word) || common_word(first) {
            return true;
        }
        // After a weak cue, a first word of two characters from the dictionary is an everyday word
        // even when tagged `nr` (我是高三学生, 本人明白).
        cue == Cue::Weak && first.end - first.start == 2 && jieba.has_word(first.word)
    }
}

/// A word of two or more characters that is no name (a compound surname on its own, 欧阳/ns, is
/// part of one).
fn common_word(t: &jieba_rs::Tag<'_>) -> bool {
    let len = t.end - t.start;
    (len > 1 && !t.tag.starts_with("nr") && !COMPOUND_SURNAMES.contains(&t.word)) || NOT_NAMES.contains(&t.word)
}

pub(super) fn scan(
    jieba: &jieba_rs::Jieba,
    text: &str,
    chars: &[char],
    protected: &[(usize, usize)],
    found: &mut Found,
) {
    let inside = |s: usize, e: usize| protected.iter().any(|p| s < p.1 && p.0 < e);
    let push = |s: usize, e: usize, found: &mut Found| {
        if e > s + 1 && !inside(s, e) && !ends_like_a_place(chars[e - 1]) {
            found.push((PiiKind::Name, s, e));
        }
    };
    let looks_like_name = |s: usize, e: usize| {
        let sl = surname_len(chars, s);
        (2..=4).contains(&(e - s)) && sl > 0 && sl < e - s && (s + sl..e).all(|k| given_char(chars, k))
    };
    let words = Words::new(jieba, text, chars.len());
    let tags = &words.tags;
    // 1. jieba's person names that begin with a surname and go on like a given name. Two-character
    //    dictionary words are mostly common words that jieba's dictionary happens to tag `nr`. A
    //    lone surname followed by a given name (冯/nr 丽丽/nr) is read as one name.
    for (k, t) in tags.iter().enumerate() {
        if t.tag != "nr" || NOT_NAMES.contains(&t.word) {
            continue;
        }
        let n = t.end - t.start;
        if n == 1 {
            if let Some(next) = tags.get(k + 1)
                && next.tag == "nr"
                && next.end - next.start <= 2
                && looks_like_name(t.start, next.end)
            {
                push(t.start, next.end, found);
            }
            continue;
        }
        if looks_like_name(t.start, t.end) && !(n == 2 && jieba.has_word(t.word)) {
            push(t.start, t.end, found);
        }
    }
    // 2. After a cue word: a surname and one or two given-name characters.
    static CUE_FIRST: LazyLock<Vec<char>> = LazyLock::new(|| CUES.iter().filter_map(|c| c.0.chars().next()).collect());
    let cue_first: &[char] = &CUE_FIRST;
    for i in 0..chars.len() {
        if !cue_start(chars[i]) {
            continue;
        }
        let mut cues = CUES.iter().zip(cue_first).filter(|(_, f)| **f == chars[i]).map(|(c, _)| c);
        let Some((cue, strength)) = cues.find(|c| starts_with_at(chars, i, c.0)) else {
            continue;
        };
        let mut s = i + cue.chars().count();
        if *strength == Cue::Label && !matches!(chars.get(s), Some(':' | '：')) {
            continue;
        }
        while matches!(chars.get(s), Some(' ' | ':' | '：' | '是')) {
            s += 1;
        }
        let sl = surname_len(chars, s);
        if sl == 0 {
            continue;
        }
        // Up to two given-name characters; jieba decides between two and three when the third
        // character begins a word of its own (张伟今天 → 张伟; 刘德明， → 刘德明).
        let mut e = s + sl;
        while e < s + sl + 2 && given_char(chars, e) {
            e += 1;
        }
        if e == s + sl + 2 {
            let third_starts_word = words.at(e - 1).is_some_and(|t| t.start == e - 1 && t.end - t.start >= 2);
            if third_starts_word {
                e -= 1;
            }
        }
        if e > s + sl && !words.contradict(jieba, s, e, *strength, i) {
            push(s, e, found);
        }
    }
    // 3. Before an honorific: surname + given name (a bare surname is no identity). The name
    //    starts where jieba starts a word (母亲/邓淑华/女士, 的/陈建华/先生; not 项目/经理).
    for h in 1..chars.len() {
        if !honorific_start(chars[h]) || !HONORIFICS.iter().any(|w| starts_with_at(chars, h, w)) {
            continue;
        }
        for len in [3, 2] {
            if h < len {
                continue;
            }
            let s = h - len;
            let sl = surname_len(chars, s);
            if sl > 0
                && sl < len
                && (s + sl..h).all(|k| given_char(chars, k))
                && !words.contradict(jieba, s, h, Cue::Strong, s)
            {
                push(s, h, found);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_filters_cover_every_word() {
        for (w, _) in super::CUES {
            assert!(super::cue_start(w.chars().next().unwrap()), "{w}");
        }
        for w in super::HONORIFICS {
            assert!(super::honorific_start(w.chars().next().unwrap()), "{w}");
        }
    }
}
