-- 复检机构随机确定: for a re-test request, the laboratory of the first test, the directory it was
-- drawn from (JSON array, canonical order, the first laboratory taken out), the random seed and
-- the pick. One draw per measure: a second is refused, never redrawn.

CREATE TABLE incident_retest_labs (
    measure_id   TEXT PRIMARY KEY REFERENCES incident_measures(id),
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    original_lab TEXT NOT NULL,
    candidates   TEXT NOT NULL,
    seed         TEXT NOT NULL,
    picked       TEXT NOT NULL,
    drawn_by     TEXT NOT NULL REFERENCES users(id),
    drawn_at     BIGINT NOT NULL
);
CREATE INDEX incident_retest_labs_incident ON incident_retest_labs(incident_id);
