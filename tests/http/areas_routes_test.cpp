// The reference areas over HTTP: paging, search by any name, the Algerian 2027 reorganisation, parent
// chains and GeoJSON boundaries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

// One server and an administrator for every test (they only read).
class AreasApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new TestServer();
    admin_token_ =
        new std::string(*BearerToken(server_->Client(), "admin", server_->AddUser("admin", {auth::Role::kAdmin})));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_token_;
  }

  HttpClient client() const { return server_->Client(); }
  static Headers Admin() { return Bearer(*admin_token_); }

  static TestServer* server_;
  static std::string* admin_token_;
};

TestServer* AreasApi::server_ = nullptr;
std::string* AreasApi::admin_token_ = nullptr;

TEST_F(AreasApi, AreasListAPageWithTotalLimitAndOffset) {
  auto all = client().Get("/api/v1/areas?country=MA&level=commune&limit=10&offset=20", Admin());
  ASSERT_EQ(all.status, 200) << all.body;
  auto j = all.Json();
  EXPECT_EQ(j["total"], 1503);
  EXPECT_EQ(j["limit"], 10);
  EXPECT_EQ(j["offset"], 20);
  ASSERT_EQ(j["items"].size(), 10u);
  auto first = client().Get("/api/v1/areas?country=MA&level=commune&limit=30", Admin()).Json();
  EXPECT_EQ(first["limit"], 30);
  EXPECT_EQ(first["offset"], 0);
  EXPECT_EQ(j["items"][0]["code"], first["items"][20]["code"]);
  EXPECT_EQ(j["items"][9]["code"], first["items"][29]["code"]);
  auto defaults = client().Get("/api/v1/areas?country=DZ&level=commune", Admin()).Json();
  EXPECT_EQ(defaults["total"], 1541);
  EXPECT_EQ(defaults["limit"], 100);
  EXPECT_EQ(defaults["items"].size(), 100u);
  auto past_end = client().Get("/api/v1/areas?country=MA&level=region&offset=100", Admin()).Json();
  EXPECT_EQ(past_end["total"], 12);
  EXPECT_TRUE(past_end["items"].empty());
}

TEST_F(AreasApi, AreasAreFoundByAnyOfTheirNamesWithoutCaseOrAccents) {
  auto accented = client().Get("/api/v1/areas?country=MA&level=commune&q=F%C3%A8s&limit=200", Admin());
  ASSERT_EQ(accented.status, 200) << accented.body;
  const auto total = accented.Json()["total"].get<long long>();
  EXPECT_GE(total, 2);
  for (const char* typed : {"fes", "FES"}) {
    auto j = client().Get(std::string("/api/v1/areas?country=MA&level=commune&limit=200&q=") + typed, Admin()).Json();
    EXPECT_EQ(j["total"], total) << typed;
  }
  // فاس, percent-encoded as a browser sends it.
  auto arabic = client().Get("/api/v1/areas?country=MA&level=commune&q=%D9%81%D8%A7%D8%B3", Admin()).Json();
  EXPECT_GE(arabic["total"].get<long long>(), 2);
  for (const auto& a : arabic["items"]) EXPECT_THAT(a["name_ar"].get<std::string>(), HasSubstr("فاس"));
}

TEST_F(AreasApi, AlgeriaHas58WilayasBefore2027And69From2027) {
  auto before = client().Get("/api/v1/areas?country=DZ&level=province&as_of=2026-12-31&limit=100", Admin()).Json();
  EXPECT_EQ(before["total"], 58);
  EXPECT_EQ(before["items"].size(), 58u);
  auto after = client().Get("/api/v1/areas?country=DZ&level=province&as_of=2027-01-01&limit=100", Admin()).Json();
  EXPECT_EQ(after["total"], 69);
  std::vector<std::string> codes;
  for (const auto& a : after["items"]) codes.push_back(a["code"]);
  EXPECT_THAT(codes, Contains("DZ-59"));
  EXPECT_THAT(codes, Contains("DZ-69"));
  auto ma = client().Get("/api/v1/areas?country=MA&level=region", Admin()).Json();
  EXPECT_EQ(ma["total"], 12);
}

