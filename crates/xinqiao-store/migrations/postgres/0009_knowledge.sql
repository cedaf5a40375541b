-- 政策问答: the registry of laws and their versions, Q&A entries with every version kept, their
-- citations (a law, a version, an article when sure), links from cases to the entries used in a
-- reply, and the public's "was this helpful" votes.

CREATE TABLE laws (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    issuer     TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    source     TEXT NOT NULL,
    verified   BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE law_versions (
    law_id        TEXT NOT NULL REFERENCES laws(id),
    version       TEXT NOT NULL,
    effective_day BIGINT,
    -- current | amended | repealed
    status        TEXT NOT NULL,
    replaced_by   TEXT,
    recorded_at   BIGINT NOT NULL,
    PRIMARY KEY (law_id, version)
);

CREATE TABLE qa_entries (
    id          TEXT PRIMARY KEY,
    status      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    explanation TEXT NOT NULL,
    audience    TEXT NOT NULL,
    industries  TEXT NOT NULL,
    tags        TEXT NOT NULL,
    example     BIGINT NOT NULL,
    author_id   TEXT NOT NULL,
    reviewer_id TEXT,
    review_by   BIGINT,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    published_at BIGINT,
    helpful     BIGINT NOT NULL DEFAULT 0,
    unhelpful   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX qa_entries_status ON qa_entries(status);
CREATE INDEX qa_entries_author ON qa_entries(author_id);

CREATE TABLE qa_versions (
    entry_id    TEXT NOT NULL REFERENCES qa_entries(id),
    version     BIGINT NOT NULL,
    question    TEXT NOT NULL,
    answer      TEXT NOT NULL,
    explanation TEXT NOT NULL,
    citations   TEXT NOT NULL,
    editor_id   TEXT NOT NULL,
    at_ms       BIGINT NOT NULL,
    PRIMARY KEY (entry_id, version)
);

CREATE TABLE qa_citations (
    entry_id TEXT NOT NULL REFERENCES qa_entries(id),
    law_id   TEXT NOT NULL REFERENCES laws(id),
    version  TEXT NOT NULL,
    article  TEXT NOT NULL,
    PRIMARY KEY (entry_id, law_id, article)
);
CREATE INDEX qa_citations_law ON qa_citations(law_id);

CREATE TABLE case_qa_links (
    case_id   TEXT NOT NULL REFERENCES cases(id),
    entry_id  TEXT NOT NULL REFERENCES qa_entries(id),
    linked_by TEXT NOT NULL,
    at_ms     BIGINT NOT NULL,
    PRIMARY KEY (case_id, entry_id)
);
