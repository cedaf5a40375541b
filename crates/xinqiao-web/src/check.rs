//! `xinqiao check`: this node's search index and the shared roll-ups against the database. The
//! roll-ups are first brought up to the change log (as the running service would) and compared
//! with a recount of every case; the index is compared, without writing to it, with the cases
//! and Q&A entries whose changes lie at or before its position. A lag is reported but is not a
//! fault; a missing or surplus document, or a roll-up row that differs, is.

use crate::AppState;
use crate::error::AppError;
use std::collections::HashSet;

/// One finding, in Chinese, and whether it is a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub fault: bool,
    pub text: String,
}

/// What `check` found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn faults(&self) -> usize {
        self.findings.iter().filter(|f| f.fault).count()
    }

    fn ok(&mut self, text: String) {
        self.findings.push(Finding { fault: false, text });
    }

    fn fault(&mut self, text: String) {
        self.findings.push(Finding { fault: true, text });
    }
}

/// Up to three ids, to name examples without listing thousands.
fn sample(ids: &[&String]) -> String {
    let mut shown: Vec<&str> = ids.iter().take(3).map(|s| s.as_str()).collect();
    shown.sort_unstable();
    let more = if ids.len() > 3 { "等" } else { "" };
    format!("{}{more}", shown.join("、"))
}

/// Runs every check (see the module documentation).
pub async fn check(state: &AppState) -> Result<Report, AppError> {
    let mut report = Report::default();
    let head = state.store.last_change().await?;
    report.ok(format!("变更记录：最新位置 {head}。"));

    while state.store.follow_insights(5_000).await? > 0 {}
    let r = state.store.check_rollups().await?;
    if r.agrees() {
        report.ok(format!("统计汇总：与 {} 件诉求的重新计数一致。", r.cases));
    } else {
        report.fault(format!(
            "统计汇总：{} 行与重新计数不一致（应计收到 {} 件、办结 {} 件，汇总为收到 {} 件、办结 {} 件）。请运行 xinqiao rollups rebuild。",
            r.differing_rows, r.expected.received, r.expected.closed, r.actual.received, r.actual.closed
        ));
    }

    let index = state.search_index().await?;
    let at = index.last_seq().map_err(|e| AppError::Internal(format!("search index: {e}")))?;
    if at < head {
        report.ok(format!("检索索引：位于变更位置 {at}，落后 {} 条（服务运行时会自动补上）。", head - at));
    }
    for (topic, label) in [("case", "诉求"), ("qa", "问答")] {
        let entities = state.store.entities_at(topic, at).await?;
        let indexed: Vec<String> = if topic == "case" { index.case_ids() } else { index.qa_ids() }
            .map_err(|e| AppError::Internal(format!("search index: {e}")))?;
        let indexed_set: HashSet<&String> = indexed.iter().collect();
        let existing: HashSet<&String> = entities.existing.iter().collect();
        let missing: Vec<&String> = entities.expected.iter().filter(|id| !indexed_set.contains(id)).collect();
        let surplus: Vec<&String> = indexed.iter().filter(|id| !existing.contains(id)).collect();
        if missing.is_empty() && surplus.is_empty() {
            report.ok(format!("检索索引（{label}）：{} 条，与数据库一致。", indexed.len()));
        }
        if !missing.is_empty() {
            report.fault(format!(
                "检索索引（{label}）：缺少 {} 条（如 {}）。请停止本机服务后运行 xinqiao reindex。",
                missing.len(),
                sample(&missing)
            ));
        }
        if !surplus.is_empty() {
            report.fault(format!(
                "检索索引（{label}）：有 {} 条数据库中已不存在（如 {}）。请停止本机服务后运行 xinqiao reindex。",
                surplus.len(),
                sample(&surplus)
            ));
        }
    }
    Ok(report)
}
