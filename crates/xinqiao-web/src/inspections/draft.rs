//! A new 双随机 task, the one service under the /inspections/new form, the demo and
//! `POST /api/v1/draws`: typed input checked field by field (every mistake named by the field the
//! form shows it beside), the task built from the directories as it will be frozen (pool,
//! exclusions for declared ties and rotation), then committed — its SHA-256 published before any
//! source value exists.

use crate::AppState;
use crate::caller::Caller;
use crate::error::AppError;
use serde::Deserialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::draws::{
    DrawError, DrawTask, Inspector, Parameters, RandomSource, RiskClass, Sampling, SourceKind, Target,
    rotation_exclusions, tie_exclusions,
};

/// At most this many announced random sources.
pub const MAX_SOURCES: usize = 3;
const RATIO_FIELDS: [(RiskClass, &str, &str); 4] = [
    (RiskClass::A, "ratio_a", "A类"),
    (RiskClass::B, "ratio_b", "B类"),
    (RiskClass::C, "ratio_c", "C类"),
    (RiskClass::D, "ratio_d", "D类"),
];
const SOURCE_NAME: [&str; MAX_SOURCES] = ["source_name_0", "source_name_1", "source_name_2"];
const SOURCE_DESCRIPTION: [&str; MAX_SOURCES] =
    ["source_description_0", "source_description_1", "source_description_2"];
pub const SOURCE_TIME: [&str; MAX_SOURCES] = ["source_time_0", "source_time_1", "source_time_2"];

/// An announced public random source whose value will seed the draw.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceInput {
    /// 福彩双色球第2026140期开奖号码 …; an entry with an empty name is skipped.
    pub name: String,
    /// When, where and how the value is read.
    #[serde(default)]
    pub description: String,
    /// `numbers` (default) or `text`.
    #[serde(default)]
    pub kind: String,
    /// When the source publishes its value, `YYYY-MM-DD HH:MM` China time (optional); the draw is
    /// refused before it.
    #[serde(default)]
    pub available_at: String,
}

/// A new task. Errors name the fields as the form does: `title`, `items`, `ratio_a`…`ratio_d`,
/// `inspectors_per_target`, `max_targets_per_inspector`, `source_name_0`…, `scope`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawInput {
    pub title: String,
    /// The matters inspected, one per entry.
    pub items: Vec<String>,
    /// GB/T 4754 sections of the targets (none: all).
    #[serde(default)]
    pub industries: Vec<String>,
    /// Region codes of the targets (none: all).
    #[serde(default)]
    pub regions: Vec<String>,
    /// Per mille drawn of risk classes A, B, C and D (0–1000).
    pub ratios: [u32; 4],
    /// At least 2.
    pub inspectors_per_target: u32,
    /// At least 1.
    pub max_targets_per_inspector: u32,
    /// One to three announced sources, in order.
    pub sources: Vec<SourceInput>,
}

/// Every mistake of the input, each under the field it concerns (the task's own rules are
/// checked again when it is built).
pub fn check(input: &DrawInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let title = input.title.trim();
    if title.is_empty() {
        errors.push(FieldError::new("title", "required", "请填写任务名称"));
    } else if title.chars().count() > 100 {
        errors.push(FieldError::new("title", "too_long", "任务名称不超过100字"));
    }
    if input.items.iter().all(|l| l.trim().is_empty()) {
        errors.push(FieldError::new("items", "required", "请至少填写一项抽查事项"));
    }
    for ((_, field, label), ratio) in RATIO_FIELDS.iter().zip(input.ratios) {
        if ratio > 1000 {
            errors.push(ratio_error(field, label));
        }
    }
    if input.inspectors_per_target < 2 {
        errors.push(FieldError::new("inspectors_per_target", "too_few", "每户至少派2名检查人员"));
    }
    if input.max_targets_per_inspector < 1 {
        errors.push(FieldError::new("max_targets_per_inspector", "number", "每人最多检查户数应为正整数"));
    }
    if input.sources.len() > MAX_SOURCES {
        errors.push(FieldError::new(SOURCE_NAME[0], "too_many", "随机数来源最多3个"));
    }
    let mut names = Vec::new();
    for (i, s) in input.sources.iter().enumerate().take(MAX_SOURCES) {
        let name = s.name.trim();
        if name.is_empty() {
            if i == 0 {
                errors.push(FieldError::new(SOURCE_NAME[0], "required", "请填写至少一个随机数来源"));
            }
            continue;
        }
        if names.contains(&name) {
            errors.push(FieldError::new(SOURCE_NAME[i], "duplicate", "随机数来源不能重复"));
        }
        names.push(name);
        if s.description.trim().is_empty() {
            errors.push(FieldError::new(SOURCE_DESCRIPTION[i], "required", "请写明公布的时间、地点与读取方法"));
        }
        let time = s.available_at.trim();
        if !time.is_empty() && xinqiao_domain::time::parse_cst_minute(time).is_none() {
            errors.push(FieldError::new(SOURCE_TIME[i], "invalid", "公布时间应为“年-月-日 时:分”"));
        }
    }
    if input.sources.is_empty() {
        errors.push(FieldError::new(SOURCE_NAME[0], "required", "请填写至少一个随机数来源"));
    }
    errors
}

