//! 保密资料交换 in storage: exchanges with their named officers (and each one's signed 保密承诺),
//! sealed files (bytes sealed by the caller) with the enterprise's commitment, the record of each
//! view, and destruction that empties the sealed bytes; each change audited in its transaction.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, StoreError, new_id};
use serde_json::json;
use sqlx::Row;
use sqlx::any::AnyRow;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::calendar::Date;

/// An exchange to open (validated by the caller).
#[derive(Debug, Clone)]
pub struct NewExchange {
    pub org_id: String,
    pub enterprise_uscc: String,
    pub matter: String,
    pub destroy_day: Date,
    /// User ids of the officers who may see the files.
    pub officers: Vec<String>,
}

/// A named officer and their commitment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedOfficer {
    pub user_id: String,
    pub name: String,
    pub signed_at: Option<i64>,
}

/// A stored exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub id: String,
    pub org_id: String,
    pub opened_by: String,
    pub opened_by_name: String,
    pub enterprise_uscc: String,
    pub matter: String,
    pub destroy_day: Date,
    pub created_at: i64,
    pub destroyed_at: Option<i64>,
    pub destroyed_files: Option<i64>,
    pub officers: Vec<NamedOfficer>,
}

/// A file's record (its bytes are read apart, by [`Store::confidential_sealed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfidentialFile {
    pub id: String,
    pub seq: i64,
    pub media: String,
    pub size: i64,
    pub deposited_at: i64,
    pub deposited_by_name: String,
    pub commitment: String,
    pub destroyed: bool,
    /// A PDF's page count; `None` for an image.
    pub pages: Option<i64>,
}

/// A file to deposit: its media type, size, sealed bytes and (a PDF) page count.
#[derive(Debug, Clone)]
pub struct SealedFile {
    pub media: String,
    pub size: i64,
    pub sealed: Vec<u8>,
    pub pages: Option<i64>,
}

/// One view of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfidentialView {
    pub file_seq: i64,
    /// The PDF page shown; `None` for an image.
    pub page: Option<i64>,
    pub user_name: String,
    pub username: String,
    pub viewed_at: i64,
}

const COLUMNS: &str = "x.id, x.org_id, x.opened_by, u.display_name, x.enterprise_uscc, x.matter, x.destroy_day, \
    x.created_at, x.destroyed_at, x.destroyed_files";

fn exchange_from(row: &AnyRow) -> Result<Exchange> {
    Ok(Exchange {
        id: row.try_get("id")?,
        org_id: row.try_get("org_id")?,
        opened_by: row.try_get("opened_by")?,
        opened_by_name: row.try_get("display_name")?,
        enterprise_uscc: row.try_get("enterprise_uscc")?,
        matter: row.try_get("matter")?,
        destroy_day: Date(row.try_get("destroy_day")?),
        created_at: row.try_get("created_at")?,
        destroyed_at: row.try_get("destroyed_at")?,
        destroyed_files: row.try_get("destroyed_files")?,
        officers: Vec::new(),
    })
}

