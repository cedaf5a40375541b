//! Enterprises the bureau already knows (the inspection directory and the ODR list), looked up
//! by name or 统一社会信用代码 so that the public intake form can name one exactly.

use crate::audit::escape_like;
use crate::{Result, Store};

/// An enterprise as the bureau knows it: its name and code, and where the directory says so, its
/// industry (GB/T 4754 section letter) and region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownEnterprise {
    pub uscc: String,
    pub name: String,
    pub industry: Option<String>,
    pub region_code: Option<String>,
}

impl Store {
    /// Up to `limit` known enterprises whose name contains `query` or whose code starts with it
    /// (wildcards in `query` match literally), by name.
    pub async fn known_enterprises(&self, query: &str, limit: i64) -> Result<Vec<KnownEnterprise>> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(Vec::new());
        }
        let name = format!("%{}%", escape_like(query));
        let code = format!("{}%", escape_like(&query.to_ascii_uppercase()));
        let rows = sqlx::query(
            "SELECT uscc, name, industry, region_code FROM inspection_targets \
             WHERE status = 'active' AND (name LIKE $1 ESCAPE '\\' OR uscc LIKE $2 ESCAPE '\\') \
             UNION ALL \
             SELECT o.uscc, o.name, CAST(NULL AS TEXT), CAST(NULL AS TEXT) FROM odr_enterprises o \
             WHERE (o.name LIKE $3 ESCAPE '\\' OR o.uscc LIKE $4 ESCAPE '\\') \
             AND NOT EXISTS (SELECT 1 FROM inspection_targets t WHERE t.uscc = o.uscc AND t.status = 'active') \
             ORDER BY name, uscc LIMIT $5",
        )
        .bind(&name)
        .bind(&code)
        .bind(&name)
        .bind(&code)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            crate::rows::all(rows, ["uscc", "name", "industry", "region_code"])?;
        Ok(rows
            .into_iter()
            .map(|(uscc, name, industry, region_code)| KnownEnterprise { uscc, name, industry, region_code })
            .collect())
    }

    /// The known enterprise with this code, if any.
    pub async fn known_enterprise(&self, uscc: &str) -> Result<Option<KnownEnterprise>> {
        let found = self.known_enterprises(uscc, 5).await?;
        Ok(found.into_iter().find(|e| e.uscc == uscc.trim().to_ascii_uppercase()))
    }
}
