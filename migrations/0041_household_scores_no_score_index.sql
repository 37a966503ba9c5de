-- Household scores lose their index on the score alone. No query looks a household up by its score: the
-- cycles find the score in force through household_scores_asof, and the data-sharing search compares a
-- household's own score, found by its id. Each score written paid for an insert at a random place in that
-- index, which made scoring a whole registry anew write most of the index's pages at every chunk: about
-- 160 of the 180 seconds of scoring 5,000,000 households on SQLite (docs/domain.md §1.2 "Scoring speed").
DROP INDEX household_scores_score;
