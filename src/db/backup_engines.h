// The engine-specific halves of backup.h (backup_sqlite.cpp, backup_postgres.cpp); internal to db.
#pragma once

#include <string>

#include "db/backup.h"

namespace sanad::db {

Result<BackupReport> BackupSqlite(const DatabaseUrl& url, const std::string& partial_path,
                                  const BackupProgress& progress);
Result<BackupReport> BackupPostgres(const DatabaseUrl& url, const std::string& partial_path);
Result<RestoreReport> RestoreSqlite(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode);
Result<RestoreReport> RestorePostgres(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode);

// Flushes a file (or directory) to stable storage; kInternal on failure.
Status SyncPath(const std::string& path);

}  // namespace sanad::db
