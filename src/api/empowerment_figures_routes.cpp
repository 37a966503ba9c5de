// Regional figures of the empowerment platform (src/empowerment/figures_store.*,
// docs/empowerment.md#figures): counts within the reader's area as JSON, CSV and XLSX (the registry's
// exporter writes both files). Counts only, no personal data: not audited. Communes and provinces carry
// their names (reference areas, in Arabic and French) so that the page and the files show names, not codes.
#include <map>
#include <nlohmann/json.hpp>

#include "api/empowerment_route_helpers.h"
#include "api/empowerment_training_routes.h"
#include "empowerment/figures_store.h"
#include "registry/exporter.h"

namespace sanad::api {
namespace {

using empowerment::FiguresStore;
using nlohmann::json;

// A commune's names and its province (on the reader's day); codes the reference no longer knows keep
// their code as name.
struct Place {
  std::string name_ar, name_fr, province_code, province_ar, province_fr;
};

struct FundedByProvince {
  long long approved_minor = 0, agreed_minor = 0, paid_minor = 0, approved_applications = 0;
};

struct Named {
  empowerment::Figures figures;
  std::map<std::string, Place> places;                                                 // by commune code
  std::map<std::pair<std::string, std::string>, FundedByProvince> funded_by_province;  // province, currency
};

Named WithNames(Services& s, empowerment::Figures f, const std::string& day) {
  Named n;
  auto place = [&](const std::string& code) {
    if (n.places.contains(code)) return;
    Place p{code, code, "", "", ""};
    if (auto a = s.areas.Get(code, day)) {
      p.name_ar = a->area.name_ar;
      p.name_fr = a->area.name_fr;
      for (const auto& parent : a->parents) {
        if (parent.level == "province") p = {p.name_ar, p.name_fr, parent.code, parent.name_ar, parent.name_fr};
      }
    }
    n.places.emplace(code, std::move(p));
  };
  for (const auto& w : f.women) place(w.commune_code);
  for (const auto& a : f.applications) place(a.commune_code);
  for (const auto& x : f.funded) {
    place(x.commune_code);
    auto& p = n.funded_by_province[{n.places[x.commune_code].province_code, x.currency}];
    p.approved_minor += x.approved_minor;
    p.agreed_minor += x.agreed_minor;
    p.paid_minor += x.paid_minor;
    p.approved_applications += x.approved_applications;
  }
  n.figures = std::move(f);
  return n;
}

json FiguresJson(const Named& n) {
  const auto& f = n.figures;
  json women = json::array(), trainings = json::array(), applications = json::array(), funded = json::array(),
       by_province = json::array(), areas = json::object();
  for (const auto& w : f.women)
    women.push_back({{"commune_code", w.commune_code}, {"kind", w.kind}, {"status", w.status}, {"women", w.women}});
  for (const auto& t : f.trainings)
    trainings.push_back(
        {{"topic", t.topic}, {"registered", t.registered}, {"attended", t.attended}, {"completed", t.completed}});
  for (const auto& a : f.applications)
    applications.push_back({{"commune_code", a.commune_code}, {"state", a.state}, {"applications", a.applications}});
  for (const auto& x : f.funded)
    funded.push_back({{"commune_code", x.commune_code},
                      {"currency", x.currency},
                      {"approved_minor", x.approved_minor},
                      {"agreed_minor", x.agreed_minor},
                      {"paid_minor", x.paid_minor},
                      {"approved_applications", x.approved_applications}});
  for (const auto& [key, x] : n.funded_by_province)
    by_province.push_back({{"province_code", key.first},
                           {"currency", key.second},
                           {"approved_minor", x.approved_minor},
                           {"agreed_minor", x.agreed_minor},
                           {"paid_minor", x.paid_minor},
                           {"approved_applications", x.approved_applications}});
  for (const auto& [code, p] : n.places) {
    areas[code] = {{"name_ar", p.name_ar}, {"name_fr", p.name_fr}, {"province_code", p.province_code}};
    if (!p.province_code.empty())
      areas[p.province_code] = {{"name_ar", p.province_ar}, {"name_fr", p.province_fr}, {"province_code", nullptr}};
  }
  return {{"women", women},
          {"applications", applications},
          {"funded", funded},
          {"funded_by_province", by_province},
          {"areas", areas},
          {"trainings", trainings},
          {"activities",
           {{"monitored_at_12_months", f.activities.monitored_at_12_months},
            {"running_at_12_months", f.activities.running_at_12_months}}}};
}

// One long table for the files: section, group (commune, province or topic), kind, measure, value, and
// the group's names when it is an area. Amounts in minor units, the currency as the kind.
registry::ExportTable FiguresTable(const Named& n) {
  using registry::FieldType;
  const auto& f = n.figures;
  registry::ExportTable t;
  t.header = {"section", "group", "kind", "measure", "value", "group_name_ar", "group_name_fr"};
  t.types = {FieldType::kText, FieldType::kText, FieldType::kText, FieldType::kText,
             FieldType::kInt,  FieldType::kText, FieldType::kText};
  auto row = [&](std::string section, std::string group, std::string kind, std::string measure, long long value) {
    std::optional<std::string> ar, fr;
    if (auto it = n.places.find(group); it != n.places.end()) {
      ar = it->second.name_ar;
      fr = it->second.name_fr;
    } else {
      for (const auto& [code, p] : n.places)
        if (!group.empty() && p.province_code == group) {
          ar = p.province_ar;
          fr = p.province_fr;
        }
    }
    t.rows.push_back(
        {std::move(section), std::move(group), std::move(kind), std::move(measure), std::to_string(value), ar, fr});
  };
  for (const auto& w : f.women) row("women", w.commune_code, w.kind, w.status, w.women);
  for (const auto& a : f.applications) row("applications", a.commune_code, a.state, "applications", a.applications);
  for (const auto& x : f.funded) {
    row("funded", x.commune_code, x.currency, "approved_minor", x.approved_minor);
    row("funded", x.commune_code, x.currency, "agreed_minor", x.agreed_minor);
    row("funded", x.commune_code, x.currency, "paid_minor", x.paid_minor);
  }
  for (const auto& [key, x] : n.funded_by_province) {
    row("funded_by_province", key.first, key.second, "approved_minor", x.approved_minor);
    row("funded_by_province", key.first, key.second, "agreed_minor", x.agreed_minor);
    row("funded_by_province", key.first, key.second, "paid_minor", x.paid_minor);
  }
  for (const auto& tr : f.trainings) {
    row("trainings", tr.topic, "", "registered", tr.registered);
    row("trainings", tr.topic, "", "attended", tr.attended);
    row("trainings", tr.topic, "", "completed", tr.completed);
  }
  row("activities", "", "", "monitored_at_12_months", f.activities.monitored_at_12_months);
  row("activities", "", "", "running_at_12_months", f.activities.running_at_12_months);
  return t;
}

Result<Named> Load(Services& s, FiguresStore& store, http::Request& req) {
  if (auto st = http::QueryReader(req).RejectUnknown(); !st) return std::unexpected(st.error());
  const auto scope = ScopeOf(ActorOf(s, req));
  auto f = store.All(scope);
  if (!f) return std::unexpected(f.error());
  return WithNames(s, std::move(*f), scope.day);
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
