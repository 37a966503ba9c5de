// update_person {"person_id": N, "changes": {fields}}: new values for some of a person's fields. The
// relationship to the head changes here except to or from head, which is a change_head request.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct UpdatePerson {
  std::int64_t person_id = 0;
  FieldAssignments set;
};

Result<UpdatePerson> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"person_id", "changes"}); !st) return std::unexpected(st.error());
  auto id = IdOf(payload, "person_id");
  if (!id) return std::unexpected(id.error());
  auto ph = f.Person(*id, "person_id");
  if (!ph) return std::unexpected(ph.error());
  const auto& [person, household] = *ph;
  auto changes = payload.value("changes", Json());
  auto parsed = ParseObject(PersonFields(), changes, CountryOf(household), true, "payload.changes");
  if (!parsed) return std::unexpected(parsed.error());
  if (changes.empty()) return Failure(Code::kInvalidArgument, "change.nothing_to_change", {}, "payload.changes");
  if (parsed->present[fields::kRel] &&
      (parsed->values[fields::kRel] == "head" || person.values[fields::kRel] == "head")) {
    return Failure(Code::kFailedPrecondition, "person.head_changes_apart", {}, "payload.changes.relationship");
  }
  // The person as the update leaves them must still hold together (a name in one script…).
  Values merged = person.values;
  for (std::size_t i = 0; i < merged.size(); ++i) {
    if (parsed->present[i]) merged[i] = parsed->values[i];
  }
  if (auto st = CheckPerson(merged, "payload.changes"); !st) return std::unexpected(st.error());
  if (parsed->present[fields::kNationalId]) {
    if (auto st = f.NationalIdInUse(parsed->values, *id, "payload.changes"); !st) return std::unexpected(st.error());
  }
  f.out().json = {{"person_id", *id}, {"changes", PresentJson(PersonFields(), *parsed)}};
  f.out().area_code = household.values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.update_person");
  f.out().summary_params = {{"person", RecordIdOf(person)}, {"name", NameOf(person.values)}};
  return UpdatePerson{*id, AssignmentsOf(*parsed)};
}

Status Apply(Applying& a, const UpdatePerson& p) {
  a.SetPerson(p.person_id, p.set);
  return Ok();
}

}  // namespace

const KindOps& UpdatePersonKind() {
  static const KindOps ops = MakeKind<UpdatePerson>(ChangeKind::kUpdatePerson, "update_person", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
