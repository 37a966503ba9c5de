// What the empowerment HTTP tests share: a fresh server on the database SANAD_TEST_DB selects, a client,
// and the regional coordinators of Fès-Meknès (MA-03) and Casablanca-Settat (MA-06), made when a test
// first needs them (password hashing is the slow part of a set-up).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {

class EmpowermentServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = std::make_unique<TestServer>(options);
    c_ = std::make_unique<HttpClient>(server_->Client());
  }

  const Headers& Fes() {
    if (fes_.empty()) fes_ = Login("fes", server_->AddUser("fes", {auth::Role::kRegionalCoordinator}, "MA-03"));
    return fes_;
  }
  const Headers& Casa() {
    if (casa_.empty()) casa_ = Login("casa", server_->AddUser("casa", {auth::Role::kRegionalCoordinator}, "MA-06"));
    return casa_;
  }
  Headers Login(const std::string& user, const std::string& password) {
    auto token = BearerToken(*c_, user, password);
    EXPECT_TRUE(token) << user;
    return Bearer(token.value_or(""));
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<HttpClient> c_;

 private:
  Headers fes_, casa_;
};

}  // namespace sanad::testing
