// import_households / import_persons / import_households_with_members: rows of a file validated and
// staged by the importer under their request (not filed through the change API). At approval the registry may have
// changed since: rows another import has registered since, or households a persons file joins that have left the
// registry, refuse the request. Approval applies the rows set-wise; the registry rules are then checked as for every
// other kind on the households a persons import adds members to (two imports approved one after the other must not give
// a household two heads).
#include "registry/changes/kind_support.h"
#include "registry/registry_store.h"

namespace sanad::registry {

namespace {

struct Import {};

Result<Import> ValidateHouseholds(Filing& f, const Json&) {
  if (!f.change_request_id()) return Import{};
  if (auto ref = f.store().staging.StagedHouseholdAlreadyRegistered(f.session(), *f.change_request_id())) {
    return Failure(Code::kFailedPrecondition, "import.already_registered",
                   {{"column", "household_ref"}, {"value", *ref}});
  }
  return Import{};
}

Result<Import> ValidatePersons(Filing& f, const Json&) {
  if (!f.change_request_id()) return Import{};
  const std::int64_t cr = *f.change_request_id();
  if (auto ref = f.store().staging.StagedPersonAlreadyRegistered(f.session(), cr)) {
    return Failure(Code::kFailedPrecondition, "import.already_registered", {{"column", "record_id"}, {"value", *ref}});
  }
  auto exited = f.store().staging.StagedPersonHouseholdsNotActive(f.session(), cr);
  if (!exited.empty()) {
    return Failure(Code::kFailedPrecondition, "household.exited", {{"household", exited.front()}});
  }
  return Import{};
}

// The households it creates have no members yet (their persons file fills them): nothing for the
// registry rules to check until then.
Status ApplyHouseholds(Applying& a, const Import&) {
  a.store().staging.ApplyStagedHouseholds(a.session(), a.change_request_id(), a.now());
  a.change().bulk = true;
  return Ok();
}

Status ApplyPersons(Applying& a, const Import&) {
  auto& households = a.change().household_ids;
  const auto named = a.store().staging.StagedPersonHouseholds(a.session(), a.change_request_id());
  households.insert(households.end(), named.begin(), named.end());
  a.store().staging.ApplyStagedPersons(a.session(), a.change_request_id(), a.now());
  a.change().bulk = true;
  return Ok();
}

// Households with their members: neither the households nor the persons may have been registered
// since the filing.
Result<Import> ValidateHouseholdsWithMembers(Filing& f, const Json& json) {
  if (auto h = ValidateHouseholds(f, json); !h) return h;
  if (!f.change_request_id()) return Import{};
  if (auto ref = f.store().staging.StagedPersonAlreadyRegistered(f.session(), *f.change_request_id())) {
    return Failure(Code::kFailedPrecondition, "import.already_registered", {{"column", "record_id"}, {"value", *ref}});
  }
  return Import{};
}

// The households and their members in the approval's transaction; the registry rules then run on every
// new household, so none becomes active without exactly one head.
Status ApplyHouseholdsWithMembers(Applying& a, const Import&) {
  auto created = a.store().staging.ApplyStagedHouseholdsWithMembers(a.session(), a.change_request_id(), a.now());
  auto& households = a.change().household_ids;
  households.insert(households.end(), created.begin(), created.end());
  a.change().bulk = true;
  return Ok();
}

}  // namespace

const KindOps& ImportHouseholdsWithMembersKind() {
  static const KindOps ops =
      MakeKind<Import>(ChangeKind::kImportHouseholdsWithMembers, "import_households_with_members",
                       &ValidateHouseholdsWithMembers, &ApplyHouseholdsWithMembers, true);
  return ops;
}

const KindOps& ImportHouseholdsKind() {
  static const KindOps ops =
      MakeKind<Import>(ChangeKind::kImportHouseholds, "import_households", &ValidateHouseholds, &ApplyHouseholds, true);
  return ops;
}

const KindOps& ImportPersonsKind() {
  static const KindOps ops =
      MakeKind<Import>(ChangeKind::kImportPersons, "import_persons", &ValidatePersons, &ApplyPersons, true);
  return ops;
}

}  // namespace sanad::registry
