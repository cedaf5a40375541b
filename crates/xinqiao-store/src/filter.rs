//! The one builder of filtered listings: each condition is added with its values, so the
//! placeholders (`$1`, `$2` …) and the values bound to them can never fall out of step.

type Query<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

/// A value bound to a placeholder.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Text(String),
    Int(i64),
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}

impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}

impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}

/// Conditions joined by AND, with their values in placeholder order.
#[derive(Debug, Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    values: Vec<Value>,
}

impl Where {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// A condition without values (`c.privacy_confirmed_at IS NOT NULL`).
    pub(crate) fn fixed(&mut self, condition: &str) -> &mut Self {
        self.clauses.push(condition.to_owned());
        self
    }

    /// A condition whose `?` marks take `values` in order (`actor_name LIKE ? ESCAPE '\'`).
    pub(crate) fn with(&mut self, condition: &str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        let mut values = values.into_iter();
        let mut out = String::with_capacity(condition.len() + 8);
        for ch in condition.chars() {
            if ch == '?' {
                let v = values.next().expect("a value for every mark");
                out += &self.placeholder(v);
            } else {
                out.push(ch);
            }
        }
        assert!(values.next().is_none(), "a mark for every value");
        self.clauses.push(out);
        self
    }

    /// `column = value`.
    pub(crate) fn eq(&mut self, column: &str, value: impl Into<Value>) -> &mut Self {
        self.with(&format!("{column} = ?"), [value.into()])
    }

    /// `column IN (values)`; nothing when `values` is empty (no restriction).
    pub(crate) fn any_of<V: Into<Value>>(&mut self, column: &str, values: impl IntoIterator<Item = V>) -> &mut Self {
        let list: Vec<String> = values.into_iter().map(|v| self.placeholder(v.into())).collect();
        if !list.is_empty() {
            self.clauses.push(format!("{column} IN ({})", list.join(", ")));
        }
        self
    }

    /// One of several conditions, each with its values (`(a LIKE ? OR a LIKE ?)`); nothing
    /// when there are none.
    pub(crate) fn either(&mut self, condition: &str, values: impl IntoIterator<Item = Value>) -> &mut Self {
        let parts: Vec<String> = values
            .into_iter()
            .map(|v| {
                let p = self.placeholder(v);
                condition.replace('?', &p)
            })
            .collect();
        if !parts.is_empty() {
            self.clauses.push(format!("({})", parts.join(" OR ")));
        }
        self
    }

    /// A placeholder for a value used outside the conditions (`LIMIT`), numbered after them.
    pub(crate) fn placeholder(&mut self, value: Value) -> String {
        self.values.push(value);
        format!("${}", self.values.len())
    }

    /// ` WHERE …` (empty without conditions).
    pub(crate) fn sql(&self) -> String {
        if self.clauses.is_empty() { String::new() } else { format!(" WHERE {}", self.clauses.join(" AND ")) }
    }

    /// Binds the values, in placeholder order.
    pub(crate) fn bind<'q>(&self, mut q: Query<'q>) -> Query<'q> {
        for v in &self.values {
            q = match v {
                Value::Text(s) => q.bind(s.clone()),
                Value::Int(n) => q.bind(*n),
            };
        }
        q
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_follow_the_values() {
        let mut w = Where::new();
        w.any_of("c.org_id", ["a", "b"]).eq("c.enterprise_uscc", "u").any_of::<&str>("c.kind", []);
        w.fixed("c.privacy_confirmed_at IS NOT NULL").with("name LIKE ? ESCAPE '\\'", ["%x%".into()]);
        w.either("region_code LIKE ?", ["32%".into(), "11%".into()]);
        let limit = w.placeholder(10.into());
        assert_eq!(
            w.sql(),
            " WHERE c.org_id IN ($1, $2) AND c.enterprise_uscc = $3 AND c.privacy_confirmed_at IS NOT NULL \
             AND name LIKE $4 ESCAPE '\\' AND (region_code LIKE $5 OR region_code LIKE $6)"
        );
        assert_eq!(limit, "$7");
        assert_eq!(w.values[6], Value::Int(10));
        assert_eq!(Where::new().sql(), "", "no conditions, no WHERE");
    }
}
