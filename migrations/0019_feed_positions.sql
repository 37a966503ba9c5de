-- How far a background consumer of the registry change feed (registry_changes) has got, kept in the
-- database so that a change committed just before a server stops is still handled after it restarts,
-- by whichever server of the cluster gets there first. The consumer locks its row for the length of a
-- pass, so two servers never handle the same entries at once. First consumer: "rescoring" (each
-- approved change re-scores the households it touched, docs/decisions/0009-rescoring.md).
CREATE TABLE feed_positions (
  consumer                TEXT PRIMARY KEY,
  seq                     BIGINT NOT NULL,          -- the last registry_changes.seq handled
  updated_at              TEXT NOT NULL
);
