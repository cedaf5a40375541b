//! Words around names: those that introduce a person (我叫, 户名, 校长, 舅舅 …), the titles that
//! follow a surname (先生, 经理, 师傅 …), and the nicknames built on a surname (小刘, 老李). Looked
//! up by first or last character, since these run on every character of the text.

use super::charset::HanSet;
use super::lexicon::FastMap;
use super::text::is_han;
use std::sync::LazyLock;

/// How strongly a word before a name vouches for it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Cue {
    /// Forms and self-introductions: what follows is a name (姓名, 我叫, 户名, 投诉人).
    Strong,
    /// Roles, kinship and relations: a person is being named (校长, 导游, 舅舅, 同事).
    Role,
    /// 是 alone (他是, 对方是): a person, a thing or a time may follow (是黄金周前进的货).
    Copula,
}

/// The word lists (`data/privacy/cues.txt`): `[strong]`, `[role]`, `[titles]`, `[not_nicknames]`.
const LISTS: &str = include_str!("../../data/privacy/cues.txt");

/// The hundred commonest surnames: nicknames (小刘, 老李) are built on these.
const COMMON: &str = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";

/// Words by a character (first or last), longest first.
type ByChar<T> = FastMap<char, Vec<(Box<[char]>, T)>>;

/// Cues by their last two characters, longest first.
type ByPair = FastMap<(char, char), Vec<(Box<[char]>, Cue)>>;

struct Index {
    cues_by_last: ByChar<Cue>,
    /// The cues of two characters or more by their last two, longest first, and the cue of one
    /// character by that character: `cue_ending_at` runs at every character, and 人 alone ends
    /// sixty cues.
    cues_by_pair: ByPair,
    single_cue: FastMap<char, Cue>,
    cues_by_first: ByChar<Cue>,
    /// The Han characters that end and begin a cue: asked at every character before the maps
    /// (a bit costs less than a hash; other characters are looked up in the maps).
    last_han: HanSet,
    first_han: HanSet,
    titles_by_first: ByChar<()>,
    /// The Han characters that begin a title (`title_at` runs at nearly every character).
    title_first_han: HanSet,
    not_nicknames: Vec<(char, char)>,
}

fn section<'a>(name: &str) -> impl Iterator<Item = &'a str> + use<'a, '_> {
    let header = format!("[{name}]");
    LISTS
        .lines()
        .skip_while(move |l| l.trim() != header)
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
}

