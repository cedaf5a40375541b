-- 电子台账 (issue 19): the batches a complaint is about (GTIN-14 + batch or lot), with the date the
-- complainant or the enterprise claims for it, so the officer goes from the case to the trace and
-- sees each ledger's record set against that claim. Days are day numbers since 1970-01-01.
CREATE TABLE ledger_case_batches (
    case_id      TEXT NOT NULL REFERENCES cases(id),
    gtin         TEXT NOT NULL,
    batch        TEXT NOT NULL,
    -- production | expiry, with claimed_on; both NULL when nothing is claimed
    claimed_kind TEXT,
    claimed_on   BIGINT,
    created_by   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (case_id, gtin, batch)
);
