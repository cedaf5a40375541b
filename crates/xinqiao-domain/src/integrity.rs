//! 廉洁登记 (the integrity register): what an officer records when an enterprise tries to sway
//! them — a 请托 (an improper request), a gift or money offered and refused, an invitation, a
//! contact during an inspection — in a few fields, validated here. A 请托 from an enterprise
//! is also a tie: the officer steps aside from that enterprise's cases (see `cases::independence`).

use crate::FieldError;
use crate::calendar::Date;
use crate::cases::independence::{Tie, TieKind};
use crate::ids::Uscc;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// 请托: asked to bend a decision (drop a complaint, go easy in an inspection …).
    ImproperRequest,
    /// 礼品礼金: gifts, cards or money offered (and refused or handed in).
    Gift,
    /// 宴请或活动邀请.
    Invitation,
    /// 检查中的接触: an approach during an inspection or a visit.
    InspectionContact,
}

impl EntryKind {
    pub const ALL: [EntryKind; 4] =
        [EntryKind::ImproperRequest, EntryKind::Gift, EntryKind::Invitation, EntryKind::InspectionContact];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::ImproperRequest => "improper_request",
            EntryKind::Gift => "gift",
            EntryKind::Invitation => "invitation",
            EntryKind::InspectionContact => "inspection_contact",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EntryKind::ImproperRequest => "请托",
            EntryKind::Gift => "礼品礼金",
            EntryKind::Invitation => "宴请或活动邀请",
            EntryKind::InspectionContact => "检查中的接触",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// An entry as typed (form or JSON).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EntryForm {
    pub kind: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub enterprise_uscc: String,
    pub enterprise_name: String,
    /// What happened.
    pub happened: String,
    /// What the officer did (refused, handed in, reported …).
    pub action: String,
}

/// A validated entry (texts not yet masked: the caller masks them before storing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: EntryKind,
    pub day: Date,
    pub enterprise_uscc: Option<Uscc>,
    pub enterprise_name: String,
    pub happened: String,
    pub action: String,
}

/// How far back an entry may be dated.
pub const MAX_AGE_DAYS: i64 = 366;

impl EntryForm {
    /// Validates every field at once; `today` bounds the date (not in the future, within a year).
    pub fn validate(&self, today: Date) -> Result<NewEntry, Vec<FieldError>> {
        let mut errors = Vec::new();
        let kind = EntryKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.push(FieldError::new("kind", "invalid", "请选择类别：请托、礼品礼金、宴请或活动邀请、检查中的接触"));
        }
        let day = match Date::parse(&self.date) {
            Some(d) if d > today => {
                errors.push(FieldError::new("date", "future", "日期不能晚于今天"));
                None
            }
            Some(d) if d.0 < today.0 - MAX_AGE_DAYS => {
                errors.push(FieldError::new("date", "too_old", "只能登记一年以内发生的事项"));
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push(FieldError::new("date", "invalid", "日期格式应为 YYYY-MM-DD"));
                None
            }
        };
        let enterprise_uscc = match self.enterprise_uscc.trim() {
            "" => None,
            s => Uscc::parse(s).map_err(|e| errors.push(e.with_field("enterprise_uscc"))).ok(),
        };
        let enterprise_name = self.enterprise_name.trim().to_owned();
        if enterprise_name.chars().count() > 100 {
            errors.push(FieldError::new("enterprise_name", "too_long", "企业名称不能超过100个字"));
        }
        if enterprise_name.is_empty() && self.enterprise_uscc.trim().is_empty() {
            errors.push(FieldError::new("enterprise_name", "required", "请填写对方企业的名称或统一社会信用代码"));
        }
        let bounded =
            |text: &str, field: &'static str, min: usize, max: usize, what: &str, errors: &mut Vec<FieldError>| {
                let t = text.trim().to_owned();
                let n = t.chars().count();
                if n < min || n > max {
                    errors.push(FieldError::new(field, "length", format!("{what}应为{min}至{max}个字")));
                }
                t
            };
        let happened = bounded(&self.happened, "happened", 5, 1000, "经过", &mut errors);
        let action = bounded(&self.action, "action", 2, 500, "处理情况", &mut errors);
        match (kind, day, errors.is_empty()) {
            (Some(kind), Some(day), true) => {
                Ok(NewEntry { kind, day, enterprise_uscc, enterprise_name, happened, action })
            }
            _ => Err(errors),
        }
    }
}

impl NewEntry {
    /// The tie a 请托 makes with its enterprise (none for the other kinds).
    pub fn tie(&self) -> Option<Tie> {
        (self.kind == EntryKind::ImproperRequest).then(|| Tie {
            kind: TieKind::ImproperRequest,
            enterprise_uscc: self.enterprise_uscc.as_ref().map(|u| u.as_str().to_owned()),
            enterprise_name: Some(self.enterprise_name.clone()).filter(|n| !n.is_empty()),
            person_index: None,
        })
    }
}

/// Entries counted by kind, in `EntryKind::ALL` order.
pub fn counts(kinds: impl IntoIterator<Item = EntryKind>) -> [(EntryKind, usize); 4] {
    let mut out = EntryKind::ALL.map(|k| (k, 0));
    for k in kinds {
        if let Some(slot) = out.iter_mut().find(|(x, _)| *x == k) {
            slot.1 += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::independence::{Parties, conflicting_tie};

    fn form(kind: &str) -> EntryForm {
        EntryForm {
            kind: kind.into(),
            date: "2026-11-20".into(),
            enterprise_uscc: "91110000600037341L".into(),
            enterprise_name: "苏州某某超市有限公司".into(),
            happened: "超市负责人请我在核查举报时手下留情，并提出请吃饭。".into(),
            action: "当场拒绝，并告知其依法配合核查。".into(),
        }
    }

    fn today() -> Date {
        Date::parse("2026-11-27").unwrap()
    }

    #[test]
    fn an_improper_request_is_a_tie_to_its_enterprise() {
        let e = form("improper_request").validate(today()).unwrap();
        let tie = e.tie().unwrap();
        assert_eq!(tie.kind, TieKind::ImproperRequest);
        let parties =
            Parties {
                enterprise_uscc: None, enterprise_name: "苏州某某超市有限公司".into(), person_indexes: vec![]
            };
        assert!(conflicting_tie(std::slice::from_ref(&tie), &parties).is_some(), "matched by name");
        let other = Parties { enterprise_name: "另一家公司".into(), ..Parties::default() };
        assert!(conflicting_tie(&[tie], &other).is_none());
        assert!(form("gift").validate(today()).unwrap().tie().is_none(), "a refused gift is recorded, not a tie");
    }

    #[test]
    fn every_field_is_checked_at_once() {
        let bad = EntryForm {
            kind: "bribe".into(),
            date: "2026-12-01".into(),
            enterprise_uscc: "123".into(),
            ..EntryForm::default()
        };
        let fields: Vec<&str> = bad.validate(today()).unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "date", "enterprise_uscc", "happened", "action"]);
        let mut old = form("gift");
        old.date = "2025-11-01".into();
        assert_eq!(old.validate(today()).unwrap_err()[0].code, "too_old");
        let mut nameless = form("invitation");
        nameless.enterprise_uscc.clear();
        nameless.enterprise_name.clear();
        assert_eq!(nameless.validate(today()).unwrap_err()[0].field, "enterprise_name");
        assert_eq!(counts([EntryKind::Gift, EntryKind::Gift, EntryKind::ImproperRequest]).map(|c| c.1), [1, 2, 0, 0]);
    }
}
