//! Independence (独立性): the ties an officer declares (the seed's 老乡 story is one), and who may
//! handle a case. A declared tie to the enterprise or to the person, or a past step-aside, takes
//! an officer off the case; among the rest the case goes to one whose industries match, with the
//! least open work.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TieKind {
    Relative,
    FormerEmployer,
    Shareholding,
    FellowTownsman,
    Friendship,
    /// 请托: recorded in the integrity register, not declared (an enterprise tried to sway the officer).
    ImproperRequest,
}

impl TieKind {
    pub const ALL: [TieKind; 6] = [
        TieKind::Relative,
        TieKind::FormerEmployer,
        TieKind::Shareholding,
        TieKind::FellowTownsman,
        TieKind::Friendship,
        TieKind::ImproperRequest,
    ];

    /// What an officer declares on the 回避申报 page (a 请托 comes from the integrity register).
    pub fn declarable(self) -> bool {
        self != TieKind::ImproperRequest
    }

    pub fn code(self) -> &'static str {
        match self {
            TieKind::Relative => "relative",
            TieKind::FormerEmployer => "former_employer",
            TieKind::Shareholding => "shareholding",
            TieKind::FellowTownsman => "fellow_townsman",
            TieKind::Friendship => "friendship",
            TieKind::ImproperRequest => "improper_request",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TieKind::Relative => "近亲属",
            TieKind::FormerEmployer => "曾任职",
            TieKind::Shareholding => "持股或投资",
            TieKind::FellowTownsman => "老乡",
            TieKind::Friendship => "朋友",
            TieKind::ImproperRequest => "请托（廉洁登记）",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A declared tie, as matching needs it (the person is known only by a blind index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    pub kind: TieKind,
    pub enterprise_uscc: Option<String>,
    pub enterprise_name: Option<String>,
    pub person_index: Option<String>,
}

/// The parties of a case, as matching needs them.
#[derive(Debug, Clone, Default)]
pub struct Parties {
    pub enterprise_uscc: Option<String>,
    pub enterprise_name: String,
    /// Blind indexes of the submitter's mobile and ID number.
    pub person_indexes: Vec<String>,
}

fn same_name(a: &str, b: &str) -> bool {
    let norm =
        |s: &str| s.chars().filter(|c| !c.is_whitespace() && !matches!(c, '（' | '）' | '(' | ')')).collect::<String>();
    !a.trim().is_empty() && norm(a) == norm(b)
}

/// The first declared tie that concerns a party of the case.
pub fn conflicting_tie<'a>(ties: &'a [Tie], parties: &Parties) -> Option<&'a Tie> {
    ties.iter().find(|t| {
        let by_code = matches!((&t.enterprise_uscc, &parties.enterprise_uscc), (Some(a), Some(b)) if a == b);
        let by_name = t.enterprise_name.as_deref().is_some_and(|n| same_name(n, &parties.enterprise_name));
        let by_person = t.person_index.as_ref().is_some_and(|p| parties.person_indexes.contains(p));
        by_code || by_name || by_person
    })
}

/// An officer who might take a case.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub user_id: String,
    pub industries: Vec<char>,
    pub open_cases: usize,
    pub ties: Vec<Tie>,
    pub recused: bool,
    /// Holds a certificate that lets them take cases (在岗 or 待复审), or the bureau does not
    /// require one.
    pub certified: bool,
}

/// Why an officer may not take a case, if they may not.
pub fn barred(c: &Candidate, parties: &Parties) -> Option<String> {
    if c.recused {
        return Some("已申请回避".into());
    }
    if !c.certified {
        return Some("未持有效的客户体验官资格证书（在岗或待复审）".into());
    }
    conflicting_tie(&c.ties, parties).map(|t| format!("申报了与当事方的关系（{}）", t.kind.label()))
}

/// The officer a case is offered to: not barred; declared industries matching first; then the
/// least open work; ties broken by id so the choice is stable.
pub fn suggest<'a>(candidates: &'a [Candidate], parties: &Parties, industry: Option<char>) -> Option<&'a Candidate> {
    candidates.iter().filter(|c| barred(c, parties).is_none()).min_by(|a, b| {
        let matches = |c: &Candidate| industry.is_some_and(|i| c.industries.contains(&i));
        matches(b).cmp(&matches(a)).then(a.open_cases.cmp(&b.open_cases)).then(a.user_id.cmp(&b.user_id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(id: &str, industries: &[char], open: usize, ties: Vec<Tie>) -> Candidate {
        Candidate {
            user_id: id.into(),
            industries: industries.to_vec(),
            open_cases: open,
            ties,
            recused: false,
            certified: true,
        }
    }

    fn gym() -> Parties {
        Parties {
            enterprise_uscc: Some("91110000600037341L".into()),
            enterprise_name: "苏州姑苏示例健身管理有限公司".into(),
            person_indexes: vec!["idx-li".into()],
        }
    }

    #[test]
    fn only_certified_officers_are_offered_cases() {
        let mut uncertified = cand("a", &['R'], 0, vec![]);
        uncertified.certified = false;
        let certified = cand("b", &[], 9, vec![]);
        let all = [uncertified.clone(), certified];
        assert_eq!(suggest(&all, &gym(), Some('R')).unwrap().user_id, "b");
        assert!(barred(&uncertified, &gym()).unwrap().contains("资格证书"));
        assert!(suggest(&[uncertified], &gym(), Some('R')).is_none());
    }

    #[test]
    fn a_fellow_townsman_steps_aside() {
        let townsman = Tie {
            kind: TieKind::FellowTownsman,
            enterprise_uscc: None,
            enterprise_name: Some("苏州姑苏示例健身管理有限公司 ".into()),
            person_index: None,
        };
        let a = cand("a", &['R'], 0, vec![townsman]);
        assert_eq!(barred(&a, &gym()).unwrap(), "申报了与当事方的关系（老乡）");
        let relative = Tie {
            kind: TieKind::Relative,
            enterprise_uscc: None,
            enterprise_name: None,
            person_index: Some("idx-li".into()),
        };
        assert!(barred(&cand("b", &[], 0, vec![relative]), &gym()).is_some(), "a tie to the complainant counts too");
        let other = Tie {
            kind: TieKind::Shareholding,
            enterprise_uscc: Some("91320508MA1XQ00018".into()),
            enterprise_name: None,
            person_index: None,
        };
        assert!(barred(&cand("c", &[], 0, vec![other]), &gym()).is_none());
        let mut recused = cand("d", &[], 0, vec![]);
        recused.recused = true;
        assert_eq!(barred(&recused, &gym()).unwrap(), "已申请回避");
    }

    #[test]
    fn the_case_goes_to_the_matching_officer_with_least_work() {
        let tied = Tie {
            kind: TieKind::Friendship,
            enterprise_uscc: Some("91110000600037341L".into()),
            enterprise_name: None,
            person_index: None,
        };
        let people = [
            cand("busy-match", &['R'], 5, vec![]),
            cand("idle-other", &['H'], 0, vec![]),
            cand("idle-match-tied", &['R'], 0, vec![tied]),
            cand("light-match", &['R', 'H'], 2, vec![]),
        ];
        assert_eq!(suggest(&people, &gym(), Some('R')).unwrap().user_id, "light-match");
        assert_eq!(suggest(&people, &gym(), None).unwrap().user_id, "idle-other");
        assert!(suggest(&people[2..3], &gym(), Some('R')).is_none(), "nobody free of ties: nobody offered");
    }
}
