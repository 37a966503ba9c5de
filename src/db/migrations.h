// Numbered schema migrations (migrations/NNNN_name.sql), compiled into the binary so that a deployed
// `sanad` never depends on finding its source tree. Applied in order and recorded in
// schema_migrations; the same files serve both databases through a few explicit placeholders:
//   {{ID}}     auto-increment primary key (INTEGER PRIMARY KEY / BIGINT GENERATED … AS IDENTITY)
//   {{BYTES}}  binary column (BLOB / BYTEA)
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"

namespace sanad::db {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;  // with placeholders
};

// The migrations compiled into this binary, sorted by version.
const std::vector<Migration>& EmbeddedMigrations();

// Replaces the dialect placeholders.
std::string RenderForDialect(const std::string& sql, Dialect dialect);

// The statements `m` runs on `dialect`, placeholders replaced, in order (what Migrate executes). Tests
// use it to rerun a migration's backfill over rows written after the migration.
std::vector<std::string> MigrationStatements(const Migration& m, Dialect dialect);

struct MigrationReport {
  std::vector<int> applied;  // versions applied by this call
  int current_version = 0;
};

// Applies every migration not yet recorded, each in its own transaction. Safe to run concurrently
// from several processes (PostgreSQL advisory lock; SQLite write lock). Refuses to run against a
// database whose recorded version is newer than this binary knows (kFailedPrecondition).
Result<MigrationReport> Migrate(Database& db);

}  // namespace sanad::db
