//! The service's public statements: the enterprise's declared trade secrets, drafts and
//! corrections, the checks before publication (no unmasked personal data, no declared secret),
//! the plain-language advice on drafts, and publication approved by a second person; the public page's entries and the Atom feed.

use super::{Officer, for_change, in_scope, invalid};
use crate::AppState;
use crate::error::AppError;
use serde::{Deserialize, Serialize};
use xinqiao_domain::FieldError;
use xinqiao_domain::incidents::atom::{Entry, Feed};
use xinqiao_domain::incidents::statements::secret_term;
use xinqiao_domain::incidents::{Refusal, StatementDraft, check_publication};
use xinqiao_domain::knowledge::plain::{Rules, lint};
use xinqiao_domain::privacy::Detector;
use xinqiao_domain::time::format_cst;
use xinqiao_store::incidents::{IncidentError, Statement, StatementStatus};

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretInput {
    /// A term or figure the enterprise declares a trade secret (商业秘密).
    pub term: String,
}

/// Records a term or figure the enterprise declared a trade secret.
pub async fn declare_secret(state: &AppState, by: &Officer, id: &str, input: SecretInput) -> Result<(), AppError> {
    for_change(state, by, id).await?;
    let term = secret_term(&input.term).map_err(invalid)?;
    Ok(state.store.declare_incident_secret(&by.actor, id, &term).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatementInput {
    pub facts: String,
    #[serde(default)]
    pub measures: String,
    /// When the public will hear next: `YYYY-MM-DDTHH:MM` (China time), optional.
    #[serde(default)]
    pub next_update_at: Option<String>,
    /// The id of the published statement this corrects (none or blank: not a correction).
    #[serde(default)]
    pub corrects: Option<String>,
    /// For a correction: why the earlier statement is corrected.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

pub(super) fn instant(field: &'static str, text: &str) -> Result<i64, AppError> {
    let bad = || AppError::field(field, "bad_time", "时间应为 YYYY-MM-DDTHH:MM 格式");
    let (day, time) = text.trim().split_once('T').ok_or_else(bad)?;
    let day = xinqiao_domain::calendar::Date::parse(day).ok_or_else(bad)?;
    let (h, m) = time.split_once(':').ok_or_else(bad)?;
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..24).contains(&h) || !(0..60).contains(&m) {
        return Err(bad());
    }
    Ok(day.start_ms() + (h * 60 + m) * 60_000)
}

fn draft_of(state: &AppState, input: &StatementInput) -> Result<StatementDraft, AppError> {
    let next = match input.next_update_at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(t) => Some(instant("next_update_at", t)?),
        None => None,
    };
    StatementDraft::new(&input.facts, &input.measures, next, state.now_ms()).map_err(AppError::Validation)
}

/// A new draft statement; with `corrects`, a correction of that published statement (a reason
/// is required, and the earlier text stays visible).
pub async fn draft_statement(
    state: &AppState,
    by: &Officer,
    id: &str,
    input: StatementInput,
) -> Result<String, AppError> {
    for_change(state, by, id).await?;
    let draft = draft_of(state, &input)?;
    let corrects = match input.corrects.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(target) => {
            let statements = state.store.incident_statements(id).await?;
            if !statements.iter().any(|s| s.id == target && s.status == StatementStatus::Published) {
                return Err(AppError::NotFound);
            }
            let reason = input.correction_reason.as_deref().map(str::trim).unwrap_or_default();
            if reason.is_empty() || reason.chars().count() > 500 {
                return Err(AppError::field("correction_reason", "required", "请写明更正原因（不超过500字）"));
            }
            Some((target, reason.to_owned()))
        }
    };
    let corrects = corrects.as_ref().map(|(t, r)| (*t, r.as_str()));
    Ok(state.store.draft_incident_statement(&by.actor, id, &draft, corrects).await?)
}

/// What stands between a statement and its publication (empty: it may be published).
pub async fn check_statement(
    state: &AppState,
    by: &Officer,
    id: &str,
    statement: &str,
) -> Result<Vec<Refusal>, AppError> {
    let incident = in_scope(state, by, id).await?;
    let s = find(state, id, statement).await?;
    let secrets = state.store.incident_secrets(id).await?;
    Ok(refusals(state, &incident.enterprise_name, &secrets, &s).await)
}

