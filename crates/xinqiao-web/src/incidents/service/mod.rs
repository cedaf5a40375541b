//! The one service of 突发事件: typed input and an authorised officer in, a domain result or a
//! typed error out. Pages and the JSON API call it; tests call it. Scope is decided here: an
//! incident, case or warning outside the officer's bureau tree is not found.

mod drills;
mod evidence;
mod links;
mod party;
mod retest;
mod review;
mod statements;
pub use drills::*;
pub use evidence::*;
pub use links::*;
pub use party::*;
pub use retest::*;
pub use review::*;
pub use statements::*;

use super::view::{IncidentView, build_view};
use crate::AppState;
use crate::error::AppError;
use crate::scope::Scope;
use serde::Deserialize;
use xinqiao_domain::FieldError;
use xinqiao_domain::accounts::Role;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::incidents::model::one_line;
use xinqiao_domain::incidents::{
    Batch, ClockError, ClockKind, Clocks, Gtin, LinkKind, MediaItem, MediaUrl, Product, PromiseSpan, Testing,
};
use xinqiao_store::audit::Actor;
use xinqiao_store::incidents::{Incident, IncidentError, IncidentSummary, NewIncident, TeamChange};
use xinqiao_store::users::User;

/// An officer or supervisor of a bureau, with the bureau tree they see.
#[derive(Debug, Clone)]
pub struct Officer {
    pub user: User,
    pub scope: Scope,
    pub actor: Actor,
}

impl Officer {
    /// `user` acting from `addr`: officers and supervisors with a bureau only.
    pub async fn of(state: &AppState, user: &User, addr: &str) -> Result<Self, AppError> {
        Self::acting(state, user, crate::auth::session_actor(user, addr)).await
    }

    /// An API caller, under the same rule.
    pub async fn of_api(state: &AppState, caller: &crate::api_user::ApiUser) -> Result<Self, AppError> {
        Self::acting(state, &caller.user, caller.actor()).await
    }

    async fn acting(state: &AppState, user: &User, actor: Actor) -> Result<Self, AppError> {
        if !user.roles.iter().any(|r| matches!(r, Role::Officer | Role::Supervisor)) {
            return Err(AppError::Forbidden("只有客户体验官和主管可以办理突发事件".into()));
        }
        let scope = Scope::of_org(state, user.org_id.as_deref()).await?;
        if scope.is_empty() {
            return Err(AppError::Forbidden("您的账户尚未归属任何机构，不能办理突发事件".into()));
        }
        Ok(Self { user: user.clone(), scope, actor })
    }

    pub fn is_supervisor(&self) -> bool {
        self.user.roles.contains(&Role::Supervisor)
    }
}

impl From<IncidentError> for AppError {
    fn from(e: IncidentError) -> Self {
        match e {
            IncidentError::NotFound => AppError::NotFound,
            IncidentError::Conflict(c) => AppError::Conflict(c.to_string()),
            IncidentError::BadRow { table, column } => AppError::Internal(format!("stored incident: {table}.{column}")),
            IncidentError::Store(s) => s.into(),
        }
    }
}

/// A clock that cannot be computed as asked, as a field error with a stable code.
fn clock_error(field: &'static str, e: ClockError) -> AppError {
    let code = match e {
        ClockError::BadData(_) => return AppError::Internal(e.to_string()),
        ClockError::NotExtendable => "not_extendable",
        ClockError::ExtensionTooLate(_) => "extension_too_late",
        ClockError::TestingNotExcluded => "testing_not_excluded",
        ClockError::TestingNotNotified => "testing_not_notified",
        ClockError::TestingBadRange => "testing_bad_range",
        ClockError::TestingOverlap => "testing_overlap",
        ClockError::TestingAfterExpiry(_) => "testing_after_expiry",
    };
    AppError::field(field, code, e.to_string())
}

fn date(field: &'static str, label: &str, input: &str) -> Result<Date, FieldError> {
    Date::parse(input).ok_or_else(|| FieldError::new(field, "bad_date", format!("{label}应为 YYYY-MM-DD 格式的日期")))
}

fn not_future(state: &AppState, field: &'static str, label: &str, d: Date) -> Result<Date, AppError> {
    if d > state.today() {
        return Err(AppError::field(field, "in_future", format!("{label}不能晚于今天")));
    }
    Ok(d)
}

