//! Detailed addresses: roads with house numbers, named places with building numbers, villages
//! with groups or house numbers, numbers in Chinese numerals.

use super::PiiKind;
use super::address_parts::{
    after_compound, after_compound_name, after_phase, crossing_end, dashed_room, landmark_gate, mall_floor,
    position_before, road_end, spaced_part_before, spaced_room,
};
use super::landmarks;
use super::names::Words;
use super::text::{is_han, is_stop, starts_with_at};

type Found = Vec<(PiiKind, usize, usize)>;

const ROADS: [&str; 8] = ["大道", "胡同", "路", "街", "巷", "弄", "段", "道"];

/// The first characters of `ROADS` (a test keeps them in step): a cheap filter.
fn address_start(c: char) -> bool {
    matches!(c, '大' | '胡' | '路' | '街' | '巷' | '弄' | '段' | '道')
}

/// A digit of a house or building number: ASCII, or a Chinese numeral (二十六号, 五〇二), also
/// as read out on the telephone (幺幺八号: 幺 is 1).
pub(super) fn number_char(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '零' | '〇' | '百' | '两')
        || c == '幺'
}

/// The first characters of the words read after a number (`UNITS`, `BUILDINGS`, 号, 弄, 组, 社,
/// 队, 铺): a number followed by none of them starts no unit (`digits_then` asserts it in tests).
fn unit_first(c: char) -> bool {
    matches!(c, '号' | '单' | '栋' | '幢' | '室' | '层' | '楼' | '座' | '门' | '弄' | '组' | '社' | '队' | '铺')
}

/// Words for a stretch of a road between its name and a house number.
const ROAD_STRETCHES: [&str; 7] = ["延长线", "辅路", "中", "东", "西", "南", "北"];

const UNITS: [&str; 11] = ["号楼", "号院", "单元", "栋", "幢", "室", "层", "楼", "号", "座", "门"];
const BUILDINGS: [&str; 6] = ["号楼", "号院", "栋", "幢", "单元", "座"];

