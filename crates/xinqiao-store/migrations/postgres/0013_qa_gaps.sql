-- 群众问了但没有答案的问题: public Q&A searches that found nothing, or whose answers were voted
-- unhelpful, kept for the officers who write the week's new entries. Only the question masked by
-- the privacy detector is kept, with its key words for grouping; never who asked, nor from where.

CREATE TABLE qa_gaps (
    id        TEXT PRIMARY KEY,
    asked_at  BIGINT NOT NULL,
    -- the Monday of the week asked, as days since 1970-01-01 (China Standard Time)
    week      BIGINT NOT NULL,
    question  TEXT NOT NULL,
    -- key words as the search understood them, separated by spaces
    words     TEXT NOT NULL,
    -- no_match | unhelpful
    reason    TEXT NOT NULL,
    -- enterprise | consumer | '' (not said)
    audience  TEXT NOT NULL,
    -- the entry voted unhelpful, if any
    entry_id  TEXT,
    -- the draft entry an officer started from this question, if any
    draft_id  TEXT
);
CREATE INDEX qa_gaps_week ON qa_gaps(week);