/// The message of a ratio that is not a number from 0 to 1000.
pub fn ratio_error(field: &'static str, label: &str) -> FieldError {
    FieldError::new(field, "ratio", format!("{label}抽取比例应为 0 至 1000 之间的整数（‰）"))
}

/// The field of the form a rule of the task concerns.
fn draw_field(e: &DrawError) -> &'static str {
    use DrawError as E;
    match e {
        E::EmptyField { field: "任务名称" } | E::ControlCharacter { field: "任务名称" } => "title",
        E::EmptyField { field: "抽查事项" } | E::ControlCharacter { field: "抽查事项" } => "items",
        E::EmptyField { field: "随机数来源名称" } | E::ControlCharacter { field: "随机数来源名称" } => {
            "source_name_0"
        }
        E::PoolEmpty | E::TooLarge { .. } => "scope",
        E::TooFewInspectorsPerTarget { .. } | E::InspectorsFewerThanTeam { .. } => "inspectors_per_target",
        E::MaxPerInspectorZero => "max_targets_per_inspector",
        E::RatioOutOfRange { risk, .. } => match risk {
            RiskClass::A => "ratio_a",
            RiskClass::B => "ratio_b",
            RiskClass::C => "ratio_c",
            RiskClass::D => "ratio_d",
        },
        E::NoSources | E::DuplicateSource { .. } => "source_name_0",
        _ => "draw",
    }
}

/// Builds the task from checked input and the directories, as it will be frozen (a supervisor's
/// duty). Nothing is stored.
pub async fn prepare(state: &AppState, by: &Caller<'_>, input: &DrawInput) -> Result<DrawTask, AppError> {
    by.require(state, Permission::SuperviseCases, "inspections").await?;
    let errors = check(input);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    build(state, input).await
}

async fn build(state: &AppState, input: &DrawInput) -> Result<DrawTask, AppError> {
    let sampling: BTreeMap<RiskClass, Sampling> =
        RATIO_FIELDS.iter().zip(input.ratios).map(|((risk, _, _), r)| (*risk, Sampling::Permille(r))).collect();
    let parameters = Parameters {
        sampling,
        inspectors_per_target: input.inspectors_per_target,
        max_targets_per_inspector: input.max_targets_per_inspector,
    };
    let rows = state.store.targets_in_scope(&input.industries, &input.regions).await?;
    let targets: Vec<Target> = rows
        .iter()
        .filter_map(|r| {
            Some(Target { uscc: r.uscc.clone(), name: r.name.clone(), risk: RiskClass::parse(&r.risk_class)? })
        })
        .collect();
    let staff_rows = state.store.active_inspectors().await?;
    let inspectors: Vec<Inspector> = staff_rows
        .iter()
        .map(|i| Inspector { cert_no: i.cert_no.clone(), name: i.name.clone(), unit: i.unit.clone() })
        .collect();
    let sources: Vec<RandomSource> = input
        .sources
        .iter()
        .filter(|s| !s.name.trim().is_empty())
        .map(|s| RandomSource {
            name: s.name.trim().to_owned(),
            description: s.description.trim().to_owned(),
            kind: if s.kind.trim() == "text" { SourceKind::Text } else { SourceKind::Numbers },
            value: None,
            available_at: xinqiao_domain::time::parse_cst_minute(s.available_at.trim()),
        })
        .collect();
    let all = |v: &[String]| if v.is_empty() { "全部".to_owned() } else { v.join("、") };
    let mut task = DrawTask {
        id: xinqiao_store::new_id(),
        title: input.title.trim().to_owned(),
        scope: format!("行业：{}；地区：{}", all(&input.industries), all(&input.regions)),
        items: input.items.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).map(str::to_owned).collect(),
        parameters,
        targets,
        inspectors,
        exclusions: Vec::new(),
        sources,
    };
    task.canonicalize();
    let mut exclusions = Vec::new();
    for i in staff_rows.iter() {
        if let Some(user) = &i.user_id {
            let ties: Vec<_> = state.store.ties_of(user).await?.into_iter().map(|d| d.tie).collect();
            exclusions.extend(tie_exclusions(&i.cert_no, &ties, &task.targets));
        }
    }
    let previous = state.store.previous_teams().await?;
    exclusions.extend(rotation_exclusions(&task, previous.iter().map(|(u, l)| (u.as_str(), l.as_slice()))));
    task.exclusions = exclusions;
    task.canonicalize();
    task.validate().map_err(|e| {
        let message = match e {
            DrawError::PoolEmpty => "所选行业和地区内没有在册的检查对象，请调整行业或地区".into(),
            _ => e.to_string(),
        };
        AppError::field(draw_field(&e), e.code(), message)
    })?;
    Ok(task)
}

/// Builds and commits a new task; returns its id.
pub async fn create(state: &AppState, by: &Caller<'_>, input: &DrawInput) -> Result<String, AppError> {
    let task = prepare(state, by, input).await?;
    super::service::commit(state, &by.actor(), task).await
}
