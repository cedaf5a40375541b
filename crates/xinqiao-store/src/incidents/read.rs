//! Reading incidents back, by column name, into the domain's types: an unknown clock or link
//! kind, a GTIN whose check digit fails or a 统一社会信用代码 that does not parse is an error.

use super::{Incident, IncidentError, Result};
use crate::Store;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::calendar::Date;
use xinqiao_domain::ids::Uscc;
use xinqiao_domain::incidents::{
    Batch, ClockKind, Gtin, LinkKind, Measure, MediaItem, MediaUrl, Product, Promise, Testing,
};

/// One line of the incident list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentSummary {
    pub id: String,
    pub org_id: String,
    pub title: String,
    pub enterprise_name: String,
    pub owner_id: String,
    pub created_at: i64,
}

/// Someone who opened the incident, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewRecord {
    pub user_id: String,
    pub username: String,
    pub viewed_at: i64,
}

fn bad(table: &'static str, column: &'static str) -> IncidentError {
    IncidentError::BadRow { table, column }
}

fn day(row: &AnyRow, column: &'static str) -> Result<Date> {
    Ok(Date(row.try_get(column)?))
}

fn summary(r: &AnyRow) -> Result<IncidentSummary> {
    Ok(IncidentSummary {
        id: r.try_get("id")?,
        org_id: r.try_get("org_id")?,
        title: r.try_get("title")?,
        enterprise_name: r.try_get("enterprise_name")?,
        owner_id: r.try_get("owner_id")?,
        created_at: r.try_get("created_at")?,
    })
}

fn opt_day(row: &AnyRow, column: &'static str) -> Result<Option<Date>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(Date))
}

