// A fresh registry on the backend the test process runs on (SQLite or PostgreSQL): migrated database,
// reference areas, audit log, registry store and change service; Who() makes an actor.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "db/migrations.h"
#include "geo/reference_data.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"
#include "test_db.h"

namespace sanad::registry {

class RegistryFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(testing::FreshDatabaseUrl(testing::BackendFromEnv()), 4);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    const std::string dir = std::string(SANAD_SOURCE_ROOT) + "/data";
    areas::AreaStore areas(*db_);
    ASSERT_TRUE(areas.LoadReference(*geo::LoadReferenceAreas(dir), *geo::ReferenceChecksum(dir)));
    audit_ = std::make_unique<audit::AuditLog>(*db_, clock_);
    store_ = std::make_unique<RegistryStore>(*db_);
    changes_ = std::make_unique<ChangeService>(*store_, *audit_, clock_);
  }

  Actor Who(std::int64_t id, std::string name, std::optional<std::string> area = std::nullopt) {
    Actor a;
    a.user_id = id;
    a.username = std::move(name);
    a.scope.area = std::move(area);
    a.scope.today = DateOf(clock_.Now()).ToString();
    a.ip = "127.0.0.1";
    a.request_id = "test";
    return a;
  }

  SystemClock clock_;
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<RegistryStore> store_;
  std::unique_ptr<ChangeService> changes_;
};

}  // namespace sanad::registry
