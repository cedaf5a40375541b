-- The keys that sealed data (data keys) and keyed the blind indexes (index key), by id and
-- fingerprint — never the keys themselves. At start-up the secrets file is checked against this
-- list: a missing or foreign key file is refused before anything is sealed under a new key. A
-- key retired after a re-seal is no longer required in the file.
CREATE TABLE key_ring (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    retired_at  BIGINT,
    PRIMARY KEY (kind, id)
);
