#include "targeting/simulation_run.h"

#include <algorithm>
#include <array>
#include <variant>

#include "core/csv.h"
#include "programs/evaluate_batch.h"
#include "targeting/simulation.h"

namespace sanad::targeting {
namespace {

using nlohmann::json;

PaymentFrequency FrequencyOf(programs::Frequency f) {
  switch (f) {
    case programs::Frequency::kMonthly:
      return PaymentFrequency::kMonthly;
    case programs::Frequency::kYearly:
      return PaymentFrequency::kYearly;
    case programs::Frequency::kOneOff:
      return PaymentFrequency::kOneOff;
  }
  return PaymentFrequency::kMonthly;
}

json ParamsJson(const rules::Params& params) {
  json out = json::object();
  for (const auto& [name, value] : params) {
    std::visit([&out, &name](const auto& v) { out[name] = v; }, value);
  }
  return out;
}

json Optional(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json CountsJson(const SimulationRow& row) {
  const auto& c = row.counts;
  json out{{"households", c.households},
           {"persons", c.persons},
           {"measured_households", c.measured_households},
           {"poor_households", c.poor_households},
           {"poor_persons", c.poor_persons}};
  const std::array<const char*, 2> names{"baseline", "candidate"};
  for (std::size_t k = 0; k < row.scenarios.size() && k < names.size(); ++k) {
    const auto& m = row.scenarios[k];
    out[names[k]] = json{
        {"covered_households", m.covered_households},
        {"covered_persons", m.covered_persons},
        {"coverage_rate", m.coverage_rate},
        {"monthly_cost_minor", m.monthly_cost_minor ? json(*m.monthly_cost_minor) : json(nullptr)},
        {"one_off_cost_minor", m.one_off_cost_minor},
        {"yearly_cost_minor", m.yearly_cost_minor},
        {"inclusion_error", Optional(m.inclusion_error)},
        {"exclusion_error", Optional(m.exclusion_error)},
    };
  }
  return out;
}

// A CSV cell of a JSON number or null (empty).
std::string Cell(const json& v) {
  if (v.is_null()) return {};
  if (v.is_string()) return csv::Escape(v.get<std::string>());
  return v.dump();
}

}  // namespace

double DefaultPovertyLine(std::string_view country) {
  // Morocco: the ASD threshold (docs/domain.md §1.2); the generator's welfare means are 10.05 urban and
  // 9.50 rural. Algeria's means are 12.50 and 12.05: the same distance below them is 12.243.
  return country == "DZ" ? 12.243 : 9.743001;
}

Status CheckRequest(const programs::Programme& programme, const SimulationRequest& request) {
  std::vector<Problem> problems;
  problems.reserve(request.not_numbers.size() + request.overrides.size() + 1);
  for (const auto& name : request.not_numbers) {
    problems.push_back(Problem{"field.not_number", "overrides." + name, {{"field", "overrides." + name}}, {}});
  }
  auto as_problem = [](const Error& e) { return Problem{e.reason, e.field, e.params, {}}; };
  auto day = programs::PeriodStart(request.period);
  if (!day) {
    // Without a period no parameter set is in force: the names are checked against every set, so that
    // one answer still lists every problem.
    for (const auto& [name, value] : request.overrides) {
      const bool known = std::any_of(programme.parameter_sets.begin(), programme.parameter_sets.end(),
                                     [&](const programs::ParameterSet& set) { return set.params.contains(name); });
      if (!known) {
        problems.push_back(Problem{
            "program.override_unknown", "overrides." + name, {{"name", name}, {"programme", programme.code}}, {}});
      }
    }
    if (problems.empty()) return std::unexpected(day.error());
    problems.insert(problems.begin(), as_problem(day.error()));
  } else if (auto candidate = programs::WithOverrides(programme, *day, request.overrides); !candidate) {
    if (candidate.error().problems.empty() && problems.empty()) return std::unexpected(candidate.error());
    if (candidate.error().problems.empty()) problems.push_back(as_problem(candidate.error()));
    problems.insert(problems.end(), candidate.error().problems.begin(), candidate.error().problems.end());
  }
  if (problems.empty()) return Ok();
  // The period first, then the parameters by name.
  std::stable_sort(problems.begin(), problems.end(), [](const Problem& a, const Problem& b) {
    return std::pair(a.field != "period", a.field) < std::pair(b.field != "period", b.field);
  });
  return Failures(Code::kFailedPrecondition, "program.overrides_invalid", std::move(problems));
}

// The programme compiled for each month of the period's year in which one of its one-off grants is due
// (the ASD school-start grant: September), with the parameters and overrides in force then: a
// simulation's yearly cost counts them. Empty when the programme has no one-off.
Result<std::vector<programs::CompiledProgramme>> OneOffMonths(const programs::Programme& programme,
                                                              const SimulationRequest& request) {
  std::vector<unsigned> months;
  for (const auto& o : programme.one_offs) {
    if (o.month >= 1 && o.month <= 12 && std::find(months.begin(), months.end(), o.month) == months.end()) {
      months.push_back(o.month);
    }
  }
  std::vector<programs::CompiledProgramme> out;
  for (unsigned m : months) {
    const std::string period = request.period.substr(0, 4) + (m < 10 ? "-0" : "-") + std::to_string(m);
    auto day = programs::PeriodStart(period);
    if (!day) return std::unexpected(day.error());
    auto p = programs::WithOverrides(programme, *day, request.overrides);
    if (!p) return std::unexpected(p.error());
    auto compiled = programs::CompileProgramme(*p, period);
    if (!compiled) return std::unexpected(compiled.error());
    out.push_back(std::move(*compiled));
  }
  return out;
}

// Adds each household's one-off grants of the year under `months` into `total` (whole units).
Status AddOneOffs(std::span<const programs::CompiledProgramme> months, const rules::Batch& batch,
                  std::vector<std::int64_t>& total) {
  total.assign(months.empty() ? 0 : batch.households, 0);
  for (const auto& compiled : months) {
    auto outcome = programs::EvaluateBatch(compiled, batch);
    if (!outcome) return std::unexpected(outcome.error());
    for (std::size_t h = 0; h < batch.households; ++h) total[h] += outcome->one_off_total[h];
  }
  return Ok();
}

Result<json> RunSimulation(const programs::Programme& programme, const SimulationRequest& request,
                           const PopulationReader& reader,
                           const std::function<Status(std::int64_t, std::int64_t)>& progress) {
  auto day = programs::PeriodStart(request.period);
  if (!day) return std::unexpected(day.error());
  auto baseline = programs::WithOverrides(programme, *day, {});
  if (!baseline) return std::unexpected(baseline.error());
  auto candidate = programs::WithOverrides(programme, *day, request.overrides);
  if (!candidate) return std::unexpected(candidate.error());
  auto compiled_baseline = programs::CompileProgramme(*baseline, request.period);
  if (!compiled_baseline) return std::unexpected(compiled_baseline.error());
  auto compiled_candidate = programs::CompileProgramme(*candidate, request.period);
  if (!compiled_candidate) return std::unexpected(compiled_candidate.error());

  SimulationRequest baseline_request = request;
  baseline_request.overrides = {};
  auto baseline_one_offs = OneOffMonths(programme, baseline_request);
  if (!baseline_one_offs) return std::unexpected(baseline_one_offs.error());
  auto candidate_one_offs = OneOffMonths(programme, request);
  if (!candidate_one_offs) return std::unexpected(candidate_one_offs.error());

  const double line = request.poverty_line.value_or(DefaultPovertyLine(programme.country));
  SimulationAccumulator acc(line, 2, FrequencyOf(programme.frequency));
  std::vector<std::uint32_t> sizes;
  std::vector<std::int64_t> base_one_off, cand_one_off;
  std::int64_t done = 0;
  auto st = reader({request.area, programme.country}, [&](const PopulationChunk& chunk) -> Status {
    const auto& batch = chunk.batch;
    auto base = programs::EvaluateBatch(*compiled_baseline, batch);
    if (!base) return std::unexpected(base.error());
    auto cand = programs::EvaluateBatch(*compiled_candidate, batch);
    if (!cand) return std::unexpected(cand.error());
    sizes.resize(batch.households);
    for (std::size_t h = 0; h < batch.households; ++h) sizes[h] = batch.member_offsets[h + 1] - batch.member_offsets[h];
    if (auto st = AddOneOffs(*baseline_one_offs, batch, base_one_off); !st) return st;
    if (auto st = AddOneOffs(*candidate_one_offs, batch, cand_one_off); !st) return st;
    const std::array<ScenarioColumns, 2> scenarios{ScenarioColumns{base->eligible, base->monthly_amount, base_one_off},
                                                   ScenarioColumns{cand->eligible, cand->monthly_amount, cand_one_off}};
    if (auto added = acc.Add({chunk.region, sizes, chunk.latent, chunk.latent_present}, scenarios); !added) {
      return added;
    }
    done += static_cast<std::int64_t>(batch.households);
    return progress ? progress(done, chunk.total_households) : Ok();
  });
  if (!st) return std::unexpected(st.error());

  json regions = json::array();
  json total;
  for (const auto& row : acc.Rows()) {
    json r = CountsJson(row);
    if (row.region.empty()) {
      total = std::move(r);
    } else {
      r["region"] = row.region;
      regions.push_back(std::move(r));
    }
  }
  json overrides = json::object();
  for (const auto& [name, value] : request.overrides) {
    std::visit([&overrides, &name](const auto& v) { overrides[name] = v; }, value);
  }
  return json{{"programme", programme.code},
              {"period", request.period},
              {"currency", programme.currency},
              {"frequency", programs::FrequencyName(programme.frequency)},
              {"poverty_line", line},
              {"area", request.area ? json(*request.area) : json(nullptr)},
              {"overrides", overrides},
              {"parameters",
               {{"baseline", ParamsJson(baseline->parameter_sets.front().params)},
                {"candidate", ParamsJson(candidate->parameter_sets.front().params)}}},
              {"regions", regions},
              {"total", total}};
}

std::string SimulationCsv(const json& result) {
  static constexpr std::array<const char*, 8> kScenarioColumns{
      "covered_households", "covered_persons",   "coverage_rate",   "monthly_cost_minor",
      "one_off_cost_minor", "yearly_cost_minor", "inclusion_error", "exclusion_error"};
  std::string out =
      "region,scenario,households,persons,measured_households,poor_households,poor_persons,covered_households,"
      "covered_persons,coverage_rate,monthly_cost_minor,one_off_cost_minor,yearly_cost_minor,inclusion_error,"
      "exclusion_error\r\n";
  auto write = [&out](const std::string& region, const json& row) {
    for (const char* scenario : {"baseline", "candidate"}) {
      if (!row.contains(scenario)) continue;
      out += csv::Escape(region) + "," + scenario;
      for (const char* c : {"households", "persons", "measured_households", "poor_households", "poor_persons"}) {
        out += "," + Cell(row.value(c, json()));
      }
      for (const char* c : kScenarioColumns) out += "," + Cell(row[scenario].value(c, json()));
      out += "\r\n";
    }
  };
  for (const auto& row : result.value("regions", json::array())) write(row.value("region", std::string()), row);
  if (result.contains("total")) write("total", result["total"]);
  return out;
}

json RequestJson(const SimulationRequest& request) {
  json overrides = json::object();
  for (const auto& [name, value] : request.overrides) {
    std::visit([&overrides, &name](const auto& v) { overrides[name] = v; }, value);
  }
  return json{{"period", request.period},
              {"overrides", overrides},
              {"poverty_line", Optional(request.poverty_line)},
              {"area", request.area ? json(*request.area) : json(nullptr)}};
}

Result<SimulationRequest> RequestFromJson(const json& j) {
  SimulationRequest r;
  if (!j.is_object() || !j.value("period", json()).is_string()) {
    return Failure(Code::kInvalidArgument, "field.required", {{"field", "period"}}, "period");
  }
  r.period = j["period"].get<std::string>();
  const json overrides = j.value("overrides", json::object());
  for (const auto& [name, value] : overrides.items()) {
    if (value.is_number_integer()) {
      r.overrides.emplace_back(name, value.get<std::int64_t>());
    } else if (value.is_number()) {
      r.overrides.emplace_back(name, value.get<double>());
    } else {
      return Failure(Code::kInvalidArgument, "field.not_number", {{"field", name}}, "overrides." + name);
    }
  }
  if (j.value("poverty_line", json()).is_number()) r.poverty_line = j["poverty_line"].get<double>();
  if (j.value("area", json()).is_string()) r.area = j["area"].get<std::string>();
  return r;
}

}  // namespace sanad::targeting
