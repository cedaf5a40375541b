-- 双随机、一公开: the directories of inspection targets (名录库) and inspectors, draw tasks
-- (the published document: the frozen task and, once drawn, its outcome), who inspected whom
-- (for rotation), and the results as they are recorded and published.

CREATE TABLE inspection_targets (
    uscc        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    industry    TEXT NOT NULL,
    region_code TEXT NOT NULL,
    -- A | B | C | D (信用风险分类)
    risk_class  TEXT NOT NULL,
    -- active | inactive
    status      TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX inspection_targets_scope ON inspection_targets(industry, region_code);

CREATE TABLE inspectors (
    cert_no    TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    unit       TEXT NOT NULL,
    fields     TEXT NOT NULL,
    -- active | inactive
    status     TEXT NOT NULL,
    user_id    TEXT REFERENCES users(id),
    updated_at BIGINT NOT NULL
);

CREATE TABLE draw_tasks (
    id           TEXT PRIMARY KEY,
    title        TEXT NOT NULL,
    -- committed | drawn
    status       TEXT NOT NULL,
    document     TEXT NOT NULL,
    commitment   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    committed_at BIGINT NOT NULL,
    drawn_at     BIGINT
);

CREATE TABLE draw_assignments (
    task_id   TEXT NOT NULL REFERENCES draw_tasks(id),
    uscc      TEXT NOT NULL,
    inspector TEXT NOT NULL,
    PRIMARY KEY (task_id, uscc, inspector)
);
CREATE INDEX draw_assignments_uscc ON draw_assignments(uscc);
CREATE INDEX draw_assignments_inspector ON draw_assignments(inspector);

CREATE TABLE inspection_results (
    task_id     TEXT NOT NULL REFERENCES draw_tasks(id),
    uscc        TEXT NOT NULL,
    name        TEXT NOT NULL,
    category    TEXT NOT NULL,
    note        TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    -- the day by which it must be published (working days from the day of recording)
    due_day     BIGINT NOT NULL,
    published_at BIGINT,
    PRIMARY KEY (task_id, uscc)
);
CREATE INDEX inspection_results_name ON inspection_results(name);
