-- 电子台账 (issue 19): what the keepers of each batch in one bureau add up to, one row per
-- (GTIN, batch, bureau of the keeper), rolled up from ledger_lot_keepers (0085) and written in the
-- same transaction as every ledger line written, corrected, imported or purged and every product
-- master saved (crates/xinqiao-store/src/ledger/bureaus.rs). A linked batch's summary in a trace
-- sums the rows of the bureaus in the actor's tree — about one per bureau — instead of one per
-- keeper. The per-keeper figures a summary needs are summed here per bureau: keepers, those that
-- received some (holders), those of them with stock on hand (holding) and what they hold; the
-- product is the least name the bureau's keepers of the batch give the GTIN in their masters.
CREATE TABLE ledger_lot_bureaus (
    gtin          TEXT NOT NULL,
    batch         TEXT NOT NULL,
    org_id        TEXT NOT NULL,
    keepers       BIGINT NOT NULL,
    holders       BIGINT NOT NULL,
    holding       BIGINT NOT NULL,
    movements     BIGINT NOT NULL,
    in_milli      BIGINT NOT NULL,
    out_milli     BIGINT NOT NULL,
    on_hand_milli BIGINT NOT NULL,
    unlinked      BIGINT NOT NULL,
    first_on      BIGINT NOT NULL,
    last_on       BIGINT NOT NULL,
    unit_lo       TEXT NOT NULL,
    unit_hi       TEXT NOT NULL,
    product       TEXT
);
INSERT INTO ledger_lot_bureaus (gtin, batch, org_id, keepers, holders, holding, movements, in_milli, out_milli,
                                on_hand_milli, unlinked, first_on, last_on, unit_lo, unit_hi, product)
SELECT s.gtin, s.batch, le.org_id, COUNT(*),
       SUM(CASE WHEN s.in_milli > 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN s.in_milli > 0 AND s.in_milli > s.out_milli THEN 1 ELSE 0 END),
       SUM(s.movements), SUM(s.in_milli), SUM(s.out_milli),
       SUM(CASE WHEN s.in_milli > 0 THEN s.in_milli - s.out_milli ELSE 0 END),
       SUM(s.unlinked), MIN(s.first_on), MAX(s.last_on), MIN(s.unit_lo), MAX(s.unit_hi), MIN(pr.name)
FROM ledger_lot_keepers s JOIN ledger_enterprises le ON le.uscc = s.uscc
LEFT JOIN ledger_products pr ON pr.uscc = s.uscc AND pr.gtin = s.gtin
GROUP BY s.gtin, s.batch, le.org_id;
-- One row per key (the store adds to it with ON CONFLICT on it), and a trace reads a batch's rows
-- of the bureaus in scope from the second index alone. Both made after the backfill.
CREATE UNIQUE INDEX ledger_lot_bureaus_key ON ledger_lot_bureaus(gtin, batch, org_id);
CREATE INDEX ledger_lot_bureaus_cover ON ledger_lot_bureaus(gtin, batch, org_id, keepers, holders, holding, movements,
    in_milli, out_milli, on_hand_milli, unlinked, first_on, last_on, unit_lo, unit_hi, product);
