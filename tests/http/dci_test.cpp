// The SPDCI API on SQLite and PostgreSQL (SANAD_TEST_DB selects). Sync search: valid searches by
// idtype-value and by predicate (identifiers normalised like the REST search), envelopes with missing
// or wrongly typed header fields refused with the protocol's rjct reason codes and a message, and
// wrongly typed search requests rejected one by one — never a 5xx; expression queries and sorting.
// Partners (DciPartners): async search with callbacks retried by the outbox to a receiver the test runs
// on 127.0.0.1, transaction status, subscriptions notified after an approved change, area scope,
// signatures.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "dci/signature.h"

#include "stand_in_server.h"
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
    // The schema's object form: the national ID (NIN) when the person has one.
    for (const auto& rec : answer["data"]["reg_records"]) {
      if (rec["identifier"]["identifier_type"] == "NIN") out.push_back(rec["identifier"]["identifier_value"]);
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

// A deployment without a signing key publishes none (its messages go unsigned, docs/dci.md).
TEST_F(Dci, WithoutASigningKeyNoPublicKeyIsPublished) {
  auto r = server_->Client().Get("/dci/public-key");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.Json()["error"]["reason"], "dci.no_signing_key") << r.body;
}

// ... and answers unsigned, as before a key is configured.
TEST_F(Dci, WithoutASigningKeySyncAnswersGoUnsigned) {
  auto r = Search(Envelope(Json::array({Request("r-1", "idtype-value", {{"type", "NIN"}, {"value", "AB123456"}})})));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["signature"], "");
}

