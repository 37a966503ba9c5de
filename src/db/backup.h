// Backups of a running database and their restore, for both engines:
//   SQLite      a consistent copy taken with SQLite's online backup API, page batch by page batch,
//               from one read snapshot (WAL mode: the server keeps reading and writing meanwhile);
//               the copy is a self-contained SQLite file (rollback journal, no -wal).
//   PostgreSQL  pg_dump's custom-format archive (-Fc) taken from a snapshot exported by this process,
//               so the row counts reported are exactly those of the archive; restored with pg_restore.
// pg_dump and pg_restore run as child processes found on PATH; a password in the URL reaches them
// through their environment (PGPASSWORD), never through their command line.
//
// Thread safety: free functions without shared state; each opens its own connections.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/backup_catalog.h"
#include "db/database_url.h"

namespace sanad::db {

enum class BackupKind { kUnknown, kSqlite, kPgDump };

// What a file holds, judged by its first bytes ("SQLite format 3\0" / "PGDMP"). kNotFound when the
// file cannot be read.
Result<BackupKind> DetectBackupKind(const std::string& path);
std::string_view BackupKindName(BackupKind kind);  // "a SQLite database", "a pg_dump archive", …

struct BackupReport {
  std::vector<TableCount> tables;  // rows of every table as they are in the backup
  long long bytes = 0;             // size of the backup file
  int schema_version = 0;          // highest applied migration in the backup
};

// Progress of a long copy: pages (SQLite) copied so far and the total.
using BackupProgress = std::function<void(long long done, long long total)>;

// Writes a backup of `url` to `out_path` (first to out_path + ".partial", renamed when complete and
// synced, so a crash never leaves a truncated file under the final name). Refuses to overwrite an
// existing file (kAlreadyExists). Errors: kNotFound (no SQLite file), kUnavailable (server or pg_dump
// unreachable), kInternal.
Result<BackupReport> Backup(const DatabaseUrl& url, const std::string& out_path, const BackupProgress& progress = {});

enum class RestoreMode { kEmptyOnly, kReplace };

struct RestoreReport {
  BackupKind kind = BackupKind::kUnknown;
  bool replaced = false;  // the target had tables and they were replaced (kReplace)
};

// Restores `in_path` into `url`. The file must be the backup of the same engine (kInvalidArgument
// with both kinds named otherwise). kEmptyOnly refuses a target that has any table
// (kFailedPrecondition); kReplace replaces its whole content. Nothing else may use the target while
// it is restored. Row counts and the audit chain are checked by the caller on the restored database.
Result<RestoreReport> Restore(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode);

}  // namespace sanad::db
