//! The append-only, hash-chained audit trail. `append` runs inside the caller's transaction, so
//! an action and its record commit together or not at all. Nothing here updates or deletes.

use crate::{Result, Store};
use sqlx::{AnyConnection, AssertSqlSafe};
use xinqiao_domain::accounts::Role;
use xinqiao_domain::audit::{AuditRecord, ChainBreak, ChainWalker, Checkpoint, Outcome};

/// Who is acting, as the audit trail records it.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub client_addr: String,
}

impl Actor {
    /// The operator at the server's console (the `xinqiao` command line).
    pub fn console() -> Self {
        let user = std::env::var("USER").unwrap_or_else(|_| "unknown".into());
        Self { id: String::new(), name: format!("console:{user}"), roles: Vec::new(), client_addr: "local".into() }
    }

    /// The server itself, acting on a timer (a settlement window that ended).
    pub fn system() -> Self {
        Self { id: String::new(), name: "system".into(), roles: Vec::new(), client_addr: "local".into() }
    }

    /// Someone not logged in, from `client_addr`.
    pub fn anonymous(name: &str, client_addr: &str) -> Self {
        Self { name: name.to_owned(), client_addr: client_addr.to_owned(), ..Self::default() }
    }

    pub fn role_codes(&self) -> String {
        self.roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
    }
}

/// What happened, to be appended.
#[derive(Debug, Clone)]
pub struct Event {
    pub action: &'static str,
    pub target: String,
    pub outcome: Outcome,
    pub purpose: String,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn new(action: &'static str, target: impl Into<String>, outcome: Outcome) -> Self {
        Self {
            action,
            target: target.into(),
            outcome,
            purpose: String::new(),
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Appends one entry inside the caller's transaction and returns its sequence number. The chain
/// head's row is updated first, which locks it until commit: appends are strictly serial.
pub async fn append(tx: &mut crate::Tx, actor: &Actor, event: Event) -> Result<i64> {
    append_many(tx, vec![(actor, event)]).await
}

/// Appends several entries in order with three statements whatever their number (group commit
/// of a batch of submissions); returns the last sequence number.
pub async fn append_many(tx: &mut crate::Tx, entries: Vec<(&Actor, Event)>) -> Result<i64> {
    let now = tx.now_ms();
    let key = tx.chain_key().cloned();
    let conn: &mut AnyConnection = tx;
    let n = entries.len() as i64;
    let (last, mut prev_hash): (i64, String) = crate::rows::row(
        sqlx::query("UPDATE audit_head SET seq = seq + $1 WHERE id = 1 RETURNING seq, hash")
            .bind(n)
            .fetch_one(&mut *conn)
            .await?,
        ["seq", "hash"],
    )?;
    let mut records = Vec::with_capacity(entries.len());
    for (k, (actor, event)) in entries.into_iter().enumerate() {
        let record = AuditRecord {
            seq: last - n + 1 + k as i64,
            at_ms: now,
            actor_id: actor.id.clone(),
            actor_name: actor.name.clone(),
            actor_roles: actor.role_codes(),
            action: event.action.to_owned(),
            target: event.target,
            outcome: event.outcome,
            client_addr: actor.client_addr.clone(),
            purpose: event.purpose,
            detail: event.detail.to_string(),
            prev_hash: std::mem::take(&mut prev_hash),
        };
        let hash = record.seal(key.as_ref());
        prev_hash = hash.clone();
        records.push((record, hash));
    }
    // 200 rows × 13 columns per statement (anonymous placeholders on SQLite, see `values_clause`).
    for chunk in records.chunks(200) {
        let sql = format!(
            "INSERT INTO audit_log (seq, at_ms, actor_id, actor_name, actor_roles, action, target, \
             outcome, client_addr, purpose, detail, prev_hash, hash) VALUES {}",
            crate::values_clause(&*conn, chunk.len(), 13)
        );
        let mut q = sqlx::query(AssertSqlSafe(sql));
        for (r, hash) in chunk {
            q = q
                .bind(r.seq)
                .bind(r.at_ms)
                .bind(&r.actor_id)
                .bind(&r.actor_name)
                .bind(&r.actor_roles)
                .bind(&r.action)
                .bind(&r.target)
                .bind(r.outcome.code())
                .bind(&r.client_addr)
                .bind(&r.purpose)
                .bind(&r.detail)
                .bind(&r.prev_hash)
                .bind(hash);
        }
        q.execute(&mut *conn).await?;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev_hash).execute(&mut *conn).await?;
    Ok(last)
}

/// An entry as stored: the hashed record and its hash.
#[derive(Debug, Clone)]
pub struct Entry {
    pub record: AuditRecord,
    pub hash: String,
}

/// Filters for reading the trail; all optional, newest first, paged by `before_seq`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Substring of the actor's login name.
    pub actor: Option<String>,
    /// Action code or its prefix (`auth.` matches every login event).
    pub action: Option<String>,
    /// Action prefixes any one of which matches (a category of the audit page); empty: all.
    pub actions: Vec<String>,
    pub outcome: Option<Outcome>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    pub before_seq: Option<i64>,
    pub limit: i64,
}

/// The result of walking the whole chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub checked: u64,
    pub head_seq: i64,
    pub broken: Option<ChainBreak>,
}

impl Verification {
    pub fn is_intact(&self) -> bool {
        self.broken.is_none()
    }
}

type Row = (i64, i64, String, String, String, String, String, String, String, String, String, String, String);

fn entry_from(row: Row) -> Entry {
    let (
        seq,
        at_ms,
        actor_id,
        actor_name,
        actor_roles,
        action,
        target,
        outcome,
        client_addr,
        purpose,
        detail,
        prev_hash,
        hash,
    ) = row;
    Entry {
        record: AuditRecord {
            seq,
            at_ms,
            actor_id,
            actor_name,
            actor_roles,
            action,
            target,
            // An unreadable outcome cannot match its hash: map it to a value the walker will flag.
            outcome: Outcome::parse(&outcome).unwrap_or(Outcome::Denied),
            client_addr,
            purpose,
            detail,
            prev_hash,
        },
        hash,
    }
}

const COLUMNS: &str = "seq, at_ms, actor_id, actor_name, actor_roles, action, target, outcome, \
                       client_addr, purpose, detail, prev_hash, hash";
const NAMES: [&str; 13] = [
    "seq",
    "at_ms",
    "actor_id",
    "actor_name",
    "actor_roles",
    "action",
    "target",
    "outcome",
    "client_addr",
    "purpose",
    "detail",
    "prev_hash",
    "hash",
];

impl Store {
    /// Entries matching `filter`, newest first.
    pub async fn audit_entries(&self, filter: &Filter) -> Result<Vec<Entry>> {
        let mut w = crate::filter::Where::new();
        let like = self.backend.ilike();
        if let Some(a) = &filter.actor {
            w.with(&format!("actor_name {like} ? ESCAPE '\\'"), [format!("%{}%", escape_like(a)).into()]);
        }
        if let Some(a) = &filter.action {
            w.with("action LIKE ? ESCAPE '\\'", [format!("{}%", escape_like(&a.to_ascii_lowercase())).into()]);
        }
        w.either(
            "action LIKE ? ESCAPE '\\'",
            filter.actions.iter().map(|a| format!("{}%", escape_like(&a.to_ascii_lowercase())).into()),
        );
        if let Some(o) = filter.outcome {
            w.eq("outcome", o.code());
        }
        if let Some(v) = filter.from_ms {
            w.with("at_ms >= ?", [v.into()]);
        }
        if let Some(v) = filter.to_ms {
            w.with("at_ms < ?", [v.into()]);
        }
        if let Some(v) = filter.before_seq {
            w.with("seq < ?", [v.into()]);
        }
        let limit = w.placeholder(filter.limit.clamp(1, 1000).into());
        let sql = format!("SELECT {COLUMNS} FROM audit_log{} ORDER BY seq DESC LIMIT {limit}", w.sql());
        let q = w.bind(sqlx::query(AssertSqlSafe(sql)));
        let rows: Vec<Row> = crate::rows::all(q.fetch_all(&self.pool).await?, NAMES)?;
        Ok(rows.into_iter().map(entry_from).collect())
    }

