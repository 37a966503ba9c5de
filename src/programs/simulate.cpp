#include "programs/simulate.h"

#include <optional>
#include <string>

#include "rules/batch.h"

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
  Append(c, v, [](InputColumn& col, const auto& x) { rules::AddString(col, x ? std::string_view(*x) : ""); });
}

InputColumn& Column(std::map<std::string, InputColumn, std::less<>>& columns, const std::string& name, Type type) {
  InputColumn& c = columns[name];
  c.type = type;
  return c;
}

}  // namespace

rules::Batch BatchOf(std::span<const HouseholdInput> households) {
  rules::Batch b;
  b.households = households.size();
  b.member_offsets = {0};
  auto& country = Column(b.household, "country", Type::kString);
  auto& index = Column(b.household, "socio_economic_index", Type::kDecimal);
  auto& allowance = Column(b.household, "receives_family_allowance", Type::kBool);
  auto& income = Column(b.household, "has_proven_income", Type::kBool);
  auto& relationship = Column(b.member, "relationship", Type::kString);
  auto& sex = Column(b.member, "sex", Type::kString);
  auto& birth = Column(b.member, "birth_date", Type::kDate);
  auto& marital = Column(b.member, "marital_status", Type::kString);
  auto& schooling = Column(b.member, "schooling", Type::kString);
  auto& disability = Column(b.member, "disability_percent", Type::kInt);
  auto& able = Column(b.member, "able_to_work", Type::kBool);
  auto& institution = Column(b.member, "in_institution", Type::kBool);
  for (const auto& h : households) {
    b.member_offsets.push_back(b.member_offsets.back() + static_cast<std::uint32_t>(h.members.size()));
    AppendString(country, std::optional<std::string>(h.country));
    Append(index, h.socio_economic_index,
           [](InputColumn& col, const auto& x) { col.decimals.push_back(x ? *x : 0.0); });
    AppendBool(allowance, h.receives_family_allowance);
    AppendBool(income, h.has_proven_income);
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
  }
  return b;
}

Simulation SimulationOf(const BatchOutcome& outcome, std::size_t h, const std::string& currency) {
  Simulation out;
  out.currency = currency;
  out.eligible = outcome.eligible[h] != 0;
  out.monthly_amount = outcome.monthly_amount[h];
  for (std::uint32_t r = outcome.reason_offsets[h]; r < outcome.reason_offsets[h + 1]; ++r) {
    out.reasons.push_back(outcome.reasons[r]);
  }
  for (std::size_t l = 0; l < outcome.line_labels.size(); ++l) {
    if (outcome.line_amounts[l][h] != 0) out.lines.push_back({outcome.line_labels[l], outcome.line_amounts[l][h]});
  }
  for (std::size_t o = 0; o < outcome.one_off_labels.size(); ++o) {
    if (outcome.one_off_amounts[o][h] != 0) {
      out.one_offs.push_back({outcome.one_off_labels[o], outcome.one_off_amounts[o][h]});
    }
  }
  return out;
}

Result<Simulation> Simulate(const Programme& programme, const HouseholdInput& household, std::string_view period) {
  auto outcome = EvaluateBatch(programme, BatchOf(std::span(&household, 1)), period);
  if (!outcome) return std::unexpected(outcome.error());
  return SimulationOf(*outcome, 0, programme.currency);
}

}  // namespace sanad::programs
