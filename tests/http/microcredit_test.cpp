// Micro-credit over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB selects): the public schedule preview
// of the ANGEM products exactly as issue 12 shows it (domain.md §2.1; docs/microcredit.md), its refusals
// with a reason rendered in the reader's language, and nothing written.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

class MicrocreditOverHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = new TestServer(options);
  }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static TestServer* server_;
};
TestServer* MicrocreditOverHttp::server_ = nullptr;

constexpr const char* kPreview = "/api/v1/microcredit/schedule-preview";

TEST_F(MicrocreditOverHttp, PnrPreviewForFortyThousandDinarsIsPublic) {
  auto c = server_->Client();
  auto r = c.PostJson(kPreview, R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  EXPECT_EQ(j["currency"], "DZD");
  EXPECT_EQ(j["grace_months"], 3);
  EXPECT_EQ(j["total"], 40000);
  EXPECT_EQ(j["ceiling"], 100000);
  ASSERT_EQ(j["instalments"].size(), 24u);
  EXPECT_EQ(j["instalments"][0]["n"], 1);
  EXPECT_EQ(j["instalments"][0]["due_on"], "2026-05-15");
  EXPECT_EQ(j["instalments"][0]["principal"], 1667);
  EXPECT_EQ(j["instalments"][23]["principal"], 1659);
  std::int64_t sum = 0;
  for (const auto& i : j["instalments"]) sum += i["principal_minor"].get<std::int64_t>();
  EXPECT_EQ(sum, 4'000'000);
}

TEST_F(MicrocreditOverHttp, OverTheWilayasCeilingIsRefusedWithTheReason) {
  auto c = server_->Client();
  const std::string body = R"({"product":"PNR","principal":150000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})";
  auto ar = c.PostJson(kPreview, body, Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(ar.status, 422) << ar.body;
  EXPECT_EQ(ar.Json()["error"]["reason"], "microcredit.over_ceiling");
  EXPECT_EQ(ar.Json()["error"]["field"], "principal");
  EXPECT_EQ(ar.Json()["error"]["message"], "المبلغ 150000 دج يتجاوز السقف المعمول به في الولاية DZ-31: 100000 دج.");
  auto fr = c.PostJson(kPreview, body, Headers{{"Accept-Language", "fr"}});
  EXPECT_EQ(fr.Json()["error"]["message"],
            "Le montant de 150000 DA dépasse le plafond applicable dans la wilaya DZ-31 : 100000 DA.");
  // The same amount in Ouargla, a southern wilaya (ceiling 250,000 DA): 36 months after 3 of grace.
  auto south =
      c.PostJson(kPreview, R"({"product":"PNR","principal":150000,"disbursed_on":"2026-01-15","wilaya":"DZ-30"})");
  ASSERT_EQ(south.status, 200) << south.body;
  EXPECT_EQ(south.Json()["ceiling"], 250000);
  EXPECT_EQ(south.Json()["instalments"].size(), 36u);
  EXPECT_EQ(south.Json()["total"], 150000);
}

TEST_F(MicrocreditOverHttp, TriangularPreviewHasTwoLinkedLoans) {
  auto c = server_->Client();
  auto r = c.PostJson(kPreview, R"({"product":"TRIANGULAR","principal":1000000,"disbursed_on":"2026-02-01"})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  EXPECT_EQ(j["project_cost"], 1000000);
  EXPECT_EQ(j["personal_contribution"], 10000);
  ASSERT_EQ(j["loans"].size(), 2u);
  EXPECT_EQ(j["loans"][0]["lender"], "bank");
  EXPECT_EQ(j["loans"][0]["total"], 700000);
  EXPECT_EQ(j["loans"][0]["interest_subsidy_percent"], 100);
  EXPECT_EQ(j["loans"][0]["guarantee_fund"], true);
  EXPECT_EQ(j["loans"][0]["instalments"].size(), 60u);
  EXPECT_EQ(j["loans"][1]["lender"], "ANGEM");
  EXPECT_EQ(j["loans"][1]["total"], 290000);
  EXPECT_EQ(j["total"], 1000000);
}

TEST_F(MicrocreditOverHttp, BadInputIsRefusedNamingTheField) {
  auto c = server_->Client();
  struct Case {
    const char* body;
    int status;
    const char* reason;
    const char* field;
  };
  const Case cases[] = {
      {R"({"product":"XYZ","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400,
       "microcredit.product_unknown", "product"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-99"})", 400,
       "microcredit.wilaya_invalid", "wilaya"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15"})", 400, "field.required", "wilaya"},
      {R"({"product":"PNR","disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400, "field.required", "principal"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-02-30","wilaya":"DZ-31"})", 400, "", "disbursed_on"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2026-01-15","wilaya":"DZ-31","rate":1})", 400,
       "field.unknown", "rate"},
      {R"({"product":"PNR","principal":"40000","disbursed_on":"2026-01-15","wilaya":"DZ-31"})", 400, "", "principal"},
      {R"({"product":"PNR","principal":40000,"disbursed_on":"2018-01-15","wilaya":"DZ-31"})", 422,
       "microcredit.no_parameters", "disbursed_on"},
      {R"({"product":"TRIANGULAR","principal":1000001,"disbursed_on":"2026-01-15"})", 422, "microcredit.over_ceiling",
       "principal"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.body);
    auto r = c.PostJson(kPreview, k.body);
    ASSERT_EQ(r.status, k.status) << r.body;
    if (*k.reason) EXPECT_EQ(r.Json()["error"]["reason"], k.reason) << r.body;
    EXPECT_EQ(r.Json()["error"]["field"], k.field) << r.body;
  }
}

}  // namespace
}  // namespace sanad::testing
