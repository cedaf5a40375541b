//! How a case is shown to staff: the queue's rows with their deadline, and the detail page.

use crate::AppState;
use crate::auth::Staff;
use crate::case_access::{parties, tie_bar};
use crate::dates::ShownDate;
use crate::error::AppError;
use crate::pages::Layout;
use askama::Template;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::{Calendar, Date};
use xinqiao_domain::cases::independence::{Candidate, barred, conflicting_tie, suggest};
use xinqiao_domain::cases::intake::Contact;
use xinqiao_domain::cases::limits::{Start, Urgency, waiting_on};
use xinqiao_domain::cases::workflow::allowed_now;
use xinqiao_domain::cases::{ActionKind, CaseKind, RejectGround, Status, TrackingCode};
use xinqiao_domain::deadlines::{Due, Pause, Rules};
use xinqiao_domain::time::format_cst;
use xinqiao_store::cases::{CaseClock, CaseRecord};

/// The time limit a case is waiting on, and whether its value is verified.
pub struct Deadline {
    pub label: &'static str,
    pub date: String,
    /// The last day, `None` while the clock stands still.
    pub due: Option<Date>,
    /// `overdue`, `soon` (within 2 days) or empty (see `Urgency`).
    pub class: &'static str,
    pub verified: bool,
    pub basis: String,
    /// Counted without the year's holiday notice (暂按法定节假日计算).
    pub provisional: bool,
    /// Why the calendar under the date is not a verified notice, in words.
    pub calendar_note: Option<String>,
}

/// The limit a case is waiting on (the domain's `limits::waiting_on`). Pauses stop the clock.
pub async fn deadline(state: &AppState, case: &CaseRecord) -> Result<Option<Deadline>, AppError> {
    let clock = CaseClock {
        pauses: state.store.case_pauses(&case.id).await?,
        accepted_at: state.store.accepted_at(&case.id).await?,
    };
    Ok(deadline_of(state, case, &clock))
}

/// The same from a clock already read (the queue reads every case's clock in two queries).
pub fn deadline_of(state: &AppState, case: &CaseRecord, clock: &CaseClock) -> Option<Deadline> {
    deadline_on(&state.calendar(), &state.rules, state.today(), case, clock)
}

/// The limit on a given calendar (a notice being loaded compares the old and the new).
pub fn deadline_on(
    calendar: &Calendar,
    rules: &Rules,
    today: Date,
    case: &CaseRecord,
    clock: &CaseClock,
) -> Option<Deadline> {
    let waiting = waiting_on(case.kind, case.status)?;
    let start = match waiting.start {
        Start::Received => Date(case.received_day),
        Start::Accepted => Date::of_epoch_ms(clock.accepted_at?),
    };
    let (key, label) = (waiting.key, waiting.label);
    let set = rules.sets.iter().find(|s| Some(&s.id) == case.rule_set.as_ref())?;
    let rule = set.rule(key)?;
    let pauses: Vec<Pause> =
        clock.pauses.iter().map(|(_, from, to)| Pause { from: Date(*from), until: to.map(Date) }).collect();
    let mut basis = format!("{} {}", set.name, rule.basis);
    if let Some(end) = &rule.rest_day_end {
        basis.push_str(&format!("；{}{}", end.basis, if end.verified { "" } else { "（尚未核实）" }));
    }
    match rule.due(calendar, start, &pauses, false) {
        Due::On(due) => {
            let date = due.value;
            Some(Deadline {
                label,
                date: date.to_string(),
                due: Some(date),
                class: Urgency::of(date, today).class(),
                verified: rule.verified,
                basis,
                provisional: due.footing.is_provisional(),
                calendar_note: due.footing.note(),
            })
        }
        Due::Paused => Some(Deadline {
            label,
            date: "暂停计时".into(),
            due: None,
            class: "",
            verified: rule.verified,
            basis,
            provisional: false,
            calendar_note: None,
        }),
    }
}

pub struct CaseRow {
    pub id: String,
    pub code: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub enterprise: String,
    pub received: String,
    pub deadline: Option<Deadline>,
    pub assigned: bool,
}

