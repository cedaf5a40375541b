//! The parts around an address's core that `address::scan` asks about: where a road ends, crossings,
//! positions relative to a landmark, spaced and dashed rooms, a compound's name, its phase (期), a
//! mall's floor and unit.

use super::address::number_char;
use super::text::{is_han, is_stop, starts_with_at};

pub(super) fn road_end(c: char) -> bool {
    matches!(c, '路' | '街' | '道' | '巷')
}

/// Where a crossing of roads at `i` (交叉口, 交汇处, 十字路口) and what places a door from it end:
/// a distance (往北50米, 向东二百米) or a corner or side (东北角, 路东); none, no address.
pub(super) fn crossing_end(chars: &[char], i: usize) -> Option<usize> {
    const CROSSINGS: [&str; 5] = ["交叉口", "交汇处", "十字路口", "交口", "口"];
    let w = CROSSINGS.iter().find(|w| starts_with_at(chars, i, w))?;
    if i == 0 || !road_end(chars[i - 1]) {
        return None;
    }
    let side = |c: char| matches!(c, '东' | '南' | '西' | '北');
    let mut e = i + w.chars().count();
    let mut placed = false;
    // A corner (东北角, 西南侧).
    if chars.get(e).is_some_and(|&c| side(c)) && chars.get(e + 1).is_some_and(|&c| side(c)) {
        e += 2;
        if chars.get(e).is_some_and(|&c| matches!(c, '角' | '侧')) {
            e += 1;
        }
        placed = true;
    }
    // A direction and a distance (往北50米, 向东二百米, 北50米).
    let mut k = e;
    if chars.get(k).is_some_and(|&c| matches!(c, '往' | '向')) {
        k += 1;
    }
    if chars.get(k).is_some_and(|&c| side(c)) {
        let digits = k + 1;
        let mut j = digits;
        while chars.get(j).is_some_and(|&c| number_char(c)) {
            j += 1;
        }
        if j > digits && chars.get(j) == Some(&'米') {
            e = j + 1;
            placed = true;
        }
    }
    // The side of the road (路东, 路北).
    if chars.get(e) == Some(&'路') && chars.get(e + 1).is_some_and(|&c| side(c)) {
        e += 2;
        placed = true;
    }
    // A building or a mall there and its units (…交汇处兰田商城B区2排17号, …交口西北角底商5号, …路口新华大厦3楼).
    if let Some(u) = named_units(chars, e) {
        e = u;
        placed = true;
    }
    placed.then_some(e)
}

/// Units that place a door inside a building or a market (B区, 2排, 17号, 3楼, 1单元 …).
const INNER_UNITS: [&str; 12] = ["号楼", "单元", "区", "排", "号", "楼", "层", "栋", "幢", "座", "室", "铺"];

/// A building's or a mall's name at `at` (up to ten characters, none a stop character or a numeral;
/// none at all is allowed) and a chain of units after it (兰田商城B区2排17号, 底商5号, 新华大厦3楼,
/// 12号): where the chain ends. Not a chain of areas alone (B区), nor a number that names a line or
/// a stop (3号线, 5号公交站).
pub(super) fn named_units(chars: &[char], at: usize) -> Option<usize> {
    let mut j = at;
    while j < chars.len() && j - at < 10 && is_han(chars[j]) && !is_stop(chars[j]) && !number_char(chars[j]) {
        j += 1;
    }
    let mut e = j;
    let mut last = "";
    loop {
        let s = e;
        let mut k = e;
        let mut letters = 0;
        while chars.get(k).is_some_and(|&c| number_char(c) || c.is_ascii_uppercase()) {
            letters += usize::from(chars[k].is_ascii_uppercase());
            k += 1;
        }
        if k == s || letters > 1 {
            break;
        }
        let Some(w) = INNER_UNITS.iter().find(|w| starts_with_at(chars, k, w)) else { break };
        e = k + w.chars().count();
        last = w;
    }
    let door = matches!(last, "号楼" | "单元" | "号" | "楼" | "层" | "室" | "铺" | "栋" | "幢" | "座");
    let line_or_stop = chars.get(e).is_some_and(|&c| matches!(c, '线' | '车' | '公' | '地' | '站'));
    (door && !line_or_stop).then_some(e)
}

