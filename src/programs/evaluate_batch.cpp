#include "programs/evaluate_batch.h"

#include <charconv>
#include <optional>
#include <string>

namespace sanad::programs {
namespace {

using rules::Type;

bool Present(const std::vector<std::uint8_t>& present, std::size_t h) { return present.empty() || present[h] != 0; }
bool Present(const rules::RuleValues& v, std::size_t h) { return Present(v.present, h); }
bool Present(const rules::InputColumn& c, std::size_t h) { return Present(c.present, h); }

// A rule value as message text: ints in decimal, decimals in their shortest round-trip form (9.743001);
// empty when null.
std::string Text(const rules::RuleValues& v, std::size_t h) {
  if (!Present(v, h)) return {};
  if (v.type != Type::kDecimal) return std::to_string(v.ints[h]);
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v.decimals[h]);
  return ec == std::errc() ? std::string(buffer, end) : std::string();
}

// The household column `country`, or nullptr when the batch lacks it.
const rules::InputColumn* CountryColumn(const rules::Batch& batch) {
  auto it = batch.household.find("country");
  if (it == batch.household.end() || it->second.type != Type::kString ||
      it->second.strings.size() != batch.households) {
    return nullptr;
  }
  return &it->second;
}

}  // namespace

Result<CompiledProgramme> CompileProgramme(const Programme& programme, std::string_view period) {
  auto day = PeriodStart(period);
  if (!day) return std::unexpected(day.error());
  const ParameterSet* set = ParametersOn(programme, *day);
  if (set == nullptr) {
    return Failure(Code::kFailedPrecondition, "program.no_parameters",
                   {{"programme", programme.code}, {"period", std::string(period)}}, "period");
  }
  auto compile = [&](const std::string& rule, std::optional<Type> type) {
    return rules::Compile(rule, ProgrammeSchema(), set->params, type);
  };
  CompiledProgramme out;
  out.code = programme.code;
  out.country = programme.country;
  out.currency = programme.currency;
  out.day = *day;
  for (const auto& condition : programme.eligibility) {
    auto plan = compile(condition.rule, Type::kBool);
    if (!plan) return std::unexpected(plan.error());
    CompiledProgramme::Condition c{condition.reason, std::move(*plan), {}};
    for (const auto& [name, rule] : condition.reason_params) {
      auto param = compile(rule, std::nullopt);
      if (!param) return std::unexpected(param.error());
      c.params.emplace_back(name, std::move(*param));
    }
    out.conditions.push_back(std::move(c));
  }
  for (const auto& line : programme.lines) {
    auto plan = compile(line.rule, Type::kInt);
    if (!plan) return std::unexpected(plan.error());
    out.lines.push_back({line.label, std::move(*plan)});
  }
  for (const auto& one_off : programme.one_offs) {
    if (one_off.month != 0 && one_off.month != day->month) continue;
    auto plan = compile(one_off.rule, Type::kInt);
    if (!plan) return std::unexpected(plan.error());
    out.one_offs.push_back({one_off.label, std::move(*plan)});
  }
  return out;
}

