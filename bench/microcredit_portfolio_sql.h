// SQL of the micro-credit portfolio benchmark (bench/microcredit_portfolio.cpp): the synthetic portfolio
// generated set-based inside PostgreSQL, and the comparator — the same ageing and portfolio quality by
// wilaya as src/microcredit/portfolio.cpp, written as SQL with window functions.
#pragma once

namespace sanad::bench {

// The synthetic portfolio, {0} loans of 36 monthly instalments, repayments up to {1} (YYYY-MM-DD).
// Generated from hashes of the loan number (hashint8extended with one seed per attribute), so every run
// with the same size makes the same portfolio. Per loan:
//   wilaya DZ-01..DZ-58, one of its 8..47 communes (DZ-WWCC); product PNR (70 %, 36,000–250,000 DA) or
//   TRIANGULAR (ANGEM's part, 100,000–1,000,000 DA); disbursed in one of 42 monthly cohorts from
//   2023-01; borrower's sex F (45 %) or M; instalments due monthly from the month after disbursement,
//   equal in whole dinars, the remainder on the last one (schedule.cpp EqualInstalments).
//   Repayment behaviour: 68 % on time (up to 5 days before the due date), 10 % late (a fixed 5–54 days
//   after each due date), 8 % partial (60–90 % of each instalment on its due date), 4 % early (on time,
//   then the whole remainder 3 days before instalment 6–25), 7 % stopped paying after 0–29 instalments,
//   3 % stopped after 0–19 and were written off 270 days after their first missed due date (when that
//   is on or before the date).
// The referenced applications and persons are not generated: the load runs with the foreign-key
// triggers off (session_replication_role = replica; the ageing reads neither). The indexes of the two
// large tables are dropped during the load and built again after it, the usual way to bulk-load.
inline constexpr const char* kLoadSteps[] = {
    "SET session_replication_role = replica",
    "SET work_mem = '256MB'",
    "TRUNCATE microcredit_collection_tasks, microcredit_reschedules, microcredit_repayments, microcredit_instalments",
    "TRUNCATE microcredit_loans CASCADE",
    "ALTER TABLE microcredit_instalments DROP CONSTRAINT IF EXISTS microcredit_instalments_pkey",
    "DROP INDEX IF EXISTS microcredit_repayments_reference",
    "DROP INDEX IF EXISTS microcredit_repayments_loan",
    R"SQL(
CREATE TEMP TABLE bench_loans AS
SELECT i AS id, w, 1 + abs(hashint8extended(i, 2)) % (8 + (w * 17) % 40) AS commune,
       product, dinars, dinars / 36 AS each_dinars, dinars - 35 * (dinars / 36) AS last_dinars,
       CAST(DATE '2023-01-01' + make_interval(months => CAST(abs(hashint8extended(i, 5)) % 42 AS int)) AS date)
         + CAST(abs(hashint8extended(i, 6)) % 28 AS int) AS disbursed,
       CASE WHEN abs(hashint8extended(i, 7)) % 100 < 45 THEN 'F' ELSE 'M' END AS sex,
       behaviour,
       CAST(abs(hashint8extended(i, 9)) % 50 AS int) AS spread,   -- days late, % paid, or the stop
       CAST(abs(hashint8extended(i, 10)) % 30 AS int) AS stop
FROM (SELECT i, 1 + CAST(abs(hashint8extended(i, 1)) % 58 AS int) AS w,
             CASE WHEN abs(hashint8extended(i, 3)) % 10 < 7 THEN 'PNR' ELSE 'TRIANGULAR' END AS product,
             CASE WHEN abs(hashint8extended(i, 3)) % 10 < 7 THEN 36000 + abs(hashint8extended(i, 4)) % 215 * 1000
                  ELSE 100000 + abs(hashint8extended(i, 4)) % 901 * 1000 END AS dinars,
             CAST(abs(hashint8extended(i, 8)) % 100 AS int) AS behaviour
      FROM generate_series(1, {0}) AS i) AS x
)SQL",
    // The instalment a written-off loan first missed, and its write-off date (none after the date).
    R"SQL(
CREATE TEMP TABLE bench_written_off AS
SELECT id, CAST(CAST(disbursed + make_interval(months => stop % 20 + 1) AS date) + 270 AS text) AS on_day
FROM bench_loans WHERE behaviour >= 97
  AND CAST(disbursed + make_interval(months => stop % 20 + 1) AS date) + 270 <= DATE '{1}'
)SQL",
    R"SQL(
