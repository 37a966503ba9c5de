// SQL of change requests: the request row, the records it targets (with the version each had when it
// was filed), every commune it touches, and its decision. Write methods take the caller's transaction
// session; scoped reads borrow their own session and filter by the caller's scope in the query.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/records.h"

namespace sanad::registry {

class ChangeRequestStore {
 public:
  explicit ChangeRequestStore(db::Database& db) : db_(db) {}

  std::int64_t InsertChangeRequest(db::Session& s, const ChangeRequestRow& row, const std::vector<Target>& targets);
  // nullopt when absent or when the scope does not cover its area and every commune it touches.
  Result<std::optional<ChangeRequestRow>> GetChangeRequest(std::int64_t id, const Scope& scope);
  // Whether `scope` covers the request: its area (a request without one is national) and every commune
  // it touches.
  Result<bool> ChangeRequestWithin(db::Session& s, const ChangeRequestRow& cr, const Scope& scope);
  std::optional<ChangeRequestRow> LoadChangeRequest(db::Session& s, std::int64_t id);  // FOR UPDATE on PostgreSQL
  std::vector<Target> Targets(db::Session& s, std::int64_t cr);
  // Requests by status, optionally only those touching one household (or its members, or adding members
  // to it: imports of persons), newest first;
  // only those whose area and every touched commune the scope covers.
  Result<std::pair<std::vector<ChangeRequestRow>, long long>> ListChangeRequests(
      const std::optional<std::string>& status, int limit, int offset, const Scope& scope,
      std::optional<std::int64_t> household_id = {}, std::optional<std::int64_t> author_id = {});
  void FinishChangeRequest(db::Session& s, std::int64_t id, const std::string& status,
                           std::optional<std::int64_t> reviewer_id, const std::string& reviewer, const std::string& now,
                           const std::string& comment);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
