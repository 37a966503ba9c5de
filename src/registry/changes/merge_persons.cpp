// merge_persons {"person_id": N, "duplicate_person_id": D}: D is the same person as N registered twice.
// N keeps its values and takes from D what it lacks; D is marked merged into N, its benefits move to
// N, and D's household exits when D was its last active member. Touches both persons' communes: the
// summary names both.
#include "registry/changes/kind_support.h"
#include "registry/registry_store.h"

namespace sanad::registry {

namespace {

struct MergePersons {
  std::int64_t keep = 0;
  std::int64_t gone = 0;
  FieldAssignments fill;  // what the survivor takes from the duplicate
  std::int64_t gone_household = 0;
  bool gone_household_empties = false;
};

Result<MergePersons> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"person_id", "duplicate_person_id"}); !st) return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "person_id");
  auto dup = IdOf(payload, "duplicate_person_id");
  problems.Check(id);
  problems.Check(dup);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  if (*id == *dup)
    return Failure(Code::kInvalidArgument, "person.merge_with_itself", {}, "payload.duplicate_person_id");
  auto keep = f.Person(*id, "person_id");
  if (!keep) return std::unexpected(keep.error());
  auto gone = f.Person(*dup, "duplicate_person_id");
  if (!gone) return std::unexpected(gone.error());
  const auto& [survivor, survivor_home] = *keep;
  const auto& [duplicate, duplicate_home] = *gone;
  f.Target(duplicate_home);
  MergePersons out{*id, *dup, {}, duplicate_home.id, false};
  // The survivor keeps its values and takes from the duplicate what it lacks (a name in the other
  // script, a phone…): the point of linking two registrations.
  for (std::size_t i = 0; i < std::size(kPersonFields); ++i) {
    if (kPersonFields[i].access == Access::kSystem || kPersonFields[i].name == "source_ref") continue;
    if (!survivor.values[i] && duplicate.values[i]) out.fill.emplace_back(static_cast<int>(i), duplicate.values[i]);
  }
  out.gone_household_empties =
      Active(duplicate_home) && std::none_of(duplicate_home.members.begin(), duplicate_home.members.end(),
                                             [&](const PersonRecord& m) { return m.id != *dup && Active(m); });
  f.out().json = {{"person_id", *id}, {"duplicate_person_id", *dup}};
  f.out().area_code = survivor_home.values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.merge_persons");
  f.out().summary_params = {{"duplicate", RecordIdOf(duplicate)},
                            {"duplicate_name", NameOf(duplicate.values)},
                            {"person", RecordIdOf(survivor)},
                            {"name", NameOf(survivor.values)}};
  return out;
}

Status Apply(Applying& a, const MergePersons& p) {
  if (!p.fill.empty()) a.SetPerson(p.keep, p.fill);
  a.SetPerson(p.gone, {{fields::kPersonStatus, "merged"}, {fields::kPersonExit, "duplicate"}}, std::nullopt, p.keep);
  a.store().benefits.ReassignBenefits(a.session(), p.gone, p.keep);
  if (p.gone_household_empties) {
    a.Touch(p.gone_household, {{fields::kHouseholdStatus, "exited"}, {fields::kHouseholdExit, "duplicate"}});
  } else {
    a.Touch(p.gone_household);
  }
  return Ok();
}

}  // namespace

const KindOps& MergePersonsKind() {
  static const KindOps ops = MakeKind<MergePersons>(ChangeKind::kMergePersons, "merge_persons", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