// The router's lookup of literal paths (http/server.cpp) keeps the table's precedence: a literal route
// that an earlier route with a parameter also matches still goes to the earlier one; a path the router
// normalises (percent-encoding) or extends (a trailing slash) reaches the same route as before.
TEST(Router, LiteralPathsKeepTheRouteTablesPrecedence) {
  // The router does not read the database: one run (SQLite) spares PostgreSQL a fresh database.
  if (BackendFromEnv() == Backend::kPostgres) GTEST_SKIP() << "the router is the same on every database";
  TestServerOptions o;
  o.db_url = FreshDatabaseUrl(Backend::kSqlite);
  o.routes = [](api::Services& s) {
    http::RouteTable t = api::BuildRoutes(s);
    auto answer = [](const char* what) {
      return [what](http::Request&) { return http::JsonResponse(200, Json{{"route", what}}.dump()); };
    };
    t.push_back({"GET", "/api/v1/probe/:name", auth::Permission::kPublic, answer("param")});
    t.push_back({"GET", "/api/v1/probe/fixed", auth::Permission::kPublic, answer("shadowed")});
    t.push_back({"GET", "/api/v1/probe2/fixed", auth::Permission::kPublic, answer("literal")});
    t.push_back({"POST", "/api/v1/probe2/fixed", auth::Permission::kPublic, answer("literal post")});
    return t;
  };
  TestServer server(o);
  auto c = server.Client();
  EXPECT_EQ(c.Get("/api/v1/probe/fixed").Json()["route"], "param");
  EXPECT_EQ(c.Get("/api/v1/probe2/fixed").Json()["route"], "literal");
  EXPECT_EQ(c.Request("POST", "/api/v1/probe2/fixed", "{}", {{"Content-Type", "application/json"}}).Json()["route"],
            "literal post");
  EXPECT_EQ(c.Get("/api/v1/probe2/fixed/").Json()["route"], "literal");
  EXPECT_EQ(c.Get("/api/v1/probe2/%66ixed").Json()["route"], "literal");
  EXPECT_EQ(c.Get("/api/v1/probe2/fixed?x=1").Json()["route"], "literal");
  EXPECT_EQ(c.Request("DELETE", "/api/v1/probe2/fixed", "", {}).status, 405);
}

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
  EXPECT_EQ(g["data"]["reg_records"][0]["group_size"], 2);
  EXPECT_EQ(g["data"]["reg_records"][0]["member_list"].size(), 2u);
  EXPECT_EQ(g["data"]["reg_records"][0]["group_identifier"]["identifier_type"], "HOUSEHOLD_ID");
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
      {"no message_id", [](Json& e) { e["header"].erase("message_id"); }, "err.request.bad"},
      {"message_id is a number", [](Json& e) { e["header"]["message_id"] = 5; }, "err.request.bad"},
      {"no message_ts", [](Json& e) { e["header"].erase("message_ts"); }, "rjct.message_ts.invalid"},
      {"message_ts is an array", [](Json& e) { e["header"]["message_ts"] = Json::array(); }, "rjct.message_ts.invalid"},
      {"no action", [](Json& e) { e["header"].erase("action"); }, "rjct.action.invalid"},
      {"action is a number", [](Json& e) { e["header"]["action"] = 7; }, "rjct.action.invalid"},
      {"action subscribe", [](Json& e) { e["header"]["action"] = "subscribe"; }, "rjct.action.invalid"},
      {"sender_id is an object", [](Json& e) { e["header"]["sender_id"] = Json::object(); }, "err.sender_id.invalid"},
      {"receiver_id is a boolean", [](Json& e) { e["header"]["receiver_id"] = true; }, "err.receiver_id.invalid"},
      {"is_msg_encrypted is a string", [](Json& e) { e["header"]["is_msg_encrypted"] = "no"; }, "err.request.bad"},
      {"encrypted", [](Json& e) { e["header"]["is_msg_encrypted"] = true; }, "rjct.action.not_supported"},
      {"total_count is a string", [](Json& e) { e["header"]["total_count"] = "1"; }, "rjct.total_count.invalid"},
      {"total_count is negative", [](Json& e) { e["header"]["total_count"] = -1; }, "rjct.total_count.invalid"},
      {"total_count is a float", [](Json& e) { e["header"]["total_count"] = 1.0; }, "rjct.total_count.invalid"},
      {"no message", [](Json& e) { e.erase("message"); }, "err.request.bad"},
      {"transaction_id is a number", [](Json& e) { e["message"]["transaction_id"] = 9; }, "err.request.bad"},
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
    // A well-formed message of the answer's shape, and the spec's HttpErrorResponse list.
    EXPECT_TRUE(j["message"]["search_response"].is_array()) << r.body;
    EXPECT_TRUE(j["message"]["correlation_id"].is_string()) << r.body;
    EXPECT_EQ(j["errors"][0]["code"], k.code) << r.body;
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
      {"locale is a number", [](Json& q) { q["locale"] = 5; }, "rjct.search_criteria.invalid"},
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

