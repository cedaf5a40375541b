-- Reminders to an incident's owner and its bureau's supervisors before a legal clock or a
-- promise is missed: one row per subject, stage and recipient (each stage told once).

CREATE TABLE incident_reminders (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    -- measure | promise
    subject_kind TEXT NOT NULL,
    subject_id   TEXT NOT NULL,
    -- due_soon | missed
    stage        TEXT NOT NULL,
    recipient_id TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL,
    UNIQUE (subject_kind, subject_id, stage, recipient_id)
);
CREATE INDEX incident_reminders_recipient ON incident_reminders(recipient_id, created_at);
