//! Producers' chain (原料批次 → 生产批次 → 出货): a raw-material use names the production batch
//! (GTIN + batch) it went into; the rules a submission of lines must meet before it is written —
//! the batch made must be recorded as produced by the same enterprise (already, or in the same
//! submission) and a lot cannot give more than its stock on hand.

use super::entry::{Batch, EntryKind, Milli};
use super::gs1::Gtin;
use crate::FieldError;
use std::collections::{BTreeMap, BTreeSet};

/// One product batch: a GTIN and the batch or lot number printed with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Lot {
    pub gtin: Gtin,
    pub batch: Batch,
}

impl Lot {
    pub fn new(gtin: Gtin, batch: Batch) -> Self {
        Lot { gtin, batch }
    }
}

impl std::fmt::Display for Lot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} 批号 {}", self.gtin.short(), self.batch.as_str())
    }
}

/// A line of a submission as the chain check reads it. `into_gtin` may be left out when the
/// enterprise makes only one product under `into_batch`: the check then fills it in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainLine {
    pub kind: EntryKind,
    pub gtin: Gtin,
    pub batch: Option<Batch>,
    pub quantity_milli: i64,
    pub into_gtin: Option<Gtin>,
    pub into_batch: Option<Batch>,
}

impl ChainLine {
    fn lot(&self) -> Option<Lot> {
        self.batch.clone().map(|b| Lot::new(self.gtin.clone(), b))
    }
}

/// What the enterprise's ledger already says, read in the writing transaction (without the line
/// being corrected, if any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainFacts {
    /// The production batches recorded by current lines, for the batch numbers the submission names.
    pub produced: BTreeSet<Lot>,
    /// Stock on hand (thousandths) by current lines, for the lots the submission uses.
    pub on_hand: BTreeMap<Lot, i64>,
}

/// A refused line: its index in the submission and why.
pub type LineError = (usize, FieldError);