TEST_F(Dci, ExpressionQueriesAndSortingFollowTheSpec) {
  // The spec's expression form: {type, value: {expression: {collection, query: {$and: [...]}}}}.
  const Json expression{
      {"type", "ns:org:QueryType:expression"},
      {"value",
       {{"expression",
         {{"collection", "Person"}, {"query", {{"$and", Json::array({{{"national_id", {{"$eq", "AB123456"}}}}})}}}}}}}};
  const Json a = Answer(Request("e-1", "expression", expression));
  ASSERT_EQ(a["status"], "succ") << a.dump();
  EXPECT_EQ(NationalIds(a), std::vector<std::string>{"AB123456"});
  const Json& rec = a["data"]["reg_records"][0];
  EXPECT_EQ(rec["name"]["given_name"], "Mohamed");  // locale eng: Latin names first
  EXPECT_EQ(rec["additional_identifiers"][0]["identifier_type"], "RECORD_ID");
  EXPECT_EQ(rec["additional_identifiers"][0]["identifier_value"], *record_id_);
  // An operator the registry cannot answer is a rejection naming it.
  Json unsupported = expression;
  unsupported["value"]["expression"]["query"] = {{"$or", Json::array()}};
  const Json r = Answer(Request("e-2", "expression", unsupported));
  EXPECT_EQ(r["status_reason_code"], "rjct.search_criteria.invalid");
  EXPECT_NE(r["status_reason_message"].get<std::string>().find("$or"), std::string::npos) << r.dump();
  // Arabic names first in Arabic.
  Json ara = Request("e-3", "expression", expression);
  ara["locale"] = "ara";
  EXPECT_EQ(Answer(ara)["data"]["reg_records"][0]["name"]["given_name"], "محمد");
  // Sorting: by birth date, both directions, in the area.
  Json sorted = Request("s-1", "predicate", Predicate("area", "MA-03"));
  sorted["search_criteria"]["sort"] = Json::array({{{"attribute_name", "birth_date"}, {"sort_order", "desc"}}});
  const Json desc = Answer(sorted);
  ASSERT_EQ(desc["status"], "succ") << desc.dump();
  ASSERT_GE(desc["data"]["reg_records"].size(), 2u);
  EXPECT_GE(desc["data"]["reg_records"][0]["birth_date"].get<std::string>(),
            desc["data"]["reg_records"][1]["birth_date"].get<std::string>());
  sorted["search_criteria"]["sort"][0]["attribute_name"] = "shoe_size";
  EXPECT_EQ(Answer(sorted)["status_reason_code"], "rjct.sort.invalid");
  // The spec's operators and conditions: or, ge, in, not; age.
  auto count = [](const Json& q) {
    const Json a = Answer(Request("c", "predicate", q));
    EXPECT_EQ(a["status"], "succ") << a.dump();
    EXPECT_EQ(a["pagination"]["total_count"], a["data"]["reg_records"].size()) << a.dump();
    return a["data"]["reg_records"].size();
  };
  auto expr = [](const char* attr, const char* op, const Json& v) {
    return Json{{"attribute_name", attr}, {"operator", op}, {"attribute_value", v}};
  };
  EXPECT_EQ(count(Json::array({{{"expression1", expr("birth_date", "lt", "1972-01-01")},
                                {"condition", "or"},
                                {"expression2", expr("sex", "eq", "F")}}})),
            2u);
  EXPECT_EQ(count(Json::array({{{"expression1", expr("birth_date", "ge", "1972-01-01")}}})), 1u);
  EXPECT_EQ(count(Json::array({{{"expression1", expr("national_id", "in", Json::array({"AB123456", "ZZ1"}))}}})), 1u);
  EXPECT_EQ(count(Json::array({{{"expression1", expr("area", "eq", "MA-03")},
                                {"condition", "not"},
                                {"expression2", expr("sex", "eq", "M")}}})),
            1u);
  EXPECT_EQ(count(Json::array({{{"expression1", expr("age", "lt", 18)}}})), 0u);
  EXPECT_EQ(count(Json::array({{{"expression1", expr("age", "ge", 18)}}})), 2u);
  const Json unknown =
      Answer(Request("c-9", "predicate", Json::array({{{"expression1", expr("shoe_size", "lt", 2)}}})));
  EXPECT_EQ(unknown["status_reason_code"], "rjct.search_criteria.invalid");
}

Headers JsonAuth(const std::string& token) {
  Headers h = Bearer(token);
  h.emplace_back("Content-Type", "application/json");
  return h;
}

Json AsyncEnvelope(const std::string& action, const std::string& txn, const Json& message_fields,
                   const std::string& sender_uri = "") {
  Json header{{"version", "1.0.0"}, {"message_id", "m-" + txn}, {"message_ts", "2026-01-01T00:00:00Z"},
              {"action", action},   {"sender_id", "cnss"},      {"receiver_id", "sanad"},
              {"total_count", 1},   {"is_msg_encrypted", false}};
  if (!sender_uri.empty()) header["sender_uri"] = sender_uri;
  Json message = message_fields;
  message["transaction_id"] = txn;
  return {{"signature", ""}, {"header", header}, {"message", message}};
}

