//! 资格证书、花名册与年度复审 in storage: certificates and their state, annual reviews, and the
//! evidence a review reads from the platform itself (cases, ratings, recusals, identity reads,
//! work logs). State changes are audited with their reason.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, Tx, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::qualification::{Certificate, CertificateState, RosterStatus};

/// Days before a review falls due that the roster shows 待复审.
pub const REVIEW_WINDOW_DAYS: u32 = 30;
/// The setting that switches routing eligibility off (default: on).
pub const REQUIRE_CERTIFICATE: &str = "qualification.require_certificate";

#[derive(Debug, Clone)]
pub struct CertificateRow {
    pub certificate: Certificate,
    pub holder_name: String,
    pub holder_org: Option<String>,
    pub assessment_id: Option<String>,
    /// The supervisor who asked to lift the suspension, waiting for a second one (四眼原则).
    pub reinstate_requested_by: Option<String>,
}

/// What the platform knows of an officer's year (see [`Store::officer_evidence`]).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OfficerEvidence {
    pub cases_handled: i64,
    pub closed: i64,
    pub closed_on_time: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub mediations: i64,
    pub mediations_settled: i64,
    pub recusals: i64,
    pub ties_declared: i64,
    pub identity_reads: i64,
    pub identity_reads_off_case: i64,
    pub work_logs: i64,
    /// 廉洁登记 entries recorded in the year, and how many were 请托.
    #[serde(default)]
    pub integrity_entries: i64,
    #[serde(default)]
    pub improper_requests: i64,
    /// 突发事件 reviewed (复盘) in the year on whose team the officer was.
    #[serde(default)]
    pub incident_reviews: i64,
}

/// One recorded annual review.
#[derive(Debug, Clone)]
pub struct ReviewRow {
    pub id: String,
    pub year: i64,
    /// JSON: the evidence and the reviewer's entries.
    pub evidence: String,
    pub note: String,
    pub reviewed_by: String,
    pub reviewed_on: i64,
}

type CertTuple = (
    String,
    String,
    Option<String>,
    i64,
    i64,
    String,
    Option<i64>,
    String,
    Option<i64>,
    String,
    Option<String>,
    Option<String>,
);

fn certificate_of(t: CertTuple) -> CertificateRow {
    let (number, holder, assessment_id, issued, valid_until, state, since, reason, last_review, name, org, request) = t;
    let state = match state.as_str() {
        "suspended" => CertificateState::Suspended { since: Date(since.unwrap_or(issued)), reason },
        "revoked" => CertificateState::Revoked { on: Date(since.unwrap_or(issued)), reason },
        _ => CertificateState::Active,
    };
    CertificateRow {
        certificate: Certificate {
            number,
            holder,
            issued: Date(issued),
            valid_until: Date(valid_until),
            last_reviewed: last_review.map(Date),
            state,
        },
        holder_name: name,
        holder_org: org,
        assessment_id,
        reinstate_requested_by: request,
    }
}

const CERT_SELECT: &str = "SELECT c.number, c.holder_id, c.assessment_id, c.issued_on, c.valid_until, c.state, \
     c.state_since, c.reason, c.last_review, u.display_name, u.org_id, c.reinstate_requested_by FROM qual_certificates c \
     JOIN users u ON u.id = c.holder_id";
const CERT_NAMES: [&str; 12] = [
    "number",
    "holder_id",
    "assessment_id",
    "issued_on",
    "valid_until",
    "state",
    "state_since",
    "reason",
    "last_review",
    "display_name",
    "org_id",
    "reinstate_requested_by",
];

fn state_columns(state: &CertificateState) -> (&'static str, Option<i64>, &str) {
    match state {
        CertificateState::Active => ("active", None, ""),
        CertificateState::Suspended { since, reason } => ("suspended", Some(since.0), reason),
        CertificateState::Revoked { on, reason } => ("revoked", Some(on.0), reason),
    }
}

/// Inserts a certificate numbered with the next sequence after `prefix` (`KHTYG-RRRRRR-YYYY-`).
pub(crate) async fn insert_next(
    tx: &mut Tx,
    prefix: &str,
    holder: &str,
    assessment: Option<&str>,
    issued: i64,
    valid_until: i64,
) -> Result<String> {
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM qual_certificates WHERE number LIKE $1")
        .bind(format!("{prefix}%"))
        .fetch_one(&mut **tx)
        .await?;
    let number = format!("{prefix}{:05}", count + 1);
    sqlx::query(
        "INSERT INTO qual_certificates (number, holder_id, assessment_id, issued_on, valid_until, state, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'active', $6)",
    )
    .bind(&number)
    .bind(holder)
    .bind(assessment)
    .bind(issued)
    .bind(valid_until)
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(number)
}

