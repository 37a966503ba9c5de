// change_head {"household_id": N, "new_head_person_id": P, "previous_head_relationship": "spouse"}:
// an active member becomes the head; the previous head takes the given relationship.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct ChangeHead {
  std::int64_t household_id = 0;
  std::int64_t new_head = 0;
  std::vector<std::int64_t> previous_heads;
  std::string previous_head_relationship;
};

Result<ChangeHead> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "new_head_person_id", "previous_head_relationship"}); !st)
    return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "household_id");
  auto head_id = IdOf(payload, "new_head_person_id");
  auto rel = OneOf(payload, "previous_head_relationship", Allowed<Relationship>(), {"head"});
  problems.Check(id);
  problems.Check(head_id);
  problems.Check(rel);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  auto h = f.Household(*id, "household_id");
  if (!h) return std::unexpected(h.error());
  ChangeHead out{*id, *head_id, {}, *rel};
  const PersonRecord* new_head = nullptr;
  for (const auto& m : h->members) {
    if (!Active(m)) continue;
    f.Target(m);
    if (m.id == *head_id) new_head = &m;
    if (m.values[fields::kRel] == "head" && m.id != *head_id) out.previous_heads.push_back(m.id);
  }
  if (!new_head) {
    return Failure(Code::kFailedPrecondition, "person.not_active_member", {}, "payload.new_head_person_id");
  }
  if (new_head->values[fields::kRel] == "head") {
    return Failure(Code::kInvalidArgument, "person.already_head", {}, "payload.new_head_person_id");
  }
  f.out().json = {{"household_id", *id}, {"new_head_person_id", *head_id}, {"previous_head_relationship", *rel}};
  f.out().area_code = h->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.change_head");
  f.out().summary_params = {{"name", NameOf(new_head->values)}, {"household", RefOf(*h)}};
  return out;
}

Status Apply(Applying& a, const ChangeHead& p) {
  for (std::int64_t id : p.previous_heads) a.SetPerson(id, {{fields::kRel, p.previous_head_relationship}});
  a.SetPerson(p.new_head, {{fields::kRel, "head"}});
  a.Touch(p.household_id);
  return Ok();
}

}  // namespace

const KindOps& ChangeHeadKind() {
  static const KindOps ops = MakeKind<ChangeHead>(ChangeKind::kChangeHead, "change_head", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
