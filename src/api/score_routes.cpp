// The socio-economic index of a household (src/targeting, docs/domain.md §1.2): its current score, the
// model and version that computed it, the date, each part's contribution ("why this score") and the
// scores it replaced. Scoped and audited like the household's own read.
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "targeting/score_store.h"

namespace sanad::api {
namespace {

nlohmann::json ScoreJson(const targeting::StoredScore& sc, bool with_contributions) {
  nlohmann::json j{{"score", sc.score},
                   {"model", sc.model},
                   {"model_version", sc.model_version},
                   {"scored_on", sc.scored_on},
                   {"scored_at", sc.scored_at}};
  if (with_contributions) {
    // Written by the store from the engine's numbers; a row that does not parse is a defect, shown
    // as an empty object rather than failing the read.
    auto parts = nlohmann::json::parse(sc.contributions, nullptr, /*allow_exceptions=*/false);
    j["contributions"] = parts.is_object() ? parts : nlohmann::json::object();
  }
  return j;
}

}  // namespace

void AddScoreRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/households/:id/score", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 auto actor = ActorOf(s, req);
                 auto h = s.registry->households.GetHousehold(*id, actor.scope);
                 if (!h) return http::ErrorResponse(h.error());
                 if (!*h) {
                   return http::ErrorResponse(Failure(Code::kNotFound, std::string(MsgCode("household.not_found")),
                                                      {{"id", std::to_string(*id)}}, "id")
                                                  .error());
                 }
                 TRY_OR_RESPOND(current, s.scores->Current(*id));
                 TRY_OR_RESPOND(history, s.scores->History(*id));
                 if (auto st = AuditRequest(s, req, "view", "household_score", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 nlohmann::json body{{"household_id", *id}};
                 if (*current) {
                   body.update(ScoreJson(**current, true));
                 } else {
                   body["score"] = nullptr;  // not scored yet (sanad score)
                 }
                 nlohmann::json earlier = nlohmann::json::array();
                 for (const auto& sc : *history) earlier.push_back(ScoreJson(sc, false));
                 body["history"] = std::move(earlier);
                 return http::JsonResponse(200, body.dump());
               }});
}

}  // namespace sanad::api
