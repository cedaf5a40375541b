-- Every staff view is scoped to the viewer's bureau tree: each warning now says which bureau's
-- cases raised it (region code). Category surges already named it in their subject
-- (`category@region`); earlier enterprise spikes were counted over every bureau and keep '' (only
-- a whole-platform account sees them).

ALTER TABLE warnings ADD COLUMN bureau TEXT NOT NULL DEFAULT '';
UPDATE warnings SET bureau = substr(subject, instr(subject, '@') + 1) WHERE rule = 'category_surge' AND instr(subject, '@') > 0;

-- Public statistics count only complaints the bureau took up (or the enterprise settled
-- directly): a submission nobody has looked at counts nowhere. Each case's facts and every
-- roll-up row gain the count, backfilled from the cases' status.
ALTER TABLE insight_facts ADD COLUMN accepted BIGINT NOT NULL DEFAULT 0;
ALTER TABLE insight_rollups ADD COLUMN accepted BIGINT NOT NULL DEFAULT 0;
UPDATE insight_facts SET accepted = 1 WHERE case_id IN (SELECT id FROM cases WHERE status NOT IN
    ('settling', 'awaiting_acceptance', 'awaiting_verification', 'rejected', 'merged'));
UPDATE insight_rollups SET accepted = COALESCE((SELECT SUM(f.accepted) FROM insight_facts f
    WHERE f.day = insight_rollups.day AND f.bureau = insight_rollups.bureau AND f.kind = insight_rollups.kind
    AND f.category = insight_rollups.category AND f.industry = insight_rollups.industry
    AND f.enterprise = insight_rollups.enterprise), 0);