/// Checks a submission in order, filling in each raw-material use's product GTIN where the batch
/// alone names it. Every problem of every line is reported; nothing is to be written on any.
///
/// - a raw-material use names the batch it went into; only a raw-material use does;
/// - that batch is a production batch of this enterprise, recorded before or in the same
///   submission; a batch number alone must name exactly one product;
/// - a lot is not used in itself;
/// - the quantity used is at most the lot's stock on hand: current lines plus the submission's
///   earlier lines.
pub fn check(lines: &mut [ChainLine], facts: &ChainFacts) -> Result<(), Vec<LineError>> {
    let mut produced = facts.produced.clone();
    produced.extend(lines.iter().filter(|l| l.kind == EntryKind::Production).filter_map(ChainLine::lot));
    let mut on_hand = facts.on_hand.clone();
    let mut errors = Vec::new();
    for (i, line) in lines.iter_mut().enumerate() {
        if line.kind != EntryKind::MaterialUse {
            if line.into_batch.is_some() || line.into_gtin.is_some() {
                errors.push((
                    i,
                    FieldError::new("into_batch", "only_material_use", "只有原料使用记录才填写用于生产的产品和批号"),
                ));
            }
        } else {
            use_line(i, line, &produced, &mut errors);
        }
        if let Some(lot) = line.lot() {
            let slot = on_hand.entry(lot.clone()).or_insert(0);
            if line.kind == EntryKind::MaterialUse && line.quantity_milli > *slot {
                errors.push((
                    i,
                    FieldError::new(
                        "quantity",
                        "over_stock",
                        format!(
                            "原料 {lot} 按台账在库 {}，不足本次使用的 {}：请先记录进货，或核对数量",
                            Milli((*slot).max(0)),
                            Milli(line.quantity_milli)
                        ),
                    ),
                ));
            }
            *slot += line.kind.stock_sign() * line.quantity_milli;
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The production batch a raw-material use names: resolved, known, not the lot itself.
fn use_line(i: usize, line: &mut ChainLine, produced: &BTreeSet<Lot>, errors: &mut Vec<LineError>) {
    let Some(batch) = line.into_batch.clone() else {
        errors.push((i, FieldError::new("into_batch", "required", "原料使用记录须填写用于生产的批号")));
        return;
    };
    let gtin = match &line.into_gtin {
        Some(g) => g.clone(),
        None => {
            let mut made = produced.iter().filter(|l| l.batch == batch).map(|l| &l.gtin);
            match (made.next(), made.next()) {
                (Some(g), None) => {
                    line.into_gtin = Some(g.clone());
                    g.clone()
                }
                (Some(_), Some(_)) => {
                    errors.push((
                        i,
                        FieldError::new(
                            "into_code",
                            "ambiguous_production",
                            format!("本企业有多个产品的生产批号都是“{}”：请填写用于生产的产品条码", batch.as_str()),
                        ),
                    ));
                    return;
                }
                (None, _) => {
                    errors.push((i, unknown(&format!("批号“{}”", batch.as_str()))));
                    return;
                }
            }
        }
    };
    let into = Lot::new(gtin, batch);
    if !produced.contains(&into) {
        errors.push((i, unknown(&format!("产品 {into}"))));
    } else if line.lot().as_ref() == Some(&into) {
        errors.push((i, FieldError::new("into_batch", "self_use", "原料批次不能用于生产它自己")));
    }
}

fn unknown(what: &str) -> FieldError {
    FieldError::new(
        "into_batch",
        "unknown_production",
        format!("本企业台账中没有{what}的生产记录：请先记录该批次的生产，或在同一次导入中一并记录"),
    )
}

/// A correction of a production line must not take away a batch that raw-material uses point to:
/// `uses` current uses name `old`, and `still_made` says whether another current line (or the
/// correction itself) still records `old` as produced.
pub fn check_production_correction(old: &Lot, uses: i64, still_made: bool) -> Result<(), FieldError> {
    if uses > 0 && !still_made {
        return Err(FieldError::new(
            "batch",
            "production_in_use",
            format!(
                "已有 {uses} 条原料使用记录用于生产批次 {old}：请先更正那些原料使用记录，再更改这条生产记录的产品或批号"
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(s: &str) -> Gtin {
        Gtin::parse(s).unwrap()
    }

    fn b(s: &str) -> Batch {
        Batch::parse(s).unwrap()
    }

    const FLOUR: &str = "6901234567892";
    const BREAD: &str = "6920000000005";
    const CAKE: &str = "6930000000004";

    fn line(kind: EntryKind, gtin: &str, batch: &str, qty: i64) -> ChainLine {
        ChainLine {
            kind,
            gtin: g(gtin),
            batch: Some(b(batch)),
            quantity_milli: qty * 1000,
            into_gtin: None,
            into_batch: None,
        }
    }

    fn used(gtin: &str, batch: &str, qty: i64, into: Option<&str>, into_batch: &str) -> ChainLine {
        ChainLine {
            into_gtin: into.map(g),
            into_batch: Some(b(into_batch)),
            ..line(EntryKind::MaterialUse, gtin, batch, qty)
        }
    }

    fn facts(produced: &[(&str, &str)], on_hand: &[(&str, &str, i64)]) -> ChainFacts {
        ChainFacts {
            produced: produced.iter().map(|(gt, bt)| Lot::new(g(gt), b(bt))).collect(),
            on_hand: on_hand.iter().map(|(gt, bt, q)| (Lot::new(g(gt), b(bt)), q * 1000)).collect(),
        }
    }

    fn codes(r: Result<(), Vec<LineError>>) -> Vec<(usize, &'static str, &'static str)> {
        r.unwrap_err().into_iter().map(|(i, e)| (i, e.field, e.code)).collect()
    }

    #[test]
    fn a_use_names_a_recorded_production_batch_and_the_gtin_is_filled_in() {
        let f = facts(&[(BREAD, "P1")], &[(FLOUR, "F1", 10)]);
        let mut lines = vec![used(FLOUR, "F1", 4, None, "P1")];
        assert_eq!(check(&mut lines, &f), Ok(()));
        assert_eq!(lines[0].into_gtin, Some(g(BREAD)), "the only product made under P1");
        let mut lines = vec![used(FLOUR, "F1", 4, Some(BREAD), "P1")];
        assert_eq!(check(&mut lines, &f), Ok(()));
    }

    #[test]
    fn the_production_batch_may_come_in_the_same_submission_in_any_order() {
        let f = facts(&[], &[]);
        let mut lines = vec![
            line(EntryKind::Purchase, FLOUR, "F1", 10),
            used(FLOUR, "F1", 10, None, "P2"),
            line(EntryKind::Production, BREAD, "P2", 100),
        ];
        assert_eq!(check(&mut lines, &f), Ok(()));
        assert_eq!(lines[1].into_gtin, Some(g(BREAD)));
    }

    #[test]
    fn an_unknown_or_ambiguous_or_missing_batch_is_refused() {
        let f = facts(&[(BREAD, "P1"), (CAKE, "P1")], &[(FLOUR, "F1", 10)]);
        let mut lines = vec![
            used(FLOUR, "F1", 1, None, "P1"),
            used(FLOUR, "F1", 1, None, "P9"),
            used(FLOUR, "F1", 1, Some(BREAD), "P9"),
            ChainLine { into_batch: None, ..used(FLOUR, "F1", 1, None, "x") },
        ];
        assert_eq!(
            codes(check(&mut lines, &f)),
            [
                (0, "into_code", "ambiguous_production"),
                (1, "into_batch", "unknown_production"),
                (2, "into_batch", "unknown_production"),
                (3, "into_batch", "required"),
            ]
        );
        // A product made elsewhere (another enterprise's batch) is not this enterprise's production.
        let mut lines = vec![used(FLOUR, "F1", 1, Some(CAKE), "P2")];
        assert_eq!(codes(check(&mut lines, &facts(&[(BREAD, "P2")], &[(FLOUR, "F1", 5)]))).len(), 1);
    }

    #[test]
    fn only_a_material_use_names_a_batch_and_a_lot_is_not_used_in_itself() {
        let f = facts(&[(FLOUR, "F1")], &[(FLOUR, "F1", 10)]);
        let mut sale = line(EntryKind::Sale, FLOUR, "F1", 1);
        sale.into_batch = Some(b("F1"));
        let mut lines = vec![sale, used(FLOUR, "F1", 1, Some(FLOUR), "F1")];
        assert_eq!(
            codes(check(&mut lines, &f)),
            [(0, "into_batch", "only_material_use"), (1, "into_batch", "self_use")]
        );
    }

    #[test]
    fn a_use_cannot_exceed_stock_on_hand_counting_earlier_lines_of_the_submission() {
        let f = facts(&[(BREAD, "P1")], &[(FLOUR, "F1", 10)]);
        let mut lines = vec![used(FLOUR, "F1", 6, None, "P1"), used(FLOUR, "F1", 5, None, "P1")];
        let errs = check(&mut lines, &f).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].0, errs[0].1.code), (1, "over_stock"));
        assert!(errs[0].1.message.contains("在库 4"), "{}", errs[0].1.message);
        // A purchase earlier in the same file counts; a lot never recorded has nothing on hand.
        let mut lines = vec![line(EntryKind::Purchase, FLOUR, "F1", 1), used(FLOUR, "F1", 11, None, "P1")];
        assert_eq!(check(&mut lines, &f), Ok(()));
        let mut lines = vec![used(FLOUR, "F2", 1, None, "P1")];
        assert_eq!(codes(check(&mut lines, &f)), [(0, "quantity", "over_stock")]);
        // Thousandths count: 10 kg less 0.001 kg is not enough for 10 kg.
        let mut lines = vec![ChainLine { quantity_milli: 10_001, ..used(FLOUR, "F1", 0, None, "P1") }];
        assert_eq!(codes(check(&mut lines, &f)), [(0, "quantity", "over_stock")]);
    }

    #[test]
    fn a_production_batch_with_uses_keeps_its_identity_through_corrections() {
        let p = Lot::new(g(BREAD), b("P1"));
        assert_eq!(check_production_correction(&p, 2, false).unwrap_err().code, "production_in_use");
        assert!(check_production_correction(&p, 2, true).is_ok(), "another line still records it");
        assert!(check_production_correction(&p, 0, false).is_ok(), "nothing points at it");
    }
}
