// The fixture of the error-handling suite (errors_test.cpp, errors_language_test.cpp): one server on
// the database SANAD_TEST_DB selects, with a route whose SQL fails and one that throws, and three
// accounts (admin, a data-entry agent in MA-03.231, a regional coordinator of MA-03).
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "db/row.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {

class Errors : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    options.routes = [](api::Services& s) {
      http::RouteTable t = api::BuildRoutes(s);
      // A store-like method whose SQL fails with a bound value in it, and a handler that throws.
      t.push_back({"GET", "/api/v1/test/db-failure", auth::Permission::kPublic, [&s](http::Request&) {
                     auto r = db::Guard([&]() -> Result<long long> {
                       auto sess = s.db.Acquire();
                       std::string ref = "REF-SECRET-42";
                       long long n = 0;
                       sess.sql() << "SELECT no_such_column FROM persons WHERE record_id = :r", soci::use(ref),
                           soci::into(n);
                       return n;
                     });
                     if (!r) return http::ErrorResponse(r.error());
                     return http::JsonResponse(200, "{}");
                   }});
      t.push_back({"GET", "/api/v1/test/throws", auth::Permission::kPublic, [](http::Request&) -> http::Response {
                     throw std::runtime_error("secret detail: Ahmed Benali CIN AB123456");
                   }});
      return t;
    };
    server_ = new TestServer(options);
    admin_ = new std::string(*BearerToken(server_->Client(), "admin", server_->AddUser("admin", {auth::Role::kAdmin})));
    agent_ = new std::string(
        *BearerToken(server_->Client(), "agent", server_->AddUser("agent", {auth::Role::kDataEntry}, "MA-03.231")));
    coord_ = new std::string(*BearerToken(server_->Client(), "coord",
                                          server_->AddUser("coord", {auth::Role::kRegionalCoordinator}, "MA-03")));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete admin_;
    delete agent_;
    delete coord_;
  }

  // Files and approves one household in MA-03.231.01.03 with the given members.
  static void AddHousehold(const nlohmann::json& members) {
    auto c = server_->Client();
    nlohmann::json body{{"kind", "create_household"},
                        {"payload",
                         {{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}, {"address", "1 Derb"}}},
                          {"members", members}}}};
    auto filed = c.PostJson("/api/v1/change-requests", body.dump(), Bearer(*agent_));
    EXPECT_EQ(filed.status, 201) << filed.body;
    auto approved =
        c.PostJson(fmt::format("/api/v1/change-requests/{}/approve", filed.Json()["id"].get<std::int64_t>()), "{}",
                   Bearer(*coord_));
    EXPECT_EQ(approved.status, 200) << approved.body;
  }

  static inline TestServer* server_ = nullptr;
  static inline std::string* admin_ = nullptr;
  static inline std::string* agent_ = nullptr;
  static inline std::string* coord_ = nullptr;
};

}  // namespace sanad::testing