// Async search, transaction status, subscriptions and notifications, partners' scope and signatures,
// with a partner system the test runs on 127.0.0.1 (callbacks delivered by the outbox worker).
class DciPartners : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    receiver_ = new CallbackReceiver(/*fail_first=*/2);
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    options.dci_outbox.signing_key = dci::GenerateOwnKey();  // Sanad signs what it sends
    server_ = new TestServer(options);
    auto c = server_->Client();
    admin_ = new std::string(*BearerToken(c, "root", server_->AddUser("root", {auth::Role::kAdmin})));
    // A partner of the Casablanca-Settat region (MA-06) and one that must sign, national.
    partner_ =
        new std::string(*BearerToken(c, "cnss", server_->AddUser("cnss", {auth::Role::kPartnerSystem}, "MA-06")));
    signer_ = new std::string(*BearerToken(c, "cdg", server_->AddUser("cdg", {auth::Role::kPartnerSystem})));
    keys_ = new dci::KeyPair(dci::GenerateKeyPair());
    coord_ = new std::string(*BearerToken(c, "coord", server_->AddUser("coord", {auth::Role::kAdmin})));
    ASSERT_EQ(c.Request("PUT", "/api/v1/dci/partners/cnss",
                        Json{{"callback_url", receiver_->Url()}, {"record_types", {"Person", "Group"}}}.dump(),
                        JsonAuth(*admin_))
                  .status,
              200);
    ASSERT_EQ(c.Request("PUT", "/api/v1/dci/partners/cdg",
                        Json{{"callback_url", receiver_->Url()},
                             {"public_key", keys_->public_key},
                             {"must_sign", true},
                             {"record_types", {"Person"}}}
                            .dump(),
                        JsonAuth(*admin_))
                  .status,
              200);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete receiver_;
    delete admin_;
    delete partner_;
    delete signer_;
    delete coord_;
    delete keys_;
  }
  static HttpResponse Post(const std::string& path, const Json& envelope, const std::string& token) {
    return server_->Client().PostJson(path, envelope.dump(), Bearer(token));
  }
  // What a partner does with a callback: verifies Sanad's signature with the key GET /dci/public-key
  // publishes (no account needed), naming the published key id; the same message changed must fail.
  static void ExpectSignedBySanad(const Json& body) {
    auto published = server_->Client().Get("/dci/public-key");
    ASSERT_EQ(published.status, 200) << published.body;
    const Json key = published.Json();
    EXPECT_EQ(key["algorithm"], "ed25519");
    EXPECT_EQ(key["kid"], "sanad|" + key["key_id"].get<std::string>() + "|ed25519");
    const std::string signature = body.value("signature", "");
    EXPECT_NE(signature.find("kidId=\"" + key["kid"].get<std::string>() + "\""), std::string::npos) << signature;
    const long long now = dci::UnixSeconds(server_->clock().Now());
    auto ok = dci::Verify(body, signature, key["public_key"], now);
    EXPECT_TRUE(ok) << (ok ? "" : ok.error().message);
    Json tampered = body;
    tampered["message"]["tampered"] = true;
    EXPECT_FALSE(dci::Verify(tampered, signature, key["public_key"], now));
    // Another key (a forger's) does not verify it either.
    EXPECT_FALSE(dci::Verify(body, signature, dci::GenerateKeyPair().public_key, now));
  }
  // Files and approves a household of one person in `commune` (an administrator both files and reviews).
  static void Register(const std::string& commune, const std::string& national_id) {
    auto c = server_->Client();
    const Json household{{"kind", "create_household"},
                         {"payload",
                          {{"household", {{"commune_code", commune}, {"urban", true}, {"address", "1 rue"}}},
                           {"members",
                            {{{"relationship", "head"},
                              {"given_name_lat", "Amina"},
                              {"family_name_lat", "Tazi"},
                              {"sex", "F"},
                              {"birth_date", "1980-05-05"},
                              {"national_id", national_id}}}}}}};
    auto filed = c.PostJson("/api/v1/change-requests", household.dump(), Bearer(*coord_));
    ASSERT_EQ(filed.status, 201) << filed.body;
    auto approved =
        c.PostJson(fmt::format("/api/v1/change-requests/{}/approve", filed.Json()["id"].get<std::int64_t>()), "{}",
                   Bearer(*admin_));
    ASSERT_EQ(approved.status, 200) << approved.body;
  }
  static Json SearchBy(const std::string& national_id) {
    return {{"search_request",
             Json::array({{{"reference_id", "ref-" + national_id},
                           {"timestamp", "2026-01-01T00:00:00Z"},
                           {"search_criteria",
                            {{"reg_type", "ns:org:RegistryType:Social"},
                             {"reg_record_type", "Person"},
                             {"query_type", "idtype-value"},
                             {"query", {{"type", "NIN"}, {"value", national_id}}},
                             {"consent", {{"purpose", {{"text", "eligibility check"}, {"code", "ELIG"}}}}}}}}})}};
  }

  static CallbackReceiver* receiver_;
  static TestServer* server_;
  static std::string *admin_, *partner_, *signer_, *coord_;
  static dci::KeyPair* keys_;
};

