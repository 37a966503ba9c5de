// Every edit of the registry is a change request: filed by one person, approved by another (four
// eyes), applied atomically with its history and audit line, or rejected. Two pending requests that
// touch the same record are reported as conflicting, and a request whose records changed after it was
// filed cannot be applied until a reviewer acknowledges that.
//
// Kinds and payloads (JSON); each kind is a file of its own under registry/changes/ (change_kind.h):
//   create_household  {"household": {fields}, "members": [{person fields}, …]}   (exactly one head)
//   update_household  {"household_id": N, "changes": {fields}}
//   update_person     {"person_id": N, "changes": {fields}}                      (not relationship→head)
//   add_member        {"household_id": N, "person": {fields}}
//   remove_member     {"person_id": N, "reason": "death|emigration|left_household|other"}
//   move_member       {"person_id": N, "to_household_id": M, "relationship": "child"}
//   change_head       {"household_id": N, "new_head_person_id": P, "previous_head_relationship": "spouse"}
//   split_household   {"household_id": N, "person_ids": [...], "new_head_person_id": P,
//                      "household": {fields of the new household}, "relationships": {"<id>": "child"}}
//   merge_households  {"household_id": N, "merged_household_id": M, "relationships": {"<id>": "other"}}
//   merge_persons     {"person_id": N, "duplicate_person_id": D}
//   exit_household    {"household_id": N, "reason": "death|emigration|other"}
//   import_households / import_persons / import_households_with_members: rows staged by the importer (not
//                     filed through this API); the last creates households with their members at once
//
// Thread safety: all methods may be called concurrently; the database serialises applications.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_log.h"
#include "core/time.h"
#include "registry/actor.h"
#include "registry/applied_change.h"
#include "registry/author_store.h"
#include "registry/change_feed_store.h"
#include "registry/changes/change_kind.h"
#include "registry/registry_store.h"

namespace sanad::registry {

// A reviewer's decision on a request.
struct ReviewDecision {
  std::string comment;
  bool acknowledge_conflicts = false;  // records changed since filing: the reviewer looked again
  // A national ID of the request is already held by another active person and the reviewer checked
  // that they are not the same person (a comment saying why is required). When they are the same
  // person, the reviewer files a merge_persons request instead.
  bool national_id_not_same_person = false;
};

// Rows of an import file after validation, ready to stage.
struct ImportBatch {
  std::string kind;  // import_households | import_persons | import_households_with_members
  std::string file_name;
  std::vector<Values> rows;                 // households, or persons (persons, households with members)
  std::vector<Values> household_rows;       // households with members: the households
  std::vector<std::string> household_refs;  // persons: the household each row names
  std::vector<std::int64_t> household_ids;  // persons: resolved ids (empty: households of the same batch)
  std::optional<std::string> area_code;     // lowest area holding every row (reviewers' scope)
};

class ChangeService {
 public:
  ChangeService(RegistryStore& store, audit::AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // In-process listeners, called after the commit of each application. Other processes on the same
  // database learn of it from the change feed (ChangeFeedFollower).
  void AddListener(std::function<void(const AppliedChange&)> listener) { listeners_.push_back(std::move(listener)); }

  // Validates and files a request. Errors: kInvalidArgument (payload, with the field path),
  // kNotFound (a referenced record outside the author's scope or absent), kFailedPrecondition.
  Result<ChangeRequestRow> Submit(const std::string& kind, const nlohmann::json& payload, const Actor& author);
  Result<ChangeRequestRow> SubmitImport(const ImportBatch& batch, const Actor& author);

  // The request as `reviewer` sees it, re-validated against the current registry: warnings (such as a
  // national ID held by another active person) are filled in. Errors: kNotFound (absent, or the
  // reviewer's scope does not cover every commune it touches).
  Result<ChangeRequestRow> Review(std::int64_t id, const Actor& reviewer);
  // The stored request as it is, without re-validating it (no warnings): the same 404 as Review outside
  // the reader's scope.
  Result<ChangeRequestRow> Get(std::int64_t id, const Actor& reader);

  // Re-validates the stored request against the current registry and applies it.
  // Errors: kNotFound (absent, or the reviewer's scope does not cover every commune it touches),
  // kPermissionDenied (own request, reason "change_request.own_request"), kFailedPrecondition (not pending; no longer
  // valid, reason "change_request.no_longer_valid"; breaks a registry rule, reasons "household.*"; a national ID held
  // by another active person without a decision, reason "person.national_id_in_use"), kConflict (records changed since
  // filing and `acknowledge_conflicts` is false).
  Result<ChangeRequestRow> Approve(std::int64_t id, const Actor& reviewer, const ReviewDecision& decision);
  Result<ChangeRequestRow> Approve(std::int64_t id, const Actor& reviewer, const std::string& comment,
                                   bool acknowledge_conflicts) {
    return Approve(id, reviewer, ReviewDecision{comment, acknowledge_conflicts, false});
  }
  Result<ChangeRequestRow> Reject(std::int64_t id, const Actor& reviewer, const std::string& comment);

  RegistryStore& store() { return store_; }

 private:
  // Validates a payload of `ops`'s kind as `actor` sees the registry; `stored` is the request being
  // validated again (approval, review), none when filing.
  Result<Filed> Validate(db::Session& s, const KindOps& ops, const nlohmann::json& payload, const Actor& actor,
                         const ChangeRequestRow* stored);
  // Re-validates a stored request as `reviewer` against the current registry (kFailedPrecondition
  // with reason "change_request.no_longer_valid", the field that fails and the reason why as its
  // problems).
  Result<Filed> Revalidate(db::Session& s, const ChangeRequestRow& cr, const Actor& reviewer);
  Status Audit(db::Session& s, const Actor& who, const std::string& action, std::int64_t cr,
               const std::string& details);

  RegistryStore& store_;
  ChangeFeedStore feed_{store_.db()};  // every application is recorded for the other app servers
  AuthorStore authors_{store_.db()};   // the author's notice of each decision
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::vector<std::function<void(const AppliedChange&)>> listeners_;
};

}  // namespace sanad::registry
