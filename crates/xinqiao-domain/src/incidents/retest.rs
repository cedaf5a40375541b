//! 复检机构随机确定 (食品安全法 art. 88): the re-test laboratory is drawn at random from the
//! published directory (复检机构名录), never the laboratory that did the first test. The pool is
//! the directory as entered minus the first laboratory, deduplicated and put in a canonical order;
//! the pick is SHA-256 over a recorded random seed and that list, so anyone holding the seed and
//! the list can recompute it. Pure rules: the seed comes from the caller.

use crate::FieldError;
use sha2::{Digest, Sha256};

/// At most this many laboratories in one directory.
pub const MAX_CANDIDATES: usize = 200;
/// A laboratory's name, in characters.
const MAX_NAME: usize = 100;
/// Separates this draw's hash input from any other use of SHA-256 in Xinqiao.
const DOMAIN_TAG: &[u8] = b"xinqiao/retest-laboratory/v1\n";

/// A laboratory's name as compared: inner whitespace dropped and full-width brackets read as
/// half-width, so "某某检测（北京）有限公司" and "某某检测(北京) 有限公司" are one laboratory.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .collect()
}

fn lab_name(field: &'static str, label: &str, raw: &str) -> Result<String, FieldError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    if name.chars().count() > MAX_NAME {
        return Err(FieldError::new(field, "too_long", format!("{label}不能超过{MAX_NAME}个字：{name}")));
    }
    if name.chars().any(char::is_control) {
        return Err(FieldError::new(field, "bad_char", format!("{label}含有不允许的字符")));
    }
    Ok(name.to_owned())
}

/// The directory a re-test laboratory is drawn from, the first laboratory taken out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetestPool {
    /// The laboratory that issued the contested result (初检机构).
    pub original: String,
    /// The eligible laboratories in canonical order (by their compared name).
    pub eligible: Vec<String>,
}

impl RetestPool {
    /// The pool from the first laboratory and the directory, one laboratory per line. Blank lines
    /// are skipped and repeats kept once; at least two laboratories must remain besides the first,
    /// or the pick would not be random.
    pub fn new(original: &str, directory: &str) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let original = lab_name("original_lab", "初检机构", original).map_err(|e| errors.push(e)).ok();
        let mut eligible: Vec<(String, String)> = Vec::new();
        let lines: Vec<&str> = directory.lines().filter(|l| !l.trim().is_empty()).collect();
        if lines.len() > MAX_CANDIDATES {
            errors.push(FieldError::new(
                "candidates",
                "too_many",
                format!("复检机构名录最多{MAX_CANDIDATES}家，请只列出本次可选的机构"),
            ));
        }
        for line in lines.iter().take(MAX_CANDIDATES) {
            match lab_name("candidates", "复检机构名称", line) {
                Ok(name) => {
                    let k = key(&name);
                    let is_original = original.as_deref().is_some_and(|o| key(o) == k);
                    if !is_original && !eligible.iter().any(|(ek, _)| *ek == k) {
                        eligible.push((k, name));
                    }
                }
                Err(e) => errors.push(e),
            }
        }
        if errors.is_empty() && eligible.len() < 2 {
            errors.push(FieldError::new(
                "candidates",
                "too_few",
                "除初检机构外，名录中至少要有两家复检机构才能随机确定",
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        eligible.sort();
        Ok(Self {
            original: original.expect("checked"),
            eligible: eligible.into_iter().map(|(_, name)| name).collect(),
        })
    }

    /// The eligible laboratory that `seed` picks: SHA-256 over a tag, the seed and the list (one
    /// compared name per line, so spelling variants of one name hash alike), its first eight
    /// bytes as a number modulo the list's length.
    pub fn pick(&self, seed: &[u8; 32]) -> usize {
        let mut h = Sha256::new();
        h.update(DOMAIN_TAG);
        h.update(seed);
        for name in &self.eligible {
            h.update(b"\n");
            h.update(key(name).as_bytes());
        }
        let digest = h.finalize();
        let n = u64::from_be_bytes(digest[..8].try_into().expect("eight bytes"));
        (n % self.eligible.len() as u64) as usize
    }

    /// The draw that `seed` makes from this pool.
    pub fn draw(self, seed: [u8; 32]) -> RetestDraw {
        let picked = self.eligible[self.pick(&seed)].clone();
        RetestDraw { pool: self, seed, picked }
    }
}

/// A drawn re-test laboratory with everything needed to check the draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetestDraw {
    pub pool: RetestPool,
    pub seed: [u8; 32],
    pub picked: String,
}

impl RetestDraw {
    /// Whether the recorded pick is the one the recorded seed and list make.
    pub fn verifies(&self) -> bool {
        !self.pool.eligible.is_empty()
            && key(&self.pool.eligible[self.pool.pick(&self.seed)]) == key(&self.picked)
            && key(&self.picked) != key(&self.pool.original)
    }

