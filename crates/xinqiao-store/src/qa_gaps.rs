//! 群众问了但没有答案的问题: public Q&A questions that found nothing or whose answers were voted
//! unhelpful. The caller masks the question first; nothing identifies who asked. Grouping and
//! weekly counts are the domain's (`knowledge::gaps`); this keeps the rows.

use crate::audit::{self, Actor, Event};
use crate::{Result, Store, new_id};
use sqlx::Row;
use xinqiao_domain::audit::Outcome;

/// The longest question kept, in characters.
pub const MAX_GAP_CHARS: usize = 200;

/// A question to keep. `question` must already be masked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewGap {
    pub asked_at: i64,
    /// The Monday of the week asked (days since 1970-01-01).
    pub week: i64,
    pub question: String,
    pub words: Vec<String>,
    /// no_match | unhelpful
    pub reason: String,
    /// enterprise | consumer | empty
    pub audience: String,
    pub entry_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapRow {
    pub id: String,
    pub asked_at: i64,
    pub week: i64,
    pub question: String,
    pub words: Vec<String>,
    pub reason: String,
    pub audience: String,
    pub entry_id: Option<String>,
    pub draft_id: Option<String>,
}

impl Store {
    /// Keeps one unanswered (or badly answered) question; the text is cut to [`MAX_GAP_CHARS`].
    pub async fn record_gap(&self, gap: &NewGap) -> Result<()> {
        let question: String = gap.question.chars().take(MAX_GAP_CHARS).collect();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO qa_gaps (id, asked_at, week, question, words, reason, audience, entry_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_id())
        .bind(gap.asked_at)
        .bind(gap.week)
        .bind(question)
        .bind(gap.words.join(" "))
        .bind(&gap.reason)
        .bind(&gap.audience)
        .bind(&gap.entry_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    }

    /// The questions kept since the week starting on day `week` (inclusive), newest first, at
    /// most `limit`.
    pub async fn gaps_since(&self, week: i64, limit: i64) -> Result<Vec<GapRow>> {
        let rows = sqlx::query(
            "SELECT id, asked_at, week, question, words, reason, audience, entry_id, draft_id FROM qa_gaps \
             WHERE week >= $1 ORDER BY asked_at DESC, id DESC LIMIT $2",
        )
        .bind(week)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(GapRow {
                    id: r.try_get("id")?,
                    asked_at: r.try_get("asked_at")?,
                    week: r.try_get("week")?,
                    question: r.try_get("question")?,
                    words: r.try_get::<String, _>("words")?.split_whitespace().map(str::to_owned).collect(),
                    reason: r.try_get("reason")?,
                    audience: r.try_get("audience")?,
                    entry_id: r.try_get("entry_id")?,
                    draft_id: r.try_get("draft_id")?,
                })
            })
            .collect()
    }

    /// Records that `draft_id` was started from the questions `ids`; returns how many there were.
    pub async fn mark_gaps_drafted(&self, actor: &Actor, ids: &[String], draft_id: &str) -> Result<u64> {
        let mut tx = self.begin().await?;
        let mut marked = 0;
        for chunk in ids.chunks(50) {
            let list = (2..chunk.len() + 2).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
            let sql = format!("UPDATE qa_gaps SET draft_id = $1 WHERE id IN ({list})");
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(draft_id);
            for id in chunk {
                q = q.bind(id);
            }
            marked += q.execute(&mut *tx).await?.rows_affected();
        }
        audit::append(
            &mut tx,
            actor,
            Event::new("qa.gap_draft", format!("qa:{draft_id}"), Outcome::Success)
                .detail(serde_json::json!({ "questions": marked })),
        )
        .await?;
        tx.commit().await?;
        Ok(marked)
    }
}
