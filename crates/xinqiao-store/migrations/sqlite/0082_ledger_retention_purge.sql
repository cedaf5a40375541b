-- 电子台账 (issue 19): a line is purged once its retention date (retain_until, computed per line
-- from the law) has passed. Lines stay append-only: the delete trigger refuses every delete
-- except of a line past the day a purge is running for, which the purge writes into
-- ledger_purge_window inside its own transaction and removes before it commits (so no other
-- transaction ever sees it).
CREATE TABLE ledger_purge_window (day BIGINT NOT NULL);
CREATE INDEX ledger_entries_retain ON ledger_entries(retain_until);
-- A voucher photo goes with its line unless another line still names it.
CREATE INDEX ledger_entries_voucher ON ledger_entries(voucher_sha256) WHERE voucher_sha256 IS NOT NULL;
DROP TRIGGER ledger_entries_no_delete;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
WHEN NOT EXISTS (SELECT 1 FROM ledger_purge_window w WHERE OLD.retain_until < w.day)
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries is append-only');
END;