/// Detailed addresses: a road (路, 街, 大道, 巷, 弄, 胡同, 段 …) with a house number; any named
/// place with a building number (阳光丽景9号楼, 桂语江南5幢); a village with a group or a house
/// number (幸福村三组15号, 劳岭村78号); a bare village where someone lives. Numbers may be
/// written in Chinese numerals; building numbers may carry a letter (A栋, B座).
pub(super) fn scan(chars: &[char], words: &Words<'_>, found: &mut Found) {
    let first = found.len();
    let digits_then = |mut j: usize, words: &[&str]| -> Option<usize> {
        let s = j;
        let mut letters = 0;
        while j < chars.len() && (number_char(chars[j]) || chars[j] == '-' || chars[j].is_ascii_uppercase()) {
            letters += usize::from(chars[j].is_ascii_uppercase());
            j += 1;
        }
        // (Every word asked for starts with a unit's first character: most numbers are followed by
        // something else, 年, 月, 元, and no word is tried.)
        debug_assert!(words.iter().all(|w| w.chars().next().is_some_and(unit_first)), "{words:?}");
        if j == s || letters > 1 || !chars.get(j).is_some_and(|&c| unit_first(c)) {
            return None;
        }
        words.iter().find(|w| starts_with_at(chars, j, w)).map(|w| j + w.chars().count())
    };
    let extend_units = |mut e: usize| -> usize {
        while let Some(next) = digits_then(e, &UNITS) {
            e = next;
        }
        // A bare room number such as 3-502 or 1101 after the last unit word.
        let mut j = e;
        while j < chars.len() && (chars[j].is_ascii_digit() || chars[j] == '-' || number_char(chars[j])) {
            j += 1;
        }
        if j - e >= 3 && number_char(chars[e]) { j } else { e }
    };
    let left = |mut s: usize| -> usize {
        let limit = s.saturating_sub(20);
        // Over characters that may end a place name, but not over a stop character unless jieba
        // reads it as part of the name (和平里: 和 is no conjunction there).
        let joined = |k: usize| words.at(k).is_some_and(|t| t.end > k + 1 && t.end - t.start >= 2);
        // A modal particle ends a clause in speech written down without punctuation (我是老卢卢永贵啊幸福村二组).
        let particle = |c: char| matches!(c, '啊' | '呀' | '吧' | '呢' | '嘛' | '哦' | '哈' | '嗯' | '噢' | '喂');
        while s > limit
            && (!is_stop(chars[s - 1]) || joined(s - 1))
            && !chars[s - 1].is_ascii_digit()
            && !particle(chars[s - 1])
        {
            s -= 1;
        }
        s
    };
    let named = |i: usize| i > 0 && !is_stop(chars[i - 1]);
    for i in 0..chars.len() {
        let c = chars[i];
        if address_start(c) {
            for road in ROADS {
                if !starts_with_at(chars, i, road) || !named(i) {
                    continue;
                }
                let mut after = i + road.chars().count();
                // A stretch of the road between its name and the number (东葛路延长线88号,
                // 仙葫大道中368号, 民主路辅路12号).
                if let Some(q) = ROAD_STRETCHES.iter().find(|q| starts_with_at(chars, after, q)) {
                    let q_end = after + q.chars().count();
                    if chars.get(q_end).is_some_and(|&c| number_char(c)) {
                        after = q_end;
                    }
                }
                // 那条巷子12号: the spoken 巷子 for 巷.
                if road == "巷" && chars.get(after) == Some(&'子') {
                    after += 1;
                    // 对面巷子里17号: inside the lane.
                    if chars.get(after) == Some(&'里') && chars.get(after + 1).is_some_and(|&c| number_char(c)) {
                        after += 1;
                    }
                }
                if let Some(e) = digits_then(after, &["号院", "号", "弄"]) {
                    let mut e = extend_units(e);
                    // A building's name between the house number and its units (669号华邦世贸城1栋2304).
                    let name_char = |c: char| (is_han(c) && !is_stop(c)) || c.is_ascii_uppercase();
                    let mut j = e;
                    while j < e + 10 && chars.get(j).is_some_and(|&c| name_char(c)) {
                        j += 1;
                        if let Some(next) = digits_then(j, &UNITS).filter(|_| j >= e + 2) {
                            e = extend_units(next);
                            break;
                        }
                    }
                    found.push((PiiKind::Address, left(i), e));
                } else if words.at(i).is_some_and(|t| t.end == i + road.chars().count())
                    && let Some(e) = landmark_gate(chars, after)
                {
                    // A landmark's gate on the road (友好北路大巴扎东门), the road a word's end.
                    found.push((PiiKind::Address, left(i), e));
                }
            }
        }
        // A building number after a name, or a chain of units on its own (3号楼2单元1101).
        let numbered = number_char(c) || c.is_ascii_uppercase();
        let after_road = || i > 0 && matches!(chars[i - 1], '道' | '同' | '路' | '街' | '巷' | '弄' | '段');
        if numbered && (i == 0 || !(number_char(chars[i - 1]) || chars[i - 1].is_ascii_alphanumeric())) && !after_road()
        {
            if let Some(e) = digits_then(i, &BUILDINGS) {
                let full = extend_units(e);
                let chained = digits_then(e, &UNITS).is_some();
                let ok_name = named(i) && is_han(chars[i - 1]) && !matches!(chars[i - 1], '第' | '共' | '有' | '约');
                // Not after a kind of room (单人间A座208, 四人间C座115: a care home's or a hotel's rooms).
                let room_kind = i > 0 && matches!(chars[i - 1], '间' | '房');
                // A building and a room number (18栋2004), not a year (3栋2004年建成).
                let room = full > e && !chars.get(full).is_some_and(|&c| matches!(c, '年' | '元' | '块' | '平' | '米'));
                // Parts typed with a space between them (绿地世纪城 B区 12幢 1802): from the compound's
                // name, the room after its space.
                let spaced = !ok_name && spaced_part_before(chars, i);
                if room_kind {
                } else if ok_name {
                    found.push((PiiKind::Address, left(i), full));
                } else if spaced {
                    let mut s = left(i - 1);
                    for _ in 0..2 {
                        if spaced_part_before(chars, s) {
                            s = left(s - 1);
                        }
                    }
                    found.push((PiiKind::Address, s, spaced_room(chars, full)));
                } else if chained || room {
                    found.push((PiiKind::Address, i, full));
                }
            }
            // A building found by a landmark and a position in the same clause (火车站东边那家酒店隔壁的2号楼):
            // the span starts at the landmark.
            if let Some(e) = digits_then(i, &BUILDINGS)
                && let Some(p) = position_before(chars, i)
                && p > 0
                && !is_stop(chars[p - 1])
            {
                let s = left(p);
                if p - s >= 2 {
                    found.push((PiiKind::Address, s, extend_units(e)));
                }
            }
            // A house number right after a compound or its gate (德峰小区东门12号门面, 金色家园北门3号).
            // Not a gate's number (万达广场3号门, a meeting place; 3号门面 is a shop).
            let gate = |e: usize| chars.get(e) == Some(&'门') && !matches!(chars.get(e + 1), Some('面' | '市'));
            if let Some(e) = digits_then(i, &["号"]).filter(|&e| after_compound(chars, i) && !gate(e)) {
                let mut e = extend_units(e);
                if ["门面", "商铺", "铺面"].iter().any(|w| starts_with_at(chars, e, w)) {
                    e += 2;
                }
                found.push((PiiKind::Address, left(i), e));
            }
            // Building, unit and room in dashes right after a compound (绿城桂花园11-2-301,
            // 阳光小区3-2-502): one or two digits, one or two, three or four.
            let phase = after_phase(chars, i);
            if let Some(e) = Some(i)
                .filter(|&i| after_compound_name(chars, i) || phase.is_some())
                .and_then(|i| dashed_room(chars, i))
            {
                found.push((PiiKind::Address, left(phase.unwrap_or(i)), e));
            }
            // A village group: 三组二十六号, 四组 after a village; 社 and 队 as villages in the
            // south-west and the north call it (尤家湾村三社12号, 村五队).
            if let Some(e) = digits_then(i, &["组", "社", "队"]) {
                // 社 and 队 only under a village itself (旅行社三社 is none).
                let village = i > 0
                    && (matches!(chars[i - 1], '村' | '屯' | '查' | '寨')
                        || matches!(chars[i - 1], '社' | '区' | '队') && chars[e - 1] == '组');
                let numbered = digits_then(e, &["号"]);
                if village || numbered.is_some() {
                    let s = if village { left(i) } else { i };
                    found.push((PiiKind::Address, s, numbered.map_or(e, extend_units)));
                }
            }
        }
        // A unit on a floor of a mall or a building (万达广场负一楼B12号, 时代商城3楼21号铺).
        if (c == '负' || number_char(c))
            && after_compound(chars, i)
            && let Some(f) = mall_floor(chars, i)
            && let Some(e) = digits_then(f, &["号", "铺"])
        {
            let shop = ["商铺", "铺面", "门面"].iter().any(|w| starts_with_at(chars, e, w));
            found.push((PiiKind::Address, left(i), e + if shop { 2 } else { 0 }));
        }
        // A crossing of two roads with a distance or a corner (解放路与中山路交叉口往北50米路东): from
        // the first road's name.
        if matches!(c, '交' | '十' | '口')
            && let Some(e) = crossing_end(chars, i)
            && let Some(j) = (i.saturating_sub(12)..i.saturating_sub(2))
                .rev()
                .find(|&j| j > 0 && matches!(chars[j], '与' | '和') && road_end(chars[j - 1]))
        {
            found.push((PiiKind::Address, crossing_start(words, j), e));
        }
        // A Mongol village (嘎查) under its township (苏木), as a village under its town.
        // Or under a town (镇, 乡) of a banner (乌兰花镇吉生太嘎查).
        let gacha = c == '查'
            && i > 0
            && chars[i - 1] == '嘎'
            && (chars[..i].windows(2).any(|w| w == ['苏', '木'])
                || chars[i.saturating_sub(12)..i].iter().any(|&c| matches!(c, '镇' | '乡')));
        if gacha && named(i - 1) {
            let s = left(i);
            let tail = i + 1;
            let e = digits_then(tail, &["组", "号"]).map_or(tail, extend_units);
            found.push((PiiKind::Address, s, e));
        }
        // Villages: with a house number (劳岭村78号), or a bare village where someone lives.
        if matches!(c, '村' | '屯') && named(i) {
            if let Some(e) = digits_then(i + 1, &["号"]) {
                found.push((PiiKind::Address, left(i), extend_units(e)));
            } else {
                let mut s = left(i);
                // 俺们大柳树村, 我家杜家营子村: the speaker's own village (left() stops at no
                // pronoun, so the name starts after it).
                const OURS: [&str; 6] = ["我们", "俺们", "咱们", "我家", "俺家", "咱家"];
                let ours_at = OURS.iter().any(|w| starts_with_at(chars, s, w) && s + 2 < i);
                if ours_at {
                    s += 2;
                }
                let ours = ours_at || s >= 2 && OURS.iter().any(|w| starts_with_at(chars, s - 2, w));
                // 东庄村的。, 杜家营子村的，: where someone is from, the clause ending there.
                let from = chars.get(i + 1) == Some(&'的')
                    && chars.get(i + 2).is_none_or(|&c| matches!(c, '，' | '。' | ',' | '！' | '？' | ' ' | '\n'));
                // Not 这个村, 那个村, 本村, 邻村 …: a determiner, not a name.
                let determiner = matches!(
                    chars[s],
                    '这' | '那' | '哪' | '每' | '本' | '该' | '全' | '同' | '邻' | '外' | '各' | '隔'
                ) || matches!(chars[i - 1], '个' | '邻' | '本' | '外' | '该' | '同' | '各' | '隔');
                // 在三里屯: a 屯 that jieba knows as one word is a place where something happened.
                let known_place = c == '屯' && words.at(s).is_some_and(|t| t.start == s && t.end == i + 1);
                let lives = s > 0 && matches!(chars[s - 1], '住' | '在' | '叫' | '自') && !known_place
                    || (ours || from) && !determiner;
                // A village under its township or county is specific (西江镇羊排村).
                let chain = chars[s..i].iter().any(|c| matches!(c, '镇' | '乡' | '县' | '旗'));
                if i - s >= 2
                    && (lives || chain)
                    && !matches!(
                        chars.get(i + 1),
                        Some('委' | '里' | '民' | '干' | '口' | '局' | '办' | '站' | '所' | '部' | '镇' | '长')
                    )
                {
                    found.push((PiiKind::Address, s, i + 1));
                }
            }
        }
    }
    landmarks::directions(chars, words, found);
    landmarks::foreign_street(chars, found);
    other_mentions(chars, first, found);
}

