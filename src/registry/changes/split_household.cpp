// split_household {"household_id": N, "person_ids": [...], "new_head_person_id": P,
//                  "household": {fields of the new household}, "relationships": {"<id>": "child"}}:
// some members (not the head) leave to form a new household, one of them its head. Touches the old
// household's commune and the new one's.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct SplitHousehold {
  std::int64_t household_id = 0;
  Values household;                                         // the new household
  std::vector<std::pair<std::int64_t, std::string>> moves;  // person, relationship in the new household
};

Result<std::set<std::int64_t>> PersonIds(const Json& payload) {
  auto it = payload.find("person_ids");
  if (it == payload.end() || !it->is_array() || it->empty())
    return Failure(Code::kInvalidArgument, "split.who_leaves", {}, "payload.person_ids");
  std::set<std::int64_t> ids;
  for (const auto& v : *it) {
    if (!v.is_number_integer()) return Failure(Code::kInvalidArgument, "split.who_leaves", {}, "payload.person_ids");
    ids.insert(v.get<std::int64_t>());
  }
  return ids;
}

Result<SplitHousehold> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "person_ids", "new_head_person_id", "household", "relationships"});
      !st)
    return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "household_id");
  auto head_id = IdOf(payload, "new_head_person_id");
  auto ids = PersonIds(payload);
  problems.Check(id);
  problems.Check(head_id);
  problems.Check(ids);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  auto h = f.Household(*id, "household_id");
  if (!h) return std::unexpected(h.error());
  std::size_t active = 0, leaving = 0;
  std::map<std::int64_t, std::string> current_rel;
  for (const auto& m : h->members) {
    if (!Active(m)) continue;
    ++active;
    if (!ids->contains(m.id)) continue;
    if (m.values[fields::kRel] == "head")
      return Failure(Code::kFailedPrecondition, "split.head_stays", {}, "payload.person_ids");
    f.Target(m);
    ++leaving;
    current_rel[m.id] = m.values[fields::kRel].value_or("other");
  }
  if (leaving != ids->size())
    return Failure(Code::kFailedPrecondition, "split.not_active_members", {}, "payload.person_ids");
  if (ids->size() >= active) return Failure(Code::kFailedPrecondition, "split.someone_stays", {}, "payload.person_ids");
  // The new household's fields, its head and the relationships are one form.
  if (!ids->contains(*head_id)) {
    problems.Add(Failure(Code::kInvalidArgument, "split.head_among_leavers", {}, "payload.new_head_person_id").error());
  }
  auto nh = f.NewHousehold(payload.value("household", Json()), "payload.household");
  auto rels = f.Relationships(payload, *ids);
  problems.Check(nh);
  problems.Check(rels);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  SplitHousehold out{*id, nh->values, {}};
  out.household[fields::kHouseholdStatus] = "active";
  if (!out.household[fields::kCurrency]) out.household[fields::kCurrency] = h->values[fields::kCurrency];
  for (std::int64_t pid : *ids) {
    auto given = rels->find(pid);
    out.moves.emplace_back(pid, pid == *head_id ? "head" : given != rels->end() ? given->second : current_rel[pid]);
  }
  f.out().json = {{"household_id", *id},
                  {"person_ids", Json(std::vector<std::int64_t>(ids->begin(), ids->end()))},
                  {"new_head_person_id", *head_id},
                  {"household", PresentJson(HouseholdFields(), *nh)},
                  {"relationships", Json::object()}};
  for (const auto& [pid, rel] : *rels) f.out().json["relationships"][std::to_string(pid)] = rel;
  f.out().area_code = h->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.split_household");
  f.out().summary_params = {{"count", std::to_string(ids->size())}, {"household", RefOf(*h)}};
  return out;
}

Status Apply(Applying& a, const SplitHousehold& p) {
  const std::int64_t new_id = a.InsertHousehold(p.household);
  for (const auto& [pid, rel] : p.moves) a.SetPerson(pid, {{fields::kRel, rel}}, new_id);
  a.Touch(p.household_id);
  return Ok();
}

}  // namespace

const KindOps& SplitHouseholdKind() {
  static const KindOps ops =
      MakeKind<SplitHousehold>(ChangeKind::kSplitHousehold, "split_household", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
