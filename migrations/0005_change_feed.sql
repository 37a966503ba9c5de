-- Registry change feed: one row per applied change request, written in the transaction that applies
-- it. Every `sanad serve` process on the same database follows the feed to keep its in-memory name
-- index current (PostgreSQL: woken by NOTIFY sanad_registry, with a polling fallback).
--
-- seq is 1, 2, 3… in commit order without gaps: the writer assigns MAX(seq) + 1 while holding a lock on
-- the table until commit (PostgreSQL: LOCK TABLE … IN EXCLUSIVE MODE; SQLite: its single writer), so a
-- follower that has read up to N never later sees a row below N commit, and a missing number means
-- rows were pruned (the follower then reloads). Old rows are pruned by the writer.
CREATE TABLE registry_changes (
  seq                     BIGINT PRIMARY KEY,
  change_request_id       BIGINT NOT NULL,
  applied_at              TEXT NOT NULL,
  person_ids              TEXT NOT NULL,            -- comma-separated ids of persons created or changed
  household_ids           TEXT NOT NULL,            -- comma-separated ids of households created or changed
  bulk                    BIGINT NOT NULL DEFAULT 0 -- 1: an import; followers rebuild instead of reindexing
);
