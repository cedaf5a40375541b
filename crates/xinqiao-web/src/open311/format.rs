//! One document model for both wire formats of Open311, so that JSON and XML always carry the
//! same fields: XML with its declaration, UTF-8 and every text escaped; JSON as the spec's
//! arrays and objects. A list names the element of its items (`services` → `service`).

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The two formats (the spec requires XML; JSON is offered too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xml,
    Json,
}

impl Format {
    /// Splits `services.json` into its name and format; an unknown extension is `None`.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (name, ext) = file.rsplit_once('.')?;
        match ext {
            "xml" => Some((name, Format::Xml)),
            "json" => Some((name, Format::Json)),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xml => "text/xml; charset=utf-8",
            Format::Json => "application/json; charset=utf-8",
        }
    }
}

/// A value in an answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Empty in XML, `null` in JSON.
    Null,
    Str(String),
    /// Written as is (an integer or decimal already formatted).
    Num(String),
    Bool(bool),
    Obj(Vec<(&'static str, Val)>),
    /// Items, each an element named by the first field.
    List(&'static str, Vec<Val>),
}

impl Val {
    pub fn str(s: impl Into<String>) -> Self {
        Val::Str(s.into())
    }

    pub fn opt(s: Option<impl Into<String>>) -> Self {
        s.map_or(Val::Null, |s| Val::Str(s.into()))
    }

    fn json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            Val::Null => Value::Null,
            Val::Str(s) => Value::String(s.clone()),
            Val::Num(n) => serde_json::from_str(n).unwrap_or_else(|_| Value::String(n.clone())),
            Val::Bool(b) => Value::Bool(*b),
            Val::Obj(fields) => Value::Object(fields.iter().map(|(k, v)| ((*k).to_owned(), v.json())).collect()),
            Val::List(_, items) => Value::Array(items.iter().map(Val::json).collect()),
        }
    }

    fn xml(&self, name: &str, out: &mut String) {
        match self {
            Val::Null => {
                out.push('<');
                out.push_str(name);
                out.push_str("></");
                out.push_str(name);
                out.push('>');
            }
            Val::Str(s) | Val::Num(s) => element(name, &escape(s), out),
            Val::Bool(b) => element(name, if *b { "true" } else { "false" }, out),
            Val::Obj(fields) => {
                let mut inner = String::new();
                for (k, v) in fields {
                    v.xml(k, &mut inner);
                }
                element(name, &inner, out);
            }
            Val::List(item, items) => {
                let mut inner = String::new();
                for v in items {
                    v.xml(item, &mut inner);
                }
                element(name, &inner, out);
            }
        }
    }
}

fn element(name: &str, inner: &str, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(inner);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

pub use xinqiao_domain::xml::escape;

/// A whole answer: the root element's name and its value.
pub fn render(root: &'static str, value: &Val, format: Format) -> String {
    match format {
        Format::Json => value.json().to_string(),
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>");
            value.xml(root, &mut out);
            out
        }
    }
}

/// An answer with its status and content type.
pub fn respond(status: StatusCode, root: &'static str, value: &Val, format: Format) -> Response {
    (status, [(header::CONTENT_TYPE, format.content_type())], render(root, value, format)).into_response()
}

/// The spec's error list: one error with its code (the HTTP status) and description.
pub fn error(status: StatusCode, description: &str, format: Format) -> Response {
    let one = Val::Obj(vec![("code", Val::Num(status.as_u16().to_string())), ("description", Val::str(description))]);
    respond(status, "errors", &Val::List("error", vec![one]), format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_model_two_formats_escaped() {
        let v = Val::List(
            "service",
            vec![Val::Obj(vec![
                ("service_code", Val::str("report")),
                ("service_name", Val::str("举报 <A&B> \"x\" 'y'\u{1}")),
                ("metadata", Val::Bool(true)),
                ("lat", Val::Num("31.3036".into())),
                ("group", Val::Null),
            ])],
        );
        let xml = render("services", &v, Format::Xml);
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><services><service><service_code>report</service_code>\
             <service_name>举报 &lt;A&amp;B&gt; &quot;x&quot; &apos;y&apos;</service_name><metadata>true</metadata>\
             <lat>31.3036</lat><group></group></service></services>"
        );
        let json: serde_json::Value = serde_json::from_str(&render("services", &v, Format::Json)).unwrap();
        assert_eq!(json[0]["service_name"], "举报 <A&B> \"x\" 'y'\u{1}");
        assert_eq!(json[0]["metadata"], true);
        assert_eq!(json[0]["lat"], 31.3036);
        assert!(json[0]["group"].is_null());
        assert_eq!(Format::split("services.json"), Some(("services", Format::Json)));
        assert_eq!(Format::split("a.b.xml"), Some(("a.b", Format::Xml)));
        assert_eq!(Format::split("services.csv"), None);
    }
}