pub(super) fn invalid(e: FieldError) -> AppError {
    AppError::Validation(vec![e])
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewIncidentInput {
    pub title: String,
    pub enterprise_name: String,
    #[serde(default)]
    pub enterprise_uscc: Option<String>,
    /// The owner's user id (default: the creator).
    #[serde(default)]
    pub owner_id: Option<String>,
    #[serde(default)]
    pub team: Vec<String>,
}

/// Opens a new incident in the officer's own bureau.
pub async fn create(state: &AppState, by: &Officer, input: NewIncidentInput) -> Result<String, AppError> {
    let org_id = by.user.org_id.clone().ok_or_else(AppError::forbidden)?;
    let mut errors = Vec::new();
    let title = one_line("title", "事件标题", &input.title, 100).map_err(|e| errors.push(e)).ok();
    let enterprise =
        one_line("enterprise_name", "涉事企业", &input.enterprise_name, 100).map_err(|e| errors.push(e)).ok();
    let uscc = match input.enterprise_uscc.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Uscc::parse(s).map_err(|e| errors.push(e.with_field("enterprise_uscc"))).ok(),
        None => None,
    };
    let owner_id = input.owner_id.clone().unwrap_or_else(|| by.user.id.clone());
    errors.extend(unfit_members(state, by, &owner_id, &input.team).await);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let new = NewIncident {
        org_id,
        title: title.expect("checked"),
        enterprise_name: enterprise.expect("checked"),
        enterprise_uscc: uscc,
        owner_id,
        team: input.team,
    };
    Ok(state.store.create_incident(&by.actor, &new).await?)
}

/// A field error for each of the owner and team who is not a serving officer or supervisor of
/// the acting officer's tree (an unknown id is told the same way).
async fn unfit_members(state: &AppState, by: &Officer, owner_id: &str, team: &[String]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, id) in std::iter::once(("owner_id", owner_id)).chain(team.iter().map(|t| ("team", t.as_str()))) {
        let member = state.store.user(id).await.ok();
        let fits = member.as_ref().is_some_and(|u| {
            !u.disabled
                && u.org_id.as_deref().is_some_and(|o| by.scope.has_org(o))
                && u.roles.iter().any(|r| matches!(r, Role::Officer | Role::Supervisor))
        });
        if !fits {
            errors.push(FieldError::new(field, "out_of_scope", "负责人和事件组成员须是本辖区在岗的客户体验官或主管"));
        }
    }
    errors
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    /// The owner's user id.
    pub owner_id: String,
    /// The team's user ids (the owner is always on it).
    #[serde(default)]
    pub team: Vec<String>,
}

/// Changes the owner and team: only the owner or a supervisor of the tree may, and everyone
/// named must serve in the tree. Audited with who was added and removed.
pub async fn change_team(state: &AppState, by: &Officer, id: &str, input: TeamInput) -> Result<TeamChange, AppError> {
    let incident = in_scope(state, by, id).await?;
    if !by.is_supervisor() && incident.owner_id != by.user.id {
        return Err(AppError::Forbidden("只有事件负责人或主管可以调整负责人和事件组".into()));
    }
    if input.team.len() > 50 {
        return Err(AppError::field("team", "too_many", "事件组最多50人"));
    }
    let errors = unfit_members(state, by, input.owner_id.trim(), &input.team).await;
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    Ok(state.store.change_incident_team(&by.actor, id, input.owner_id.trim(), &input.team).await?)
}

/// The incidents of the officer's bureau tree, newest first.
pub async fn list(state: &AppState, by: &Officer) -> Result<Vec<IncidentSummary>, AppError> {
    let orgs = if by.scope.everything { None } else { Some(by.scope.org_ids.as_slice()) };
    Ok(state.store.incidents_in(orgs, 500).await?)
}

/// The incident if the officer's tree holds it; otherwise not found (its existence unconfirmed).
pub(super) async fn in_scope(state: &AppState, by: &Officer, id: &str) -> Result<Incident, AppError> {
    let incident = state.store.incident(id).await?;
    if !by.scope.has_org(&incident.org_id) {
        return Err(AppError::NotFound);
    }
    Ok(incident)
}

/// The incident, for a change: only its team and the supervisors of the tree may change it.
pub(super) async fn for_change(state: &AppState, by: &Officer, id: &str) -> Result<Incident, AppError> {
    let incident = in_scope(state, by, id).await?;
    if !by.is_supervisor() && !incident.team.contains(&by.user.id) {
        return Err(AppError::Forbidden("只有事件组成员或主管可以更改事件".into()));
    }
    Ok(incident)
}

