-- 节假日安排: each year's State Council notice loaded at run time (the shipped ones live in the
-- binary). Versions are appended, never changed: the newest version of a year is in force, and
-- every version says who loaded it, when, and the SHA-256 of the text as loaded.

CREATE TABLE calendar_notices (
    year       BIGINT NOT NULL,
    version    BIGINT NOT NULL,
    body       TEXT NOT NULL,
    source     TEXT NOT NULL,
    verified   BIGINT NOT NULL,
    sha256     TEXT NOT NULL,
    loaded_by  TEXT NOT NULL,
    loaded_at  BIGINT NOT NULL,
    PRIMARY KEY (year, version)
);
