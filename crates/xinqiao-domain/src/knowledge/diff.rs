//! A readable diff between two versions of an entry, field by field.
//!
//! Text is compared character by character (Chinese has no spaces to split on) with a longest
//! common subsequence, then cleaned up the way diff-match-patch's semantic cleanup does: a short
//! equal run stranded between two edits at least as long is folded into them, so `可以退货` →
//! `不能退款` reads as one replacement instead of `可以|不能` `退` `货|款`. Within each changed
//! stretch the deleted text comes first, then the inserted text. Texts too long for the quadratic
//! table are compared clause by clause. List fields (citations, audience, industries, tags) are
//! compared item by item, one item per line.
//!
//! Invariant: the `Equal` and `Delete` texts concatenated give the old text, the `Equal` and
//! `Insert` texts the new one.

use serde::Serialize;

use super::entry::{QaEntry, industry_label};
use super::laws::Law;

/// One stretch of a diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", content = "text", rename_all = "snake_case")]
pub enum DiffOp {
    Equal(String),
    Insert(String),
    Delete(String),
}

impl DiffOp {
    pub fn text(&self) -> &str {
        match self {
            DiffOp::Equal(t) | DiffOp::Insert(t) | DiffOp::Delete(t) => t,
        }
    }
}

/// The diff of one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldDiff {
    /// `question`, `answer`, `explanation`, `citations`, `audience`, `industries`, `tags`, `review_by`.
    pub field: &'static str,
    /// The field's Chinese name.
    pub label: &'static str,
    pub ops: Vec<DiffOp>,
}

impl FieldDiff {
    pub fn changed(&self) -> bool {
        self.ops.iter().any(|op| !matches!(op, DiffOp::Equal(_)))
    }
}

/// Above this many table cells, text is compared clause by clause.
const MAX_CELLS: usize = 2_000_000;

/// The character-level diff of two texts.
pub fn diff_text(old: &str, new: &str) -> Vec<DiffOp> {
    let a: Vec<char> = old.chars().collect();
    let b: Vec<char> = new.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..].iter().rev().zip(b[prefix..].iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    let mut raw: Vec<(Kind, String)> = vec![(Kind::Equal, a[..prefix].iter().collect())];
    if ma.len().saturating_mul(mb.len()) <= MAX_CELLS {
        let units = |s: &[char]| s.iter().map(|c| c.to_string()).collect::<Vec<_>>();
        raw.extend(lcs(&units(ma), &units(mb)));
    } else {
        let (ca, cb) = (clauses(ma), clauses(mb));
        if ca.len().saturating_mul(cb.len()) <= MAX_CELLS {
            raw.extend(lcs(&ca, &cb));
        } else {
            raw.push((Kind::Delete, ma.iter().collect()));
            raw.push((Kind::Insert, mb.iter().collect()));
        }
    }
    raw.push((Kind::Equal, a[a.len() - suffix..].iter().collect()));
    let mut ops = regroup(raw);
    while fold_short_equalities(&mut ops) {
        ops = regroup(ops);
    }
    ops.into_iter()
        .map(|(k, t)| match k {
            Kind::Equal => DiffOp::Equal(t),
            Kind::Insert => DiffOp::Insert(t),
            Kind::Delete => DiffOp::Delete(t),
        })
        .collect()
}

/// Item-by-item diff of two lists, each item rendered as one line (`item\n`).
pub fn diff_lines(old: &[String], new: &[String]) -> Vec<DiffOp> {
    let line = |s: &String| format!("{s}\n");
    let (a, b): (Vec<String>, Vec<String>) = (old.iter().map(line).collect(), new.iter().map(line).collect());
    regroup(lcs(&a, &b))
        .into_iter()
        .map(|(k, t)| match k {
            Kind::Equal => DiffOp::Equal(t),
            Kind::Insert => DiffOp::Insert(t),
            Kind::Delete => DiffOp::Delete(t),
        })
        .collect()
}