CallbackReceiver* DciPartners::receiver_ = nullptr;
TestServer* DciPartners::server_ = nullptr;
std::string* DciPartners::admin_ = nullptr;
std::string* DciPartners::partner_ = nullptr;
std::string* DciPartners::signer_ = nullptr;
std::string* DciPartners::coord_ = nullptr;
dci::KeyPair* DciPartners::keys_ = nullptr;

TEST_F(DciPartners, AnAsyncSearchIsAcknowledgedThenCalledBackAfterRetriesAndItsStatusReadBack) {
  ASSERT_NO_FATAL_FAILURE(Register("MA-06.371.01.01", "BK111111"));
  auto ack = Post("/dci/registry/search", AsyncEnvelope("search", "t-async", SearchBy("BK111111")), *partner_);
  ASSERT_EQ(ack.status, 200) << ack.body;
  ASSERT_EQ(ack.Json()["message"]["ack_status"], "ACK") << ack.body;
  const std::string correlation = ack.Json()["message"]["correlation_id"];
  // The receiver fails the first two deliveries: the outbox retries until it takes it.
  auto call = receiver_->WaitFor([&](const CallbackReceiver::Call& c) {
    return c.body.is_object() && c.body["message"].value("correlation_id", "") == correlation;
  });
  ASSERT_TRUE(call) << "no on-search callback";
  EXPECT_EQ(call->path, "/registry/on-search");
  EXPECT_EQ(call->body["header"]["action"], "on-search");
  EXPECT_EQ(call->body["message"]["transaction_id"], "t-async");
  ExpectSignedBySanad(call->body);
  const Json& rec = call->body["message"]["search_response"][0]["data"]["reg_records"][0];
  EXPECT_EQ(rec["identifier"]["identifier_value"], "BK111111") << call->body.dump();
  EXPECT_GE(receiver_->attempts(), 3);
  // The purpose is in the audit.
  auto audit = server_->Client().Get("/api/v1/audit?action=search&limit=50", Bearer(*admin_));
  EXPECT_NE(audit.body.find("eligibility check"), std::string::npos) << audit.body;
  // Transaction status, sync: the answer sent.
  Json status_query{{"txnstatus_request",
                     {{"reference_id", "s-1"},
                      {"txn_type", "search"},
                      {"attribute_type", "transaction_id"},
                      {"attribute_value", "t-async"}}}};
  auto st = Post("/dci/registry/sync/txn/status", AsyncEnvelope("txn-status", "t-status", status_query), *partner_);
  ASSERT_EQ(st.status, 200) << st.body;
  EXPECT_EQ(st.Json()["header"]["action"], "txn-on-status");
  EXPECT_EQ(st.Json()["message"]["txnstatus_response"]["txn_status"]["correlation_id"], correlation) << st.body;
  // Async: an ACK, then txn-on-status at the callback URL.
  auto ack2 = Post("/dci/registry/txn/status", AsyncEnvelope("txn-status", "t-status2", status_query), *partner_);
  ASSERT_EQ(ack2.status, 200) << ack2.body;
  const std::string corr2 = ack2.Json()["message"]["correlation_id"];
  auto call2 = receiver_->WaitFor([&](const CallbackReceiver::Call& c) {
    return c.body.is_object() && c.body["message"].value("correlation_id", "") == corr2;
  });
  ASSERT_TRUE(call2);
  EXPECT_EQ(call2->path, "/registry/txn/on-status");
  EXPECT_EQ(call2->body["header"]["action"], "txn-on-status");
  // Another partner cannot read this transaction.
  auto other = Post("/dci/registry/sync/txn/status", AsyncEnvelope("txn-status", "t-x", status_query), *admin_);
  ASSERT_EQ(other.status, 200) << other.body;
  EXPECT_TRUE(other.Json()["message"]["txnstatus_response"]["txn_status"]["search_response"].empty()) << other.body;
}

