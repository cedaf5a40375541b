//! 资格证书与花名册: the certificate's number and validity, annual review dates, suspension and
//! revocation, and the roster status (在岗, 待复审, 暂停, 撤销).
//!
//! **Number.** `KHTYG-RRRRRR-YYYY-NNNNN`: the prefix (客户体验官), the issuing bureau's six-digit
//! administrative division code, the year of issue and a five-digit sequence (00001–99999).
//!
//! **Validity.** From `issued` to the day before the same date `validity_years` later (default 2);
//! a certificate issued on 29 February runs to 28 February.
//!
//! **Reviews.** Annual: the next review falls due one year after the last review (or after issue),
//! but never later than `valid_until`.
//!
//! **Roster status on a day**, first match: revoked on or before it → 撤销; suspended on or before
//! it, not yet in force, or expired → 暂停; the next review due within `review_due_window_days`
//! (or overdue) → 待复审; otherwise 在岗. Only 在岗 and 待复审 officers may be offered new cases.

use super::{add_years, ser_date, ser_opt_date};
use crate::calendar::Date;
use crate::error::FieldError;
use serde::Serialize;

/// The number's prefix: 客户体验官 (Ke Hu Ti Yan Guan).
pub const NUMBER_PREFIX: &str = "KHTYG";
pub const DEFAULT_VALIDITY_YEARS: u32 = 2;

/// Formats a certificate number; the region must be six ASCII digits, the year 2000–9999 and the
/// sequence 1–99,999.
pub fn certificate_number(region: &str, year: i64, seq: u32) -> Result<String, FieldError> {
    if region.len() != 6 || !region.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new("region", "bad_region", format!("发证机关区划代码须为 6 位数字，收到“{region}”")));
    }
    if !(2000..=9999).contains(&year) {
        return Err(FieldError::new("year", "bad_year", format!("发证年份 {year} 无效")));
    }
    if !(1..=99_999).contains(&seq) {
        return Err(FieldError::new("seq", "bad_seq", format!("证书序号须在 1 至 99999 之间，收到 {seq}")));
    }
    Ok(format!("{NUMBER_PREFIX}-{region}-{year:04}-{seq:05}"))
}

/// Reads a number back: (region, year, sequence); `None` unless it is exactly the format.
pub fn parse_certificate_number(number: &str) -> Option<(String, i64, u32)> {
    let mut parts = number.split('-');
    let (prefix, region, year, seq) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if parts.next().is_some() || prefix != NUMBER_PREFIX || !digits(year, 4) || !digits(seq, 5) {
        return None;
    }
    let (year, seq) = (year.parse().ok()?, seq.parse().ok()?);
    let formatted = certificate_number(region, year, seq).ok()?;
    (formatted == number).then(|| (region.to_owned(), year, seq))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CertificateState {
    Active,
    /// E.g. at once on a confirmed integrity or confidentiality breach.
    Suspended {
        #[serde(serialize_with = "ser_date")]
        since: Date,
        reason: String,
    },
    Revoked {
        #[serde(serialize_with = "ser_date")]
        on: Date,
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Certificate {
    pub number: String,
    pub holder: String,
    #[serde(serialize_with = "ser_date")]
    pub issued: Date,
    /// The last day of validity.
    #[serde(serialize_with = "ser_date")]
    pub valid_until: Date,
    #[serde(serialize_with = "ser_opt_date")]
    pub last_reviewed: Option<Date>,
    pub state: CertificateState,
}

/// The step a supervisor's "reinstate" takes (see [`Certificate::reinstatement`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reinstatement {
    /// The first supervisor asked; a second must confirm.
    Requested,
    /// A second supervisor confirmed: the suspension is lifted.
    Confirmed,
}

/// The roster status of an officer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RosterStatus {
    OnDuty,
    ReviewDue,
    Suspended,
    Revoked,
}

impl RosterStatus {
    pub fn code(self) -> &'static str {
        match self {
            RosterStatus::OnDuty => "on_duty",
            RosterStatus::ReviewDue => "review_due",
            RosterStatus::Suspended => "suspended",
            RosterStatus::Revoked => "revoked",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RosterStatus::OnDuty => "在岗",
            RosterStatus::ReviewDue => "待复审",
            RosterStatus::Suspended => "暂停",
            RosterStatus::Revoked => "撤销",
        }
    }

    /// Whether the case router may offer new cases.
    pub fn can_take_cases(self) -> bool {
        matches!(self, RosterStatus::OnDuty | RosterStatus::ReviewDue)
    }
}

