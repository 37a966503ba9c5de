-- A cycle's entries keep one index, their primary key (cycle_id, household_id). The index on household_id
-- alone was not what any query needed: the incompatibility check that looks for a household in another
-- programme's approved cycle of the same period finds that cycle (one row: programme_cycles_period) and
-- the household's entry in it by the primary key. Every entry written paid for a second B-tree insert,
-- about a tenth of writing a national cycle (docs/cycles-benchmark.md "One index on the entries").
DROP INDEX cycle_entries_household;
