//! The application form: fresh, shown again with a row added, or with the messages of a
//! refused application beside their fields.

use super::*;

#[derive(Template)]
#[template(path = "qualification/apply.html")]
struct ApplyPage {
    layout: Layout,
    framework: Framework,
    /// (id, name, ticked) of the 评审员 a candidate may declare a tie to.
    assessors: Vec<(String, String, bool)>,
    lists: Vec<ListView>,
    current_post: String,
    declaration_date: String,
    declaration_complete: bool,
    pledge_signed: String,
    pledge_version: String,
    /// Messages of the fields outside the lists (and of none: `dossier`, `candidate`).
    errors: FormErrors,
    /// Every message with the id of the field it concerns, listed above the form.
    summary: Vec<(String, String)>,
}

impl ApplyPage {
    fn list(&self, key: &str) -> Option<&ListView> {
        self.lists.iter().find(|l| l.key == key)
    }
}

/// One list of the form as shown: its rows of cells and a message about the list as a whole.
pub struct ListView {
    pub key: &'static str,
    pub noun: &'static str,
    pub rows: Vec<Vec<Cell>>,
    pub error: Option<String>,
}

/// One field of one row.
pub struct Cell {
    pub name: String,
    pub id: String,
    pub label: &'static str,
    /// text | date | number | worktype | yesno
    pub input: &'static str,
    pub value: String,
    pub max: usize,
    pub error: Option<String>,
    pub autofocus: bool,
}

impl Cell {
    /// The options of a select: (value, label, selected).
    pub fn options(&self) -> Vec<(&'static str, &'static str, bool)> {
        use xinqiao_domain::qualification::WorkType;
        match self.input {
            "worktype" => {
                let chosen = WorkType::parse(&self.value);
                WorkType::ALL.iter().map(|w| (w.code(), w.label(), chosen == Some(*w))).collect()
            }
            _ => vec![("yes", "是", self.value == "yes"), ("no", "否", self.value == "no")],
        }
    }
}

fn lists(
    form: &dossier::DossierForm,
    fresh: bool,
    errors: &[dossier::RowError],
    list_errors: &[xinqiao_domain::FieldError],
) -> Vec<ListView> {
    use dossier::Input;
    dossier::LISTS
        .iter()
        .map(|list| {
            let mut rows =
                if fresh { vec![vec![String::new(); list.columns.len()]; list.fresh] } else { form.rows(list) };
            let added = form.add == list.key && rows.len() < dossier::MAX_ROWS;
            if added || rows.is_empty() {
                rows.push(vec![String::new(); list.columns.len()]);
            }
            let last = rows.len() - 1;
            let rows = rows
                .into_iter()
                .enumerate()
                .map(|(i, values)| {
                    list.columns
                        .iter()
                        .zip(values)
                        .enumerate()
                        .map(|(j, (c, value))| Cell {
                            name: format!("{}_{}", list.key, c.name),
                            id: format!("{}-{i}-{}", list.key, c.name),
                            label: c.label,
                            input: match c.input {
                                Input::Text => "text",
                                Input::Date => "date",
                                Input::Number => "number",
                                Input::WorkType => "worktype",
                                Input::YesNo => "yesno",
                            },
                            value,
                            max: c.max,
                            error: errors
                                .iter()
                                .find(|e| e.list == list.key && e.row == i && e.column == c.name)
                                .map(|e| e.message.clone()),
                            autofocus: added && i == last && j == 0,
                        })
                        .collect()
                })
                .collect();
            let error = list_errors.iter().find(|e| e.field == list.key).map(|e| e.message.clone());
            ListView { key: list.key, noun: list.noun, rows, error }
        })
        .collect()
}

