-- 廉洁登记: what officers record when an enterprise tries to sway them (a 请托, a gift refused,
-- an invitation, a contact during an inspection). Texts are kept masked. A 请托 also writes a
-- tie (kind improper_request) so that the officer steps aside from that enterprise's cases.

CREATE TABLE integrity_entries (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    org_id          TEXT REFERENCES orgs(id),
    kind            TEXT NOT NULL,
    day             BIGINT NOT NULL,
    enterprise_uscc TEXT,
    enterprise_name TEXT NOT NULL,
    happened_masked TEXT NOT NULL,
    action_masked   TEXT NOT NULL,
    tie_id          TEXT REFERENCES ties(id),
    created_at      BIGINT NOT NULL
);
CREATE INDEX integrity_entries_user ON integrity_entries(user_id, created_at);
CREATE INDEX integrity_entries_org ON integrity_entries(org_id, created_at);
