//! Downloads of the dashboard: one table as CSV (UTF-8 with a byte-order mark, so spreadsheet
//! programs read the Chinese), or the whole view as an XLSX workbook with a sheet per table.

use super::dashboard::{Table, tables};
use super::service::{self, FilterForm};
use crate::AppState;
use crate::auth::Staff;
use crate::caller::Caller;
use crate::download::attachment;
use crate::error::{AppError, PageResult};
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::insights::Filter;

pub fn router() -> Router<AppState> {
    Router::new().route("/insights/export.csv", get(export_csv)).route("/insights/export.xlsx", get(export_xlsx))
}

/// One table as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese).
pub(super) async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    Query(form): Query<FilterForm>,
) -> PageResult<Response> {
    let (_, d, names) = service::dashboard(&state, &Caller::Page(&staff), &form).await?;
    let part = if form.part.is_empty() { "summary" } else { form.part.as_str() };
    let Some(table) = tables(&d, &names).into_iter().find(|t| t.id == part) else {
        return Err(AppError::field("part", "unknown", "未知的表格").into());
    };
    let body = crate::download::csv(&table.head, table.rows.iter().cloned())?;
    Ok(attachment(body, "text/csv; charset=utf-8", &format!("xinqiao-{part}.csv")))
}

/// The whole view as one workbook, a sheet per table, numbers as numbers.
pub(super) async fn export_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    Query(form): Query<FilterForm>,
) -> PageResult<Response> {
    let (filter, d, names) = service::dashboard(&state, &Caller::Page(&staff), &form).await?;
    let body = workbook(&filter, &tables(&d, &names)).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(attachment(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xinqiao-insights.xlsx"))
}

fn workbook(filter: &Filter, tables: &[Table]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for t in tables {
        let sheet = book.add_worksheet();
        sheet.set_name(t.title.chars().filter(|c| !"[]:*?/\\".contains(*c)).take(31).collect::<String>())?;
        sheet.write_string(0, 0, format!("{} 至 {}", Date(filter.from_day), Date(filter.to_day)))?;
        for (c, h) in t.head.iter().enumerate() {
            sheet.write_string_with_format(1, c as u16, *h, &bold)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32 + 2, c as u16);
                match cell.replace(',', "").parse::<f64>() {
                    Ok(n) if c > 0 => sheet.write_number(r, c, n)?,
                    _ => sheet.write_string(r, c, cell)?,
                };
            }
        }
        sheet.set_column_width(0, 36)?;
    }
    book.save_to_buffer()
}
