// CycleStore::RefreshFlags: the incompatibility checks of a draft, each one set-based statement over the
// cycle's eligible entries (a flag appends its JSON object to the entry's flags array).
#include <fmt/format.h>

#include "cycles/cycle_store.h"
#include "db/row.h"

namespace sanad::cycles {

namespace {

// The households of the draft that the check finds, as a subquery over `cycle_entries e`.
std::string Matching(const FlagCheck& c) {
  switch (c.kind) {
    case FlagCheck::Kind::kRegistryFlag:
      // Today's registry, not the cut-off's: what slipped through since the cut-off is the point.
      return fmt::format(
          "EXISTS (SELECT 1 FROM persons p WHERE p.household_id = cycle_entries.household_id AND p.status = 'active' "
          "AND (p.{} = 1 OR EXISTS (SELECT 1 FROM linkage_external_matches m JOIN linkage_external_lists l ON l.id = "
          "m.list_id WHERE m.person_id = p.id AND l.programme = :o)))",
          c.flag_column);
    case FlagCheck::Kind::kApprovedCycle:
      // Planned as the other programme's cycle of the period (one row: programme_cycles_period), then the
      // household's entry in it by the entries' primary key, their only index (tested).
      return "EXISTS (SELECT 1 FROM cycle_entries e2 JOIN programme_cycles c2 ON c2.id = e2.cycle_id WHERE "
             "e2.household_id = cycle_entries.household_id AND e2.eligible = 1 AND c2.programme = :o AND c2.period = "
             ":pe AND c2.state <> 'draft')";
    case FlagCheck::Kind::kLedgerInPeriod:
      return "EXISTS (SELECT 1 FROM benefits b LEFT JOIN persons p ON p.id = b.person_id WHERE b.programme = :o AND "
             "substr(b.benefit_date, 1, 7) = :pe AND (b.household_id = cycle_entries.household_id OR p.household_id "
             "= cycle_entries.household_id))";
  }
  return "0 = 1";
}

}  // namespace

std::string FlagUpdateSql(const FlagCheck& check) {
  // Appends to the JSON array: '[f]' when empty, else '[…,f]'.
  return "UPDATE cycle_entries SET flags = CASE WHEN flags IS NULL THEN '[' || :f1 || ']' ELSE "
         "substr(flags, 1, length(flags) - 1) || ',' || :f2 || ']' END WHERE cycle_id = :id AND eligible = 1 AND " +
         Matching(check);
}

Result<std::int64_t> CycleStore::RefreshFlags(db::Session& s, const CycleRow& cycle,
                                              const std::vector<FlagCheck>& checks) {
  return db::Guard([&]() -> Result<std::int64_t> {
    long long key = cycle.id;
    std::string state;
    s.sql() << "SELECT state FROM programme_cycles WHERE id = :id", soci::use(key), soci::into(state);
    if (state != kDraft) return cycle.households_flagged;
    s.sql() << "UPDATE cycle_entries SET flags = NULL WHERE cycle_id = :id AND flags IS NOT NULL", soci::use(key);
    for (const auto& c : checks) {
      std::string other = c.other, period = cycle.period, flag = c.flag_json, flag2 = flag;
      soci::statement st(s.sql());
      st.alloc();
      st.prepare(FlagUpdateSql(c));
      st.exchange(soci::use(flag));
      st.exchange(soci::use(flag2));
      st.exchange(soci::use(key));
      st.exchange(soci::use(other));
      if (c.kind != FlagCheck::Kind::kRegistryFlag) st.exchange(soci::use(period));
      st.define_and_bind();
      st.execute(true);
    }
    long long flagged = 0;
    s.sql() << "SELECT COUNT(*) FROM cycle_entries WHERE cycle_id = :id AND flags IS NOT NULL", soci::use(key),
        soci::into(flagged);
    s.sql() << "UPDATE programme_cycles SET households_flagged = :n WHERE id = :id AND state = 'draft'",
        soci::use(flagged), soci::use(key);
    return static_cast<std::int64_t>(flagged);
  });
}

}  // namespace sanad::cycles
