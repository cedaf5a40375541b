-- Signed checkpoints of the audit chain (the head's hash and count, HMAC under the chain's key
-- from secrets.toml), taken daily; auditors download them and keep them outside the system.

CREATE TABLE audit_checkpoints (
    seq        BIGINT PRIMARY KEY,
    hash       TEXT NOT NULL,
    at_ms      BIGINT NOT NULL,
    signature  TEXT NOT NULL
);
