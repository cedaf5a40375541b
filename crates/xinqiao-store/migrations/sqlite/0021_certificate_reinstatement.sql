-- 四眼原则: lifting a certificate's suspension takes two supervisors; the first one's request
-- waits here until a second one confirms (or a new suspension clears it).

ALTER TABLE qual_certificates ADD COLUMN reinstate_requested_by TEXT;
