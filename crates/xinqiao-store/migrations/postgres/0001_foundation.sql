-- Foundation: organisations, accounts, sessions, API tokens, settings and the audit trail.
-- Times are epoch milliseconds; ids are UUIDv7 text; booleans are 0/1 integers.

CREATE TABLE orgs (
    id          TEXT PRIMARY KEY,
    region_code TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES orgs(id),
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    org_id               TEXT REFERENCES orgs(id),
    uscc                 TEXT,
    disabled             BIGINT NOT NULL DEFAULT 0,
    failed_logins        BIGINT NOT NULL DEFAULT 0,
    locked_until         BIGINT,
    totp_secret          TEXT,
    totp_last_step       BIGINT,
    must_change_password BIGINT NOT NULL DEFAULT 0,
    created_at           BIGINT NOT NULL,
    updated_at           BIGINT NOT NULL
);

CREATE TABLE user_roles (
    user_id TEXT NOT NULL REFERENCES users(id),
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    stage        TEXT NOT NULL,
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked      BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE audit_log (
    seq         BIGINT PRIMARY KEY,
    at_ms       BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    actor_name  TEXT NOT NULL,
    actor_roles TEXT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    client_addr TEXT NOT NULL,
    purpose     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at_ms);
CREATE INDEX audit_log_actor ON audit_log(actor_name);
CREATE INDEX audit_log_action ON audit_log(action);

-- The chain head: one row, updated in the same transaction as each append, which serialises
-- writers on the chain.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
