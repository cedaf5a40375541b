-- 保密资料交换: an officer opens an exchange for a matter with an enterprise, naming the officers
-- who may see its files and the day they are destroyed; each named officer signs a 保密承诺 before
-- viewing; the enterprise signs, with each deposit, that the files are what it says; the files are
-- sealed under the data key and kept under neutral names; every view is recorded for the
-- enterprise to see; destruction empties the sealed bytes and records when and how many.

CREATE TABLE confidential_exchanges (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL,
    opened_by       TEXT NOT NULL REFERENCES users(id),
    enterprise_uscc TEXT NOT NULL,
    matter          TEXT NOT NULL,
    destroy_day     BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    destroyed_at    BIGINT,
    destroyed_files BIGINT
);
CREATE INDEX confidential_exchanges_uscc ON confidential_exchanges(enterprise_uscc);
CREATE INDEX confidential_exchanges_due ON confidential_exchanges(destroyed_at, destroy_day);

CREATE TABLE confidential_officers (
    exchange_id TEXT NOT NULL REFERENCES confidential_exchanges(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    -- the 保密承诺 text signed, and when; NULL until signed
    commitment  TEXT,
    signed_at   BIGINT,
    PRIMARY KEY (exchange_id, user_id)
);
CREATE INDEX confidential_officers_user ON confidential_officers(user_id);

CREATE TABLE confidential_files (
    id           TEXT PRIMARY KEY,
    exchange_id  TEXT NOT NULL REFERENCES confidential_exchanges(id),
    seq          BIGINT NOT NULL,
    media        TEXT NOT NULL,
    size         BIGINT NOT NULL,
    -- NULL once destroyed
    sealed       BLOB,
    deposited_by TEXT NOT NULL REFERENCES users(id),
    -- the enterprise's commitment signed with this deposit
    commitment   TEXT NOT NULL,
    deposited_at BIGINT NOT NULL,
    UNIQUE (exchange_id, seq)
);

CREATE TABLE confidential_views (
    id          TEXT PRIMARY KEY,
    exchange_id TEXT NOT NULL REFERENCES confidential_exchanges(id),
    file_id     TEXT NOT NULL REFERENCES confidential_files(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    viewed_at   BIGINT NOT NULL
);
CREATE INDEX confidential_views_exchange ON confidential_views(exchange_id, viewed_at);
