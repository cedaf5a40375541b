//! A small validator for the JSON Schema subset the published OpenAPI 3.1 document uses (with
//! OpenAPI 3.0's `nullable`), so real answers can be checked against it without a schema crate.
//! A keyword it does not know is an error, never silently passed.

use serde_json::Value;

/// Validates values against schemas that may `$ref` into `doc` (`#/components/schemas/…`).
pub struct Validator<'a> {
    doc: &'a Value,
}

/// Keywords that describe without constraining.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "contentMediaType",
];

impl<'a> Validator<'a> {
    pub fn new(doc: &'a Value) -> Self {
        Self { doc }
    }

    /// Every way `value` fails `schema`, each with the JSON path where it fails; empty when it fits.
    pub fn errors(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut out = Vec::new();
        self.check(schema, value, "$", &mut out, 0);
        out
    }

    fn resolve(&self, reference: &str) -> Result<&'a Value, String> {
        let pointer =
            reference.strip_prefix('#').ok_or_else(|| format!("only local $ref are supported: {reference}"))?;
        self.doc.pointer(pointer).ok_or_else(|| format!("$ref {reference} resolves to nothing"))
    }

    fn check(&self, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>, depth: usize) {
        if depth > 64 {
            out.push(format!("{at}: $ref nesting too deep"));
            return;
        }
        let obj = match schema {
            Value::Bool(true) => return,
            Value::Bool(false) => {
                out.push(format!("{at}: no value is allowed here (schema false), got {value}"));
                return;
            }
            Value::Object(o) => o,
            other => {
                out.push(format!("{at}: a schema must be an object or a boolean, found {other}"));
                return;
            }
        };
        let nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        if nullable && value.is_null() {
            return;
        }
        for (key, kw) in obj {
            match key.as_str() {
                "$ref" => match kw.as_str().map(|r| self.resolve(r)) {
                    Some(Ok(target)) => self.check(target, value, at, out, depth + 1),
                    Some(Err(e)) => out.push(format!("{at}: {e}")),
                    None => out.push(format!("{at}: $ref must be a string")),
                },
                "type" => {
                    let types: Vec<&str> = match kw {
                        Value::String(t) => vec![t.as_str()],
                        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
                        _ => {
                            out.push(format!("{at}: malformed type {kw}"));
                            continue;
                        }
                    };
                    if !types.iter().any(|t| has_type(value, t)) {
                        out.push(format!("{at}: expected {}, got {}", types.join(" or "), short(value)));
                    }
                }
                "nullable" => {}
                "enum" => {
                    if !kw.as_array().is_some_and(|vs| vs.contains(value)) {
                        out.push(format!("{at}: {} is not one of {kw}", short(value)));
                    }
                }
                "const" => {
                    if kw != value {
                        out.push(format!("{at}: {} is not {kw}", short(value)));
                    }
                }
                "format" => self.format(kw.as_str().unwrap_or(""), value, at, out),
                "allOf" => {
                    for s in kw.as_array().into_iter().flatten() {
                        self.check(s, value, at, out, depth + 1);
                    }
                }
                "anyOf" | "oneOf" => {
                    let branches = kw.as_array().map(Vec::as_slice).unwrap_or_default();
                    let fits = branches
                        .iter()
                        .filter(|s| {
                            let mut e = Vec::new();
                            self.check(s, value, at, &mut e, depth + 1);
                            e.is_empty()
                        })
                        .count();
                    if fits == 0 || (key == "oneOf" && fits > 1) {
                        out.push(format!(
                            "{at}: {} branches of {key} fit {} (of {})",
                            fits,
                            short(value),
                            branches.len()
                        ));
                    }
                }
                "not" => {
                    let mut e = Vec::new();
                    self.check(kw, value, at, &mut e, depth + 1);
                    if e.is_empty() {
                        out.push(format!("{at}: {} fits a schema it must not", short(value)));
                    }
                }
                "properties" => {
                    if let (Some(props), Some(v)) = (kw.as_object(), value.as_object()) {
                        for (name, s) in props {
                            if let Some(field) = v.get(name) {
                                self.check(s, field, &format!("{at}.{name}"), out, depth + 1);
                            }
                        }
                    }
                }
                "required" => {
                    if let Some(v) = value.as_object() {
                        for name in kw.as_array().into_iter().flatten().filter_map(Value::as_str) {
                            if !v.contains_key(name) {
                                out.push(format!("{at}: required field `{name}` is missing"));
                            }
                        }
                    }
                }
                "additionalProperties" => {
                    if let Some(v) = value.as_object() {
                        let declared = obj.get("properties").and_then(Value::as_object);
                        for (name, field) in v {
                            if declared.is_some_and(|d| d.contains_key(name)) {
                                continue;
                            }
                            match kw {
                                Value::Bool(false) => out
                                    .push(format!("{at}: field `{name}` is not allowed (additionalProperties: false)")),
                                s => self.check(s, field, &format!("{at}.{name}"), out, depth + 1),
                            }
                        }
                    }
                }
                "propertyNames" => {
                    if let Some(v) = value.as_object() {
                        for name in v.keys() {
                            self.check(kw, &Value::String(name.clone()), &format!("{at}[key {name}]"), out, depth + 1);
                        }
                    }
                }
                "prefixItems" => {
                    if let Some(items) = value.as_array() {
                        for (i, (s, item)) in kw.as_array().into_iter().flatten().zip(items).enumerate() {
                            self.check(s, item, &format!("{at}[{i}]"), out, depth + 1);
                        }
                    }
                }
                "items" => {
                    if let Some(items) = value.as_array() {
                        let skip = obj.get("prefixItems").and_then(Value::as_array).map_or(0, Vec::len);
                        for (i, item) in items.iter().enumerate().skip(skip) {
                            self.check(kw, item, &format!("{at}[{i}]"), out, depth + 1);
                        }
                    }
                }
                "minItems" | "maxItems" => {
                    if let (Some(items), Some(n)) = (value.as_array(), kw.as_u64()) {
                        let len = items.len() as u64;
                        if (key == "minItems" && len < n) || (key == "maxItems" && len > n) {
                            out.push(format!("{at}: {len} items, {key} is {n}"));
                        }
                    }
                }
                "minLength" | "maxLength" => {
                    if let (Some(s), Some(n)) = (value.as_str(), kw.as_u64()) {
                        let len = s.chars().count() as u64;
                        if (key == "minLength" && len < n) || (key == "maxLength" && len > n) {
                            out.push(format!("{at}: length {len}, {key} is {n}"));
                        }
                    }
                }
                "minimum" | "maximum" | "exclusiveMinimum" | "exclusiveMaximum" => {
                    if let (Some(x), Some(bound)) = (value.as_f64(), kw.as_f64()) {
                        let ok = match key.as_str() {
                            "minimum" => x >= bound,
                            "maximum" => x <= bound,
                            "exclusiveMinimum" => x > bound,
                            _ => x < bound,
                        };
                        if !ok {
                            out.push(format!("{at}: {value} is outside {key} {bound}"));
                        }
                    }
                }
                k if ANNOTATIONS.contains(&k) => {}
                other => out.push(format!("{at}: the validator does not know the keyword `{other}`")),
            }
        }
    }

    fn format(&self, format: &str, value: &Value, at: &str, out: &mut Vec<String>) {
        let range = match format {
            "int32" => Some((f64::from(i32::MIN), f64::from(i32::MAX))),
            "int64" => Some((i64::MIN as f64, i64::MAX as f64)),
            _ => None,
        };
        if let (Some((lo, hi)), Some(x)) = (range, value.as_f64())
            && !(lo..=hi).contains(&x)
        {
            out.push(format!("{at}: {value} does not fit {format}"));
        }
        if format == "date" && value.as_str().is_some_and(|s| xinqiao_domain::calendar::Date::parse(s).is_none()) {
            out.push(format!("{at}: {value} is not a date"));
        }
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        _ => false,
    }
}

