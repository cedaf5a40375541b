//! 突发事件: incidents of one bureau with their team, linked cases and warnings, media items,
//! products by GTIN and batch, measures on legal clocks and the bureau's promises; every view
//! recorded. Rows are read by column name into the domain's types (an unknown value is an error,
//! never a default) and each write answers a typed conflict.

mod drills;
mod evidence;
mod read;
mod reminders;
mod retest;
mod review;
mod statements;
mod team;

use crate::audit::{self, Actor, Event};
use crate::{Store, StoreError, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::incidents::{ClockKind, LinkKind, Measure, MediaItem, Product, Promise, Testing};

pub use drills::{LeakDrill, NewLeakDrill};
pub use evidence::{Evidence, SealedFile};
pub use read::{IncidentSummary, ViewRecord};
pub use reminders::Reminder;
pub use retest::RetestLab;
pub use review::Review;
pub use statements::{Statement, StatementStatus};
pub use team::TeamChange;

/// Why an incident operation did not happen.
#[derive(Debug, thiserror::Error)]
pub enum IncidentError {
    #[error("事件或其记录不存在")]
    NotFound,
    #[error("{0}")]
    Conflict(IncidentConflict),
    /// A stored value Xinqiao does not know (never read as a default).
    #[error("stored incident data: {table}.{column} holds an unknown value")]
    BadRow { table: &'static str, column: &'static str },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for IncidentError {
    fn from(e: sqlx::Error) -> Self {
        match StoreError::from(e) {
            StoreError::NotFound => IncidentError::NotFound,
            other => IncidentError::Store(other),
        }
    }
}

/// What someone else did first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IncidentConflict {
    #[error("该诉求或预警已关联到本事件")]
    AlreadyLinked,
    #[error("该商品批次已列入本事件")]
    ProductListed,
    #[error("该措施已延长过一次，不能再次延长")]
    AlreadyExtended,
    #[error("该措施已办结，不能再更改")]
    MeasureDone,
    #[error("该承诺已标记兑现")]
    PromiseKept,
    #[error("该商业秘密条目已申报")]
    SecretDeclared,
    #[error("该声明已由他人先行发布")]
    AlreadyPublished,
    #[error("该演练已结束，结论不能再改")]
    DrillClosed,
    #[error("该复检申请已随机确定复检机构，不能重新抽取")]
    RetestDrawn,
}

pub type Result<T> = std::result::Result<T, IncidentError>;

/// An incident with everything it gathers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub enterprise_name: String,
    pub enterprise_uscc: Option<Uscc>,
    pub owner_id: String,
    pub created_by: String,
    pub created_at: i64,
    pub team: Vec<String>,
    /// Linked cases and warnings, oldest link first.
    pub links: Vec<(LinkKind, String)>,
    pub media: Vec<MediaItem>,
    pub products: Vec<Product>,
    pub measures: Vec<Measure>,
    pub promises: Vec<Promise>,
    /// The re-test laboratories drawn for its re-test requests.
    pub retest_labs: Vec<RetestLab>,
}

impl Incident {
    pub fn measure(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }

    /// The laboratory drawn for a re-test request, if drawn.
    pub fn retest_lab(&self, measure: &str) -> Option<&RetestLab> {
        self.retest_labs.iter().find(|r| r.measure_id == measure)
    }
}

#[derive(Debug, Clone)]
pub struct NewIncident {
    pub org_id: String,
    pub title: String,
    pub enterprise_name: String,
    pub enterprise_uscc: Option<Uscc>,
    pub owner_id: String,
    pub team: Vec<String>,
}

fn event(action: &'static str, incident: &str) -> Event {
    Event::new(action, format!("incident:{incident}"), Outcome::Success)
}

