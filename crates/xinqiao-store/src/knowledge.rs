//! 政策问答: the law registry with its versions, Q&A entries with every version kept and their
//! citations, the law-change cascade (entries citing a changed law become 待复核), links from
//! cases to the entries used in a reply, and votes. Statuses are the domain's (`QaStatus`,
//! `LawStatus`), read by column name; an unknown stored status is an error.

use crate::audit::{self, Actor, Event};
use crate::outbox::record;
use crate::rows::{self, parsed};
use crate::{Result, Store, StoreError, flag, new_id};
use serde_json::json;
use sqlx::Row;
use xinqiao_domain::audit::Outcome;
use xinqiao_domain::knowledge::{LawStatus, QaStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawVersionRow {
    pub version: String,
    pub effective_day: Option<i64>,
    pub status: LawStatus,
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawRow {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub doc_number: String,
    pub source: String,
    pub verified: bool,
    pub versions: Vec<LawVersionRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CitationRow {
    pub law_id: String,
    pub version: String,
    /// Empty when no article is cited.
    pub article: String,
}

/// What an author writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct EntryText {
    pub question: String,
    pub answer: String,
    pub explanation: String,
    /// Audience codes, comma-separated (`enterprise,consumer`).
    pub audience: String,
    /// GB/T 4754 section letters, e.g. `HF`.
    pub industries: String,
    /// Comma-separated.
    pub tags: String,
    pub citations: Vec<CitationRow>,
    pub review_by: Option<i64>,
    pub example: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    pub id: String,
    pub status: QaStatus,
    pub version: i64,
    pub text: EntryText,
    pub author_id: String,
    pub reviewer_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
    pub published_at: Option<i64>,
    pub helpful: i64,
    pub unhelpful: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub version: i64,
    pub question: String,
    pub answer: String,
    pub explanation: String,
    pub citations: Vec<CitationRow>,
    pub editor_id: String,
    pub at_ms: i64,
}

const ENTRY_COLUMNS: &str = "id, status, version, question, answer, explanation, audience, industries, tags, example, \
    author_id, reviewer_id, review_by, created_at, updated_at, published_at, helpful, unhelpful";

fn entry_from(row: &sqlx::any::AnyRow) -> Result<EntryRow> {
    Ok(EntryRow {
        id: row.try_get("id")?,
        status: parsed(row, "status", QaStatus::parse)?,
        version: row.try_get("version")?,
        text: EntryText {
            question: row.try_get("question")?,
            answer: row.try_get("answer")?,
            explanation: row.try_get("explanation")?,
            audience: row.try_get("audience")?,
            industries: row.try_get("industries")?,
            tags: row.try_get("tags")?,
            example: rows::flag(row, "example")?,
            review_by: row.try_get("review_by")?,
            citations: Vec::new(),
        },
        author_id: row.try_get("author_id")?,
        reviewer_id: row.try_get("reviewer_id")?,
        created_at: row.try_get("created_at")?,
        updated_at: row.try_get("updated_at")?,
        published_at: row.try_get("published_at")?,
        helpful: row.try_get("helpful")?,
        unhelpful: row.try_get("unhelpful")?,
    })
}

fn citation_from(row: &sqlx::any::AnyRow) -> Result<CitationRow> {
    Ok(CitationRow {
        law_id: row.try_get("law_id")?,
        version: row.try_get("version")?,
        article: row.try_get("article")?,
    })
}

async fn write_version(tx: &mut crate::Tx, id: &str, version: i64, text: &EntryText, editor: &str) -> Result<()> {
    let citations = serde_json::to_string(&text.citations).map_err(|e| StoreError::Migration(e.to_string()))?;
    sqlx::query(
        "INSERT INTO qa_versions (entry_id, version, question, answer, explanation, citations, editor_id, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(version)
    .bind(&text.question)
    .bind(&text.answer)
    .bind(&text.explanation)
    .bind(citations)
    .bind(editor)
    .bind(tx.now_ms())
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM qa_citations WHERE entry_id = $1").bind(id).execute(&mut **tx).await?;
    let mut seen = std::collections::HashSet::new();
    for c in text.citations.iter().filter(|c| seen.insert((c.law_id.clone(), c.article.clone()))) {
        sqlx::query("INSERT INTO qa_citations (entry_id, law_id, version, article) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(&c.law_id)
            .bind(&c.version)
            .bind(&c.article)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

impl Store {
    /// Adds or replaces a law with its versions (seeding the registry from data).
    pub async fn upsert_law(&self, actor: &Actor, law: &LawRow) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO laws (id, name, issuer, doc_number, source, verified, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (id) DO UPDATE SET name = excluded.name, issuer = excluded.issuer, \
             doc_number = excluded.doc_number, source = excluded.source, verified = excluded.verified, \
             updated_at = excluded.updated_at",
        )
        .bind(&law.id)
        .bind(&law.name)
        .bind(&law.issuer)
        .bind(&law.doc_number)
        .bind(&law.source)
        .bind(flag(law.verified))
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        for v in &law.versions {
            sqlx::query(
                "INSERT INTO law_versions (law_id, version, effective_day, status, replaced_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (law_id, version) DO UPDATE SET \
                 effective_day = excluded.effective_day, status = excluded.status, replaced_by = excluded.replaced_by",
            )
            .bind(&law.id)
            .bind(&v.version)
            .bind(v.effective_day)
            .bind(v.status.code())
            .bind(&v.replaced_by)
            .bind(self.now_ms())
            .execute(&mut *tx)
            .await?;
        }
        audit::append(&mut tx, actor, Event::new("law.upsert", format!("law:{}", law.id), Outcome::Success)).await?;
        tx.commit().await
    }

    pub async fn laws(&self) -> Result<Vec<LawRow>> {
        let laws = sqlx::query("SELECT id, name, issuer, doc_number, source, verified FROM laws ORDER BY name")
            .fetch_all(&self.pool)
            .await?;
        let versions = sqlx::query(
            "SELECT law_id, version, effective_day, status, replaced_by FROM law_versions ORDER BY law_id, effective_day, version",
        )
        .fetch_all(&self.pool)
        .await?;
        let versions = versions
            .iter()
            .map(|v| {
                let law: String = v.try_get("law_id")?;
                let row = LawVersionRow {
                    version: v.try_get("version")?,
                    effective_day: v.try_get("effective_day")?,
                    status: parsed(v, "status", LawStatus::parse)?,
                    replaced_by: v.try_get("replaced_by")?,
                };
                Ok((law, row))
            })
            .collect::<Result<Vec<_>>>()?;
        laws.iter()
            .map(|l| {
                let id: String = l.try_get("id")?;
                Ok(LawRow {
                    versions: versions.iter().filter(|(law, _)| *law == id).map(|(_, v)| v.clone()).collect(),
                    name: l.try_get("name")?,
                    issuer: l.try_get("issuer")?,
                    doc_number: l.try_get("doc_number")?,
                    source: l.try_get("source")?,
                    verified: rows::flag(l, "verified")?,
                    id,
                })
            })
            .collect()
    }

    /// Records a law's new version (`status = current`: the current one becomes amended) or its
    /// repeal (`status = repealed`), and in the same transaction moves the entries `stale` (the
    /// domain's cascade decided which) that are still 待审 or 已发布 to 待复核. Returns those moved.
    pub async fn change_law(
        &self,
        actor: &Actor,
        law_id: &str,
        version: &LawVersionRow,
        stale: &[String],
    ) -> Result<Vec<String>> {
        let mut tx = self.begin().await?;
        if version.status == LawStatus::Current {
            sqlx::query("UPDATE law_versions SET status = 'amended' WHERE law_id = $1 AND status = 'current'")
                .bind(law_id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO law_versions (law_id, version, effective_day, status, replaced_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (law_id, version) DO UPDATE SET status = excluded.status",
        )
        .bind(law_id)
        .bind(&version.version)
        .bind(version.effective_day)
        .bind(version.status.code())
        .bind(&version.replaced_by)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        let mut moved = Vec::new();
        for id in stale {
            let done = sqlx::query(
                "UPDATE qa_entries SET status = 'stale', updated_at = $1 WHERE id = $2 AND status IN ('review', 'published')",
            )
            .bind(self.now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() > 0 {
                record(&mut tx, "qa", id).await?;
                moved.push(id.clone());
            }
        }
        let event = Event::new("law.change", format!("law:{law_id}"), Outcome::Success).detail(
            json!({"version": version.version, "status": version.status.code(), "entries_to_review": moved.len()}),
        );
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok(moved)
    }

    /// A new entry (version 1) in `status`.
    pub async fn create_entry(&self, actor: &Actor, status: QaStatus, text: &EntryText) -> Result<String> {
        let id = new_id();
        let now = self.now_ms();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO qa_entries (id, status, version, question, answer, explanation, audience, industries, tags, \
             example, author_id, review_by, created_at, updated_at) VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
        )
        .bind(&id)
        .bind(status.code())
        .bind(&text.question)
        .bind(&text.answer)
        .bind(&text.explanation)
        .bind(&text.audience)
        .bind(&text.industries)
        .bind(&text.tags)
        .bind(flag(text.example))
        .bind(&actor.id)
        .bind(text.review_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        write_version(&mut tx, &id, 1, text, &actor.id).await?;
        record(&mut tx, "qa", &id).await?;
        audit::append(&mut tx, actor, Event::new("qa.create", format!("qa:{id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A new version of an entry, if nobody saved one since `seen_version` (else 409); the
    /// status becomes `status`.
    pub async fn revise_entry(
        &self,
        actor: &Actor,
        id: &str,
        seen_version: i64,
        status: QaStatus,
        text: &EntryText,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE qa_entries SET version = version + 1, status = $1, question = $2, answer = $3, explanation = $4, \
             audience = $5, industries = $6, tags = $7, review_by = $8, updated_at = $9 WHERE id = $10 AND version = $11",
        )
        .bind(status.code())
        .bind(&text.question)
        .bind(&text.answer)
        .bind(&text.explanation)
        .bind(&text.audience)
        .bind(&text.industries)
        .bind(&text.tags)
        .bind(text.review_by)
        .bind(self.now_ms())
        .bind(id)
        .bind(seen_version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::KnowledgeConflict::VersionChanged));
        }
        write_version(&mut tx, id, seen_version + 1, text, &actor.id).await?;
        record(&mut tx, "qa", id).await?;
        audit::append(&mut tx, actor, Event::new("qa.revise", format!("qa:{id}"), Outcome::Success)).await?;
        tx.commit().await?;
        Ok(seen_version + 1)
    }

    /// Moves an entry from `from` to `to` (409 when it is no longer in `from`); publishing
    /// records the reviewer and the time. `action` is the audit code (`qa.publish` …).
    pub async fn set_entry_status(
        &self,
        actor: &Actor,
        id: &str,
        from: QaStatus,
        to: QaStatus,
        action: &'static str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let publishing = to == QaStatus::Published;
        let done = sqlx::query(
            "UPDATE qa_entries SET status = $1, updated_at = $2, \
             reviewer_id = CASE WHEN $3 = 1 THEN $4 ELSE reviewer_id END, \
             published_at = CASE WHEN $3 = 1 THEN $2 ELSE published_at END WHERE id = $5 AND status = $6",
        )
        .bind(to.code())
        .bind(self.now_ms())
        .bind(flag(publishing))
        .bind(&actor.id)
        .bind(id)
        .bind(from.code())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::from(crate::conflict::KnowledgeConflict::StatusChanged));
        }
        record(&mut tx, "qa", id).await?;
        let event = Event::new(action, format!("qa:{id}"), Outcome::Success)
            .detail(json!({"from": from.code(), "to": to.code()}));
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    /// An entry with its current citations.
    pub async fn entry(&self, id: &str) -> Result<EntryRow> {
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM qa_entries WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mut e = entry_from(&row)?;
        let cites = sqlx::query(
            "SELECT law_id, version, article FROM qa_citations WHERE entry_id = $1 ORDER BY law_id, article",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        e.text.citations = cites.iter().map(citation_from).collect::<Result<_>>()?;
        Ok(e)
    }

    /// Entries in any of `statuses` (all when empty), by `author` when given, newest change first.
    /// Published entries whose review-by day is on or before `day` (days since 1970-01-01), the
    /// soonest first: what needs a fresh look before it misleads anyone.
    pub async fn entries_due_for_review(&self, day: i64, limit: i64) -> Result<Vec<EntryRow>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM qa_entries WHERE status = 'published' AND review_by IS NOT NULL \
             AND review_by <= $1 ORDER BY review_by, id LIMIT $2"
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(day).bind(limit.clamp(1, 5000)).fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }

    pub async fn entries(&self, statuses: &[QaStatus], author: Option<&str>, limit: i64) -> Result<Vec<EntryRow>> {
        let mut w = crate::filter::Where::new();
        w.any_of("status", statuses.iter().map(|s| s.code()));
        if let Some(a) = author {
            w.eq("author_id", a);
        }
        let limit = w.placeholder(limit.clamp(1, 5000).into());
        let sql = format!("SELECT {ENTRY_COLUMNS} FROM qa_entries{} ORDER BY updated_at DESC LIMIT {limit}", w.sql());
        let q = w.bind(sqlx::query(sqlx::AssertSqlSafe(sql)));
        q.fetch_all(&self.pool).await?.iter().map(entry_from).collect()
    }

    /// The citations of every entry citing `law_id` that is in one of `statuses`, as
    /// (entry id, status, citations), in one query: what the law-change cascade decides on.
    pub async fn entries_citing(
        &self,
        law_id: &str,
        statuses: &[QaStatus],
    ) -> Result<Vec<(String, QaStatus, Vec<CitationRow>)>> {
        let rows = sqlx::query(
            "SELECT e.id AS entry_id, e.status AS status, c.law_id AS law_id, c.version AS version, c.article AS article \
             FROM qa_entries e JOIN qa_citations c ON c.entry_id = e.id \
             WHERE e.id IN (SELECT entry_id FROM qa_citations WHERE law_id = $1) ORDER BY e.id, c.law_id, c.article",
        )
        .bind(law_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<(String, QaStatus, Vec<CitationRow>)> = Vec::new();
        for row in &rows {
            let status = parsed(row, "status", QaStatus::parse)?;
            if !statuses.contains(&status) {
                continue;
            }
            let id: String = row.try_get("entry_id")?;
            let cite = citation_from(row)?;
            match out.last_mut() {
                Some((last, _, cites)) if *last == id => cites.push(cite),
                _ => out.push((id, status, vec![cite])),
            }
        }
        Ok(out)
    }

    /// Every version of an entry, oldest first.
    pub async fn entry_versions(&self, id: &str) -> Result<Vec<VersionRow>> {
        let rows = sqlx::query(
            "SELECT version, question, answer, explanation, citations, editor_id, at_ms FROM qa_versions \
             WHERE entry_id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let citations: String = r.try_get("citations")?;
                Ok(VersionRow {
                    version: r.try_get("version")?,
                    question: r.try_get("question")?,
                    answer: r.try_get("answer")?,
                    explanation: r.try_get("explanation")?,
                    citations: serde_json::from_str(&citations)
                        .map_err(|_| rows::bad("qa_versions.citations", &citations))?,
                    editor_id: r.try_get("editor_id")?,
                    at_ms: r.try_get("at_ms")?,
                })
            })
            .collect()
    }

    /// Entries published (or revised while published) between two times, for the weekly digest.
    pub async fn published_between(&self, from_ms: i64, to_ms: i64) -> Result<Vec<EntryRow>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM qa_entries WHERE status = 'published' AND updated_at >= $1 AND updated_at < $2 \
             ORDER BY updated_at"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(from_ms).bind(to_ms).fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }

    /// A vote from the public page; only on published entries.
    /// A visitor's vote on a published entry, counted once per visitor (an HMAC the caller
    /// makes). Returns whether it counted (false: this visitor had voted already).
    pub async fn vote_entry(&self, id: &str, visitor: &str, helpful: bool) -> Result<bool> {
        let mut tx = self.begin().await?;
        let published: Option<(String,)> =
            sqlx::query_as("SELECT id FROM qa_entries WHERE id = $1 AND status = 'published'")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if published.is_none() {
            tx.rollback().await?;
            return Err(StoreError::NotFound);
        }
        let first = sqlx::query(
            "INSERT INTO qa_votes (entry_id, visitor, helpful, at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (entry_id, visitor) DO NOTHING",
        )
        .bind(id)
        .bind(visitor)
        .bind(flag(helpful))
        .bind(tx.now_ms())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if first {
            let sql = if helpful {
                "UPDATE qa_entries SET helpful = helpful + 1 WHERE id = $1"
            } else {
                "UPDATE qa_entries SET unhelpful = unhelpful + 1 WHERE id = $1"
            };
            sqlx::query(sql).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(first)
    }

    /// Links a published entry to a case (used in the reply); the case's history says so.
    pub async fn link_entry_to_case(&self, actor: &Actor, case_id: &str, entry_id: &str, note: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let published: Option<(String,)> =
            sqlx::query_as("SELECT id FROM qa_entries WHERE id = $1 AND status = 'published'")
                .bind(entry_id)
                .fetch_optional(&mut *tx)
                .await?;
        if published.is_none() {
            return Err(StoreError::NotFound);
        }
        let linked = sqlx::query(
            "INSERT INTO case_qa_links (case_id, entry_id, linked_by, at_ms) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (case_id, entry_id) DO NOTHING",
        )
        .bind(case_id)
        .bind(entry_id)
        .bind(&actor.id)
        .bind(self.now_ms())
        .execute(&mut *tx)
        .await?;
        if linked.rows_affected() == 0 {
            return Ok(());
        }
        crate::cases::note_in(&mut tx, case_id, &actor.id, "case.qa_link", note, true).await?;
        audit::append(&mut tx, actor, Event::new("case.qa_link", format!("case:{case_id}"), Outcome::Success)).await?;
        tx.commit().await
    }

    /// The published entries linked to a case.
    pub async fn case_entries(&self, case_id: &str) -> Result<Vec<EntryRow>> {
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM qa_entries WHERE id IN (SELECT entry_id FROM case_qa_links WHERE case_id = $1) \
             ORDER BY question"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(case_id).fetch_all(&self.pool).await?;
        rows.iter().map(entry_from).collect()
    }
}