/// A landmark's gate right after a road (友好北路大巴扎东门, 人民南路四段来福士广场北门): the place's name
/// (two to eight characters, no stop character) and 东门, 南门, 西门, 北门 or 正门 (口
/// after it allowed): where it ends.
pub(super) fn landmark_gate(chars: &[char], at: usize) -> Option<usize> {
    let mut j = at;
    while j < chars.len() && j - at < 8 && is_han(chars[j]) && !is_stop(chars[j]) {
        j += 1;
    }
    // The gate is the name's last two characters.
    let gate = j >= at + 4 && chars[j - 1] == '门' && matches!(chars[j - 2], '东' | '南' | '西' | '北' | '正');
    gate.then(|| if chars.get(j) == Some(&'口') { j + 1 } else { j })
}

/// Words that place a building relative to a landmark (斜对面 is found by its 对面).
const POSITIONS: [&str; 15] = [
    "对面", "旁边", "隔壁", "后面", "前面", "后头", "背后", "东边", "西边", "南边", "北边", "东侧", "西侧", "南侧",
    "北侧",
];

/// Where a position word (对面, 隔壁, 东边 …) starts, the nearest before `i` in its clause (20
/// characters at most, no punctuation between).
pub(super) fn position_before(chars: &[char], i: usize) -> Option<usize> {
    let mut k = i;
    while k > 0 && i - k < 20 && (is_han(chars[k - 1]) || chars[k - 1].is_ascii_alphanumeric()) {
        k -= 1;
        if POSITIONS.iter().any(|w| starts_with_at(chars, k, w)) {
            return Some(if k > 0 && chars[k - 1] == '斜' { k - 1 } else { k });
        }
    }
    None
}

/// Whether a part of an address typed before a space ends at `i - 1` (…世纪城 B区 12幢): a
/// name's character or a letter before the space, no stop character.
pub(super) fn spaced_part_before(chars: &[char], i: usize) -> bool {
    i >= 2 && chars[i - 1] == ' ' && {
        let c = chars[i - 2];
        is_han(c) && !is_stop(c) && !number_char(c) || c.is_ascii_uppercase()
    }
}

/// After a building typed with spaces, a room number after one more space (12幢 1802): three or
/// four digits, not a year, an amount or an area.
pub(super) fn spaced_room(chars: &[char], e: usize) -> usize {
    if chars.get(e) != Some(&' ') {
        return e;
    }
    let mut j = e + 1;
    while chars.get(j).is_some_and(char::is_ascii_digit) {
        j += 1;
    }
    let unit = chars.get(j).is_some_and(|&c| c.is_ascii_alphanumeric() || "年月日元块平米号个人岁天次".contains(c));
    if (3..=4).contains(&(j - e - 1)) && !unit { j } else { e }
}

/// `N-N-NNN` at `i` (building, unit, room), not running into more digits or letters: where it ends.
pub(super) fn dashed_room(chars: &[char], i: usize) -> Option<usize> {
    let mut k = i;
    let mut sizes = Vec::new();
    loop {
        let s = k;
        while chars.get(k).is_some_and(char::is_ascii_digit) {
            k += 1;
        }
        sizes.push(k - s);
        if sizes.len() == 3 || chars.get(k) != Some(&'-') {
            break;
        }
        k += 1;
    }
    let shaped =
        sizes.len() == 3 && (1..=2).contains(&sizes[0]) && (1..=2).contains(&sizes[1]) && (3..=4).contains(&sizes[2]);
    let glued = chars.get(k).is_some_and(|&c| c.is_ascii_alphanumeric() || c == '-');
    (shaped && !glued).then_some(k)
}

