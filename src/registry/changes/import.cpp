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

// National IDs the file's persons share with active persons of the registry or with each other: the
// reviewer sees them and approval needs the same explicit decision as for one person filed through the
// API (same person → reject and merge; not the same → approve with a documented override).
void WarnAboutNationalIds(Filing& f, std::int64_t cr) {
  auto& staging = f.store().staging;
  using Clash = StagingStore::NationalIdClash;
  auto warn = [&](const Clash& c, std::string_view reason) {
    if (c.rows == 0) return;
    ChangeWarning w;
    w.reason = std::string(reason);
    w.field = "national_id";
    w.params = {{"national_id", c.national_id}, {"rows", std::to_string(c.rows)}, {"row", std::to_string(c.first_row)}};
    f.out().warnings.push_back(std::move(w));
  };
  warn(staging.StagedNationalIdsInUse(f.session(), cr), MsgCode("import.national_ids_in_use"));
  warn(staging.StagedNationalIdsRepeated(f.session(), cr), MsgCode("import.national_ids_repeated"));
}

// The persons of the file: none registered since the filing (a source_ref now in the registry).
Status CheckPersonsNotRegistered(Filing& f, std::int64_t cr) {
  if (auto ref = f.store().staging.StagedPersonAlreadyRegistered(f.session(), cr)) {
    return Failure(Code::kFailedPrecondition, "import.already_registered", {{"column", "record_id"}, {"value", *ref}});
  }
  return Ok();
}

Result<Import> ValidatePersons(Filing& f, const Json&) {
  if (!f.change_request_id()) return Import{};
  const std::int64_t cr = *f.change_request_id();
  if (auto st = CheckPersonsNotRegistered(f, cr); !st) return std::unexpected(st.error());
  auto exited = f.store().staging.StagedPersonHouseholdsNotActive(f.session(), cr);
  if (!exited.empty()) {
    return Failure(Code::kFailedPrecondition, "household.exited", {{"household", exited.front()}});
  }
  WarnAboutNationalIds(f, cr);
  return Import{};
}

// The households it creates have no members yet: they await them (not active, no head to check) until
// a persons import gives them their members.
Status ApplyHouseholds(Applying& a, const Import&) {
  a.change().bulk_households =
      a.store().staging.ApplyStagedHouseholds(a.session(), a.change_request_id(), a.now(), "awaiting_members");
  a.change().bulk = true;
  return Ok();
}

Status ApplyPersons(Applying& a, const Import&) {
  auto& households = a.change().household_ids;
  const auto named = a.store().staging.StagedPersonHouseholds(a.session(), a.change_request_id());
  households.insert(households.end(), named.begin(), named.end());
  a.change().bulk_persons = a.store().staging.ApplyStagedPersons(a.session(), a.change_request_id(), a.now());
  // Households awaiting these members become active; the registry rules then require one head each.
  a.store().staging.ActivateAwaitingHouseholds(a.session(), a.change_request_id(), named, a.now());
  a.change().bulk = true;
  return Ok();
}

// Households with their members: neither the households nor the persons may have been registered
// since the filing.
Result<Import> ValidateHouseholdsWithMembers(Filing& f, const Json& json) {
  if (auto h = ValidateHouseholds(f, json); !h) return h;
  if (!f.change_request_id()) return Import{};
  if (auto st = CheckPersonsNotRegistered(f, *f.change_request_id()); !st) return std::unexpected(st.error());
  WarnAboutNationalIds(f, *f.change_request_id());
  return Import{};
}

// The households and their members in the approval's transaction; the registry rules then run on every
// new household, so none becomes active without exactly one head.
Status ApplyHouseholdsWithMembers(Applying& a, const Import&) {
  auto created = a.store().staging.ApplyStagedHouseholdsWithMembers(a.session(), a.change_request_id(), a.now());
  auto& households = a.change().household_ids;
  households.insert(households.end(), created.households.begin(), created.households.end());
  a.change().bulk_persons = created.persons;
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