fn need_reason(reason: &str) -> Result<(), FieldError> {
    if reason.trim().is_empty() {
        return Err(FieldError::new("reason", "empty_reason", "暂停或撤销证书须写明原因"));
    }
    Ok(())
}

impl Certificate {
    /// A new, active certificate valid for `validity_years` (at least 1).
    pub fn issue(number: &str, holder: &str, issued: Date, validity_years: u32) -> Result<Self, FieldError> {
        if parse_certificate_number(number).is_none() {
            return Err(FieldError::new("number", "bad_number", format!("证书编号“{number}”格式不对")));
        }
        if validity_years == 0 {
            return Err(FieldError::new("validity_years", "bad_validity", "证书有效期至少为 1 年"));
        }
        let valid_until = Date(add_years(issued, i64::from(validity_years)).0 - 1);
        Ok(Self {
            number: number.to_owned(),
            holder: holder.to_owned(),
            issued,
            valid_until,
            last_reviewed: None,
            state: CertificateState::Active,
        })
    }

    /// The date the next annual review falls due (see the module documentation).
    pub fn next_review_due(&self) -> Date {
        add_years(self.last_reviewed.unwrap_or(self.issued), 1).min(self.valid_until)
    }

    pub fn record_review(&mut self, on: Date) {
        self.last_reviewed = Some(on);
    }

    pub fn suspend(&mut self, since: Date, reason: &str) -> Result<(), FieldError> {
        need_reason(reason)?;
        if matches!(self.state, CertificateState::Revoked { .. }) {
            return Err(FieldError::new("state", "revoked", "证书已撤销，不能再暂停"));
        }
        self.state = CertificateState::Suspended { since, reason: reason.trim().to_owned() };
        Ok(())
    }

    pub fn revoke(&mut self, on: Date, reason: &str) -> Result<(), FieldError> {
        need_reason(reason)?;
        self.state = CertificateState::Revoked { on, reason: reason.trim().to_owned() };
        Ok(())
    }

    /// Lifts a suspension (e.g. after a review clears the officer).
    pub fn reinstate(&mut self) -> Result<(), FieldError> {
        match self.state {
            CertificateState::Suspended { .. } => {
                self.state = CertificateState::Active;
                Ok(())
            }
            _ => Err(FieldError::new("state", "not_suspended", "只有暂停中的证书才能恢复")),
        }
    }

    /// Lifting a suspension takes two supervisors (四眼原则): the first asks, a second one —
    /// neither the first nor the holder — confirms. `requested_by` is who asked so far.
    pub fn reinstatement(&self, requested_by: Option<&str>, by: &str) -> Result<Reinstatement, FieldError> {
        if !matches!(self.state, CertificateState::Suspended { .. }) {
            return Err(FieldError::new("state", "not_suspended", "只有暂停中的证书才能恢复"));
        }
        if by == self.holder {
            return Err(FieldError::new("actor", "own_certificate", "不能恢复本人的证书"));
        }
        match requested_by {
            None => Ok(Reinstatement::Requested),
            Some(first) if first == by => Err(FieldError::new(
                "actor",
                "four_eyes",
                "恢复暂停的证书须由另一位主管确认（四眼原则），提出恢复的人不能自己确认",
            )),
            Some(_) => Ok(Reinstatement::Confirmed),
        }
    }

    pub fn status_on(&self, today: Date, review_due_window_days: u32) -> RosterStatus {
        status_on(today, self, review_due_window_days)
    }
}

/// The roster status on `today` (see the module documentation).
pub fn status_on(today: Date, certificate: &Certificate, review_due_window_days: u32) -> RosterStatus {
    match &certificate.state {
        CertificateState::Revoked { on, .. } if *on <= today => return RosterStatus::Revoked,
        CertificateState::Suspended { since, .. } if *since <= today => return RosterStatus::Suspended,
        _ => {}
    }
    if today < certificate.issued || today > certificate.valid_until {
        return RosterStatus::Suspended;
    }
    if today.0 + i64::from(review_due_window_days) >= certificate.next_review_due().0 {
        RosterStatus::ReviewDue
    } else {
        RosterStatus::OnDuty
    }
}
