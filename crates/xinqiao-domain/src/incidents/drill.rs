//! 泄密演练: a drill of a leaked plan. Who opened the incident (and so its plan) before the plan
//! was carried out, each person once with their first and last opening and how often, members
//! of the team apart from everyone else; and how long the drill took against the bureau's own
//! target (not a legal clock).

use std::collections::BTreeMap;

/// One opening of the incident: who, when (ms since the epoch).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub user_id: String,
    pub at_ms: i64,
}

/// Someone who opened the incident before the plan was carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opener {
    pub user_id: String,
    pub first_ms: i64,
    pub last_ms: i64,
    pub times: usize,
    /// On the incident's team (knowing the plan was their work); everyone else is a finding.
    pub on_team: bool,
}

/// Everyone who opened it strictly before `carried_out_ms`: people off the team first, then by
/// their first opening.
pub fn openers_before(openings: &[Opening], carried_out_ms: i64, team: &[String]) -> Vec<Opener> {
    let mut by_user: BTreeMap<&str, Opener> = BTreeMap::new();
    for o in openings.iter().filter(|o| o.at_ms < carried_out_ms) {
        let e = by_user.entry(&o.user_id).or_insert_with(|| Opener {
            user_id: o.user_id.clone(),
            first_ms: o.at_ms,
            last_ms: o.at_ms,
            times: 0,
            on_team: team.contains(&o.user_id),
        });
        e.first_ms = e.first_ms.min(o.at_ms);
        e.last_ms = e.last_ms.max(o.at_ms);
        e.times += 1;
    }
    let mut out: Vec<Opener> = by_user.into_values().collect();
    out.sort_by(|a, b| a.on_team.cmp(&b.on_team).then(a.first_ms.cmp(&b.first_ms)).then(a.user_id.cmp(&b.user_id)));
    out
}

/// The drill's time against its target: from its start to its report (or to now while open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DrillTiming {
    pub elapsed_ms: i64,
    pub target_ms: i64,
    pub closed: bool,
}

impl DrillTiming {
    pub fn new(started_ms: i64, closed_ms: Option<i64>, now_ms: i64, target_hours: u32) -> Self {
        let end = closed_ms.unwrap_or(now_ms);
        DrillTiming {
            elapsed_ms: (end - started_ms).max(0),
            target_ms: i64::from(target_hours) * 3_600_000,
            closed: closed_ms.is_some(),
        }
    }

    pub fn met(&self) -> bool {
        self.elapsed_ms <= self.target_ms
    }

    /// In words: 用时 2 小时 5 分（目标 24 小时内，已达成 / 已超出 / 进行中）.
    pub fn describe(&self) -> String {
        let minutes = self.elapsed_ms / 60_000;
        let took = if minutes >= 60 {
            format!("{} 小时 {} 分", minutes / 60, minutes % 60)
        } else {
            format!("{minutes} 分")
        };
        let verdict = match (self.closed, self.met()) {
            (true, true) => "已达成",
            (true, false) => "未达成",
            (false, true) => "进行中",
            (false, false) => "进行中，已超出",
        };
        format!("用时 {took}（本局目标：{} 小时内，{verdict}）", self.target_ms / 3_600_000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(user: &str, ms: i64) -> Opening {
        Opening { user_id: user.into(), at_ms: ms }
    }

    #[test]
    fn openers_before_the_plan_are_counted_once_each_strangers_first() {
        let openings =
            [at("owner", 10), at("clerk", 30), at("owner", 50), at("clerk", 20), at("late", 100), at("edge", 99)];
        let team = vec!["owner".to_owned()];
        let o = openers_before(&openings, 100, &team);
        let ids: Vec<&str> = o.iter().map(|o| o.user_id.as_str()).collect();
        assert_eq!(ids, vec!["clerk", "edge", "owner"], "the one at the very time it was carried out is not listed");
        assert_eq!((o[0].first_ms, o[0].last_ms, o[0].times, o[0].on_team), (20, 30, 2, false));
        assert_eq!((o[2].first_ms, o[2].last_ms, o[2].times, o[2].on_team), (10, 50, 2, true));
        assert!(openers_before(&openings, 10, &team).is_empty());
    }

    #[test]
    fn the_drill_is_timed_against_its_target() {
        let t = DrillTiming::new(0, Some(125 * 60_000), 0, 2);
        assert!(!t.met());
        assert_eq!(t.describe(), "用时 2 小时 5 分（本局目标：2 小时内，未达成）");
        let open = DrillTiming::new(0, None, 45 * 60_000, 24);
        assert!(open.met() && !open.closed);
        assert_eq!(open.describe(), "用时 45 分（本局目标：24 小时内，进行中）");
    }
}
