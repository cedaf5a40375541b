//! 预警's scan: flags enterprises whose complaints jump above their own baseline (a stricter rule
//! for prepaid cards, the vanished-gym pattern) and categories surging in a region against the
//! same weeks of earlier years; run in the background and on a supervisor's request.

use super::names::Names;
use super::refresh;
use crate::AppState;
use crate::error::AppError;
use crate::tasks::{Task, TaskError};
use std::collections::HashMap;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::{Filter, SpikeRule, enterprise_spike, seasonal_surge};
use xinqiao_store::warnings::NewWarning;

/// The nature code of prepaid-card complaints in the shipped taxonomy.
const PREPAID: &str = "prepaid";
/// How many years back a seasonal baseline looks.
const SEASONS: i64 = 3;

fn all_enterprises(state_cube: &xinqiao_domain::insights::Cube, f: &Filter) -> HashMap<String, i64> {
    state_cube.dashboard(f, usize::MAX).top_enterprises.into_iter().collect()
}

/// Runs every rule over the roll-ups as of `today`, bureau by bureau (each warning belongs to the
/// bureau whose cases raised it, so each bureau sees its own); returns the bureau (region code)
/// of each warning newly raised.
pub async fn scan(state: &AppState, today: Date) -> Result<Vec<String>, AppError> {
    refresh(state).await?;
    let t = today.0;
    let mut found: Vec<NewWarning> = Vec::new();
    let names = {
        let copy = state.insights.cube.read().await;
        let cube = &copy.cube;
        // Every bureau with cases in the baseline or the last week.
        let bureaus: Vec<String> =
            cube.dashboard(&Filter::days(t - 96, t), 0).by_bureau.into_iter().map(|b| b.0).collect();
        // Earlier years count as a seasonal baseline only where the platform holds data for them.
        let shifts: Vec<i64> = (1..=SEASONS)
            .map(|y| 365 * y)
            .filter(|shift| cube.dashboard(&Filter::days(t - 6 - shift, t - shift), 0).total.received > 0)
            .collect();
        for bureau in bureaus {
            let only = Some(vec![bureau.clone()]);
            let scoped = |from: i64, to: i64| Filter { scope: only.clone(), ..Filter::days(from, to) };
            for (rule_code, rule, category) in [
                ("enterprise_spike", SpikeRule::enterprise(), None),
                ("prepaid_spike", SpikeRule::prepaid(), Some(PREPAID.to_owned())),
            ] {
                let now = all_enterprises(cube, &Filter { category: category.clone(), ..scoped(t - 6, t) });
                let before = all_enterprises(cube, &Filter { category: category.clone(), ..scoped(t - 96, t - 7) });
                for (key, n) in now {
                    let base = before.get(&key).copied().unwrap_or(0);
                    if let Some(s) = enterprise_spike(n as u64, base as u64, rule) {
                        found.push(NewWarning {
                            rule: rule_code.into(),
                            subject: format!("{key}@{bureau}"),
                            bureau: bureau.clone(),
                            label: String::new(),
                            window_end: t,
                            observed: s.observed as i64,
                            expected: format!("{:.2}", s.expected),
                            p_value: format!("{:.2e}", s.p_value),
                            case_ids: Vec::new(),
                        });
                    }
                }
            }
            // Categories against the same weeks of earlier years (or the four weeks before).
            let counts = |f: Filter| -> HashMap<String, i64> {
                cube.dashboard(&f, 0).by_category.into_iter().map(|r| (r.code, r.count)).collect()
            };
            let current = counts(scoped(t - 6, t));
            let seasons: Vec<HashMap<String, i64>> =
                shifts.iter().map(|shift| counts(scoped(t - 6 - shift, t - shift))).collect();
            let trailing = counts(scoped(t - 34, t - 7));
            for (category, n) in current {
                let prior: Vec<u64> = seasons.iter().map(|s| s.get(&category).copied().unwrap_or(0) as u64).collect();
                let before = trailing.get(&category).copied().unwrap_or(0) as u64;
                if let Some(s) = seasonal_surge(n as u64, &prior, before, SpikeRule::enterprise()) {
                    found.push(NewWarning {
                        rule: "category_surge".into(),
                        subject: format!("{category}@{bureau}"),
                        bureau: bureau.clone(),
                        label: String::new(),
                        window_end: t,
                        observed: s.observed as i64,
                        expected: format!("{:.2}", s.expected),
                        p_value: format!("{:.2e}", s.p_value),
                        case_ids: Vec::new(),
                    });
                }
            }
        }
        let keys: Vec<String> = found
            .iter()
            .filter(|w| w.rule != "category_surge")
            .map(|w| subject_parts(&w.subject).0.to_owned())
            .collect();
        Names { enterprises: state.store.enterprise_names(&keys).await?, ..Names::load(state).await? }
    };
    let mut raised = Vec::new();
    for mut w in found {
        let (key, region) = subject_parts(&w.subject);
        let (key, region) = (key.to_owned(), region.to_owned());
        let (enterprise, category) = match w.rule.as_str() {
            "category_surge" => {
                w.label = format!("{} · {}", names.category(&key), names.region(&region));
                (None, Some(key))
            }
            rule => {
                let name = names.enterprises.get(&key).cloned().unwrap_or_else(|| key.clone());
                let name = format!("{name}（{}）", names.region(&region));
                w.label = if rule == "prepaid_spike" { format!("{name} · 预付式消费") } else { name };
                (Some(key), (rule == "prepaid_spike").then(|| PREPAID.to_owned()))
            }
        };
        w.case_ids =
            state.store.cases_behind(enterprise.as_deref(), category.as_deref(), Some(&region), t - 6, t, 200).await?;
        if state.store.raise_warning(&w).await?.is_some() {
            raised.push(w.bureau);
        }
    }
    Ok(raised)
}

/// `(key, region)` of a subject `key@region` (the region after the last `@`).
fn subject_parts(subject: &str) -> (&str, &str) {
    subject.rsplit_once('@').unwrap_or((subject, ""))
}

/// The scan in the background, every ten minutes (the first at start).
pub fn scanner() -> Task {
    Task::every("warnings", std::time::Duration::from_secs(600), |state: AppState| async move {
        let today = state.today();
        scan(&state, today).await.map(|_| ()).map_err(|e| {
            tracing::warn!(error = %e, "the warning scan failed");
            TaskError("预警扫描失败")
        })
    })
}
