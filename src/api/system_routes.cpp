// GET /healthz, GET /metrics: for load balancers and Prometheus on the ministry's network.
#include "api/services.h"

namespace sanad::api {

void AddSystemRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/healthz", P::kPublic, [&s](http::Request&) {
                 try {
                   auto session = s.db.Acquire();
                   int one = 0;
                   session.sql() << "SELECT 1", soci::into(one);
                 } catch (const std::exception&) {
                   return http::ErrorResponse({Code::kUnavailable, "database unreachable", "", 0});
                 }
                 return http::JsonResponse(200, R"({"status":"ok"})");
               }});
  // Aggregate counters only, no personal data: readable without an account so scrapers need none.
  t.push_back({"GET", "/metrics", P::kPublic, [&s](http::Request&) {
                 http::Response r;
                 r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                 r.body = s.metrics.Render(s.db.Stats());
                 return r;
               }});
}

}  // namespace sanad::api
