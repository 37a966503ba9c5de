// remove_member {"person_id": N, "reason": "death|emigration|left_household|other"}: a member other than
// the head leaves the registry (status exited with the reason); the household gets a new version.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct RemoveMember {
  std::int64_t person_id = 0;
  std::int64_t household_id = 0;
  std::string reason;
};

Result<RemoveMember> Validate(Filing& f, const Json& payload) {
  auto in = ExitRequestOf(payload, "person_id", {"merged", "duplicate"});
  if (!in) return std::unexpected(in.error());
  auto ph = f.Person(in->id, "person_id");
  if (!ph) return std::unexpected(ph.error());
  const auto& [person, household] = *ph;
  f.Target(household);
  if (person.values[fields::kRel] == "head") {
    return Failure(Code::kFailedPrecondition, "person.head_cannot_leave", {}, "payload.person_id");
  }
  f.out().json = {{"person_id", in->id}, {"reason", in->reason}};
  f.out().area_code = household.values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.remove_member");
  f.out().summary_params = {{"name", NameOf(person.values)}, {"household", RefOf(household)}, {"reason", in->reason}};
  return RemoveMember{in->id, household.id, in->reason};
}

Status Apply(Applying& a, const RemoveMember& p) {
  a.ExitPerson(p.person_id, p.reason);
  a.Touch(p.household_id);
  return Ok();
}

}  // namespace

const KindOps& RemoveMemberKind() {
  static const KindOps ops = MakeKind<RemoveMember>(ChangeKind::kRemoveMember, "remove_member", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