/// Every field of two versions of an entry, in display order (unchanged fields included, with a
/// single `Equal`; see [`FieldDiff::changed`]). Citations are shown with the law names in `laws`.
pub fn diff_entries(old: &QaEntry, new: &QaEntry, laws: &[Law]) -> Vec<FieldDiff> {
    let citations = |e: &QaEntry| e.citations.iter().map(|c| c.label(laws)).collect::<Vec<_>>();
    let audience = |e: &QaEntry| e.audience.iter().map(|a| a.label().to_owned()).collect::<Vec<_>>();
    let industries = |e: &QaEntry| {
        e.industries.iter().map(|c| format!("{c} {}", industry_label(*c).unwrap_or("（未知门类）"))).collect::<Vec<_>>()
    };
    let date = |e: &QaEntry| e.review_by.map(|d| d.to_string()).unwrap_or_default();
    let field = |field, label, ops| FieldDiff { field, label, ops };
    vec![
        field("question", "问题", diff_text(&old.question, &new.question)),
        field("answer", "答复", diff_text(&old.answer, &new.answer)),
        field("explanation", "解释说明", diff_text(&old.explanation, &new.explanation)),
        field("citations", "法律依据", diff_lines(&citations(old), &citations(new))),
        field("audience", "面向对象", diff_lines(&audience(old), &audience(new))),
        field("industries", "行业", diff_lines(&industries(old), &industries(new))),
        field("tags", "标签", diff_lines(&old.tags, &new.tags)),
        field("review_by", "复核日期", diff_text(&date(old), &date(new))),
    ]
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Equal,
    Insert,
    Delete,
}

