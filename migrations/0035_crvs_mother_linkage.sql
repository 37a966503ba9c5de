-- A newborn's mother found by record linkage (docs/crvs.md): the match probability of the woman the
-- add_member request names, and every woman scored for her, for the reviewer.
ALTER TABLE crvs_events ADD COLUMN match_probability DOUBLE PRECISION NULL;
ALTER TABLE crvs_events ADD COLUMN match_candidates TEXT NULL;  -- JSON [{person_id, probability}]
