// POST /dci/registry/sync/search on SQLite and PostgreSQL (SANAD_TEST_DB selects): valid searches by
// idtype-value and by predicate (identifiers normalised like the REST search), envelopes with missing
// or wrongly typed header fields refused with the protocol's rjct reason codes and a message, and
// wrongly typed search requests rejected one by one — never a 5xx.
#include <gtest/gtest.h>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

Json Envelope(const Json& requests) {
  return {{"signature", ""},
          {"header",
           {{"version", "1.0.0"},
            {"message_id", "m-1"},
            {"message_ts", "2026-01-01T00:00:00Z"},
            {"action", "search"},
            {"sender_id", "cnss"},
            {"receiver_id", "sanad"},
            {"total_count", requests.size()},
            {"is_msg_encrypted", false}}},
          {"message", {{"transaction_id", "t-1"}, {"search_request", requests}}}};
}

Json Request(const std::string& ref, const std::string& query_type, const Json& query) {
  return {{"reference_id", ref},
          {"timestamp", "2026-01-01T00:00:00Z"},
          {"search_criteria",
           {{"reg_type", "ns:org:RegistryType:Social"},
            {"reg_record_type", "Person"},
            {"query_type", query_type},
            {"query", query}}},
          {"locale", "eng"}};
}

Json Predicate(const std::string& attribute, const Json& value) {
  return Json::array(
      {{{"expression1", {{"attribute_name", attribute}, {"operator", "eq"}, {"attribute_value", value}}}}});
}

class Dci : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = new TestServer(options);
    auto c = server_->Client();
    partner_ = new std::string(*BearerToken(c, "cnss", server_->AddUser("cnss", {auth::Role::kPartnerSystem})));
    const std::string agent =
        *BearerToken(c, "agent", server_->AddUser("agent", {auth::Role::kDataEntry}, "MA-03.231"));
    const std::string coord =
        *BearerToken(c, "coord", server_->AddUser("coord", {auth::Role::kRegionalCoordinator}, "MA-03"));
    const Json household{
        {"kind", "create_household"},
        {"payload",
         {{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}, {"address", "12 Derb Lamtiyine"}}},
          {"members",
           {{{"relationship", "head"},
             {"given_name_ar", "محمد"},
             {"family_name_ar", "بن علي"},
             {"given_name_lat", "Mohamed"},
             {"family_name_lat", "Benali"},
             {"sex", "M"},
             {"birth_date", "1970-03-02"},
             {"national_id", "AB123456"},
             {"phone", "0612345678"}},
            {{"relationship", "spouse"},
             {"given_name_ar", "فاطمة"},
             {"family_name_ar", "العلوي"},
             {"sex", "F"},
             {"birth_date", "1975-01-01"}}}}}}};
    auto filed = c.PostJson("/api/v1/change-requests", household.dump(), Bearer(agent));
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto approved = c.PostJson(
        fmt::format("/api/v1/change-requests/{}/approve", filed.Json()["id"].get<std::int64_t>()), "{}", Bearer(coord));
    ASSERT_EQ(approved.status, 200) << approved.body;
    auto found = c.Get("/api/v1/persons?national_id=AB123456", Bearer(coord));
    ASSERT_EQ(found.status, 200);
    ASSERT_EQ(found.Json()["items"].size(), 1u) << found.body;
    record_id_ = new std::string(found.Json()["items"][0]["record_id"].get<std::string>());
  }
  static void TearDownTestSuite() {
    delete server_;
    delete partner_;
    delete record_id_;
  }

  static HttpResponse Search(const Json& envelope) {
    return server_->Client().PostJson("/dci/registry/sync/search", envelope.dump(), Bearer(*partner_));
  }
  // The one search_response of a one-request envelope.
  static Json Answer(const Json& request) {
    auto r = Search(Envelope(Json::array({request})));
    EXPECT_EQ(r.status, 200) << r.body;
    const Json j = r.Json();
    if (!j.contains("message") || j["message"]["search_response"].size() != 1) {
      ADD_FAILURE() << r.body;
      return Json::object();
    }
    return j["message"]["search_response"][0];
  }
  static std::vector<std::string> NationalIds(const Json& answer) {
    std::vector<std::string> out;
    if (!answer.contains("data")) return out;
    for (const auto& rec : answer["data"]["reg_records"]) {
      for (const auto& id : rec["identifier"]) {
        if (id["identifier_type"] == "national_id") out.push_back(id["identifier_value"]);
      }
    }
    return out;
  }

  static TestServer* server_;
  static std::string* partner_;
  static std::string* record_id_;
};