impl Store {
    /// The incident with everything it gathers.
    pub async fn incident(&self, id: &str) -> Result<Incident> {
        let row = sqlx::query(
            "SELECT id, org_id, title, enterprise_name, enterprise_uscc, owner_id, created_by, created_at \
             FROM incidents WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(IncidentError::NotFound)?;
        let uscc = match row.try_get::<Option<String>, _>("enterprise_uscc")? {
            Some(s) => Some(Uscc::stored(&s).map_err(|_| bad("incidents", "enterprise_uscc"))?),
            None => None,
        };
        let mut incident = Incident {
            id: row.try_get("id")?,
            org_id: row.try_get("org_id")?,
            title: row.try_get("title")?,
            enterprise_name: row.try_get("enterprise_name")?,
            enterprise_uscc: uscc,
            owner_id: row.try_get("owner_id")?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            team: Vec::new(),
            links: Vec::new(),
            media: Vec::new(),
            products: Vec::new(),
            measures: Vec::new(),
            promises: Vec::new(),
            retest_labs: Vec::new(),
        };
        for r in sqlx::query("SELECT user_id FROM incident_team WHERE incident_id = $1 ORDER BY user_id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
        {
            incident.team.push(r.try_get("user_id")?);
        }
        for r in sqlx::query(
            "SELECT kind, target_id FROM incident_links WHERE incident_id = $1 ORDER BY linked_at, target_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let kind = LinkKind::parse(&r.try_get::<String, _>("kind")?).ok_or(bad("incident_links", "kind"))?;
            incident.links.push((kind, r.try_get("target_id")?));
        }
        for r in
            sqlx::query("SELECT url, excerpt, seen_at FROM incident_media WHERE incident_id = $1 ORDER BY seen_at, id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
        {
            incident.media.push(MediaItem {
                url: MediaUrl::parse(&r.try_get::<String, _>("url")?).map_err(|_| bad("incident_media", "url"))?,
                excerpt: r.try_get("excerpt")?,
                seen_at_ms: r.try_get("seen_at")?,
            });
        }
        for r in sqlx::query(
            "SELECT gtin, batch FROM incident_products WHERE incident_id = $1 ORDER BY added_at, gtin, batch",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            incident.products.push(Product {
                gtin: Gtin::parse(&r.try_get::<String, _>("gtin")?).map_err(|_| bad("incident_products", "gtin"))?,
                batch: Batch::parse(&r.try_get::<String, _>("batch")?)
                    .map_err(|_| bad("incident_products", "batch"))?,
            });
        }
        incident.measures = self.measures_of(id).await?;
        incident.retest_labs = self.incident_retest_labs(id).await?;
        for r in sqlx::query(
            "SELECT id, text, made_at, due_at, kept_at FROM incident_promises WHERE incident_id = $1 \
             ORDER BY made_at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            incident.promises.push(Promise {
                id: r.try_get("id")?,
                text: r.try_get("text")?,
                made_at_ms: r.try_get("made_at")?,
                due_at_ms: r.try_get("due_at")?,
                kept_at_ms: r.try_get("kept_at")?,
            });
        }
        Ok(incident)
    }

    async fn measures_of(&self, id: &str) -> Result<Vec<Measure>> {
        let mut measures = Vec::new();
        for r in sqlx::query(
            "SELECT id, clock, title, started_on, extension_on, extension_by, done_on FROM incident_measures \
             WHERE incident_id = $1 ORDER BY created_at, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let clock = ClockKind::parse(&r.try_get::<String, _>("clock")?).ok_or(bad("incident_measures", "clock"))?;
            let extension = match (opt_day(&r, "extension_on")?, r.try_get::<Option<String>, _>("extension_by")?) {
                (Some(on), Some(by)) => Some((on, by)),
                (None, None) => None,
                _ => return Err(bad("incident_measures", "extension_by")),
            };
            measures.push(Measure {
                id: r.try_get("id")?,
                clock,
                title: r.try_get("title")?,
                started_on: day(&r, "started_on")?,
                extension,
                testing: Vec::new(),
                done_on: opt_day(&r, "done_on")?,
            });
        }
        for m in &mut measures {
            for r in sqlx::query(
                "SELECT from_day, until_day, notified_on FROM incident_testing WHERE measure_id = $1 ORDER BY from_day",
            )
            .bind(&m.id)
            .fetch_all(&self.pool)
            .await?
            {
                m.testing.push(Testing {
                    from: day(&r, "from_day")?,
                    until: day(&r, "until_day")?,
                    notified_on: Some(day(&r, "notified_on")?),
                });
            }
        }
        Ok(measures)
    }

    /// Incidents of the bureaus `org_ids` (`None`: every bureau), newest first.
    pub async fn incidents_in(&self, org_ids: Option<&[String]>, limit: i64) -> Result<Vec<IncidentSummary>> {
        let columns = "id, org_id, title, enterprise_name, owner_id, created_at";
        let rows = match org_ids {
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {columns} FROM incidents ORDER BY created_at DESC, id DESC LIMIT $1"
                )))
                .bind(limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?
            }
            Some([]) => return Ok(Vec::new()),
            Some(ids) => {
                let list = (2..ids.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
                let sql = format!(
                    "SELECT {columns} FROM incidents WHERE org_id IN ({list}) ORDER BY created_at DESC, id DESC LIMIT $1"
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(limit.clamp(1, 1000));
                for id in ids {
                    q = q.bind(id);
                }
                q.fetch_all(&self.pool).await?
            }
        };
        rows.iter().map(summary).collect()
    }

    /// The incidents about the enterprise with this 统一社会信用代码, newest first.
    pub async fn incidents_about(&self, uscc: &Uscc, limit: i64) -> Result<Vec<IncidentSummary>> {
        let rows = sqlx::query(
            "SELECT id, org_id, title, enterprise_name, owner_id, created_at FROM incidents \
             WHERE enterprise_uscc = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
        )
        .bind(uscc.as_str())
        .bind(limit.clamp(1, 1000))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(summary).collect()
    }

    /// Everyone who opened the incident, in the order they did (every view).
    pub async fn incident_viewers(&self, id: &str) -> Result<Vec<ViewRecord>> {
        let rows = sqlx::query(
            "SELECT v.user_id, u.username, v.viewed_at FROM incident_views v JOIN users u ON u.id = v.user_id \
             WHERE v.incident_id = $1 ORDER BY v.viewed_at, v.user_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ViewRecord {
                    user_id: r.try_get("user_id")?,
                    username: r.try_get("username")?,
                    viewed_at: r.try_get("viewed_at")?,
                })
            })
            .collect()
    }
}
