-- 复盘: the after-action review of an incident — the lessons (masked), who wrote them and when;
-- the latest text is kept, each saving also goes to its writer's work log.

CREATE TABLE incident_reviews (
    incident_id TEXT PRIMARY KEY REFERENCES incidents(id),
    lessons     TEXT NOT NULL,
    written_by  TEXT NOT NULL REFERENCES users(id),
    written_at  BIGINT NOT NULL
);
