//! The directories of 双随机 (名录库), read from a table (CSV or a spreadsheet's first sheet):
//! inspection targets and inspectors. Columns are found by their Chinese headings, in any order.
//! The whole table is checked before anything is stored, and every bad row is reported with its
//! line number and the reason, so an import is all or nothing.

use crate::draws::RiskClass;
use crate::ids::{Industry, RegionCode, Uscc};
use std::collections::HashSet;

/// A checked inspection target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRecord {
    pub uscc: String,
    pub name: String,
    pub industry: char,
    pub region_code: String,
    pub risk: RiskClass,
    pub active: bool,
}

/// A checked inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorRecord {
    /// 执法证号.
    pub cert_no: String,
    pub name: String,
    pub unit: String,
    pub fields: String,
    pub active: bool,
    /// The platform account (login name) of this inspector, whose declared ties apply.
    pub username: Option<String>,
    /// The line it came from, for reporting what only the store can check (the account).
    pub line: usize,
}

/// Why a row (1-based line number in the file, the heading being line 1) was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第{}行：{}", self.line, self.message)
    }
}

/// The headings each directory needs (and may have), with the names people also use.
const TARGET_COLUMNS: &[(&str, &[&str], bool)] = &[
    ("统一社会信用代码", &["信用代码", "uscc"], true),
    ("企业名称", &["名称", "name"], true),
    ("行业门类", &["行业", "industry"], true),
    ("行政区划代码", &["区划代码", "region_code"], true),
    ("信用风险分类", &["风险分类", "risk_class"], true),
    ("状态", &["登记状态", "status"], false),
];

const INSPECTOR_COLUMNS: &[(&str, &[&str], bool)] = &[
    ("执法证号", &["cert_no"], true),
    ("姓名", &["name"], true),
    ("单位", &["所在单位", "unit"], true),
    ("专业领域", &["领域", "fields"], false),
    ("状态", &["status"], false),
    ("账户", &["登录名", "username"], false),
];

/// Where each wanted column is, or a report of what is missing or given twice (a column found
/// under two headings would leave it to chance which one counts).
fn locate(header: &[String], wanted: &[(&str, &[&str], bool)]) -> Result<Vec<Option<usize>>, Vec<RowError>> {
    let norm = |s: &str| s.trim().trim_start_matches('\u{feff}').to_lowercase();
    let mut at = Vec::new();
    let mut missing = Vec::new();
    let mut errors = Vec::new();
    for (name, aliases, required) in wanted {
        let found: Vec<usize> = header
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                let h = norm(h);
                h == norm(name) || aliases.iter().any(|a| h == norm(a))
            })
            .map(|(i, _)| i)
            .collect();
        if found.len() > 1 {
            let columns: Vec<String> = found.iter().map(|i| format!("第{}列“{}”", i + 1, header[*i].trim())).collect();
            errors.push(RowError {
                line: 1,
                message: format!("“{name}”列出现了不止一次（{}），请只保留一列", columns.join("、")),
            });
        }
        if found.is_empty() && *required {
            missing.push(*name);
        }
        at.push(found.first().copied());
    }
    if !missing.is_empty() {
        errors.insert(0, RowError { line: 1, message: format!("缺少列：{}", missing.join("、")) });
    }
    if errors.is_empty() { Ok(at) } else { Err(errors) }
}

/// A cell no longer than `max` characters.
fn bounded<'a>(value: &'a str, label: &str, max: usize, line: usize) -> Result<&'a str, RowError> {
    if value.chars().count() > max {
        return Err(RowError { line, message: format!("{label}超过{max}个字") });
    }
    Ok(value)
}

/// Refuses a table without a single data row: nothing to import is not a success.
fn require_rows(rows: &[(usize, Vec<String>)]) -> Result<(), Vec<RowError>> {
    if rows.iter().all(|(_, r)| r.iter().all(|c| c.trim().is_empty())) {
        return Err(vec![RowError { line: 2, message: "没有数据行（文件中只有表头）".into() }]);
    }
    Ok(())
}

/// The longest values accepted (names in characters).
const MAX_NAME: usize = 100;
const MAX_PERSON: usize = 50;
const MAX_FIELDS: usize = 200;
const MAX_ACCOUNT: usize = 64;

fn cell(row: &[String], at: Option<usize>) -> &str {
    at.and_then(|i| row.get(i)).map_or("", |s| s.trim())
}

fn active(status: &str, line: usize, inactive: &[&str], active: &[&str]) -> Result<bool, RowError> {
    if status.is_empty() || active.contains(&status) {
        Ok(true)
    } else if inactive.contains(&status) {
        Ok(false)
    } else {
        Err(RowError {
            line,
            message: format!("状态“{status}”无法识别（可填：{}；{}）", active.join("、"), inactive.join("、")),
        })
    }
}

