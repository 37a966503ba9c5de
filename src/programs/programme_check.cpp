#include "programs/programme_check.h"

#include <algorithm>
#include <map>

#include "rules/plan.h"

namespace sanad::programs {
namespace {

// A set's failures beyond this many are not listed: the first ones say what to fix.
constexpr std::size_t kMaxSetProblems = 5;

Problem Issue(std::string_view reason, std::string field, MessageParams params = {}) {
  return Problem{std::string(reason), std::move(field), std::move(params), {}};
}

Problem FromError(const Error& e, const std::string& field) { return Problem{e.reason, field, e.params, e.message}; }

std::string ParamOf(const MessageParams& params, std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return {};
}

// Compiles `rule` with `params`; an error when it fails or gives the wrong type.
Status CompileOne(std::string_view rule, std::optional<rules::Type> type, const rules::Params& params) {
  auto plan = rules::Compile(rule, ProgrammeSchema(), params, type);
  if (!plan) return std::unexpected(plan.error());
  if (!type && plan->type != rules::Type::kInt && plan->type != rules::Type::kDecimal) {
    // A reason's value is shown in the message: a number (the index, a threshold, an amount).
    return Failure(
        Code::kInvalidArgument, "rule.result_type",
        {{"line", "1"}, {"column", "1"}, {"expected", "int_or_decimal"}, {"found", rules::TypeName(plan->type)}},
        "rule");
  }
  return Ok();
}

bool ValidCode(std::string_view code) {
  if (code.size() < 2 || code.size() > 40 || code[0] < 'A' || code[0] > 'Z') return false;
  return std::all_of(code.begin(), code.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; });
}

const char* ParamTypeName(const rules::ParamValue& v) {
  return std::holds_alternative<std::int64_t>(v) ? "int" : "decimal";
}

void CheckDefinition(const Programme& p, std::span<const std::string> other_codes, std::vector<Problem>& out) {
  if (!ValidCode(p.code)) out.push_back(Issue(MsgCode("program.bad_code"), "code", {{"value", p.code}}));
  if (p.country != "MA" && p.country != "DZ") {
    out.push_back(
        Issue("value.not_allowed", "country", {{"field", "country"}, {"value", p.country}, {"allowed", "MA, DZ"}}));
  }
  if (p.currency != "MAD" && p.currency != "DZD") {
    out.push_back(Issue("value.not_allowed", "currency",
                        {{"field", "currency"}, {"value", p.currency}, {"allowed", "MAD, DZD"}}));
  } else if ((p.country == "MA" && p.currency != "MAD") || (p.country == "DZ" && p.currency != "DZD")) {
    out.push_back(
        Issue(MsgCode("program.currency_country"), "currency", {{"currency", p.currency}, {"country", p.country}}));
  }
  for (std::size_t i = 0; i < p.incompatible.size(); ++i) {
    const std::string field = "incompatible[" + std::to_string(i) + "]";
    const auto& code = p.incompatible[i];
    if (code == p.code) {
      out.push_back(Issue(MsgCode("program.incompatible_self"), field, {{"code", code}}));
    } else if (std::find(other_codes.begin(), other_codes.end(), code) == other_codes.end()) {
      out.push_back(Issue(MsgCode("program.not_found"), field, {{"code", code}}));
    }
  }
  for (std::size_t i = 0; i < p.one_offs.size(); ++i) {
    if (p.one_offs[i].month > 12) {
      out.push_back(Issue("field.out_of_range", "one_offs[" + std::to_string(i) + "].month",
                          {{"field", "month"}, {"min", "0"}, {"max", "12"}}));
    }
  }
  if (p.parameter_sets.empty()) {
    out.push_back(Issue(MsgCode("program.no_parameter_sets"), "parameter_sets", {}));
  }
  // A parameter keeps its type from one set to the next: rules are checked against each set, but a
  // line that becomes a decimal in 2026 is a slip in the 2026 set, named where it is.
  std::map<std::string, const char*, std::less<>> first_type;
  for (std::size_t i = 0; i < p.parameter_sets.size(); ++i) {
    const auto& set = p.parameter_sets[i];
    const std::string where = "parameter_sets[" + std::to_string(i) + "]";
    for (std::size_t k = 0; k < i; ++k) {
      if (p.parameter_sets[k].from == set.from) {
        out.push_back(Issue(MsgCode("program.duplicate_set_date"), where + ".from", {{"date", set.from.ToString()}}));
        break;
      }
    }
    for (const auto& [name, value] : set.params) {
      auto [it, fresh] = first_type.emplace(name, ParamTypeName(value));
      if (!fresh && std::string_view(it->second) != ParamTypeName(value)) {
        std::string field = where;
        field.append(".params.").append(name);
        out.push_back(Issue(
            MsgCode("program.param_type_differs"), std::move(field),
            {{"name", name}, {"set", set.from.ToString()}, {"found", ParamTypeName(value)}, {"expected", it->second}}));
      }
    }
  }
}

void AppendProblems(std::vector<Problem>& out, std::vector<Problem> more) {
  out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
}

}  // namespace