TestServer* Dci::server_ = nullptr;
std::string* Dci::partner_ = nullptr;
std::string* Dci::record_id_ = nullptr;

TEST_F(Dci, IdtypeValueSearchesFindThePersonByNationalIdPhoneAndRecordId) {
  const std::vector<std::pair<std::string, std::string>> ids = {{"national_id", "AB123456"},
                                                                {"national_id", "ab 123456"},
                                                                {"phone", "0612345678"},
                                                                {"phone", "+212612345678"},
                                                                {"record_id", *record_id_}};
  for (const auto& [type, value] : ids) {
    SCOPED_TRACE(std::string(type).append(" = ").append(value));
    const Json a = Answer(Request("r-1", "idtype-value", {{"type", type}, {"value", value}}));
    EXPECT_EQ(a["status"], "succ") << a.dump();
    EXPECT_EQ(NationalIds(a), std::vector<std::string>{"AB123456"}) << a.dump();
    EXPECT_EQ(a["reference_id"], "r-1");
  }
  const Json none = Answer(Request("r-2", "idtype-value", {{"type", "national_id"}, {"value", "ZZ999999"}}));
  EXPECT_EQ(none["status"], "succ");
  EXPECT_TRUE(none["data"]["reg_records"].empty());
}

// One reading of a phone search for every API: the DCI predicate and the REST search answer the same
// national-format number with the same person (stored in E.164).
TEST_F(Dci, ADciPhonePredicateAndTheRestPhoneSearchFindTheSamePerson) {
  auto c = server_->Client();
  const std::string reader = *BearerToken(c, "reader", server_->AddUser("reader", {auth::Role::kRegionalCoordinator}));
  const auto rest = c.Get("/api/v1/persons?phone=0612345678", Bearer(reader));
  ASSERT_EQ(rest.status, 200) << rest.body;
  ASSERT_EQ(rest.Json()["items"].size(), 1u) << rest.body;
  const Json dci = Answer(Request("same-1", "predicate", Predicate("phone", "0612345678")));
  ASSERT_EQ(dci["status"], "succ") << dci.dump();
  EXPECT_EQ(NationalIds(dci), std::vector<std::string>{rest.Json()["items"][0].value("national_id", "")})
      << dci.dump() << "\n"
      << rest.body;
}

TEST_F(Dci, PredicateSearchesNormalisePhonesAndIdsLikeTheRestSearch) {
  for (const auto& [attr, value] : std::vector<std::pair<std::string, std::string>>{{"phone", "0612345678"},
                                                                                    {"phone_number", "06 12 34 56 78"},
                                                                                    {"national_id", "ab123456"},
                                                                                    {"name", "Mohamed Benali"}}) {
    SCOPED_TRACE(std::string(attr).append(" = ").append(value));
    const Json a = Answer(Request("p-1", "predicate", Predicate(attr, value)));
    EXPECT_EQ(a["status"], "succ") << a.dump();
    EXPECT_EQ(NationalIds(a), std::vector<std::string>{"AB123456"}) << a.dump();
  }
  // Two expressions joined by "and", one of them an area.
  const Json both = Json::array(
      {{{"expression1", {{"attribute_name", "phone"}, {"operator", "eq"}, {"attribute_value", "0612345678"}}},
        {"condition", "and"},
        {"expression2", {{"attribute_name", "area"}, {"operator", "eq"}, {"attribute_value", "MA-03"}}}}});
  EXPECT_EQ(NationalIds(Answer(Request("p-2", "predicate", both))), std::vector<std::string>{"AB123456"});
  const Json elsewhere = Json::array(
      {{{"expression1", {{"attribute_name", "phone"}, {"operator", "eq"}, {"attribute_value", "0612345678"}}},
        {"condition", "and"},
        {"expression2", {{"attribute_name", "area"}, {"operator", "eq"}, {"attribute_value", "MA-06"}}}}});
  EXPECT_TRUE(NationalIds(Answer(Request("p-3", "predicate", elsewhere))).empty());
  // Households.
  Json groups = Request("p-4", "predicate", Predicate("national_id", "AB123456"));
  groups["search_criteria"]["reg_record_type"] = "Group";
  const Json g = Answer(groups);
  ASSERT_EQ(g["status"], "succ") << g.dump();
  ASSERT_EQ(g["data"]["reg_records"].size(), 1u);
  EXPECT_EQ(g["data"]["reg_records"][0]["member_count"], 2);
}

