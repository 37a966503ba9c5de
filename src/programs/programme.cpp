#include "programs/programme.h"

#include <span>
#include <string_view>

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
