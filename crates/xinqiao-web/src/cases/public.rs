//! The public's pages: submit a complaint, report, consultation or suggestion without an account
//! (提交诉求) in two steps — 预览 shows exactly what the enterprise will see and lets the
//! complainant hide more, 确认提交 stores it. Both steps work without JavaScript. Following it with
//! the tracking code and access key (查询进度) is in `track.rs`.

use super::intake::{Hide, Receipt, submit};
use super::submit::{EnterpriseChoice, KindTab, KindWords, SubmitFields, kind_of, tabs};
use crate::AppState;
use crate::auth::{Viewer, anonymous_csrf, check_anonymous_csrf};
use crate::dates::ShownDate;
use crate::error::{AppError, PageResult};
use crate::extract::{UPLOAD_BODY_LIMIT, Upload};
use crate::pages::{FormErrors, Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::cases::CaseKind;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_domain::ids::Industry;
use xinqiao_store::audit::Actor;

pub fn router() -> Router<AppState> {
    Router::new().route("/submit", get(form_page).post(form_submit).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "cases/submit.html")]
struct SubmitPage {
    layout: Layout,
    csrf: String,
    words: KindWords,
    tabs: Vec<KindTab>,
    industries: Vec<Choice>,
    regions: Vec<Choice>,
    f: IntakeForm,
    errors: FormErrors,
    /// The known enterprises found by 查找企业 (none asked: `None`).
    found: Option<Vec<EnterpriseChoice>>,
}

/// What the form page shows besides the fields: the enterprises found, a notice.
#[derive(Default)]
struct Extras {
    found: Option<Vec<EnterpriseChoice>>,
    notice: Option<String>,
}

async fn regions(state: &AppState, selected: &str) -> Result<Vec<Choice>, AppError> {
    Ok(state
        .store
        .list_orgs()
        .await?
        .into_iter()
        .map(|o| Choice { selected: o.region_code == selected, label: o.name, value: o.region_code })
        .collect())
}

fn industries(f: &IntakeForm) -> Vec<Choice> {
    Industry::all()
        .map(|(c, l)| Choice { value: c.to_string(), label: format!("{c} {l}"), selected: f.industry == c.to_string() })
        .collect()
}

async fn page(state: &AppState, viewer: &Viewer, f: IntakeForm, errors: FormErrors) -> PageResult<Response> {
    page_with(state, viewer, f, errors, Extras::default()).await
}

async fn page_with(
    state: &AppState,
    viewer: &Viewer,
    f: IntakeForm,
    errors: FormErrors,
    extras: Extras,
) -> PageResult<Response> {
    let (csrf, cookie) = anonymous_csrf(state, viewer, "submit");
    let kind = kind_of(&f.kind);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let words = KindWords::of(kind);
    let p = SubmitPage {
        layout: Layout::public(words.title, crate::pages::demo(state)).with_notice(extras.notice),
        csrf,
        tabs: tabs(kind),
        words,
        industries: industries(&f),
        regions: regions(state, &f.region_code).await?,
        f: IntakeForm { kind: kind.code().into(), ..f },
        errors,
        found: extras.found,
    };
    let mut res = (status, render(&p)?).into_response();
    if let Some(cookie) = cookie {
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("ascii"));
    }
    Ok(res)
}

/// What a link may fill in beforehand (the Q&A page's 提交咨询 passes the question).
#[derive(serde::Deserialize, Default)]
struct Prefill {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    narrative: String,
}

async fn form_page(
    State(state): State<AppState>,
    viewer: Viewer,
    axum::extract::Query(prefill): axum::extract::Query<Prefill>,
) -> PageResult<Response> {
    let kind = kind_of(&prefill.kind).code();
    let narrative: String = prefill.narrative.trim().chars().take(500).collect();
    let f = IntakeForm { kind: kind.into(), narrative, ..Default::default() };
    page(&state, &viewer, f, FormErrors::default()).await
}

pub struct CodeView {
    kind: &'static str,
    code: String,
}

#[derive(Template)]
#[template(path = "cases/receipt.html")]
struct ReceiptPage {
    layout: Layout,
    codes: Vec<CodeView>,
    access_key: String,
    due: Option<(ShownDate, bool)>,
    settle_until: Option<ShownDate>,
    /// What happens next, in plain words (the first case's path).
    next: Vec<super::steps::Step>,
}

fn receipt_view(state: &AppState, r: Receipt) -> ReceiptPage {
    ReceiptPage {
        layout: Layout::public("已收到您的诉求", crate::pages::demo(state)),
        codes: r.cases.iter().map(|(k, c)| CodeView { kind: k.label(), code: c.to_string() }).collect(),
        next: r.cases.first().map_or_else(Vec::new, |(k, _)| {
            let start = if r.settle_until.is_some() { xinqiao_domain::cases::Status::Settling } else { k.initial() };
            super::steps::steps(*k, start)
        }),
        access_key: r.access_key,
        due: r.decision_due,
        settle_until: r.settle_until,
    }
}

