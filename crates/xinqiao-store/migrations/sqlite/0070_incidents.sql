-- 突发事件与舆情: an incident of one bureau, with its team, linked cases and warnings, media
-- items (excerpts masked), products by GTIN-14 and batch, measures on legal clocks (with the one
-- extension and the testing periods excluded), the bureau's promises, and every view of it.

CREATE TABLE incidents (
    id              TEXT PRIMARY KEY,
    org_id          TEXT NOT NULL REFERENCES orgs(id),
    title           TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    enterprise_uscc TEXT,
    owner_id        TEXT NOT NULL REFERENCES users(id),
    created_by      TEXT NOT NULL REFERENCES users(id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX incidents_org ON incidents(org_id, created_at);

CREATE TABLE incident_team (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    PRIMARY KEY (incident_id, user_id)
);

CREATE TABLE incident_links (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    -- case | warning
    kind        TEXT NOT NULL,
    target_id   TEXT NOT NULL,
    linked_by   TEXT NOT NULL REFERENCES users(id),
    linked_at   BIGINT NOT NULL,
    PRIMARY KEY (incident_id, kind, target_id)
);

CREATE TABLE incident_media (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    url         TEXT NOT NULL,
    excerpt     TEXT NOT NULL,
    seen_at     BIGINT NOT NULL,
    added_by    TEXT NOT NULL REFERENCES users(id),
    added_at    BIGINT NOT NULL
);
CREATE INDEX incident_media_incident ON incident_media(incident_id, seen_at);

CREATE TABLE incident_products (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    -- GTIN-14, check digit validated
    gtin        TEXT NOT NULL,
    batch       TEXT NOT NULL,
    added_at    BIGINT NOT NULL,
    PRIMARY KEY (incident_id, gtin, batch)
);

CREATE TABLE incident_measures (
    id           TEXT PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents(id),
    -- sealing | sample_to_lab | test_report | retest_request | penalty_publish | penalty_withdraw
    clock        TEXT NOT NULL,
    title        TEXT NOT NULL,
    -- days since 1970-01-01 (China time)
    started_on   BIGINT NOT NULL,
    extension_on BIGINT,
    extension_by TEXT REFERENCES users(id),
    done_on      BIGINT,
    created_by   TEXT NOT NULL REFERENCES users(id),
    created_at   BIGINT NOT NULL
);
CREATE INDEX incident_measures_incident ON incident_measures(incident_id, created_at);

CREATE TABLE incident_testing (
    id          TEXT PRIMARY KEY,
    measure_id  TEXT NOT NULL REFERENCES incident_measures(id),
    from_day    BIGINT NOT NULL,
    until_day   BIGINT NOT NULL,
    notified_on BIGINT NOT NULL,
    added_at    BIGINT NOT NULL
);
CREATE INDEX incident_testing_measure ON incident_testing(measure_id, from_day);

CREATE TABLE incident_promises (
    id          TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    text        TEXT NOT NULL,
    made_at     BIGINT NOT NULL,
    due_at      BIGINT NOT NULL,
    kept_at     BIGINT,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX incident_promises_incident ON incident_promises(incident_id, due_at);

CREATE TABLE incident_views (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    user_id     TEXT NOT NULL REFERENCES users(id),
    viewed_at   BIGINT NOT NULL
);
CREATE INDEX incident_views_incident ON incident_views(incident_id, viewed_at);