INSERT INTO microcredit_loans (id, application_id, person_id, product, lender, principal_minor, currency,
                               disbursed_on, commune_code, wilaya_code, sex, state, written_off_on, created_by,
                               created_at, schedule)
SELECT b.id, b.id, b.id, b.product, 'ANGEM', b.dinars * 100, 'DZD', CAST(b.disbursed AS text),
       'DZ-' || lpad(CAST(b.w AS text), 2, '0') || lpad(CAST(b.commune AS text), 2, '0'),
       'DZ-' || lpad(CAST(b.w AS text), 2, '0'), b.sex,
       CASE WHEN wo.id IS NULL THEN 'active' ELSE 'written_off' END, wo.on_day, 'bench', '{1}T00:00:00Z',
       -- the packed copy of the instalments below (src/microcredit/packed_schedule.h), as disbursement writes it
       (SELECT string_agg(CAST(CAST(b.disbursed + make_interval(months => k) AS date) AS text) || ':' ||
                          (100 * CASE WHEN k = 36 THEN b.last_dinars ELSE b.each_dinars END), ';' ORDER BY k)
          FROM generate_series(1, 36) AS k)
FROM bench_loans b LEFT JOIN bench_written_off wo ON wo.id = b.id ORDER BY b.id
)SQL",
    R"SQL(
INSERT INTO microcredit_instalments (loan_id, n, due_on, principal_minor)
SELECT b.id, k, CAST(CAST(b.disbursed + make_interval(months => k) AS date) AS text),
       100 * CASE WHEN k = 36 THEN b.last_dinars ELSE b.each_dinars END
FROM bench_loans b CROSS JOIN generate_series(1, 36) AS k ORDER BY b.id, k
)SQL",
    R"SQL(
INSERT INTO microcredit_repayments (loan_id, paid_on, amount_minor, reference, source, recorded_by, recorded_at)
SELECT id, CAST(paid AS text), amount, 'BENCH-' || id || '-' || k, 'import', 'bench', '{1}T00:00:00Z'
FROM (
  SELECT b.id, k,
         CASE WHEN b.behaviour BETWEEN 68 AND 77 THEN due + 5 + b.spread
              WHEN b.behaviour BETWEEN 86 AND 89 AND k = 6 + b.stop % 20 THEN due - 3
              WHEN b.behaviour BETWEEN 78 AND 85 THEN due
              ELSE due - b.spread % 6 END AS paid,
         CASE WHEN b.behaviour BETWEEN 78 AND 85 THEN 100 * (each * (60 + b.spread % 31) / 100)
              WHEN b.behaviour BETWEEN 86 AND 89 AND k = 6 + b.stop % 20
                THEN 100 * (b.dinars - (k - 1) * b.each_dinars)
              ELSE 100 * each END AS amount
  FROM (SELECT b.*, k, CAST(b.disbursed + make_interval(months => k) AS date) AS due,
               CASE WHEN k = 36 THEN b.last_dinars ELSE b.each_dinars END AS each
        FROM bench_loans b CROSS JOIN generate_series(1, 36) AS k) AS b
  WHERE NOT (b.behaviour BETWEEN 86 AND 89 AND k > 6 + b.stop % 20)
    AND NOT (b.behaviour BETWEEN 90 AND 96 AND k > b.stop)
    AND NOT (b.behaviour >= 97 AND k > b.stop % 20)
) AS r
WHERE paid <= DATE '{1}' AND amount > 0
ORDER BY id, k
)SQL",
    "CREATE UNIQUE INDEX microcredit_repayments_reference ON microcredit_repayments (reference)",
    "CREATE INDEX microcredit_repayments_loan ON microcredit_repayments (loan_id, paid_on)",
    "ALTER TABLE microcredit_instalments ADD PRIMARY KEY (loan_id, n)",
    // Closure as AddRepayments does it: repayments reaching the principal close the loan on the last one.
    R"SQL(
UPDATE microcredit_loans l SET state = 'closed', closed_on = r.last
FROM (SELECT loan_id, SUM(amount_minor) AS paid, MAX(paid_on) AS last FROM microcredit_repayments
      GROUP BY loan_id) AS r