impl Store {
    /// All certificates (the roster), holders' names with them, newest first.
    pub async fn certificates(&self, holder: Option<&str>) -> Result<Vec<CertificateRow>> {
        let sql = match holder {
            Some(_) => format!("{CERT_SELECT} WHERE c.holder_id = $1 ORDER BY c.issued_on DESC, c.number DESC"),
            None => format!("{CERT_SELECT} ORDER BY c.issued_on DESC, c.number DESC"),
        };
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(h) = holder {
            q = q.bind(h);
        }
        let rows: Vec<CertTuple> = crate::rows::all(q.fetch_all(&self.pool).await?, CERT_NAMES)?;
        Ok(rows.into_iter().map(certificate_of).collect())
    }

    pub async fn certificate(&self, number: &str) -> Result<CertificateRow> {
        let sql = format!("{CERT_SELECT} WHERE c.number = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(number).fetch_optional(&self.pool).await?;
        let row: Option<CertTuple> = crate::rows::one(row, CERT_NAMES)?;
        row.map(certificate_of).ok_or(StoreError::NotFound)
    }

    /// Registers a certificate issued before the platform (or by another bureau's process).
    pub async fn register_certificate(
        &self,
        actor: &Actor,
        prefix: &str,
        holder: &str,
        issued: i64,
        valid_until: i64,
    ) -> Result<String> {
        let mut tx = self.begin().await?;
        let number = insert_next(&mut tx, prefix, holder, None, issued, valid_until).await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("certificate.register", format!("certificate:{number}"), Outcome::Success)
                .detail(json!({"holder": holder})),
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// Stores a certificate's new state (suspended, revoked, reinstated) with its reason in the
    /// audit trail.
    pub async fn update_certificate(&self, actor: &Actor, cert: &Certificate, action: &'static str) -> Result<()> {
        let (state, since, reason) = state_columns(&cert.state);
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE qual_certificates SET state = $1, state_since = $2, reason = $3, last_review = $4, updated_at = $5, \
             reinstate_requested_by = NULL WHERE number = $6",
        )
        .bind(state)
        .bind(since)
        .bind(reason)
        .bind(cert.last_reviewed.map(|d| d.0))
        .bind(self.now_ms())
        .bind(&cert.number)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::NotFound);
        }
        audit::append(
            &mut tx,
            actor,
            Event::new(action, format!("certificate:{}", cert.number), Outcome::Success)
                .detail(json!({"state": state, "reason": reason})),
        )
        .await?;
        tx.commit().await
    }

    /// The first of two supervisors asks to lift a suspension (四眼原则); audited. Refused when
    /// the certificate is no longer suspended or someone asked meanwhile.
    pub async fn request_reinstatement(&self, actor: &Actor, number: &str, reason: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE qual_certificates SET reinstate_requested_by = $1, updated_at = $2 \
             WHERE number = $3 AND state = 'suspended' AND reinstate_requested_by IS NULL",
        )
        .bind(&actor.id)
        .bind(tx.now_ms())
        .bind(number)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            tx.rollback().await?;
            return Err(StoreError::from(crate::conflict::QualificationConflict::ReinstatementPending));
        }
        audit::append(
            &mut tx,
            actor,
            Event::new("certificate.reinstate_request", format!("certificate:{number}"), Outcome::Success)
                .detail(json!({ "reason": reason })),
        )
        .await?;
        tx.commit().await
    }

    /// Records an annual review and the review date on the holder's current certificate.
    pub async fn record_review(
        &self,
        actor: &Actor,
        number: &str,
        year: i64,
        evidence: &str,
        note: &str,
        on: Date,
    ) -> Result<String> {
        let cert = self.certificate(number).await?;
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO qual_reviews (id, holder_id, year, evidence, note, reviewed_by, reviewed_on) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&cert.certificate.holder)
        .bind(year)
        .bind(evidence)
        .bind(note)
        .bind(&actor.id)
        .bind(on.0)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE qual_certificates SET last_review = $1, updated_at = $2 WHERE number = $3")
            .bind(on.0)
            .bind(self.now_ms())
            .bind(number)
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("certificate.review", format!("certificate:{number}"), Outcome::Success)
                .detail(json!({"year": year})),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn reviews(&self, holder: &str) -> Result<Vec<ReviewRow>> {
        let rows: Vec<(String, i64, String, String, String, i64)> = crate::rows::all(
            sqlx::query(
                "SELECT id, year, evidence, note, reviewed_by, reviewed_on FROM qual_reviews WHERE holder_id = $1 \
             ORDER BY year DESC, reviewed_on DESC",
            )
            .bind(holder)
            .fetch_all(&self.pool)
            .await?,
            ["id", "year", "evidence", "note", "reviewed_by", "reviewed_on"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, year, evidence, note, reviewed_by, reviewed_on)| ReviewRow {
                id,
                year,
                evidence,
                note,
                reviewed_by,
                reviewed_on,
            })
            .collect())
    }

    /// Whether a person may be offered cases today: routing requires a certificate that is 在岗
    /// or 待复审, unless the bureau switched the requirement off.
    pub async fn may_take_cases(&self, user_id: &str, today: Date) -> Result<bool> {
        if !self.setting::<bool>(REQUIRE_CERTIFICATE).await?.unwrap_or(true) {
            return Ok(true);
        }
        let certs = self.certificates(Some(user_id)).await?;
        Ok(certs.iter().any(|c| c.certificate.status_on(today, REVIEW_WINDOW_DAYS).can_take_cases()))
    }

    /// The roster status of a person's best certificate, if any.
    pub async fn roster_status(&self, user_id: &str, today: Date) -> Result<Option<RosterStatus>> {
        let certs = self.certificates(Some(user_id)).await?;
        Ok(certs.iter().map(|c| c.certificate.status_on(today, REVIEW_WINDOW_DAYS)).min_by_key(|s| match s {
            RosterStatus::OnDuty => 0,
            RosterStatus::ReviewDue => 1,
            RosterStatus::Suspended => 2,
            RosterStatus::Revoked => 3,
        }))
    }

    /// An officer's work between two instants (epoch ms, `[from, to)`), from the platform's own
    /// records: cases assigned, closed (on time), ratings, mediations, step-asides, declared ties,
    /// identity reads (and those of cases not assigned to them), work-log entries.
    pub async fn officer_evidence(&self, user_id: &str, from: i64, to: i64) -> Result<OfficerEvidence> {
        let (handled, closed, on_time, rated, rating_sum, mediations, settled): (i64, i64, i64, i64, i64, i64, i64) =
            crate::rows::row(
                sqlx::query(
                    "SELECT COUNT(*) AS handled, \
                     CAST(COALESCE(SUM(CASE WHEN closed_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS closed, \
                     CAST(COALESCE(SUM(CASE WHEN closed_on_time = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS on_time, \
                     CAST(COALESCE(SUM(CASE WHEN rating IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) AS rated, \
                     CAST(COALESCE(SUM(COALESCE(rating, 0)), 0) AS BIGINT) AS rating_sum, \
                     CAST(COALESCE(SUM(CASE WHEN mediation_success IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT) \
                     AS mediations, \
                     CAST(COALESCE(SUM(CASE WHEN mediation_success = 1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS settled \
                     FROM cases WHERE assigned_to = $1 AND received_at >= $2 AND received_at < $3",
                )
                .bind(user_id)
                .bind(from)
                .bind(to)
                .fetch_one(&self.pool)
                .await?,
                ["handled", "closed", "on_time", "rated", "rating_sum", "mediations", "settled"],
            )?;
        let count = |sql: &'static str| async move {
            let (n,): (i64,) = sqlx::query_as(sql).bind(user_id).bind(from).bind(to).fetch_one(&self.pool).await?;
            Ok::<i64, StoreError>(n)
        };
        let recusals =
            count("SELECT COUNT(*) FROM case_recusals WHERE user_id = $1 AND at_ms >= $2 AND at_ms < $3").await?;
        let ties = count(
            "SELECT COUNT(*) FROM ties WHERE user_id = $1 AND declared_at >= $2 AND declared_at < $3 \
                   AND kind <> 'improper_request'",
        )
        .await?;
        let reads = count(
            "SELECT COUNT(*) FROM audit_log WHERE actor_id = $1 AND action = 'case.identity.read' \
             AND at_ms >= $2 AND at_ms < $3",
        )
        .await?;
        let off_case = count(
            "SELECT COUNT(*) FROM audit_log a WHERE a.actor_id = $1 AND a.action = 'case.identity.read' \
             AND a.at_ms >= $2 AND a.at_ms < $3 AND NOT EXISTS \
             (SELECT 1 FROM cases c WHERE 'case:' || c.id = a.target AND c.assigned_to = a.actor_id)",
        )
        .await?;
        let logs =
            count("SELECT COUNT(*) FROM work_logs WHERE user_id = $1 AND created_at >= $2 AND created_at < $3").await?;
        let integrity_entries =
            count("SELECT COUNT(*) FROM integrity_entries WHERE user_id = $1 AND created_at >= $2 AND created_at < $3")
                .await?;
        let improper_requests = count(
            "SELECT COUNT(*) FROM integrity_entries WHERE user_id = $1 AND created_at >= $2 AND created_at < $3 \
             AND kind = 'improper_request'",
        )
        .await?;
        let incident_reviews = count(
            "SELECT COUNT(*) FROM incident_reviews r JOIN incident_team t ON t.incident_id = r.incident_id \
             WHERE t.user_id = $1 AND r.written_at >= $2 AND r.written_at < $3",
        )
        .await?;
        Ok(OfficerEvidence {
            incident_reviews,
            integrity_entries,
            improper_requests,
            cases_handled: handled,
            closed,
            closed_on_time: on_time,
            rated,
            rating_sum,
            mediations,
            mediations_settled: settled,
            recusals,
            ties_declared: ties,
            identity_reads: reads,
            identity_reads_off_case: off_case,
            work_logs: logs,
        })
    }
}