async fn refusals(state: &AppState, enterprise: &str, secrets: &[String], s: &Statement) -> Vec<Refusal> {
    let mut text = s.draft.text();
    if let Some((_, reason)) = &s.corrects {
        text = format!("{text}\n{reason}");
    }
    let detector = state.detector().await;
    check_publication(&detector, &text, enterprise, secrets)
}

/// What stops a draft's publication, with its stable code.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RefusalView {
    /// `personal_data` or `trade_secret`.
    pub code: String,
    pub message: String,
}

/// A statement as its officers see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StatementView {
    pub id: String,
    /// `draft` or `published`.
    pub status: String,
    pub facts: String,
    pub measures: String,
    /// `YYYY-MM-DD HH:MM` (China time).
    pub next_update: Option<String>,
    /// The published statement this one corrects.
    pub corrects: Option<String>,
    pub correction_reason: Option<String>,
    pub drafted_by: String,
    /// Drafted by the caller (who may not publish it).
    pub own: bool,
    pub drafted_at_ms: i64,
    pub published_at_ms: Option<i64>,
    /// What stops a draft's publication (empty for published ones and clean drafts).
    pub refusals: Vec<RefusalView>,
    /// The plain-language check's advice on a draft (说人话检查; it never blocks publication).
    pub advice: Vec<AdviceView>,
}

/// One piece of plain-language advice on a draft statement.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdviceView {
    /// `facts` or `measures`.
    pub field: String,
    /// `long_sentence`, `jargon` or `stacked_nouns`.
    pub code: String,
    /// The words concerned.
    pub excerpt: String,
    pub message: String,
    pub suggestion: Option<String>,
}

/// The plain-language check over a draft's two parts. A statement tells what happened and what
/// was done, so the "say what to do" rule of Q&A answers does not apply.
fn advice(detector: &Detector, draft: &StatementDraft) -> Vec<AdviceView> {
    let rules = Rules::builtin().without_action_check();
    let mut out = Vec::new();
    for (field, text) in [("facts", &draft.facts), ("measures", &draft.measures)] {
        let chars: Vec<char> = text.chars().collect();
        for f in lint(detector.jieba(), text, &rules) {
            let excerpt: String = chars[f.start.min(chars.len())..f.end.min(chars.len())].iter().take(40).collect();
            out.push(AdviceView {
                field: field.to_owned(),
                code: f.kind.code().to_owned(),
                excerpt,
                message: f.message,
                suggestion: f.suggestion,
            });
        }
    }
    out
}

/// The incident's statements, oldest first, each draft with what stops its publication.
pub async fn statements(state: &AppState, by: &Officer, id: &str) -> Result<Vec<StatementView>, AppError> {
    let incident = in_scope(state, by, id).await?;
    let secrets = state.store.incident_secrets(id).await?;
    let detector = state.detector().await;
    let mut out = Vec::new();
    for s in state.store.incident_statements(id).await? {
        let advice = if s.status == StatementStatus::Draft { advice(&detector, &s.draft) } else { Vec::new() };
        let refusals = if s.status == StatementStatus::Draft {
            refusals(state, &incident.enterprise_name, &secrets, &s)
                .await
                .iter()
                .map(|r| RefusalView { code: r.code().to_owned(), message: r.to_string() })
                .collect()
        } else {
            Vec::new()
        };
        out.push(StatementView {
            status: if s.status == StatementStatus::Draft { "draft" } else { "published" }.to_owned(),
            facts: s.draft.facts,
            measures: s.draft.measures,
            next_update: s.draft.next_update_at_ms.map(|t| format_cst(t)[..16].to_owned()),
            corrects: s.corrects.as_ref().map(|(t, _)| t.clone()),
            correction_reason: s.corrects.map(|(_, why)| why),
            own: s.drafted_by == by.user.id,
            drafted_by: s.drafted_by,
            drafted_at_ms: s.drafted_at,
            published_at_ms: s.published_at,
            refusals,
            advice,
            id: s.id,
        });
    }
    Ok(out)
}

async fn find(state: &AppState, id: &str, statement: &str) -> Result<Statement, AppError> {
    let all = state.store.incident_statements(id).await?;
    all.into_iter().find(|s| s.id == statement).ok_or(AppError::NotFound)
}