fn short(value: &Value) -> String {
    let s = value.to_string();
    if s.chars().count() > 80 { format!("{}…", s.chars().take(80).collect::<String>()) } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc() -> Value {
        json!({"components": {"schemas": {
            "Strict": {"type": "object", "required": ["a"], "properties": {"a": {"type": "integer", "format": "int32", "minimum": 0}, "b": {"type": ["string", "null"]}}, "additionalProperties": false},
            "Loose": {"type": "object", "properties": {"x": {"type": "string", "enum": ["on", "off"]}}},
            "Both": {"allOf": [{"$ref": "#/components/schemas/Loose"}, {"type": "object", "required": ["y"], "properties": {"y": {"type": "boolean"}}}]},
            "Maybe": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Strict"}]},
            "Old": {"type": "string", "nullable": true},
            "Pair": {"type": "array", "items": false, "prefixItems": [{"type": "integer"}, {"type": "string"}]},
            "List": {"type": "array", "items": {"$ref": "#/components/schemas/Strict"}, "maxItems": 2},
            "Map": {"type": "object", "additionalProperties": {"type": "integer"}, "propertyNames": {"type": "string"}}
        }}})
    }

    fn errs(name: &str, value: Value) -> Vec<String> {
        let d = doc();
        Validator::new(&d).errors(&json!({"$ref": format!("#/components/schemas/{name}")}), &value)
    }

    #[test]
    fn fitting_documents_pass() {
        assert_eq!(errs("Strict", json!({"a": 3, "b": null})), Vec::<String>::new());
        assert_eq!(errs("Strict", json!({"a": 3, "b": "x"})), Vec::<String>::new());
        assert_eq!(errs("Both", json!({"x": "on", "y": true, "z": 1})), Vec::<String>::new());
        assert_eq!(errs("Maybe", json!(null)), Vec::<String>::new());
        assert_eq!(errs("Old", json!(null)), Vec::<String>::new());
        assert_eq!(errs("Pair", json!([1, "a"])), Vec::<String>::new());
        assert_eq!(errs("List", json!([{"a": 1}, {"a": 2}])), Vec::<String>::new());
        assert_eq!(errs("Map", json!({"k": 1})), Vec::<String>::new());
    }

    #[test]
    fn bad_documents_are_rejected_with_where_and_why() {
        let cases = [
            ("Strict", json!({"b": "x"}), "required field `a`"),
            ("Strict", json!({"a": 1, "c": 1}), "`c` is not allowed"),
            ("Strict", json!({"a": "1"}), "$.a: expected integer"),
            ("Strict", json!({"a": 1.5}), "expected integer"),
            ("Strict", json!({"a": -1}), "outside minimum"),
            ("Strict", json!({"a": 4_000_000_000_i64}), "does not fit int32"),
            ("Strict", json!({"a": 1, "b": 2}), "$.b: expected string or null"),
            ("Strict", json!([]), "expected object"),
            ("Loose", json!({"x": "maybe"}), "is not one of"),
            ("Both", json!({"x": "on"}), "required field `y`"),
            ("Both", json!({"x": 1, "y": true}), "$.x: expected string"),
            ("Maybe", json!({"a": "no"}), "0 branches of oneOf"),
            ("Old", json!(3), "expected string"),
            ("Pair", json!([1, 2]), "$[1]: expected string"),
            ("Pair", json!([1, "a", 3]), "schema false"),
            ("List", json!([{"a": 1}, {"a": 2}, {"a": 3}]), "maxItems is 2"),
            ("List", json!([{"a": 1}, {}]), "$[1]: required field `a`"),
            ("Map", json!({"k": "v"}), "$.k: expected integer"),
        ];
        for (name, value, expected) in cases {
            let e = errs(name, value.clone());
            assert!(e.iter().any(|m| m.contains(expected)), "{name} {value}: wanted “{expected}”, got {e:?}");
        }
    }

    #[test]
    fn unknown_keywords_and_dangling_refs_are_errors_not_passes() {
        let d = doc();
        let v = Validator::new(&d);
        let e = v.errors(&json!({"type": "string", "pattern": "^a$"}), &json!("b"));
        assert!(e.iter().any(|m| m.contains("does not know the keyword `pattern`")), "{e:?}");
        let e = v.errors(&json!({"$ref": "#/components/schemas/Nope"}), &json!(1));
        assert!(e.iter().any(|m| m.contains("resolves to nothing")), "{e:?}");
        let e = v.errors(&json!({"oneOf": [{"type": "integer"}, {"type": "number"}]}), &json!(1));
        assert!(e.iter().any(|m| m.contains("2 branches of oneOf")), "oneOf means exactly one: {e:?}");
    }
}
