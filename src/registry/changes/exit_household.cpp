// exit_household {"household_id": N, "reason": "death|emigration|other"}: the household and its active
// members leave the registry with the reason.
#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

struct ExitHousehold {
  std::int64_t household_id = 0;
  std::vector<std::int64_t> members;
  std::string reason;
};

Result<ExitHousehold> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "reason"}); !st) return std::unexpected(st.error());
  Problems problems;
  auto id = IdOf(payload, "household_id");
  auto reason = OneOf(payload, "reason", kExitReasons, {"merged", "left_household"});
  problems.Check(id);
  problems.Check(reason);
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  auto h = f.Household(*id, "household_id");
  if (!h) return std::unexpected(h.error());
  if (!Active(*h)) {
    return Failure(Code::kFailedPrecondition, "household.already_exited", {{"household", RefOf(*h)}},
                   "payload.household_id");
  }
  ExitHousehold out{*id, {}, *reason};
  for (const auto& m : h->members) {
    if (!Active(m)) continue;
    f.Target(m);
    out.members.push_back(m.id);
  }
  f.out().json = {{"household_id", *id}, {"reason", *reason}};
  f.out().area_code = h->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.exit_household");
  f.out().summary_params = {{"household", RefOf(*h)}, {"reason", *reason}};
  return out;
}

Status Apply(Applying& a, const ExitHousehold& p) {
  for (std::int64_t id : p.members)
    a.SetPerson(id, {{fields::kPersonStatus, "exited"}, {fields::kPersonExit, p.reason}});
  a.Touch(p.household_id, {{fields::kHouseholdStatus, "exited"}, {fields::kHouseholdExit, p.reason}});
  return Ok();
}

}  // namespace

const KindOps& ExitHouseholdKind() {
  static const KindOps ops = MakeKind<ExitHousehold>(ChangeKind::kExitHousehold, "exit_household", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