TEST_F(Dci, EnvelopesWithMissingOrWronglyTypedHeaderFieldsAreRefusedWithReasonCodes) {
  const Json good =
      Envelope(Json::array({Request("r-1", "idtype-value", {{"type", "national_id"}, {"value", "AB123456"}})}));
  struct Case {
    std::string name;
    std::function<void(Json&)> change;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"no header", [](Json& e) { e.erase("header"); }, "rjct.action.invalid"},
      {"header is a string", [](Json& e) { e["header"] = "h"; }, "rjct.action.invalid"},
      {"version is a number", [](Json& e) { e["header"]["version"] = 1; }, "rjct.version.invalid"},
      {"version 2", [](Json& e) { e["header"]["version"] = "2.0.0"; }, "rjct.version.invalid"},
      {"no message_id", [](Json& e) { e["header"].erase("message_id"); }, "rjct.message_id.invalid"},
      {"message_id is a number", [](Json& e) { e["header"]["message_id"] = 5; }, "rjct.message_id.invalid"},
      {"no message_ts", [](Json& e) { e["header"].erase("message_ts"); }, "rjct.message_ts.invalid"},
      {"message_ts is an array", [](Json& e) { e["header"]["message_ts"] = Json::array(); }, "rjct.message_ts.invalid"},
      {"no action", [](Json& e) { e["header"].erase("action"); }, "rjct.action.invalid"},
      {"action is a number", [](Json& e) { e["header"]["action"] = 7; }, "rjct.action.invalid"},
      {"action subscribe", [](Json& e) { e["header"]["action"] = "subscribe"; }, "rjct.action.invalid"},
      {"sender_id is an object", [](Json& e) { e["header"]["sender_id"] = Json::object(); }, "rjct.sender_id.invalid"},
      {"receiver_id is a boolean", [](Json& e) { e["header"]["receiver_id"] = true; }, "rjct.receiver_id.invalid"},
      {"is_msg_encrypted is a string", [](Json& e) { e["header"]["is_msg_encrypted"] = "no"; },
       "rjct.is_msg_encrypted.invalid"},
      {"encrypted", [](Json& e) { e["header"]["is_msg_encrypted"] = true; }, "rjct.action.not_supported"},
      {"total_count is a string", [](Json& e) { e["header"]["total_count"] = "1"; }, "rjct.total_count.invalid"},
      {"total_count is negative", [](Json& e) { e["header"]["total_count"] = -1; }, "rjct.total_count.invalid"},
      {"total_count is a float", [](Json& e) { e["header"]["total_count"] = 1.0; }, "rjct.total_count.invalid"},
      {"no message", [](Json& e) { e.erase("message"); }, "rjct.transaction_id.invalid"},
      {"transaction_id is a number", [](Json& e) { e["message"]["transaction_id"] = 9; },
       "rjct.transaction_id.invalid"},
      {"search_request is an object", [](Json& e) { e["message"]["search_request"] = Json::object(); },
       "rjct.total_count.invalid"},
      {"search_request is empty", [](Json& e) { e["message"]["search_request"] = Json::array(); },
       "rjct.total_count.invalid"},
      {"101 search requests",
       [](Json& e) {
         e["message"]["search_request"] = Json(std::vector<Json>(101, e["message"]["search_request"][0]));
         e["header"].erase("total_count");
       },
       "rjct.total_count.limit_exceeded"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    Json e = good;
    k.change(e);
    auto r = Search(e);
    EXPECT_EQ(r.status, 400) << r.body;
    const Json j = r.Json();
    ASSERT_TRUE(j.contains("header")) << r.body;
    EXPECT_EQ(j["header"]["status"], "rjct");
    EXPECT_EQ(j["header"]["status_reason_code"], k.code) << r.body;
    EXPECT_FALSE(j["header"].value("status_reason_message", "").empty()) << r.body;
  }
  EXPECT_EQ(Search(good).status, 200);
}

