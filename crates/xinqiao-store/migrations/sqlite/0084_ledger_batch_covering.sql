-- 电子台账 (issue 19): a trace shows each batch linked through the producers' chain as a summary
-- summed in SQL. Measured at 10 million lines the sums cost one table-row read per line (each in
-- a different page: ~19 µs of CPU a line), so the batch index now carries every column the
-- summaries and the chain's links read — the lines of a batch are then a few adjacent index
-- pages (a covering index; the same name, still led by GTIN and batch, so every plan that probed
-- it probes it as before). The bureau of a keeper is read from a covering index too.
DROP INDEX ledger_entries_batch;
CREATE INDEX ledger_entries_batch ON ledger_entries(gtin, batch, uscc, kind, quantity_milli, recorded_on, unit, into_gtin, into_batch, id);
CREATE INDEX ledger_enterprises_scope ON ledger_enterprises(uscc, org_id);
