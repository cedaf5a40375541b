//! Open311: the API keys a bureau's systems and civic apps use (issued and revoked by an
//! administrator, kept hashed, every change audited), where a request that came in through
//! Open311 is (written in the intake's own transaction), and the consented cases listed to the
//! public. Rows are read by column name into the domain's types; an unknown value is an error.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, Tx, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::cases::{CaseKind, Status, TrackingCode};
use xinqiao_domain::open311::Location;

/// An issued key (never the key itself).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKey {
    pub id: String,
    pub org_id: String,
    pub label: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub created_by: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

/// Why a key could not be issued or revoked.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("所选机构不存在")]
    NoSuchBureau,
    #[error("该密钥不存在")]
    NotFound,
    #[error("该密钥已于此前撤销")]
    AlreadyRevoked,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for KeyError {
    fn from(e: sqlx::Error) -> Self {
        KeyError::Store(e.into())
    }
}

/// Where an Open311 request came from, stored with its case.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub key_id: String,
    pub location: StoredLocation,
}

/// A location as kept: a street address only masked.
#[derive(Debug, Clone, PartialEq)]
pub enum StoredLocation {
    Point { lat: String, long: String },
    AddressMasked(String),
    AddressId(String),
}

impl StoredLocation {
    /// From a validated location, with the address already masked by the caller.
    pub fn of(location: &Location, mask: impl Fn(&str) -> String) -> Self {
        match location {
            Location::Point { lat, long } => StoredLocation::Point { lat: lat.to_string(), long: long.to_string() },
            Location::Address(a) => StoredLocation::AddressMasked(mask(a)),
            Location::AddressId(id) => StoredLocation::AddressId(id.clone()),
        }
    }
}

/// A consented case as Open311 shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicRequest {
    pub tracking_code: TrackingCode,
    pub kind: CaseKind,
    pub status: Status,
    pub org_name: Option<String>,
    pub narrative_masked: String,
    pub received_at: i64,
    pub updated_at: i64,
    /// Whether an officer confirmed the masking of the narrative.
    pub masking_confirmed: bool,
    /// Only for requests that came in through Open311.
    pub location: Option<StoredLocation>,
}

/// What to list (the domain's filter, resolved to case kinds and statuses).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestFilter {
    Codes(Vec<TrackingCode>),
    Window { kinds: Vec<CaseKind>, statuses: Vec<Status>, from_ms: i64, to_ms: i64, limit: usize },
}

fn corrupt(what: &str) -> StoreError {
    StoreError::Migration(format!("open311 row has an unknown {what}"))
}

