//! Goods that read like personal names: a guard the name scanners ask before they keep a
//! candidate. Products and kinds of goods (唐三彩, 和田玉, 安宫牛黄丸, 欧姆龙: `products.txt`), a
//! candidate followed by a word that names goods or their maker (小林|制药, 康师付|方便面, 麦卢卡|
//! 蜂蜜), counted as goods (一台欧姆龙, “安宫牛黄丸”三粒), cut from an organisation's name (区卫健|局),
//! or written as a knock-off of a brand or product that the same text names (康师付 beside 康师傅,
//! 欧龙姆 beside 欧姆龙: 山寨 names differ from the real one by a character or an order).

use super::lexicon::FastMap;
use super::names::Scan;
use super::text::is_han;
use std::sync::LazyLock;

const PRODUCTS: &str = include_str!("../../data/privacy/products.txt");
const BRANDS: &str = include_str!("../../data/privacy/brands.txt");

/// Words after a name that make it the name of goods or of their maker.
const GOODS_AFTER: [&str; 36] = [
    "制药",
    "药业",
    "药品",
    "方便面",
    "蜂蜜",
    "奶粉",
    "饮料",
    "牌",
    "系列",
    "专柜",
    "旗舰店",
    "复制品",
    "仿品",
    "正品",
    "血压计",
    "口服液",
    "胶囊",
    "保健品",
    "面膜",
    "精华液",
    "面霜",
    "手表",
    "吸尘器",
    "电器",
    "家电",
    "食品",
    "乳业",
    "酒业",
    "礼盒",
    "包装",
    "热水器",
    "净水器",
    "油烟机",
    "燃气灶",
    "洗衣机",
    "空调",
];

/// The first characters of `GOODS_AFTER` (a cheap test before the list).
fn goods_first(c: char) -> bool {
    matches!(
        c,
        '制' | '药'
            | '方'
            | '蜂'
            | '奶'
            | '饮'
            | '牌'
            | '系'
            | '专'
            | '旗'
            | '复'
            | '仿'
            | '正'
            | '血'
            | '口'
            | '胶'
            | '保'
            | '面'
            | '精'
            | '手'
            | '吸'
            | '电'
            | '家'
            | '食'
            | '乳'
            | '酒'
            | '礼'
            | '热'
            | '净'
            | '油'
            | '燃'
            | '洗'
            | '空'
            | '包'
    )
}

/// Classifiers of goods (一台, 两盒, 三粒): what follows a numeral and one of these is a thing.
fn goods_classifier(c: char) -> bool {
    "台盒瓶粒罐袋箱支块件套副双听桶片贴剂枚颗".contains(c)
}

fn numeral(c: char) -> bool {
    "一二两三四五六七八九十几半".contains(c) || c.is_ascii_digit()
}

struct Gazetteer {
    /// Products by first character, longest first.
    products: FastMap<char, Vec<Box<[char]>>>,
    /// A bit set over their first characters (by the character's low 12 bits).
    first: [u64; 64],
    /// Products and brands of three or four Chinese characters, for the knock-off test.
    known: Vec<Box<[char]>>,
    /// Their variants (`variant_key`): one position left out, or two neighbours swapped; to the
    /// index in `known`.
    variants: FastMap<u64, Vec<usize>>,
}

