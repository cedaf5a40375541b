//! Files people download: one way to answer with an attachment, and one CSV writer for every
//! export (UTF-8 with a byte-order mark so spreadsheet programs read the Chinese). A cell that a
//! spreadsheet would take for a formula (beginning with = + - @, a tab or a carriage return) is
//! written with a leading apostrophe, as OWASP advises against CSV injection.

use crate::error::AppError;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::borrow::Cow;

/// `body` as a download named `name` (ASCII names only: no personal data in file names).
pub fn attachment(body: Vec<u8>, mime: &'static str, name: &str) -> Response {
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// A cell as it is safe to write: formulas are neutralised.
pub fn safe_cell(text: &str) -> Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{text}")),
        _ => Cow::Borrowed(text),
    }
}

/// A CSV file of `head` and `rows`, every cell neutralised.
pub fn csv<R, C>(head: &[&str], rows: R) -> Result<Vec<u8>, AppError>
where
    R: IntoIterator<Item = Vec<C>>,
    C: AsRef<str>,
{
    let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| AppError::Internal(format!("csv: {e}"));
    w.write_record(head.iter().map(|h| safe_cell(h).into_owned())).map_err(internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| safe_cell(c.as_ref()).into_owned())).map_err(internal)?;
    }
    w.flush().map_err(|e| AppError::Internal(format!("csv: {e}")))?;
    w.into_inner().map_err(|e| AppError::Internal(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_plain_text_kept() {
        for bad in ["=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(safe_cell(bad).starts_with('\''), "{bad}");
        }
        for good in ["苏州某某餐饮", "12", "a=b", ""] {
            assert_eq!(safe_cell(good), good);
        }
        let bytes = csv(&["名称"], vec![vec!["=1+1"]]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}名称\n'=1+1\n");
    }
}
