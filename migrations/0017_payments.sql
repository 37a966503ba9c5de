-- Payments (src/payments, docs/payments.md): how each household is paid, one batch per channel of an
-- approved cycle with one payment per payable entry (and the failed payments carried over from earlier
-- cycles of the same programme), the files sent to the bank or the post office and the reconciliation
-- files received back. Amounts are minor units (centimes / santimes).

-- How a household is paid. A household without a row is paid by cash withdrawal at a post office.
CREATE TABLE payment_accounts (
  household_id            BIGINT PRIMARY KEY REFERENCES households (id),
  channel                 TEXT NOT NULL,            -- bank_transfer | cash_withdrawal | mobile_wallet
  account                 TEXT NULL,                -- bank_transfer: RIB digits; mobile_wallet: +212… / +213…
  holder_name             TEXT NULL,                -- the account holder as the bank knows them
  updated_at              TEXT NOT NULL,
  updated_by              TEXT NOT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);

-- One batch per cycle and channel, written with its payments in one transaction.
CREATE TABLE payment_batches (
  id                      {{ID}},
  cycle_id                BIGINT NOT NULL REFERENCES programme_cycles (id),
  programme               TEXT NOT NULL,
  channel                 TEXT NOT NULL,
  currency                TEXT NOT NULL,            -- MAD | DZD
  payments_count          BIGINT NOT NULL DEFAULT 0,
  total_minor             BIGINT NOT NULL DEFAULT 0,  -- control sum of its payments
  state                   TEXT NOT NULL,            -- created | exported | reconciled
  created_at              TEXT NOT NULL,
  created_by              TEXT NOT NULL,
  file_format             TEXT NULL,                -- the last file exported: csv | pain001
  file_sha256             TEXT NULL,
  exported_at             TEXT NULL,
  exported_by             TEXT NULL,
  reconciled_at           TEXT NULL
);
CREATE UNIQUE INDEX payment_batches_cycle_channel ON payment_batches (cycle_id, channel);

CREATE TABLE payments (
  id                      {{ID}},
  batch_id                BIGINT NOT NULL REFERENCES payment_batches (id),
  cycle_id                BIGINT NOT NULL REFERENCES programme_cycles (id),
  household_id            BIGINT NOT NULL,
  payee_person_id         BIGINT NULL,
  commune_code            TEXT NOT NULL,            -- scope: where the household was at the cycle's cut-off
  end_to_end_id           TEXT NOT NULL,            -- ≤ 35 characters (pain.001 EndToEndId)
  amount_minor            BIGINT NOT NULL,
  currency                TEXT NOT NULL,
  channel                 TEXT NOT NULL,
  account                 TEXT NULL,                -- the account as it was when the batch was made
  payee_name              TEXT NULL,
  status                  TEXT NOT NULL,            -- pending | paid | failed
  reason                  TEXT NULL,                -- failed: the return reason code (e.g. AC01)
  paid_on                 TEXT NULL,                -- YYYY-MM-DD, from the reconciliation file
  reconciled_at           TEXT NULL,
  withdrawal_code_hash    TEXT NULL,                -- cash_withdrawal: SHA-256 of the code, never the code
  carried_from            BIGINT NULL REFERENCES payments (id)  -- the failed payment this one pays again
);
CREATE UNIQUE INDEX payments_end_to_end ON payments (end_to_end_id);
-- A failed payment is carried over once.
CREATE UNIQUE INDEX payments_carried_from ON payments (carried_from);
CREATE INDEX payments_batch ON payments (batch_id, id);
CREATE INDEX payments_household ON payments (household_id);
CREATE INDEX payments_failed ON payments (status, cycle_id);

-- Every reconciliation file received for a batch, applied or refused, with its line report (JSON).
CREATE TABLE payment_reconciliations (
  id                      {{ID}},
  batch_id                BIGINT NOT NULL REFERENCES payment_batches (id),
  format                  TEXT NOT NULL,            -- csv | camt054
  file_sha256             TEXT NOT NULL,
  outcome                 TEXT NOT NULL,            -- applied | unchanged | rejected
  lines                   BIGINT NOT NULL DEFAULT 0,
  paid                    BIGINT NOT NULL DEFAULT 0,
  failed                  BIGINT NOT NULL DEFAULT 0,
  unchanged               BIGINT NOT NULL DEFAULT 0,
  report                  TEXT NOT NULL,            -- JSON: {"problems":[{"line"|"path",reason,params}…]}
  imported_at             TEXT NOT NULL,
  imported_by             TEXT NOT NULL
);
CREATE INDEX payment_reconciliations_batch ON payment_reconciliations (batch_id, id);