    pub fn seed_hex(&self) -> String {
        crate::crypto::hex(&self.seed)
    }

    /// The seed from its 64 hexadecimal digits.
    pub fn seed_from_hex(hex: &str) -> Option<[u8; 32]> {
        if hex.len() != 64 || !hex.is_ascii() {
            return None;
        }
        let mut seed = [0u8; 32];
        for (i, b) in seed.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIRECTORY: &str = "甲检测中心\n乙食品检验所\n\n丙检测（北京）有限公司\n丙检测(北京) 有限公司\n初检实验室\n";

    fn codes(e: Vec<FieldError>) -> Vec<(&'static str, &'static str)> {
        e.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn the_first_laboratory_and_repeats_leave_the_pool() {
        let pool = RetestPool::new(" 初检实验室 ", DIRECTORY).unwrap();
        assert_eq!(pool.eligible.len(), 3, "{:?}", pool.eligible);
        assert!(!pool.eligible.iter().any(|l| l.contains("初检")));
        let mut sorted = pool.eligible.clone();
        sorted.sort_by_key(|n| key(n));
        assert_eq!(pool.eligible, sorted, "canonical order");
    }

    #[test]
    fn order_of_entry_does_not_change_the_pick() {
        let a = RetestPool::new("初检实验室", DIRECTORY).unwrap();
        let reversed: Vec<&str> = DIRECTORY.lines().rev().collect();
        let b = RetestPool::new("初检实验室", &reversed.join("\n")).unwrap();
        for s in 0..20u8 {
            assert_eq!(a.pick(&[s; 32]), b.pick(&[s; 32]));
        }
    }

    #[test]
    fn every_laboratory_can_be_drawn_and_never_the_first() {
        let pool = RetestPool::new("初检实验室", DIRECTORY).unwrap();
        let mut counts = vec![0u32; pool.eligible.len()];
        for s in 0..3000u32 {
            let mut seed = [0u8; 32];
            seed[..4].copy_from_slice(&s.to_be_bytes());
            let draw = pool.clone().draw(seed);
            assert!(draw.verifies());
            assert_ne!(draw.picked, "初检实验室");
            counts[pool.pick(&seed)] += 1;
        }
        // 1,000 expected each; a fair pick stays well inside ±15%.
        assert!(counts.iter().all(|&c| (850..=1150).contains(&c)), "{counts:?}");
    }

    #[test]
    fn a_changed_pick_or_seed_does_not_verify() {
        let pool = RetestPool::new("初检实验室", DIRECTORY).unwrap();
        let draw = pool.draw([7; 32]);
        let mut other = draw.clone();
        other.picked = other.pool.eligible.iter().find(|l| **l != draw.picked).unwrap().clone();
        assert!(!other.verifies());
        let hex = draw.seed_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(RetestDraw::seed_from_hex(&hex), Some([7; 32]));
        assert_eq!(RetestDraw::seed_from_hex("zz"), None);
        assert_eq!(RetestDraw::seed_from_hex(&"g".repeat(64)), None);
    }

    #[test]
    fn too_few_laboratories_is_refused() {
        let e = RetestPool::new("初检实验室", "初检实验室\n甲检测中心\n甲检测中心").unwrap_err();
        assert_eq!(codes(e), [("candidates", "too_few")]);
        let e = RetestPool::new("", "").unwrap_err();
        assert_eq!(codes(e), [("original_lab", "required")]);
    }

    #[test]
    fn long_names_and_huge_directories_are_refused() {
        let long = "检".repeat(101);
        let e = RetestPool::new("初检实验室", &format!("甲\n乙\n{long}")).unwrap_err();
        assert_eq!(codes(e), [("candidates", "too_long")]);
        let many: Vec<String> = (0..201).map(|i| format!("实验室{i}")).collect();
        let e = RetestPool::new("初检实验室", &many.join("\n")).unwrap_err();
        assert_eq!(codes(e), [("candidates", "too_many")]);
    }
}
