-- A complaint's demand (诉求) kept like its narrative (issue 24): the original sealed under the
-- key ring, and its masked spans (kinds and character offsets, never their text), so that an
-- officer can restore a span the detector masked, not only hide more. Rows from before keep
-- only their masked demand (both columns NULL): there only hiding more is possible.
ALTER TABLE cases ADD COLUMN demand_sealed TEXT;
ALTER TABLE cases ADD COLUMN demand_spans TEXT;