pub fn shown_code(case: &CaseRecord) -> String {
    TrackingCode::parse(&case.tracking_code).map(|c| c.to_string()).unwrap_or_else(|_| case.tracking_code.clone())
}

impl CaseRow {
    /// Rows for a queue, with every case's clock read in two queries.
    pub async fn all(state: &AppState, cases: &[&CaseRecord]) -> Result<Vec<Self>, AppError> {
        let ids: Vec<String> = cases.iter().map(|c| c.id.clone()).collect();
        let clocks = state.store.clocks(&ids).await?;
        let none = CaseClock::default();
        Ok(cases.iter().map(|c| Self::with(state, c, clocks.get(&c.id).unwrap_or(&none))).collect())
    }

    fn with(state: &AppState, c: &CaseRecord, clock: &CaseClock) -> Self {
        Self {
            id: c.id.clone(),
            code: shown_code(c),
            kind: c.kind.label(),
            status: c.status.label(),
            enterprise: c.enterprise_name.clone(),
            received: format_cst(c.received_at),
            deadline: deadline_of(state, c, clock),
            assigned: c.assigned_to.is_some(),
        }
    }
}

pub struct Choice {
    pub value: String,
    pub label: String,
}

/// The people of the case's bureau whom a declared tie bars from it (no override yet).
async fn tied_people(state: &AppState, case: &CaseRecord) -> Result<Vec<Choice>, AppError> {
    let Some(org) = &case.org_id else { return Ok(Vec::new()) };
    let parties = parties(state, case).await?;
    let mut out = Vec::new();
    for o in state.store.candidates(org, &case.id).await? {
        if let Some(t) = conflicting_tie(&o.candidate.ties, &parties)
            && state.store.tie_override(&case.id, &o.candidate.user_id).await?.is_none()
        {
            out.push(Choice {
                value: o.candidate.user_id.clone(),
                label: format!("{}（{}）", o.display_name, t.kind.label()),
            });
        }
    }
    Ok(out)
}

/// The bureau's officers for the assignee list (those who must step aside say why), and the one
/// the case is offered to: industries matching, least open work, no tie.
pub async fn officer_choices(
    state: &AppState,
    case: &CaseRecord,
    org: &str,
) -> Result<(Vec<Choice>, Option<String>), AppError> {
    let officers = state.store.candidates(org, &case.id).await?;
    let parties = parties(state, case).await?;
    let candidates: Vec<Candidate> = officers.iter().map(|o| o.candidate.clone()).collect();
    let industry = case.industry.as_deref().and_then(|i| i.chars().next());
    let suggested = suggest(&candidates, &parties, industry).map(|c| c.user_id.clone());
    let choices = officers
        .iter()
        .map(|o| {
            let label = match barred(&o.candidate, &parties) {
                Some(why) => format!("{}（须回避：{why}）", o.display_name),
                None => format!("{}（在办 {} 件）", o.display_name, o.candidate.open_cases),
            };
            Choice { value: o.candidate.user_id.clone(), label }
        })
        .collect();
    Ok((choices, suggested))
}

pub struct EventRow {
    pub time: String,
    pub status: String,
    pub note: String,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "cases/detail.html")]
