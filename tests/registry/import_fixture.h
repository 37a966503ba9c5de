// The fixture of the import suites: a fresh database (SANAD_TEST_DB) with the reference areas, the
// registry's stores and services, an agent and a coordinator of the Fès-Meknès region (MA-03).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "db/migrations.h"
#include "geo/reference_data.h"
#include "registry/change_service.h"
#include "registry/importer.h"
#include "registry/registry_store.h"
#include "test_db.h"

namespace sanad::testing {

class ImportFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(testing::FreshDatabaseUrl(BackendFromEnv()), 4);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    const std::string dir = std::string(SANAD_SOURCE_ROOT) + "/data";
    auto set = geo::LoadReferenceAreas(dir);
    ASSERT_TRUE(set);
    areas::AreaStore areas(*db_);
    ASSERT_TRUE(areas.LoadReference(*set, *geo::ReferenceChecksum(dir)));
    store_ = std::make_unique<registry::RegistryStore>(*db_);
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    changes_ = std::make_unique<registry::ChangeService>(*store_, *audit_, clock_);
    importer_ = std::make_unique<registry::Importer>(*store_, *changes_, clock_);
    const std::string today = DateOf(clock_.Now()).ToString();
    agent_ = registry::Actor{1, "agent", {std::string("MA-03"), today}, "test", "t1"};
    coordinator_ = registry::Actor{2, "coordinator", {std::string("MA-03"), today}, "test", "t2"};
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  // The details of the audit entry that recorded the approval of change request `cr` (null if none).
  nlohmann::json ApprovalAudit(std::int64_t cr) {
    audit::AuditQuery q;
    q.action = "approve";
    q.record_type = "change_request";
    q.record_id = std::to_string(cr);
    auto page = audit_->Query(q);
    if (!page || page->items.size() != 1) return nullptr;
    return nlohmann::json::parse(page->items[0].details);
  }

  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<registry::RegistryStore> store_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<registry::ChangeService> changes_;
  std::unique_ptr<registry::Importer> importer_;
  registry::Actor agent_, coordinator_;
};

}  // namespace sanad::testing
