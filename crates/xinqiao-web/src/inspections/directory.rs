//! The directory upload page (名录库): a supervisor uploads the inspection targets as a CSV file
//! (UTF-8), checked whole by the same rules as `xinqiao import targets` — every faulty row listed
//! with its line number, and nothing written unless every row is right.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{AppError, PageResult};
use crate::extract::{UPLOAD_BODY_LIMIT, Upload};
use crate::pages::{Layout, render};
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use xinqiao_domain::accounts::Permission;
use xinqiao_domain::directory::{RowError, parse_targets};
use xinqiao_store::inspections::TargetRow;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections/directory", get(page).post(upload).layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)))
}

#[derive(Template)]
#[template(path = "inspections/directory.html")]
struct DirectoryPage {
    layout: Layout,
    targets: i64,
    inspectors: i64,
    /// The file's problems: (line, message), or one message for the whole file (line 0).
    errors: Vec<(usize, String)>,
}

async fn show(
    state: &AppState,
    staff: &Staff,
    errors: Vec<(usize, String)>,
    notice: Option<String>,
) -> PageResult<Response> {
    let (targets, inspectors) = state.store.directory_counts().await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let p = DirectoryPage {
        layout: Layout::staff("名录库", staff.user(), staff.csrf(), "/inspections", !state.config.require_admin_totp)
            .with_notice(notice),
        targets,
        inspectors,
        errors,
    };
    Ok((status, render(&p)?).into_response())
}

async fn page(State(state): State<AppState>, staff: Staff) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "inspections:directory").await?;
    show(&state, &staff, Vec::new(), None).await
}

/// A table's rows, each with its line number.
type Rows = Vec<(usize, Vec<String>)>;

/// The table of a UTF-8 CSV file (a BOM dropped): the header, then each row with its line number.
fn table(bytes: &[u8]) -> Result<(Vec<String>, Rows), String> {
    let text = std::str::from_utf8(bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes))
        .map_err(|_| "文件不是 UTF-8 编码的 CSV：请在 Excel 中“另存为 CSV UTF-8（逗号分隔）”后再上传".to_owned())?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|_| format!("第{}行不是有效的 CSV（引号不成对或格式有误）", i + 1))?;
        lines.push((i + 1, record.iter().map(str::to_owned).collect::<Vec<_>>()));
    }
    let mut lines = lines.into_iter();
    let (_, header) = lines.next().ok_or("文件是空的")?;
    Ok((header, lines.collect()))
}

async fn upload(State(state): State<AppState>, staff: Staff, upload: Upload) -> PageResult<Response> {
    staff.require(&state, Permission::SuperviseCases, "inspections:directory").await?;
    staff.check_csrf(&upload.form)?;
    let Some(file) = upload.files.first() else {
        return show(&state, &staff, vec![(0, "请选择要上传的 CSV 文件".into())], None).await;
    };
    let (header, rows) = match table(&file.bytes) {
        Ok(t) => t,
        Err(why) => return show(&state, &staff, vec![(0, why)], None).await,
    };
    let records = match parse_targets(&header, rows) {
        Ok(r) => r,
        Err(errors) => {
            let errors = errors.into_iter().map(|RowError { line, message }| (line, message)).collect();
            return show(&state, &staff, errors, None).await;
        }
    };
    let rows: Vec<TargetRow> = records
        .into_iter()
        .map(|r| TargetRow {
            uscc: r.uscc,
            name: r.name,
            industry: r.industry.to_string(),
            region_code: r.region_code,
            risk_class: r.risk.code().to_owned(),
            status: if r.active { "active" } else { "inactive" }.to_owned(),
        })
        .collect();
    let n = state.store.import_targets(&staff.actor(), &rows).await.map_err(AppError::from)?;
    show(&state, &staff, Vec::new(), Some(format!("已导入检查对象 {n} 户。"))).await
}