pub struct DetailPage {
    pub layout: Layout,
    pub id: String,
    pub code: String,
    pub kind: &'static str,
    pub status: &'static str,
    pub enterprise: String,
    pub uscc: String,
    pub industry: String,
    pub region: String,
    pub bureau: String,
    pub narrative: String,
    pub demand: String,
    pub amount: String,
    pub event_date: String,
    pub anonymous: bool,
    pub linked: Option<String>,
    pub deadline: Option<Deadline>,
    /// The clock stands still now.
    pub paused: bool,
    /// Not in a final state: the clock may be paused or resumed.
    pub open: bool,
    pub actions: Vec<Choice>,
    pub grounds: Vec<Choice>,
    pub officers: Vec<Choice>,
    /// The officer the case is offered to.
    pub suggested: Option<String>,
    /// The case is assigned to the viewer, who may step aside.
    pub can_recuse: bool,
    /// Why the viewer's declared tie bars them from the case's identity, files and actions.
    pub tie_bar: Option<String>,
    /// For a supervisor: the bureau's people barred by a declared tie (for an override).
    pub tied: Vec<Choice>,
    pub orgs: Vec<Choice>,
    pub events: Vec<EventRow>,
    pub error: Option<String>,
    /// An action that failed: its message in the actions area, and its fields' messages
    /// beside them.
    pub act_error: Option<String>,
    pub act_errors: crate::pages::FormErrors,
    /// The contact after a stated purpose, or why there is none.
    pub contact: Option<Result<Contact, String>>,
    /// Open reports this one may repeat (for 合并).
    pub merge: Vec<MergeCandidate>,
    pub files: Vec<super::files::FileView>,
    pub proposals: Vec<ProposalView>,
    /// The last day of 先行和解, while the complaint is in it.
    pub settle_until: Option<ShownDate>,
    pub merged_into: Option<String>,
    /// Published Q&A entries that may be cited in the reply, and those already cited.
    pub qa_choices: Vec<Choice>,
    pub qa_linked: Vec<String>,
    /// The problem nature and goods/service (codes), whether an officer confirmed them, and
    /// the taxonomy's choices.
    pub category: String,
    pub subject: String,
    pub category_label: String,
    pub category_confirmed: bool,
    pub natures: Vec<Choice>,
    pub subjects: Vec<Choice>,
    /// The second line of defence: the masked narrative with its doubtful spans, for a complaint.
    pub review: Option<super::privacy::ReviewPanel>,
    /// A failed form other than the actions (identity, clock, recuse, privacy, override): which
    /// form, and its message, shown beside that form's field.
    pub form_error: Option<(&'static str, String)>,
    /// 审核办结: the closure waiting for a supervisor, or the last one returned.
    pub closure: Option<ClosureView>,
    /// A failed approval or return: its message, and its fields' messages beside them.
    pub closure_error: Option<String>,
    pub closure_errors: crate::pages::FormErrors,
}

impl DetailPage {
    /// The message of the failed form `form`, if it failed.
    pub fn in_form(&self, form: &str) -> Option<&str> {
        self.form_error.as_ref().filter(|(f, _)| *f == form).map(|(_, m)| m.as_str())
    }
}

/// An officer's closure under review, or the last one returned, as the case page shows it.
pub struct ClosureView {
    /// Waiting for the supervisor (otherwise: returned, with `reason`).
    pub pending: bool,
    pub result: &'static str,
    pub recovered: String,
    pub note: String,
    pub requested_by: String,
    pub requested_at: String,
    pub reason: String,
    /// The viewer may approve or return it (a supervisor who did not ask for it).
    pub can_review: bool,
}

/// The closure panel of `case` for `staff`: the open request, or the newest returned one while
/// the case is still open; nothing once approved or without any.
async fn closure_view(state: &AppState, staff: &Staff, case: &CaseRecord) -> Result<Option<ClosureView>, AppError> {
    use xinqiao_store::cases::ClosureDecision;
    let Some(r) = state.store.latest_closure_request(&case.id).await? else { return Ok(None) };
    if r.decision == Some(ClosureDecision::Approved) || case.status.is_final() || case.status == Status::Closed {
        return Ok(None);
    }
    let pending = r.decision.is_none();
    let requested_by = state.store.user(&r.requested_by).await.map(|u| u.display_name).unwrap_or_default();
    Ok(Some(ClosureView {
        pending,
        result: r.result.label(),
        recovered: r.recovered_cents.map(|c| format!("{}.{:02} 元", c / 100, c % 100)).unwrap_or_default(),
        note: r.note,
        requested_by,
        requested_at: format_cst(r.requested_at),
        reason: r.reason,
        can_review: pending
            && staff.can(Permission::SuperviseCases)
            && xinqiao_domain::cases::workflow::may_review_closure(&r.requested_by, &staff.user().id).is_ok(),
    }))
}

pub struct ProposalView {
    pub time: String,
    pub text: String,
    pub status: String,
}

pub async fn detail_view(
    state: &AppState,
    staff: &Staff,
    case: &CaseRecord,
    error: Option<String>,
    contact: Option<Result<Contact, String>>,
) -> Result<DetailPage, AppError> {
    let merge =
        if case.status == Status::AwaitingVerification { merge_candidates(state, case).await? } else { Vec::new() };
    let closure = closure_view(state, staff, case).await?;
    let pending = closure.as_ref().is_some_and(|c| c.pending);
    let actions = allowed_now(case.kind, case.status, pending)
        .into_iter()
        .filter(|a| *a != ActionKind::AcceptSettlement && (*a != ActionKind::Merge || !merge.is_empty()))
        .map(|a| Choice { value: action_code(a).into(), label: a.label().into() })
        .collect();
    let grounds = RejectGround::ALL
        .into_iter()
        .filter(|g| g.in_force_under(case.rule_set.as_deref()))
        .map(|g| Choice { value: g.code().into(), label: g.notice().into() })
        .collect();
    let (officers, suggested) = match &case.org_id {
        Some(org) => officer_choices(state, case, org).await?,
        None => (Vec::new(), None),
    };
    let orgs = state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .filter(|o| Some(&o.id) != case.org_id.as_ref())
        .map(|o| Choice { value: o.id, label: o.name })
        .collect();
    let linked = match &case.linked_case_id {
        Some(id) => state.store.case(id).await.ok().map(|c| format!("{} {}", c.kind.label(), shown_code(&c))),
        None => None,
    };
    let events = state
        .store
        .case_events(&case.id, false)
        .await?
        .into_iter()
        .map(|e| EventRow {
            time: format_cst(e.at_ms),
            status: e.to_status.map(|s| s.label().to_owned()).unwrap_or_default(),
            note: e.note,
            public: e.public,
        })
        .collect();
    let taxonomy = state.taxonomy().await?;
    let choices = |axis| {
        taxonomy
            .entries(axis)
            .iter()
            .map(|e| Choice { value: e.code.clone(), label: e.label.clone() })
            .collect::<Vec<_>>()
    };
    let label_of = |axis, code: &Option<String>| {
        code.as_deref().and_then(|c| taxonomy.entry(axis, c)).map(|e| e.label.clone()).unwrap_or_default()
    };
    use xinqiao_domain::insights::Axis;
    let category_label = match (label_of(Axis::Nature, &case.category), label_of(Axis::Subject, &case.subject)) {
        (n, _) if n.is_empty() => "未分类".to_owned(),
        (n, s) if s.is_empty() => n,
        (n, s) => format!("{n} · {s}"),
    };
    let barred = tie_bar(state, &staff.user().id, case).await?;
    let review = if barred.is_none() { super::privacy::review_panel(state, case).await? } else { None };
    Ok(DetailPage {
        closure,
        form_error: None,
        closure_error: None,
        closure_errors: crate::pages::FormErrors::default(),
        review,
        category: case.category.clone().unwrap_or_default(),
        subject: case.subject.clone().unwrap_or_default(),
        category_label,
        category_confirmed: case.category_confirmed,
        natures: choices(Axis::Nature),
        subjects: choices(Axis::Subject),
        layout: Layout::staff("诉求详情", staff.user(), staff.csrf(), "/cases", !state.config.require_admin_totp),
        id: case.id.clone(),
        code: shown_code(case),
        kind: case.kind.label(),
        status: case.status.label(),
        enterprise: case.enterprise_name.clone(),
        uscc: case.enterprise_uscc.clone().unwrap_or_default(),
        industry: case
            .industry
            .as_deref()
            .and_then(|i| xinqiao_domain::ids::Industry::parse(i).ok())
            .map(|i| format!("{} {}", i.code(), i.label()))
            .unwrap_or_default(),
        region: case.region_code.clone(),
        bureau: case.org_name.clone().unwrap_or_default(),
        narrative: case.narrative_masked.clone(),
        demand: case.demand_masked.clone(),
        amount: case.amount_cents.map(|c| format!("{}.{:02} 元", c / 100, c % 100)).unwrap_or_default(),
        event_date: case.event_day.map(|d| Date(d).to_string()).unwrap_or_default(),
        anonymous: case.anonymous,
        linked,
        deadline: deadline(state, case).await?,
        paused: state.store.case_pauses(&case.id).await?.iter().any(|p| p.2.is_none()),
        open: !case.status.is_final(),
        actions,
        grounds,
        officers,
        suggested,
        can_recuse: case.assigned_to.as_deref() == Some(staff.user().id.as_str()),
        tie_bar: barred,
        tied: if staff.can(Permission::SuperviseCases) { tied_people(state, case).await? } else { Vec::new() },
        orgs,
        events,
        error,
        act_error: None,
        act_errors: crate::pages::FormErrors::default(),
        contact,
        merge,
        files: state.store.attachments(&case.id).await?.iter().map(super::files::FileView::of).collect(),
        proposals: state
            .store
            .proposals(&case.id)
            .await?
            .into_iter()
            .map(|p| ProposalView {
                time: format_cst(p.proposed_at),
                text: p.text,
                status: p.status.label().to_owned(),
            })
            .collect(),
        settle_until: case
            .settle_until
            .filter(|_| case.status == Status::Settling)
            .map(|d| ShownDate::stored(&state.calendar(), Date(case.received_day), Date(d))),
        merged_into: match &case.merged_into {
            Some(id) => state.store.case(id).await.ok().map(|c| shown_code(&c)),
            None => None,
        },
        qa_choices: state
            .store
            .entries(&[xinqiao_domain::knowledge::QaStatus::Published], None, 300)
            .await?
            .into_iter()
            .map(|e| Choice { value: e.id, label: e.text.question })
            .collect(),
        qa_linked: state.store.case_entries(&case.id).await?.into_iter().map(|e| e.text.question).collect(),
    })
}

pub fn action_code(a: ActionKind) -> &'static str {
    match a {
        ActionKind::Accept => "accept",
        ActionKind::Reject => "reject",
        ActionKind::Assign => "assign",
        ActionKind::StartMediation => "start_mediation",
        ActionKind::Close => "close",
        ActionKind::FollowUp => "follow_up",
        ActionKind::Open => "open",
        ActionKind::Decline => "decline",
        ActionKind::Inform => "inform",
        ActionKind::Reply => "reply",
        ActionKind::Transfer => "transfer",
        ActionKind::AcceptSettlement => "accept_settlement",
        ActionKind::ReturnToBureau => "return_to_bureau",
        ActionKind::Merge => "merge",
    }
}