/// The application form: fresh (`form` absent), shown again with a row added, or with the
/// messages of a refused application beside their fields.
async fn apply_page(
    state: &AppState,
    staff: &Staff,
    form: Option<&dossier::DossierForm>,
    row_errors: &[dossier::RowError],
    refused: Option<AppError>,
) -> PageResult<Response> {
    staff.require(state, Permission::HandleCases, "qualification.apply").await?;
    let empty = dossier::DossierForm::default();
    let f = form.unwrap_or(&empty);
    let fields = match &refused {
        Some(AppError::Validation(v)) => v.clone(),
        Some(e) => vec![xinqiao_domain::FieldError::new("dossier", "refused", e.to_string())],
        None => Vec::new(),
    };
    let lists = lists(f, form.is_none(), row_errors, &fields);
    // A whole-dossier message about the declaration or the pledge stands beside its date.
    let mut errors: Vec<xinqiao_domain::FieldError> = fields
        .iter()
        .filter(|e| !dossier::LISTS.iter().any(|l| l.key == e.field))
        .map(|e| match e.field {
            "declaration" => e.clone().with_field("declaration_date"),
            "pledge" => e.clone().with_field("pledge_signed"),
            _ => e.clone(),
        })
        .collect();
    errors.extend(
        row_errors
            .iter()
            .filter(|e| e.list.is_empty())
            .map(|e| xinqiao_domain::FieldError::new(e.column, "invalid", e.message.clone())),
    );
    let mut summary: Vec<(String, String)> = errors
        .iter()
        .map(|e| {
            let anchor = if matches!(e.field, "dossier" | "candidate") { "apply-form" } else { e.field };
            (anchor.to_owned(), e.message.clone())
        })
        .collect();
    for l in &lists {
        if let Some(m) = &l.error {
            summary.push((format!("{}-rows", l.key), m.clone()));
        }
        for (i, row) in l.rows.iter().enumerate() {
            for c in row.iter().filter(|c| c.error.is_some()) {
                summary.push((
                    c.id.clone(),
                    format!("{}第 {} 条 {}：{}", l.noun, i + 1, c.label, c.error.as_deref().unwrap_or_default()),
                ));
            }
        }
    }
    let ticked: Vec<&str> = f.related_assessor.iter().map(String::as_str).collect();
    let page = ApplyPage {
        layout: layout(state, staff, "申请任职资格评估"),
        framework: service::current_framework(state).await?,
        assessors: state
            .store
            .assessor_pool()
            .await?
            .into_iter()
            .filter(|m| m.id != staff.user().id)
            .map(|m| {
                let on = ticked.contains(&m.id.as_str());
                (m.id, m.display_name, on)
            })
            .collect(),
        lists,
        current_post: f.current_post.clone(),
        declaration_date: f.declaration_date.clone(),
        declaration_complete: f.declaration_complete,
        pledge_signed: f.pledge_signed.clone(),
        pledge_version: f.pledge_version.clone(),
        errors: FormErrors(errors),
        summary,
    };
    let status = if page.summary.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, render(&page)?).into_response())
}

pub(super) async fn apply_form(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    apply_page(&state, &staff, None, &[], None).await
}

pub(super) async fn apply(State(state): State<AppState>, staff: Staff, form: PageForm) -> PageResult<Response> {
    staff.require(&state, Permission::HandleCases, "qualification.apply").await?;
    staff.check_csrf(&form)?;
    let names = dossier::DossierForm::list_names();
    let f: dossier::DossierForm = form.typed(&names.iter().map(String::as_str).collect::<Vec<_>>())?;
    // 添加一行 shows the form again with one more blank row in that list; nothing is sent.
    if !f.add.is_empty() {
        return apply_page(&state, &staff, Some(&f), &[], None).await;
    }
    let input = match f.to_input(service::today(&state)) {
        Ok(input) => input,
        Err(rows) => return apply_page(&state, &staff, Some(&f), &rows, None).await,
    };
    match service::apply(&state, &staff.actor(), staff.user(), &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/qualification/assessments/{id}")).into_response()),
        Err(e @ (AppError::Validation(_) | AppError::Conflict(_))) => {
            apply_page(&state, &staff, Some(&f), &[], Some(e)).await
        }
        Err(e) => Err(e.into()),
    }
}