fn key_from(row: &AnyRow) -> Result<ApiKey> {
    Ok(ApiKey {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        label: row.try_get("label")?,
        prefix: row.try_get("key_prefix")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

fn location_from(row: &AnyRow) -> Result<Option<StoredLocation>> {
    let kind: Option<String> = row.try_get("location_kind")?;
    let text = |col: &str| -> Result<String> { row.try_get::<Option<String>, _>(col)?.ok_or_else(|| corrupt(col)) };
    Ok(match kind.as_deref() {
        None => None,
        Some("point") => Some(StoredLocation::Point { lat: text("lat")?, long: text("long")? }),
        Some("address") => Some(StoredLocation::AddressMasked(text("address_masked")?)),
        Some("address_id") => Some(StoredLocation::AddressId(text("address_id")?)),
        Some(_) => return Err(corrupt("location kind")),
    })
}

fn request_from(row: &AnyRow) -> Result<PublicRequest> {
    let code: String = row.try_get("tracking_code")?;
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(PublicRequest {
        tracking_code: TrackingCode::parse(&code).map_err(|_| corrupt("tracking code"))?,
        kind: CaseKind::parse(&kind).ok_or_else(|| corrupt("case kind"))?,
        status: Status::parse(&status).ok_or_else(|| corrupt("status"))?,
        org_name: row.try_get("org_name")?,
        narrative_masked: row.try_get("narrative_masked")?,
        received_at: row.try_get("received_at")?,
        updated_at: row.try_get("updated_at")?,
        masking_confirmed: row.try_get::<Option<i64>, _>("privacy_confirmed_at")?.is_some(),
        location: location_from(row)?,
    })
}

const KEY_COLUMNS: &str = "id, org_id, label, key_prefix, created_by, created_at, revoked_at";

impl Store {
    /// Issues a key for `org_id` (the caller made the key and gives its hash and prefix).
    pub async fn issue_open311_key(
        &self,
        actor: &Actor,
        org_id: &str,
        label: &str,
        key_hash: &str,
        prefix: &str,
    ) -> std::result::Result<ApiKey, KeyError> {
        let mut tx = self.begin().await?;
        let exists = sqlx::query("SELECT id FROM orgs WHERE id = $1").bind(org_id).fetch_optional(&mut *tx).await?;
        if exists.is_none() {
            return Err(KeyError::NoSuchBureau);
        }
        let id = new_id();
        let now = self.now_ms();
        sqlx::query(
            "INSERT INTO open311_keys (id, org_id, label, key_hash, key_prefix, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(org_id)
        .bind(label)
        .bind(key_hash)
        .bind(prefix)
        .bind(&actor.id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let event = Event::new("open311.key.issue", format!("open311_key:{id}"), Outcome::Success)
            .detail(json!({"org_id": org_id, "prefix": prefix}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(ApiKey {
            id,
            org_id: org_id.to_owned(),
            label: label.to_owned(),
            prefix: prefix.to_owned(),
            created_by: actor.id.clone(),
            created_at: now,
            revoked_at: None,
        })
    }

    /// Revokes a key: from now on it is refused.
    pub async fn revoke_open311_key(&self, actor: &Actor, id: &str) -> std::result::Result<ApiKey, KeyError> {
        let mut tx = self.begin().await?;
        let sql = format!("SELECT {KEY_COLUMNS} FROM open311_keys WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&mut *tx).await?;
        let mut key = key_from(&row.ok_or(KeyError::NotFound)?)?;
        if key.revoked_at.is_some() {
            return Err(KeyError::AlreadyRevoked);
        }
        let now = self.now_ms();
        let done = sqlx::query(
            "UPDATE open311_keys SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(&actor.id)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(KeyError::AlreadyRevoked);
        }
        let event = Event::new("open311.key.revoke", format!("open311_key:{id}"), Outcome::Success)
            .detail(json!({"org_id": key.org_id, "prefix": key.prefix}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        key.revoked_at = Some(now);
        Ok(key)
    }

    /// Every key issued, newest first.
    pub async fn open311_keys(&self) -> Result<Vec<ApiKey>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM open311_keys ORDER BY created_at DESC, id DESC");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(&self.pool).await?;
        rows.iter().map(key_from).collect()
    }

    /// The key whose hash is `key_hash`, if it is issued and not revoked.
    pub async fn active_open311_key(&self, key_hash: &str) -> Result<Option<ApiKey>> {
        let sql = format!("SELECT {KEY_COLUMNS} FROM open311_keys WHERE key_hash = $1 AND revoked_at IS NULL");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(key_hash).fetch_optional(&self.pool).await?;
        row.as_ref().map(key_from).transpose()
    }

    /// The consented cases of the bureaus `org_ids` that `filter` selects, newest first.
    pub async fn open311_requests(&self, org_ids: &[String], filter: &RequestFilter) -> Result<Vec<PublicRequest>> {
        if org_ids.is_empty() {
            return Ok(vec![]);
        }
        let mut binds: Vec<String> = Vec::new();
        let list = |values: Vec<String>, binds: &mut Vec<String>| {
            let start = binds.len();
            binds.extend(values);
            (start + 1..=binds.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
        };
        let orgs = list(org_ids.to_vec(), &mut binds);
        let mut sql = format!(
            "SELECT c.tracking_code, c.kind, c.status, o.name AS org_name, c.narrative_masked, c.received_at, \
             c.updated_at, c.privacy_confirmed_at, r.location_kind, r.lat, r.long, r.address_masked, r.address_id \
             FROM cases c LEFT JOIN orgs o ON o.id = c.org_id LEFT JOIN open311_requests r ON r.case_id = c.id \
             WHERE c.consent_publish = 1 AND c.org_id IN ({orgs})"
        );
        let mut times: Vec<i64> = Vec::new();
        let limit = match filter {
            RequestFilter::Codes(codes) => {
                if codes.is_empty() {
                    return Ok(vec![]);
                }
                let placeholders = list(codes.iter().map(|c| c.as_str().to_owned()).collect(), &mut binds);
                sql.push_str(&format!(" AND c.tracking_code IN ({placeholders})"));
                codes.len()
            }
            RequestFilter::Window { kinds, statuses, from_ms, to_ms, limit } => {
                if !kinds.is_empty() {
                    let k = list(kinds.iter().map(|k| k.code().to_owned()).collect(), &mut binds);
                    sql.push_str(&format!(" AND c.kind IN ({k})"));
                }
                if !statuses.is_empty() {
                    let s = list(statuses.iter().map(|s| s.code().to_owned()).collect(), &mut binds);
                    sql.push_str(&format!(" AND c.status IN ({s})"));
                }
                let n = binds.len();
                sql.push_str(&format!(" AND c.received_at >= ${} AND c.received_at < ${}", n + 1, n + 2));
                times = vec![*from_ms, *to_ms];
                *limit
            }
        };
        sql.push_str(&format!(" ORDER BY c.received_at DESC, c.id DESC LIMIT {}", limit.min(10_000)));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for b in &binds {
            q = q.bind(b);
        }
        for t in times {
            q = q.bind(t);
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(request_from).collect()
    }
}

/// Records where the Open311 request that became case `case_id` is (inside the intake).
pub(crate) async fn record_origin(tx: &mut Tx, case_id: &str, origin: &Origin) -> Result<()> {
    let (kind, lat, long, address, address_id) = match &origin.location {
        StoredLocation::Point { lat, long } => ("point", Some(lat.as_str()), Some(long.as_str()), None, None),
        StoredLocation::AddressMasked(a) => ("address", None, None, Some(a.as_str()), None),
        StoredLocation::AddressId(id) => ("address_id", None, None, None, Some(id.as_str())),
    };
    sqlx::query(
        "INSERT INTO open311_requests (case_id, key_id, location_kind, lat, long, address_masked, address_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(&origin.key_id)
    .bind(kind)
    .bind(lat)
    .bind(long)
    .bind(address)
    .bind(address_id)
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
