//! Reading rows by column name into the domain's types: a value the domain does not know is an
//! error naming the column (`StoreError::BadValue`), never a silent default.

use crate::{Result, StoreError};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A text column converted by a domain parser.
pub(crate) fn parsed<T>(row: &AnyRow, column: &'static str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T> {
    let raw: String = row.try_get(column)?;
    parse(&raw).ok_or_else(|| bad(column, &raw))
}

/// A 0/1 flag column (both databases keep flags as integers).
pub(crate) fn flag(row: &AnyRow, column: &'static str) -> Result<bool> {
    match row.try_get::<i64, _>(column)? {
        0 => Ok(false),
        1 => Ok(true),
        n => Err(bad(column, &n.to_string())),
    }
}

/// The error for a stored value the domain does not know (at most 40 characters of it are kept).
pub(crate) fn bad(column: &'static str, raw: &str) -> StoreError {
    StoreError::BadValue { column, value: raw.chars().take(40).collect() }
}

/// A tuple of `N` values read from a row by the names of its columns, in the tuple's order
/// (the names must be those the query selects, aliased where needed).
pub(crate) trait Named<const N: usize>: Sized {
    fn named(row: &AnyRow, columns: [&'static str; N]) -> Result<Self>;
}

macro_rules! named {
    ($n:literal: $($t:ident $i:tt),+) => {
        impl<$($t),+> Named<$n> for ($($t,)+)
        where
            $($t: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>),+
        {
            fn named(row: &AnyRow, columns: [&'static str; $n]) -> Result<Self> {
                Ok(($(row.try_get::<$t, _>(columns[$i])?,)+))
            }
        }
    };
}

named!(1: A 0);
named!(2: A 0, B 1);
named!(3: A 0, B 1, C 2);
named!(4: A 0, B 1, C 2, D 3);
named!(5: A 0, B 1, C 2, D 3, E 4);
named!(6: A 0, B 1, C 2, D 3, E 4, F 5);
named!(7: A 0, B 1, C 2, D 3, E 4, F 5, G 6);
named!(8: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);
named!(9: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8);
named!(10: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9);
named!(11: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10);
named!(12: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11);
named!(13: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12);
named!(14: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13);
named!(15: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14);
named!(16: A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11, M 12, N 13, O 14, P 15);

/// Every row as a tuple read by column name.
pub(crate) fn all<T: Named<N>, const N: usize>(rows: Vec<AnyRow>, columns: [&'static str; N]) -> Result<Vec<T>> {
    rows.iter().map(|r| T::named(r, columns)).collect()
}

/// One row as a tuple read by column name.
pub(crate) fn row<T: Named<N>, const N: usize>(row: AnyRow, columns: [&'static str; N]) -> Result<T> {
    T::named(&row, columns)
}

/// The row, if any, as a tuple read by column name.
pub(crate) fn one<T: Named<N>, const N: usize>(row: Option<AnyRow>, columns: [&'static str; N]) -> Result<Option<T>> {
    row.map(|r| T::named(&r, columns)).transpose()
}

#[cfg(test)]
mod tests {
    /// No row is read by position in the store's modules: `try_get(0)`, `get(3)` or a tuple
    /// `query_as` of several columns would silently take the wrong column when a query changes.
    /// A `query_as` may only read one column, and must say so (`(T,)`) where it is called.
    #[test]
    fn no_row_is_read_by_position() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut dirs = vec![root.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                if path.extension().is_none_or(|e| e != "rs") || path.ends_with("rows.rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let lines: Vec<&str> = text.lines().map(|l| l.split("//").next().unwrap_or("")).collect();
                for n in 0..lines.len() {
                    if positional(&lines, n) {
                        let at = path.strip_prefix(&root).unwrap().display();
                        found.push(format!("{at}:{}: {}", n + 1, lines[n].trim()));
                    }
                }
            }
        }
        assert!(found.is_empty(), "rows read by position:\n{}", found.join("\n"));
    }

    /// Whether line `n` reads a column by its position: `try_get` with anything but a name,
    /// `get` with a number, or a `query_as` that does not show a one-column tuple on its line or
    /// the two before it.
    fn positional(lines: &[&str], n: usize) -> bool {
        let line = lines[n];
        for call in [".try_get(", ".try_get::<", ".get(", ".get::<"] {
            let mut rest = line;
            while let Some(at) = rest.find(call) {
                rest = &rest[at + call.len()..];
                let arg = if call.ends_with('<') {
                    match rest.find(">(") {
                        Some(i) => &rest[i + 2..],
                        None => continue,
                    }
                } else {
                    rest
                };
                let arg = arg.trim_start();
                let by_number = arg.starts_with(|c: char| c.is_ascii_digit());
                let by_name = arg.starts_with('"') || arg.starts_with("column") || arg.starts_with("col)");
                if by_number || (call.starts_with(".try_get") && !by_name) {
                    return true;
                }
            }
        }
        if line.contains("query_as") {
            let window = lines[n.saturating_sub(2)..=n].join(" ");
            return !one_column(&window);
        }
        false
    }

    /// Whether the text names a one-column tuple type, `(T,)`.
    fn one_column(text: &str) -> bool {
        text.match_indices(",)").any(|(at, _)| {
            let open = text[..at].rfind('(').unwrap_or(0);
            !text[open + 1..at].contains(',') && !text[open + 1..at].contains(')')
        })
    }

    #[test]
    fn positional_reads_are_recognised() {
        let p = |text: &str| {
            let lines: Vec<&str> = text.lines().collect();
            (0..lines.len()).any(|n| positional(&lines, n))
        };
        assert!(p("        id: row.try_get(0)?,"));
        assert!(p("        at: row.try_get::<i64, _>(at + 1)?,"));
        assert!(p("let rows: Vec<(String, i64)> = sqlx::query_as("));
        assert!(p("let rows: Vec<(String, i64)> =\n    sqlx::query_as(\"SELECT a, b FROM t\")"));
        assert!(p("sqlx::query_as::<_, (String, String)>(sql)"));
        assert!(p("    Ok(sqlx::query_as(\"SELECT a, b FROM t\")"));
        assert!(!p("        id: row.try_get(\"id\")?,"));
        assert!(!p("let found: Option<(String,)> = sqlx::query_as("));
        assert!(!p("let (n,): (i64,) =\n    sqlx::query_as(\"SELECT COUNT(*) FROM t\")"));
        assert!(!p("    let raw: String = row.try_get(column)?;"));
        assert!(!p("    pub corrects: Option<(String, String)>,"));
        assert!(!p("let (was, is) = (before.get(*id), now.get(*id));"));
    }
}
