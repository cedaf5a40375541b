-- 容缺受理 reminders: the applicant's 统一社会信用代码 (optional; an enterprise account bound to it
-- sees the application and its reminder) and the day the reminder before the deadline was given.

ALTER TABLE deferred_applications ADD COLUMN enterprise_uscc TEXT;
ALTER TABLE deferred_applications ADD COLUMN reminded_day BIGINT;
CREATE INDEX deferred_applications_uscc ON deferred_applications(enterprise_uscc);
CREATE INDEX deferred_applications_open ON deferred_applications(standing, reminded_day);
