//! An Open311 GET requests query: a list of ids (then the other filters do not apply), service
//! codes, a window of W3C date-times with their offset, and `open`/`closed`. Without dates the
//! window is the last 90 days; at most 1,000 requests are answered, newest first.

use super::{PublicStatus, Service};
use crate::cases::CaseKind;
use crate::time::{civil_from_days, days_from_civil};

pub const DEFAULT_DAYS: i64 = 90;
pub const MAX_REQUESTS: usize = 1000;
const DAY_MS: i64 = 86_400_000;

/// The query as sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestQuery {
    pub api_key: String,
    pub jurisdiction_id: String,
    pub service_request_id: String,
    pub service_code: String,
    pub start_date: String,
    pub end_date: String,
    pub status: String,
}

/// What to list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// These requests (by id), whatever their date.
    Ids(Vec<String>),
    Window {
        /// Empty: every service.
        kinds: Vec<CaseKind>,
        from_ms: i64,
        /// Exclusive.
        to_ms: i64,
        /// Empty: both.
        statuses: Vec<PublicStatus>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("不认识的参数：{0}")]
    UnknownParameter(String),
    #[error("参数重复：{0}")]
    RepeatedParameter(String),
    #[error("{0} 应为带时区的 W3C 日期时间，如 2026-11-02T10:00:00+08:00")]
    BadDate(&'static str),
    #[error("end_date 不能早于 start_date")]
    DatesReversed,
    #[error("status 只能是 open 或 closed")]
    BadStatus,
    #[error("service_code 不存在：{0}")]
    UnknownService(String),
    #[error("一次最多查询 1000 个 service_request_id")]
    TooManyIds,
}

impl RequestQuery {
    pub fn from_pairs(pairs: &[(String, String)]) -> Result<Self, QueryError> {
        let mut q = RequestQuery::default();
        let mut seen = std::collections::BTreeSet::new();
        for (name, value) in pairs {
            if !seen.insert(name.as_str()) {
                return Err(QueryError::RepeatedParameter(name.chars().take(40).collect()));
            }
            let slot = match name.as_str() {
                "api_key" => &mut q.api_key,
                "jurisdiction_id" => &mut q.jurisdiction_id,
                "service_request_id" => &mut q.service_request_id,
                "service_code" => &mut q.service_code,
                "start_date" => &mut q.start_date,
                "end_date" => &mut q.end_date,
                "status" => &mut q.status,
                other => return Err(QueryError::UnknownParameter(other.chars().take(40).collect())),
            };
            *slot = value.clone();
        }
        Ok(q)
    }

    /// The filter, with the defaults of the spec applied at `now_ms`.
    pub fn filter(&self, now_ms: i64) -> Result<Filter, QueryError> {
        let list =
            |s: &str| s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_owned).collect::<Vec<_>>();
        let ids = list(&self.service_request_id);
        if !ids.is_empty() {
            if ids.len() > MAX_REQUESTS {
                return Err(QueryError::TooManyIds);
            }
            return Ok(Filter::Ids(ids));
        }
        let kinds = list(&self.service_code)
            .iter()
            .map(|c| {
                Service::by_code(c)
                    .map(|s| s.kind)
                    .ok_or_else(|| QueryError::UnknownService(c.chars().take(40).collect()))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let statuses = list(&self.status)
            .iter()
            .map(|s| PublicStatus::parse(s).ok_or(QueryError::BadStatus))
            .collect::<Result<Vec<_>, _>>()?;
        let date = |s: &str, field| match s.trim() {
            "" => Ok(None),
            t => parse_w3c(t).map(Some).ok_or(QueryError::BadDate(field)),
        };
        let (start, end) = (date(&self.start_date, "start_date")?, date(&self.end_date, "end_date")?);
        let (from_ms, to_ms) = match (start, end) {
            (Some(s), Some(e)) => (s, e + 1),
            (Some(s), None) => (s, now_ms + 1),
            (None, Some(e)) => (e - DEFAULT_DAYS * DAY_MS, e + 1),
            (None, None) => (now_ms - DEFAULT_DAYS * DAY_MS, now_ms + 1),
        };
        if to_ms <= from_ms {
            return Err(QueryError::DatesReversed);
        }
        Ok(Filter::Window { kinds, from_ms, to_ms, statuses })
    }
}

/// An instant as a W3C date-time in China Standard Time: `2026-11-02T10:00:00+08:00`.
pub fn format_w3c(epoch_ms: i64) -> String {
    let local = epoch_ms + 8 * 3_600_000;
    let (y, m, d) = civil_from_days(local.div_euclid(DAY_MS));
    let secs = local.rem_euclid(DAY_MS) / 1000;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+08:00", secs / 3600, secs / 60 % 60, secs % 60)
}

/// A W3C date-time with its offset (`Z` or `±hh:mm`; seconds and fractions optional) → epoch
/// milliseconds. A `+` that a query string turned into a space is read as `+`.
pub fn parse_w3c(text: &str) -> Option<i64> {
    let t = text.trim();
    let (date, rest) = t.split_once('T')?;
    let mut dp = date.split('-');
    let (y, m, d): (i64, u32, u32) = (num(dp.next()?, 4)?, num(dp.next()?, 2)?, num(dp.next()?, 2)?);
    if dp.next().is_some() || !(1..=12).contains(&m) || d == 0 || civil_from_days(days_from_civil(y, m, d)) != (y, m, d)
    {
        return None;
    }
    let (clock, offset_min) = if let Some(c) = rest.strip_suffix('Z') {
        (c, 0)
    } else {
        let at = rest.rfind(['+', '-', ' '])?;
        let (c, off) = rest.split_at(at);
        let sign = if off.starts_with('-') { -1 } else { 1 };
        let (oh, om) = off[1..].split_once(':')?;
        let (oh, om): (i64, i64) = (num(oh, 2)?, num(om, 2)?);
        if oh > 14 || om > 59 {
            return None;
        }
        (c, sign * (oh * 60 + om))
    };
    let mut cp = clock.split(':');
    let h: i64 = num(cp.next()?, 2)?;
    let mi: i64 = num(cp.next()?, 2)?;
    let (s, ms) = match cp.next() {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            if !frac.chars().all(|c| c.is_ascii_digit()) || frac.len() > 9 {
                return None;
            }
            let ms = format!("{frac:0<3}")[..3].parse::<i64>().ok()?;
            (num::<i64>(whole, 2)?, ms)
        }
    };
    if cp.next().is_some() || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let local = days_from_civil(y, m, d) * DAY_MS + ((h * 60 + mi) * 60 + s) * 1000 + ms;
    Some(local - offset_min * 60_000)
}

