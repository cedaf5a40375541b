//! `xinqiao draw …` as the public uses it: the bare RFC 3797 procedure and the recomputation of
//! a downloaded TASK.json, through the real binary.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};
use xinqiao_domain::draws::{
    DrawTask, Exclusion, ExclusionReason, Inspector, Parameters, PublishedDraw, RandomSource, RiskClass, Sampling,
    SourceKind, Target, run,
};
use xinqiao_domain::ids::Uscc;

const BIN: &str = env!("CARGO_BIN_EXE_xinqiao");

fn xinqiao(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env_remove("XINQIAO_CONFIG")
        .current_dir(std::env::temp_dir())
        .output()
        .expect("xinqiao runs")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file in the temp directory, removed afterwards.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, text: &str) -> Self {
        let path = std::env::temp_dir().join(format!("xinqiao-draw-{}-{name}.json", std::process::id()));
        std::fs::write(&path, text).unwrap();
        Self(path)
    }

    fn arg(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn published() -> PublishedDraw {
    let uscc = |i: usize| Uscc::with_check_char(&format!("91320500{i:09}")).unwrap().as_str().to_owned();
    let cert = |i: usize| format!("3205{i:06}");
    let task = DrawTask {
        id: "2026-SJ-0007".into(),
        title: "2026年第七批企业公示信息随机抽查".into(),
        scope: "姑苏区存续企业".into(),
        items: vec!["年度报告公示信息的检查".into()],
        parameters: Parameters {
            sampling: BTreeMap::from([(RiskClass::A, Sampling::Permille(100)), (RiskClass::B, Sampling::Count(4))]),
            inspectors_per_target: 2,
            max_targets_per_inspector: 3,
        },
        targets: (0..50)
            .map(|i| Target {
                uscc: uscc(i), name: format!("示例企业{i}有限公司"), risk: RiskClass::ALL[i % 2]
            })
            .collect(),
        inspectors: (0..6)
            .map(|i| Inspector {
                cert_no: cert(i), name: format!("执法人员{i}"), unit: "姑苏区市场监督管理局".into()
            })
            .collect(),
        exclusions: vec![Exclusion { inspector: cert(0), uscc: uscc(3), reason: ExclusionReason::DeclaredTie }],
        sources: vec![
            RandomSource {
                name: "福彩3D 2026-12-01".into(),
                description: "中国福利彩票官方公告".into(),
                kind: SourceKind::Numbers,
                value: Some("9319".into()),
                available_at: None,
            },
            RandomSource {
                name: "双色球 2026-12-01 红球".into(),
                description: "中国福利彩票官方公告".into(),
                kind: SourceKind::Numbers,
                value: Some("2 5 12 8 10".into()),
                available_at: None,
            },
        ],
    };
    let outcome = run(&task).unwrap();
    PublishedDraw::new(task, Some(outcome))
}

#[test]
fn rfc3797_prints_the_worked_example_of_the_rfc() {
    let o = xinqiao(&[
        "draw",
        "rfc3797",
        "--pool-size",
        "25",
        "--count",
        "10",
        "--source",
        "9319",
        "--source",
        "2 5 12 8 10",
        "--source",
        "9 18 26 34 41 45",
    ]);
    assert!(o.status.success(), "{}", err(&o));
    assert_eq!(out(&o), "17\n7\n2\n16\n25\n23\n8\n24\n19\n13\n");
    assert!(err(&o).contains("9319./2.5.8.10.12./9.18.26.34.41.45./"), "the key is shown: {}", err(&o));

    let big = xinqiao(&["draw", "rfc3797", "--pool-size", "1000000", "--count", "3", "--source", "9319 2 5 12 8 10"]);
    assert!(big.status.success(), "{}", err(&big));
    assert_eq!(out(&big).lines().count(), 3);
}

#[test]
fn rfc3797_refuses_bad_input_in_chinese() {
    let too_many = xinqiao(&["draw", "rfc3797", "--pool-size", "5", "--count", "6", "--source", "1"]);
    assert_eq!(too_many.status.code(), Some(1));
    assert!(err(&too_many).contains("超过了名单总数"), "{}", err(&too_many));
    assert!(out(&too_many).is_empty());
    let empty = xinqiao(&["draw", "rfc3797", "--pool-size", "5", "--count", "1", "--source", "  "]);
    assert_eq!(empty.status.code(), Some(1));
    assert!(err(&empty).contains("第 1 个随机数来源"), "{}", err(&empty));
    let no_source = xinqiao(&["draw", "rfc3797", "--pool-size", "5", "--count", "1"]);
    assert!(!no_source.status.success(), "at least one source is required");
}

#[test]
fn verify_confirms_a_published_draw() {
    let file = TempFile::with("ok", &published().to_json());
    let o = xinqiao(&["draw", "verify", file.arg()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", out(&o), err(&o));
    assert!(out(&o).starts_with("一致"), "{}", out(&o));
    assert!(out(&o).contains(&published().commitment), "the commitment is named");
}

#[test]
fn verify_names_the_first_difference_of_a_tampered_draw() {
    let mut doc = published();
    let outcome = doc.outcome.as_mut().unwrap();
    let (first, second) = (outcome.targets[0].uscc.clone(), outcome.targets[1].uscc.clone());
    outcome.targets.swap(0, 1);
    let file = TempFile::with("tampered", &doc.to_json());
    let o = xinqiao(&["draw", "verify", file.arg()]);
    assert_eq!(o.status.code(), Some(1));
    let text = out(&o);
    assert!(text.starts_with("不一致：第 1 个抽中的检查对象"), "{text}");
    assert!(text.contains(&format!("公布的是“{second}”，重新计算得到“{first}”")), "{text}");

    let mut edited = published();
    edited.task.targets[2].name = "改过名字的企业".into();
    let file = TempFile::with("edited", &edited.to_json());
    let o = xinqiao(&["draw", "verify", file.arg()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(out(&o).contains("承诺值"), "an edited pool breaks the commitment: {}", out(&o));
}

#[test]
fn verify_reports_unreadable_files_as_errors() {
    let broken = TempFile::with("broken", "{\"format\": \"xinqiao-draw/1\",");
    let o = xinqiao(&["draw", "verify", broken.arg()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).starts_with("错误：无法核对"), "{}", err(&o));
    let missing = xinqiao(&["draw", "verify", "/nonexistent/TASK.json"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(err(&missing).contains("无法读取抽取文件"), "{}", err(&missing));
    let not_drawn = TempFile::with("not-drawn", &PublishedDraw::new(published().task, None).to_json());
    let o = xinqiao(&["draw", "verify", not_drawn.arg()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(err(&o).contains("没有公布的抽取结果"), "{}", err(&o));
}
