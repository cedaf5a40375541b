-- 年报 help: an enterprise's statement that it filed its annual report for a year (by its
-- 统一社会信用代码, with the bureau it belongs to), and the reminders given before 30 June
-- (one per enterprise, year and stage).

CREATE TABLE annual_report_filings (
    report_year  BIGINT NOT NULL,
    uscc         TEXT NOT NULL,
    org_id       TEXT REFERENCES orgs(id),
    filed_day    BIGINT NOT NULL,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (report_year, uscc)
);

CREATE TABLE annual_report_reminders (
    report_year  BIGINT NOT NULL,
    uscc         TEXT NOT NULL,
    stage        BIGINT NOT NULL,
    reminded_day BIGINT NOT NULL,
    PRIMARY KEY (report_year, uscc, stage)
);
