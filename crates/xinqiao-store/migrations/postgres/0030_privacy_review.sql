-- Privacy, the second line of defence (issue 24).
--
-- An attachment's original file name is sealed with the file (like its bytes); `name` holds only
-- a masked form. Rows from before keep their name until the application re-seals it at start
-- (it holds the key; SQL cannot): `name_sealed IS NULL` marks them.
ALTER TABLE case_attachments ADD COLUMN name_sealed TEXT;

-- A narrative's masked spans (kinds and character offsets, never their text), the text made for
-- public output (every span dropped whole), and the officer's confirmation that the masked text
-- may go to the enterprise.
ALTER TABLE cases ADD COLUMN privacy_spans TEXT;
ALTER TABLE cases ADD COLUMN narrative_public TEXT;
ALTER TABLE cases ADD COLUMN privacy_confirmed_at BIGINT;
ALTER TABLE cases ADD COLUMN privacy_confirmed_by TEXT;

-- Complaints from before the review existed were already shown to their enterprises: hiding
-- them now would protect nothing and stop their handling. They count as confirmed, by nobody.
UPDATE cases SET privacy_confirmed_at = received_at, privacy_confirmed_by = '' WHERE kind = 'complaint';