TEST_F(AreasApi, AflouMovesFromLaghouatToItsOwnWilayaIn2027) {
  auto in_2026 = client().Get("/api/v1/areas/DZ-0319?as_of=2026-06-01", Admin());
  ASSERT_EQ(in_2026.status, 200) << in_2026.body;
  auto a = in_2026.Json();
  EXPECT_EQ(a["area"]["name_fr"], "Aflou");
  EXPECT_EQ(a["area"]["level"], "commune");
  EXPECT_EQ(a["area"]["parent_code"], "DZ-03");
  ASSERT_EQ(a["parents"].size(), 1u);
  EXPECT_EQ(a["parents"][0]["code"], "DZ-03");

  auto b = client().Get("/api/v1/areas/DZ-0319?as_of=2027-06-01", Admin()).Json();
  EXPECT_EQ(b["area"]["parent_code"], "DZ-59");
  ASSERT_EQ(b["parents"].size(), 1u);
  EXPECT_EQ(b["parents"][0]["code"], "DZ-59");

  // The parent filter follows the same dates.
  auto children = [&](const std::string& parent, const std::string& as_of) {
    auto j = client().Get("/api/v1/areas?parent=" + parent + "&as_of=" + as_of + "&limit=2000", Admin()).Json();
    std::vector<std::string> codes;
    for (const auto& i : j["items"]) codes.push_back(i["code"]);
    return codes;
  };
  EXPECT_THAT(children("DZ-03", "2026-06-01"), Contains("DZ-0319"));
  EXPECT_THAT(children("DZ-03", "2027-06-01"), Not(Contains("DZ-0319")));
  EXPECT_THAT(children("DZ-59", "2027-06-01"), Contains("DZ-0319"));
}

TEST_F(AreasApi, AMoroccanCommuneComesWithItsParentChainTopDown) {
  // data/admin/ma_communes_1503.csv: 01.511.01.01,Assilah,أصيلة,urban,…
  auto r = client().Get("/api/v1/areas/MA-01.511.01.01", Admin());
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.Json();
  EXPECT_EQ(j["area"]["name_fr"], "Assilah");
  EXPECT_EQ(j["area"]["name_ar"], "أصيلة");
  EXPECT_EQ(j["area"]["country"], "MA");
  EXPECT_EQ(j["area"]["parent_code"], "MA-01.511");
  ASSERT_EQ(j["parents"].size(), 2u);
  EXPECT_EQ(j["parents"][0]["code"], "MA-01");
  EXPECT_EQ(j["parents"][0]["level"], "region");
  EXPECT_EQ(j["parents"][0]["parent_code"], nullptr);
  EXPECT_EQ(j["parents"][1]["code"], "MA-01.511");
  EXPECT_EQ(j["parents"][1]["level"], "province");
  EXPECT_EQ(j["parents"][1]["parent_code"], "MA-01");
  auto commune_list = client().Get("/api/v1/areas?parent=MA-01.511&level=commune&limit=2000", Admin()).Json();
  std::vector<std::string> codes;
  for (const auto& i : commune_list["items"]) codes.push_back(i["code"]);
  EXPECT_THAT(codes, Contains("MA-01.511.01.01"));

  auto missing = client().Get("/api/v1/areas/MA-99.999", Admin());
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json()["error"]["code"], "not_found");
  EXPECT_EQ(missing.Json()["error"]["field"], "code");
}

TEST_F(AreasApi, BoundariesAreGeoJson) {
  auto ma = client().Get("/api/v1/areas/boundaries?country=MA", Admin());
  ASSERT_EQ(ma.status, 200);
  EXPECT_EQ(ma.Header("content-type"), "application/geo+json");
  auto j = ma.Json();
  EXPECT_EQ(j["type"], "FeatureCollection");
  EXPECT_EQ(j["features"].size(), 12u);
  auto dz = client().Get("/api/v1/areas/boundaries?country=DZ", Admin()).Json();
  EXPECT_EQ(dz["type"], "FeatureCollection");
  EXPECT_EQ(dz["features"].size(), 69u);
  EXPECT_EQ(client().Get("/api/v1/areas/boundaries?country=MA").status, 401);
}

}  // namespace
}  // namespace sanad::testing
