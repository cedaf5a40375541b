//! The timed test: its page with the countdown, and the hand-in (confirmed first).

use super::*;

#[derive(Template)]
#[template(path = "qualification/test.html")]
struct TestPage {
    layout: Layout,
    id: String,
    questions: Vec<QuestionView>,
    /// Milliseconds left, by the server's clock (the browser's clock may be wrong).
    left_ms: i64,
    due_text: String,
    minutes: u32,
    /// The options chosen, as `q_<item>=<key>` pairs (kept when the page asks to confirm).
    chosen: Vec<(String, String)>,
    /// Asking to confirm the hand-in: (questions answered, questions in all).
    confirming: Option<(usize, usize)>,
}

impl TestPage {
    fn picked(&self, item: &str, key: &str) -> bool {
        self.chosen.iter().any(|(i, k)| i == item && k == key)
    }
}

/// Whether the hand-in asks to be confirmed first: the test page's form carries an empty
/// `confirmed`, set to 1 by the page script's dialog (or by the deadline's automatic hand-in);
/// without the script the server shows the paper again, answers kept, with 确认交卷.
fn hand_in_needs_confirmation(form: &PageForm) -> bool {
    form.awaits_confirmation()
}

/// The timed test: the first opening starts the clock; the page counts down and hands in by
/// itself at the deadline (the server refuses late answers either way).
pub(super) async fn test_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> PageResult<Response> {
    let (row, role) = load(&state, &staff, &id).await?;
    if !role.candidate {
        return Err(AppError::forbidden().into());
    }
    if row.answers.is_some() || row.status != status::IN_PROGRESS {
        return Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response());
    }
    test_view(&state, &staff, &row, None).await
}

/// The paper with its countdown; with `confirm`, the answers given are ticked again and the page
/// asks to confirm the hand-in (交卷 cannot be undone).
async fn test_view(
    state: &AppState,
    staff: &Staff,
    row: &AssessmentRow,
    confirm: Option<&PageForm>,
) -> PageResult<Response> {
    let (paper, due_at) = service::open_test(state, &staff.actor(), row).await?;
    let due_text = xinqiao_domain::time::format_cst(due_at);
    let questions = paper.questions();
    let chosen: Vec<(String, String)> = confirm.map_or_else(Vec::new, |form| {
        questions
            .iter()
            .flat_map(|q| form.all(&format!("q_{}", q.id)).map(|k| (q.id.clone(), k.to_owned())).collect::<Vec<_>>())
            .collect()
    });
    let confirming = confirm.map(|_| {
        let answered = questions.iter().filter(|q| chosen.iter().any(|(i, _)| *i == q.id)).count();
        (answered, questions.len())
    });
    let page = TestPage {
        layout: layout(state, staff, if confirming.is_some() { "确认交卷" } else { "任职资格笔试" }),
        id: row.id.clone(),
        questions,
        left_ms: (due_at - state.now_ms()).max(0),
        due_text,
        minutes: service::params(state).await?.test_minutes,
        chosen,
        confirming,
    };
    render(&page).map_err(Into::into)
}

pub(super) async fn hand_in(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    form: PageForm,
) -> PageResult<Response> {
    let row = as_candidate(&state, &staff, &id, &form).await?;
    if hand_in_needs_confirmation(&form) && row.answers.is_none() && row.status == status::IN_PROGRESS {
        return test_view(&state, &staff, &row, Some(&form)).await;
    }
    let result = async {
        let framework = service::pinned_framework(&state, &row).await?;
        let source = row.paper_source.as_deref().ok_or_else(|| AppError::Conflict("本次评估不含笔试".into()))?;
        let paper = service::paper(&framework, source)?;
        let answers: BTreeMap<String, Vec<String>> = paper
            .items
            .iter()
            .map(|i| (i.id.clone(), form.all(&format!("q_{}", i.id)).map(str::to_owned).collect::<Vec<_>>()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        service::submit_test(&state, &staff.actor(), &row, &answers).await.map(|_| ())
    }
    .await;
    step(&state, &staff, &id, result).await
}
