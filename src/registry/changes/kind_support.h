// What the change kinds share: readers of payload JSON, the collector of a form's problems, the filing
// context (reads of the registry as the actor sees it, with the checks every kind makes), and the
// applying context (writes inside the approval's transaction). Internal to the change kinds and the
// change service.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "db/database.h"
#include "registry/changes/change_kind.h"
#include "registry/household_store.h"
#include "registry/values.h"

namespace sanad::registry {

class RegistryStore;
using Json = nlohmann::json;

namespace fields {
inline const int kRel = FieldIndex(kPersonFields, "relationship");
inline const int kPersonStatus = FieldIndex(kPersonFields, "status");
inline const int kPersonExit = FieldIndex(kPersonFields, "exit_reason");
inline const int kNationalId = FieldIndex(kPersonFields, "national_id");
inline const int kBirthCommune = FieldIndex(kPersonFields, "birth_commune_code");
inline const int kCommune = FieldIndex(kHouseholdFields, "commune_code");
inline const int kHouseholdStatus = FieldIndex(kHouseholdFields, "status");
inline const int kHouseholdExit = FieldIndex(kHouseholdFields, "exit_reason");
inline const int kCurrency = FieldIndex(kHouseholdFields, "currency");
}  // namespace fields

// ---- every problem of a form at once ----
// Collects the failed checks of a payload: none → Ok; one → that error as it is (its field names the
// input); several → kInvalidArgument "form.invalid" with each as a problem. An error that already holds
// several problems (a person's names and disability at once) contributes each of them.
class Problems {
 public:
  void Add(const Error& e);
  // Records a failed check; returns whether it held.
  bool Check(const Status& st) {
    if (!st) Add(st.error());
    return st.has_value();
  }
  template <typename T>
  bool Check(const Result<T>& r) {
    if (!r) Add(r.error());
    return r.has_value();
  }
  bool empty() const { return errors_.empty(); }
  Status Done() const;

 private:
  std::vector<Error> errors_;
};

// ---- reading payload JSON (errors name the field as "payload.<key>") ----
Status OnlyKeys(const Json& payload, std::initializer_list<const char*> keys);
Result<std::int64_t> IdOf(const Json& payload, const char* key);
// A string among `allowed` less `excluded`.
Result<std::string> OneOf(const Json& payload, const char* key, std::span<const std::string_view> allowed,
                          std::initializer_list<std::string_view> excluded = {});
// {"<key>": id, "reason": exit reason}, the payload of the kinds by which records leave the registry,
// both problems at once; the reason is one of kExitReasons less `excluded`.
struct ExitRequest {
  std::int64_t id = 0;
  std::string reason;
};
Result<ExitRequest> ExitRequestOf(const Json& payload, const char* key,
                                  std::initializer_list<std::string_view> excluded);
// The object's fields that the request sets, as canonical JSON.
Json PresentJson(std::span<const FieldSpec> fields, const ParsedObject& p);
// The fields an update sets: (field index, new value).
FieldAssignments AssignmentsOf(const ParsedObject& p);

// ---- records ----
std::string NameOf(const Values& person);
std::string RefOf(const HouseholdRecord& h);
std::string RecordIdOf(const PersonRecord& p);
bool Active(const PersonRecord& p);
bool Active(const HouseholdRecord& h);
// A household that members may join: active (refused: household.exited, or household.awaiting_members for
// one a households-only import created, which only a persons import fills).
Status Joinable(const HouseholdRecord& h, const std::string& field);
CountryCode CountryOf(const HouseholdRecord& h);

// Reads the registry for a validation, as `actor` sees it, and collects what the request touches.
class Filing {
 public:
  // `change_request_id`: the stored request being validated again (approval, review); none at filing.
  Filing(RegistryStore& store, db::Session& s, const Actor& actor, std::optional<std::int64_t> change_request_id)
      : store_(store), s_(s), actor_(actor), cr_(change_request_id) {}

  Filed& out() { return out_; }
  RegistryStore& store() { return store_; }
  db::Session& session() { return s_; }
  const Actor& actor() const { return actor_; }
  std::optional<std::int64_t> change_request_id() const { return cr_; }

