-- 审核办结: an officer's 办结 waiting for a supervisor (when the bureau reviews closures). The
-- closure's result, recovered amount and masked note wait here; the supervisor approves (the
-- case is closed with them) or returns it with a reason. At most one request per case is open.

CREATE TABLE case_closure_requests (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases(id),
    requested_by    TEXT NOT NULL REFERENCES users(id),
    requested_at    BIGINT NOT NULL,
    result          TEXT NOT NULL CHECK (result IN ('settled', 'failed', 'terminated')),
    recovered_cents BIGINT,
    note            TEXT NOT NULL,
    decided_by      TEXT REFERENCES users(id),
    decided_at      BIGINT,
    decision        TEXT CHECK (decision IN ('approved', 'returned')),
    reason          TEXT NOT NULL DEFAULT ''
);

CREATE UNIQUE INDEX case_closure_requests_open ON case_closure_requests (case_id) WHERE decided_at IS NULL;
CREATE INDEX case_closure_requests_case ON case_closure_requests (case_id, requested_at);