WHERE r.loan_id = l.id AND l.state = 'active' AND r.paid >= l.principal_minor
)SQL",
    "SELECT setval(pg_get_serial_sequence('microcredit_loans', 'id'), {0})",
    "DROP TABLE bench_written_off",
    "DROP TABLE bench_loans",
    "SET session_replication_role = DEFAULT",
};

// The comparator: the ageing of AgeLoans (repayments up to the date, summed, pay the instalments oldest
// first; an instalment is late from the day after its due date; written-off loans leave the portfolio)
// and the figures of Quality, by wilaya, in one statement. The date is bound 7 times (:d1 … :d7).
inline constexpr const char* kPortfolioSql = R"SQL(
WITH loans AS (
  SELECT id, wilaya_code, principal_minor, written_off_on FROM microcredit_loans WHERE disbursed_on <= :d1
),
paid AS (
  SELECT r.loan_id, SUM(r.amount_minor) AS repaid
  FROM microcredit_repayments r JOIN loans l ON l.id = r.loan_id
  WHERE r.paid_on <= :d2 GROUP BY r.loan_id
),
inst AS (
  SELECT i.loan_id, i.due_on, i.principal_minor,
         SUM(i.principal_minor) OVER (PARTITION BY i.loan_id ORDER BY i.n ROWS UNBOUNDED PRECEDING) AS cumulative
  FROM microcredit_instalments i JOIN loans l ON l.id = i.loan_id
),
aged AS (
  SELECT inst.loan_id, SUM(inst.principal_minor) AS scheduled,
         COALESCE(SUM(inst.principal_minor) FILTER (WHERE inst.due_on < :d3), 0) AS due,
         MIN(inst.due_on) FILTER (WHERE inst.due_on < :d4 AND inst.cumulative > COALESCE(p.repaid, 0))
           AS oldest_unpaid
  FROM inst LEFT JOIN paid p ON p.loan_id = inst.loan_id
  GROUP BY inst.loan_id
),
per_loan AS (
  SELECT l.wilaya_code AS grp, l.principal_minor AS disbursed,
         (l.written_off_on IS NOT NULL AND l.written_off_on <= :d5) AS written_off,
         COALESCE(p.repaid, 0) AS repaid, COALESCE(a.scheduled, 0) AS scheduled, COALESCE(a.due, 0) AS due,
         GREATEST(0, COALESCE(a.scheduled, 0) - COALESCE(p.repaid, 0)) AS outstanding,
         GREATEST(0, COALESCE(a.due, 0) - COALESCE(p.repaid, 0)) AS overdue,
         COALESCE(CAST(:d6 AS date) - CAST(a.oldest_unpaid AS date), 0) AS days
  FROM loans l LEFT JOIN aged a ON a.loan_id = l.id LEFT JOIN paid p ON p.loan_id = l.id
),
live AS (
  SELECT *, CASE WHEN days <= 0 THEN 0 WHEN days <= 30 THEN 1 WHEN days <= 60 THEN 2 WHEN days <= 90 THEN 3
                 WHEN days <= 180 THEN 4 ELSE 5 END AS bucket
  FROM per_loan
)
SELECT grp, COUNT(*),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0),
       CAST(SUM(disbursed) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off), 0) AS bigint),
       CAST(COALESCE(SUM(overdue) FILTER (WHERE NOT written_off), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND days > 1), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND days > 30), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND days > 90), 0) AS bigint),
       CAST(COALESCE(SUM(due) FILTER (WHERE NOT written_off), 0) AS bigint),
       CAST(COALESCE(SUM(LEAST(repaid, due)) FILTER (WHERE NOT written_off), 0) AS bigint),
       CAST(COALESCE(SUM(GREATEST(0, scheduled - repaid)) FILTER (WHERE written_off), 0) AS bigint),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 0),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 1),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 2),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 3),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 4),
       COUNT(*) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 5),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 0), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 1), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 2), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 3), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 4), 0) AS bigint),
       CAST(COALESCE(SUM(outstanding) FILTER (WHERE NOT written_off AND outstanding > 0 AND bucket = 5), 0) AS bigint)
FROM live GROUP BY grp ORDER BY grp
)SQL";

}  // namespace sanad::bench
