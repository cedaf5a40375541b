-- The complainant's rating after a case is closed (回访评价): 1 to 5, with a masked comment.

ALTER TABLE cases ADD COLUMN rating BIGINT;
ALTER TABLE cases ADD COLUMN rating_comment TEXT;
