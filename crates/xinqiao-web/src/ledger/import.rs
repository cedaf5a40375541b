//! The service's spreadsheet import: the CSV or XLSX an enterprise keeps today (or this platform's
//! own export) read by column name, every row checked like a typed line, and written all or
//! nothing — a file with any bad row writes nothing and names each bad row and its column.

use super::service::{EntryInput, Keeper, complete_line, validate_line};
use super::table::MAX_ROWS;
use super::table::{Table, TableRow, bad};
use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::FieldError;
use xinqiao_store::ledger::LedgerError;

/// The input field a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Field(&'static str),
    /// One of the export's computed columns, read and ignored.
    Ignored,
    /// A column without a name: it must stay empty.
    Unnamed,
}

/// Which input field a column fills; `Err` for a name the import does not know.
fn column(name: &str) -> Result<Col, ()> {
    Ok(Col::Field(match name.trim() {
        "" => return Ok(Col::Unnamed),
        "类型" | "记录类型" => "kind",
        "商品条码" | "条码" | "GTIN" => "code",
        "品名" | "名称" | "商品名称" => "product_name",
        "规格" => "specification",
        "类别" => "category",
        "批号" | "生产批号" => "batch",
        "数量" => "quantity",
        "单位" => "unit",
        "日期" | "进货日期" | "销售日期" => "date",
        "生产日期" => "production",
        "到期日期" | "保质期至" | "使用期限至" => "expiry",
        "保质期（天）" | "保质期(天)" => "shelf_life_days",
        "供应商或购货方" | "供应商" | "购货方" => "party",
        "用于生产批号" | "用于生产的批号" => "into_batch",
        "用于生产的产品条码" | "产品条码（生产）" => "into_code",
        "保存至" | "更正原因" | "已被更正" => return Ok(Col::Ignored),
        _ => return Err(()),
    }))
}

/// The column a field is named by when the file has none for it.
fn default_name(field: &str) -> &'static str {
    match field {
        "kind" => "类型",
        "code" => "商品条码",
        "product_name" => "品名",
        "specification" => "规格",
        "category" => "类别",
        "batch" => "批号",
        "quantity" => "数量",
        "unit" => "单位",
        "date" => "日期",
        "production" => "生产日期",
        "expiry" => "到期日期",
        "shelf_life_days" => "保质期（天）",
        "into_batch" => "用于生产批号",
        "into_code" => "用于生产的产品条码",
        _ => "供应商或购货方",
    }
}

/// Reads, checks and stores a spreadsheet — an XLSX workbook (its first worksheet) or a UTF-8
/// CSV, told apart by their first bytes; returns the number of lines written.
pub async fn import_file(state: &AppState, k: &Keeper, bytes: Vec<u8>) -> Result<usize, AppError> {
    if super::xlsx::looks_like_xls(&bytes) {
        return Err(bad("不支持旧版 Excel（.xls）文件：请在 Excel 或 WPS 中另存为 .xlsx 或“CSV UTF-8”后再导入".into()));
    }
    let table = if super::xlsx::looks_like_zip(&bytes) {
        tokio::task::spawn_blocking(move || super::xlsx::read(&bytes))
            .await
            .map_err(|_| AppError::Internal("the workbook reader stopped".into()))??
    } else {
        read_csv(&bytes)?
    };
    import_table(state, k, &table).await
}

/// A CSV read into the import's table.
fn read_csv(bytes: &[u8]) -> Result<Table, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| bad("文件不是 UTF-8 编码：请在表格软件中另存为“CSV UTF-8”后再导入".into()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let heading = match records.next() {
        Some(Ok(h)) => h.iter().map(str::to_owned).collect(),
        _ => return Err(bad("文件是空的，或第1行不是有效的 CSV 标题行".into())),
    };
    let mut rows = Vec::new();
    for (i, record) in records.enumerate() {
        if rows.len() >= MAX_ROWS {
            return Err(bad(format!("一次最多导入 {MAX_ROWS} 行")));
        }
        rows.push(match record {
            Ok(r) => TableRow { line: i + 2, cells: r.iter().map(str::to_owned).collect(), ..Default::default() },
            Err(_) => TableRow {
                line: i + 2,
                unreadable: Some("不是有效的 CSV（引号不成对或格式有误）".into()),
                ..Default::default()
            },
        });
    }
    Ok(Table { heading_line: 1, heading, first_column: None, rows })
}

