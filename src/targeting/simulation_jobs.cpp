#include "targeting/simulation_jobs.h"

#include <variant>

#include "programs/overrides.h"

namespace sanad::targeting {

SimulationJobs::SimulationJobs(jobs::JobStore& jobs, const Clock& clock, ProgrammeLookup lookup,
                               PopulationReader reader)
    : jobs_(jobs), clock_(clock), lookup_(std::move(lookup)), reader_(std::move(reader)) {}

Result<jobs::JobRecord> SimulationJobs::Start(std::string_view programme, const SimulationRequest& request,
                                              const SimulationStarter& who) {
  auto found = lookup_(programme);
  if (!found) return std::unexpected(found.error());
  if (auto st = CheckRequest(*found, request); !st) return std::unexpected(st.error());
  auto job = jobs_.Enqueue(jobs::NewJob{.kind = kJobKind,
                                        .params = {{"programme", found->code}, {"request", RequestJson(request)}},
                                        .area_code = request.area,
                                        .owner_id = who.user_id,
                                        .owner = who.username},
                           clock_.Now());
  if (job && on_queued_) on_queued_();
  return job;
}

Result<std::optional<jobs::JobRecord>> SimulationJobs::Get(std::int64_t id, std::string_view programme,
                                                           const std::optional<std::string>& scope_area) {
  auto job = jobs_.Get(id);
  if (!job || !*job) return job;
  const auto& j = **job;
  if (j.kind != kJobKind || j.params.value("programme", std::string()) != programme || j.area_code != scope_area) {
    return std::optional<jobs::JobRecord>();
  }
  return job;
}

Result<nlohmann::json> SimulationJobs::Defaults(std::string_view programme, std::string_view period) {
  auto found = lookup_(programme);
  if (!found) return std::unexpected(found.error());
  auto day = programs::PeriodStart(period);
  if (!day) return std::unexpected(day.error());
  auto current = programs::WithOverrides(*found, *day, {});
  if (!current) return std::unexpected(current.error());
  nlohmann::json params = nlohmann::json::object();
  for (const auto& [name, value] : current->parameter_sets.front().params) {
    std::visit([&params, &name](const auto& v) { params[name] = v; }, value);
  }
  return nlohmann::json{{"programme", found->code},
                        {"period", std::string(period)},
                        {"currency", found->currency},
                        {"poverty_line", DefaultPovertyLine(found->country)},
                        {"parameters", params}};
}

Result<jobs::Json> SimulationJobs::Run(jobs::JobContext& ctx) {
  auto found = lookup_(ctx.params().value("programme", std::string()));
  if (!found) return std::unexpected(found.error());
  auto request = RequestFromJson(ctx.params().value("request", nlohmann::json::object()));
  if (!request) return std::unexpected(request.error());
  ctx.SetStage(std::string(MsgCode("targeting_simulation.stage.evaluating")));
  return RunSimulation(*found, *request, reader_, [&ctx](std::int64_t done, std::int64_t total) {
    ctx.SetProgress(done, total);
    return ctx.NextChunk();
  });
}

}  // namespace sanad::targeting
