-- Login throttling shared by every app server, and forced password changes.
--
-- One row per throttled subject: an (account, address) pair, an account, or an address. Counters are
-- incremented in the same transaction that decides whether a password check may run, before the check,
-- so parallel guesses on any number of servers cannot exceed the budget. Refused attempts (429) are
-- counted here instead of one audit row each. Rows idle past their reset period are deleted by
-- AuthService's housekeeping, which writes one summary audit entry per sweep.
CREATE TABLE login_throttle (
  scope            TEXT NOT NULL,             -- pair | account | address
  subject          TEXT NOT NULL,             -- pair: "<address> <username>"; account: username; address: ip
  failures         BIGINT NOT NULL DEFAULT 0, -- wrong passwords since the counter last reset
  refused          BIGINT NOT NULL DEFAULT 0, -- attempts answered 429 since the counter last reset
  blocked_until    TEXT NOT NULL DEFAULT '',  -- ISO-8601 UTC; '' when not blocked
  last_failure_at  TEXT NOT NULL DEFAULT '',
  last_success_at  TEXT NOT NULL DEFAULT '',  -- pair rows: a known (account, address)
  updated_at       TEXT NOT NULL,
  PRIMARY KEY (scope, subject)
);
CREATE INDEX login_throttle_updated ON login_throttle (updated_at);

-- Set when an administrator resets a password: the session may then only change the password.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
