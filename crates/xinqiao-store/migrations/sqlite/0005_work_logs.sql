-- 工作日志: an officer's daily log (what was solved, what the parties said, what was learned).

CREATE TABLE work_logs (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    day        BIGINT NOT NULL,
    solved     TEXT NOT NULL,
    party_said TEXT NOT NULL,
    learned    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX work_logs_user_day ON work_logs(user_id, day);
