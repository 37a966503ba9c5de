// move_member {"person_id": N, "to_household_id": M, "relationship": "child"}: a member (not the head)
// moves to another active household, with their relationship to its head. Touches both households'
// communes: a reviewer must cover both.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct MoveMember {
  std::int64_t person_id = 0;
  std::int64_t from_household = 0;
  std::int64_t to_household = 0;
  std::string relationship;
};

Result<MoveMember> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"person_id", "to_household_id", "relationship"}); !st)
    return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "person_id");
  auto to = IdOf(payload, "to_household_id");
  auto rel = OneOf(payload, "relationship", Allowed<Relationship>(), {"head"});
  problems.Check(id);
  problems.Check(to);
  problems.Check(rel);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  auto ph = f.Person(*id, "person_id");
  if (!ph) return std::unexpected(ph.error());
  const auto& [person, household] = *ph;
  if (person.values[fields::kRel] == "head") {
    return Failure(Code::kFailedPrecondition, "person.head_cannot_move", {}, "payload.person_id");
  }
  if (household.id == *to) {
    return Failure(Code::kInvalidArgument, "person.already_in_household", {}, "payload.to_household_id");
  }
  f.Target(household);
  auto dest = f.Household(*to, "to_household_id");
  if (!dest) return std::unexpected(dest.error());
  if (auto st = Joinable(*dest, "payload.to_household_id"); !st) return std::unexpected(st.error());
  f.out().json = {{"person_id", *id}, {"to_household_id", *to}, {"relationship", *rel}};
  f.out().area_code = household.values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.move_member");
  f.out().summary_params = {{"name", NameOf(person.values)}, {"from", RefOf(household)}, {"to", RefOf(*dest)}};
  return MoveMember{*id, household.id, *to, *rel};
}

Status Apply(Applying& a, const MoveMember& p) {
  a.SetPerson(p.person_id, {{fields::kRel, p.relationship}}, p.to_household);
  a.Touch(p.from_household);
  a.Touch(p.to_household);
  return Ok();
}

}  // namespace

const KindOps& MoveMemberKind() {
  static const KindOps ops = MakeKind<MoveMember>(ChangeKind::kMoveMember, "move_member", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
