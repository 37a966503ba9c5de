-- Programmes as stored data (src/programs/programme_store.cpp, docs/programs.md): the definition a user
-- saved, as the JSON of programs::ProgrammeToJson (names, kind, unit, currency, frequency, budget,
-- incompatible programmes, conditions, lines, one-offs, dated parameter sets). A code without a row is
-- answered by its built-in template; saving a template stores it here. `version` counts saves (optimistic
-- concurrency: a save names the version it started from); every saved version is kept.

CREATE TABLE programmes (
  code            TEXT PRIMARY KEY,           -- ASD, AMO_TADAMON, … or a new programme's code
  definition      TEXT NOT NULL,              -- JSON (programs::ProgrammeToJson)
  version         BIGINT NOT NULL,            -- 1 on the first save, +1 on each
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  updated_by_id   BIGINT NULL,
  updated_by      TEXT NOT NULL
);

-- Every saved version, the current one included: who saved it and when.
CREATE TABLE programme_versions (
  code            TEXT NOT NULL,
  version         BIGINT NOT NULL,
  definition      TEXT NOT NULL,
  saved_at        TEXT NOT NULL,
  saved_by_id     BIGINT NULL,
  saved_by        TEXT NOT NULL,
  PRIMARY KEY (code, version)
);
