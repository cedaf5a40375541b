//! `xinqiao draw …`: the bare RFC 3797 procedure for anyone who wants it, and the recomputation
//! of a published draw file (TASK.json). No database: both work on what is given on the command
//! line, so the public can run them as well as the bureau.

use crate::cli::DrawAction;
use anyhow::{Context, Result, anyhow, bail};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use xinqiao_domain::draws::{self, SourceKind, rfc3797};

pub fn command(action: DrawAction) -> Result<ExitCode> {
    match action {
        DrawAction::Rfc3797 { pool_size, count, sources } => bare(pool_size, count, &sources),
        DrawAction::Verify { file } => verify(&file),
    }
}

/// Prints the picked 1-based positions, one per line; the key goes to stderr for the record.
fn bare(pool_size: u64, count: u64, sources: &[String]) -> Result<ExitCode> {
    if pool_size == 0 {
        bail!("名单总数 --pool-size 须至少为 1");
    }
    if pool_size > rfc3797::MAX_ENTRIES {
        bail!("名单总数 --pool-size 至多为 {}", rfc3797::MAX_ENTRIES);
    }
    if count > pool_size {
        bail!("抽取个数 --count {count} 超过了名单总数 --pool-size {pool_size}");
    }
    let kinds: Vec<SourceKind> = sources.iter().map(|s| SourceKind::detect(s)).collect();
    let key = rfc3797::key(kinds.iter().zip(sources).map(|(&k, s)| (k, s.as_str())))
        .map_err(|(i, reason)| anyhow!("第 {} 个随机数来源“{}”无效：{reason}", i + 1, sources[i]))?;
    for (i, k) in kinds.iter().enumerate().filter(|(_, k)| **k == SourceKind::Text) {
        eprintln!("注意：第 {} 个随机数来源含有非整数内容，按{}处理", i + 1, k.label());
    }
    eprintln!("密钥（RFC 3797）：{key}");
    let picks = draws::select(key.as_bytes(), pool_size as usize, count as usize)?;
    let mut out = String::with_capacity(picks.len() * 8);
    for p in picks {
        out.push_str(&(p + 1).to_string());
        out.push('\n');
    }
    std::io::stdout().lock().write_all(out.as_bytes()).context("无法写出结果")?;
    Ok(ExitCode::SUCCESS)
}

/// Recomputes a published draw: exit 0 when everything matches, 1 with the first difference.
fn verify(file: &Path) -> Result<ExitCode> {
    let json = std::fs::read_to_string(file).with_context(|| format!("无法读取抽取文件 {}", file.display()))?;
    let verdict = draws::verify_file(&json).map_err(|e| anyhow!("无法核对 {}：{e}", file.display()))?;
    println!("{verdict}");
    Ok(if verdict.is_match() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
