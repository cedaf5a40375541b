//! The staff queue (/cases): the cases of the person's bureau tree, filtered (status, kind, due,
//! enterprise, assigned to me), sorted (received or due date), paged, every case with its deadline
//! or the reason it has none; its CSV export; and the counts the workbench shows, taken from the
//! same filter so that a count and the queue it links to always agree.

use super::view::{CaseRow, Deadline};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::calendar::{Calendar, Date};
use xinqiao_domain::cases::{CaseKind, Status};
use xinqiao_store::cases::{CaseFilter, CaseRecord};

/// Cases per page of the queue.
pub const PAGE_SIZE: usize = 50;
/// "Due soon" means due today or within this many working days.
pub const SOON_WORKING_DAYS: u32 = 2;
/// The most cases of a bureau tree the queue reads at once (the store's own ceiling).
const READ_LIMIT: i64 = 1000;

pub fn router() -> Router<AppState> {
    Router::new().route("/cases", get(list)).route("/cases/export.csv", get(export))
}

/// The queue's filter, as the address carries it (`view` is the older shorthand).
#[derive(serde::Deserialize, Default, Clone)]
pub struct QueueQuery {
    /// `mine`, `overdue` or `soon` (older links).
    #[serde(default)]
    pub view: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub kind: String,
    /// `overdue` or `soon` (due within two working days).
    #[serde(default)]
    pub due: String,
    /// Part of the enterprise's name or its USCC.
    #[serde(default)]
    pub enterprise: String,
    /// `1`: assigned to me.
    #[serde(default)]
    pub mine: String,
    /// `1`: complaints whose masking no officer has confirmed yet (待脱敏确认).
    #[serde(default)]
    pub review: String,
    /// `1`: officers' closures waiting for a supervisor's review (待审核办结).
    #[serde(default)]
    pub closure: String,
    /// `due` (soonest deadline first) or received (newest first).
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: String,
}

impl QueueQuery {
    fn due(&self) -> &str {
        if self.due.is_empty() && matches!(self.view.as_str(), "overdue" | "soon") { &self.view } else { &self.due }
    }

    fn mine(&self) -> bool {
        self.mine == "1" || self.view == "mine"
    }

    fn review(&self) -> bool {
        self.review == "1" || self.view == "review"
    }

    fn closure(&self) -> bool {
        self.closure == "1"
    }

    fn page(&self) -> usize {
        self.page.trim().parse::<usize>().ok().filter(|p| *p >= 1).unwrap_or(1)
    }

    /// The address of this filter (page and sort as given), for links and the export.
    pub fn query_string(&self, page: Option<usize>) -> String {
        let mut parts = Vec::new();
        let mut add = |k: &str, v: &str| {
            if !v.is_empty() {
                parts.push(format!("{k}={}", crate::text::query_value(v)));
            }
        };
        add("status", &self.status);
        add("kind", &self.kind);
        add("due", self.due());
        add("enterprise", self.enterprise.trim());
        add("mine", if self.mine() { "1" } else { "" });
        add("review", if self.review() { "1" } else { "" });
        add("closure", if self.closure() { "1" } else { "" });
        add("sort", &self.sort);
        if let Some(p) = page.filter(|p| *p > 1) {
            add("page", &p.to_string());
        }
        if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
    }
}

/// A case in the queue.
pub struct QueueRow {
    pub row: CaseRow,
    /// `overdue`, `soon` or empty, counted in working days.
    pub due: &'static str,
    /// Why the case has no deadline, when it has none.
    pub no_deadline: &'static str,
    due_day: Option<Date>,
}

/// Where a deadline stands today: `overdue`, `soon` (today or within two working days) or empty.
pub fn due_bucket(calendar: &Calendar, today: Date, d: &Deadline) -> &'static str {
    let Some(date) = Date::parse(&d.date) else { return "" };
    if date < today {
        "overdue"
    } else if calendar.working_days_between(today, date).value <= SOON_WORKING_DAYS {
        "soon"
    } else {
        ""
    }
}