// The synchronous answers are signed like the callbacks: a sync search, a refusal, an ACK and a sync
// transaction status each verify with the published key (and fail once changed or with another key).
TEST_F(DciPartners, SyncAnswersAcksAndRefusalsAreSignedWithThePublishedKey) {
  ASSERT_NO_FATAL_FAILURE(Register("MA-06.371.01.01", "BK777777"));
  auto found =
      Post("/dci/registry/sync/search", AsyncEnvelope("search", "t-sync-signed", SearchBy("BK777777")), *partner_);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.Json()["message"]["search_response"][0]["data"]["reg_records"][0]["identifier"]["identifier_value"],
            "BK777777")
      << found.body;
  ExpectSignedBySanad(found.Json());
  // A refused envelope (wrong action): its header and message are signed; its errors list is outside.
  auto refused =
      Post("/dci/registry/sync/search", AsyncEnvelope("subscribe", "t-refused", SearchBy("BK777777")), *partner_);
  ASSERT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["header"]["status_reason_code"], "rjct.action.invalid");
  ExpectSignedBySanad(refused.Json());
  // A transaction_id over 99 bytes is refused and echoed cut at 99, inside a two-byte character here:
  // still a signed 400, never a 500.
  std::string long_id;
  for (int i = 0; i < 50; ++i) long_id += "\u00e9";
  auto too_long = Post("/dci/registry/sync/search", AsyncEnvelope("search", long_id, SearchBy("BK777777")), *partner_);
  ASSERT_EQ(too_long.status, 400) << too_long.body;
  EXPECT_EQ(too_long.Json()["errors"][0]["code"], "err.request.bad");
  ExpectSignedBySanad(too_long.Json());
  // An ACK (no header: its message alone is signed).
  auto ack = Post("/dci/registry/search", AsyncEnvelope("search", "t-ack-signed", SearchBy("BK777777")), *partner_);
  ASSERT_EQ(ack.status, 200) << ack.body;
  EXPECT_EQ(ack.Json()["message"]["ack_status"], "ACK");
  ExpectSignedBySanad(ack.Json());
  Json status_query{{"txnstatus_request",
                     {{"reference_id", "s-1"},
                      {"txn_type", "search"},
                      {"attribute_type", "transaction_id"},
                      {"attribute_value", "t-ack-signed"}}}};
  auto st = Post("/dci/registry/sync/txn/status", AsyncEnvelope("txn-status", "t-st-signed", status_query), *partner_);
  ASSERT_EQ(st.status, 200) << st.body;
  ExpectSignedBySanad(st.Json());
}