  // A household in the actor's scope, recorded as a target (its version as filed) and its commune as
  // touched. Errors: kNotFound (absent or outside the scope), field payload.<key>.
  Result<HouseholdRecord> Household(std::int64_t id, const char* key);
  // An active person in the actor's scope and their household; the person is recorded as a target and
  // their household's commune as touched.
  Result<std::pair<PersonRecord, HouseholdRecord>> Person(std::int64_t id, const char* key);
  void Target(const HouseholdRecord& h) { out_.targets.push_back({"household", h.id, h.version}); }
  void Target(const PersonRecord& p) { out_.targets.push_back({"person", p.id, p.version}); }
  // The fields of a new household in a commune of the reference data inside the actor's scope.
  Result<ParsedObject> NewHousehold(const Json& obj, const std::string& where);
  // The fields of a new person (names in one script, a birth commune that exists), every problem at once.
  Result<ParsedObject> Member(const Json& obj, CountryCode country, const std::string& where);
  // A national ID of `v` already held by another active person: filed with a warning, the reviewer
  // decides. The holder is named only when the actor's scope covers them.
  Status NationalIdInUse(const Values& v, std::optional<std::int64_t> self, const std::string& where);
  // payload.relationships: person id → relationship (not head) for persons among `moved`.
  Result<std::map<std::int64_t, std::string>> Relationships(const Json& payload, const std::set<std::int64_t>& moved);
  // Whether `area` lies in the actor's scope.
  Result<bool> InScope(const std::string& area);
  // The area `commune` (a new commune of a household) within the actor's scope, recorded as touched.
  Status TouchCommune(const std::string& commune, const std::string& field);

 private:
  RegistryStore& store_;
  db::Session& s_;
  const Actor& actor_;
  std::optional<std::int64_t> cr_;
  Filed out_;
};

// Writes an approved request inside the approval's transaction and records what it changed. Database
// errors throw from the stores and roll the transaction back (Database::InTransaction).
class Applying {
 public:
  Applying(RegistryStore& store, db::Session& s, std::int64_t cr, std::string now)
      : store_(store), s_(s), cr_(cr), now_(std::move(now)) {
    change_.change_request_id = cr;
  }

  RegistryStore& store() { return store_; }
  db::Session& session() { return s_; }
  std::int64_t change_request_id() const { return cr_; }
  const std::string& now() const { return now_; }
  AppliedChange& change() { return change_; }

  std::int64_t InsertHousehold(const Values& v);
  std::int64_t InsertPerson(std::int64_t household_id, const Values& v);
  void SetPerson(std::int64_t id, const FieldAssignments& set, std::optional<std::int64_t> to_household = {},
                 std::optional<std::int64_t> merged_into = {});
  // The person leaves the registry: status exited, with the reason.
  void ExitPerson(std::int64_t id, const std::string& reason) {
    SetPerson(id, {{fields::kPersonStatus, "exited"}, {fields::kPersonExit, reason}});
  }
  // A new version of the household (with the given fields set): every household a change touches
  // gets one, so its history shows the change.
  void Touch(std::int64_t household_id, const FieldAssignments& set = {});

 private:
  RegistryStore& store_;
  db::Session& s_;
  std::int64_t cr_;
  std::string now_;
  AppliedChange change_;
};

// Builds the operations of a kind from its typed validate and apply functions.
template <typename P>
KindOps MakeKind(ChangeKind kind, std::string_view name, Result<P> (*validate)(Filing&, const Json&),
                 Status (*apply)(Applying&, const P&), bool staged = false) {
  return KindOps{kind, name,
                 [validate](Filing& f, const Json& j) -> Status {
                   auto p = validate(f, j);
                   if (!p) return std::unexpected(p.error());
                   f.out().payload = std::move(*p);
                   return Ok();
                 },
                 [apply](Applying& a, const std::any& p) -> Status {
                   const P* typed = std::any_cast<P>(&p);
                   if (!typed) return Failure(Code::kInternal, "error.internal");
                   return apply(a, *typed);
                 },
                 staged};
}

// The operations of each kind, defined in its own file.
const KindOps& CreateHouseholdKind();
const KindOps& UpdateHouseholdKind();
const KindOps& UpdatePersonKind();
const KindOps& AddMemberKind();
const KindOps& RemoveMemberKind();
const KindOps& MoveMemberKind();
const KindOps& ChangeHeadKind();
const KindOps& SplitHouseholdKind();
const KindOps& MergeHouseholdsKind();
const KindOps& MergePersonsKind();
const KindOps& ExitHouseholdKind();
const KindOps& ImportHouseholdsKind();
const KindOps& ImportPersonsKind();
const KindOps& ImportHouseholdsWithMembersKind();

}  // namespace sanad::registry
