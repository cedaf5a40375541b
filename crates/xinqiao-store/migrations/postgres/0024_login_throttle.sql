-- Sign-in throttling per (name, client) instead of an account lock anyone could trigger: the key
-- is an HMAC of the typed name and the client address (never the name itself). Security notices
-- tell an account holder (recipient = user id) and the security administrators
-- (recipient = 'role:secadmin') about repeated failures.

CREATE TABLE login_throttle (
    key              TEXT PRIMARY KEY,
    failures         BIGINT NOT NULL,
    next_allowed_at  BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

CREATE TABLE security_notices (
    id         TEXT PRIMARY KEY,
    recipient  TEXT NOT NULL,
    text       TEXT NOT NULL,
    at_ms      BIGINT NOT NULL,
    read_at    BIGINT
);
CREATE INDEX security_notices_recipient ON security_notices(recipient, at_ms);
