//! `xinqiao gen`: writes a deterministic synthetic data set — `enterprises.csv`, `cases.csv` and
//! `pii.jsonl` (the ground truth of every personal-data span in the narratives) — for imports,
//! benchmarks and demonstrations. Same parameters, same bytes. No database.

use anyhow::{Context, Result, bail};
use clap::Args;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;
use xinqiao_gen::{CASE_HEADER, Generator};

/// The options of `xinqiao gen` (help texts for the operator, in Chinese).
#[derive(Args, Debug, Clone)]
pub struct GenArgs {
    /// 案件数（支持 10,000 至 10,000,000，流式写出，内存与案件数无关）
    #[arg(long)]
    pub cases: u64,
    /// 企业数
    #[arg(long)]
    pub enterprises: usize,
    /// 随机种子
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 输出目录（不存在则新建；不会覆盖已有文件）
    #[arg(long)]
    pub out: PathBuf,
}

const FILES: [&str; 3] = ["enterprises.csv", "cases.csv", "pii.jsonl"];
/// Cases per batch between progress updates.
const BATCH: u64 = 20_000;

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    let file = File::options()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("无法新建 {}（已存在的文件不会被覆盖）", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, file))
}

pub fn command(args: GenArgs) -> Result<ExitCode> {
    if args.cases == 0 {
        bail!("案件数 --cases 须至少为 1");
    }
    if !(1..=10_000_000).contains(&args.enterprises) {
        bail!("企业数 --enterprises 须在 1 至 10,000,000 之间");
    }
    std::fs::create_dir_all(&args.out).with_context(|| format!("无法创建输出目录 {}", args.out.display()))?;
    if let Some(f) = FILES.iter().find(|f| args.out.join(f).exists()) {
        bail!("{} 已存在：请换一个输出目录或先删除旧文件", args.out.join(f).display());
    }
    let started = Instant::now();
    let mut generator = Generator::new(args.seed, args.enterprises);
    let mut enterprises = create(&args.out, FILES[0])?;
    generator.write_enterprises(&mut enterprises).context("无法写出 enterprises.csv")?;
    enterprises.flush().context("无法写出 enterprises.csv")?;
    let (mut cases, mut pii) = (create(&args.out, FILES[1])?, create(&args.out, FILES[2])?);
    cases.write_all(CASE_HEADER.as_bytes()).context("无法写出 cases.csv")?;
    let cases_started = Instant::now();
    let mut spans = 0;
    let mut done = 0;
    while done < args.cases {
        let end = (done + BATCH).min(args.cases);
        spans += generator.write_cases(done..end, &mut cases, &mut pii).context("无法写出案件数据")?;
        done = end;
        crate::progress::bar("生成案件", done, args.cases);
    }
    cases.flush().context("无法写出 cases.csv")?;
    pii.flush().context("无法写出 pii.jsonl")?;
    let secs = cases_started.elapsed().as_secs_f64();
    println!(
        "已生成 {} 家企业、{} 件案件、{} 个个人信息片段，写入 {}；案件用时 {:.1} 秒（{:.0} 件/秒），总用时 {:.1} 秒",
        args.enterprises,
        args.cases,
        spans,
        args.out.display(),
        secs,
        args.cases as f64 / secs.max(1e-9),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_ten_thousand_cases_and_refuses_to_overwrite() {
        let dir = std::env::temp_dir().join(format!("xinqiao-gen-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let args = GenArgs { cases: 10_000, enterprises: 1_000, seed: 5, out: dir.clone() };
        command(args.clone()).unwrap();
        let rows = |name: &str| -> Vec<csv::StringRecord> {
            csv::Reader::from_path(dir.join(name)).unwrap().records().map(|r| r.unwrap()).collect()
        };
        let enterprises = rows("enterprises.csv");
        assert_eq!(enterprises.len(), 1_000);
        assert!(enterprises.iter().all(|r| r.len() == 7));
        let cases = rows("cases.csv");
        assert_eq!(cases.len(), 10_000);
        assert!(cases.iter().all(|r| r.len() == 26));
        assert_eq!(&cases[9_999][0], "10000");
        let pii = std::fs::read_to_string(dir.join("pii.jsonl")).unwrap();
        let spans: Vec<serde_json::Value> = pii.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(spans.len() > 10_000, "{} spans", spans.len());
        assert!(spans.iter().all(|s| (1..=10_000).contains(&s["case_id"].as_u64().unwrap())));
        let err = command(args).unwrap_err().to_string();
        assert!(err.contains("已存在"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
