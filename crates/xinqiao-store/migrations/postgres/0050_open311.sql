-- Open311 GeoReport v2: API keys issued to a bureau (kept as a SHA-256 of the key, never the
-- key; a short prefix identifies it on the page), and where a request that came in through
-- Open311 is (exactly one location form; a street address kept masked).

CREATE TABLE open311_keys (
    id         TEXT PRIMARY KEY,
    org_id     TEXT NOT NULL REFERENCES orgs(id),
    label      TEXT NOT NULL,
    key_hash   TEXT NOT NULL UNIQUE,
    key_prefix TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE INDEX open311_keys_org ON open311_keys(org_id);

CREATE TABLE open311_requests (
    case_id        TEXT PRIMARY KEY REFERENCES cases(id),
    key_id         TEXT NOT NULL REFERENCES open311_keys(id),
    location_kind  TEXT NOT NULL,
    lat            TEXT,
    long           TEXT,
    address_masked TEXT,
    address_id     TEXT,
    created_at     BIGINT NOT NULL
);
