//! Upkeep commands: `xinqiao check` (the search index and the roll-ups against the database)
//! and `xinqiao rollups rebuild`.

use crate::progress::Spinner;
use anyhow::{Result, anyhow};
use std::process::ExitCode;
use xinqiao_web::Config;
use xinqiao_web::store::Store;
use xinqiao_web::store::audit::Actor;

/// Prints each finding; exit 0 when nothing is wrong, 1 otherwise.
pub async fn check(store: Store, config: Config) -> Result<ExitCode> {
    let state = crate::keys::state_for_reading(store, config).await?;
    let spinner = Spinner::start("正在核对");
    let report = xinqiao_web::check::check(&state).await.map_err(|e| anyhow!("{e}"))?;
    drop(spinner);
    for f in &report.findings {
        println!("{}{}", if f.fault { "✗ " } else { "✓ " }, f.text);
    }
    if report.faults() == 0 {
        println!("核对完成：未发现不一致。");
        Ok(ExitCode::SUCCESS)
    } else {
        println!("核对完成：发现 {} 处不一致。", report.faults());
        Ok(ExitCode::FAILURE)
    }
}

pub async fn rebuild_rollups(store: &Store) -> Result<ExitCode> {
    let spinner = Spinner::start("正在按全部诉求重新计算统计汇总");
    let rebuilt = store.rebuild_rollups(&Actor::console()).await;
    drop(spinner);
    let rebuilt = rebuilt?;
    println!(
        "统计汇总已重建：{} 件诉求，{} 行汇总，对应变更位置 {}。运行中的各节点将自动重新载入。",
        rebuilt.cases, rebuilt.rows, rebuilt.position
    );
    Ok(ExitCode::SUCCESS)
}