/// Checks every row of a table and writes them all, or none.
async fn import_table(state: &AppState, k: &Keeper, t: &Table) -> Result<usize, AppError> {
    let mut cols = Vec::new();
    for (i, name) in t.heading.iter().enumerate() {
        let shown: String = name.trim().chars().filter(|c| !c.is_control()).take(20).collect();
        match column(name) {
            Ok(Col::Field(f)) if cols.contains(&Col::Field(f)) => {
                return Err(bad(format!("{}：“{shown}”列出现了两次", t.heading_place(i))));
            }
            Ok(c) => cols.push(c),
            Err(()) => return Err(bad(format!("{}：不认识的列“{shown}”", t.heading_place(i)))),
        }
    }
    for need in ["kind", "code", "quantity"] {
        if !cols.contains(&Col::Field(need)) {
            return Err(bad(format!("第{}行：至少需要“类型”“商品条码”“数量”三列", t.heading_line)));
        }
    }
    // Where a field's problem is shown: its column in the file, or the column to add.
    let index_of = |field: &str| {
        let field = if field == "party_id" { "party" } else { field };
        cols.iter().position(|c| matches!(c, Col::Field(f) if *f == field))
    };
    let place_of = |field: &str| {
        let field = if field == "party_id" { "party" } else { field };
        match index_of(field) {
            Some(i) => t.place(i, t.heading[i].trim()),
            None => format!("“{}”列", default_name(field)),
        }
    };
    let parties = state.store.ledger_parties(&k.enterprise.uscc).await?;
    let today = state.today();
    let mut valid = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    // GTINs named by an earlier row of the file: known by the time this row is written.
    let mut named = std::collections::HashSet::new();
    for row in &t.rows {
        let line = row.line;
        if let Some(why) = &row.unreadable {
            errors.push(FieldError::new("file", "bad_row", format!("第{line}行：{why}")));
            continue;
        }
        if row.broken.is_empty() && row.cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut row_errors: Vec<String> =
            row.broken.iter().map(|(i, why)| format!("{}：{why}", t.place(*i, t.heading[*i].trim()))).collect();
        let mut input = EntryInput::default();
        let mut party_name = String::new();
        for (i, (cell, col)) in row.cells.iter().zip(&cols).enumerate() {
            let cell = cell.trim().to_owned();
            match col {
                Col::Field("kind") => input.kind = cell,
                Col::Field("code") => input.code = cell,
                Col::Field("product_name") => input.product_name = cell,
                Col::Field("specification") => input.specification = cell,
                Col::Field("category") => input.category = cell,
                Col::Field("batch") => input.batch = cell,
                Col::Field("quantity") => input.quantity = cell,
                Col::Field("unit") => input.unit = cell,
                Col::Field("date") => input.date = cell,
                Col::Field("production") => input.production = cell,
                Col::Field("expiry") => input.expiry = cell,
                Col::Field("shelf_life_days") => input.shelf_life_days = cell,
                Col::Field("party") => party_name = cell,
                Col::Field("into_batch") => input.into_batch = cell,
                Col::Field("into_code") => input.into_code = cell,
                Col::Unnamed if !cell.is_empty() => {
                    row_errors.push(format!("{}：这一列没有列名，请补上列名或删去内容", t.place(i, "")))
                }
                _ => {}
            }
        }
        if row.cells.len() > cols.len() && row.cells[cols.len()..].iter().any(|c| !c.trim().is_empty()) {
            row_errors.push("比标题行多出了内容，请检查是否多了分隔符".into());
        }
        if !party_name.is_empty() {
            match parties.iter().find(|p| p.name == party_name) {
                Some(p) => input.party_id = p.id.clone(),
                None => row_errors.push(format!(
                    "{}：供应商或购货方“{}”尚未登记，请先在台账页添加",
                    place_of("party"),
                    party_name.chars().take(30).collect::<String>()
                )),
            }
        }
        match validate_line(&input, today) {
            Ok(v) => {
                if v.product.is_some() {
                    named.insert(v.write.gtin.clone());
                } else if !named.contains(&v.write.gtin)
                    && state.store.ledger_product(&k.enterprise.uscc, &v.write.gtin).await?.is_none()
                {
                    row_errors.push(format!("{}：该商品条码尚未登记，请填写品名", place_of("product_name")));
                }
                if row_errors.is_empty() {
                    valid.push((line, v));
                }
            }
            Err(AppError::Validation(fs)) => {
                // A line without its party already says so once.
                row_errors.extend(
                    fs.into_iter()
                        .filter(|f| f.field != "party_id" || party_name.is_empty())
                        // A cell that could not be read already says so.
                        .filter(|f| !index_of(f.field).is_some_and(|i| row.broken.iter().any(|(b, _)| *b == i)))
                        .map(|f| format!("{}：{}", place_of(f.field), f.message)),
                );
            }
            Err(other) => return Err(other),
        }
        if !row_errors.is_empty() {
            errors.push(FieldError::new("file", "bad_row", format!("第{line}行：{}", row_errors.join("；"))));
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    if valid.is_empty() {
        return Err(bad("文件中没有数据行".into()));
    }
    let mut lines = Vec::with_capacity(valid.len());
    let mut row_of = Vec::with_capacity(valid.len());
    for (line, v) in valid {
        lines.push(complete_line(state, k, v, None).await?);
        row_of.push(line);
    }
    // The producers' chain is checked with the ledger in the writing transaction: a refused line
    // is named by its row like any other.
    match state.store.ledger_add_entries(&k.actor, &k.enterprise.uscc, &lines).await {
        Ok(ids) => Ok(ids.len()),
        Err(LedgerError::Invalid(refused)) => {
            let mut by_row: std::collections::BTreeMap<usize, Vec<String>> = std::collections::BTreeMap::new();
            for (i, f) in refused {
                by_row.entry(row_of[i]).or_default().push(format!("{}：{}", place_of(f.field), f.message));
            }
            Err(AppError::Validation(
                by_row
                    .into_iter()
                    .map(|(line, why)| FieldError::new("file", "bad_row", format!("第{line}行：{}", why.join("；"))))
                    .collect(),
            ))
        }
        Err(e) => Err(e.into()),
    }
}
