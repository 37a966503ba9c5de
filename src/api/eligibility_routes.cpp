// A registered household's eligibility for each programme of its country in a month: computed from the
// registry as it stands now through the same path as the programme cycles (cycles::HouseholdBatchStore,
// the household as a rules::Batch of one, then programs::EvaluateBatch), written as the simulator writes
// its answer (program_json.h). Scoped and audited like the household's own read.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/program_json.h"
#include "api/services.h"
#include "cycles/household_batch_store.h"
#include "db/row.h"

namespace sanad::api {
namespace {

std::string CurrentMonth(const Clock& clock) {
  const Date d = DateOf(clock.Now());
  return fmt::format("{:04d}-{:02d}", d.year, d.month);
}

// The household as it stands at `now` (empty when it is not active then) and its outcome for every
// programme of its country.
Result<nlohmann::json> Eligibility(Services& s, std::int64_t id, const std::string& period, const std::string& now,
                                   i18n::Lang lang) {
  // The programmes as they now stand (saved definitions, else the templates), read before the registry.
  auto programmes = s.programmes->List();
  if (!programmes) return std::unexpected(programmes.error());
  return db::Guard([&]() -> Result<nlohmann::json> {
    auto session = s.db.Acquire();
    cycles::HouseholdBatchStore store(session, now, cycles::AsOfFilter{.household_ids = {id}}, 1);
    auto chunk = store.Next();
    if (!chunk) return std::unexpected(chunk.error());
    nlohmann::json items = nlohmann::json::array();
    if (chunk->size() == 0) return items;
    for (const auto& stored : *programmes) {
      const programs::Programme& p = stored.programme;
      if (p.country != chunk->country[0]) continue;
      auto outcome = programs::EvaluateBatch(p, chunk->batch, period);
      if (!outcome) return std::unexpected(outcome.error());
      nlohmann::json item{{"code", p.code},
                          {"name_ar", p.name_ar},
                          {"name_fr", p.name_fr},
                          {"name_en", p.name_en},
                          {"kind", programs::KindName(p.kind)},
                          {"frequency", programs::FrequencyName(p.frequency)}};
      item.update(SimulationJson(programs::SimulationOf(*outcome, 0, p.currency), lang));
      items.push_back(std::move(item));
    }
    return items;
  });
}

}  // namespace

void AddEligibilityRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/households/:id/eligibility", P::kRegistryRead, [&s](http::Request& req) {
                 TRY_OR_RESPOND(id, http::PathId(req));
                 http::QueryReader q(req);
                 TRY_OR_RESPOND(asked, q.String("period", 7));
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const std::string period = asked->value_or(CurrentMonth(s.clock));
                 auto actor = ActorOf(s, req);
                 auto h = s.registry->households.GetHousehold(*id, actor.scope);
                 if (!h) return http::ErrorResponse(h.error());
                 if (!*h) {
                   return http::ErrorResponse(Failure(Code::kNotFound, std::string(MsgCode("household.not_found")),
                                                      {{"id", std::to_string(*id)}}, "id")
                                                  .error());
                 }
                 TRY_OR_RESPOND(items,
                                Eligibility(s, *id, period, FormatTimestamp(s.clock.Now()), http::RequestLang(req)));
                 if (auto st = AuditRequest(s, req, "view", "household_eligibility", std::to_string(*id),
                                            nlohmann::json{{"period", period}}.dump());
                     !st)
                   return http::ErrorResponse(st.error());
                 nlohmann::json body{{"household_id", *id}, {"period", period}, {"items", std::move(*items)}};
                 return http::JsonResponse(200, body.dump());
               }});
}

}  // namespace sanad::api