/// Publishes a draft: approved by someone other than its drafter, refused while personal data or
/// a declared trade secret remains (each named).
pub async fn publish(state: &AppState, by: &Officer, id: &str, statement: &str) -> Result<i64, AppError> {
    for_change(state, by, id).await?;
    let s = find(state, id, statement).await?;
    if s.drafted_by == by.user.id {
        return Err(AppError::Forbidden("声明须由起草人以外的另一人审核发布".into()));
    }
    let refusals = check_statement(state, by, id, statement).await?;
    if !refusals.is_empty() {
        return Err(AppError::Validation(
            refusals.iter().map(|r| FieldError::new("statement", r.code(), r.to_string())).collect(),
        ));
    }
    state.store.publish_incident_statement(&by.actor, id, statement).await.map_err(|e| match e {
        IncidentError::Conflict(c) => AppError::Conflict(c.to_string()),
        other => other.into(),
    })
}

/// One published statement on the public page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicEntry {
    pub id: String,
    pub published_at_ms: i64,
    pub published: String,
    pub facts: String,
    pub measures: String,
    pub next_update: Option<String>,
    /// This entry corrects an earlier one: its id and the reason.
    pub corrects: Option<(String, String)>,
    /// A later entry corrects this one: its id and the reason (this text stays visible).
    pub corrected_by: Option<(String, String)>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PublicIncident {
    pub id: String,
    pub title: String,
    pub enterprise_name: String,
    /// Newest first.
    pub entries: Vec<PublicEntry>,
}

/// The public page: published statements only; an incident without one does not exist publicly.
pub async fn public_incident(state: &AppState, id: &str) -> Result<PublicIncident, AppError> {
    let incident = state.store.incident(id).await?;
    let published: Vec<Statement> = state
        .store
        .incident_statements(id)
        .await?
        .into_iter()
        .filter(|s| s.status == StatementStatus::Published)
        .collect();
    if published.is_empty() {
        return Err(AppError::NotFound);
    }
    let mut entries: Vec<PublicEntry> = published
        .iter()
        .map(|s| {
            let at = s.published_at.expect("published statements carry their time (checked on read)");
            PublicEntry {
                id: s.id.clone(),
                published_at_ms: at,
                published: format_cst(at),
                facts: s.draft.facts.clone(),
                measures: s.draft.measures.clone(),
                next_update: s.draft.next_update_at_ms.map(|t| format_cst(t)[..16].to_owned()),
                corrects: s.corrects.clone(),
                corrected_by: published.iter().find_map(|c| {
                    c.corrects.as_ref().filter(|(t, _)| *t == s.id).map(|(_, why)| (c.id.clone(), why.clone()))
                }),
            }
        })
        .collect();
    entries.sort_by(|a, b| b.published_at_ms.cmp(&a.published_at_ms).then(b.id.cmp(&a.id)));
    Ok(PublicIncident { id: incident.id, title: incident.title, enterprise_name: incident.enterprise_name, entries })
}

/// The Atom feed of the public page.
pub async fn feed(state: &AppState, id: &str) -> Result<String, AppError> {
    let p = public_incident(state, id).await?;
    let page = format!("/statements/{}", p.id);
    let entries = p
        .entries
        .iter()
        .map(|e| {
            let mut content = format!("{}\n\n{}", e.facts, e.measures);
            if let Some((_, why)) = &e.corrects {
                content = format!("更正：{why}\n\n{content}");
            }
            if let Some(next) = &e.next_update {
                content.push_str(&format!("\n\n下次更新：{next}"));
            }
            Entry {
                id: format!("urn:uuid:{}", e.id),
                title: if e.corrects.is_some() { format!("更正：{}", p.title) } else { p.title.clone() },
                link: format!("{page}#s-{}", e.id),
                published_ms: e.published_at_ms,
                updated_ms: e.published_at_ms,
                content,
            }
        })
        .collect();
    Ok(Feed {
        id: format!("urn:uuid:{}", p.id),
        title: format!("{}（情况通报）", p.title),
        self_link: format!("{page}/feed.atom"),
        link: page,
        author: "市场监督管理局".into(),
        updated_ms: p.entries.first().map_or(0, |e| e.published_at_ms),
        entries,
    }
    .render())
}
