//! The purge of ledger lines past their retention date: a correction chain goes only when every
//! line in it is past its date, a voucher photo with the last line naming it; each batch of the
//! purge is one transaction and one audit entry with counts only; the per-(batch, keeper) sums
//! of the purged lines' batches are summed again in it.

use super::keepers::{self, KeeperKey};
use super::{LedgerResult, params};
use crate::Store;
use crate::audit::{self, Actor, Event};
use serde_json::json;
use sqlx::{AssertSqlSafe, Row};
use std::collections::{BTreeMap, BTreeSet};
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;

/// What a purge removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub lines: u64,
    pub vouchers: u64,
}

/// Correction chains looked at per transaction.
const PAGE: usize = 500;

impl Store {
    /// Purges every ledger line whose retention date is before `today` (a line is kept through
    /// its `retain_until` day), chain by chain: a line and the lines correcting it (and those
    /// correcting them) go together, and only when all of them are past their date. A voucher
    /// photo goes with its line unless another line, a case attachment or an incident's evidence
    /// still names it. Each page of chains is one transaction with one `ledger.purge` audit entry
    /// (counts only).
    pub async fn ledger_purge_expired(&self, actor: &Actor, today: Date) -> LedgerResult<Purged> {
        let mut total = Purged::default();
        let mut after: (i64, String) = (i64::MIN, String::new());
        loop {
            let mut tx = self.begin().await?;
            // The originals (lines correcting nothing) past their date, in pages.
            let roots = sqlx::query(
                "SELECT id, retain_until FROM ledger_entries WHERE corrects IS NULL AND retain_until < $1 \
                 AND (retain_until > $2 OR (retain_until = $2 AND id > $3)) ORDER BY retain_until, id LIMIT $4",
            )
            .bind(today.0)
            .bind(after.0)
            .bind(&after.1)
            .bind(PAGE as i64)
            .fetch_all(&mut *tx)
            .await?;
            let roots: Vec<(String, i64)> = crate::rows::all(roots, ["id", "retain_until"])?;
            let Some(last) = roots.last() else { break };
            after = (last.1, last.0.clone());
            let sql = format!(
                "WITH RECURSIVE chain (root, id) AS (SELECT id, id FROM ledger_entries WHERE id IN ({}) \
                 UNION ALL SELECT chain.root, c.id FROM chain JOIN ledger_entries c ON c.corrects = chain.id) \
                 SELECT chain.root, chain.id, e.retain_until, e.voucher_sha256, e.gtin, e.batch, e.uscc FROM chain \
                 JOIN ledger_entries e ON e.id = chain.id",
                params(1, roots.len())
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (id, _) in &roots {
                q = q.bind(id);
            }
            // Per chain: its lines, their vouchers, their batches' keeper sums, and whether all
            // are past their date.
            type Chain = (Vec<String>, Vec<String>, Vec<KeeperKey>, bool);
            let mut chains: BTreeMap<String, Chain> = BTreeMap::new();
            for row in q.fetch_all(&mut *tx).await? {
                let root: String = row.try_get("root")?;
                let slot = chains.entry(root).or_insert((Vec::new(), Vec::new(), Vec::new(), true));
                slot.0.push(row.try_get("id")?);
                if let Some(v) = row.try_get::<Option<String>, _>("voucher_sha256")? {
                    slot.1.push(v);
                }
                if let Some(batch) = row.try_get::<Option<String>, _>("batch")? {
                    slot.2.push((row.try_get("gtin")?, batch, row.try_get("uscc")?));
                }
                slot.3 &= row.try_get::<i64, _>("retain_until")? < today.0;
            }
            let (mut ids, mut vouchers, mut keys) = (Vec::new(), BTreeSet::new(), BTreeSet::new());
            for (lines, v, k, past) in chains.into_values() {
                if past {
                    ids.extend(lines);
                    vouchers.extend(v);
                    keys.extend(k);
                }
            }
            if ids.is_empty() {
                tx.commit().await?;
                continue;
            }
            // The keepers' turns to write, in order, before their sums change.
            let keepers_of: BTreeSet<&str> = keys.iter().map(|k| k.2.as_str()).collect();
            for uscc in keepers_of {
                super::write_checks::lock_enterprise(&mut tx, uscc).await?;
            }
            sqlx::query("INSERT INTO ledger_purge_window (day) VALUES ($1)").bind(today.0).execute(&mut *tx).await?;
            let mut lines = 0;
            for part in ids.chunks(1_000) {
                let sql = format!("DELETE FROM ledger_entries WHERE id IN ({})", params(1, part.len()));
                let mut q = sqlx::query(AssertSqlSafe(sql));
                for id in part {
                    q = q.bind(id);
                }
                lines += q.execute(&mut *tx).await?.rows_affected();
            }
            sqlx::query("DELETE FROM ledger_purge_window").execute(&mut *tx).await?;
            // The purged lines' batches: each keeper's sums of what is left.
            keepers::refresh(&mut tx, &keys).await?;
            let mut gone = 0;
            for sha in &vouchers {
                gone += sqlx::query(
                    "DELETE FROM blobs WHERE sha256 = $1 \
                     AND NOT EXISTS (SELECT 1 FROM ledger_entries WHERE voucher_sha256 = $1) \
                     AND NOT EXISTS (SELECT 1 FROM case_attachments WHERE sha256 = $1) \
                     AND NOT EXISTS (SELECT 1 FROM incident_evidence WHERE original_sha256 = $1 OR published_sha256 = $1)",
                )
                .bind(sha)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            }
            let event = Event::new("ledger.purge", "ledger", Outcome::Success)
                .detail(json!({"lines": lines, "vouchers": gone}));
            audit::append(&mut tx, actor, event).await?;
            tx.commit().await?;
            total.lines += lines;
            total.vouchers += gone;
        }
        Ok(total)
    }
}
