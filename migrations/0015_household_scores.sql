-- The socio-economic index of each household (src/targeting, docs/domain.md §1.2): its current score
-- with the model that computed it and each part's share of it ("why this score"), and the scores it
-- replaced. A re-run that computes the same score with the same model leaves the row as it is.
CREATE TABLE household_scores (
  household_id            BIGINT PRIMARY KEY REFERENCES households (id),
  score                   DOUBLE PRECISION NOT NULL,
  model                   TEXT NOT NULL,            -- the model file's "model", e.g. rsu-illustrative
  model_version           TEXT NOT NULL,            -- its "version", e.g. 2026.1
  scored_on               TEXT NOT NULL,            -- the date the members' ages were taken on (YYYY-MM-DD)
  scored_at               TEXT NOT NULL,            -- when it was computed (UTC timestamp)
  contributions           TEXT NOT NULL             -- JSON object: part label -> its share of the score
);
-- Programmes select by threshold (score <= 9.743001).
CREATE INDEX household_scores_score ON household_scores (score);
CREATE TABLE household_score_history (
  id                      {{ID}},
  household_id            BIGINT NOT NULL REFERENCES households (id),
  score                   DOUBLE PRECISION NOT NULL,
  model                   TEXT NOT NULL,
  model_version           TEXT NOT NULL,
  scored_on               TEXT NOT NULL,
  scored_at               TEXT NOT NULL,
  contributions           TEXT NOT NULL,
  replaced_at             TEXT NOT NULL             -- when a new score took its place
);
CREATE INDEX household_score_history_household ON household_score_history (household_id, id);
