// SQL of the registry: current rows, their versions, change requests, staging and the benefit ledger.
// Column lists come from registry_model/fields.h. Write methods take the caller's transaction session
// so that a change request applies atomically; read methods borrow their own session.
// Every read that returns personal data filters by the caller's area scope in the query itself.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/values.h"

namespace sanad::registry {

inline constexpr const char* kOpenEnd = "9999-12-31T00:00:00Z";

// The caller's area scope: records whose commune lies under `area` on `today`; no area = national.
struct Scope {
  std::optional<std::string> area;
  std::string today;  // YYYY-MM-DD
};

struct PersonRecord {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  Values values;
  std::int64_t version = 0;
  std::optional<std::int64_t> merged_into;
};

struct HouseholdRecord {
  std::int64_t id = 0;
  Values values;
  std::int64_t version = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<PersonRecord> members;
};

struct HistoryEvent {
  std::string at;
  std::string record_type;  // household | person
  std::int64_t record_id = 0;
  std::int64_t version = 0;
  std::optional<std::int64_t> change_request_id;
  std::string kind;  // change request kind
  std::string author;
  std::string reviewer;
  std::string summary;
};

// Something a reviewer must see before deciding (computed when filing and again when reviewing; not
// stored): e.g. reason "person.national_id_in_use" with the other holder's id when the caller's scope
// covers them.
struct ChangeWarning {
  std::string reason;
  std::string message;
  std::string field;
  std::optional<std::int64_t> person_id;
};

struct ChangeRequestRow {
  std::int64_t id = 0;
  std::string kind, status, author_username, created_at, summary, payload;
  std::optional<std::int64_t> author_id;
  std::optional<std::string> area_code, reviewer_username, reviewed_at, review_comment;
  std::int64_t item_count = 1;
  std::vector<std::int64_t> conflicts_with;  // other pending requests sharing a target
  // Every commune the request touches (both households of a move, old and new commune of an update,
  // both persons of a merge…); empty for imports, whose area_code already holds every row.
  std::vector<std::string> communes;
  std::vector<ChangeWarning> warnings;  // computed for the caller, never stored
};

struct Target {
  std::string record_type;
  std::int64_t record_id = 0;
  std::int64_t base_version = 0;
};

struct BenefitRow {
  std::int64_t id = 0;
  std::optional<std::int64_t> person_id, household_id;
  std::string programme, kind, benefit_date;
  std::optional<std::int64_t> amount_minor;
  std::optional<std::string> currency;
  std::optional<double> quantity;
  std::optional<std::string> unit;
  std::string reference, source, recorded_at, recorded_by;
};

// An active household that breaks the registry's rule of exactly one head (and at least one member).
struct HouseholdRuleBreak {
  std::int64_t household_id = 0;
  std::string ref;
  long long active_members = 0;
  long long heads = 0;
};

// An active person holding a national ID.
struct NationalIdHolder {
  std::int64_t person_id = 0;
  std::string commune_code;
};

struct SearchFilter {
  std::optional<std::string> national_id;
  std::optional<std::string> phone;
  std::optional<std::string> area;                      // additional area filter (inside the scope)
  std::optional<std::vector<std::int64_t>> person_ids;  // from the name index, in rank order
  bool include_inactive = false;
  int limit = 50;
  int offset = 0;
};

class RegistryStore {
 public:
  explicit RegistryStore(db::Database& db) : db_(db) {}
  db::Database& db() { return db_; }

  // ---- reads (scoped) ----
  Result<std::optional<HouseholdRecord>> GetHousehold(std::int64_t id, const Scope& scope);
  // The household as it was at the end of `day` (YYYY-MM-DD): nullopt when it did not exist yet.
  Result<std::optional<HouseholdRecord>> GetHouseholdAsOf(std::int64_t id, const std::string& day, const Scope& scope);
  Result<std::optional<PersonRecord>> GetPerson(std::int64_t id, const Scope& scope);
  Result<std::vector<HistoryEvent>> History(std::int64_t household_id);
  Result<std::pair<std::vector<PersonRecord>, long long>> SearchPersons(const SearchFilter& f, const Scope& scope);
  // The id of the person whose registry reference is `record_id` (P…), not scoped: pass it on in
  // SearchFilter::person_ids, which SearchPersons scopes.
  Result<std::optional<std::int64_t>> PersonIdByRecordId(const std::string& record_id);
  Result<std::pair<std::vector<HouseholdRecord>, long long>> ListHouseholds(const std::optional<std::string>& area,
                                                                            int limit, int offset, const Scope& scope);
  // household id → (ref, commune_code) for the given households (already scope-checked by the caller).
  Result<std::unordered_map<std::int64_t, std::pair<std::string, std::string>>> HouseholdSummaries(
      const std::vector<std::int64_t>& ids);
  // Commune of a household, unscoped (for scope checks in services).
  Result<std::optional<std::string>> HouseholdCommune(db::Session& s, std::int64_t id);
  Result<bool> AreaWithin(db::Session& s, const std::string& area, const Scope& scope);
  Result<bool> AreaExists(db::Session& s, const std::string& code);
  // Active persons (other than `except`) holding `national_id`, with the commune they live in.
  std::vector<NationalIdHolder> ActiveNationalIdHolders(db::Session& s, const std::string& national_id,
                                                        std::optional<std::int64_t> except);
  // The active households among `ids` that have no active member or not exactly one head.
  std::vector<HouseholdRuleBreak> HouseholdRuleBreaks(db::Session& s, const std::vector<std::int64_t>& ids);

