// SQL of the funding calls (migration 0033): calls per region and year with their envelope, what is
// already committed of it, within the reader's area (docs/empowerment.md §Funding calls).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/call.h"
#include "empowerment/registration_store.h"

namespace sanad::empowerment {

// Application states whose approved amount is committed on the envelope.
inline constexpr const char* kCommittedStates = "('approved','agreement_signed','funded','monitoring','completed')";

struct CallRow {
  Call call;
  long long committed_minor = 0;  // approved amounts of the applications still running or completed
  long long paid_minor = 0;       // tranches paid
  long long applications = 0;
};

class CallStore {
 public:
  explicit CallStore(db::Database& db) : db_(db) {}

  // Whether `code` is a region of the reference areas on `day`.
  Result<bool> RegionExists(const std::string& code, const std::string& day);
  // Whether `area` lies within `ancestor` (or is it) on `day`.
  Result<bool> Within(const std::string& area, const std::string& ancestor, const std::string& day);

  // Errors: kAlreadyExists "empowerment.call_code_taken".
  Result<std::int64_t> Insert(const Call& c, const std::string& now, const std::string& by);
  // Replaces the call's fields when its version is still c.version. Errors: kConflict.
  Status Update(const Call& c, const std::string& now);

  // Reads: a call is visible when its region lies within the reader's area or her area within its region
  // (a commune worker sees her region's calls). nullopt when not visible.
  Result<std::optional<CallRow>> Get(std::int64_t id, const ReadScope& scope);
  Result<std::vector<CallRow>> List(const ReadScope& scope, std::optional<int> year);
  // Writes: the call's region lies within the writer's area (the coordinator of that region, national).
  Result<bool> Writable(std::int64_t id, const ReadScope& scope);
  // Calls open on `day` whose region holds `commune` (her status page).
  Result<std::vector<Call>> OpenFor(const std::string& commune, const std::string& day);
  // Any call by id, unscoped (her own applications' calls).
  Result<std::optional<Call>> Find(std::int64_t id);
  Result<std::optional<Call>> FindByCode(const std::string& code);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment
