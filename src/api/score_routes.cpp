// The socio-economic index of a household (src/targeting, docs/domain.md §1.2): its current score, the
// model and version that computed it, the date, each part's contribution ("why this score", computed
// again from the model version and the registry as it was then: targeting/score_explanation.h) and the
// scores it replaced. Scoped and audited like the household's own read.
#include <nlohmann/json.hpp>

#include "api/services.h"
#include "targeting/score_explanation.h"
#include "targeting/score_store.h"

namespace sanad::api {
namespace {

nlohmann::json ScoreJson(const targeting::StoredScore& sc) {
  return nlohmann::json{{"score", sc.score},
                        {"model", sc.model},
                        {"model_version", sc.model_version},
                        {"scored_on", sc.scored_on},
                        {"scored_at", sc.scored_at}};
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
                 std::optional<targeting::Explanation> why;
                 if (*current) {
                   TRY_OR_RESPOND(explained, targeting::Explain(*s.scores, **current));
                   why = std::move(*explained);
                 }
                 if (auto st = AuditRequest(s, req, "view", "household_score", std::to_string(*id)); !st)
                   return http::ErrorResponse(st.error());
                 nlohmann::json body{{"household_id", *id}};
                 if (*current) {
                   body.update(ScoreJson(**current));
                   if (why->contributions) {
                     // Composed by the engine from its numbers (ContributionsJson); one that did not parse
                     // would be a defect, shown as no parts rather than failing the read.
                     auto parts = nlohmann::json::parse(*why->contributions, nullptr, /*allow_exceptions=*/false);
                     body["contributions"] = parts.is_object() ? parts : nlohmann::json::object();
                   } else {
                     body["contributions"] = nullptr;
                     body["why_unavailable"] = why->unavailable;
                   }
                 } else {
                   body["score"] = nullptr;  // not scored yet (sanad score)
                 }
                 nlohmann::json earlier = nlohmann::json::array();
                 for (const auto& sc : *history) earlier.push_back(ScoreJson(sc));
                 body["history"] = std::move(earlier);
                 return http::JsonResponse(200, body.dump());
               }});
}

}  // namespace sanad::api