TEST_F(DciPartners, APartnerNeverReceivesAnotherRegionsRecord) {
  ASSERT_NO_FATAL_FAILURE(Register("MA-03.231.01.03", "BK222222"));
  auto r = Post("/dci/registry/sync/search", AsyncEnvelope("search", "t-scope", SearchBy("BK222222")), *partner_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Json()["message"]["search_response"][0]["data"]["reg_records"].empty()) << r.body;
  // A record type the partner is not registered for.
  Json groups = SearchBy("BK222222");
  groups["search_request"][0]["search_criteria"]["reg_record_type"] = "Group";
  Json env = AsyncEnvelope("search", "t-grp", groups);
  auto signed_env = dci::Sign(
      env, keys_->secret_key, "cdg|k1|ed25519",
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  ASSERT_TRUE(signed_env);
  env["signature"] = *signed_env;
  auto g = Post("/dci/registry/sync/search", env, *signer_);
  ASSERT_EQ(g.status, 200) << g.body;
  EXPECT_EQ(g.Json()["message"]["search_response"][0]["status_reason_code"], "rjct.search_criteria.invalid");
}

TEST_F(DciPartners, APartnerThatMustSignHasUnsignedAndBadlySignedMessagesRefused) {
  Json env = AsyncEnvelope("search", "t-sig", SearchBy("BK111111"));
  auto unsigned_msg = Post("/dci/registry/sync/search", env, *signer_);
  EXPECT_EQ(unsigned_msg.status, 401) << unsigned_msg.body;
  EXPECT_EQ(unsigned_msg.Json()["errors"][0]["code"], "err.signature.missing");
  env["signature"] = "invalid-signature";
  auto bad = Post("/dci/registry/sync/search", env, *signer_);
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Json()["errors"][0]["code"], "err.signature.invalid");
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  env["signature"] = *dci::Sign(env, keys_->secret_key, "cdg|k1|ed25519", now);
  EXPECT_EQ(Post("/dci/registry/sync/search", env, *signer_).status, 200);
  // Signed, then changed on the way.
  env["message"]["search_request"][0]["search_criteria"]["query"]["value"] = "BK222222";
  auto tampered = Post("/dci/registry/sync/search", env, *signer_);
  EXPECT_EQ(tampered.status, 401);
  EXPECT_EQ(tampered.Json()["errors"][0]["code"], "err.signature.invalid");
}

