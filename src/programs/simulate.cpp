#include "programs/simulate.h"

#include <charconv>
#include <optional>
#include <string>

#include "rules/batch.h"
#include "rules/plan.h"

namespace sanad::programs {
namespace {

using rules::InputColumn;
using rules::Type;

// A column of one type, with a present flag per value (nulls are the rule language's missing values).
template <typename T, typename Push>
void Append(InputColumn& column, const std::optional<T>& value, Push push) {
  column.present.push_back(value ? 1 : 0);
  push(column, value);
}

void AppendBool(InputColumn& c, const std::optional<bool>& v) {
  Append(c, v, [](InputColumn& col, const auto& x) { col.ints.push_back(x && *x ? 1 : 0); });
}
void AppendInt(InputColumn& c, const std::optional<std::int64_t>& v) {
  Append(c, v, [](InputColumn& col, const auto& x) { col.ints.push_back(x ? *x : 0); });
}
void AppendDate(InputColumn& c, const std::optional<Date>& v) {
  Append(c, v, [](InputColumn& col, const auto& x) { col.ints.push_back(x ? rules::DayNumber(*x) : 0); });
}
void AppendString(InputColumn& c, const std::optional<std::string>& v) {
  Append(c, v, [](InputColumn& col, const auto& x) { col.strings.push_back(x ? *x : std::string()); });
}

InputColumn& Column(std::map<std::string, InputColumn, std::less<>>& columns, const std::string& name, Type type) {
  InputColumn& c = columns[name];
  c.type = type;
  return c;
}

// The batch of one household, with every field of ProgrammeSchema().
rules::Batch BatchOf(const HouseholdInput& h) {
  rules::Batch b;
  b.households = 1;
  b.member_offsets = {0, static_cast<std::uint32_t>(h.members.size())};
  Append(Column(b.household, "socio_economic_index", Type::kDecimal), h.socio_economic_index,
         [](InputColumn& col, const auto& x) { col.decimals.push_back(x ? *x : 0.0); });
  AppendBool(Column(b.household, "receives_family_allowance", Type::kBool), h.receives_family_allowance);
  AppendBool(Column(b.household, "has_proven_income", Type::kBool), h.has_proven_income);
  auto& relationship = Column(b.member, "relationship", Type::kString);
  auto& sex = Column(b.member, "sex", Type::kString);
  auto& birth = Column(b.member, "birth_date", Type::kDate);
  auto& marital = Column(b.member, "marital_status", Type::kString);
  auto& schooling = Column(b.member, "schooling", Type::kString);
  auto& disability = Column(b.member, "disability_percent", Type::kInt);
  auto& able = Column(b.member, "able_to_work", Type::kBool);
  auto& institution = Column(b.member, "in_institution", Type::kBool);
  for (const auto& m : h.members) {
    AppendString(relationship, std::optional<std::string>(m.relationship));
    AppendString(sex, std::optional<std::string>(m.sex));
    AppendDate(birth, m.birth_date);
    AppendString(marital, m.marital_status);
    AppendString(schooling, m.schooling);
    AppendInt(disability, m.disability_percent);
    AppendBool(able, m.able_to_work);
    AppendBool(institution, m.in_institution);
  }
  return b;
}

// The value of a rule for the batch's single household (nullopt when null).
Result<std::optional<rules::RuleValues>> Run(std::string_view rule, const rules::Params& params,
                                             std::optional<Type> type, const rules::Batch& batch, const Date& day) {
  auto plan = rules::Compile(rule, ProgrammeSchema(), params, type);
  if (!plan) return std::unexpected(plan.error());
  auto values = rules::Evaluate(*plan, batch, day);
  if (!values) return std::unexpected(values.error());
  if (values->present.empty() || values->present[0] == 0) return std::nullopt;
  return std::optional<rules::RuleValues>(std::move(*values));
}

// A rule value as message text: ints in decimal, decimals in their shortest round-trip form (9.743001).
std::string Text(const rules::RuleValues& v) {
  if (v.type != Type::kDecimal) return std::to_string(v.ints[0]);
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.decimals[0]);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

// "YYYY-MM" → its first day.
Result<Date> PeriodStart(std::string_view period) {
  auto day = period.size() == 7 ? ParseDate(std::string(period) + "-01", "period") : Result<Date>();
  if (period.size() != 7 || !day) {
    return Failure(Code::kInvalidArgument, "program.bad_period", {{"value", std::string(period)}}, "period");
  }
  return day;
}

}  // namespace

Result<Simulation> Simulate(const Programme& programme, const HouseholdInput& household, std::string_view period) {
  auto day = PeriodStart(period);
  if (!day) return std::unexpected(day.error());
  const ParameterSet* set = ParametersOn(programme, *day);
  if (set == nullptr) {
    return Failure(Code::kFailedPrecondition, "program.no_parameters",
                   {{"programme", programme.code}, {"period", std::string(period)}}, "period");
  }
  Simulation out;
  out.currency = programme.currency;
  if (household.country != programme.country) {
    out.reasons.push_back({std::string(MsgCode("program.reason.other_country")),
                           {{"country", household.country}, {"programme_country", programme.country}}});
    return out;
  }
  const rules::Batch batch = BatchOf(household);
  for (const auto& condition : programme.eligibility) {
    auto holds = Run(condition.rule, set->params, Type::kBool, batch, *day);
    if (!holds) return std::unexpected(holds.error());
    if (*holds && (*holds)->ints[0] != 0) continue;
    if (!*holds) {  // a field the condition needs is missing: say which condition could not be decided
      out.reasons.push_back({std::string(MsgCode("program.reason.not_computable")), {{"condition", condition.reason}}});
      continue;
    }
    Reason reason{condition.reason, {}};
    for (const auto& [name, rule] : condition.reason_params) {
      auto value = Run(rule, set->params, std::nullopt, batch, *day);
      if (!value) return std::unexpected(value.error());
      reason.params.emplace_back(name, *value ? Text(**value) : std::string());
    }
    out.reasons.push_back(std::move(reason));
  }
  if (!out.reasons.empty()) return out;
  out.eligible = true;
  for (const auto& line : programme.lines) {
    auto amount = Run(line.rule, set->params, Type::kInt, batch, *day);
    if (!amount) return std::unexpected(amount.error());
    if (!*amount) {
      out.eligible = false;
      out.lines.clear();
      out.monthly_amount = 0;
      out.reasons.push_back({std::string(MsgCode("program.reason.amount_not_computable")), {{"line", line.label}}});
      return out;
    }
    const std::int64_t value = (*amount)->ints[0];
    if (value == 0) continue;
    out.lines.push_back({line.label, value});
    out.monthly_amount += value;
  }
  for (const auto& one_off : programme.one_offs) {
    if (one_off.month != 0 && one_off.month != day->month) continue;
    auto amount = Run(one_off.rule, set->params, Type::kInt, batch, *day);
    if (!amount) return std::unexpected(amount.error());
    // A null one-off (a missing value) is not paid; the monthly entitlement stands.
    if (*amount && (*amount)->ints[0] != 0) out.one_offs.push_back({one_off.label, (*amount)->ints[0]});
  }
  return out;
}

}  // namespace sanad::programs