/// A key of `w` with position `skip` left out (`skip == w.len()` leaves none out), swapped or not.
fn variant_key(w: &[char], skip: usize, swapped: bool) -> u64 {
    let mut h = (w.len() as u64) << 8 | (skip as u64) << 1 | u64::from(swapped);
    for (k, &c) in w.iter().enumerate() {
        if k != skip {
            h = (h.rotate_left(21) ^ c as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    h
}

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(|| {
    let lines = |text: &'static str| {
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect::<Vec<_>>()
    };
    let mut products: FastMap<char, Vec<Box<[char]>>> = FastMap::default();
    for w in lines(PRODUCTS) {
        let chars: Box<[char]> = w.chars().collect();
        products.entry(chars[0]).or_default().push(chars);
    }
    for list in products.values_mut() {
        list.sort_by_key(|w| std::cmp::Reverse(w.len()));
    }
    let known: Vec<Box<[char]>> = lines(PRODUCTS)
        .into_iter()
        .chain(lines(BRANDS))
        .map(|w| w.chars().collect::<Box<[char]>>())
        .filter(|w| (3..=4).contains(&w.len()) && w.iter().all(|&c| is_han(c)))
        .collect();
    let mut variants: FastMap<u64, Vec<usize>> = FastMap::default();
    for (i, w) in known.iter().enumerate() {
        for skip in 0..w.len() {
            variants.entry(variant_key(w, skip, false)).or_default().push(i);
        }
        for k in 0..w.len() - 1 {
            let mut swapped = w.to_vec();
            swapped.swap(k, k + 1);
            variants.entry(variant_key(&swapped, w.len(), true)).or_default().push(i);
        }
    }
    let mut first = [0u64; 64];
    for &c in products.keys() {
        first[(c as usize >> 6) & 63] |= 1 << (c as u32 & 63);
    }
    Gazetteer { products, first, known, variants }
});

/// The longest product starting at `at`, or 0.
fn product_at(chars: &[char], at: usize) -> usize {
    let c = chars[at];
    if GAZETTEER.first[(c as usize >> 6) & 63] >> (c as u32 & 63) & 1 == 0 {
        return 0;
    }
    GAZETTEER
        .products
        .get(&chars[at])
        .and_then(|list| list.iter().find(|w| chars[at..].starts_with(w)))
        .map_or(0, |w| w.len())
}

/// Whether `a` and `b` (of one length) differ by one character or by two neighbours swapped.
fn near(a: &[char], b: &[char]) -> bool {
    let mut diff = (0..a.len()).filter(|&k| a[k] != b[k]);
    match (diff.next(), diff.next(), diff.next()) {
        (Some(_), None, _) => true,
        (Some(i), Some(j), None) => j == i + 1 && a[i] == b[j] && a[j] == b[i],
        _ => false,
    }
}

fn occurs(chars: &[char], word: &[char]) -> bool {
    chars.windows(word.len()).any(|w| w == word)
}

/// The start of a shop's name in quotes (店铺“小熊精品童装”, “老王家干货”): the quoted words go on
/// past the candidate `s..e` and end in a shop's or goods' word.
pub(super) fn shop_name_start(chars: &[char], s: usize, e: usize) -> bool {
    if s == 0 || !matches!(chars[s - 1], '“' | '"' | '「' | '《') {
        return false;
    }
    let close = (e..(s + 14).min(chars.len())).find(|&k| matches!(chars[k], '”' | '"' | '」' | '》'));
    close.is_some_and(|k| k >= e + 2 && shop_end(chars[k - 1]))
}

/// The last characters of a shop's name (童装, 干货, 小屋, 牛肉): a place's, a trade's or goods'.
fn shop_end(c: char) -> bool {
    super::names::ends_like_a_place(c) || "装货屋坊行铺吧斋阁居轩堂厅房馆社肉鱼菜面饭茶酒粉方馍饼".contains(c)
}

/// Whether the candidate `s..e` names goods, their maker or an organisation rather than a person.
pub(super) fn not_a_person(scan: &Scan<'_, '_>, s: usize, e: usize) -> bool {
    let chars = scan.chars;
    // A product that covers any of the candidate (安宫|牛黄丸, 和田玉).
    if (s.saturating_sub(8)..e.min(chars.len())).any(|k| product_at(chars, k) > s.saturating_sub(k)) {
        return true;
    }
    // Goods or a maker after it (小林制药, 麦卢卡蜂蜜), a closing quote between allowed.
    let after = if matches!(chars.get(e), Some('”' | '"' | '’')) { e + 1 } else { e };
    if chars.get(after).is_some_and(|&c| goods_first(c))
        && GOODS_AFTER.iter().any(|w| super::names::starts_with_at(chars, after, w))
    {
        return true;
    }
    // Counted as goods: a numeral and a classifier before (一台欧姆龙, 两盒“…”), or after a quoted
    // name (“安宫牛黄丸”三粒).
    let before = if s > 0 && matches!(chars[s - 1], '“' | '"' | '‘') { s - 1 } else { s };
    if before >= 2 && goods_classifier(chars[before - 1]) && numeral(chars[before - 2]) {
        return true;
    }
    if after > e
        && chars.get(after).is_some_and(|&c| numeral(c))
        && chars.get(after + 1).is_some_and(|&c| goods_classifier(c))
    {
        return true;
    }
    if shop_name_start(chars, s, e) {
        return true;
    }
    // Cut from an organisation's name (区卫健|局: jieba reads 卫健局 as one organisation).
    if scan.words.at(e - 1).is_some_and(|t| t.end > e && t.start < e && t.tag.starts_with("nt")) {
        return true;
    }
    // A knock-off of a product or brand the same text names (康师付 … 康师傅), where nothing before
    // says person.
    let cand = &chars[s..e];
    (3..=4).contains(&cand.len()) && scan.cue_before(s).is_none() && knock_off(chars, cand)
}

/// Whether `cand` is one character or one swap away from a known product or brand that `chars`
/// names.
fn knock_off(chars: &[char], cand: &[char]) -> bool {
    let g = &*GAZETTEER;
    (0..=cand.len())
        .map(|skip| if skip < cand.len() { variant_key(cand, skip, false) } else { variant_key(cand, skip, true) })
        .filter_map(|key| g.variants.get(&key))
        .flatten()
        .map(|&i| &g.known[i])
        .any(|w| &w[..] != cand && near(cand, w) && occurs(chars, w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knock_offs_are_one_character_or_one_swap_away() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert!(near(&c("康师付"), &c("康师傅")));
        assert!(near(&c("欧龙姆"), &c("欧姆龙")));
        assert!(!near(&c("姆龙欧"), &c("欧姆龙")));
        assert!(!near(&c("康明付"), &c("康师傅")));
        assert_eq!(product_at(&c("安宫牛黄丸三粒"), 0), 5);
        assert!(GOODS_AFTER.iter().all(|w| goods_first(w.chars().next().unwrap_or(' '))));
    }
}
