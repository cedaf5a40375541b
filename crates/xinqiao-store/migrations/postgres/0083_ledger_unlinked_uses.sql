-- 电子台账 (issue 19): raw-material uses written before the producers' chain (0081) name the
-- production batch by its number only, without the product's GTIN. A backward trace of a batch
-- lists the uses its producers recorded with that batch number, as 未关联 (possibly used in it):
-- found per producer and batch number through this partial index, which holds only those old
-- uses.
CREATE INDEX ledger_entries_unlinked ON ledger_entries(uscc, into_batch)
    WHERE into_gtin IS NULL AND into_batch IS NOT NULL;
