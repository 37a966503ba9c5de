// update_household {"household_id": N, "changes": {fields}}: new values for some of a household's
// fields. Touches its commune and, when the commune changes, the new one too (both in the author's
// scope, and later the reviewer's).
#include "registry/changes/kind_support.h"
#include "registry/registry_store.h"

namespace sanad::registry {

namespace {

struct UpdateHousehold {
  std::int64_t household_id = 0;
  FieldAssignments set;
  std::vector<std::int64_t> members;  // their commune moves with the household
};

Result<UpdateHousehold> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household_id", "changes"}); !st) return std::unexpected(st.error());
  auto id = IdOf(payload, "household_id");
  if (!id) return std::unexpected(id.error());
  auto h = f.Household(*id, "household_id");
  if (!h) return std::unexpected(h.error());
  auto changes = payload.value("changes", Json());
  auto country = CountryOf(*h);
  if (changes.is_object() && changes.contains("commune_code") && changes["commune_code"].is_string()) {
    country = CountryOfArea(changes["commune_code"].get<std::string>()).value_or(country);
  }
  auto parsed = ParseObject(HouseholdFields(), changes, country, true, "payload.changes");
  if (!parsed) return std::unexpected(parsed.error());
  if (changes.empty()) return Failure(Code::kInvalidArgument, "change.nothing_to_change", {}, "payload.changes");
  if (parsed->present[fields::kCommune]) {
    const std::string& c = *parsed->values[fields::kCommune];
    auto is_commune = f.store().households.IsCommune(f.session(), c);
    if (!is_commune) return std::unexpected(is_commune.error());
    if (!*is_commune) {
      return Failure(Code::kInvalidArgument, "field.not_a_commune", {{"field", "commune_code"}, {"value", c}},
                     "payload.changes.commune_code");
    }
    if (auto st = f.TouchCommune(c, "payload.changes.commune_code"); !st) return std::unexpected(st.error());
  }
  UpdateHousehold out{*id, AssignmentsOf(*parsed), {}};
  for (const auto& m : h->members) out.members.push_back(m.id);
  f.out().json = {{"household_id", *id}, {"changes", PresentJson(HouseholdFields(), *parsed)}};
  f.out().area_code = h->values[fields::kCommune];
  // One field is named in the reader's language; several are counted.
  if (out.set.size() == 1) {
    f.out().summary_code = MsgCode("summary.update_household_field");
    f.out().summary_params = {{"household", RefOf(*h)},
                              {"field", std::string(kHouseholdFields[out.set[0].first].name)}};
  } else {
    f.out().summary_code = MsgCode("summary.update_household_fields");
    f.out().summary_params = {{"household", RefOf(*h)}, {"count", std::to_string(out.set.size())}};
  }
  return out;
}

Status Apply(Applying& a, const UpdateHousehold& p) {
  a.Touch(p.household_id, p.set);
  auto& persons = a.change().person_ids;
  persons.insert(persons.end(), p.members.begin(), p.members.end());  // the commune may have moved
  return Ok();
}

}  // namespace

const KindOps& UpdateHouseholdKind() {
  static const KindOps ops =
      MakeKind<UpdateHousehold>(ChangeKind::kUpdateHousehold, "update_household", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
