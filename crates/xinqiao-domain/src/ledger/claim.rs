//! A date someone claims for a batch (a complainant, a supplier, the label) set against what each
//! ledger line records for it — the seed's dispute: the storekeeper had entered the wrong date.

use crate::FieldError;
use crate::calendar::Date;

/// Which date of a batch is claimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateKind {
    Production,
    Expiry,
}

impl DateKind {
    pub const FIELD: &'static str = "claimed_kind";

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        match s.trim() {
            "production" => Ok(Self::Production),
            "expiry" => Ok(Self::Expiry),
            _ => Err(FieldError::new(Self::FIELD, "bad_kind", "所述日期应为生产日期或到期日期")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Production => "production",
            Self::Expiry => "expiry",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Production => "生产日期",
            Self::Expiry => "到期日期",
        }
    }
}

/// A claimed date of a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub kind: DateKind,
    pub on: Date,
}

impl Claim {
    /// Both empty is no claim; one without the other is an error naming the missing field.
    pub fn parse(kind: &str, on: &str) -> Result<Option<Self>, FieldError> {
        match (kind.trim().is_empty(), on.trim().is_empty()) {
            (true, true) => Ok(None),
            (_, true) => Err(FieldError::new("claimed_on", "required", "请填写所述日期")),
            (true, false) => Err(FieldError::new(DateKind::FIELD, "required", "请选择所述日期是生产日期还是到期日期")),
            (false, false) => {
                let kind = DateKind::parse(kind)?;
                let on = Date::parse(on.trim())
                    .ok_or_else(|| FieldError::new("claimed_on", "bad_date", "所述日期格式应为 YYYY-MM-DD"))?;
                Ok(Some(Claim { kind, on }))
            }
        }
    }

    /// How a line's recorded date of this kind compares with the claim.
    pub fn against(&self, production: Option<Date>, expiry: Option<Date>) -> Comparison {
        let recorded = match self.kind {
            DateKind::Production => production,
            DateKind::Expiry => expiry,
        };
        match recorded {
            None => Comparison::NotRecorded,
            Some(d) if d == self.on => Comparison::Same,
            Some(d) => Comparison::Differs { recorded: d, days: d.0 - self.on.0 },
        }
    }
}

/// The outcome of setting a claimed date against one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    Same,
    /// The line records another date: `days` after the claimed one (negative: before).
    Differs {
        recorded: Date,
        days: i64,
    },
    NotRecorded,
}

impl Comparison {
    /// Chinese text for the batch page.
    pub fn label(&self) -> String {
        match self {
            Self::Same => "与所述日期一致".into(),
            Self::Differs { recorded, days } if *days > 0 => format!("记为 {recorded}，比所述日期晚 {days} 天"),
            Self::Differs { recorded, days } => format!("记为 {recorded}，比所述日期早 {} 天", -days),
            Self::NotRecorded => "台账未记录该日期".into(),
        }
    }

    pub fn differs(&self) -> bool {
        matches!(self, Self::Differs { .. })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn a_claim_is_both_fields_or_none() {
        assert_eq!(Claim::parse("", "").unwrap(), None);
        assert_eq!(Claim::parse("expiry", "").unwrap_err().field, "claimed_on");
        assert_eq!(Claim::parse("", "2027-01-01").unwrap_err().field, "claimed_kind");
        assert_eq!(Claim::parse("best", "2027-01-01").unwrap_err().code, "bad_kind");
        assert_eq!(Claim::parse("expiry", "2027-13-01").unwrap_err().code, "bad_date");
        assert_eq!(
            Claim::parse(" expiry ", "2027-01-01").unwrap(),
            Some(Claim { kind: DateKind::Expiry, on: d("2027-01-01") })
        );
    }

    #[test]
    fn the_storekeepers_wrong_date_shows_as_a_difference_in_days() {
        let claim = Claim { kind: DateKind::Expiry, on: d("2027-01-01") };
        let prod = Some(d("2026-07-01"));
        assert_eq!(claim.against(prod, Some(d("2027-01-01"))), Comparison::Same);
        let wrong = claim.against(prod, Some(d("2026-10-01")));
        assert_eq!(wrong, Comparison::Differs { recorded: d("2026-10-01"), days: -92 });
        assert!(wrong.differs());
        assert_eq!(wrong.label(), "记为 2026-10-01，比所述日期早 92 天");
        assert_eq!(claim.against(prod, Some(d("2027-01-03"))).label(), "记为 2027-01-03，比所述日期晚 2 天");
        assert_eq!(claim.against(prod, None), Comparison::NotRecorded);
        let made = Claim { kind: DateKind::Production, on: d("2026-07-01") };
        assert_eq!(made.against(prod, None), Comparison::Same, "the production date is compared, not the expiry");
    }
}
