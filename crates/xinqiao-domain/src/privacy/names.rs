//! Personal names: jieba's part-of-speech tag `nr` (with HMM for names not in its dictionary),
//! kept only when it starts with a Chinese surname, strengthened by cue words before (我叫, 姓名,
//! 联系人 …) and honorifics after (先生, 女士, 阿姨, 师傅 …). A bare surname with an honorific
//! (王先生) identifies no one and is left alone. Enterprise names are protected.

use super::PiiKind;
use super::text::{is_han, is_stop};
use std::collections::HashSet;
use std::sync::LazyLock;

type Found = Vec<(PiiKind, usize, usize)>;

const COMPOUND_SURNAMES: [&str; 12] =
    ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒"];
const SURNAMES: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";
const CUES: [&str; 12] =
    ["我叫", "名叫", "叫做", "姓名", "联系人", "投诉人", "举报人", "本人", "我是", "家属", "申请人", "收件人"];
/// Words jieba tags `nr` that are not names.
const NOT_NAMES: [&str; 12] =
    ["谢谢", "申请人", "师傅", "老板", "周末", "金额", "高速", "方便", "白天", "常常", "宁可", "章程"];
const HONORIFICS: [&str; 10] = ["先生", "女士", "小姐", "阿姨", "师傅", "大爷", "大妈", "老师", "经理", "同学"];

/// The length of the surname at `at` (2 for compound surnames), or 0.
/// First characters of `CUES` (a test keeps them in step): a cheap filter.
fn cue_start(c: char) -> bool {
    matches!(c, '我' | '名' | '叫' | '姓' | '联' | '投' | '举' | '本' | '家' | '申' | '收')
}

/// First characters of `HONORIFICS` (a test keeps them in step).
fn honorific_start(c: char) -> bool {
    matches!(c, '先' | '女' | '小' | '阿' | '师' | '大' | '老' | '经' | '同')
}

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

/// Given-name characters: Han, not a stop word, not the start of an honorific or a cue.
fn given_char(chars: &[char], at: usize) -> bool {
    chars.get(at).is_some_and(|&c| {
        is_han(c)
            && !is_stop(c)
            && !matches!(
                c,
                '电' | '手' | '号' | '先' | '女' | '阿' | '师' | '老' | '经' | '同' | '姓' | '名' | '今' | '昨'
            )
    }) && !HONORIFICS.iter().any(|h| starts_with_at(chars, at, h))
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
        if e > s + 1 && !inside(s, e) {
            found.push((PiiKind::Name, s, e));
        }
    };
    let tags = jieba.tag(text, true);
    // 1. jieba's person names that begin with a surname and go on like a given name.
    for t in &tags {
        if t.tag != "nr" {
            continue;
        }
        let n = t.end - t.start;
        let sl = surname_len(chars, t.start);
        if t.tag == "nr"
            && (2..=4).contains(&n)
            && sl > 0
            && sl < n
            && (t.start + sl..t.end).all(|k| given_char(chars, k))
            && !NOT_NAMES.contains(&t.word)
        {
            push(t.start, t.end, found);
        }
    }
    // 2. After a cue word: a surname and one or two given-name characters.
    for i in 0..chars.len() {
        if !cue_start(chars[i]) {
            continue;
        }
        let Some(cue) = CUES.iter().find(|c| starts_with_at(chars, i, c)) else {
            continue;
        };
        let mut s = i + cue.chars().count();
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
            let third_starts_word = tags.iter().any(|t| t.start == e - 1 && t.end - t.start >= 2);
            if third_starts_word {
                e -= 1;
            }
        }
        push(s, e, found);
    }
    // 3. Before an honorific: surname + given name (a bare surname is no identity).
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
                && (s == 0 || !given_char(chars, s - 1) || is_stop(chars[s - 1]))
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
        for w in super::CUES {
            assert!(super::cue_start(w.chars().next().unwrap()), "{w}");
        }
        for w in super::HONORIFICS {
            assert!(super::honorific_start(w.chars().next().unwrap()), "{w}");
        }
    }
}
