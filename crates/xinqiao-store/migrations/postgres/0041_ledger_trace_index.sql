-- 电子台账 (issue 19), tracing at scale: the index that finds the line correcting another holds
-- only the corrections. As a full index it held one NULL per uncorrected line; SQLite's ANALYZE
-- counts those NULLs as a single value, judged the index useless for `c.corrects = e.id` and
-- scanned every line once per traced line (1M lines: seconds per batch). Partial, it is small,
-- its statistics describe only real corrections, and both backends probe it per line.
DROP INDEX ledger_entries_corrects;
CREATE UNIQUE INDEX ledger_entries_corrects ON ledger_entries(corrects) WHERE corrects IS NOT NULL;