impl Store {
    pub async fn create_incident(&self, actor: &Actor, new: &NewIncident) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incidents (id, org_id, title, enterprise_name, enterprise_uscc, owner_id, created_by, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
        )
        .bind(&id)
        .bind(&new.org_id)
        .bind(&new.title)
        .bind(&new.enterprise_name)
        .bind(new.enterprise_uscc.as_ref().map(Uscc::as_str))
        .bind(&new.owner_id)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let mut team = new.team.clone();
        team.push(new.owner_id.clone());
        team.sort();
        team.dedup();
        for user in &team {
            sqlx::query("INSERT INTO incident_team (incident_id, user_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        audit::append(&mut tx, actor, event("incident.create", &id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that `actor` opened the incident (every view, in the audit chain and in the
    /// incident's own list of viewers).
    pub async fn record_incident_view(&self, actor: &Actor, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query("INSERT INTO incident_views (incident_id, user_id, viewed_at) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(&actor.id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        audit::append(&mut tx, actor, event("incident.view", id)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn link_incident(&self, actor: &Actor, id: &str, kind: LinkKind, target: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "INSERT INTO incident_links (incident_id, kind, target_id, linked_by, linked_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (incident_id, kind, target_id) DO NOTHING",
        )
        .bind(id)
        .bind(kind.key())
        .bind(target)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::Conflict(IncidentConflict::AlreadyLinked));
        }
        let e = event("incident.link", id).detail(json!({"kind": kind.key(), "target": target}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_incident_media(&self, actor: &Actor, id: &str, item: &MediaItem) -> Result<String> {
        let media_id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_media (id, incident_id, url, excerpt, seen_at, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&media_id)
        .bind(id)
        .bind(item.url.as_str())
        .bind(&item.excerpt)
        .bind(item.seen_at_ms)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.media", id)).await?;
        tx.commit().await?;
        Ok(media_id)
    }

    pub async fn add_incident_product(&self, actor: &Actor, id: &str, product: &Product) -> Result<()> {
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let done = sqlx::query(
            "INSERT INTO incident_products (incident_id, gtin, batch, added_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (incident_id, gtin, batch) DO NOTHING",
        )
        .bind(id)
        .bind(product.gtin.as_str())
        .bind(product.batch.as_str())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(IncidentError::Conflict(IncidentConflict::ProductListed));
        }
        let e = event("incident.product", id).detail(json!({"gtin": product.gtin.as_str()}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_incident_measure(
        &self,
        actor: &Actor,
        id: &str,
        clock: ClockKind,
        title: &str,
        started_on: Date,
    ) -> Result<String> {
        let measure_id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_measures (id, incident_id, clock, title, started_on, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&measure_id)
        .bind(id)
        .bind(clock.key())
        .bind(title)
        .bind(started_on.0)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let e = event("incident.measure", id).detail(json!({"clock": clock.key(), "measure": measure_id}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(measure_id)
    }

    /// The one extension of a measure, approved on `on` by `approver` (checked by the caller
    /// against the clock's rule); a second extension or a finished measure is a conflict.
    pub async fn extend_incident_measure(
        &self,
        actor: &Actor,
        id: &str,
        measure: &str,
        on: Date,
        approver: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE incident_measures SET extension_on = $1, extension_by = $2 \
             WHERE id = $3 AND incident_id = $4 AND extension_on IS NULL AND done_on IS NULL",
        )
        .bind(on.0)
        .bind(approver)
        .bind(measure)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(self.measure_conflict(id, measure, IncidentConflict::AlreadyExtended).await);
        }
        let e = event("incident.extend", id).detail(json!({"measure": measure}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_incident_testing(&self, actor: &Actor, id: &str, measure: &str, testing: &Testing) -> Result<()> {
        let notified = testing.notified_on.ok_or(IncidentError::Store(StoreError::Invalid(
            xinqiao_domain::FieldError::new("notified_on", "required", "请填写书面告知当事人的日期"),
        )))?;
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        let open: Option<i64> =
            sqlx::query_scalar("SELECT done_on FROM incident_measures WHERE id = $1 AND incident_id = $2")
                .bind(measure)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(IncidentError::NotFound)?;
        if open.is_some() {
            return Err(IncidentError::Conflict(IncidentConflict::MeasureDone));
        }
        sqlx::query(
            "INSERT INTO incident_testing (id, measure_id, from_day, until_day, notified_on, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(measure)
        .bind(testing.from.0)
        .bind(testing.until.0)
        .bind(notified.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let e = event("incident.testing", id).detail(json!({"measure": measure}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn complete_incident_measure(&self, actor: &Actor, id: &str, measure: &str, on: Date) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE incident_measures SET done_on = $1 WHERE id = $2 AND incident_id = $3 AND done_on IS NULL",
        )
        .bind(on.0)
        .bind(measure)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            return Err(self.measure_conflict(id, measure, IncidentConflict::MeasureDone).await);
        }
        let e = event("incident.measure_done", id).detail(json!({"measure": measure}));
        audit::append(&mut tx, actor, e).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn add_incident_promise(
        &self,
        actor: &Actor,
        id: &str,
        text: &str,
        made_at_ms: i64,
        due_at_ms: i64,
    ) -> Result<String> {
        let promise_id = new_id();
        let mut tx = self.begin().await?;
        let now = tx.now_ms();
        sqlx::query(
            "INSERT INTO incident_promises (id, incident_id, text, made_at, due_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&promise_id)
        .bind(id)
        .bind(text)
        .bind(made_at_ms)
        .bind(due_at_ms)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        audit::append(&mut tx, actor, event("incident.promise", id)).await?;
        tx.commit().await?;
        Ok(promise_id)
    }

    pub async fn keep_incident_promise(&self, actor: &Actor, id: &str, promise: &str, at_ms: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE incident_promises SET kept_at = $1 WHERE id = $2 AND incident_id = $3 AND kept_at IS NULL",
        )
        .bind(at_ms)
        .bind(promise)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            drop(tx);
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM incident_promises WHERE id = $1 AND incident_id = $2")
                    .bind(promise)
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await?;
            return Err(match exists {
                Some(_) => IncidentError::Conflict(IncidentConflict::PromiseKept),
                None => IncidentError::NotFound,
            });
        }
        audit::append(&mut tx, actor, event("incident.promise_kept", id)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Why a conditional update of a measure touched no row: it does not exist, it is done, or
    /// (for an extension) it was already extended.
    async fn measure_conflict(&self, id: &str, measure: &str, otherwise: IncidentConflict) -> IncidentError {
        let row: std::result::Result<Option<Option<i64>>, sqlx::Error> =
            sqlx::query_scalar("SELECT done_on FROM incident_measures WHERE id = $1 AND incident_id = $2")
                .bind(measure)
                .bind(id)
                .fetch_optional(&self.pool)
                .await;
        match row {
            Err(e) => e.into(),
            Ok(None) => IncidentError::NotFound,
            Ok(Some(Some(_))) => IncidentError::Conflict(IncidentConflict::MeasureDone),
            Ok(Some(None)) => IncidentError::Conflict(otherwise),
        }
    }
}