Result<BatchOutcome> EvaluateBatch(const CompiledProgramme& compiled, const rules::Batch& batch) {
  const std::size_t n = batch.households;
  const rules::InputColumn* country = CountryColumn(batch);
  if (country == nullptr) {
    return Failure(Code::kInvalidArgument, "rule.batch_invalid", {{"column", "country"}}, "rule");
  }
  auto evaluate = [&](const rules::Plan& plan) { return rules::Evaluate(plan, batch, compiled.day); };
  // The country decides before any rule: a household of another country is never eligible.
  std::vector<std::uint8_t> same_country(n);
  for (std::size_t h = 0; h < n; ++h) {
    same_country[h] = Present(*country, h) && country->strings[h] == compiled.country ? 1 : 0;
  }

  // Each condition once over the batch; the households that pass them all are eligible so far.
  std::vector<rules::RuleValues> holds;
  holds.reserve(compiled.conditions.size());
  std::vector<std::uint8_t> passes = same_country;
  for (const auto& condition : compiled.conditions) {
    auto values = evaluate(condition.plan);
    if (!values) return std::unexpected(values.error());
    for (std::size_t h = 0; h < n; ++h) {
      if (!Present(*values, h) || values->ints[h] == 0) passes[h] = 0;
    }
    holds.push_back(std::move(*values));
  }
  // The amounts are evaluated over the passing households only (most of a national registry fails the
  // index condition, and the lines are the costliest rules): gathered into a batch of their own unless
  // all pass. Value k of a line is the household rows[k]'s.
  std::vector<std::uint32_t> rows;
  for (std::size_t h = 0; h < n; ++h) {
    if (passes[h] != 0) rows.push_back(static_cast<std::uint32_t>(h));
  }
  rules::Batch selected;
  if (!rows.empty() && rows.size() < n) {
    auto gathered = rules::SelectHouseholds(batch, rows);
    if (!gathered) return std::unexpected(gathered.error());
    selected = std::move(*gathered);
  }
  const rules::Batch& passing = rows.size() < n ? selected : batch;
  auto evaluate_passing = [&](const rules::Plan& plan) { return rules::Evaluate(plan, passing, compiled.day); };

  BatchOutcome out;
  out.households = n;
  out.eligible.assign(n, 0);
  out.monthly_amount.assign(n, 0);
  out.one_off_total.assign(n, 0);
  out.reason_offsets.reserve(n + 1);
  out.reason_offsets.push_back(0);

  // The lines, once each over the passing households; the first null line of a household makes it not
  // eligible (its amount cannot be computed).
  std::vector<rules::RuleValues> lines;
  std::vector<int> null_line(n, -1);
  for (std::size_t l = 0; l < compiled.lines.size(); ++l) {
    out.line_labels.push_back(compiled.lines[l].label);
    out.line_amounts.emplace_back(n, 0);
    if (rows.empty()) continue;
    auto values = evaluate_passing(compiled.lines[l].plan);
    if (!values) return std::unexpected(values.error());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      if (null_line[rows[k]] < 0 && !Present(*values, k)) null_line[rows[k]] = static_cast<int>(l);
    }
    lines.push_back(std::move(*values));
  }
  // The first line, or one-off (numbered after the lines), whose amount or running sum went past
  // kMaxAmount in a household; -1 when none. Within the bound, a sum of two never overflows.
  std::vector<int> past_bound(n, -1);
  // A household whose monthly total, or one of whose one-offs, is below zero: which (kMonthlyTotal or the
  // one-off's index) and the amount; {-1, 0} when none. A cash transfer is never negative.
  constexpr int kMonthlyTotal = -2;
  std::vector<std::pair<int, std::int64_t>> negative(n, {-1, 0});
  const auto within = [](std::int64_t v) { return v >= -kMaxAmount && v <= kMaxAmount; };
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::size_t h = rows[k];
    if (null_line[h] >= 0) continue;
    std::int64_t total = 0;
    for (std::size_t l = 0; l < lines.size(); ++l) {
      const std::int64_t v = lines[l].ints[k];
      if (!within(v) || !within(total + v)) {  // v within the bound: the sum does not overflow
        past_bound[h] = static_cast<int>(l);
        break;
      }
      total += v;
    }
    if (past_bound[h] >= 0) continue;
    if (total < 0) {  // a deduction larger than the lines before it: nothing can be paid
      negative[h] = {kMonthlyTotal, total};
      continue;
    }
    out.eligible[h] = 1;
    for (std::size_t l = 0; l < lines.size(); ++l) out.line_amounts[l][h] = lines[l].ints[k];
    out.monthly_amount[h] = total;
  }
  // The one-offs due in the period, paid only to eligible households; a null one-off is not paid.
  for (std::size_t o = 0; o < compiled.one_offs.size(); ++o) {
    out.one_off_labels.push_back(compiled.one_offs[o].label);
    auto& column = out.one_off_amounts.emplace_back(n, 0);
    if (rows.empty()) continue;
    auto values = evaluate_passing(compiled.one_offs[o].plan);
    if (!values) return std::unexpected(values.error());
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t h = rows[k];
      if (out.eligible[h] == 0 || !Present(*values, k)) continue;
      const std::int64_t v = values->ints[k];
      const bool past = !within(v) || !within(out.one_off_total[h] + v);
      if (past || v < 0) {
        // Not eligible after all: nothing of the household's is paid.
        if (past) {
          past_bound[h] = static_cast<int>(compiled.lines.size() + o);
        } else {
          negative[h] = {static_cast<int>(o), v};
        }
        out.eligible[h] = 0;
        out.monthly_amount[h] = 0;
        out.one_off_total[h] = 0;
        for (auto& amounts : out.line_amounts) amounts[h] = 0;
        for (auto& amounts : out.one_off_amounts) amounts[h] = 0;
        continue;
      }
      column[h] = v;
      out.one_off_total[h] += v;
    }
  }

  // The parameters of a condition's reason, evaluated only when some household of the programme's
  // country fails it with a value (not null).
  std::vector<std::vector<rules::RuleValues>> reason_params(compiled.conditions.size());
  for (std::size_t c = 0; c < compiled.conditions.size(); ++c) {
    bool needed = false;
    for (std::size_t h = 0; h < n && !needed; ++h) {
      needed = same_country[h] != 0 && Present(holds[c], h) && holds[c].ints[h] == 0;
    }
    if (!needed) continue;
    for (const auto& [name, plan] : compiled.conditions[c].params) {
      auto values = evaluate(plan);
      if (!values) return std::unexpected(values.error());
      reason_params[c].push_back(std::move(*values));
    }
  }

  // The reasons, household by household in row order (CSR).
  for (std::size_t h = 0; h < n; ++h) {
    if (same_country[h] == 0) {
      out.reasons.push_back({std::string(MsgCode("program.reason.other_country")),
                             {{"country", Present(*country, h) ? std::string(country->strings[h]) : std::string()},
                              {"programme_country", compiled.country}}});
    } else if (passes[h] == 0) {
      for (std::size_t c = 0; c < compiled.conditions.size(); ++c) {
        const auto& condition = compiled.conditions[c];
        if (!Present(holds[c], h)) {  // a field the condition needs is missing: say which could not be decided
          out.reasons.push_back(
              {std::string(MsgCode("program.reason.not_computable")), {{"condition", condition.reason}}});
        } else if (holds[c].ints[h] == 0) {
          Reason reason{condition.reason, {}};
          for (std::size_t p = 0; p < condition.params.size(); ++p) {
            reason.params.emplace_back(condition.params[p].first, Text(reason_params[c][p], h));
          }
          out.reasons.push_back(std::move(reason));
        }
      }
    } else if (null_line[h] >= 0) {
      out.reasons.push_back({std::string(MsgCode("program.reason.amount_not_computable")),
                             {{"line", compiled.lines[static_cast<std::size_t>(null_line[h])].label}}});
    } else if (past_bound[h] >= 0) {
      const auto past = static_cast<std::size_t>(past_bound[h]);
      const std::string& line = past < compiled.lines.size() ? compiled.lines[past].label
                                                             : compiled.one_offs[past - compiled.lines.size()].label;
      out.reasons.push_back({std::string(MsgCode("program.reason.amount_out_of_range")),
                             {{"line", line}, {"max", std::to_string(kMaxAmount)}}});
    } else if (negative[h].first == kMonthlyTotal) {
      out.reasons.push_back(
          {std::string(MsgCode("program.reason.monthly_negative")), {{"amount", std::to_string(negative[h].second)}}});
    } else if (negative[h].first >= 0) {
      out.reasons.push_back({std::string(MsgCode("program.reason.one_off_negative")),
                             {{"line", compiled.one_offs[static_cast<std::size_t>(negative[h].first)].label},
                              {"amount", std::to_string(negative[h].second)}}});
    }
    out.reason_offsets.push_back(static_cast<std::uint32_t>(out.reasons.size()));
  }
  return out;
}

Result<BatchOutcome> EvaluateBatch(const Programme& programme, const rules::Batch& batch, std::string_view period) {
  auto compiled = CompileProgramme(programme, period);
  if (!compiled) return std::unexpected(compiled.error());
  return EvaluateBatch(*compiled, batch);
}

}  // namespace sanad::programs
