-- 洞察与预警: each case's problem category (suggested at intake, confirmed by an officer), how it
-- ended (on time or not, mediation, money recovered); the roll-ups the dashboards read, kept by a
-- follower of the change log; early warnings and campaigns.

ALTER TABLE cases ADD COLUMN category TEXT;
ALTER TABLE cases ADD COLUMN subject TEXT;
ALTER TABLE cases ADD COLUMN category_suggested TEXT;
ALTER TABLE cases ADD COLUMN category_confirmed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN closed_at BIGINT;
ALTER TABLE cases ADD COLUMN closed_on_time BIGINT;
ALTER TABLE cases ADD COLUMN mediation_success BIGINT;
ALTER TABLE cases ADD COLUMN recovered_cents BIGINT;
CREATE INDEX cases_category_confirmed ON cases(category_confirmed, received_at);

-- What each case currently contributes to the roll-ups (so a change applies old − new exactly).
CREATE TABLE insight_facts (
    case_id          TEXT PRIMARY KEY REFERENCES cases(id),
    day              BIGINT NOT NULL,
    bureau           TEXT NOT NULL,
    kind             TEXT NOT NULL,
    category         TEXT NOT NULL,
    industry         TEXT NOT NULL,
    enterprise       TEXT NOT NULL,
    received         BIGINT NOT NULL,
    closed           BIGINT NOT NULL,
    closed_on_time   BIGINT NOT NULL,
    mediated         BIGINT NOT NULL,
    mediated_success BIGINT NOT NULL,
    rating_sum       BIGINT NOT NULL,
    rating_count     BIGINT NOT NULL,
    recovered_cents  BIGINT NOT NULL
);

-- Day × bureau × kind × category × industry × enterprise; `seq` is the change-log position that
-- last touched the row, so app nodes refresh their in-memory copy by reading rows after theirs.
CREATE TABLE insight_rollups (
    day              BIGINT NOT NULL,
    bureau           TEXT NOT NULL,
    kind             TEXT NOT NULL,
    category         TEXT NOT NULL,
    industry         TEXT NOT NULL,
    enterprise       TEXT NOT NULL,
    received         BIGINT NOT NULL,
    closed           BIGINT NOT NULL,
    closed_on_time   BIGINT NOT NULL,
    mediated         BIGINT NOT NULL,
    mediated_success BIGINT NOT NULL,
    rating_sum       BIGINT NOT NULL,
    rating_count     BIGINT NOT NULL,
    recovered_cents  BIGINT NOT NULL,
    seq              BIGINT NOT NULL,
    PRIMARY KEY (day, bureau, kind, category, industry, enterprise)
);
CREATE INDEX insight_rollups_seq ON insight_rollups(seq);

-- Followers of the change log and how far each has applied it.
CREATE TABLE followers (
    name TEXT PRIMARY KEY,
    seq  BIGINT NOT NULL
);

CREATE TABLE warnings (
    id           TEXT PRIMARY KEY,
    -- enterprise_spike | prepaid_spike | category_surge
    rule         TEXT NOT NULL,
    -- the enterprise key, or category@region
    subject      TEXT NOT NULL,
    label        TEXT NOT NULL,
    window_end   BIGINT NOT NULL,
    observed     BIGINT NOT NULL,
    expected     TEXT NOT NULL,
    p_value      TEXT NOT NULL,
    case_ids     TEXT NOT NULL,
    -- open | acknowledged | assigned | closed
    status       TEXT NOT NULL,
    assigned_to  TEXT REFERENCES users(id),
    note         TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    UNIQUE (rule, subject, window_end)
);
CREATE INDEX warnings_status ON warnings(status, created_at);

CREATE TABLE campaigns (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    -- guide | training | inspection_wave
    kind        TEXT NOT NULL,
    start_day   BIGINT NOT NULL,
    window_days BIGINT NOT NULL,
    -- category_share:<code> | inspection_pass
    measure     TEXT NOT NULL,
    bureau      TEXT NOT NULL,
    note        TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
