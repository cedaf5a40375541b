-- 电子台账 (issue 19): the batches an early warning (预警) is about (GTIN-14 + batch or lot), so an
-- officer goes from the warning to every holder of the batch in the bureau tree, by their ledgers.
CREATE TABLE ledger_warning_batches (
    warning_id TEXT NOT NULL REFERENCES warnings(id),
    gtin       TEXT NOT NULL,
    batch      TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (warning_id, gtin, batch)
);
