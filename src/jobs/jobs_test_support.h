// A fresh, migrated database for the jobs tests: SQLite or the PostgreSQL server CTest started, as
// $SANAD_TEST_DB says.
#pragma once

#include <memory>

#include "db/database.h"
#include "db/migrations.h"
#include "test_db.h"

namespace sanad::jobs {

inline std::unique_ptr<db::Database> OpenTestDatabase(std::size_t pool) {
  auto db = db::Database::Open(testing::FreshDatabaseUrl(testing::BackendFromEnv()), pool);
  if (!db) return nullptr;
  if (!db::Migrate(**db)) return nullptr;
  return std::move(*db);
}

}  // namespace sanad::jobs