  // ---- writes (inside the caller's transaction) ----
  std::int64_t InsertHousehold(db::Session& s, const Values& v, const std::string& now, std::int64_t cr);
  std::int64_t InsertPerson(db::Session& s, std::int64_t household_id, const Values& v, const std::string& now,
                            std::int64_t cr);
  // Sets the given fields (by index) and bumps the version, closing the previous version row.
  void UpdateHousehold(db::Session& s, std::int64_t id,
                       const std::vector<std::pair<int, std::optional<std::string>>>& set, const std::string& now,
                       std::int64_t cr);
  void UpdatePerson(db::Session& s, std::int64_t id, const std::vector<std::pair<int, std::optional<std::string>>>& set,
                    std::optional<std::int64_t> new_household, std::optional<std::int64_t> merged_into,
                    const std::string& now, std::int64_t cr);
  std::optional<HouseholdRecord> LoadHousehold(db::Session& s, std::int64_t id);  // unscoped, with members
  std::optional<PersonRecord> LoadPerson(db::Session& s, std::int64_t id);
  std::int64_t CurrentVersion(db::Session& s, const std::string& record_type, std::int64_t id);

  // ---- change requests ----
  std::int64_t InsertChangeRequest(db::Session& s, const ChangeRequestRow& row, const std::vector<Target>& targets);
  // nullopt when absent or when the scope does not cover its area and every commune it touches.
  Result<std::optional<ChangeRequestRow>> GetChangeRequest(std::int64_t id, const Scope& scope);
  // Whether `scope` covers the request: its area (a request without one is national) and every commune
  // it touches.
  Result<bool> ChangeRequestWithin(db::Session& s, const ChangeRequestRow& cr, const Scope& scope);
  std::optional<ChangeRequestRow> LoadChangeRequest(db::Session& s, std::int64_t id);  // FOR UPDATE on PostgreSQL
  std::vector<Target> Targets(db::Session& s, std::int64_t cr);
  // Requests by status, optionally only those touching one household (or its members) or only those
  // filed by one user account, newest first; only those whose area and every touched commune the
  // scope covers.
  Result<std::pair<std::vector<ChangeRequestRow>, long long>> ListChangeRequests(
      const std::optional<std::string>& status, int limit, int offset, const Scope& scope,
      std::optional<std::int64_t> household_id = {}, std::optional<std::int64_t> author_id = {});
  void FinishChangeRequest(db::Session& s, std::int64_t id, const std::string& status,
                           std::optional<std::int64_t> reviewer_id, const std::string& reviewer, const std::string& now,
                           const std::string& comment);

  // ---- bulk import ----
  // Stages validated rows column by column (one statement per chunk of rows).
  void StageHouseholds(db::Session& s, std::int64_t cr, const std::vector<Values>& rows);
  void StagePersons(db::Session& s, std::int64_t cr, const std::vector<std::string>& household_refs,
                    const std::vector<std::int64_t>& household_ids, const std::vector<Values>& rows);
  // Moves staged rows into the registry with set-based statements; returns rows applied.
  long long ApplyStagedHouseholds(db::Session& s, std::int64_t cr, const std::string& now);
  long long ApplyStagedPersons(db::Session& s, std::int64_t cr, const std::string& now);
  // The households that the staged rows of an import request name (persons) or create (households,
  // by source_ref once applied).
  std::vector<std::int64_t> StagedPersonHouseholds(db::Session& s, std::int64_t cr);
  // Households named by `refs` (their ref or source_ref): id and commune, or nullopt when unknown.
  struct HouseholdKey {
    std::int64_t id;
    std::string commune_code;
  };
  std::vector<std::optional<HouseholdKey>> HouseholdsByRef(db::Session& s, const std::vector<std::string>& refs);

  // ---- bulk load of complete rows (demo registries, migration of a legacy registry) ----
  // Next free ids (max + 1), taken inside the caller's write transaction.
  std::pair<std::int64_t, std::int64_t> NextIds(db::Session& s);
  // Inserts `n` rows with explicit ids first_id.. and their first version rows. field_columns[f][r] is
  // field f of row r (registry_model/fields.h order), ref/record_id included.
  using Columns = std::vector<std::vector<std::optional<std::string>>>;
  void LoadHouseholds(db::Session& s, std::int64_t first_id, const Columns& field_columns, std::size_t n,
                      const std::string& now, std::int64_t cr);
  void LoadPersons(db::Session& s, std::int64_t first_id, const std::vector<std::int64_t>& household_ids,
                   const Columns& field_columns, std::size_t n, const std::string& now, std::int64_t cr);
  // PostgreSQL identities continue after explicitly inserted ids.
  void SyncIdentities(db::Session& s);
  // Secondary indexes of the registry tables, as the database itself defines them. Loading an empty
  // registry drops them first and recreates them after (one sort instead of millions of random
  // B-tree inserts); primary keys stay.
  std::vector<std::string> DropSecondaryIndexes(db::Session& s);
  void CreateIndexes(db::Session& s, const std::vector<std::string>& definitions);

  // ---- benefit ledger ----
  std::int64_t InsertBenefit(db::Session& s, const BenefitRow& b);
  Result<std::vector<BenefitRow>> Benefits(std::optional<std::int64_t> person_id,
                                           std::optional<std::int64_t> household_id);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