TEST_F(Dci, WronglyTypedSearchRequestsAreRejectedOneByOne) {
  const Json base = Request("r", "idtype-value", {{"type", "national_id"}, {"value", "AB123456"}});
  struct Case {
    std::string name;
    std::function<void(Json&)> change;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"reference_id is a number", [](Json& q) { q["reference_id"] = 5; }, "rjct.reference_id.invalid"},
      {"timestamp is a number", [](Json& q) { q["timestamp"] = 5; }, "rjct.timestamp.invalid"},
      {"locale is a number", [](Json& q) { q["locale"] = 5; }, "rjct.locale.invalid"},
      {"search_criteria is a string", [](Json& q) { q["search_criteria"] = "x"; }, "rjct.search_criteria.invalid"},
      {"reg_type is a number", [](Json& q) { q["search_criteria"]["reg_type"] = 1; }, "rjct.search_criteria.invalid"},
      {"reg_record_type is an array", [](Json& q) { q["search_criteria"]["reg_record_type"] = Json::array(); },
       "rjct.search_criteria.invalid"},
      {"query_type is a number", [](Json& q) { q["search_criteria"]["query_type"] = 3; },
       "rjct.search_criteria.invalid"},
      {"query is a string", [](Json& q) { q["search_criteria"]["query"] = "AB123456"; },
       "rjct.search_criteria.invalid"},
      {"value is a number", [](Json& q) { q["search_criteria"]["query"]["value"] = 123456; },
       "rjct.search_criteria.invalid"},
      {"page_size is a string",
       [](Json& q) {
         q["search_criteria"]["pagination"] = {{"page_size", "10"}};
       },
       "rjct.pagination.invalid"},
      {"page_number is huge",
       [](Json& q) {
         q["search_criteria"]["pagination"] = {{"page_number", 18446744073709551615ull}};
       },
       "rjct.pagination.invalid"},
      {"name search too deep",
       [](Json& q) {
         q["search_criteria"]["query_type"] = "predicate";
         q["search_criteria"]["query"] = Predicate("name", "Mohamed");
         q["search_criteria"]["pagination"] = {{"page_size", 1000}, {"page_number", 50}};
       },
       "rjct.pagination.invalid"},
      {"operator is a number",
       [](Json& q) {
         q["search_criteria"]["query_type"] = "predicate";
         q["search_criteria"]["query"] = Predicate("phone", "0612345678");
         q["search_criteria"]["query"][0]["expression1"]["operator"] = 1;
       },
       "rjct.search_criteria.invalid"},
      {"condition is a number",
       [](Json& q) {
         q["search_criteria"]["query_type"] = "predicate";
         q["search_criteria"]["query"] = Predicate("phone", "0612345678");
         q["search_criteria"]["query"][0]["condition"] = 1;
       },
       "rjct.search_criteria.invalid"},
      {"attribute_value is an object",
       [](Json& q) {
         q["search_criteria"]["query_type"] = "predicate";
         q["search_criteria"]["query"] = Predicate("phone", Json::object());
       },
       "rjct.search_criteria.invalid"},
      {"an invalid phone",
       [](Json& q) {
         q["search_criteria"]["query_type"] = "predicate";
         q["search_criteria"]["query"] = Predicate("phone", "12");
       },
       "rjct.search_criteria.invalid"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    Json q = base;
    k.change(q);
    const Json a = Answer(q);
    EXPECT_EQ(a["status"], "rjct") << a.dump();
    EXPECT_EQ(a["status_reason_code"], k.code) << a.dump();
    EXPECT_FALSE(a.value("status_reason_message", "").empty());
  }
  // Duplicated reference ids in one message.
  auto r = Search(Envelope(Json::array({base, base})));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["message"]["search_response"][0]["status"], "succ");
  EXPECT_EQ(r.Json()["message"]["search_response"][1]["status_reason_code"], "rjct.reference_id.duplicate");
  auto metrics = server_->Client().Get("/metrics").body;
  EXPECT_EQ(CountRequests(metrics, "5"), 0) << metrics;
}

}  // namespace
}  // namespace sanad::testing