std::vector<Problem> CheckRule(std::string_view rule, std::optional<rules::Type> type,
                               std::span<const ParameterSet> sets, const std::string& field) {
  if (sets.empty()) {
    auto st = CompileOne(rule, type, {});
    if (st) return {};
    return {FromError(st.error(), field)};
  }
  std::vector<std::pair<const ParameterSet*, Error>> failures;
  for (const auto& set : sets) {
    auto st = CompileOne(rule, type, set.params);
    if (!st) failures.emplace_back(&set, st.error());
  }
  if (failures.empty()) return {};
  const bool same_everywhere =
      failures.size() == sets.size() &&
      std::all_of(failures.begin(), failures.end(), [&](const auto& f) { return f.second == failures[0].second; });
  if (same_everywhere) return {FromError(failures[0].second, field)};
  std::vector<Problem> out;
  for (const auto& [set, error] : failures) {
    if (out.size() == kMaxSetProblems) break;
    const std::string date = set->from.ToString();
    if (error.reason == "rule.unknown_param") {
      out.push_back(Issue(MsgCode("program.param_missing_in_set"), field,
                          {{"line", ParamOf(error.params, "line")},
                           {"column", ParamOf(error.params, "column")},
                           {"name", ParamOf(error.params, "name")},
                           {"set", date}}));
    } else {
      Problem p = FromError(error, field);
      p.params.emplace_back("set", date);
      out.push_back(std::move(p));
    }
  }
  return out;
}

Status ValidateProgramme(const Programme& p, std::span<const std::string> other_codes) {
  std::vector<Problem> problems;
  CheckDefinition(p, other_codes, problems);
  const std::span<const ParameterSet> sets = p.parameter_sets;
  for (std::size_t i = 0; i < p.eligibility.size(); ++i) {
    const std::string where = "eligibility[" + std::to_string(i) + "]";
    AppendProblems(problems, CheckRule(p.eligibility[i].rule, rules::Type::kBool, sets, where + ".rule"));
    for (std::size_t k = 0; k < p.eligibility[i].reason_params.size(); ++k) {
      AppendProblems(problems, CheckRule(p.eligibility[i].reason_params[k].second, std::nullopt, sets,
                                         where + ".reason_params[" + std::to_string(k) + "].rule"));
    }
  }
  for (std::size_t i = 0; i < p.lines.size(); ++i) {
    AppendProblems(problems,
                   CheckRule(p.lines[i].rule, rules::Type::kInt, sets, "lines[" + std::to_string(i) + "].rule"));
  }
  for (std::size_t i = 0; i < p.one_offs.size(); ++i) {
    AppendProblems(problems,
                   CheckRule(p.one_offs[i].rule, rules::Type::kInt, sets, "one_offs[" + std::to_string(i) + "].rule"));
  }
  if (problems.empty()) return Ok();
  return Failures(Code::kFailedPrecondition, "program.invalid", std::move(problems));
}

}  // namespace sanad::programs