impl Store {
    /// Opens an exchange naming its officers, audited; returns its id.
    pub async fn open_confidential(&self, actor: &Actor, opened_by: &str, x: &NewExchange) -> Result<String> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO confidential_exchanges (id, org_id, opened_by, enterprise_uscc, matter, destroy_day, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&id)
        .bind(&x.org_id)
        .bind(opened_by)
        .bind(&x.enterprise_uscc)
        .bind(&x.matter)
        .bind(x.destroy_day.0)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        for user in &x.officers {
            sqlx::query("INSERT INTO confidential_officers (exchange_id, user_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(user)
                .execute(&mut *tx)
                .await?;
        }
        let event = Event::new("confidential.open", format!("confidential:{id}"), Outcome::Success)
            .detail(json!({"officers": x.officers.len(), "destroy_day": x.destroy_day.to_string()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One exchange with its named officers.
    pub async fn confidential(&self, id: &str) -> Result<Exchange> {
        let sql = format!(
            "SELECT {COLUMNS} FROM confidential_exchanges x JOIN users u ON u.id = x.opened_by WHERE x.id = $1"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(&self.pool).await?;
        let mut x = exchange_from(&row.ok_or(StoreError::NotFound)?)?;
        let rows = sqlx::query(
            "SELECT o.user_id, u.display_name, o.signed_at FROM confidential_officers o JOIN users u ON u.id = o.user_id \
             WHERE o.exchange_id = $1 ORDER BY u.display_name, o.user_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            x.officers.push(NamedOfficer {
                user_id: r.try_get("user_id")?,
                name: r.try_get("display_name")?,
                signed_at: r.try_get("signed_at")?,
            });
        }
        Ok(x)
    }

    /// Ids of the exchanges an enterprise is party to, or an officer opened or is named in, newest first.
    pub async fn confidential_ids(&self, uscc: Option<&str>, user_id: &str) -> Result<Vec<String>> {
        let rows = sqlx::query(
            "SELECT x.id, x.created_at FROM confidential_exchanges x WHERE x.enterprise_uscc = $1 OR x.opened_by = $2 \
             OR EXISTS (SELECT 1 FROM confidential_officers o WHERE o.exchange_id = x.id AND o.user_id = $2) \
             ORDER BY x.created_at DESC, x.id DESC LIMIT 500",
        )
        .bind(uscc.unwrap_or(""))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| r.try_get::<String, _>("id").map_err(Into::into)).collect()
    }

    /// A named officer signs the 保密承诺 (once; false when already signed or not named).
    pub async fn sign_confidential(&self, actor: &Actor, id: &str, user_id: &str, commitment: &str) -> Result<bool> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE confidential_officers SET commitment = $1, signed_at = $2 \
             WHERE exchange_id = $3 AND user_id = $4 AND signed_at IS NULL",
        )
        .bind(commitment)
        .bind(now)
        .bind(id)
        .bind(user_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Ok(false);
        }
        let event = Event::new("confidential.sign", format!("confidential:{id}"), Outcome::Success);
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deposits sealed files with the enterprise's commitment, audited; `None` (nothing written)
    /// once the exchange is destroyed.
    pub async fn deposit_confidential(
        &self,
        actor: &Actor,
        id: &str,
        user_id: &str,
        commitment: &str,
        files: &[SealedFile],
    ) -> Result<Option<Vec<i64>>> {
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        let destroyed: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT destroyed_at FROM confidential_exchanges WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        match destroyed {
            None => return Err(StoreError::NotFound),
            Some((Some(_),)) => return Ok(None),
            Some((None,)) => {}
        }
        let (max,): (Option<i64>,) = sqlx::query_as("SELECT MAX(seq) FROM confidential_files WHERE exchange_id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let mut seqs = Vec::new();
        for (i, f) in files.iter().enumerate() {
            let seq = max.unwrap_or(0) + 1 + i as i64;
            sqlx::query(
                "INSERT INTO confidential_files (id, exchange_id, seq, media, size, sealed, deposited_by, commitment, deposited_at, pages) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(new_id())
            .bind(id)
            .bind(seq)
            .bind(&f.media)
            .bind(f.size)
            .bind(&f.sealed)
            .bind(user_id)
            .bind(commitment)
            .bind(now)
            .bind(f.pages)
            .execute(&mut *tx)
            .await?;
            seqs.push(seq);
        }
        let event = Event::new("confidential.deposit", format!("confidential:{id}"), Outcome::Success)
            .detail(json!({"files": files.len()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(Some(seqs))
    }

    /// The files of an exchange in order.
    pub async fn confidential_files(&self, id: &str) -> Result<Vec<ConfidentialFile>> {
        let rows = sqlx::query(
            "SELECT f.id, f.seq, f.media, f.size, f.deposited_at, u.display_name, f.commitment, f.pages, \
             CAST(CASE WHEN f.sealed IS NULL THEN 1 ELSE 0 END AS BIGINT) AS destroyed \
             FROM confidential_files f JOIN users u ON u.id = f.deposited_by WHERE f.exchange_id = $1 ORDER BY f.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let destroyed: i64 = r.try_get("destroyed")?;
                Ok(ConfidentialFile {
                    id: r.try_get("id")?,
                    seq: r.try_get("seq")?,
                    media: r.try_get("media")?,
                    size: r.try_get("size")?,
                    deposited_at: r.try_get("deposited_at")?,
                    deposited_by_name: r.try_get("display_name")?,
                    commitment: r.try_get("commitment")?,
                    destroyed: destroyed != 0,
                    pages: r.try_get("pages")?,
                })
            })
            .collect()
    }

    /// Reads file `seq`'s sealed bytes for a view by `user_id` (of PDF page `page`), recording
    /// the view and auditing it in the same transaction; `None` once destroyed. The caller has
    /// checked that `page` exists and that the file's media fits it.
    pub async fn view_confidential(
        &self,
        actor: &Actor,
        id: &str,
        seq: i64,
        page: Option<i64>,
        user_id: &str,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        let mut tx = self.begin().await?;
        let row = sqlx::query("SELECT id, media, sealed FROM confidential_files WHERE exchange_id = $1 AND seq = $2")
            .bind(id)
            .bind(seq)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let file_id: String = row.try_get("id")?;
        let media: String = row.try_get("media")?;
        let Some(sealed) = row.try_get::<Option<Vec<u8>>, _>("sealed")? else { return Ok(None) };
        sqlx::query(
            "INSERT INTO confidential_views (id, exchange_id, file_id, user_id, viewed_at, page) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(new_id())
        .bind(id)
        .bind(&file_id)
        .bind(user_id)
        .bind(tx.now_ms())
        .bind(page)
        .execute(&mut *tx)
        .await?;
        let event = Event::new("confidential.view", format!("confidential:{id}"), Outcome::Success)
            .detail(json!({"file": seq, "page": page}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(Some((file_id, media, sealed)))
    }

    /// Every view of an exchange's files, newest first.
    pub async fn confidential_views(&self, id: &str) -> Result<Vec<ConfidentialView>> {
        let rows = sqlx::query(
            "SELECT f.seq, v.page, u.display_name, u.username, v.viewed_at FROM confidential_views v \
             JOIN confidential_files f ON f.id = v.file_id JOIN users u ON u.id = v.user_id \
             WHERE v.exchange_id = $1 ORDER BY v.viewed_at DESC, v.id DESC",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ConfidentialView {
                    file_seq: r.try_get("seq")?,
                    page: r.try_get("page")?,
                    user_name: r.try_get("display_name")?,
                    username: r.try_get("username")?,
                    viewed_at: r.try_get("viewed_at")?,
                })
            })
            .collect()
    }

    /// Destroys the files of every exchange whose destruction day is `today` or earlier: the
    /// sealed bytes are emptied and the record (when, how many) written, each exchange in its
    /// own audited transaction. Returns the exchanges destroyed.
    pub async fn destroy_due_confidential(&self, actor: &Actor, today: Date) -> Result<usize> {
        let due: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM confidential_exchanges WHERE destroyed_at IS NULL AND destroy_day <= $1 ORDER BY id LIMIT 1000",
        )
        .bind(today.0)
        .fetch_all(&self.pool)
        .await?;
        let mut done = 0;
        for (id,) in due {
            let mut tx = self.begin().await?;
            let now = tx.now_ms();
            let files = sqlx::query(
                "UPDATE confidential_files SET sealed = NULL WHERE exchange_id = $1 AND sealed IS NOT NULL",
            )
            .bind(&id)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
            let marked = sqlx::query(
                "UPDATE confidential_exchanges SET destroyed_at = $1, destroyed_files = $2 WHERE id = $3 AND destroyed_at IS NULL",
            )
            .bind(now)
            .bind(files)
            .bind(&id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if marked == 0 {
                continue; // another node did it
            }
            let event = Event::new("confidential.destroy", format!("confidential:{id}"), Outcome::Success)
                .detail(json!({"files": files}));
            audit::append(&mut tx, actor, event).await?;
            tx.commit().await?;
            done += 1;
        }
        Ok(done)
    }
}
