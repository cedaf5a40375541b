//! The ledger's typed input: a line, a correction and a party as a form or the API sends them,
//! and the checks that turn a line into domain values (every problem reported at once).

use crate::error::AppError;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use xinqiao_domain::FieldError;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ledger::entry::check_dates;
use xinqiao_domain::ledger::{Batch, Category, ElementString, EntryKind, Quantity, Unit};
use xinqiao_store::ledger::EntryWrite;

/// A ledger line as typed or scanned. Every field is text as a form sends it; empty means absent.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct EntryInput {
    /// `purchase`, `sale`, `material_use`, `production` or `shipment` (or 进货、销售、原料使用、生产、出货).
    pub kind: String,
    /// The scanned GS1 element string, or a GTIN typed by hand.
    pub code: String,
    /// 批号; taken from the code's AI (10) when left empty.
    pub batch: String,
    pub quantity: String,
    /// 单位 (default 件).
    pub unit: String,
    /// The day of the purchase, sale or use (`YYYY-MM-DD`, default today).
    pub date: String,
    /// 生产日期; from AI (11) when left empty.
    pub production: String,
    /// 保质期至 / 使用期限至; from AI (17) or (15) when left empty.
    pub expiry: String,
    /// 保质期（天）, when the label gives a period rather than a date.
    pub shelf_life_days: String,
    /// The supplier (purchase) or buyer (sale, shipment): an id from the party list.
    pub party_id: String,
    /// For a raw-material use (原料使用): the production batch it went into — required, and it must
    /// be a production batch of this enterprise (recorded before, or in the same import). The
    /// quantity used may not exceed the lot's stock on hand.
    pub into_batch: String,
    /// For a raw-material use: the product made (GTIN or its GS1 string, whose AI (10) fills
    /// `into_batch` when that is empty); may be left empty when the batch names one product only.
    pub into_code: String,
    /// 品名 and 规格 for a GTIN not yet in the product master (or to update it).
    pub product_name: String,
    pub specification: String,
    /// `food` or `cosmetic` (食品 / 化妆品), for a new product.
    pub category: String,
}

/// A correction: the whole corrected line and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CorrectionInput {
    #[serde(flatten)]
    pub entry: EntryInput,
    /// 更正原因 (at least 4 characters).
    pub reason: String,
}

/// A supplier or buyer.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PartyInput {
    pub name: String,
    /// 统一社会信用代码 (checked), if the party has one.
    pub uscc: String,
    /// 许可证编号 (食品经营许可证 etc.).
    pub licence: String,
    pub address: String,
    pub contact: String,
}

/// A line that passed its checks, not yet completed from the product master.
pub struct Valid {
    pub(crate) write: EntryWrite,
    pub(crate) product: Option<(String, String, Option<Category>)>,
}

/// The value, or the error kept for the answer.
fn keep<T>(r: Result<T, FieldError>, errors: &mut Vec<FieldError>) -> Option<T> {
    r.map_err(|e| errors.push(e)).ok()
}

pub(super) fn opt(s: &str) -> Option<&str> {
    let t = s.trim();
    (!t.is_empty()).then_some(t)
}

fn date_field(field: &'static str, label: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<Date> {
    let t = opt(s)?;
    let d = Date::parse(t);
    if d.is_none() {
        errors.push(FieldError::new(field, "bad_date", format!("{label}应为 YYYY-MM-DD 格式的日期")));
    }
    d
}

/// Checks a line field by field; every problem is reported at once.
pub(crate) fn validate_line(input: &EntryInput, today: Date) -> Result<Valid, AppError> {
    let mut errors = Vec::new();
    let kind = keep(EntryKind::parse(&input.kind), &mut errors);
    let scanned = match opt(&input.code) {
        None => {
            errors.push(FieldError::new("code", "required", "请扫码或填写商品条码"));
            None
        }
        Some(code) => keep(ElementString::parse(code, today).map_err(|e| e.field("code")), &mut errors),
    };
    let batch = match (opt(&input.batch), scanned.as_ref().and_then(|s| s.batch.as_deref())) {
        (Some(b), _) | (None, Some(b)) => keep(Batch::parse(b), &mut errors),
        (None, None) => None,
    };
    let quantity = keep(Quantity::parse(&input.quantity), &mut errors);
    let unit = keep(Unit::parse(opt(&input.unit).unwrap_or("件")), &mut errors);
    let recorded_on = date_field("date", "记录日期", &input.date, &mut errors).unwrap_or(today);
    let production = date_field("production", "生产日期", &input.production, &mut errors)
        .or_else(|| scanned.as_ref().and_then(|s| s.production));
    let expiry = date_field("expiry", "到期日期", &input.expiry, &mut errors)
        .or_else(|| scanned.as_ref().and_then(|s| s.expiry.or(s.best_before)));
    let shelf_life_days = match opt(&input.shelf_life_days) {
        None => None,
        Some(t) => match t.parse::<u32>() {
            Ok(n) if (1..=36_500).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new("shelf_life_days", "bad_days", "保质期天数应为 1 至 36500 的整数"));
                None
            }
        },
    };
    if let Err(e) = check_dates(recorded_on, production, expiry, today) {
        errors.push(e);
    }
    let party_id = opt(&input.party_id).map(str::to_owned);
    if let Some(k) = kind {
        if k.needs_party() && party_id.is_none() {
            let what = if k == EntryKind::Purchase { "供应商" } else { "购货方" };
            errors.push(FieldError::new("party_id", "required", format!("{}记录须选择{what}", k.label())));
        }
        if matches!(k, EntryKind::Production | EntryKind::MaterialUse) && batch.is_none() {
            errors.push(FieldError::new("batch", "required", format!("{}记录须填写批号", k.label())));
        }
    }
    let made = opt(&input.into_code)
        .and_then(|code| keep(ElementString::parse(code, today).map_err(|e| e.field("into_code")), &mut errors));
    let into_gtin = made.as_ref().map(|m| m.gtin.clone());
    let into_batch = match (opt(&input.into_batch), made.as_ref().and_then(|m| m.batch.as_deref())) {
        (Some(b), _) | (None, Some(b)) => keep(Batch::parse(b).map_err(|e| e.with_field("into_batch")), &mut errors),
        (None, None) => None,
    };
    if kind == Some(EntryKind::MaterialUse) && into_batch.is_none() && !errors.iter().any(|e| e.field == "into_batch") {
        errors.push(FieldError::new("into_batch", "required", "原料使用记录须填写用于生产的批号"));
    }
    let category = opt(&input.category).and_then(|c| keep(Category::parse(c), &mut errors));
    let product = opt(&input.product_name).map(|name| {
        (name.chars().take(100).collect(), input.specification.trim().chars().take(100).collect(), category)
    });
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let (Some(kind), Some(scanned), Some(quantity), Some(unit)) = (kind, scanned, quantity, unit) else {
        return Err(AppError::Internal("validation let an absent field through".into()));
    };
    Ok(Valid {
        write: EntryWrite {
            kind,
            gtin: scanned.gtin,
            batch,
            quantity,
            unit,
            recorded_on,
            production,
            expiry,
            shelf_life_days,
            party_id,
            into_gtin,
            into_batch,
            voucher: None,
            retain_until: recorded_on,
        },
        product,
    })
}
