-- The SPDCI social-registry API (src/dci, docs/dci.md): registered partner systems, the transactions
-- they sent (for txn/status), the durable outbox of callbacks (on-search, on-subscribe, notify, …)
-- delivered with retries by whichever app server leases a row first, and event subscriptions fed by the
-- registry change feed (position in feed_positions, consumer "dci_notify").

-- A partner system: one partner_system account. Its area scope is the account's; what it may receive
-- and how it must talk to Sanad are here.
CREATE TABLE dci_partners (
  account                 TEXT PRIMARY KEY,         -- users.username of the partner_system account
  callback_url            TEXT NOT NULL,            -- base URL; callbacks go to <base>/<action path>
  public_key              TEXT NULL,                -- Ed25519 public key, base64 (32 bytes)
  record_types            TEXT NOT NULL,            -- comma list: Person,Group
  must_sign               BIGINT NOT NULL DEFAULT 0, -- 1: unsigned or badly signed messages are refused
  updated_at              TEXT NOT NULL,
  updated_by              TEXT NOT NULL
);

-- Every async request acknowledged, with the answer sent (txn/status reads it back).
CREATE TABLE dci_transactions (
  id                      {{ID}},
  partner                 TEXT NOT NULL,
  transaction_id          TEXT NOT NULL,
  correlation_id          TEXT NOT NULL,
  action                  TEXT NOT NULL,            -- search | subscribe | unsubscribe | txn-status
  reference_ids           TEXT NOT NULL,            -- JSON list of the requests' reference_id
  status                  TEXT NOT NULL,            -- rcvd | pdng | succ | rjct
  response                TEXT NULL,                -- the message of the callback (JSON)
  created_at              TEXT NOT NULL
);
CREATE UNIQUE INDEX dci_transactions_correlation ON dci_transactions (correlation_id);
CREATE INDEX dci_transactions_partner ON dci_transactions (partner, transaction_id);

-- Callbacks to deliver. A server leases a due row (lease_until) before sending it, so two servers never
-- send the same row at once; a failed delivery is retried at next_at with a doubling backoff.
CREATE TABLE dci_outbox (
  id                      {{ID}},
  partner                 TEXT NOT NULL,
  url                     TEXT NOT NULL,
  action                  TEXT NOT NULL,            -- on-search | on-subscribe | notify | …
  body                    TEXT NOT NULL,            -- the signed envelope (JSON)
  state                   TEXT NOT NULL,            -- pending | delivered | failed
  attempts                BIGINT NOT NULL DEFAULT 0,
  next_at                 TEXT NOT NULL,
  lease_until             TEXT NULL,
  leased_by               TEXT NULL,
  last_error              TEXT NULL,
  subscription_code       TEXT NULL,                -- notify: the subscription and the feed entry,
  feed_seq                BIGINT NULL,              -- unique together: one notification per change
  created_at              TEXT NOT NULL,
  delivered_at            TEXT NULL
);
CREATE INDEX dci_outbox_due ON dci_outbox (state, next_at);
CREATE UNIQUE INDEX dci_outbox_notification ON dci_outbox (subscription_code, feed_seq);

CREATE TABLE dci_subscriptions (
  code                    TEXT PRIMARY KEY,
  partner                 TEXT NOT NULL,
  reg_event_type          TEXT NOT NULL,            -- REGISTER | NewHouseHoldMember | UPDATE | EXIT | DEATH | MERGE | ALL
  record_type             TEXT NOT NULL,            -- Person | Group
  area_scope              TEXT NOT NULL,            -- the partner's scope when it subscribed ('' : national)
  locale                  TEXT NOT NULL,
  status                  TEXT NOT NULL,            -- subscribe | unsubscribe
  from_seq                BIGINT NOT NULL,          -- changes after this feed entry are notified
  created_at              TEXT NOT NULL,
  ended_at                TEXT NULL
);
CREATE INDEX dci_subscriptions_partner ON dci_subscriptions (partner, status);