fn num<T: std::str::FromStr>(s: &str, digits: usize) -> Option<T> {
    (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn w3c_dates_round_trip_and_need_their_offset() {
        // The spec's own example: the same instant written two ways.
        assert_eq!(parse_w3c("1994-11-05T08:15:30-05:00"), parse_w3c("1994-11-05T13:15:30Z"));
        let ms = parse_w3c("1994-11-05T13:15:30Z").unwrap();
        assert_eq!(format_w3c(ms), "1994-11-05T21:15:30+08:00");
        assert_eq!(parse_w3c(&format_w3c(ms)), Some(ms));
        assert_eq!(
            parse_w3c("2026-11-02T10:00:00 08:00"),
            parse_w3c("2026-11-02T10:00:00+08:00"),
            "a + lost in a query string"
        );
        assert_eq!(parse_w3c("2026-11-02T10:00+08:00"), parse_w3c("2026-11-02T10:00:00.000+08:00"));
        for bad in [
            "2026-11-02",
            "2026-11-02T10:00:00",
            "2026-02-30T10:00:00Z",
            "2026-11-02T25:00:00Z",
            "2026-11-02T10:00:00+8",
            "x",
        ] {
            assert_eq!(parse_w3c(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_default_window_is_ninety_days_and_ids_override_the_rest() {
        let now = parse_w3c("2026-11-02T10:00:00+08:00").unwrap();
        let f = RequestQuery::default().filter(now).unwrap();
        assert_eq!(f, Filter::Window { kinds: vec![], from_ms: now - 90 * DAY_MS, to_ms: now + 1, statuses: vec![] });
        let q = RequestQuery::from_pairs(&pairs(&[("service_request_id", "A1, B2"), ("status", "bogus")])).unwrap();
        assert_eq!(q.filter(now).unwrap(), Filter::Ids(vec!["A1".into(), "B2".into()]));
        let q = RequestQuery::from_pairs(&pairs(&[
            ("service_code", "report,complaint"),
            ("status", "open"),
            ("start_date", "2026-10-01T00:00:00+08:00"),
            ("end_date", "2026-10-31T23:59:59+08:00"),
        ]))
        .unwrap();
        let Filter::Window { kinds, statuses, from_ms, to_ms } = q.filter(now).unwrap() else { panic!() };
        assert_eq!(kinds, [CaseKind::Report, CaseKind::Complaint]);
        assert_eq!(statuses, [PublicStatus::Open]);
        assert_eq!(to_ms - from_ms, 31 * DAY_MS - 999, "end_date is inclusive");
    }

    #[test]
    fn bad_queries_are_refused() {
        let now = 0;
        let q = |p: &[(&str, &str)]| RequestQuery::from_pairs(&pairs(p)).and_then(|q| q.filter(now));
        assert_eq!(q(&[("status", "pending")]), Err(QueryError::BadStatus));
        assert_eq!(q(&[("start_date", "2026-10-01")]), Err(QueryError::BadDate("start_date")));
        assert_eq!(
            q(&[("start_date", "2026-10-02T00:00:00Z"), ("end_date", "2026-10-01T00:00:00Z")]),
            Err(QueryError::DatesReversed)
        );
        assert_eq!(q(&[("service_code", "parking")]), Err(QueryError::UnknownService("parking".into())));
        assert_eq!(q(&[("page", "2")]), Err(QueryError::UnknownParameter("page".into())));
    }
}
