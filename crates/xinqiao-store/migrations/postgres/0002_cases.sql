-- Cases (诉求) with the submitter's identity kept apart and sealed, their event history, and the
-- outbox that search and roll-ups follow. Days are counted since 1970-01-01 (China time).

CREATE TABLE cases (
    id               TEXT PRIMARY KEY,
    tracking_code    TEXT NOT NULL UNIQUE,
    access_key_hash  TEXT NOT NULL,
    kind             TEXT NOT NULL,
    status           TEXT NOT NULL,
    org_id           TEXT REFERENCES orgs(id),
    region_code      TEXT NOT NULL,
    industry         TEXT,
    enterprise_name  TEXT NOT NULL,
    enterprise_uscc  TEXT,
    narrative_masked TEXT NOT NULL,
    narrative_sealed TEXT NOT NULL,
    demand_masked    TEXT NOT NULL,
    amount_cents     BIGINT,
    event_day        BIGINT,
    consent_publish  BIGINT NOT NULL,
    anonymous        BIGINT NOT NULL,
    received_at      BIGINT NOT NULL,
    received_day     BIGINT NOT NULL,
    rule_set         TEXT,
    assigned_to      TEXT REFERENCES users(id),
    linked_case_id   TEXT REFERENCES cases(id),
    updated_at       BIGINT NOT NULL
);
CREATE INDEX cases_org_status ON cases(org_id, status);
CREATE INDEX cases_uscc ON cases(enterprise_uscc);
CREATE INDEX cases_assigned ON cases(assigned_to);

CREATE TABLE case_identities (
    case_id      TEXT PRIMARY KEY REFERENCES cases(id),
    sealed       TEXT NOT NULL,
    mobile_index TEXT,
    id_index     TEXT
);
CREATE INDEX case_identities_mobile ON case_identities(mobile_index);
CREATE INDEX case_identities_id ON case_identities(id_index);

CREATE TABLE case_events (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases(id),
    at_ms       BIGINT NOT NULL,
    actor_id    TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    note        TEXT NOT NULL,
    public      BIGINT NOT NULL
);
CREATE INDEX case_events_case ON case_events(case_id, at_ms);

CREATE TABLE outbox (
    seq       BIGSERIAL PRIMARY KEY,
    topic     TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    at_ms     BIGINT NOT NULL
);
