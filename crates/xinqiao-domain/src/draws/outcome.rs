//! Running a revealed task: the targets drawn per risk class (strata), then a team of inspectors
//! per target, with every key derived from the announced sources by a fixed, documented rule.
//!
//! **Strata.** With K the RFC 3797 key of the sources, the targets of class X (in pool order,
//! i.e. by 统一社会信用代码) are drawn with key `K ‖ "stratum:X/"` (e.g.
//! `9319./2.5.8.10.12./9.18.26.34.41.45./stratum:A/`), as many as the class's [`Sampling`] rule
//! says, classes in the order A, B, C, D. The drawn targets, in this order (class by class, each
//! in pick order), are the **target order**.
//!
//! **Inspector stage.** Targets are staffed one after another in target order. For target T the
//! candidates are the inspectors in list order (by 执法证号) minus those excluded for T (the
//! published recusal and rotation pairs) and minus those who already have
//! `max_targets_per_inspector` targets; the team is the first `inspectors_per_target` picks of
//! RFC 3797 on the candidate list with key `K ‖ "inspectors:" ‖ USCC(T) ‖ "/"` (team in pick
//! order). If fewer candidates remain than a team needs, T gets **no** team, is listed in
//! `shortfalls` with the number available, and nobody's load changes.
//!
//! [`Sampling`]: super::task::Sampling

use super::error::DrawError;
use super::fenwick::Remaining;
use super::rfc3797::{pick_hash, select};
use super::task::{DrawTask, RiskClass};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One risk class's share of the draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StratumResult {
    pub risk: RiskClass,
    /// Targets of this class in the pool.
    pub eligible: usize,
    /// Targets drawn from it.
    pub drawn: usize,
}

/// A drawn target and its team (执法证号 in pick order; empty when it is in `shortfalls`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawnTarget {
    pub uscc: String,
    pub name: String,
    pub risk: RiskClass,
    pub inspectors: Vec<String>,
}

/// A drawn target for which too few eligible inspectors with capacity remained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shortfall {
    pub uscc: String,
    pub needed: u32,
    pub available: usize,
}

/// The result of a draw, as published (TASK.json's `outcome`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DrawOutcome {
    /// The task's commitment, tying the outcome to what was published at commit.
    pub commitment: String,
    /// The RFC 3797 key built from the revealed sources.
    pub key: String,
    pub strata: Vec<StratumResult>,
    /// In target order.
    pub targets: Vec<DrawnTarget>,
    /// In target order.
    pub shortfalls: Vec<Shortfall>,
}

impl DrawOutcome {
    /// Whether every drawn target has its full team.
    pub fn fully_staffed(&self) -> bool {
        self.shortfalls.is_empty()
    }

    /// How many inspector assignments (人次) the draw made.
    pub fn inspector_picks(&self) -> usize {
        self.targets.iter().map(|t| t.inspectors.len()).sum()
    }

    /// The targets given to one inspector, in target order.
    pub fn targets_of<'a>(&'a self, cert_no: &'a str) -> impl Iterator<Item = &'a DrawnTarget> + 'a {
        self.targets.iter().filter(move |t| t.inspectors.iter().any(|c| c == cert_no))
    }
}

/// The key of one stratum: `K ‖ "stratum:X/"`.
pub fn stratum_key(key: &str, risk: RiskClass) -> String {
    format!("{key}stratum:{}/", risk.code())
}

/// The key of one target's inspector draw: `K ‖ "inspectors:" ‖ USCC ‖ "/"`.
pub fn inspector_key(key: &str, uscc: &str) -> String {
    format!("{key}inspectors:{uscc}/")
}

/// Draws a revealed task. Fails when the task is invalid or a source has no readable value.
pub fn run(task: &DrawTask) -> Result<DrawOutcome, DrawError> {
    task.validate()?;
    let key = task.key()?;
    let mut members: HashMap<RiskClass, Vec<usize>> = HashMap::new();
    for (i, t) in task.targets.iter().enumerate() {
        members.entry(t.risk).or_default().push(i);
    }
    let mut strata = Vec::new();
    let mut order = Vec::new();
    for (&risk, &rule) in &task.parameters.sampling {
        let pool = members.get(&risk).map(Vec::as_slice).unwrap_or_default();
        let count = rule.count_for(pool.len());
        for p in select(stratum_key(&key, risk).as_bytes(), pool.len(), count)? {
            order.push(pool[p]);
        }
        strata.push(StratumResult { risk, eligible: pool.len(), drawn: count });
    }
    let (targets, shortfalls) = staff(task, &key, &order);
    Ok(DrawOutcome { commitment: task.commitment(), key, strata, targets, shortfalls })
}

/// The inspector stage over the drawn targets (indices into `task.targets`, in target order).
fn staff(task: &DrawTask, key: &str, order: &[usize]) -> (Vec<DrawnTarget>, Vec<Shortfall>) {
    let team = task.parameters.inspectors_per_target;
    let max = task.parameters.max_targets_per_inspector;
    let position: HashMap<&str, usize> =
        task.inspectors.iter().enumerate().map(|(i, p)| (p.cert_no.as_str(), i)).collect();
    let mut excluded: HashMap<&str, Vec<usize>> = HashMap::new();
    for e in &task.exclusions {
        if let Some(&i) = position.get(e.inspector.as_str()) {
            excluded.entry(e.uscc.as_str()).or_default().push(i);
        }
    }
    let mut load = vec![0u32; task.inspectors.len()];
    let mut candidates = Remaining::full(task.inspectors.len());
    let mut targets = Vec::with_capacity(order.len());
    let mut shortfalls = Vec::new();
    for &t in order {
        let target = &task.targets[t];
        let mut set_aside: Vec<usize> = Vec::new();
        for &i in excluded.get(target.uscc.as_str()).map(Vec::as_slice).unwrap_or_default() {
            if candidates.remove(i) {
                set_aside.push(i);
            }
        }
        let mut inspectors = Vec::new();
        if (candidates.len() as u64) < u64::from(team) {
            shortfalls.push(Shortfall { uscc: target.uscc.clone(), needed: team, available: candidates.len() });
        } else {
            let k = inspector_key(key, &target.uscc);
            let picks: Vec<usize> = (0..u64::from(team))
                .map(|i| {
                    let h = pick_hash(k.as_bytes(), i) % candidates.len() as u128;
                    candidates.take(h as usize)
                })
                .collect();
            for &p in &picks {
                load[p] += 1;
                if load[p] < max {
                    candidates.insert(p);
                }
            }
            inspectors = picks.iter().map(|&p| task.inspectors[p].cert_no.clone()).collect();
        }
        for i in set_aside {
            candidates.insert(i);
        }
        targets.push(DrawnTarget {
            uscc: target.uscc.clone(),
            name: target.name.clone(),
            risk: target.risk,
            inspectors,
        });
    }
    (targets, shortfalls)
}