/// Splits after each clause-ending punctuation mark (and newline).
fn clauses(chars: &[char]) -> Vec<String> {
    let mut out = vec![String::new()];
    for c in chars {
        out.last_mut().expect("never empty").push(*c);
        if "。！？；，、：\n!?;,".contains(*c) {
            out.push(String::new());
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// Longest common subsequence of two unit lists, as tagged units (deletions before insertions).
fn lcs(a: &[String], b: &[String]) -> Vec<(Kind, String)> {
    let (n, m) = (a.len(), b.len());
    let w = m + 1;
    // table[i * w + j] = LCS length of a[i..] and b[j..].
    let mut table = vec![0u32; (n + 1) * w];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            table[i * w + j] = if a[i] == b[j] {
                table[(i + 1) * w + j + 1] + 1
            } else {
                table[(i + 1) * w + j].max(table[i * w + j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(n + m));
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            out.push((Kind::Equal, a[i].clone()));
            (i, j) = (i + 1, j + 1);
        } else if j == m || (i < n && table[(i + 1) * w + j] >= table[i * w + j + 1]) {
            out.push((Kind::Delete, a[i].clone()));
            i += 1;
        } else {
            out.push((Kind::Insert, b[j].clone()));
            j += 1;
        }
    }
    out
}

/// Merges runs: equal text between changed stretches stays as it is; each changed stretch
/// becomes one deletion followed by one insertion. Empty pieces are dropped.
fn regroup(ops: Vec<(Kind, String)>) -> Vec<(Kind, String)> {
    let mut out: Vec<(Kind, String)> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<(Kind, String)>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push((Kind::Delete, std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push((Kind::Insert, std::mem::take(ins)));
        }
    };
    for (k, t) in ops {
        match k {
            Kind::Delete => del.push_str(&t),
            Kind::Insert => ins.push_str(&t),
            Kind::Equal if t.is_empty() => {}
            Kind::Equal => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some((Kind::Equal, prev)) => prev.push_str(&t),
                    _ => out.push((Kind::Equal, t)),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// Folds the first equality no longer than the larger side of the change on each of its sides
/// into both (diff-match-patch's rule). Returns whether it folded one.
fn fold_short_equalities(ops: &mut Vec<(Kind, String)>) -> bool {
    let chars = |s: &String| s.chars().count();
    // The larger of deletion and insertion in the changed stretch ending before / starting after `i`.
    let side = |ops: &[(Kind, String)], range: &mut dyn Iterator<Item = usize>| {
        let (mut d, mut n) = (0, 0);
        for k in range {
            match &ops[k] {
                (Kind::Delete, t) => d += chars(t),
                (Kind::Insert, t) => n += chars(t),
                (Kind::Equal, _) => break,
            }
        }
        d.max(n)
    };
    for i in 1..ops.len().saturating_sub(1) {
        if ops[i].0 != Kind::Equal {
            continue;
        }
        let len = chars(&ops[i].1);
        let before = side(ops, &mut (0..i).rev());
        let after = side(ops, &mut (i + 1..ops.len()));
        if before > 0 && after > 0 && len <= before && len <= after {
            let t = std::mem::take(&mut ops[i].1);
            ops.splice(i..=i, [(Kind::Delete, t.clone()), (Kind::Insert, t)]);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sides(ops: &[DiffOp]) -> (String, String) {
        let mut old = String::new();
        let mut new = String::new();
        for op in ops {
            match op {
                DiffOp::Equal(t) => {
                    old.push_str(t);
                    new.push_str(t);
                }
                DiffOp::Delete(t) => old.push_str(t),
                DiffOp::Insert(t) => new.push_str(t),
            }
        }
        (old, new)
    }

    #[test]
    fn a_changed_number_is_one_replacement() {
        let ops = diff_text("收货之日起七日内可以退货。", "收货之日起十五日内可以退货。");
        assert_eq!(
            ops,
            vec![
                DiffOp::Equal("收货之日起".into()),
                DiffOp::Delete("七".into()),
                DiffOp::Insert("十五".into()),
                DiffOp::Equal("日内可以退货。".into()),
            ]
        );
    }

    #[test]
    fn stranded_single_characters_fold_into_the_replacement() {
        let ops = diff_text("商家可以退货", "商家不能退款");
        assert_eq!(
            ops,
            vec![DiffOp::Equal("商家".into()), DiffOp::Delete("可以退货".into()), DiffOp::Insert("不能退款".into())]
        );
    }

    #[test]
    fn insertions_deletions_and_identity() {
        assert_eq!(diff_text("", ""), Vec::<DiffOp>::new());
        assert_eq!(diff_text("同样", "同样"), vec![DiffOp::Equal("同样".into())]);
        assert_eq!(diff_text("", "新增"), vec![DiffOp::Insert("新增".into())]);
        assert_eq!(
            diff_text("请拨打12315。", "请拨打12315或登录全国12315平台。"),
            vec![
                DiffOp::Equal("请拨打12315".into()),
                DiffOp::Insert("或登录全国12315平台".into()),
                DiffOp::Equal("。".into())
            ]
        );
    }

    #[test]
    fn both_texts_can_be_rebuilt_from_every_diff() {
        let texts = [
            "",
            "经营者应当在七日内退货。",
            "商家要在收到退货后七天内退款，运费按约定承担。",
            "请保留好购物小票和聊天记录，再拨打12315投诉。",
            "abc，食品安全法第五十三条：进货查验记录。",
            "健身房关门了？请先联系商家协商退款。",
        ];
        for a in texts {
            for b in texts {
                let ops = diff_text(a, b);
                assert_eq!(sides(&ops), (a.to_owned(), b.to_owned()), "{a} → {b}");
                assert!(ops.iter().all(|op| !op.text().is_empty()));
                assert!(
                    ops.windows(2).all(|w| !(matches!(w[0], DiffOp::Equal(_)) && matches!(w[1], DiffOp::Equal(_))))
                );
            }
        }
    }

    #[test]
    fn long_texts_fall_back_to_clauses() {
        let a = "第一句，没有变化。".repeat(300);
        let b = format!("{a}新加的一句。");
        let ops = diff_text(&a, &b);
        assert_eq!(sides(&ops), (a.clone(), b.clone()));
        let c: String = a.chars().rev().collect();
        assert_eq!(sides(&diff_text(&a, &c)), (a, c));
    }

    #[test]
    fn lists_compare_item_by_item() {
        let old = vec!["预付卡".to_owned(), "退款".to_owned()];
        let new = vec!["预付卡".to_owned(), "储值卡".to_owned(), "退款".to_owned()];
        assert_eq!(
            diff_lines(&old, &new),
            vec![DiffOp::Equal("预付卡\n".into()), DiffOp::Insert("储值卡\n".into()), DiffOp::Equal("退款\n".into())]
        );
    }

    #[test]
    fn entries_diff_field_by_field() {
        let laws = crate::knowledge::laws();
        let entries = crate::knowledge::starter_entries();
        let old = entries[0].clone();
        let mut new = old.clone();
        new.answer.push_str("有疑问请拨打12315。");
        new.tags.push("新标签".into());
        let diff = diff_entries(&old, &new, &laws);
        let changed: Vec<&str> = diff.iter().filter(|f| f.changed()).map(|f| f.field).collect();
        assert_eq!(changed, ["answer", "tags"]);
        assert_eq!(diff.len(), 8);
        let answer = &diff[1];
        assert_eq!(answer.ops.last(), Some(&DiffOp::Insert("有疑问请拨打12315。".into())));
        let json = serde_json::to_value(&answer.ops[0]).unwrap();
        assert_eq!(json["op"], "equal");
        assert!(diff[3].ops[0].text().contains('《'), "citations are shown with law names");
    }
}
