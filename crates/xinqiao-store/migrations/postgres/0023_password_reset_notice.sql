-- A password reset by an administrator is told to the account holder at sign-in: who reset it
-- and when (so that an administrator cannot quietly sign in as someone else).

ALTER TABLE users ADD COLUMN password_reset_by TEXT;
ALTER TABLE users ADD COLUMN password_reset_at BIGINT;
