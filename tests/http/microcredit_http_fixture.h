// The fixture of the micro-credit HTTP tests (microcredit_test.cpp, microcredit_citizen_test.cpp): one
// server for the suite on the database SANAD_TEST_DB selects, and a registry person filed and approved.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {

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
  static inline TestServer* server_ = nullptr;

 public:
  static db::Database& Db() { return *server_->platform().db; }
};

// A household of one adult in `commune` (Oran; Bir El Djir by default) filed by `agent` and approved by
// `coord`; returns the person's id.
std::int64_t AddPerson(HttpClient& c, const std::string& agent, const std::string& coord, const std::string& given_ar,
                       const std::string& family_ar, const std::string& given_lat, const std::string& family_lat,
                       const std::string& sex, const std::string& birth_date, const std::string& commune = "DZ-3103");

}  // namespace sanad::testing
