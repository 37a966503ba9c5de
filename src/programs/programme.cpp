#include "programs/programme.h"

#include <span>
#include <string_view>
#include <utility>

#include "registry_model/vocabulary.h"

namespace sanad::programs {
namespace {

template <typename E>
std::vector<std::string> Values() {
  const auto& names = registry::VocabularyOf<E>::kNames;
  return {names.begin(), names.end()};
}

rules::Schema BuildSchema() {
  using rules::Type;
  rules::Schema s;
  s.household["socio_economic_index"] = {Type::kDecimal, {}};
  s.household["receives_family_allowance"] = {Type::kBool, {}};
  s.household["has_proven_income"] = {Type::kBool, {}};
  s.member["relationship"] = {Type::kString, Values<registry::Relationship>()};
  s.member["sex"] = {Type::kString, Values<registry::Sex>()};
  s.member["birth_date"] = {Type::kDate, {}};
  s.member["marital_status"] = {Type::kString, Values<registry::MaritalStatus>()};
  s.member["schooling"] = {Type::kString, Values<registry::Schooling>()};
  s.member["disability_percent"] = {Type::kInt, {}};
  s.member["able_to_work"] = {Type::kBool, {}};
  s.member["in_institution"] = {Type::kBool, {}};
  return s;
}

}  // namespace

const rules::Schema& ProgrammeSchema() {
  static const rules::Schema schema = BuildSchema();
  return schema;
}

namespace {

constexpr std::pair<Kind, const char*> kKinds[] = {
    {Kind::kCash, "cash"}, {Kind::kInKind, "in_kind"}, {Kind::kService, "service"}, {Kind::kInsurance, "insurance"}};
constexpr std::pair<Unit, const char*> kUnits[] = {{Unit::kHousehold, "household"}, {Unit::kPerson, "person"}};
constexpr std::pair<Frequency, const char*> kFrequencies[] = {
    {Frequency::kMonthly, "monthly"}, {Frequency::kOneOff, "one_off"}, {Frequency::kYearly, "yearly"}};

template <typename E, std::size_t N>
const char* NameOf(const std::pair<E, const char*> (&table)[N], E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return table[0].second;
}

template <typename E, std::size_t N>
std::optional<E> ValueOf(const std::pair<E, const char*> (&table)[N], std::string_view name) {
  for (const auto& [v, n] : table) {
    if (name == n) return v;
  }
  return std::nullopt;
}

}  // namespace

const char* KindName(Kind k) { return NameOf(kKinds, k); }
const char* UnitName(Unit u) { return NameOf(kUnits, u); }
const char* FrequencyName(Frequency f) { return NameOf(kFrequencies, f); }
std::optional<Kind> ParseKind(std::string_view name) { return ValueOf(kKinds, name); }
std::optional<Unit> ParseUnit(std::string_view name) { return ValueOf(kUnits, name); }
std::optional<Frequency> ParseFrequency(std::string_view name) { return ValueOf(kFrequencies, name); }

const ParameterSet* ParametersOn(const Programme& programme, const Date& day) {
  const ParameterSet* found = nullptr;
  for (const auto& set : programme.parameter_sets) {
    if (set.from <= day && (found == nullptr || found->from < set.from)) found = &set;
  }
  return found;
}

Result<Date> PeriodStart(std::string_view period) {
  auto day = period.size() == 7 ? ParseDate(std::string(period) + "-01", "period") : Result<Date>();
  if (period.size() != 7 || !day) {
    return Failure(Code::kInvalidArgument, "program.bad_period", {{"value", std::string(period)}}, "period");
  }
  return day;
}

}  // namespace sanad::programs
