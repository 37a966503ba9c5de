// Regional figures of the empowerment platform (src/empowerment/figures_store.*,
// docs/empowerment.md#figures): counts within the reader's area as JSON, CSV and XLSX (the registry's
// exporter writes both files). Counts only, no personal data: not audited.
#include <nlohmann/json.hpp>

#include "api/empowerment_training_routes.h"
#include "empowerment/figures_store.h"
#include "registry/exporter.h"

namespace sanad::api {
namespace {

using empowerment::FiguresStore;
using nlohmann::json;

empowerment::ReadScope ScopeOf(const registry::Actor& a) { return {a.scope.area, a.scope.today}; }

json FiguresJson(const empowerment::Figures& f) {
  json women = json::array(), trainings = json::array();
  for (const auto& w : f.women)
    women.push_back({{"commune_code", w.commune_code}, {"kind", w.kind}, {"status", w.status}, {"women", w.women}});
  for (const auto& t : f.trainings)
    trainings.push_back(
        {{"topic", t.topic}, {"registered", t.registered}, {"attended", t.attended}, {"completed", t.completed}});
  return {{"women", women},
          {"trainings", trainings},
          {"activities",
           {{"monitored_at_12_months", f.activities.monitored_at_12_months},
            {"running_at_12_months", f.activities.running_at_12_months}}}};
}

// One long table for the files: section, group (commune or topic), kind, measure, value.
registry::ExportTable FiguresTable(const empowerment::Figures& f) {
  using registry::FieldType;
  registry::ExportTable t;
  t.header = {"section", "group", "kind", "measure", "value"};
  t.types = {FieldType::kText, FieldType::kText, FieldType::kText, FieldType::kText, FieldType::kInt};
  auto row = [&](std::string section, std::string group, std::string kind, std::string measure, long long value) {
    t.rows.push_back(
        {std::move(section), std::move(group), std::move(kind), std::move(measure), std::to_string(value)});
  };
  for (const auto& w : f.women) row("women", w.commune_code, w.kind, w.status, w.women);
  for (const auto& tr : f.trainings) {
    row("trainings", tr.topic, "", "registered", tr.registered);
    row("trainings", tr.topic, "", "attended", tr.attended);
    row("trainings", tr.topic, "", "completed", tr.completed);
  }
  row("activities", "", "", "monitored_at_12_months", f.activities.monitored_at_12_months);
  row("activities", "", "", "running_at_12_months", f.activities.running_at_12_months);
  return t;
}

Result<empowerment::Figures> Load(Services& s, FiguresStore& store, http::Request& req) {
  if (auto st = http::QueryReader(req).RejectUnknown(); !st) return std::unexpected(st.error());
  return store.All(ScopeOf(ActorOf(s, req)));
}

http::Response File(std::string body, std::string type, const std::string& name) {
  http::Response resp;
  resp.status = 200;
  resp.body = std::move(body);
  resp.content_type = std::move(type);
  resp.Header("Content-Disposition", "attachment; filename=\"" + name + "\"");
  return resp;
}

}  // namespace

void AddEmpowermentFiguresRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto store = std::make_shared<FiguresStore>(s.db);
  t.push_back({"GET", "/api/v1/empowerment/figures", P::kEmpowermentRead, [&s, store](http::Request& req) {
                 TRY_OR_RESPOND(f, Load(s, *store, req));
                 return http::JsonResponse(200, FiguresJson(*f).dump());
               }});
  t.push_back({"GET", "/api/v1/empowerment/figures.csv", P::kEmpowermentRead, [&s, store](http::Request& req) {
                 TRY_OR_RESPOND(f, Load(s, *store, req));
                 // With a byte-order mark, so that a spreadsheet program opens it as UTF-8.
                 return File("\xEF\xBB\xBF" + registry::ToCsv(FiguresTable(*f)), "text/csv; charset=utf-8",
                             "sanad-empowerment-figures.csv");
               }});
  t.push_back({"GET", "/api/v1/empowerment/figures.xlsx", P::kEmpowermentRead, [&s, store](http::Request& req) {
                 TRY_OR_RESPOND(f, Load(s, *store, req));
                 TRY_OR_RESPOND(xlsx, registry::ToXlsx(FiguresTable(*f), "figures"));
                 return File(std::move(*xlsx), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                             "sanad-empowerment-figures.xlsx");
               }});
}

}  // namespace sanad::api
