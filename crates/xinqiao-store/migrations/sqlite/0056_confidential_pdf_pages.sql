-- 保密资料交换 of PDFs: a PDF file records how many pages it has (NULL for an image), and a view
-- of a PDF records which page was shown (NULL for an image).

ALTER TABLE confidential_files ADD COLUMN pages BIGINT;
ALTER TABLE confidential_views ADD COLUMN page BIGINT;
