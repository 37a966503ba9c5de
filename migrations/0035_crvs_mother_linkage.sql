-- A newborn's mother found by record linkage (docs/crvs.md): the match probability of the woman the
-- add_member request names, and every woman scored for her, for the reviewer.
ALTER TABLE crvs_events ADD COLUMN match_probability DOUBLE PRECISION NULL;
-- match_candidates: JSON [{person_id, probability}]
ALTER TABLE crvs_events ADD COLUMN match_candidates TEXT NULL;

-- A registry's Ed25519 public key (base64): its notifications' SPDCI signatures are verified with it, and
-- with must_sign an unsigned notification is refused.
ALTER TABLE crvs_sources ADD COLUMN public_key TEXT NULL;
ALTER TABLE crvs_sources ADD COLUMN must_sign BIGINT NOT NULL DEFAULT 0;
