//! The service's spreadsheet import: the CSV an enterprise keeps today (or this platform's own
//! export) read by column name, every row checked like a typed line, and written all or nothing —
//! a file with any bad row writes nothing and names each bad row.

use super::service::{EntryInput, Keeper, complete_line, validate_line};
use crate::AppState;
use crate::error::AppError;
use xinqiao_domain::FieldError;

/// At most this many rows in one file.
pub const MAX_ROWS: usize = 5_000;

/// Which input field a column fills; `None` for the export's computed columns, read and ignored.
fn column(name: &str) -> Result<Option<&'static str>, ()> {
    Ok(Some(match name.trim() {
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
        "用于生产批号" => "into_batch",
        "保存至" | "更正原因" | "已被更正" => return Ok(None),
        _ => return Err(()),
    }))
}

fn bad(message: String) -> AppError {
    AppError::Validation(vec![FieldError::new("file", "bad_row", message)])
}

/// Reads, checks and stores a CSV; returns the number of lines written.
pub async fn import_csv(state: &AppState, k: &Keeper, bytes: &[u8]) -> Result<usize, AppError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes)
        .map_err(|_| bad("文件不是 UTF-8 编码：请在表格软件中另存为“CSV UTF-8”后再导入".into()))?;
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let heading = match records.next() {
        Some(Ok(h)) => h,
        _ => return Err(bad("文件是空的，或第1行不是有效的 CSV 标题行".into())),
    };
    let mut fields = Vec::new();
    for name in heading.iter() {
        match column(name) {
            Ok(f) if f.is_some() && fields.contains(&f) => {
                return Err(bad(format!("第1行：“{}”列出现了两次", name.trim())));
            }
            Ok(f) => fields.push(f),
            Err(()) => {
                let shown: String = name.chars().filter(|c| !c.is_control()).take(20).collect();
                return Err(bad(format!("第1行：不认识的列“{shown}”")));
            }
        }
    }
    for need in ["kind", "code", "quantity"] {
        if !fields.contains(&Some(need)) {
            return Err(bad("第1行：至少需要“类型”“商品条码”“数量”三列".into()));
        }
    }
    let parties = state.store.ledger_parties(&k.enterprise.uscc).await?;
    let today = state.today();
    let mut valid = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    // GTINs named by an earlier row of the file: known by the time this row is written.
    let mut named = std::collections::HashSet::new();
    for (i, record) in records.enumerate() {
        let line = i + 2;
        if valid.len() + errors.len() >= MAX_ROWS {
            return Err(bad(format!("一次最多导入 {MAX_ROWS} 行")));
        }
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                errors.push(FieldError::new(
                    "file",
                    "bad_row",
                    format!("第{line}行：不是有效的 CSV（引号不成对或格式有误）"),
                ));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut input = EntryInput::default();
        let mut party_name = String::new();
        for (cell, field) in record.iter().zip(&fields) {
            let cell = cell.trim().to_owned();
            match field {
                Some("kind") => input.kind = cell,
                Some("code") => input.code = cell,
                Some("product_name") => input.product_name = cell,
                Some("specification") => input.specification = cell,
                Some("category") => input.category = cell,
                Some("batch") => input.batch = cell,
                Some("quantity") => input.quantity = cell,
                Some("unit") => input.unit = cell,
                Some("date") => input.date = cell,
                Some("production") => input.production = cell,
                Some("expiry") => input.expiry = cell,
                Some("shelf_life_days") => input.shelf_life_days = cell,
                Some("party") => party_name = cell,
                Some("into_batch") => input.into_batch = cell,
                _ => {}
            }
        }
        let mut row_errors = Vec::new();
        if !party_name.is_empty() {
            match parties.iter().find(|p| p.name == party_name) {
                Some(p) => input.party_id = p.id.clone(),
                None => row_errors.push(format!(
                    "供应商或购货方“{}”尚未登记，请先在台账页添加",
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
                    row_errors.push("该商品条码尚未登记：请填写“品名”列".into());
                }
                if row_errors.is_empty() {
                    valid.push(v);
                }
            }
            Err(AppError::Validation(fs)) => {
                // A line without its party already says so once.
                row_errors.extend(
                    fs.into_iter().filter(|f| f.field != "party_id" || party_name.is_empty()).map(|f| f.message),
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
    for v in valid {
        lines.push(complete_line(state, k, v, None).await?);
    }
    Ok(state.store.ledger_add_entries(&k.actor, &k.enterprise.uscc, &lines).await?.len())
}