/// Opens the incident: every view is recorded before anything is shown.
pub async fn open(state: &AppState, by: &Officer, id: &str) -> Result<IncidentView, AppError> {
    in_scope(state, by, id).await?;
    state.store.record_incident_view(&by.actor, id).await?;
    let incident = state.store.incident(id).await?;
    let viewers = state.store.incident_viewers(id).await?;
    Ok(build_view(state, incident, viewers))
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkInput {
    /// `case` (by tracking code or id) or `warning` (by id).
    pub kind: String,
    pub target: String,
}

/// Links a case or warning of the officer's tree.
pub async fn link(state: &AppState, by: &Officer, id: &str, input: LinkInput) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    let kind = LinkKind::parse(&input.kind)
        .ok_or_else(|| AppError::field("kind", "bad_kind", "关联类型应为 case（诉求）或 warning（预警）"))?;
    let target = input.target.trim();
    let outside = || AppError::field("target", "not_found", "该记录不存在或不在您的辖区内");
    let target_id = match kind {
        LinkKind::Case => {
            // A tracking code as people see it (grouped with dashes) or as stored, else an id.
            let code = xinqiao_domain::cases::TrackingCode::parse(target)
                .map(|c| c.as_str().to_owned())
                .unwrap_or_else(|_| target.to_owned());
            let case = match state.store.case_by_tracking_code(&code).await {
                Ok(c) => c,
                Err(_) => state.store.case(target).await.map_err(|_| outside())?,
            };
            if !case.org_id.as_deref().is_some_and(|o| by.scope.has_org(o)) {
                return Err(outside());
            }
            case.id
        }
        LinkKind::Warning => {
            let w = state.store.warning(target).await.map_err(|_| outside())?;
            if !(by.scope.everything || by.scope.has_region(&w.w.bureau)) {
                return Err(outside());
            }
            w.id
        }
    };
    Ok(state.store.link_incident(&by.actor, id, kind, &target_id).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MediaInput {
    pub url: String,
    pub excerpt: String,
    /// When it was published or seen: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (China time).
    pub seen_at: String,
}

/// Adds a media item; its excerpt is kept masked (names and numbers of private people).
pub async fn add_media(state: &AppState, by: &Officer, id: &str, input: MediaInput) -> Result<String, AppError> {
    let incident = for_change(state, by, id).await?;
    let url = MediaUrl::parse(&input.url).map_err(invalid)?;
    let excerpt = input.excerpt.trim();
    if excerpt.chars().count() > 2000 {
        return Err(AppError::field("excerpt", "too_long", "摘录不能超过2000个字"));
    }
    let (day, time) = input.seen_at.trim().split_once('T').unwrap_or((input.seen_at.trim(), "00:00"));
    let seen_day = date("seen_at", "发布时间", day).map_err(invalid)?;
    let minutes = time
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<i64>().ok()?, m.parse::<i64>().ok()?)))
        .filter(|(h, m)| (0..24).contains(h) && (0..60).contains(m))
        .ok_or_else(|| AppError::field("seen_at", "bad_time", "发布时间应为 YYYY-MM-DDTHH:MM"))?;
    let seen_at_ms = seen_day.start_ms() + (minutes.0 * 60 + minutes.1) * 60_000;
    if seen_at_ms > state.now_ms() {
        return Err(AppError::field("seen_at", "in_future", "发布时间不能晚于现在"));
    }
    let detector = state.detector().await;
    let masked = detector.mask_for(excerpt, &[incident.enterprise_name.as_str()]);
    let item = MediaItem { url, excerpt: masked, seen_at_ms };
    Ok(state.store.add_incident_media(&by.actor, id, &item).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    pub gtin: String,
    pub batch: String,
}