TEST_F(DciPartners, SubscribersAreNotifiedOncePerApprovedChangeInTheirScopeAndUnsubscribeStopsIt) {
  Json sub{{"subscribe_request", Json::array({{{"reference_id", "sub-1"},
                                               {"timestamp", "2026-01-01T00:00:00Z"},
                                               {"subscribe_criteria",
                                                {{"reg_type", "ns:org:RegistryType:Social"},
                                                 {"reg_event_type", "REGISTER"},
                                                 {"notify_record_type", "Person"},
                                                 {"filter", Json::object()}}}}})}};
  auto ack = Post("/dci/registry/subscribe", AsyncEnvelope("subscribe", "t-sub", sub), *partner_);
  ASSERT_EQ(ack.status, 200) << ack.body;
  const std::string corr = ack.Json()["message"]["correlation_id"];
  auto on_sub = receiver_->WaitFor([&](const CallbackReceiver::Call& c) {
    return c.path == "/registry/on-subscribe" && c.body["message"].value("correlation_id", "") == corr;
  });
  ASSERT_TRUE(on_sub);
  const Json& answer = on_sub->body["message"]["subscribe_response"][0];
  ASSERT_EQ(answer["status"], "succ") << on_sub->body.dump();
  const std::string code = answer["subscriptions"][0]["code"];
  // A registration in the partner's region is notified; one in another region is not.
  ASSERT_NO_FATAL_FAILURE(Register("MA-03.231.01.03", "BK333333"));
  ASSERT_NO_FATAL_FAILURE(Register("MA-06.371.01.01", "BK444444"));
  auto notified = receiver_->WaitFor([&](const CallbackReceiver::Call& c) {
    return c.path == "/registry/notify" && c.body["message"].value("subscription_code", "") == code &&
           c.body.dump().find("BK444444") != std::string::npos;
  });
  ASSERT_TRUE(notified) << "no notification";
  EXPECT_EQ(notified->body["header"]["action"], "notify");
  ExpectSignedBySanad(notified->body);
  EXPECT_EQ(notified->body["message"]["notify_event"][0]["data"]["reg_event_type"], "REGISTER");
  auto count = [&](const std::string& nid) {
    int n = 0;
    for (const auto& c : receiver_->Calls())
      if (c.path == "/registry/notify" && c.body["message"].value("subscription_code", "") == code &&
          c.body.dump().find(nid) != std::string::npos)
        ++n;
    return n;
  };
  // Every queued callback is out once the outbox is empty.
  EXPECT_EQ(server_->application().dci_outbox().RunOnce().value_or(99), 0u);
  EXPECT_EQ(count("BK444444"), 1);
  EXPECT_EQ(count("BK333333"), 0);
  // Catching up again queues nothing new (exactly once per subscription and change).
  EXPECT_EQ(server_->application().dci_notifier().CatchUp().value_or(99), 0u);
  // Unsubscribe: ACK, on-unsubscribe, and no notification afterwards.
  Json unsub{{"timestamp", "2026-01-01T00:00:00Z"}, {"subscription_codes", Json::array({code})}};
  auto un = Post("/dci/registry/unsubscribe", AsyncEnvelope("unsubscribe", "t-unsub", unsub), *partner_);
  ASSERT_EQ(un.status, 200) << un.body;
  const std::string corr3 = un.Json()["message"]["correlation_id"];
  auto on_unsub = receiver_->WaitFor([&](const CallbackReceiver::Call& c) {
    return c.path == "/registry/on-unsubscribe" && c.body["message"].value("correlation_id", "") == corr3;
  });
  ASSERT_TRUE(on_unsub);
  EXPECT_EQ(on_unsub->body["message"]["status"], "succ") << on_unsub->body.dump();
  ASSERT_NO_FATAL_FAILURE(Register("MA-06.371.01.01", "BK555555"));
  EXPECT_EQ(server_->application().dci_notifier().CatchUp().value_or(99), 0u);
  EXPECT_EQ(count("BK555555"), 0);
}

TEST_F(DciPartners, AsyncRequestsOfAnUnregisteredAccountAndBadPartnerRegistrationsAreRefused) {
  auto r = Post("/dci/registry/search", AsyncEnvelope("search", "t-u", SearchBy("BK111111")), *admin_);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.Json()["errors"][0]["code"], "err.sender_id.invalid");
  auto c = server_->Client();
  auto bad_url =
      c.Request("PUT", "/api/v1/dci/partners/cnss", Json{{"callback_url", "ftp://x"}}.dump(), JsonAuth(*admin_));
  EXPECT_EQ(bad_url.status, 400);
  EXPECT_EQ(bad_url.Json()["error"]["reason"], "dci.callback_url_invalid") << bad_url.body;
  auto no_key = c.Request("PUT", "/api/v1/dci/partners/cnss",
                          Json{{"callback_url", receiver_->Url()}, {"must_sign", true}}.dump(), JsonAuth(*admin_));
  EXPECT_EQ(no_key.Json()["error"]["reason"], "dci.public_key_invalid") << no_key.body;
  auto not_partner =
      c.Request("PUT", "/api/v1/dci/partners/root", Json{{"callback_url", receiver_->Url()}}.dump(), JsonAuth(*admin_));
  EXPECT_EQ(not_partner.Json()["error"]["reason"], "dci.partner_account_unknown") << not_partner.body;
  EXPECT_EQ(c.Request("PUT", "/api/v1/dci/partners/cnss", Json{{"callback_url", receiver_->Url()}}.dump(),
                      JsonAuth(*partner_))
                .status,
            403);
  auto list = c.Get("/api/v1/dci/partners", Bearer(*admin_));
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.Json()["items"].size(), 2u) << list.body;
}

}  // namespace
}  // namespace sanad::testing