/// An open report that a report may repeat, with how alike their texts are.
pub struct MergeCandidate {
    pub id: String,
    pub code: String,
    pub score: String,
    pub excerpt: String,
}

/// Open reports about the same enterprise whose masked text is near-identical to this one's
/// (shingled similarity over jieba tokens), most alike first.
pub async fn merge_candidates(state: &AppState, case: &CaseRecord) -> Result<Vec<MergeCandidate>, AppError> {
    use xinqiao_domain::cases::similarity::{fingerprint, merge_candidates as rank};
    if case.kind != CaseKind::Report {
        return Ok(Vec::new());
    }
    let open = state.store.open_reports_like(case).await?;
    if open.is_empty() {
        return Ok(Vec::new());
    }
    let detector = state.detector().await;
    let jieba = detector.jieba();
    let new = fingerprint(jieba, &case.narrative_masked);
    let prints: Vec<_> = open.iter().map(|c| fingerprint(jieba, &c.narrative_masked)).collect();
    Ok(rank(&new, open.iter().zip(&prints))
        .into_iter()
        .map(|m| MergeCandidate {
            id: m.id.id.clone(),
            code: shown_code(m.id),
            score: format!("{:.0}%", m.score * 100.0),
            excerpt: m.id.narrative_masked.chars().take(80).collect(),
        })
        .collect())
}