/// What the complainant marked on the preview: ranges (`start-end` in characters) and words.
fn hide_of(form: &SubmitFields) -> Hide {
    let ranges = form
        .hide
        .iter()
        .filter_map(|v| {
            let (s, e) = v.split_once('-')?;
            Some((s.parse().ok()?, e.parse().ok()?))
        })
        .take(100)
        .collect();
    let words = form
        .hide_words
        .split([',', '，', '、', ';', '；', '\n', '\r'])
        .map(str::trim)
        .filter(|w| w.chars().count() >= 2)
        .take(20)
        .map(|w| w.chars().take(50).collect())
        .collect();
    Hide { ranges, words }
}

/// A place the complainant may hide on the preview.
pub struct HideChoice {
    value: String,
    text: String,
    why: &'static str,
    checked: bool,
}

#[derive(Template)]
#[template(path = "cases/preview.html")]
struct PreviewPage {
    layout: Layout,
    csrf: String,
    f: IntakeForm,
    /// A complaint goes to its enterprise; other kinds do not.
    to_enterprise: bool,
    narrative: String,
    demand: String,
    choices: Vec<HideChoice>,
    hide_words: String,
}

/// The preview step: the submission validated and masked exactly as it will be stored, with the
/// places the complainant may still hide (the detector's doubts, and what they marked already).
async fn preview(state: &AppState, viewer: &Viewer, f: IntakeForm, hide: Hide, words: String) -> PageResult<Response> {
    let super::intake::Preview { case, masked, doubts } = match super::intake::preview(state, &f, &hide).await {
        Ok(p) => p,
        Err(AppError::Validation(errors)) => return page(state, viewer, f, FormErrors(errors)).await,
        Err(e) => return Err(e.into()),
    };
    let chars: Vec<char> = case.narrative.chars().collect();
    let piece = |s: usize, e: usize| chars[s..e].iter().collect::<String>();
    let mut choices: Vec<(usize, HideChoice)> = masked
        .marks
        .iter()
        .filter(|m| m.kind == super::privacy::MarkKind::Marked && hide.ranges.contains(&(m.start, m.end)))
        .map(|m| {
            let c = HideChoice {
                value: format!("{}-{}", m.start, m.end),
                text: piece(m.start, m.end),
                why: "您已选择隐去",
                checked: true,
            };
            (m.start, c)
        })
        .collect();
    for d in doubts {
        let c =
            HideChoice { value: format!("{}-{}", d.start, d.end), text: d.text, why: d.reason.label(), checked: false };
        choices.push((d.start, c));
    }
    choices.sort_by_key(|(at, _)| *at);
    let (csrf, cookie) = anonymous_csrf(state, viewer, "submit");
    let p = PreviewPage {
        layout: Layout::public("预览：确认提交前再看一遍", false),
        csrf,
        to_enterprise: case.kind == CaseKind::Complaint,
        narrative: masked.narrative,
        demand: masked.demand,
        choices: choices.into_iter().map(|(_, c)| c).collect(),
        hide_words: words,
        f,
    };
    let mut res = render(&p)?.into_response();
    if let Some(cookie) = cookie {
        res.headers_mut().append(header::SET_COOKIE, cookie.parse().expect("ascii"));
    }
    Ok(res)
}

async fn form_submit(State(state): State<AppState>, viewer: Viewer, upload: Upload) -> PageResult<Response> {
    let form = upload.form;
    let mut fields: SubmitFields = form.typed(&["hide"])?;
    check_anonymous_csrf(&state, &viewer, "submit", form.csrf())?;
    let hide = hide_of(&fields);
    // 选择 on an enterprise found without script: fill it in and go on with the form.
    if !fields.pick.is_empty() {
        let pick = std::mem::take(&mut fields.pick);
        let notice = if super::submit::pick(&state, &mut fields, &pick).await? {
            format!("已选择：{}", fields.enterprise_name)
        } else {
            "没有找到这家企业，请照营业执照填写名称。".to_owned()
        };
        let extras = Extras { notice: Some(notice), ..Extras::default() };
        return page_with(&state, &viewer, fields.intake(), FormErrors::default(), extras).await;
    }
    let f = fields.intake();
    match fields.step.as_str() {
        "preview" => return preview(&state, &viewer, f, hide, fields.hide_words).await,
        "edit" => return page(&state, &viewer, f, FormErrors::default()).await,
        "find" => {
            let typed = if f.uscc.trim().is_empty() { &f.enterprise_name } else { &f.uscc };
            let found = super::submit::find(&state, typed).await?;
            let extras = Extras { found: Some(found), ..Extras::default() };
            return page_with(&state, &viewer, f, FormErrors::default(), extras).await;
        }
        _ => {}
    }
    match submit(&state, &Actor::anonymous("", &viewer.addr), &f, &hide, upload.files).await {
        Ok(receipt) => Ok(render(&receipt_view(&state, receipt))?),
        Err(AppError::Validation(errors)) => page(&state, &viewer, f, FormErrors(errors)).await,
        Err(e) => Err(e.into()),
    }
}
