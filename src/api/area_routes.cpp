// GET /api/v1/areas, /api/v1/areas/{code}, /api/v1/areas/boundaries: reference areas for every form,
// filter and map in the application.
#include <fstream>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "api/json_mapping.h"
#include "api/services.h"
#include "geo/reference_data.h"
#include "http/json_input.h"

namespace sanad::api {

namespace {

// Boundaries are read once and kept: they change only with a new release of the data files.
class BoundaryCache {
 public:
  Result<std::string> Get(const std::string& data_dir, const std::string& country) {
    std::lock_guard lock(mu_);
    if (auto it = cache_.find(country); it != cache_.end()) return it->second;
    std::ifstream in(geo::BoundariesPath(data_dir, country), std::ios::binary);
    if (!in) return Failure(Code::kUnavailable, "area.boundaries_missing", {{"country", country}});
    std::ostringstream buf;
    buf << in.rdbuf();
    return cache_[country] = buf.str();
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> cache_;
};

std::string Today(const Clock& clock) { return DateOf(clock.Now()).ToString(); }

}  // namespace

void AddAreaRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  t.push_back({"GET", "/api/v1/areas", P::kAreasRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 areas::AreaFilter f;
                 auto country = q.OneOf("country", {"MA", "DZ"});
                 if (!country) return http::ErrorResponse(country.error());
                 auto level = q.OneOf("level", {"region", "province", "commune"});
                 if (!level) return http::ErrorResponse(level.error());
                 auto parent = q.String("parent", 64);
                 if (!parent) return http::ErrorResponse(parent.error());
                 auto text = q.String("q", 100);
                 if (!text) return http::ErrorResponse(text.error());
                 auto as_of = q.Date("as_of");
                 if (!as_of) return http::ErrorResponse(as_of.error());
                 auto paging = http::ReadPaging(q, 2000);
                 if (!paging) return http::ErrorResponse(paging.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 f.country = *country;
                 f.level = *level;
                 f.parent = *parent;
                 if (*text && !(*text)->empty()) f.q = *text;
                 f.as_of = as_of->value_or(Today(s.clock));
                 f.limit = paging->limit;
                 f.offset = paging->offset;
                 auto page = s.areas.List(f);
                 if (!page) return http::ErrorResponse(page.error());
                 nlohmann::json items = nlohmann::json::array();
                 for (std::size_t i = 0; i < page->items.size(); ++i) {
                   items.push_back(AreaJson(page->items[i], page->parent_codes[i]));
                 }
                 return http::JsonResponse(200, http::ListJson(items, page->total, *paging));
               }});
  // Declared before /areas/:code so that "boundaries" is never read as an area code.
  t.push_back({"GET", "/api/v1/areas/boundaries", P::kAreasRead, [&s](http::Request& req) {
                 static BoundaryCache cache;
                 http::QueryReader q(req);
                 auto country = q.OneOf("country", {"MA", "DZ"});
                 if (!country) return http::ErrorResponse(country.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 if (!*country)
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "area.country_required", {}, "country").error());
                 auto geojson = cache.Get(s.data_dir, **country);
                 if (!geojson) return http::ErrorResponse(geojson.error());
                 http::Response r;
                 r.content_type = "application/geo+json";
                 r.body = *geojson;
                 return r;
               }});
  t.push_back({"GET", "/api/v1/areas/:code", P::kAreasRead, [&s](http::Request& req) {
                 http::QueryReader q(req);
                 auto as_of = q.Date("as_of");
                 if (!as_of) return http::ErrorResponse(as_of.error());
                 if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
                 const std::string& code = req.Param("code");
                 if (code.size() > 32)
                   return http::ErrorResponse(
                       Failure(Code::kInvalidArgument, "area.code_too_long", {{"max", "32"}}, "code").error());
                 auto found = s.areas.Get(code, as_of->value_or(Today(s.clock)));
                 if (!found) return http::ErrorResponse(found.error());
                 nlohmann::json parents = nlohmann::json::array();
                 for (std::size_t i = 0; i < found->parents.size(); ++i) {
                   std::optional<std::string> pp;
                   if (i > 0) pp = found->parents[i - 1].code;
                   parents.push_back(AreaJson(found->parents[i], pp));
                 }
                 nlohmann::json body{{"area", AreaJson(found->area, found->parent_code)}, {"parents", parents}};
                 return http::JsonResponse(200, body.dump());
               }});
}

}  // namespace sanad::api
