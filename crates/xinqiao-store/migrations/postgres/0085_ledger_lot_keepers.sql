-- 电子台账 (issue 19): what each keeper's current lines of each batch add up to, one row per
-- (GTIN, batch, keeper enterprise), written in the same transaction as every ledger line written
-- or purged (crates/xinqiao-store/src/ledger/keepers.rs). A batch linked through the producers'
-- chain is shown as a summary; summed from the lines it cost one index entry and one correction
-- probe per line (~10,000 lines for a whole chain at 10 million lines), summed from this table it
-- costs one row per keeper. Filled here from the lines already written (current lines only: a
-- line some other line corrects is left out, as in every trace).
CREATE TABLE ledger_lot_keepers (
    gtin       TEXT NOT NULL,
    batch      TEXT NOT NULL,
    uscc       TEXT NOT NULL,
    -- current lines of the batch in this keeper's ledger
    movements  BIGINT NOT NULL,
    -- bought and made / sold, shipped and used as raw material, in thousandths
    in_milli   BIGINT NOT NULL,
    out_milli  BIGINT NOT NULL,
    -- raw-material uses of the batch naming no production batch
    unlinked   BIGINT NOT NULL,
    first_on   BIGINT NOT NULL,
    last_on    BIGINT NOT NULL,
    -- the least and greatest unit of the lines (they differ: the sums mix units)
    unit_lo    TEXT NOT NULL,
    unit_hi    TEXT NOT NULL
);
INSERT INTO ledger_lot_keepers (gtin, batch, uscc, movements, in_milli, out_milli, unlinked, first_on, last_on, unit_lo, unit_hi)
SELECT e.gtin, e.batch, e.uscc, COUNT(*),
       SUM(CASE WHEN e.kind IN ('purchase', 'production') THEN e.quantity_milli ELSE 0 END),
       SUM(CASE WHEN e.kind IN ('purchase', 'production') THEN 0 ELSE e.quantity_milli END),
       SUM(CASE WHEN e.kind = 'material_use' AND e.into_gtin IS NULL THEN 1 ELSE 0 END),
       MIN(e.recorded_on), MAX(e.recorded_on), MIN(e.unit), MAX(e.unit)
FROM ledger_entries e
WHERE e.batch IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ledger_entries c WHERE c.corrects = e.id)
GROUP BY e.gtin, e.batch, e.uscc;
-- One row per key (the store adds a line to its row with ON CONFLICT on it), and a level of the
-- chain reads its batches' rows from the second index alone. Both made after the backfill: a
-- sorted build rather than millions of inserts in random order.
CREATE UNIQUE INDEX ledger_lot_keepers_key ON ledger_lot_keepers(gtin, batch, uscc);
CREATE INDEX ledger_lot_keepers_cover ON ledger_lot_keepers(gtin, batch, uscc, movements, in_milli, out_milli, unlinked, first_on, last_on, unit_lo, unit_hi);
