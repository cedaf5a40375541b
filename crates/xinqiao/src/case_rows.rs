//! One row of a case import (CSV) read into an intake form with its outcome, and the reader
//! that checks the heading first. Pure parsing: the command (`import_cases`) stores what parses.

use crate::import_file::{NotEncoded, bounded_cells, is_not_encoded, refuse_duplicate_columns};
use anyhow::{Context, Result, bail};
use std::collections::HashMap;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::cases::intake::IntakeForm;
use xinqiao_web::cases::bulk::{BulkOutcome, BulkRow};

const MAX_CODE: usize = 50;

pub struct Columns {
    at: HashMap<String, usize>,
    header: Vec<String>,
}

impl Columns {
    fn get<'a>(&self, record: &'a csv::StringRecord, name: &str) -> &'a str {
        self.at.get(name).and_then(|&i| record.get(i)).unwrap_or("").trim()
    }
}

fn flag(text: &str) -> bool {
    matches!(text, "1" | "true" | "是" | "yes")
}

pub fn row(cols: &Columns, line: usize, r: &csv::StringRecord) -> Result<BulkRow, String> {
    bounded_cells(&cols.header, r.iter())?;
    for code in ["category", "subject"] {
        if cols.get(r, code).chars().count() > MAX_CODE {
            return Err(format!("{code} 超过{MAX_CODE}个字符"));
        }
    }
    let received = Date::parse(cols.get(r, "received_on")).ok_or("received_on 应为 YYYY-MM-DD 格式的日期")?;
    let amount = match cols.get(r, "amount_cents") {
        "" => String::new(),
        c => {
            let cents: i64 = c.parse().map_err(|_| "amount_cents 应为整数（分）")?;
            format!("{}.{:02}", cents / 100, cents % 100)
        }
    };
    let form = IntakeForm {
        kind: cols.get(r, "kind").into(),
        enterprise_name: cols.get(r, "enterprise_name").into(),
        uscc: cols.get(r, "enterprise_uscc").into(),
        industry: cols.get(r, "industry").into(),
        region_code: cols.get(r, "region_code").into(),
        narrative: cols.get(r, "narrative").into(),
        amount,
        demand: cols.get(r, "demand").into(),
        event_date: String::new(),
        name: cols.get(r, "complainant_name").into(),
        mobile: cols.get(r, "complainant_mobile").into(),
        id_number: cols.get(r, "complainant_id_number").into(),
        address: cols.get(r, "complainant_address").into(),
        consent_publish: flag(cols.get(r, "consent")),
        also_report: false,
    };
    let outcome = if flag(cols.get(r, "closed")) {
        let closed_on = Date::parse(cols.get(r, "closed_on")).ok_or("已办结的诉求须有 closed_on 日期")?;
        let number = |name: &str| -> Result<Option<i64>, String> {
            match cols.get(r, name) {
                "" => Ok(None),
                v => v.parse().map(Some).map_err(|_| format!("{name} 应为整数")),
            }
        };
        Some(BulkOutcome {
            closed_on,
            on_time: flag(cols.get(r, "closed_on_time")),
            mediation: match cols.get(r, "mediation_result") {
                "" => None,
                "settled" => Some(true),
                "failed" | "terminated" => Some(false),
                other => return Err(format!("mediation_result 不认识“{other}”")),
            },
            rating: number("rating")?.map(|v| u8::try_from(v).map_err(|_| "rating 应为1至5")).transpose()?,
            recovered_cents: number("recovered_cents")?,
        })
    } else {
        None
    };
    let some = |name: &str| Some(cols.get(r, name).to_owned()).filter(|s| !s.is_empty());
    Ok(BulkRow { line, form, received, category: some("category"), subject: some("subject"), outcome })
}

/// A CSV reader over `input` (UTF-8 text: a string's bytes, or a [`Decoded`] file stream) with
/// its heading checked; a stream's [`NotEncoded`] in the heading is returned as that error.
///
/// [`Decoded`]: crate::import_file::Decoded
pub fn reader<R: std::io::Read>(input: R) -> Result<(csv::Reader<R>, Columns)> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h,
        Err(e) if is_not_encoded(&e) => return Err(NotEncoded.into()),
        Err(e) => return Err(e).context("无法读取表头"),
    }
    .iter()
    .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
    .collect();
    refuse_duplicate_columns(&header)?;
    let at = header.iter().enumerate().map(|(i, h)| (h.clone(), i)).collect::<HashMap<_, _>>();
    for required in ["kind", "received_on", "region_code", "enterprise_name", "narrative"] {
        if !at.contains_key(required) {
            bail!("缺少必需的列：{required}");
        }
    }
    Ok((reader, Columns { at, header }))
}
