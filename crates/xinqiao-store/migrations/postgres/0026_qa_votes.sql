-- One vote per visitor and entry: the visitor is an HMAC of the anonymous cookie (never the
-- cookie itself, never an address); a second vote from the same visitor changes nothing.

CREATE TABLE qa_votes (
    entry_id  TEXT NOT NULL REFERENCES qa_entries(id),
    visitor   TEXT NOT NULL,
    helpful   BIGINT NOT NULL,
    at_ms     BIGINT NOT NULL,
    PRIMARY KEY (entry_id, visitor)
);
