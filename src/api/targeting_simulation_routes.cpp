// Targeting simulation (docs/targeting-simulation.md): a programme with candidate parameters against the
// registry's latent consumption, by region. Aggregates only, so national analysts (aggregates.read) may
// run it; a simulation covers the caller's area and is visible only from that same scope.
//   GET  /api/v1/programs/:code/targeting-simulation/defaults?period=  the parameters in force, to prefill
//   POST /api/v1/programs/:code/targeting-simulation                   queue a run (202 with the job)
//   GET  /api/v1/programs/:code/targeting-simulation/:id               its status, progress and result
//   GET  /api/v1/programs/:code/targeting-simulation/:id/result.csv    the result's table as CSV
#include <fmt/format.h>

#include "api/services.h"
#include "http/json_input.h"
#include "i18n/catalogue.h"
#include "targeting/simulation_run.h"

namespace sanad::api {
namespace {

constexpr std::size_t kMaxOverrides = 64;

nlohmann::json JobJson(const jobs::JobRecord& j, i18n::Lang lang) {
  auto opt = [](const std::optional<std::string>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  nlohmann::json out{{"id", j.id},
                     {"programme", j.params.value("programme", std::string())},
                     {"request", j.params.value("request", nlohmann::json::object())},
                     {"status", jobs::StateName(j.state)},
                     {"progress", {{"done", j.progress_done}, {"total", j.progress_total}}},
                     {"started_by", j.owner},
                     {"created_at", j.created_at},
                     {"started_at", opt(j.started_at)},
                     {"finished_at", opt(j.finished_at)},
                     {"result", nullptr},
                     {"error", nullptr}};
  if (j.state == jobs::JobState::kSucceeded && j.result) {
    out["result"] = *j.result;
    // The last progress may not have been flushed before the job ended: a finished run read them all.
    const auto households = j.result->value("total", nlohmann::json::object()).value("households", 0LL);
    out["progress"] = {{"done", households}, {"total", households}};
  }
  if (j.state == jobs::JobState::kFailed) {
    out["error"] = i18n::Render(lang, MsgCode("targeting_simulation.failed"), {{"id", std::to_string(j.id)}})
                       .value_or("targeting_simulation.failed");
  }
  return out;
}

Result<targeting::SimulationRequest> ReadRequest(const nlohmann::json& body) {
  http::ObjectReader r(body);
  targeting::SimulationRequest request;
  auto period = r.RequiredString("period", 7);
  if (!period) return std::unexpected(period.error());
  request.period = *period;
  auto line = r.OptionalNumber("poverty_line", 0, 30);
  if (!line) return std::unexpected(line.error());
  request.poverty_line = *line;
  auto overrides = r.OptionalObject("overrides");
  if (!overrides) return std::unexpected(overrides.error());
  if (*overrides) {
    if ((*overrides)->size() > kMaxOverrides) {
      return Failure(Code::kInvalidArgument, "field.too_many_items",
                     {{"field", "overrides"}, {"max", std::to_string(kMaxOverrides)}}, "overrides");
    }
    for (const auto& [name, value] : (*overrides)->items()) {
      if (value.is_number_integer()) {
        request.overrides.emplace_back(name, value.get<std::int64_t>());
      } else if (value.is_number_float()) {
        request.overrides.emplace_back(name, value.get<double>());
      } else {
        request.not_numbers.push_back(name);  // named by CheckRequest with every other problem
      }
    }
  }
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return request;
}

Result<jobs::JobRecord> FindJob(Services& s, const http::Request& req) {
  auto id = http::PathId(req);
  if (!id) return std::unexpected(id.error());
  auto job = s.simulations->Get(*id, req.Param("code"), ActorOf(s, req).scope.area);
  if (!job) return std::unexpected(job.error());
  if (!*job) {
    return Failure(Code::kNotFound, "targeting_simulation.not_found", {{"id", std::to_string(*id)}}, "id");
  }
  return std::move(**job);
}

}  // namespace

void AddTargetingSimulationRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  // Before ":id", which would also match "defaults".
  t.push_back(
      {"GET", "/api/v1/programs/:code/targeting-simulation/defaults", P::kAggregatesRead, [&s](http::Request& req) {
         http::QueryReader q(req);
         TRY_OR_RESPOND(period, q.String("period", 7));
         if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
         if (!*period) {
           return http::ErrorResponse(
               Failure(Code::kInvalidArgument, "query.required", {{"name", "period"}}, "period").error());
         }
         TRY_OR_RESPOND(defaults, s.simulations->Defaults(req.Param("code"), **period));
         return http::JsonResponse(200, defaults->dump());
       }});
  t.push_back(
      {"POST", "/api/v1/programs/:code/targeting-simulation", P::kAggregatesRead,
       [&s](http::Request& req) {
         TRY_OR_RESPOND(body, http::ParseJsonObject(req));
         TRY_OR_RESPOND(request, ReadRequest(*body));
         const auto actor = ActorOf(s, req);
         request->area = actor.scope.area;
         TRY_OR_RESPOND(job, s.simulations->Start(req.Param("code"), *request, {actor.user_id, actor.username}));
         auto resp = http::JsonResponse(202, JobJson(*job, http::RequestLang(req)).dump());
         resp.Header("Location", fmt::format("/api/v1/programs/{}/targeting-simulation/{}",
                                             job->params.value("programme", std::string()), job->id));
         return resp;
       },
       16 * 1024});
  t.push_back({"GET", "/api/v1/programs/:code/targeting-simulation/:id", P::kAggregatesRead, [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(job, FindJob(s, req));
                 return http::JsonResponse(200, JobJson(*job, http::RequestLang(req)).dump());
               }});
  t.push_back({"GET", "/api/v1/programs/:code/targeting-simulation/:id/result.csv", P::kAggregatesRead,
               [&s](http::Request& req) {
                 if (auto st = http::QueryReader(req).RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 TRY_OR_RESPOND(job, FindJob(s, req));
                 if (job->state != jobs::JobState::kSucceeded || !job->result) {
                   return http::ErrorResponse(Failure(Code::kFailedPrecondition, "targeting_simulation.not_finished",
                                                      {{"id", std::to_string(job->id)}}, "id")
                                                  .error());
                 }
                 http::Response resp;
                 resp.status = 200;
                 // With a byte-order mark, so that a spreadsheet program opens it as UTF-8.
                 resp.body = "\xEF\xBB\xBF" + targeting::SimulationCsv(*job->result);
                 resp.content_type = "text/csv; charset=utf-8";
                 resp.Header("Content-Disposition",
                             fmt::format("attachment; filename=\"sanad-targeting-{}-{}.csv\"",
                                         job->params.value("programme", std::string()), job->id));
                 return resp;
               }});
}

}  // namespace sanad::api
