//! `xinqiao import`: a directory from CSV or XLSX, all or nothing, every bad row named.

use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_xinqiao");

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("XINQIAO_DATABASE_URL")
        .env_remove("XINQIAO_DATA_DIR")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("xinqiao runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn uscc(base: &str) -> String {
    xinqiao_domain::ids::Uscc::with_check_char(base).unwrap().to_string()
}

#[test]
fn targets_and_inspectors_from_csv_and_xlsx() {
    let dir = std::env::temp_dir().join(format!("xinqiao-import-{}", xinqiao_web::store::new_id()));
    std::fs::create_dir_all(&dir).unwrap();
    let d = dir.display().to_string();
    let csv = dir.join("targets.csv");

    // Two bad rows among good ones: both named, nothing stored.
    let (a, b) = (uscc("91320508MA1X80011"), uscc("91320508MA1X80012"));
    std::fs::write(
        &csv,
        format!(
            "\u{feff}企业名称,统一社会信用代码,行业门类,行政区划代码,信用风险分类\n\
             示例面馆,{a},H,320508,B\n示例药房,{b},Q9,320508,C\n重复面馆,{a},H,320508,B\n"
        ),
    )
    .unwrap();
    let out = run(&["import", "--data-dir", &d, "targets", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("第3行") && err.contains("第4行") && err.contains("重复"), "{err}");
    assert!(err.contains("没有写入任何数据"));
    assert!(!err.contains("第2行"));

    // Fixed: stored.
    std::fs::write(
        &csv,
        format!("企业名称,统一社会信用代码,行业门类,行政区划代码,信用风险分类\n示例面馆,{a},H,320508,B\n示例药房,{b},F,320508,C\n"),
    )
    .unwrap();
    let out = run(&["import", "--data-dir", &d, "targets", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 户"));

    // A spreadsheet too.
    let xlsx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/targets.xlsx");
    let out = run(&["import", "--data-dir", &d, "targets", xlsx.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("3 户"));

    // Inspectors: an account that does not exist is a row error.
    let people = dir.join("inspectors.csv");
    std::fs::write(
        &people,
        "执法证号,姓名,单位,账户\nJZ001,李明,姑苏区市场监督管理局,no.such.user\nJZ002,王芳,姑苏区市场监督管理局,\n",
    )
    .unwrap();
    let out = run(&["import", "--data-dir", &d, "inspectors", people.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("第2行：账户“no.such.user”不存在"));
    std::fs::write(&people, "执法证号,姓名,单位\nJZ001,李明,姑苏区市场监督管理局\nJZ002,王芳,姑苏区市场监督管理局\n")
        .unwrap();
    let out = run(&["import", "--data-dir", &d, "inspectors", people.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let other = dir.join("targets.ods");
    std::fs::write(&other, "x").unwrap();
    let out = run(&["import", "--data-dir", &d, "targets", other.to_str().unwrap()]);
    assert!(text(&out.stderr).contains("只支持 .csv 和 .xlsx"));
    let _ = std::fs::remove_dir_all(&dir);
}
