//! 预警 and 治理成效: early warnings raised by the insights scan (with the cases behind them,
//! acknowledged, assigned and closed by supervisors, every step audited), campaigns whose effect
//! is measured before and after, and the counts the public statistics need beyond the roll-ups.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;

/// A warning as raised by a scan.
#[derive(Debug, Clone, PartialEq)]
pub struct NewWarning {
    /// `enterprise_spike`, `prepaid_spike`, `category_surge`.
    pub rule: String,
    /// `enterprise@region` or `category@region`.
    pub subject: String,
    /// Region code of the bureau whose cases raised it ('' for warnings from before scoping).
    pub bureau: String,
    pub label: String,
    pub window_end: i64,
    pub observed: i64,
    pub expected: String,
    pub p_value: String,
    pub case_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WarningRow {
    pub id: String,
    pub w: NewWarning,
    /// `open`, `acknowledged`, `assigned`, `closed`.
    pub status: String,
    pub assigned_to: Option<String>,
    pub note: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const WARNING_COLUMNS: &str = "id, rule, subject, label, window_end, observed, expected, p_value, case_ids, status, \
    assigned_to, note, created_at, updated_at, bureau";
const WARNING_NAMES: [&str; 15] = [
    "id",
    "rule",
    "subject",
    "label",
    "window_end",
    "observed",
    "expected",
    "p_value",
    "case_ids",
    "status",
    "assigned_to",
    "note",
    "created_at",
    "updated_at",
    "bureau",
];

type WarningTuple = (
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    i64,
    i64,
    String,
);

fn warning_of(t: WarningTuple) -> WarningRow {
    WarningRow {
        id: t.0,
        w: NewWarning {
            rule: t.1,
            subject: t.2,
            label: t.3,
            window_end: t.4,
            observed: t.5,
            expected: t.6,
            p_value: t.7,
            case_ids: serde_json::from_str(&t.8).unwrap_or_default(),
            bureau: t.14,
        },
        status: t.9,
        assigned_to: t.10,
        note: t.11,
        created_at: t.12,
        updated_at: t.13,
    }
}

/// A campaign (治理行动): what was done from when, and what measures its effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRow {
    pub id: String,
    pub title: String,
    /// `guide`, `training`, `inspection_wave`.
    pub kind: String,
    pub start_day: i64,
    pub window_days: i64,
    /// `category_share:<code>`, `on_time`, `mediation_success`, `inspection_pass`.
    pub measure: String,
    /// Region scope ("" for everywhere).
    pub bureau: String,
    pub note: String,
    pub created_by: String,
    pub created_at: i64,
}

type CampaignTuple = (String, String, String, i64, i64, String, String, String, String, i64);

fn campaign_of(t: CampaignTuple) -> CampaignRow {
    CampaignRow {
        id: t.0,
        title: t.1,
        kind: t.2,
        start_day: t.3,
        window_days: t.4,
        measure: t.5,
        bureau: t.6,
        note: t.7,
        created_by: t.8,
        created_at: t.9,
    }
}

const CAMPAIGN_COLUMNS: &str = "id, title, kind, start_day, window_days, measure, bureau, note, created_by, created_at";
const CAMPAIGN_NAMES: [&str; 10] =
    ["id", "title", "kind", "start_day", "window_days", "measure", "bureau", "note", "created_by", "created_at"];

impl Store {
    /// Records a warning unless the same rule already has one open (not closed) on the same
    /// subject from the last seven days. Returns its id when it was new.
    pub async fn raise_warning(&self, w: &NewWarning) -> Result<Option<String>> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "INSERT INTO warnings (id, rule, subject, label, window_end, observed, expected, p_value, case_ids, \
             status, assigned_to, note, created_at, updated_at, bureau) \
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, 'open', NULL, '', $10, $10, $11 \
             WHERE NOT EXISTS (SELECT 1 FROM warnings WHERE rule = $2 AND subject = $3 \
             AND (window_end = $5 OR (status <> 'closed' AND window_end > $5 - 7))) \
             ON CONFLICT (rule, subject, window_end) DO NOTHING",
        )
        .bind(&id)
        .bind(&w.rule)
        .bind(&w.subject)
        .bind(&w.label)
        .bind(w.window_end)
        .bind(w.observed)
        .bind(&w.expected)
        .bind(&w.p_value)
        .bind(serde_json::to_string(&w.case_ids).expect("strings serialise"))
        .bind(now)
        .bind(&w.bureau)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(None);
        }
        let detail = json!({ "rule": w.rule, "observed": w.observed, "expected": w.expected });
        audit::append(
            &mut tx,
            &Actor::console(),
            Event::new("warning.raise", format!("warning:{id}"), Outcome::Success).detail(detail),
        )
        .await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Warnings, newest first; `statuses` empty means all.
    /// Warnings in `statuses` (all when empty) raised by one of `bureaus` (any when `None`),
    /// newest first.
    pub async fn warnings(&self, statuses: &[&str], bureaus: Option<&[String]>, limit: i64) -> Result<Vec<WarningRow>> {
        let mut w = crate::filter::Where::new();
        w.any_of("status", statuses.iter().copied());
        if let Some(b) = bureaus {
            if b.is_empty() {
                return Ok(Vec::new());
            }
            w.any_of("bureau", b);
        }
        let limit = w.placeholder(limit.clamp(1, 1000).into());
        let sql =
            format!("SELECT {WARNING_COLUMNS} FROM warnings{} ORDER BY created_at DESC, id LIMIT {limit}", w.sql());
        let q = w.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        let rows: Vec<WarningTuple> = crate::rows::all(q.fetch_all(&self.pool).await?, WARNING_NAMES)?;
        Ok(rows.into_iter().map(warning_of).collect())
    }

    pub async fn warning(&self, id: &str) -> Result<WarningRow> {
        let sql = format!("SELECT {WARNING_COLUMNS} FROM warnings WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        crate::rows::one::<WarningTuple, 15>(row, WARNING_NAMES)?.map(warning_of).ok_or(StoreError::NotFound)
    }

    /// Moves a warning on (acknowledge, assign, close) if it is still in `from`; audited.
    pub async fn update_warning(
        &self,
        actor: &Actor,
        id: &str,
        from: &str,
        to: &str,
        assigned_to: Option<&str>,
        note: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE warnings SET status = $1, assigned_to = COALESCE($2, assigned_to), note = $3, updated_at = $4 \
             WHERE id = $5 AND status = $6",
        )
        .bind(to)
        .bind(assigned_to)
        .bind(note)
        .bind(self.now_ms())
        .bind(id)
        .bind(from)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Err(match self.warning(id).await {
                Ok(_) => StoreError::from(crate::conflict::WarningConflict::ChangedMeanwhile),
                Err(e) => e,
            });
        }
        let action = match to {
            "acknowledged" => "warning.acknowledge",
            "assigned" => "warning.assign",
            _ => "warning.close",
        };
        let detail = json!({ "from": from, "to": to, "assigned_to": assigned_to });
        audit::append(&mut tx, actor, Event::new(action, format!("warning:{id}"), Outcome::Success).detail(detail))
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Up to `limit` cases behind a warning: about the enterprise (key = USCC or name), or in a
    /// category and region, received in `from_day..=to_day`, newest first.
    pub async fn cases_behind(
        &self,
        enterprise: Option<&str>,
        category: Option<&str>,
        region: Option<&str>,
        from_day: i64,
        to_day: i64,
        limit: i64,
    ) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM cases WHERE received_day >= $1 AND received_day <= $2 \
             AND ($3 = '' OR COALESCE(enterprise_uscc, enterprise_name) = $3) \
             AND ($4 = '' OR category = $4) AND ($5 = '' OR region_code = $5) \
             ORDER BY received_at DESC, id LIMIT $6",
        )
        .bind(from_day)
        .bind(to_day)
        .bind(enterprise.unwrap_or(""))
        .bind(category.unwrap_or(""))
        .bind(region.unwrap_or(""))
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn create_campaign(&self, actor: &Actor, c: &CampaignRow) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        let sql =
            format!("INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&id)
            .bind(&c.title)
            .bind(&c.kind)
            .bind(c.start_day)
            .bind(c.window_days)
            .bind(&c.measure)
            .bind(&c.bureau)
            .bind(&c.note)
            .bind(&actor.id)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("campaign.create", format!("campaign:{id}"), Outcome::Success)
                .detail(json!({ "measure": c.measure, "start_day": c.start_day })),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn campaigns(&self) -> Result<Vec<CampaignRow>> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns ORDER BY start_day DESC, id");
        let rows: Vec<CampaignTuple> =
            crate::rows::all(sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?, CAMPAIGN_NAMES)?;
        Ok(rows.into_iter().map(campaign_of).collect())
    }

    pub async fn campaign(&self, id: &str) -> Result<CampaignRow> {
        let sql = format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        crate::rows::one::<CampaignTuple, 10>(row, CAMPAIGN_NAMES)?.map(campaign_of).ok_or(StoreError::NotFound)
    }

    /// Inspection results recorded in `from_ms..to_ms` per category; with `regions`, only those
    /// of targets whose directory entry lies in one of those region codes (a bureau's tree).
    pub async fn inspection_result_counts(
        &self,
        from_ms: i64,
        to_ms: i64,
        regions: Option<&[String]>,
    ) -> Result<Vec<(String, i64)>> {
        let within = match regions {
            Some([]) => return Ok(Vec::new()),
            Some(r) => format!(
                " JOIN inspection_targets t ON t.uscc = r.uscc AND t.region_code IN ({})",
                (3..r.len() + 3).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT r.category AS category, COUNT(*) AS n FROM inspection_results r{within} \
             WHERE r.recorded_at >= $1 AND r.recorded_at < $2 GROUP BY r.category ORDER BY r.category"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_ms).bind(to_ms);
        for region in regions.unwrap_or_default() {
            q = q.bind(region.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        crate::rows::all(rows, ["category", "n"])
    }

    /// For ODR enterprises with complaints received in `from_day..=to_day` (in the bureaus of
    /// `regions` when given): (enterprise key, complaints that started in 先行和解, of which
    /// settled there directly).
    pub async fn odr_settlement_counts(
        &self,
        from_day: i64,
        to_day: i64,
        regions: Option<&[String]>,
    ) -> Result<Vec<(String, i64, i64)>> {
        let within = match regions {
            Some([]) => return Ok(Vec::new()),
            Some(r) => format!(
                " AND c.region_code IN ({})",
                (3..r.len() + 3).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
            ),
            None => String::new(),
        };
        let sql = format!(
            "SELECT COALESCE(c.enterprise_uscc, c.enterprise_name) AS enterprise, COUNT(*) AS n, \
             SUM(CASE WHEN EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = c.id \
                 AND e.action = 'settlement.accept' AND e.from_status = 'settling') THEN 1 ELSE 0 END) AS settled \
             FROM cases c WHERE c.kind = 'complaint' AND c.settle_until IS NOT NULL \
             AND c.received_day >= $1 AND c.received_day <= $2{within} \
             GROUP BY COALESCE(c.enterprise_uscc, c.enterprise_name)"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_day).bind(to_day);
        for r in regions.unwrap_or_default() {
            q = q.bind(r);
        }
        let rows: Vec<(String, i64, Option<i64>)> =
            crate::rows::all(q.fetch_all(&self.pool).await?, ["enterprise", "n", "settled"])?;
        Ok(rows.into_iter().map(|(k, n, d)| (k, n, d.unwrap_or(0))).collect())
    }

    /// Narratives whose complainants agreed to publication, about these enterprises, newest
    /// first, at most `per_enterprise` each: the public form (every span dropped whole), or the
    /// masked one for a case from before public forms were kept (the caller drops its fragments).
    /// With `confirmed_only` (the bureau requires the officer's masking review), only narratives
    /// whose masking an officer confirmed: public text never gets ahead of that review.
    pub async fn consented_narratives(
        &self,
        keys: &[String],
        from_day: i64,
        per_enterprise: usize,
        regions: Option<&[String]>,
        confirmed_only: bool,
    ) -> Result<std::collections::HashMap<String, Vec<String>>> {
        let mut out: std::collections::HashMap<String, Vec<String>> = std::collections::HashMap::new();
        if regions.is_some_and(|r| r.is_empty()) {
            return Ok(out);
        }
        for chunk in keys.chunks(100) {
            let list = (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let at = chunk.len() + 2;
            let within = regions.map_or(String::new(), |r| {
                format!(
                    " AND region_code IN ({})",
                    (at..at + r.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
                )
            });
            // Only complaints the bureau took up are published.
            let confirmed = if confirmed_only { " AND privacy_confirmed_at IS NOT NULL" } else { "" };
            let sql = format!(
                "SELECT COALESCE(enterprise_uscc, enterprise_name) AS enterprise, \
                 COALESCE(narrative_public, narrative_masked) AS narrative FROM cases \
                 WHERE consent_publish = 1 AND kind = 'complaint' AND received_day >= $1 \
                 AND status NOT IN ('settling', 'awaiting_acceptance', 'rejected') \
                 AND COALESCE(enterprise_uscc, enterprise_name) IN ({list}){within}{confirmed} ORDER BY received_at DESC"
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_day);
            for k in chunk {
                q = q.bind(k);
            }
            for r in regions.unwrap_or_default() {
                q = q.bind(r);
            }
            let rows: Vec<(String, String)> =
                crate::rows::all(q.fetch_all(&self.pool).await?, ["enterprise", "narrative"])?;
            for (k, text) in rows {
                let list = out.entry(k).or_default();
                if list.len() < per_enterprise {
                    list.push(text);
                }
            }
        }
        Ok(out)
    }
}
