-- The model and version of a cycle's scores (those of its first household with a score, NULL when none
-- had one): an entry's details name a model only when its household's score came from another one, so
-- that a not eligible household's entry does not repeat the same two texts (docs/cycles.md "Entries and
-- their snapshot"). Entries written before keep their own model in every entry.
ALTER TABLE programme_cycles ADD COLUMN score_model TEXT NULL;
ALTER TABLE programme_cycles ADD COLUMN score_model_version TEXT NULL;