pub async fn add_product(state: &AppState, by: &Officer, id: &str, input: ProductInput) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    let gtin = Gtin::parse(&input.gtin).map_err(|e| e.field(Gtin::FIELD));
    let batch = Batch::parse(&input.batch);
    let product = match (gtin, batch) {
        (Ok(gtin), Ok(batch)) => Product { gtin, batch },
        (g, b) => return Err(AppError::Validation(g.err().into_iter().chain(b.err()).collect())),
    };
    Ok(state.store.add_incident_product(&by.actor, id, &product).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureInput {
    /// `sealing`, `sample_to_lab`, `test_report`, `retest_request`, `penalty_publish`, `penalty_withdraw`.
    pub clock: String,
    pub title: String,
    /// The day the clock starts (`YYYY-MM-DD`).
    pub started_on: String,
}

pub async fn add_measure(state: &AppState, by: &Officer, id: &str, input: MeasureInput) -> Result<String, AppError> {
    for_change(state, by, id).await?;
    let clock =
        ClockKind::parse(&input.clock).ok_or_else(|| AppError::field("clock", "bad_clock", "请选择措施的时限类型"))?;
    let title = one_line("title", "措施名称", &input.title, 100).map_err(invalid)?;
    let started =
        not_future(state, "started_on", "起算日", date("started_on", "起算日", &input.started_on).map_err(invalid)?)?;
    Ok(state.store.add_incident_measure(&by.actor, id, clock, &title, started).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DayInput {
    /// `YYYY-MM-DD`.
    pub on: String,
}

/// The one extension of a measure, approved by the supervisor who records it (经负责人批准).
pub async fn extend(state: &AppState, by: &Officer, id: &str, measure: &str, input: DayInput) -> Result<(), AppError> {
    if !by.is_supervisor() {
        return Err(AppError::Forbidden("延长期限须经主管批准，请由主管办理".into()));
    }
    let incident = for_change(state, by, id).await?;
    let on = not_future(state, "on", "批准日", date("on", "批准日", &input.on).map_err(invalid)?)?;
    let mut m = incident.measure(measure).ok_or(AppError::NotFound)?.clone();
    if m.extension.is_none() {
        m.extension = Some((on, by.user.id.clone()));
        m.due(&Clocks::builtin(), &state.calendar()).map_err(|e| clock_error("on", e))?;
    }
    Ok(state.store.extend_incident_measure(&by.actor, id, measure, on, &by.user.id).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TestingInput {
    pub from: String,
    pub until: String,
    /// The day the party was notified in writing of the testing period.
    #[serde(default)]
    pub notified_on: Option<String>,
}

/// A testing period excluded from a measure's clock: fixed and notified in writing.
pub async fn add_testing(
    state: &AppState,
    by: &Officer,
    id: &str,
    measure: &str,
    input: TestingInput,
) -> Result<(), AppError> {
    let incident = for_change(state, by, id).await?;
    let testing = Testing {
        from: date("from", "检测开始日", &input.from).map_err(invalid)?,
        until: date("until", "检测结束日", &input.until).map_err(invalid)?,
        notified_on: match input.notified_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(not_future(
                state,
                "notified_on",
                "书面告知日",
                date("notified_on", "书面告知日", s).map_err(invalid)?,
            )?),
            None => None,
        },
    };
    let mut m = incident.measure(measure).ok_or(AppError::NotFound)?.clone();
    m.testing.push(testing);
    m.due(&Clocks::builtin(), &state.calendar()).map_err(|e| clock_error("from", e))?;
    Ok(state.store.add_incident_testing(&by.actor, id, measure, &testing).await?)
}

pub async fn complete(
    state: &AppState,
    by: &Officer,
    id: &str,
    measure: &str,
    input: DayInput,
) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    let on = not_future(state, "on", "办结日", date("on", "办结日", &input.on).map_err(invalid)?)?;
    Ok(state.store.complete_incident_measure(&by.actor, id, measure, on).await?)
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PromiseInput {
    /// What was promised, as told to the public (“三天内给结果”).
    pub text: String,
    /// `hours`, `days` (natural) or `working_days`.
    pub unit: String,
    #[serde(deserialize_with = "crate::extract::form_number")]
    pub amount: u32,
}

/// A promise made now to the public, falling due by its span.
pub async fn add_promise(state: &AppState, by: &Officer, id: &str, input: PromiseInput) -> Result<String, AppError> {
    for_change(state, by, id).await?;
    let text = one_line("text", "承诺内容", &input.text, 200).map_err(invalid)?;
    if input.amount == 0 || input.amount > 365 {
        return Err(AppError::field("amount", "bad_amount", "承诺时限应在1至365之间"));
    }
    let span = match input.unit.as_str() {
        "hours" => PromiseSpan::Hours(input.amount),
        "days" => PromiseSpan::Days(input.amount),
        "working_days" => PromiseSpan::WorkingDays(input.amount),
        _ => return Err(AppError::field("unit", "bad_unit", "时限单位应为小时、自然日或工作日")),
    };
    let now = state.now_ms();
    let due = span.due_at(&state.calendar(), now).value;
    Ok(state.store.add_incident_promise(&by.actor, id, &text, now, due).await?)
}

/// Marks a promise kept now.
pub async fn keep_promise(state: &AppState, by: &Officer, id: &str, promise: &str) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    Ok(state.store.keep_incident_promise(&by.actor, id, promise, state.now_ms()).await?)
}
