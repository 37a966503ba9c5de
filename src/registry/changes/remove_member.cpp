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
  if (auto st = OnlyKeys(payload, {"person_id", "reason"}); !st) return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "person_id");
  auto reason = OneOf(payload, "reason", kExitReasons, {"merged", "duplicate"});
  problems.Check(id);
  problems.Check(reason);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  auto ph = f.Person(*id, "person_id");
  if (!ph) return std::unexpected(ph.error());
  const auto& [person, household] = *ph;
  f.Target(household);
  if (person.values[fields::kRel] == "head") {
    return Failure(Code::kFailedPrecondition, "person.head_cannot_leave", {}, "payload.person_id");
  }
  f.out().json = {{"person_id", *id}, {"reason", *reason}};
  f.out().area_code = household.values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.remove_member");
  f.out().summary_params = {{"name", NameOf(person.values)}, {"household", RefOf(household)}, {"reason", *reason}};
  return RemoveMember{*id, household.id, *reason};
}

Status Apply(Applying& a, const RemoveMember& p) {
  a.SetPerson(p.person_id, {{fields::kPersonStatus, "exited"}, {fields::kPersonExit, p.reason}});
  a.Touch(p.household_id);
  return Ok();
}

}  // namespace

const KindOps& RemoveMemberKind() {
  static const KindOps ops = MakeKind<RemoveMember>(ChangeKind::kRemoveMember, "remove_member", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
