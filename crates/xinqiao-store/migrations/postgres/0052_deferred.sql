-- 容缺受理: applications accepted with materials to follow — the enterprise, the matter, the
-- missing materials (masked text, one per line), the day accepted, the deadline on the working-day
-- calendar, and how it ended (supplied, or ended when not supplied in time).

CREATE TABLE deferred_applications (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    officer_id      TEXT NOT NULL REFERENCES users(id),
    enterprise_name TEXT NOT NULL,
    matter          TEXT NOT NULL,
    missing         TEXT NOT NULL,
    accepted_day    BIGINT NOT NULL,
    deadline_day    BIGINT NOT NULL,
    standing        TEXT NOT NULL,
    closed_day      BIGINT,
    created_at      BIGINT NOT NULL
);
CREATE INDEX deferred_applications_org ON deferred_applications(org_id, accepted_day);