/// Whether a compound's name ends right before `i`: one of the compound words of
/// `after_compound`, or a name ending in 园, 苑, 庭, 府, 城, 湾, 里, 居, 邸 (绿城桂花园, 锦绣华庭) of
/// three characters or more.
pub(super) fn after_compound_name(chars: &[char], i: usize) -> bool {
    // A block of the compound between its name and the numbers (富力城B区7-2-1401).
    let block =
        i >= 5 && chars[i - 1] == '区' && chars[i - 2].is_ascii_uppercase() && !chars[i - 3].is_ascii_alphanumeric();
    after_compound(chars, i)
        || block && after_compound_name(chars, i - 2)
        || i >= 3
            && matches!(
                chars[i - 1],
                '园' | '苑'
                    | '庭'
                    | '府'
                    | '城'
                    | '湾'
                    | '里'
                    | '居'
                    | '邸'
                    | '区'
                    | '地'
                    | '汇'
                    | '都'
                    | '阁'
                    | '轩'
                    | '院'
                    | '岸'
                    | '墅'
            )
            && chars[i - 3..i].iter().all(|&c| is_han(c) && !is_stop(c))
}

/// A floor at `i` (负一楼, 3楼, 二层): where it ends.
pub(super) fn mall_floor(chars: &[char], i: usize) -> Option<usize> {
    let mut k = i + usize::from(chars[i] == '负');
    let s = k;
    while k < chars.len() && k - s < 3 && number_char(chars[k]) {
        k += 1;
    }
    if k == s || !matches!(chars.get(k), Some('楼' | '层')) {
        return None;
    }
    k += 1;
    // An area on the floor before the unit (负一楼A区7号).
    let mut a = k;
    while chars.get(a).is_some_and(|&c| number_char(c) || c.is_ascii_uppercase()) && a - k < 2 {
        a += 1;
    }
    Some(if a > k && chars.get(a) == Some(&'区') { a + 1 } else { k })
}

/// Where a compound's phase that ends right before `i` starts (滨江壹号二期8-1-302, 凤凰城3期): 期
/// after a numeral, and a compound's name or three characters of a name before it.
pub(super) fn after_phase(chars: &[char], i: usize) -> Option<usize> {
    if i < 2 || chars[i - 1] != '期' {
        return None;
    }
    let mut p = i - 1;
    while p > 0 && i - 1 - p < 2 && (chars[p - 1].is_ascii_digit() || "一二三四五六七八九十".contains(chars[p - 1]))
    {
        p -= 1;
    }
    let named = after_compound_name(chars, p) || p >= 3 && chars[p - 3..p].iter().all(|&c| is_han(c) && !is_stop(c));
    (p < i - 1 && named).then_some(p)
}

/// The words of a residential compound, a mall or a tower that a house number can follow.
pub(super) const COMPOUNDS: [&str; 14] =
    ["小区", "花园", "家园", "公寓", "大厦", "新村", "苑", "广场", "商城", "购物中心", "商厦", "商场", "百货", "大楼"];

/// Whether a residential compound's word, or its gate, ends right before `i` (小区, 花园, 家园,
/// 公寓, 大厦, 小区东门 …).
pub(super) fn after_compound(chars: &[char], i: usize) -> bool {
    let mut k = i;
    // A side of the gate (小区南门东侧12号商铺).
    if k >= 4 && chars[k - 1] == '侧' && matches!(chars[k - 2], '东' | '南' | '西' | '北') && chars[k - 3] == '门'
    {
        k -= 2;
    }
    if k >= 2 && chars[k - 1] == '门' && matches!(chars[k - 2], '东' | '南' | '西' | '北' | '大' | '正' | '后')
    {
        k -= 2;
    }
    // The cheap test first (this runs at nearly every character): the last characters of `COMPOUNDS`.
    if k == 0 || !matches!(chars[k - 1], '区' | '园' | '寓' | '厦' | '村' | '苑' | '场' | '城' | '心' | '货' | '楼')
    {
        return false;
    }
    COMPOUNDS.iter().any(|w| {
        let n = w.chars().count();
        k >= n && chars[k - n..k].iter().copied().eq(w.chars())
    })
}
