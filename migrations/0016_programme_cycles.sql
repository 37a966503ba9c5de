-- Programme cycles (src/cycles, docs/cycles.md): one per programme and period, computed from the registry
-- as it stood at the cycle's cut-off (household_versions, person_versions and the scores in force then),
-- so computing it again gives the same rows. A cycle is written whole in one transaction or not at all.
-- Approval (by a user other than the one who generated it) freezes the cycle: its entries are never
-- rewritten after that, whatever happens to the registry.

CREATE TABLE programme_cycles (
  id                      {{ID}},
  programme               TEXT NOT NULL,            -- the programme's code (ASD, AMO_TADAMON, …)
  period                  TEXT NOT NULL,            -- YYYY-MM
  cut_off                 TEXT NOT NULL,            -- UTC timestamp: the registry state the cycle reads
  state                   TEXT NOT NULL,            -- draft | approved | paid | closed
  currency                TEXT NOT NULL,            -- MAD | DZD
  programme_digest        TEXT NOT NULL,            -- hash of the rules and parameters the cycle used
  households_considered   BIGINT NOT NULL DEFAULT 0,
  households_eligible     BIGINT NOT NULL DEFAULT 0,
  households_flagged      BIGINT NOT NULL DEFAULT 0,  -- entries with an incompatibility flag
  total_minor             BIGINT NOT NULL DEFAULT 0,  -- monthly amounts, minor units (centimes)
  one_off_total_minor     BIGINT NOT NULL DEFAULT 0,
  generated_at            TEXT NOT NULL,
  generated_by_id         BIGINT NULL,
  generated_by            TEXT NOT NULL,
  approved_at             TEXT NULL,
  approved_by_id          BIGINT NULL,
  approved_by             TEXT NULL,
  paid_at                 TEXT NULL,
  closed_at               TEXT NULL,
  version                 BIGINT NOT NULL DEFAULT 1
);
-- One cycle per programme and period, whichever server generates it.
CREATE UNIQUE INDEX programme_cycles_period ON programme_cycles (programme, period);

-- One row per household the cycle considered: eligible with its amounts, or not with its reasons.
CREATE TABLE cycle_entries (
  cycle_id                BIGINT NOT NULL REFERENCES programme_cycles (id),
  household_id            BIGINT NOT NULL,
  household_version       BIGINT NOT NULL,          -- the household_versions row the entry was computed from
  commune_code            TEXT NOT NULL,            -- where the household was at the cut-off (scope, totals)
  payee_person_id         BIGINT NULL,              -- the head of household at the cut-off
  eligible                BIGINT NOT NULL,          -- 0 | 1
  amount_minor            BIGINT NOT NULL,          -- the period's amount, minor units; 0 when not eligible
  one_off_minor           BIGINT NOT NULL,          -- one-off entitlements due in the period, minor units
  details                 TEXT NOT NULL,            -- JSON: lines, one-offs, reasons, the inputs snapshot
  flags                   TEXT NULL,                -- JSON: incompatibility flags raised before approval
  PRIMARY KEY (cycle_id, household_id)
);
CREATE INDEX cycle_entries_household ON cycle_entries (household_id);
