//! Audit entries as people read them: the action and the object by their Chinese names (a case
//! by its tracking code, a person by name), the details as labelled fields rather than JSON.

use crate::AppState;
use crate::error::AppError;
use std::collections::HashMap;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::audit_names::{action_name, object_name};
use xinqiao_domain::time::format_cst;
use xinqiao_store::audit::Entry;

/// The label of a detail key, where a plainer word exists.
fn detail_label(key: &str) -> &str {
    match key {
        "from" => "原状态/开始",
        "to" => "新状态/结束",
        "reason" => "理由",
        "note" => "说明",
        "purpose" => "目的",
        "count" | "n" => "数量",
        "checked" => "已校验条数",
        "broken_at" => "损坏位置",
        "seq" => "序号",
        "roles" => "角色",
        "org" | "org_id" => "机构",
        "actor" => "操作人",
        "action" => "操作",
        "outcome" => "结果",
        "before" => "早于序号",
        "key" => "设置项",
        "value" => "值",
        "status" => "状态",
        "year" => "年度",
        "category" => "类别",
        "rows" => "行数",
        "name" => "名称",
        "field" | "fields" => "字段",
        "kind" => "类型",
        "assignee" => "承办人",
        "rating" => "评分",
        _ => key,
    }
}

/// One audit entry as the page and the CSV show it.
pub struct Row {
    pub seq: i64,
    pub time: String,
    pub actor: String,
    pub roles: String,
    pub action: String,
    pub action_code: String,
    pub object: String,
    pub target: String,
    pub outcome: &'static str,
    pub outcome_code: &'static str,
    pub client: String,
    pub purpose: String,
    pub details: Vec<(String, String)>,
    pub hash: String,
}

/// A JSON detail as (label, value) pairs: strings as they are, other values compact.
pub fn fields(detail: &str) -> Vec<(String, String)> {
    match serde_json::from_str::<serde_json::Value>(detail) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let value = match v {
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join("、"),
                    other => other.to_string(),
                };
                (detail_label(&k).to_owned(), value)
            })
            .collect(),
        Ok(serde_json::Value::Null) | Err(_) if detail.trim().is_empty() => Vec::new(),
        Ok(other) => vec![("详情".into(), other.to_string())],
        Err(_) => vec![("详情".into(), detail.to_owned())],
    }
}

/// Rows for `entries`, with cases and people named (each looked up once per page).
pub async fn rows(state: &AppState, entries: Vec<Entry>) -> Result<Vec<Row>, AppError> {
    let mut names: HashMap<String, String> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let r = e.record;
        let object = match names.get(&r.target) {
            Some(n) => n.clone(),
            None => {
                let n = object_of(state, &r.target).await?;
                names.insert(r.target.clone(), n.clone());
                n
            }
        };
        let roles = r.actor_roles.split(',').filter_map(|c| Role::parse(c).ok()).map(|r| r.label()).collect::<Vec<_>>();
        out.push(Row {
            seq: r.seq,
            time: format_cst(r.at_ms),
            actor: if r.actor_name.is_empty() { "（匿名）".into() } else { r.actor_name },
            roles: roles.join("、"),
            action: action_name(&r.action).unwrap_or(&r.action).to_owned(),
            action_code: r.action,
            object,
            target: r.target,
            outcome: r.outcome.label(),
            outcome_code: r.outcome.code(),
            client: r.client_addr,
            purpose: r.purpose,
            details: fields(&r.detail),
            hash: e.hash.get(..12).unwrap_or(&e.hash).to_owned(),
        });
    }
    Ok(out)
}

/// The object of an entry in words: its kind's name and, for a case or a person, which one.
async fn object_of(state: &AppState, target: &str) -> Result<String, AppError> {
    let (kind, id) = target.split_once(':').unwrap_or((target, ""));
    let Some(kind_name) = object_name(kind) else { return Ok(target.to_owned()) };
    let which = match kind {
        _ if id.is_empty() => String::new(),
        "case" => match state.store.case(id).await {
            Ok(c) => crate::cases::shown_tracking_code(&c),
            Err(xinqiao_store::StoreError::NotFound) => short(id),
            Err(e) => return Err(e.into()),
        },
        "user" => match state.store.user(id).await {
            Ok(u) => format!("{}（{}）", u.display_name, u.username),
            Err(xinqiao_store::StoreError::NotFound) => short(id),
            Err(e) => return Err(e.into()),
        },
        _ => short(id),
    };
    Ok(if which.is_empty() { kind_name.to_owned() } else { format!("{kind_name} {which}") })
}

/// An identifier shortened for reading (a UUID's first 8 characters); codes stay whole.
fn short(id: &str) -> String {
    if id.len() == 36 && id.bytes().filter(|b| *b == b'-').count() == 4 {
        format!("{}…", &id[..8])
    } else {
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_become_labelled_fields() {
        let f = fields(
            r#"{"from":"awaiting_acceptance","to":"accepted","checked":12,"roles":["officer","supervisor"],"x":null}"#,
        );
        assert!(f.contains(&("原状态/开始".into(), "awaiting_acceptance".into())));
        assert!(f.contains(&("新状态/结束".into(), "accepted".into())));
        assert!(f.contains(&("已校验条数".into(), "12".into())));
        assert_eq!(f.len(), 4, "null values are left out");
        assert!(f.contains(&("角色".into(), "officer、supervisor".into())));
        assert!(fields("{}").is_empty() && fields("").is_empty());
        assert_eq!(fields("not json"), [("详情".to_owned(), "not json".to_owned())]);
        assert_eq!(short("0190d1f2-aaaa-7bbb-8ccc-123456789abc"), "0190d1f2…");
    }
}
