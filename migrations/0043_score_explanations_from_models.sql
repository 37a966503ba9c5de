-- A score's explanation ("why this score": each part's share) is no longer written with every score: it
-- is computed again when it is shown, from the model version that computed the score and the registry as
-- it was then (src/targeting/score_explanation.h). Writing it was about half the time of scoring a whole
-- registry: some 500 bytes of JSON per household, formatted on the one thread that saves the scores
-- (docs/domain.md §1.2 "Scoring speed"). The database keeps each model version's definition instead, once.
CREATE TABLE score_models (
  model                   TEXT NOT NULL,            -- the model file's "model"
  model_version           TEXT NOT NULL,            -- its "version"; a version's definition never changes
  definition              TEXT NOT NULL,            -- the file's JSON, as read and written again
  recorded_at             TEXT NOT NULL,            -- when a score was first saved with it
  PRIMARY KEY (model, model_version)
);

-- On SQLite the scores become a table keyed by the household id itself (INTEGER PRIMARY KEY is the row
-- id): one B-tree instead of three (the table, its primary key's index and household_scores_asof), the
-- table's rows now being as narrow as that index's. PostgreSQL only drops the column.
-- @sqlite
CREATE TABLE household_scores_keyed (
  household_id            INTEGER PRIMARY KEY REFERENCES households (id),
  score                   DOUBLE PRECISION NOT NULL,
  model                   TEXT NOT NULL,
  model_version           TEXT NOT NULL,
  scored_on               TEXT NOT NULL,
  scored_at               TEXT NOT NULL
);
-- @end
-- @sqlite
INSERT INTO household_scores_keyed (household_id, score, model, model_version, scored_on, scored_at)
SELECT household_id, score, model, model_version, scored_on, scored_at FROM household_scores ORDER BY household_id;
-- @end
-- @sqlite
DROP TABLE household_scores;
-- @end
-- @sqlite
ALTER TABLE household_scores_keyed RENAME TO household_scores;
-- @end
-- @postgres
ALTER TABLE household_scores DROP COLUMN contributions;
-- @end

ALTER TABLE household_score_history DROP COLUMN contributions;
