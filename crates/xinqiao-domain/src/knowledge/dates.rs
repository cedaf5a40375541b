//! Dates in knowledge data: `YYYY-MM-DD` text in files and JSON, an empty string (or absence) where
//! a date is not known for sure.

use crate::calendar::Date;

/// `""` → `None`; `YYYY-MM-DD` → the date; anything else is an error.
pub(crate) fn parse_date_opt(text: &str) -> Result<Option<Date>, ()> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    Date::parse(text).map(Some).ok_or(())
}

/// `#[serde(with = "date_opt")]` for `Option<Date>`: `"2026-04-15"` or `null` (`""` also reads as
/// `null`).
pub(crate) mod date_opt {
    use super::parse_date_opt;
    use crate::calendar::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(date: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        parse_date_opt(text.as_deref().unwrap_or(""))
            .map_err(|()| serde::de::Error::custom(format!("日期“{}”无效，应为 YYYY-MM-DD", text.unwrap_or_default())))
    }
}
