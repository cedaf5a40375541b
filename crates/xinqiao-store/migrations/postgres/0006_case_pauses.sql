-- Pauses of a case's clock: waiting for testing or appraisal (检测鉴定), or for the complainant's
-- supplement. Days since 1970-01-01 (China time); an open pause has no end.

CREATE TABLE case_pauses (
    id       TEXT PRIMARY KEY,
    case_id  TEXT NOT NULL REFERENCES cases(id),
    reason   TEXT NOT NULL,
    from_day BIGINT NOT NULL,
    to_day   BIGINT
);
CREATE INDEX case_pauses_case ON case_pauses(case_id);