static INDEX: LazyLock<Index> = LazyLock::new(|| {
    let mut idx = Index {
        cues_by_last: ByChar::default(),
        cues_by_pair: FastMap::default(),
        single_cue: FastMap::default(),
        cues_by_first: ByChar::default(),
        last_han: HanSet::new(""),
        first_han: HanSet::new(""),
        titles_by_first: ByChar::default(),
        title_first_han: HanSet::new(""),
        not_nicknames: Vec::new(),
    };
    for (name, cue) in [("strong", Cue::Strong), ("role", Cue::Role)] {
        for w in section(name) {
            let chars: Box<[char]> = w.chars().collect();
            idx.last_han.insert(chars[chars.len() - 1]);
            idx.first_han.insert(chars[0]);
            idx.cues_by_last.entry(chars[chars.len() - 1]).or_default().push((chars.clone(), cue));
            idx.cues_by_first.entry(chars[0]).or_default().push((chars, cue));
        }
    }
    for w in section("titles") {
        let chars: Box<[char]> = w.chars().collect();
        idx.title_first_han.insert(chars[0]);
        idx.titles_by_first.entry(chars[0]).or_default().push((chars, ()));
    }
    for v in idx.cues_by_last.values_mut().chain(idx.cues_by_first.values_mut()) {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    // (From the sorted lists, so each pair's list is longest first and a single character's cue is
    // the one the list by the last character would find.)
    for list in idx.cues_by_last.values() {
        for (w, c) in list {
            match w.len() {
                1 => {
                    idx.single_cue.entry(w[0]).or_insert(*c);
                }
                n => idx.cues_by_pair.entry((w[n - 2], w[n - 1])).or_default().push((w.clone(), *c)),
            }
        }
    }
    for v in idx.titles_by_first.values_mut() {
        v.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
    }
    idx.not_nicknames = section("not_nicknames")
        .filter_map(|w| {
            let mut cs = w.chars();
            Some((cs.next()?, cs.next()?))
        })
        .collect();
    idx
});

pub(super) fn may_start_cue(c: char) -> bool {
    if is_han(c) { INDEX.first_han.contains(c) } else { INDEX.cues_by_first.contains_key(&c) }
}

/// Whether a cue may end with `c` (`cues_by_last` has it).
fn may_end_cue(c: char) -> bool {
    if is_han(c) { INDEX.last_han.contains(c) } else { INDEX.cues_by_last.contains_key(&c) }
}

/// The longest cue starting at `at`: its strength and where it ends.
pub(super) fn cue_at(chars: &[char], at: usize) -> Option<(Cue, usize)> {
    let list = INDEX.cues_by_first.get(chars.get(at)?)?;
    list.iter().find(|(w, _)| same_head(chars, at, w)).map(|(w, c)| (*c, at + w.len()))
}

/// The cue that ends right before `s` (allowing `：`, a space, 是, 叫 between).
pub(super) fn cue_ending_at(chars: &[char], s: usize) -> Option<Cue> {
    let mut e = s;
    while e > 0 && s - e < 2 && matches!(chars[e - 1], ' ' | ':' | '：' | '是' | '为') {
        e -= 1;
    }
    let best = cue_word_ending_at(chars, e);
    // 是 alone before a name (我是, 他是, 投诉人是) introduces it.
    best.or_else(|| staff_noun_before(chars, e).then_some(Cue::Role))
        .or_else(|| (e < s && chars[e..s].contains(&'是')).then_some(Cue::Copula))
}

/// The cue word ending exactly at `e`: the longest of two characters or more, else the cue of one
/// character.
fn cue_word_ending_at(chars: &[char], e: usize) -> Option<Cue> {
    let l = e.checked_sub(1).filter(|&l| may_end_cue(chars[l]))?;
    l.checked_sub(1)
        .and_then(|k| INDEX.cues_by_pair.get(&(chars[k], chars[l])))
        .and_then(|list| list.iter().find(|(w, _)| same_tail(&chars[..e], w)))
        .map(|(_, c)| *c)
        .or_else(|| INDEX.single_cue.get(&chars[l]).copied())
}

/// Whether a role or form word of two characters or more ends exactly at `s` (经理|周, 药师|黄,
/// 户名|王): a bare surname right after one is a person.
pub(super) fn role_word_before(chars: &[char], s: usize) -> bool {
    staff_noun_before(chars, s)
        || s > 0
            && INDEX.cues_by_last.get(&chars[s - 1]).is_some_and(|list| {
                list.iter()
                    .any(|(w, _)| w.len() >= 2 && s >= w.len() && same_tail(&chars[..s], w) && w[w.len() - 1] != '是')
            })
}

/// Whether a noun for a member of staff ends at `s`: two or three characters ending in 员 (销售员,
/// 理赔员, 安装员, 检测员), so that the roles the list does not hold are roles too. Not the
/// verbs on 员 (动员, 复员, 裁员) nor 人员 (a group, not one person).
fn staff_noun_before(chars: &[char], s: usize) -> bool {
    s >= 2
        && chars[s - 1] == '员'
        && super::text::is_han(chars[s - 2])
        && (!matches!(chars[s - 2], '动' | '复' | '裁' | '减' | '扩' | '增' | '人' | '满' | '全')
            // (…and a kind of staff on 人员, two characters before it: 从业人员, 翻译人员, 调查人员.)
            || chars[s - 2] == '人' && s >= 4 && super::text::is_han(chars[s - 3]) && super::text::is_han(chars[s - 4]))
}

/// Whether `text` ends with `word`, compared from the end (most candidates differ in their
/// second-last character; a call to memcmp costs more than that).
fn same_tail(text: &[char], word: &[char]) -> bool {
    text.len() >= word.len() && text.iter().rev().zip(word.iter().rev()).all(|(a, b)| a == b)
}

/// Whether `text` starts with `word` at `at`.
fn same_head(text: &[char], at: usize, word: &[char]) -> bool {
    text.len() >= at + word.len() && text[at..].iter().zip(word.iter()).all(|(a, b)| a == b)
}

/// The length of the title starting at `at`, if one does; a title with 们 is a group, never one
/// person (同志们, 老师们).
pub(super) fn title_at(chars: &[char], at: usize) -> Option<usize> {
    let c = chars.get(at)?;
    // (A bit first: a Han character that begins no title needs no hash.)
    if is_han(*c) && !INDEX.title_first_han.contains(*c) {
        return None;
    }
    let list = INDEX.titles_by_first.get(c)?;
    list.iter()
        .find(|(w, _)| same_head(chars, at, w))
        .map(|(w, _)| w.len())
        .filter(|&n| chars.get(at + n) != Some(&'们'))
}

/// Characters whose doubling is a kinship word or a generic word for a child (爸爸, 妈妈, 姐姐,
/// 宝宝), never a pet name.
pub(super) fn kin_doubled(c: char) -> bool {
    "爸妈哥姐弟妹爷奶姥叔舅姑婶伯公婆宝".contains(c)
}

pub(super) fn common_surname(c: char) -> bool {
    static SET: super::charset::HanSet = super::charset::HanSet::new(COMMON);
    SET.contains(c)
}

pub(super) fn nickname_is_a_word(first: char, surname: char) -> bool {
    INDEX.not_nicknames.contains(&(first, surname))
}

#[cfg(test)]
mod tests {
    /// The cue ending at `e` as found in the list by the last character (before the pairs).
    fn cue_by_last(chars: &[char], e: usize) -> Option<super::Cue> {
        let l = e.checked_sub(1)?;
        let list = super::INDEX.cues_by_last.get(&chars[l])?;
        list.iter().find(|(w, _)| e >= w.len() && super::same_tail(&chars[..e], w)).map(|(_, c)| *c)
    }

    #[test]
    fn the_pairs_find_the_cue_the_list_by_the_last_character_finds() {
        let mut tried = 0;
        for name in ["strong", "role"] {
            for w in super::section(name) {
                for text in [format!("{w}张三"), format!("我的{w}：李四"), format!("人{w}是"), w.to_string()] {
                    let chars: Vec<char> = text.chars().collect();
                    for e in 0..=chars.len() {
                        assert_eq!(super::cue_word_ending_at(&chars, e), cue_by_last(&chars, e), "{text} at {e}");
                        tried += 1;
                    }
                }
            }
        }
        assert!(tried > 5000);
    }

    #[test]
    fn lookups() {
        let chars: Vec<char> = "导游何丽娟和钟女士".chars().collect();
        assert_eq!(super::cue_ending_at(&chars, 2), Some(super::Cue::Role));
        assert_eq!(super::title_at(&chars, 7), Some(2));
        assert_eq!(super::cue_at(&chars, 0), Some((super::Cue::Role, 2)));
        assert!(super::nickname_is_a_word('小', '米'));
        assert!(!super::nickname_is_a_word('小', '刘'));
        // The Han sets agree with the maps they stand before.
        for c in (0x3000..=0xA100u32).filter_map(char::from_u32).chain(['a', 'D', '：']) {
            assert_eq!(super::may_start_cue(c), super::INDEX.cues_by_first.contains_key(&c), "{c}");
            assert_eq!(super::may_end_cue(c), super::INDEX.cues_by_last.contains_key(&c), "{c}");
        }
        // Every title's first character passes the title set, and a Han character outside it has no title.
        for c in (0x3000..=0xA100u32).filter_map(char::from_u32) {
            let listed = super::INDEX.titles_by_first.contains_key(&c);
            if super::super::text::is_han(c) {
                assert_eq!(super::INDEX.title_first_han.contains(c), listed, "{c}");
            }
        }
        for w in super::section("titles") {
            let chars: Vec<char> = w.chars().collect();
            assert_eq!(super::title_at(&chars, 0).is_some(), chars.last() != Some(&'们'), "{w}");
        }
        for name in ["strong", "role", "titles", "not_nicknames"] {
            assert!(super::section(name).count() >= 20, "{name}");
        }
    }
}
