-- Acknowledged means stored (issue 16).
--
-- The change log's order: SQLite has one writer at a time, so a row's sequence number (taken
-- inside the writing transaction) already follows the order of commits and is its position.
-- PostgreSQL numbers rows once they are visible (see its 0014).

-- A scratch row written and removed to learn whether the database takes writes again (after a
-- full disk), without touching real data.
CREATE TABLE write_probes (
    id     TEXT PRIMARY KEY,
    filler TEXT NOT NULL
);
