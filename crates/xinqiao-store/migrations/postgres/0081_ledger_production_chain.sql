-- 电子台账 (issue 19), producers' chain: a raw-material use (原料使用) names the production batch
-- it went into by GTIN-14 as well as batch (`into_batch` was already there), so a trace follows a
-- raw-material lot forward to the batches made from it and a finished batch back to its lots.
-- Only uses carry it: the index is partial, and small.
ALTER TABLE ledger_entries ADD COLUMN into_gtin TEXT;
CREATE INDEX ledger_entries_into ON ledger_entries(into_gtin, into_batch) WHERE into_gtin IS NOT NULL;

-- A recall or sealing of a raw-material lot reaches the batches made from it: for each holder on
-- the list, the batches made from the recalled lot that it holds, with what was on hand.
CREATE TABLE ledger_recall_lots (
    recall_id     TEXT NOT NULL REFERENCES ledger_recalls(id),
    uscc          TEXT NOT NULL REFERENCES ledger_enterprises(uscc),
    gtin          TEXT NOT NULL,
    batch         TEXT NOT NULL,
    on_hand_milli BIGINT NOT NULL,
    PRIMARY KEY (recall_id, uscc, gtin, batch)
);
