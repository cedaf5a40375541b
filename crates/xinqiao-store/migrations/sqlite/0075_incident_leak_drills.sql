-- 泄密演练: a supervisor exercises a leak of an incident's plan (what, when it was carried out,
-- the scenario, masked), the bureau's own target for finding who knew it, and the findings that
-- close the drill; the report lists who opened the incident before the plan was carried out.

CREATE TABLE incident_leak_drills (
    id             TEXT PRIMARY KEY,
    incident_id    TEXT NOT NULL REFERENCES incidents(id),
    plan           TEXT NOT NULL,
    carried_out_at BIGINT NOT NULL,
    scenario       TEXT NOT NULL,
    target_hours   BIGINT NOT NULL,
    started_by     TEXT NOT NULL REFERENCES users(id),
    started_at     BIGINT NOT NULL,
    findings       TEXT,
    closed_by      TEXT REFERENCES users(id),
    closed_at      BIGINT
);
CREATE INDEX incident_leak_drills_incident ON incident_leak_drills(incident_id, started_at);
