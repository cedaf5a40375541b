//! What an incident is made of, as validated values: its title, links to complaints and
//! warnings, media items, measures on their clocks and the bureau's promises.

use super::clocks::{ClockError, ClockKind, ClockState, Clocks, Testing};
use super::promise::PromiseState;
use crate::FieldError;
use crate::calendar::{Calendar, Date, Reckoned};

/// A short title (1–100 characters) or other one-line text field.
pub fn one_line(field: &'static str, label: &str, input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", format!("请填写{label}")));
    }
    if s.chars().count() > max {
        return Err(FieldError::new(field, "too_long", format!("{label}不能超过{max}个字")));
    }
    if s.chars().any(char::is_control) {
        return Err(FieldError::new(field, "bad_char", format!("{label}不能包含换行或控制字符")));
    }
    Ok(s.to_owned())
}

/// What an incident gathers besides media and products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LinkKind {
    /// A complaint, report or other case.
    Case,
    /// An early warning of the insights scan.
    Warning,
}

impl LinkKind {
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Case => "case",
            LinkKind::Warning => "warning",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "case" => Some(LinkKind::Case),
            "warning" => Some(LinkKind::Warning),
            _ => None,
        }
    }
}

/// The address of a media item: an http(s) link without spaces, at most 2,000 characters.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct MediaUrl(String);

impl MediaUrl {
    pub const FIELD: &'static str = "url";

    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let s = input.trim();
        let lower = s.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) || s.len() < 12 {
            return Err(FieldError::new(Self::FIELD, "bad_url", "链接应以 http:// 或 https:// 开头"));
        }
        if s.len() > 2000 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(FieldError::new(Self::FIELD, "bad_url", "链接不能包含空格，且不超过2000个字符"));
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A report, post or video about the incident, as the bureau saw it (the excerpt is masked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaItem {
    pub url: MediaUrl,
    pub excerpt: String,
    /// When it was published or seen (epoch ms).
    pub seen_at_ms: i64,
}

/// A measure taken in the incident, running on one legal clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: String,
    pub clock: ClockKind,
    pub title: String,
    pub started_on: Date,
    /// The day the one extension was approved, and by whom (a user id).
    pub extension: Option<(Date, String)>,
    pub testing: Vec<Testing>,
    pub done_on: Option<Date>,
}

impl Measure {
    /// The measure's last day under `clocks`.
    pub fn due(&self, clocks: &Clocks, calendar: &Calendar) -> Result<Reckoned<Date>, ClockError> {
        clocks.rule(self.clock).due(calendar, self.started_on, self.extension.as_ref().map(|e| e.0), &self.testing)
    }

    pub fn state(&self, clocks: &Clocks, calendar: &Calendar, today: Date) -> Result<ClockState, ClockError> {
        Ok(ClockState::of(calendar, self.due(clocks, calendar)?.value, today, self.done_on))
    }
}

/// A promise made to the public (not law).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Promise {
    pub id: String,
    pub text: String,
    pub made_at_ms: i64,
    pub due_at_ms: i64,
    pub kept_at_ms: Option<i64>,
}

impl Promise {
    pub fn state(&self, clocks: &Clocks, now_ms: i64) -> PromiseState {
        PromiseState::of(self.due_at_ms, self.kept_at_ms, now_ms, clocks.promise_warn_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_validated() {
        assert_eq!(one_line("title", "标题", "  奶茶异物  ", 100).unwrap(), "奶茶异物");
        assert_eq!(one_line("title", "标题", " ", 100).unwrap_err().code, "required");
        assert_eq!(one_line("title", "标题", &"长".repeat(101), 100).unwrap_err().code, "too_long");
        assert_eq!(one_line("title", "标题", "a\nb", 100).unwrap_err().code, "bad_char");
        assert!(MediaUrl::parse("https://weibo.com/123").is_ok());
        assert_eq!(MediaUrl::parse("javascript:alert(1)").unwrap_err().code, "bad_url");
        assert_eq!(MediaUrl::parse("https://a.b/ c").unwrap_err().code, "bad_url");
        assert_eq!(LinkKind::parse("case"), Some(LinkKind::Case));
        assert_eq!(LinkKind::parse("Case"), None);
    }

    #[test]
    fn a_measure_runs_on_its_clock() {
        let (clocks, cal) = (Clocks::builtin(), Calendar::builtin());
        let d = |s| Date::parse(s).unwrap();
        let mut m = Measure {
            id: "m".into(),
            clock: ClockKind::Sealing,
            title: "封存同批次产品".into(),
            started_on: d("2026-09-20"),
            extension: None,
            testing: vec![],
            done_on: None,
        };
        assert_eq!(m.due(&clocks, &cal).unwrap().value, d("2026-10-20"));
        m.extension = Some((d("2026-10-10"), "boss".into()));
        assert_eq!(m.due(&clocks, &cal).unwrap().value, d("2026-11-19"));
        assert_eq!(m.state(&clocks, &cal, d("2026-11-20")).unwrap(), ClockState::Overdue { days_late: 1 });
    }
}
