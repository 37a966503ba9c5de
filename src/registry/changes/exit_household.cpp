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
  auto in = ExitRequestOf(payload, "household_id", {"merged", "left_household"});
  if (!in) return std::unexpected(in.error());
  const std::int64_t id = in->id;
  auto h = f.Household(id, "household_id");
  if (!h) return std::unexpected(h.error());
  if (!Active(*h)) {
    return Failure(Code::kFailedPrecondition, "household.already_exited", {{"household", RefOf(*h)}},
                   "payload.household_id");
  }
  ExitHousehold out{id, {}, in->reason};
  for (const auto& m : h->members) {
    if (!Active(m)) continue;
    f.Target(m);
    out.members.push_back(m.id);
  }
  f.out().json = {{"household_id", id}, {"reason", in->reason}};
  f.out().area_code = h->values[fields::kCommune];
  f.out().summary_code = MsgCode("summary.exit_household");
  f.out().summary_params = {{"household", RefOf(*h)}, {"reason", in->reason}};
  return out;
}

Status Apply(Applying& a, const ExitHousehold& p) {
  for (std::int64_t id : p.members) a.ExitPerson(id, p.reason);
  a.Touch(p.household_id, {{fields::kHouseholdStatus, "exited"}, {fields::kHouseholdExit, p.reason}});
  return Ok();
}

}  // namespace

const KindOps& ExitHouseholdKind() {
  static const KindOps ops = MakeKind<ExitHousehold>(ChangeKind::kExitHousehold, "exit_household", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
