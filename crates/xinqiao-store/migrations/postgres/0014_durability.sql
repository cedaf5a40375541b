-- Acknowledged means stored (issue 16).
--
-- The change log's order. A sequence number is taken when a row is inserted, but a transaction
-- may commit long after others that took later numbers (an import batch during live intake),
-- so a follower that remembers "the last number I applied" could skip it for good. A row gets
-- its position only once it is visible (committed): `sequence_changes` numbers the unnumbered
-- visible rows under an advisory lock, one numbering at a time, so positions grow in the order
-- rows became visible and a follower reading `pos > its position` never skips one.
-- Rows written before this migration keep their sequence number as their position.
ALTER TABLE outbox ADD COLUMN pos BIGINT;
UPDATE outbox SET pos = seq;
CREATE SEQUENCE outbox_pos;
SELECT setval('outbox_pos', COALESCE((SELECT MAX(seq) FROM outbox), 0) + 1, false);
CREATE UNIQUE INDEX outbox_position ON outbox(pos);
CREATE INDEX outbox_unpositioned ON outbox(seq) WHERE pos IS NULL;

-- A scratch row written and removed to learn whether the database takes writes again (after a
-- full disk), without touching real data.
CREATE TABLE write_probes (
    id     TEXT PRIMARY KEY,
    filler TEXT NOT NULL
);
