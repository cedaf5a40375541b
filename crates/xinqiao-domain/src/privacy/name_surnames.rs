//! Surnames: single ones by the name model's prior, compound ones (欧阳, 赫连 …) by their pair of
//! characters.

use super::lexicon::Lexicon;

/// Compound surnames (two characters): the twenty commonest, then rarer ones of the 百家姓 and
/// today's registers (赫连, 钟离, 宗政 …) that are no ordinary word (百里, 第五, 司空, 单于, 闻人
/// and 微生 are left out: words more often than surnames, or inside words such as 新闻人物, 微生物).
/// (`surname_len` matches the pairs; a test checks that it finds every one of this list.)
#[cfg(test)]
pub(super) const COMPOUND_SURNAMES: [&str; 40] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "司徒", "端木", "宇文",
    "长孙", "南宫", "西门", "呼延", "澹台", "申屠", "赫连", "钟离", "宗政", "濮阳", "淳于", "公冶", "太叔", "轩辕",
    "拓跋", "独孤", "万俟", "仲孙", "叔孙", "左丘", "梁丘", "羊舌", "漆雕", "巫马", "鲜于", "闾丘",
];

/// The length of the surname at `at` (2 for compound surnames), or 0.
pub(super) fn surname_len(lex: &Lexicon, chars: &[char], at: usize) -> usize {
    let Some(&first) = chars.get(at) else { return 0 };
    // The first characters of the compound surnames, one bit each: most characters are none, and
    // this runs several times at every character (a test finds every compound surname).
    static FIRSTS: super::charset::HanSet =
        super::charset::HanSet::new("欧司诸上东皇尉公慕令夏端宇长南西呼澹申赫钟宗濮淳太轩拓独万仲叔左梁羊漆巫鲜闾");
    // A match on the pair compiles to a few comparisons; the list (and a test) keeps them in step.
    let second = chars.get(at + 1).copied().unwrap_or(' ');
    if FIRSTS.contains(first)
        && matches!(
            (first, second),
            ('欧', '阳')
                | ('司', '马')
                | ('诸', '葛')
                | ('上', '官')
                | ('东', '方')
                | ('皇', '甫')
                | ('尉', '迟')
                | ('公', '孙')
                | ('慕', '容')
                | ('令', '狐')
                | ('夏', '侯')
                | ('司', '徒')
                | ('端', '木')
                | ('宇', '文')
                | ('长', '孙')
                | ('南', '宫')
                | ('西', '门')
                | ('呼', '延')
                | ('澹', '台')
                | ('申', '屠')
                | ('赫', '连')
                | ('钟', '离')
                | ('宗', '政')
                | ('濮', '阳')
                | ('淳', '于')
                | ('公', '冶')
                | ('太', '叔')
                | ('轩', '辕')
                | ('拓', '跋')
                | ('独', '孤')
                | ('万', '俟')
                | ('仲', '孙')
                | ('叔', '孙')
                | ('左', '丘')
                | ('梁', '丘')
                | ('羊', '舌')
                | ('漆', '雕')
                | ('巫', '马')
                | ('鲜', '于')
                | ('闾', '丘')
        )
    {
        2
    } else if lex.scores(first).surname > 0.0 {
        1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn compound_surnames_are_all_found() {
        let lex = super::Lexicon::new();
        for c in super::COMPOUND_SURNAMES {
            let chars: Vec<char> = format!("{c}明").chars().collect();
            assert_eq!(super::surname_len(&lex, &chars, 0), 2, "{c}");
        }
    }
}
