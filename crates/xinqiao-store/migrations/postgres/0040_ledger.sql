-- 电子台账 (issue 19): the enterprises keeping a ledger, their product master (by GTIN), their
-- suppliers and buyers, the ledger lines — append-only: a correction is a new line pointing at
-- the one it replaces — and the recall or sealing lists with each holder's confirmation.
-- Days are day numbers since 1970-01-01 (China time); quantities are thousandths.

CREATE TABLE ledger_enterprises (
    uscc       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    -- the bureau the enterprise is registered with: officers see ledgers of their bureau tree
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX ledger_enterprises_org ON ledger_enterprises(org_id);

CREATE TABLE ledger_products (
    uscc          TEXT NOT NULL REFERENCES ledger_enterprises(uscc),
    -- GTIN-14
    gtin          TEXT NOT NULL,
    name          TEXT NOT NULL,
    specification TEXT NOT NULL,
    -- food | cosmetic
    category      TEXT NOT NULL,
    updated_at    BIGINT NOT NULL,
    PRIMARY KEY (uscc, gtin)
);

-- Suppliers and buyers of one enterprise.
CREATE TABLE ledger_parties (
    id         TEXT PRIMARY KEY,
    uscc       TEXT NOT NULL REFERENCES ledger_enterprises(uscc),
    name       TEXT NOT NULL,
    -- the party's 统一社会信用代码 (checked), when known: links ledgers across enterprises
    party_uscc TEXT,
    licence    TEXT NOT NULL,
    address    TEXT NOT NULL,
    contact    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ledger_parties_unique ON ledger_parties(uscc, party_uscc);
CREATE INDEX ledger_parties_party ON ledger_parties(party_uscc);

CREATE TABLE ledger_entries (
    id              TEXT PRIMARY KEY,
    uscc            TEXT NOT NULL REFERENCES ledger_enterprises(uscc),
    -- purchase | sale | material_use | production | shipment
    kind            TEXT NOT NULL,
    gtin            TEXT NOT NULL,
    batch           TEXT,
    quantity_milli  BIGINT NOT NULL,
    unit            TEXT NOT NULL,
    recorded_on     BIGINT NOT NULL,
    production_on   BIGINT,
    expiry_on       BIGINT,
    shelf_life_days BIGINT,
    party_id        TEXT REFERENCES ledger_parties(id),
    -- the production batch a raw-material use went into
    into_batch      TEXT,
    voucher_sha256  TEXT REFERENCES blobs(sha256),
    corrects        TEXT REFERENCES ledger_entries(id),
    reason          TEXT,
    retain_until    BIGINT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);
-- A line is corrected once; a second correction of the same line is a conflict.
CREATE UNIQUE INDEX ledger_entries_corrects ON ledger_entries(corrects);
CREATE INDEX ledger_entries_uscc ON ledger_entries(uscc, recorded_on);
CREATE INDEX ledger_entries_batch ON ledger_entries(gtin, batch);

CREATE FUNCTION ledger_entries_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries is append-only';
END
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_refuse_change();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_refuse_change();

-- A recall or sealing (封存) of one batch, and every holder found when it was made.
CREATE TABLE ledger_recalls (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    -- recall | seal
    kind       TEXT NOT NULL,
    gtin       TEXT NOT NULL,
    batch      TEXT NOT NULL,
    reference  TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE ledger_recall_holders (
    recall_id     TEXT NOT NULL REFERENCES ledger_recalls(id),
    uscc          TEXT NOT NULL REFERENCES ledger_enterprises(uscc),
    on_hand_milli BIGINT NOT NULL,
    confirmed_at  BIGINT,
    confirmed_by  TEXT,
    PRIMARY KEY (recall_id, uscc)
);
CREATE INDEX ledger_recall_holders_uscc ON ledger_recall_holders(uscc);
