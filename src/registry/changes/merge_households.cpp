// merge_households {"household_id": N, "merged_household_id": M, "relationships": {"<id>": "other"}}:
// M's active members join N (with the given relationships, "other" by default) and M exits as merged.
// Touches both households' communes.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct MergeHouseholds {
  std::int64_t keep = 0;
  std::int64_t gone = 0;
  std::vector<std::pair<std::int64_t, std::string>> moves;  // person, relationship in the kept household
};

Result<MergeHouseholds> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "merged_household_id", "relationships"}); !st)
    return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "household_id");
  auto other = IdOf(payload, "merged_household_id");
  problems.Check(id);
  problems.Check(other);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  if (*id == *other)
    return Failure(Code::kInvalidArgument, "household.merge_with_itself", {}, "payload.merged_household_id");
  auto keep = f.Household(*id, "household_id");
  if (!keep) return std::unexpected(keep.error());
  auto gone = f.Household(*other, "merged_household_id");
  if (!gone) return std::unexpected(gone.error());
  if (!Active(*keep) || !Active(*gone))
    return Failure(Code::kFailedPrecondition, "household.both_active", {}, "payload.household_id");
  std::set<std::int64_t> moved;
  for (const auto& m : gone->members) {
    if (!Active(m)) continue;
    moved.insert(m.id);
    f.Target(m);
  }
  auto rels = f.Relationships(payload, moved);
  if (!rels) return std::unexpected(rels.error());
  MergeHouseholds out{*id, *other, {}};
  for (std::int64_t pid : moved) {
    auto given = rels->find(pid);
    out.moves.emplace_back(pid, given == rels->end() ? "other" : given->second);
  }
  f.out().json = {{"household_id", *id}, {"merged_household_id", *other}, {"relationships", Json::object()}};
  for (const auto& [pid, rel] : *rels) f.out().json["relationships"][std::to_string(pid)] = rel;
  f.out().area_code = keep->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.merge_households");
  f.out().summary_params = {
      {"merged", RefOf(*gone)}, {"household", RefOf(*keep)}, {"count", std::to_string(moved.size())}};
  return out;
}

Status Apply(Applying& a, const MergeHouseholds& p) {
  for (const auto& [pid, rel] : p.moves) a.SetPerson(pid, {{fields::kRel, rel}}, p.keep);
  a.Touch(p.gone, {{fields::kHouseholdStatus, "exited"}, {fields::kHouseholdExit, "merged"}});
  a.Touch(p.keep);
  return Ok();
}

}  // namespace

const KindOps& MergeHouseholdsKind() {
  static const KindOps ops =
      MakeKind<MergeHouseholds>(ChangeKind::kMergeHouseholds, "merge_households", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
