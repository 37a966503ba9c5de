-- A newborn's mother found by record linkage (docs/crvs.md): the match probability of the woman the
-- add_member request names, and every woman scored for her, for the reviewer.
ALTER TABLE crvs_events ADD COLUMN match_probability DOUBLE PRECISION NULL;
-- match_candidates: JSON [{person_id, probability}]
ALTER TABLE crvs_events ADD COLUMN match_candidates TEXT NULL;

-- A registry's Ed25519 public key (base64): its notifications' SPDCI signatures are verified with it, and
-- with must_sign an unsigned notification is refused.
ALTER TABLE crvs_sources ADD COLUMN public_key TEXT NULL;
ALTER TABLE crvs_sources ADD COLUMN must_sign BIGINT NOT NULL DEFAULT 0;

-- Sanad's subscriptions to a registry's births and deaths (docs/crvs.md): one row per event type of a
-- subscribe request; the registry's subscription code arrives with its on-subscribe answer, which is
-- accepted only for a transaction Sanad started.
CREATE TABLE crvs_subscriptions (
  id                {{ID}},
  source_id         BIGINT NOT NULL REFERENCES crvs_sources (id),
  event_type        TEXT NOT NULL,
  transaction_id    TEXT NOT NULL,
  code              TEXT NULL,
  -- requested | subscribed | refused | unsubscribing | unsubscribed
  status            TEXT NOT NULL,
  requested_at      TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  unsubscribe_txn   TEXT NULL
);
CREATE INDEX crvs_subscriptions_txn ON crvs_subscriptions (transaction_id);
