//! 回避申报, the one service: an officer's declared industries and ties to enterprises or people
//! (a person only as a blind index of a mobile or ID number, never in clear). Typed input and the
//! caller in, the stored declaration or a field error out; the page and the API both call it.

use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::cases::independence::{Tie, TieKind};
use xinqiao_domain::ids::{IdNumber, Industry, Mobile, Uscc};

/// A tie to declare: one of an enterprise (name or USCC) or a person (mobile or ID number).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TieInput {
    /// `relative`, `former_employer`, `shareholding` … (the declarable kinds).
    pub kind: String,
    #[serde(default)]
    pub enterprise_name: String,
    #[serde(default)]
    pub uscc: String,
    /// A person's mobile or 身份证号; kept only as a blind index.
    #[serde(default)]
    pub person: String,
    /// At most 200 characters are kept.
    #[serde(default)]
    pub note: String,
}

/// The industries (GB/T 4754 sections) the officer works in.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndustriesInput {
    #[serde(default)]
    pub industries: Vec<String>,
}

/// A declared tie as its officer sees it (a person never in clear).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TieView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    /// The enterprise's name or USCC, or that a person is kept as an index.
    pub party: String,
    pub note: String,
    pub declared_at_ms: i64,
}

/// The officer's declarations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Declarations {
    pub ties: Vec<TieView>,
    /// GB/T 4754 section letters.
    #[schema(value_type = Vec<String>)]
    pub industries: Vec<char>,
}

async fn authorise(state: &AppState, by: &Caller<'_>) -> Result<(), AppError> {
    by.require(state, Permission::HandleCases, "ties").await
}

/// The caller's own declarations.
pub async fn mine(state: &AppState, by: &Caller<'_>) -> Result<Declarations, AppError> {
    authorise(state, by).await?;
    let uid = &by.user().id;
    let ties = state
        .store
        .ties_of(uid)
        .await?
        .into_iter()
        .map(|d| TieView {
            party: match (&d.tie.enterprise_name, &d.tie.enterprise_uscc, &d.tie.person_index) {
                (Some(n), _, _) => n.clone(),
                (None, Some(u), _) => u.clone(),
                _ => "个人（以加密索引保存）".into(),
            },
            kind: d.tie.kind.code().to_owned(),
            kind_label: d.tie.kind.label().to_owned(),
            note: d.note,
            declared_at_ms: d.declared_at,
            id: d.id,
        })
        .collect();
    Ok(Declarations { ties, industries: state.store.industries_of(uid).await? })
}

/// The tie the input describes, every bad field named.
fn tie_of(state: &AppState, input: &TieInput) -> Result<Tie, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let kind = TieKind::parse(input.kind.trim()).filter(|k| k.declarable());
    if kind.is_none() {
        errors.push(FieldError::new("kind", "invalid", "请选择关系类型"));
    }
    let uscc = match input.uscc.trim() {
        "" => None,
        s => Uscc::parse(s).map(|u| u.as_str().to_owned()).map_err(|e| errors.push(e.with_field("uscc"))).ok(),
    };
    let name = Some(input.enterprise_name.trim().to_owned()).filter(|s| !s.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        errors.push(FieldError::new("enterprise_name", "too_long", "企业名称不能超过100个字"));
    }
    let person = input.person.trim();
    let person_index = if person.is_empty() {
        None
    } else if let Ok(m) = Mobile::parse(person) {
        Some(state.secrets.blind_index("mobile", m.as_str()))
    } else {
        // Checked against the application's today: a birth date after it is refused.
        match IdNumber::parse_on(person, state.today()) {
            Ok(id) => Some(state.secrets.blind_index("id", id.as_str())),
            Err(e) if e.code == "future_birth" => {
                errors.push(FieldError::new("person", e.code, e.message));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("person", "invalid", "个人请填手机号或身份证号"));
                None
            }
        }
    };
    if errors.is_empty() && uscc.is_none() && name.is_none() && person_index.is_none() {
        errors.push(FieldError::new("party", "required", "请填写企业名称、统一社会信用代码或个人的手机号/身份证号"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(Tie { kind: kind.expect("checked"), enterprise_uscc: uscc, enterprise_name: name, person_index })
}

/// Declares a tie of the caller; cases of that party are no longer assigned to them.
pub async fn declare(state: &AppState, by: &Caller<'_>, input: TieInput) -> Result<String, AppError> {
    authorise(state, by).await?;
    let tie = tie_of(state, &input)?;
    let note: String = input.note.trim().chars().take(200).collect();
    Ok(state.store.declare_tie(&by.actor(), &by.user().id, &tie, &note).await?)
}

/// Replaces the caller's industries; an unknown section is refused, not dropped.
pub async fn set_industries(state: &AppState, by: &Caller<'_>, input: IndustriesInput) -> Result<Vec<char>, AppError> {
    authorise(state, by).await?;
    let mut chosen = Vec::new();
    for s in &input.industries {
        let code = Industry::parse(s.trim())
            .map_err(|_| AppError::field("industries", "invalid", format!("未知的行业门类：{}", s.trim())))?
            .code();
        if !chosen.contains(&code) {
            chosen.push(code);
        }
    }
    chosen.sort_unstable();
    state.store.set_industries(&by.actor(), &by.user().id, &chosen).await?;
    Ok(chosen)
}
