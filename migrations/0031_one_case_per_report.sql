-- A citizen report becomes at most one case: the case opened from it names the report's public id as
-- its origin_ref. Two workers opening a case from the same report at once get the same case (the second
-- insert fails on this index and the opener returns the first), never two.
CREATE UNIQUE INDEX cases_one_per_report ON cases (origin_ref) WHERE origin = 'report';
