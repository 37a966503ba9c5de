// GET /healthz, GET /metrics: for load balancers and Prometheus on the ministry's network.
#include <spdlog/spdlog.h>

#include "api/services.h"

namespace sanad::api {

void AddSystemRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/healthz", P::kPublic, [&s](http::Request&) {
                 if (auto ping = s.db.Ping(); !ping) {
                   spdlog::error("healthz: {}", ping.error().message);  // the driver's text stays in the log
                   return http::ErrorResponse(Failure(Code::kUnavailable, "database.unreachable").error());
                 }
                 return http::JsonResponse(200, R"({"status":"ok"})");
               }});
  // Aggregate counters only, no personal data: readable without an account so scrapers need none.
  t.push_back({"GET", "/metrics", P::kPublic, [&s](http::Request&) {
                 http::Response r;
                 r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                 r.body = s.metrics.Render() + db::PoolMetricsText(s.db.Stats());
                 if (s.background_metrics) r.body += s.background_metrics();
                 r.body += PersonJsonCacheMetricsText(s.person_json->Snapshot());
                 return r;
               }});
}

}  // namespace sanad::api