/// Why a case shows no deadline, in words.
fn why_none(case: &CaseRecord) -> &'static str {
    match case.status {
        s if s.is_final() || s == Status::Closed => "已办结，无待办期限",
        Status::Settling => "先行和解中，期满未和解再起算",
        Status::Opened => "已立案，按行政处罚程序另行计时",
        _ if case.rule_set.is_none() => "收到时未记录适用的时限规则（如导入的历史诉求）",
        _ if matches!(case.kind, CaseKind::Consultation | CaseKind::Suggestion | CaseKind::EnterpriseRequest) => {
            "此类诉求的时限规则尚未设定"
        }
        _ => "缺少起算日期",
    }
}

/// The queue for `staff` under `q`, sorted, before paging. `None` when the person has no bureau.
pub async fn queue(state: &AppState, staff: &Staff, q: &QueueQuery) -> Result<Option<Vec<QueueRow>>, AppError> {
    let orgs = crate::case_access::visible_orgs(state, staff).await?;
    if orgs.is_empty() {
        return Ok(None);
    }
    let cases = state.store.list_cases(&CaseFilter { org_ids: orgs, limit: READ_LIMIT, ..Default::default() }).await?;
    let me = staff.user().id.as_str();
    let status = Status::parse(&q.status);
    let kind = CaseKind::parse(&q.kind);
    let needle = q.enterprise.trim().to_lowercase();
    let pending: std::collections::HashSet<String> = if q.closure() {
        state.store.cases_with_pending_closure().await?.into_iter().collect()
    } else {
        Default::default()
    };
    let shown: Vec<&CaseRecord> = cases
        .iter()
        .filter(|c| !q.mine() || c.assigned_to.as_deref() == Some(me))
        .filter(|c| !q.review() || (c.kind == CaseKind::Complaint && c.privacy_confirmed_at.is_none()))
        .filter(|c| !q.closure() || pending.contains(&c.id))
        .filter(|c| status.is_none_or(|s| c.status == s))
        .filter(|c| kind.is_none_or(|k| c.kind == k))
        .filter(|c| {
            needle.is_empty()
                || c.enterprise_name.to_lowercase().contains(&needle)
                || c.enterprise_uscc.as_deref().is_some_and(|u| u.to_lowercase().contains(&needle))
        })
        .collect();
    let (calendar, today) = (state.calendar(), state.today());
    let rows = CaseRow::all(state, &shown).await?;
    let due = q.due();
    let mut out: Vec<QueueRow> = rows
        .into_iter()
        .zip(shown)
        .map(|(row, case)| {
            let bucket = row.deadline.as_ref().map_or("", |d| due_bucket(&calendar, today, d));
            let due_day = row.deadline.as_ref().and_then(|d| Date::parse(&d.date));
            let no_deadline = if row.deadline.is_none() { why_none(case) } else { "" };
            QueueRow { row, due: bucket, no_deadline, due_day }
        })
        .filter(|r| due.is_empty() || r.due == due)
        .collect();
    if q.sort == "due" {
        // Soonest first; cases without a date (none, or paused) after all dated ones.
        out.sort_by_key(|r| (r.due_day.is_none(), r.due_day));
    }
    Ok(Some(out))
}

/// The workbench's counts: each the length of the queue its link opens.
pub struct Counts {
    pub awaiting_acceptance: usize,
    pub soon: usize,
    pub overdue: usize,
    pub follow_up: usize,
    /// Closures waiting for a supervisor's review (审核办结).
    pub closure_pending: usize,
}

pub async fn counts(state: &AppState, staff: &Staff) -> Result<Option<Counts>, AppError> {
    let Some(all) = queue(state, staff, &QueueQuery::default()).await? else { return Ok(None) };
    let n = |f: &dyn Fn(&QueueRow) -> bool| all.iter().filter(|r| f(r)).count();
    Ok(Some(Counts {
        awaiting_acceptance: n(&|r| r.row.status == Status::AwaitingAcceptance.label()),
        soon: n(&|r| r.due == "soon"),
        overdue: n(&|r| r.due == "overdue"),
        follow_up: n(&|r| r.row.status == Status::Closed.label()),
        closure_pending: queue(state, staff, &QueueQuery { closure: "1".into(), ..Default::default() })
            .await?
            .map_or(0, |rows| rows.len()),
    }))
}