    /// Walks the whole chain in order and compares its end with the recorded head, so edits,
    /// deletions (also of the newest entries) and reordering are all found. `progress` is called
    /// with (checked, total) after each page. Entries appended while it runs lie beyond the head
    /// it read first and are left for the next check.
    pub async fn verify_audit_chain(&self, mut progress: impl FnMut(u64, u64)) -> Result<Verification> {
        let (head_seq, head_hash): (i64, String) = crate::rows::row(
            sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?,
            ["seq", "hash"],
        )?;
        let total = u64::try_from(head_seq).unwrap_or(0);
        let mut walker = ChainWalker::new(self.chain_key().cloned());
        let mut last: Option<Entry> = None;
        let mut after = 0i64;
        loop {
            let page = sqlx::query(AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 2000"
            )))
            .bind(after)
            .bind(head_seq)
            .fetch_all(&self.pool)
            .await?;
            let page: Vec<Row> = crate::rows::all(page, NAMES)?;
            if page.is_empty() {
                break;
            }
            for row in page {
                let entry = entry_from(row);
                if let Err(b) = walker.check(&entry.record, &entry.hash) {
                    return Ok(Verification { checked: walker.checked, head_seq, broken: Some(b) });
                }
                after = entry.record.seq;
                last = Some(entry);
            }
            progress(walker.checked, total);
        }
        let tail_ok = match &last {
            Some(e) => e.record.seq == head_seq && e.hash == head_hash,
            None => head_seq == 0,
        };
        let broken = (!tail_ok)
            .then(|| ChainBreak::Sequence { seq: last.as_ref().map_or(0, |e| e.record.seq), expected: head_seq });
        Ok(Verification { checked: walker.checked, head_seq, broken })
    }

    /// Appends one entry in its own transaction (for events with no other write, e.g. a look).
    pub async fn audit(&self, actor: &Actor, event: Event) -> Result<i64> {
        let mut tx = self.begin().await?;
        let seq = append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(seq)
    }
}

