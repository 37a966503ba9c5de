// add_member {"household_id": N, "person": {fields}}: a new person in an active household, not as its
// head (the household has one; change_head names another).
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct AddMember {
  std::int64_t household_id = 0;
  Values person;
};

Result<AddMember> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "person"}); !st) return std::unexpected(st.error());
  auto id = IdOf(payload, "household_id");
  if (!id) return std::unexpected(id.error());
  auto h = f.Household(*id, "household_id");
  if (!h) return std::unexpected(h.error());
  if (auto st = Joinable(*h, "payload.household_id"); !st) return std::unexpected(st.error());
  auto p = f.Member(payload.value("person", Json()), CountryOf(*h), "payload.person");
  if (!p) return std::unexpected(p.error());
  if (p->values[fields::kRel] == "head") {
    return Failure(Code::kFailedPrecondition, "household.has_head", {{"household", RefOf(*h)}},
                   "payload.person.relationship");
  }
  if (auto st = f.NationalIdInUse(p->values, std::nullopt, "payload.person"); !st) return std::unexpected(st.error());
  f.out().json = {{"household_id", *id}, {"person", PresentJson(PersonFields(), *p)}};
  f.out().area_code = h->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.add_member");
  f.out().summary_params = {{"name", NameOf(p->values)}, {"household", RefOf(*h)}};
  p->values[fields::kPersonStatus] = "active";
  return AddMember{*id, std::move(p->values)};
}

Status Apply(Applying& a, const AddMember& p) {
  a.InsertPerson(p.household_id, p.person);
  a.Touch(p.household_id);
  return Ok();
}

}  // namespace

const KindOps& AddMemberKind() {
  static const KindOps ops = MakeKind<AddMember>(ChangeKind::kAddMember, "add_member", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
