-- Each loan's schedule packed into one text beside the loan (src/microcredit/packed_schedule.h:
-- "YYYY-MM-DD:principal" in due order, joined by ';'), written with its instalment rows. The portfolio
-- read takes it instead of one row per instalment. Loans disbursed before this migration get theirs
-- from their rows.
ALTER TABLE microcredit_loans ADD COLUMN schedule TEXT;

-- @postgres
UPDATE microcredit_loans l SET schedule = s.packed
  FROM (SELECT loan_id, string_agg(due_on || ':' || principal_minor, ';' ORDER BY n) AS packed
          FROM microcredit_instalments GROUP BY loan_id) s
 WHERE s.loan_id = l.id;
-- @end

-- @sqlite
UPDATE microcredit_loans SET schedule = (
  SELECT group_concat(due_on || ':' || principal_minor, ';')
    FROM (SELECT due_on, principal_minor FROM microcredit_instalments i
           WHERE i.loan_id = microcredit_loans.id ORDER BY n));
-- @end