/// Escapes LIKE wildcards in user text (used with `ESCAPE '\'`), so a filter matches literally
/// on both backends: `officer_li` finds `officer_li`, a typed `%` is no wildcard.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// What a check against a kept checkpoint found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointVerdict {
    /// The chain holds, and its entry at the checkpoint has the checkpoint's hash.
    Holds { checked: u64 },
    /// The checkpoint was not signed with this installation's key (or was edited).
    BadSignature,
    /// The chain no longer reaches the checkpoint's entry.
    Shorter { head_seq: i64, seq: i64 },
    /// The entry at the checkpoint now has another hash: history was rewritten.
    Differs { seq: i64 },
    /// The chain itself is broken.
    Broken(ChainBreak),
    /// No chain key: checkpoints cannot be made or checked.
    NoKey,
}

impl CheckpointVerdict {
    pub fn describe(&self) -> String {
        match self {
            Self::Holds { checked } => format!("审计链完整，且与检查点一致：已校验 {checked} 条记录。"),
            Self::BadSignature => "检查点的签名不符：它不是本系统签发的，或已被改动。".into(),
            Self::Shorter { head_seq, seq } => {
                format!("审计链只有 {head_seq} 条记录，短于检查点记载的 {seq} 条：记录被删除。")
            }
            Self::Differs { seq } => format!("第{seq}条记录的哈希与检查点不符：检查点之前的历史被改写。"),
            Self::Broken(b) => format!("审计链已损坏：{}", b.describe()),
            Self::NoKey => "没有审计链密钥（secrets.toml），无法签发或核对检查点。".into(),
        }
    }

    pub fn holds(&self) -> bool {
        matches!(self, Self::Holds { .. })
    }
}

impl Store {
    /// The sequence number of the last audit entry (0 for none).
    pub async fn audit_head_seq(&self) -> Result<i64> {
        let (seq,): (i64,) = sqlx::query_as("SELECT seq FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?;
        Ok(seq)
    }

    /// Signs the chain's head as it is now and keeps the checkpoint (one per head); `None`
    /// without a chain key.
    pub async fn take_checkpoint(&self) -> Result<Option<Checkpoint>> {
        let Some(key) = self.chain_key() else { return Ok(None) };
        let (seq, hash): (i64, String) = crate::rows::row(
            sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(&self.pool).await?,
            ["seq", "hash"],
        )?;
        let c = key.checkpoint(seq, &hash, self.now_ms());
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO audit_checkpoints (seq, hash, at_ms, signature) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (seq) DO NOTHING",
        )
        .bind(c.seq)
        .bind(&c.hash)
        .bind(c.at_ms)
        .bind(&c.signature)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(c))
    }

    /// The kept checkpoints, newest first.
    pub async fn checkpoints(&self, limit: i64) -> Result<Vec<Checkpoint>> {
        let rows: Vec<(i64, String, i64, String)> = crate::rows::all(
            sqlx::query("SELECT seq, hash, at_ms, signature FROM audit_checkpoints ORDER BY seq DESC LIMIT $1")
                .bind(limit.clamp(1, 1000))
                .fetch_all(&self.pool)
                .await?,
            ["seq", "hash", "at_ms", "signature"],
        )?;
        Ok(rows
            .into_iter()
            .map(|(seq, hash, at_ms, signature)| Checkpoint {
                format: xinqiao_domain::audit::CHECKPOINT_FORMAT.to_owned(),
                seq,
                hash,
                at_ms,
                signature,
            })
            .collect())
    }

    /// Checks the chain against a checkpoint kept outside the system: its signature, that the
    /// chain verifies, and that the entry at the checkpoint still has the checkpoint's hash.
    pub async fn verify_checkpoint(&self, c: &Checkpoint) -> Result<CheckpointVerdict> {
        let Some(key) = self.chain_key() else { return Ok(CheckpointVerdict::NoKey) };
        if !key.signed(c) {
            return Ok(CheckpointVerdict::BadSignature);
        }
        let v = self.verify_audit_chain(|_, _| {}).await?;
        if let Some(b) = v.broken {
            return Ok(CheckpointVerdict::Broken(b));
        }
        if v.head_seq < c.seq {
            return Ok(CheckpointVerdict::Shorter { head_seq: v.head_seq, seq: c.seq });
        }
        let stored: Option<(String,)> = if c.seq == 0 {
            Some((xinqiao_domain::audit::GENESIS_HASH.to_owned(),))
        } else {
            crate::rows::one(
                sqlx::query("SELECT hash FROM audit_log WHERE seq = $1").bind(c.seq).fetch_optional(&self.pool).await?,
                ["hash"],
            )?
        };
        Ok(match stored {
            Some((h,)) if h == c.hash => CheckpointVerdict::Holds { checked: v.checked },
            _ => CheckpointVerdict::Differs { seq: c.seq },
        })
    }
}