/// Reads the targets' table: `header` then the rows, each with its line number.
pub fn parse_targets(
    header: &[String],
    rows: impl IntoIterator<Item = (usize, Vec<String>)>,
) -> Result<Vec<TargetRecord>, Vec<RowError>> {
    let at = locate(header, TARGET_COLUMNS)?;
    let rows: Vec<(usize, Vec<String>)> = rows.into_iter().collect();
    require_rows(&rows)?;
    let (mut out, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (line, row) in rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let bad = |message: String| RowError { line, message };
        let parsed = (|| -> Result<TargetRecord, RowError> {
            let uscc = Uscc::parse(cell(&row, at[0])).map_err(|e| bad(e.message))?;
            let name = bounded(cell(&row, at[1]), "企业名称", MAX_NAME, line)?;
            if name.is_empty() {
                return Err(bad("企业名称不能为空".into()));
            }
            let industry = Industry::parse(cell(&row, at[2])).map_err(|e| bad(e.message))?;
            let region = RegionCode::parse(cell(&row, at[3])).map_err(|e| bad(e.message))?;
            let risk_text = cell(&row, at[4]).trim_end_matches('类').to_ascii_uppercase();
            let risk = RiskClass::parse(&risk_text)
                .ok_or_else(|| bad(format!("信用风险分类“{}”应为A、B、C或D", cell(&row, at[4]))))?;
            let active = active(
                cell(&row, at[5]),
                line,
                &["注销", "吊销", "迁出", "停业", "inactive"],
                &["存续", "在业", "正常", "开业", "active"],
            )?;
            if !seen.insert(uscc.as_str().to_owned()) {
                return Err(bad(format!("统一社会信用代码{}重复", uscc.as_str())));
            }
            Ok(TargetRecord {
                uscc: uscc.as_str().to_owned(),
                name: name.to_owned(),
                industry: industry.code(),
                region_code: region.as_str().to_owned(),
                risk,
                active,
            })
        })();
        match parsed {
            Ok(r) => out.push(r),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

/// Reads the inspectors' table.
pub fn parse_inspectors(
    header: &[String],
    rows: impl IntoIterator<Item = (usize, Vec<String>)>,
) -> Result<Vec<InspectorRecord>, Vec<RowError>> {
    let at = locate(header, INSPECTOR_COLUMNS)?;
    let rows: Vec<(usize, Vec<String>)> = rows.into_iter().collect();
    require_rows(&rows)?;
    let (mut out, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (line, row) in rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let bad = |message: String| RowError { line, message };
        let parsed = (|| -> Result<InspectorRecord, RowError> {
            let cert_no = cell(&row, at[0]).to_ascii_uppercase();
            if cert_no.is_empty() || cert_no.chars().count() > 30 || !cert_no.chars().all(|c| c.is_ascii_alphanumeric())
            {
                return Err(bad(format!("执法证号“{}”应为不超过30位的字母和数字", cell(&row, at[0]))));
            }
            let name = bounded(cell(&row, at[1]), "姓名", MAX_PERSON, line)?;
            let unit = bounded(cell(&row, at[2]), "单位", MAX_NAME, line)?;
            let fields = bounded(cell(&row, at[3]), "专业领域", MAX_FIELDS, line)?;
            let account = bounded(cell(&row, at[5]), "账户", MAX_ACCOUNT, line)?;
            if name.is_empty() || unit.is_empty() {
                return Err(bad("姓名和单位不能为空".into()));
            }
            let active =
                active(cell(&row, at[4]), line, &["离岗", "调离", "退休", "inactive"], &["在岗", "正常", "active"])?;
            if !seen.insert(cert_no.clone()) {
                return Err(bad(format!("执法证号{cert_no}重复")));
            }
            Ok(InspectorRecord {
                cert_no,
                name: name.to_owned(),
                unit: unit.to_owned(),
                fields: fields.to_owned(),
                active,
                username: Some(account.to_owned()).filter(|s| !s.is_empty()),
                line,
            })
        })();
        match parsed {
            Ok(r) => out.push(r),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|s| s.to_string()).collect()
    }

    fn code(base: &str) -> String {
        Uscc::with_check_char(base).unwrap().to_string()
    }

    #[test]
    fn targets_in_any_column_order() {
        let header = row(&["企业名称", "\u{feff}统一社会信用代码", "信用风险分类", "行业门类", "行政区划代码", "状态"]);
        let (a, b) = (code("91320508MA1XQ0001"), code("91320506MA1XQ0002"));
        let ok = parse_targets(
            &header,
            [
                (2, row(&["姑苏餐馆", &a, "B", "H", "320508", "存续"])),
                (3, row(&["", "", "", "", "", ""])),
                (4, row(&["吴中超市", &b, "d类", "f", "320506", "注销"])),
            ],
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(ok.len(), 2, "the blank line is skipped");
        assert_eq!(
            (ok[0].uscc.as_str(), ok[0].risk, ok[0].industry, ok[0].active),
            (a.as_str(), RiskClass::B, 'H', true)
        );
        assert_eq!((ok[1].risk, ok[1].industry, ok[1].active), (RiskClass::D, 'F', false));
    }

    #[test]
    fn bad_rows_are_all_named() {
        let header = row(&["统一社会信用代码", "企业名称", "行业门类", "行政区划代码", "信用风险分类"]);
        let good = code("91320508MA1XQ0001");
        let mut wrong = good.clone();
        wrong.pop();
        wrong.push(if good.ends_with('0') { '1' } else { '0' });
        let errors = parse_targets(
            &header,
            [
                (2, row(&[&good, "甲", "H", "320508", "A"])),
                (3, row(&[&wrong, "乙", "H", "320508", "A"])),
                (4, row(&[&good, "丙", "H", "320508", "A"])),
                (5, row(&[&code("91320508MA1XQ0003"), "丁", "H", "320508", "E"])),
                (6, row(&[&code("91320508MA1XQ0004"), "", "H", "320508", "A"])),
                (7, row(&[&code("91320508MA1XQ0005"), "戊", "Z", "320508", "A"])),
            ],
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6, 7]);
        assert!(errors[1].message.contains("重复"));
        assert!(errors[2].to_string().starts_with("第5行：信用风险分类"));
        let missing = parse_targets(&row(&["企业名称"]), Vec::new()).unwrap_err();
        assert_eq!(missing[0].line, 1);
        assert!(missing[0].message.contains("统一社会信用代码") && missing[0].message.contains("行业门类"));
    }

    #[test]
    fn inspectors() {
        let header = row(&["执法证号", "姓名", "单位", "专业领域", "状态", "账户"]);
        let ok = parse_inspectors(
            &header,
            [
                (2, row(&["jz32050001", "李明", "姑苏区市场监督管理局", "食品", "在岗", "officer.li"])),
                (3, row(&["JZ32050002", "王芳", "姑苏区市场监督管理局", "", "离岗", ""])),
            ],
        )
        .unwrap();
        assert_eq!(ok[0].cert_no, "JZ32050001");
        assert_eq!(ok[0].username.as_deref(), Some("officer.li"));
        assert!(!ok[1].active && ok[1].username.is_none());
        let errors = parse_inspectors(
            &header,
            [
                (2, row(&["JZ 1", "李明", "单位", "", "", ""])),
                (3, row(&["JZ2", "", "单位", "", "", ""])),
                (4, row(&["JZ3", "赵", "单位", "", "休假", ""])),
            ],
        )
        .unwrap_err();
        assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), vec![2, 3, 4]);
    }

    #[test]
    fn duplicated_columns_empty_tables_and_long_values_are_refused() {
        let a = code("91320508MA1XQ0001");
        let twice = row(&["统一社会信用代码", "企业名称", "名称", "行业门类", "行政区划代码", "信用风险分类"]);
        let errors = parse_targets(&twice, [(2, row(&[&a, "甲", "乙", "H", "320508", "A"]))]).unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(errors[0].message.contains("“企业名称”列出现了不止一次") && errors[0].message.contains("第3列“名称”"));
        let header = row(&["统一社会信用代码", "企业名称", "行业门类", "行政区划代码", "信用风险分类"]);
        let empty = parse_targets(&header, [(2, row(&["", "", "", "", ""]))]).unwrap_err();
        assert!(empty[0].message.contains("没有数据行"), "{empty:?}");
        assert!(
            parse_inspectors(&row(&["执法证号", "姓名", "单位"]), Vec::new()).unwrap_err()[0]
                .message
                .contains("没有数据行")
        );
        let long = "名".repeat(100 * 1024);
        let errors = parse_targets(&header, [(2, row(&[&a, &long, "H", "320508", "A"]))]).unwrap_err();
        assert_eq!(errors[0].to_string(), "第2行：企业名称超过100个字");
        let errors =
            parse_inspectors(&row(&["执法证号", "姓名", "单位"]), [(2, row(&["JZ1", &long, "单位"]))]).unwrap_err();
        assert!(errors[0].message.contains("姓名超过50个字"));
    }
}
