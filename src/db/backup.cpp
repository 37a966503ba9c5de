#include "db/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <filesystem>
#include <fstream>

#include "db/backup_engines.h"

namespace sanad::db {

Result<BackupKind> DetectBackupKind(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Fail(Code::kNotFound, fmt::format("cannot read {}", path), "in");
  char head[16] = {};
  in.read(head, sizeof head);
  std::string_view bytes(head, static_cast<std::size_t>(in.gcount()));
  if (bytes == std::string_view("SQLite format 3\0", 16)) return BackupKind::kSqlite;
  if (bytes.starts_with("PGDMP")) return BackupKind::kPgDump;
  return BackupKind::kUnknown;
}

std::string_view BackupKindName(BackupKind kind) {
  switch (kind) {
    case BackupKind::kSqlite:
      return "a SQLite database";
    case BackupKind::kPgDump:
      return "a PostgreSQL pg_dump archive";
    case BackupKind::kUnknown:
      break;
  }
  return "neither a SQLite database nor a pg_dump archive";
}

Status SyncPath(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return Fail(Code::kInternal, fmt::format("cannot open {} to sync it", path));
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return Fail(Code::kInternal, fmt::format("cannot sync {}", path));
  return Ok();
}

Result<BackupReport> Backup(const DatabaseUrl& url, const std::string& out_path, const BackupProgress& progress) {
  namespace fs = std::filesystem;
  if (fs::exists(out_path)) {
    return Fail(Code::kAlreadyExists, fmt::format("{} already exists; backups never overwrite a file", out_path),
                "out");
  }
  std::string partial = out_path + ".partial";
  fs::remove(partial);
  // Created here, readable by its owner only: a backup holds password hashes and personal data.
  int fd = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0) return Fail(Code::kInvalidArgument, fmt::format("cannot create {}", partial), "out");
  ::close(fd);
  auto report = url.dialect == Dialect::kSqlite ? BackupSqlite(url, partial, progress) : BackupPostgres(url, partial);
  if (!report) {
    fs::remove(partial);
    return report;
  }
  if (auto st = SyncPath(partial); !st) return std::unexpected(st.error());
  std::error_code ec;
  fs::rename(partial, out_path, ec);
  if (ec) return Fail(Code::kInternal, fmt::format("cannot rename {} to {}: {}", partial, out_path, ec.message()));
  auto dir = fs::path(out_path).parent_path();
  if (auto st = SyncPath(dir.empty() ? "." : dir.string()); !st) return std::unexpected(st.error());
  report->bytes = static_cast<long long>(fs::file_size(out_path));
  return report;
}

Result<RestoreReport> Restore(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode) {
  auto kind = DetectBackupKind(in_path);
  if (!kind) return std::unexpected(kind.error());
  BackupKind wanted = url.dialect == Dialect::kSqlite ? BackupKind::kSqlite : BackupKind::kPgDump;
  if (*kind != wanted) {
    std::string hint = *kind == BackupKind::kSqlite && wanted == BackupKind::kPgDump
                           ? "; restore it into a sqlite: URL, then copy it with `sanad migrate-data`"
                           : "";
    return Fail(Code::kInvalidArgument,
                fmt::format("{} is {} but {} needs {}{}", in_path, BackupKindName(*kind), url.display,
                            BackupKindName(wanted), hint),
                "in");
  }
  return url.dialect == Dialect::kSqlite ? RestoreSqlite(url, in_path, mode) : RestorePostgres(url, in_path, mode);
}

}  // namespace sanad::db
