-- Evidence for publication: a photo or video still of an incident, its original sealed in blobs
-- (for staff only), and the published copy re-encoded with the boxed pixels destroyed, stored
-- apart in blobs with the boxes that made it.

CREATE TABLE incident_evidence (
    id               TEXT PRIMARY KEY,
    incident_id      TEXT NOT NULL REFERENCES incidents(id),
    caption          TEXT NOT NULL,
    original_sha256  TEXT NOT NULL REFERENCES blobs(sha256),
    -- as shown (EXIF orientation applied)
    width            BIGINT NOT NULL,
    height           BIGINT NOT NULL,
    added_by         TEXT NOT NULL REFERENCES users(id),
    added_at         BIGINT NOT NULL,
    -- JSON list of {x, y, w, h} of the published copy
    boxes            TEXT,
    published_sha256 TEXT REFERENCES blobs(sha256),
    published_by     TEXT REFERENCES users(id),
    published_at     BIGINT
);
CREATE INDEX incident_evidence_incident ON incident_evidence(incident_id, added_at);