/// Where a crossing's address starts (天津市河西区友谊路与…): at the first road's name (jieba's word
/// holding the road's last character, and the word before where that is the road's character
/// alone: 通达|路), and over up to three words of a place before it (tagged as a place or ending in
/// 省, 市, 区, 县, 镇) — not over whatever else runs into the road unbroken (a shop's name).
fn crossing_start(words: &Words<'_>, j: usize) -> usize {
    let start = |k: usize| words.at(k).map_or(k, |t| t.start);
    let mut st = start(j - 1);
    if st == j - 1 && st > 0 {
        st = start(st - 1);
    }
    for _ in 0..3 {
        let Some(t) = words.at(st.wrapping_sub(1)).filter(|_| st > 0) else { break };
        let place = t.tag == "ns" || t.word.ends_with(['省', '市', '区', '县', '镇']);
        if !place {
            break;
        }
        st = t.start;
    }
    st
}

/// A compound's name that starts an address found here (桂语江南 in 桂语江南5幢1单元302) is masked
/// where the text names it again on its own (我们小区叫桂语江南，…): it places the home as well.
/// Only a name of four characters or more, all characters and no stop character, ending in a
/// compound's word or a name's last character, and only whole (not inside a longer run of
/// characters that continues it).
fn other_mentions(chars: &[char], first: usize, found: &mut Found) {
    let mut more: Found = Vec::new();
    for &(kind, s, e) in &found[first..] {
        if kind != PiiKind::Address {
            continue;
        }
        let name_end = (s..e).find(|&k| !is_han(chars[k]) || number_char(chars[k])).unwrap_or(e);
        let name = &chars[s..name_end];
        // A city's or a district's name (南昌市东湖区, before 八一大道) places no home: a public body
        // named with it (南昌市东湖区市场监督管理局) is no address.
        let district = name.last().is_some_and(|&c| "省市县州旗镇乡".contains(c))
            || name.ends_with(&['区']) && !name.ends_with(&['小', '区']);
        if name.len() < 4 || name.len() > 10 || name.iter().any(|&c| is_stop(c)) || name_end == e || district {
            continue;
        }
        let mut k = 0;
        while k + name.len() <= chars.len() {
            if chars[k..k + name.len()] == *name && !(k < e && s < k + name.len()) {
                let (a, b) = (k, k + name.len());
                let taken = found.iter().chain(&more).any(|f| a < f.2 && f.1 < b);
                if !taken {
                    more.push((PiiKind::Address, a, b));
                }
                k = b;
            } else {
                k += 1;
            }
        }
    }
    found.extend(more);
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_compound_word_and_its_gate_pass_the_quick_test() {
        for w in super::super::address_parts::COMPOUNDS {
            for gate in ["", "东门", "北门"] {
                let chars: Vec<char> = format!("阳光{w}{gate}12号").chars().collect();
                let i = chars.iter().position(|&c| c == '1').unwrap();
                assert!(super::after_compound(&chars, i), "{w}{gate}");
            }
        }
        let chars: Vec<char> = "阳光小学12号".chars().collect();
        assert!(!super::after_compound(&chars, 4));
    }

    #[test]
    fn every_unit_word_passes_the_first_character_test() {
        for w in super::UNITS.iter().chain(&super::BUILDINGS).chain(&["号院", "号", "弄", "组", "社", "队", "铺"])
        {
            assert!(super::unit_first(w.chars().next().unwrap()), "{w}");
        }
        assert!(!super::unit_first('年') && !super::unit_first('元'));
    }

    #[test]
    fn the_address_filter_covers_every_word() {
        for w in super::ROADS.iter() {
            assert!(super::address_start(w.chars().next().unwrap()), "{w}");
            let last = w.chars().last().unwrap();
            assert!(matches!(last, '道' | '同' | '路' | '街' | '巷' | '弄' | '段'), "{w}");
        }
    }
}
