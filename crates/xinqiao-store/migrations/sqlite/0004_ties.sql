-- Independence (回避): the industries an officer works in, the ties officers declare to
-- enterprises or people, and the cases they stepped aside from.

CREATE TABLE officer_industries (
    user_id  TEXT NOT NULL REFERENCES users(id),
    industry TEXT NOT NULL,
    PRIMARY KEY (user_id, industry)
);

CREATE TABLE ties (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL,
    enterprise_uscc TEXT,
    enterprise_name TEXT,
    person_index    TEXT,
    note            TEXT NOT NULL,
    declared_at     BIGINT NOT NULL
);
CREATE INDEX ties_user ON ties(user_id);

CREATE TABLE case_recusals (
    case_id TEXT NOT NULL REFERENCES cases(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    reason  TEXT NOT NULL,
    at_ms   BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
