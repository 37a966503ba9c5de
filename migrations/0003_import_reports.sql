-- Reports of rejected import files (issue 3 §5): every error of the file as CSV (row,column,value,
-- reason), downloadable by the file's author or an administrator. Nothing else of a rejected file is
-- kept.
CREATE TABLE import_reports (
  id                      {{ID}},
  kind                    TEXT NOT NULL,            -- households | persons
  file_name               TEXT NOT NULL,
  author_id               BIGINT NULL,
  author_username         TEXT NOT NULL,
  created_at              TEXT NOT NULL,
  rows_total              BIGINT NOT NULL,
  rows_rejected           BIGINT NOT NULL,
  report                  TEXT NOT NULL
);
CREATE INDEX import_reports_author ON import_reports (author_id, id);
