//! Organisations: the bureau hierarchy, each unit keyed by its GB/T 2260 region code.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::ids::RegionCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    pub id: String,
    pub region_code: String,
    pub name: String,
    pub parent_id: Option<String>,
}

impl Store {
    /// Adds a bureau. A child's region must lie inside its parent's.
    pub async fn create_org(
        &self,
        actor: &Actor,
        region: &RegionCode,
        name: &str,
        parent_id: Option<&str>,
    ) -> Result<Org> {
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(xinqiao_domain::FieldError::new("name", "bad_length", "机构名称应为1至64个字符").into());
        }
        if let Some(pid) = parent_id {
            let parent = self.org(pid).await?;
            let parent_region = RegionCode::parse(&parent.region_code)?;
            if !region.is_within(&parent_region) || *region == parent_region {
                return Err(xinqiao_domain::FieldError::new(
                    "region_code",
                    "outside_parent",
                    "下级机构的行政区划应在上级机构的辖区之内",
                )
                .into());
            }
        }
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query("INSERT INTO orgs (id, region_code, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(region.as_str())
            .bind(name)
            .bind(parent_id)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        audit::append(
            &mut tx,
            actor,
            Event::new("org.create", format!("org:{id}"), Outcome::Success)
                .detail(json!({"region_code": region.as_str(), "parent_id": parent_id})),
        )
        .await?;
        tx.commit().await?;
        Ok(Org {
            id,
            region_code: region.as_str().to_owned(),
            name: name.to_owned(),
            parent_id: parent_id.map(str::to_owned),
        })
    }

    pub async fn org(&self, id: &str) -> Result<Org> {
        let row: (String, String, String, Option<String>) = crate::rows::one(
            sqlx::query("SELECT id, region_code, name, parent_id FROM orgs WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
            ["id", "region_code", "name", "parent_id"],
        )?
        .ok_or(StoreError::NotFound)?;
        Ok(Org { id: row.0, region_code: row.1, name: row.2, parent_id: row.3 })
    }

    /// Every organisation, by region code (parents before their children).
    pub async fn list_orgs(&self) -> Result<Vec<Org>> {
        let rows: Vec<(String, String, String, Option<String>)> = crate::rows::all(
            sqlx::query("SELECT id, region_code, name, parent_id FROM orgs ORDER BY region_code")
                .fetch_all(&self.pool)
                .await?,
            ["id", "region_code", "name", "parent_id"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(id, region_code, name, parent_id)| Org { id, region_code, name, parent_id })
            .collect())
    }
}
