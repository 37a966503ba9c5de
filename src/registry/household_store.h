// SQL of the registry's current rows and their versions: households, their members, persons, as-of
// reads, person search, and the checks the change service makes before it files or
// applies a request. Write methods take the caller's transaction session so that a change request
// applies atomically; scoped read methods borrow their own session. Every read that returns personal
// data filters by the caller's area scope in the query itself.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/records.h"

namespace sanad::registry {

// Field assignments of an update: (field index in the FieldSpec table, new value).
using FieldAssignments = std::vector<std::pair<int, std::optional<std::string>>>;

// A person of a search page without the record: enough to tell whether a copy kept of it is current
// (a person's version changes with every write to its row, and versions are never reused).
struct PersonStamp {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::int64_t version = 0;
};

class HouseholdStore {
 public:
  explicit HouseholdStore(db::Database& db) : db_(db) {}

  // ---- reads (scoped) ----
  Result<std::optional<HouseholdRecord>> GetHousehold(std::int64_t id, const Scope& scope);
  // The household as it was at the end of `day` (YYYY-MM-DD): nullopt when it did not exist yet.
  Result<std::optional<HouseholdRecord>> GetHouseholdAsOf(std::int64_t id, const std::string& day, const Scope& scope);
  Result<std::optional<PersonRecord>> GetPerson(std::int64_t id, const Scope& scope);
  // household id → (ref, commune_code)
  using HomeMap = std::unordered_map<std::int64_t, std::pair<std::string, std::string>>;
  // The page of persons and the total (see SearchFilter::count_total). `homes`, when given, receives
  // where each person of the page lives, read in the same statement.
  Result<std::pair<std::vector<PersonRecord>, long long>> SearchPersons(const SearchFilter& f, const Scope& scope,
                                                                        HomeMap* homes = nullptr);
  // The same page (same filter, scope, order and total) as stamps: ids and versions only.
  Result<std::pair<std::vector<PersonStamp>, long long>> SearchPersonStamps(const SearchFilter& f, const Scope& scope,
                                                                            HomeMap* homes = nullptr);
  // The id of the person whose registry reference is `record_id` (P…), not scoped: pass it on in
  // SearchFilter::person_ids, which SearchPersons scopes.
  Result<std::optional<std::int64_t>> PersonIdByRecordId(const std::string& record_id);
  Result<std::pair<std::vector<HouseholdRecord>, long long>> ListHouseholds(const std::optional<std::string>& area,
                                                                            int limit, int offset, const Scope& scope);
  // household id → (ref, commune_code) for the given households (already scope-checked by the caller).
  Result<HomeMap> HouseholdSummaries(const std::vector<std::int64_t>& ids);

  // ---- checks (inside the caller's session; never throw) ----
  // Commune of a household, unscoped (for scope checks in services).
  Result<std::optional<std::string>> HouseholdCommune(db::Session& s, std::int64_t id);
  Result<bool> AreaWithin(db::Session& s, const std::string& area, const Scope& scope);
  Result<bool> AreaExists(db::Session& s, const std::string& code);
  Result<bool> IsCommune(db::Session& s, const std::string& code);
  // Active persons (other than `except`) holding `national_id`, with the commune they live in.
  Result<std::vector<NationalIdHolder>> ActiveNationalIdHolders(db::Session& s, const std::string& national_id,
                                                                std::optional<std::int64_t> except);
  // The active households among `ids` that have no active member or not exactly one head. On
  // PostgreSQL the households stay locked until the caller's transaction ends, so that two
  // transactions adding members to one household are checked one after the other.
  Result<std::vector<HouseholdRuleBreak>> HouseholdRuleBreaks(db::Session& s, const std::vector<std::int64_t>& ids);

  // ---- loads and writes (inside the caller's transaction; throw on a database error) ----
  std::optional<HouseholdRecord> LoadHousehold(db::Session& s, std::int64_t id);  // unscoped, with members
  std::optional<PersonRecord> LoadPerson(db::Session& s, std::int64_t id);
  // -1 when the record is absent.
  std::int64_t CurrentVersion(db::Session& s, const std::string& record_type, std::int64_t id);
  std::int64_t InsertHousehold(db::Session& s, const Values& v, const std::string& now, std::int64_t cr);
  std::int64_t InsertPerson(db::Session& s, std::int64_t household_id, const Values& v, const std::string& now,
                            std::int64_t cr);
  // Sets the given fields and bumps the version, closing the previous version row.
  void UpdateHousehold(db::Session& s, std::int64_t id, const FieldAssignments& set, const std::string& now,
                       std::int64_t cr);
  void UpdatePerson(db::Session& s, std::int64_t id, const FieldAssignments& set,
                    std::optional<std::int64_t> new_household, std::optional<std::int64_t> merged_into,
                    const std::string& now, std::int64_t cr);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
