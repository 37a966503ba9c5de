// create_household {"household": {fields}, "members": [{person fields}, …]}: a new household with its
// members (1 to 60), exactly one of them its head. Touches the new household's commune.
#include <fmt/format.h>

#include <map>

#include "registry/changes/kind_support.h"

namespace sanad::registry {

namespace {

constexpr std::size_t kMaxMembers = 60;

struct CreateHousehold {
  Values household;
  std::vector<Values> members;
};

Result<CreateHousehold> Validate(Filing& f, const Json& payload) {
  if (auto st = OnlyKeys(payload, {"household", "members"}); !st) return std::unexpected(st.error());
  // The household's fields and every member's are one form: all their problems at once.
  Problems problems;
  auto h = f.NewHousehold(payload.value("household", Json()), "payload.household");
  problems.Check(h);
  const auto country = h ? *CountryOfArea(*h->values[fields::kCommune]) : CountryCode::kMorocco;
  auto members = payload.find("members");
  if (members == payload.end() || !members->is_array() || members->empty() || members->size() > kMaxMembers) {
    problems.Add(Failure(Code::kInvalidArgument, "household.members_count",
                         {{"min", "1"}, {"max", std::to_string(kMaxMembers)}}, "payload.members")
                     .error());
    return std::unexpected(problems.Done().error());
  }
  CreateHousehold out;
  Json normalized = Json::array();
  int heads = 0;
  std::string head_name;
  std::map<std::string, std::size_t> national_ids;  // → the first member holding it
  for (std::size_t i = 0; i < members->size(); ++i) {
    const std::string where = fmt::format("payload.members[{}]", i);
    auto p = f.Member((*members)[i], country, where);
    if (!problems.Check(p)) continue;
    // Two members of one new household with one national ID: one person entered twice, or a typing error.
    if (const auto& nid = p->values[fields::kNationalId]) {
      auto [first, added] = national_ids.emplace(*nid, i);
      if (!added) {
        problems.Add(Failure(Code::kInvalidArgument, "household.national_id_repeated",
                             {{"national_id", *nid}, {"member", std::to_string(first->second + 1)}},
                             where + ".national_id")
                         .error());
        continue;
      }
    }
    if (auto st = f.NationalIdInUse(p->values, std::nullopt, where); !st) return std::unexpected(st.error());
    if (p->values[fields::kRel] == "head") {
      ++heads;
      head_name = NameOf(p->values);
    }
    normalized.push_back(PresentJson(PersonFields(), *p));
    p->values[fields::kPersonStatus] = "active";
    out.members.push_back(std::move(p->values));
  }
  if (problems.empty() && heads != 1) {
    problems.Add(
        Failure(Code::kInvalidArgument, "household.one_head", {{"heads", std::to_string(heads)}}, "payload.members")
            .error());
  }
  if (auto st = problems.Done(); !st) return std::unexpected(st.error());
  const std::string commune = *h->values[fields::kCommune];
  f.out().json = {{"household", PresentJson(HouseholdFields(), *h)}, {"members", normalized}};
  f.out().area_code = commune;
  f.out().summary_code = MsgCode("summary.create_household");
  f.out().summary_params = {{"commune", commune}, {"members", std::to_string(members->size())}, {"head", head_name}};
  out.household = std::move(h->values);
  out.household[fields::kHouseholdStatus] = "active";
  if (!out.household[fields::kCurrency])
    out.household[fields::kCurrency] = country == CountryCode::kMorocco ? "MAD" : "DZD";
  return out;
}

Status Apply(Applying& a, const CreateHousehold& p) {
  const std::int64_t id = a.InsertHousehold(p.household);
  for (const auto& m : p.members) a.InsertPerson(id, m);
  return Ok();
}

}  // namespace

const KindOps& CreateHouseholdKind() {
  static const KindOps ops =
      MakeKind<CreateHousehold>(ChangeKind::kCreateHousehold, "create_household", &Validate, &Apply);
  return ops;
}

}  // namespace sanad::registry
