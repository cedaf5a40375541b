-- Which rows of which import file are stored (issue 16). A file is known by the SHA-256 of its
-- bytes; each batch of consecutive lines is stored in the same transaction as its cases and
-- their outcomes, so a rerun after a killed import skips exactly what is there.
CREATE TABLE import_files (
    sha256      TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    rows        BIGINT NOT NULL,
    started_at  BIGINT NOT NULL,
    finished_at BIGINT
);

CREATE TABLE import_batches (
    file_sha256 TEXT NOT NULL REFERENCES import_files(sha256),
    first_line  BIGINT NOT NULL,
    last_line   BIGINT NOT NULL,
    cases       BIGINT NOT NULL,
    stored_at   BIGINT NOT NULL,
    PRIMARY KEY (file_sha256, first_line)
);