pub struct Opt {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cases/list.html")]
struct ListPage {
    layout: Layout,
    rows: Vec<QueueRow>,
    no_org: bool,
    total: usize,
    page: usize,
    pages: usize,
    first: usize,
    prev: Option<String>,
    next: Option<String>,
    export: String,
    statuses: Vec<Opt>,
    kinds: Vec<Opt>,
    dues: Vec<Opt>,
    sorts: Vec<Opt>,
    enterprise: String,
    mine: bool,
    review: bool,
    filtered: bool,
    /// For supervisors: whether complaints wait for the masking review before the enterprise.
    review_required: Option<bool>,
    closure: bool,
    /// For supervisors: whether officers' closures wait for a supervisor (审核办结).
    closure_review: Option<bool>,
}

fn opts(items: impl IntoIterator<Item = (&'static str, &'static str)>, selected: &str) -> Vec<Opt> {
    items.into_iter().map(|(value, label)| Opt { value, label, selected: value == selected }).collect()
}

async fn list(State(state): State<AppState>, staff: Staff, Query(q): Query<QueueQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "cases").await?;
    let rows = queue(&state, &staff, &q).await?;
    let no_org = rows.is_none();
    let all = rows.unwrap_or_default();
    let total = all.len();
    let pages = total.div_ceil(PAGE_SIZE).max(1);
    let page = q.page().min(pages);
    let first = (page - 1) * PAGE_SIZE;
    let rows: Vec<QueueRow> = all.into_iter().skip(first).take(PAGE_SIZE).collect();
    let p = ListPage {
        layout: Layout::staff("诉求办理", staff.user(), staff.csrf(), "/cases", crate::pages::demo(&state)),
        first: first + 1,
        prev: (page > 1).then(|| format!("/cases{}", q.query_string(Some(page - 1)))),
        next: (page < pages).then(|| format!("/cases{}", q.query_string(Some(page + 1)))),
        export: format!("/cases/export.csv{}", q.query_string(None)),
        statuses: opts(Status::ALL.map(|s| (s.code(), s.label())), &q.status),
        kinds: opts(CaseKind::ALL.map(|k| (k.code(), k.label())), &q.kind),
        dues: opts([("overdue", "已超期"), ("soon", "两个工作日内到期")], q.due()),
        sorts: opts([("", "收到时间（新的在前）"), ("due", "期限（近的在前）")], &q.sort),
        enterprise: q.enterprise.trim().to_owned(),
        mine: q.mine(),
        review: q.review(),
        filtered: !q.query_string(None).is_empty(),
        closure: q.closure(),
        closure_review: if staff.can(Permission::SuperviseCases) {
            Some(super::service::closure_review_on(&state).await?)
        } else {
            None
        },
        review_required: if staff.can(Permission::SuperviseCases) {
            Some(super::privacy::review_required(&state).await?)
        } else {
            None
        },
        rows,
        no_org,
        total,
        page,
        pages,
    };
    Ok(render(&p)?)
}

/// The queue as CSV (the same filter, every page), with each deadline, its legal basis and
/// what its calendar rests on.
async fn export(State(state): State<AppState>, staff: Staff, Query(q): Query<QueueQuery>) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "cases").await?;
    let rows = queue(&state, &staff, &q).await?.unwrap_or_default();
    let head = [
        "受理编号",
        "类型",
        "状态",
        "被投诉（举报）企业",
        "收到时间",
        "期限事项",
        "期限",
        "时限依据",
        "时限已核实",
        "日历依据",
    ];
    let lines = rows.into_iter().map(|QueueRow { row: r, no_deadline, .. }| {
        let (label, date, basis, verified, note) = match r.deadline {
            Some(d) => (
                d.label.to_owned(),
                d.date,
                d.basis,
                if d.verified { "是" } else { "否" }.to_owned(),
                d.calendar_note.unwrap_or_else(|| "国务院节假日安排".into()),
            ),
            None => (String::new(), no_deadline.to_owned(), String::new(), String::new(), String::new()),
        };
        vec![
            r.code,
            r.kind.to_owned(),
            r.status.to_owned(),
            r.enterprise,
            r.received,
            label,
            date,
            basis,
            verified,
            note,
        ]
    });
    let body = crate::download::csv(&head, lines)?;
    Ok(crate::download::attachment(body, "text/csv; charset=utf-8", "xinqiao-cases.csv"))
}
