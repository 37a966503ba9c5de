// PostgreSQL backup and restore through pg_dump / pg_restore run as child processes.
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <spawn.h>
#include <sys/wait.h>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "db/backup_engines.h"
#include "db/database.h"

extern char** environ;

namespace sanad::db {

namespace {

// The URL's connection split in two: a conninfo string for the tools' --dbname (no password) and the
// password, if any, which goes to the child's environment only.
struct PgTarget {
  std::string conninfo;
  std::string password;
};

Result<PgTarget> SplitConnection(const DatabaseUrl& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.pg_connection.c_str(), &error);
  if (!options) {
    std::string message = error ? error : "invalid connection string";
    PQfreemem(error);
    return Fail(Code::kInvalidArgument, "database URL: " + message, "db");
  }
  PgTarget out;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (!o->val || !*o->val) continue;
    if (std::strcmp(o->keyword, "password") == 0) {
      out.password = o->val;
      continue;
    }
    if (!out.conninfo.empty()) out.conninfo += ' ';
    out.conninfo += fmt::format("{}={}", o->keyword, QuotePq(o->val));
  }
  PQconninfoFree(options);
  return out;
}

// Runs `args` (args[0] looked up on PATH), waits, and returns its exit status. The child inherits
// standard error, so the tool's own messages reach the operator; PGPASSWORD is set in its environment
// only when the URL carries a password.
Result<int> RunChild(const std::vector<std::string>& args, const std::string& password) {
  std::vector<std::string> env_store;
  for (char** e = environ; *e; ++e) {
    if (!password.empty() && std::string_view(*e).starts_with("PGPASSWORD=")) continue;
    env_store.emplace_back(*e);
  }
  if (!password.empty()) env_store.push_back("PGPASSWORD=" + password);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_store = args;
  std::vector<char*> argv;
  for (auto& a : arg_store) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data());
  if (rc != 0) {
    return Fail(Code::kUnavailable,
                fmt::format("cannot run {}: {} (install the PostgreSQL client tools, Debian package postgresql-client)",
                            args[0], std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Fail(Code::kInternal, fmt::format("waiting for {}: {}", args[0], std::strerror(errno)));
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return Fail(Code::kInternal, fmt::format("{} was killed by signal {}", args[0], WTERMSIG(status)));
}

Status RunTool(const std::vector<std::string>& args, const std::string& password) {
  auto rc = RunChild(args, password);
  if (!rc) return std::unexpected(rc.error());
  if (*rc != 0)
    return Fail(Code::kInternal, fmt::format("{} failed (exit status {}); its messages are above", args[0], *rc));
  return Ok();
}

// Names of the tables an archive creates, from pg_restore's table of contents. Lines look like
// "215; 1259 16390 TABLE public areas sanad".
Result<std::set<std::string>> ArchiveTables(const std::string& in_path, const std::string& password) {
  std::string list = in_path + ".toc";
  if (auto st = RunTool({"pg_restore", "--list", "--file=" + list, in_path}, password); !st) {
    std::filesystem::remove(list);
    return std::unexpected(st.error());
  }
  std::set<std::string> out;
  std::ifstream in(list);
  for (std::string line; std::getline(in, line);) {
    if (line.starts_with(";")) continue;
    auto semi = line.find("; ");
    if (semi == std::string::npos) continue;
    std::istringstream words(line.substr(semi + 2));
    std::string catalog, oid, type, schema, name;
    words >> catalog >> oid >> type >> schema >> name;
    if (type == "TABLE" && schema != "DATA") out.insert(name);
  }
  std::filesystem::remove(list);
  return out;
}

}  // namespace

Result<BackupReport> BackupPostgres(const DatabaseUrl& url, const std::string& partial_path) {
  auto target = SplitConnection(url);
  if (!target) return std::unexpected(target.error());
  BackupReport report;
  try {
    soci::session sql(soci::postgresql, url.pg_connection);
    sql << "SET client_min_messages TO WARNING";
    // pg_dump joins the snapshot this transaction exports: the counts read here are exactly the rows
    // of the archive, whatever the server commits meanwhile.
    sql << "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
    std::string snapshot;
    sql << "SELECT pg_export_snapshot()", soci::into(snapshot);
    auto counts = CountTableRows(sql, Dialect::kPostgres);
    if (!counts) return std::unexpected(counts.error());
    report.tables = std::move(*counts);
    auto version = SchemaVersion(sql, Dialect::kPostgres);
    if (!version) return std::unexpected(version.error());
    report.schema_version = *version;
    if (auto st = RunTool({"pg_dump", "--format=custom", "--no-password", "--snapshot=" + snapshot,
                           "--file=" + partial_path, "--dbname=" + target->conninfo},
                          target->password);
        !st) {
      return std::unexpected(st.error());
    }
    sql << "COMMIT";
  } catch (const std::exception& e) {
    return Fail(Code::kUnavailable, fmt::format("cannot back up {}: {}", url.display, e.what()), "db");
  }
  return report;
}

namespace {

// Drops what a restore would collide with: every table, view, sequence and function of the schema.
Status DropSchemaObjects(soci::session& sql) {
  sql << "BEGIN";
  std::vector<std::string> statements;
  soci::rowset<std::string> views = sql.prepare << "SELECT viewname FROM pg_views WHERE schemaname = current_schema()";
  for (const auto& v : views) statements.push_back("DROP VIEW IF EXISTS " + QuoteIdentifier(v) + " CASCADE");
  soci::rowset<std::string> tables = sql.prepare
                                     << "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()";
  for (const auto& t : tables) statements.push_back("DROP TABLE IF EXISTS " + QuoteIdentifier(t) + " CASCADE");
  for (const auto& s : statements) sql << s;
  statements.clear();
  soci::rowset<std::string> sequences = sql.prepare
                                        << "SELECT sequencename FROM pg_sequences WHERE schemaname = current_schema()";
  for (const auto& q : sequences) statements.push_back("DROP SEQUENCE IF EXISTS " + QuoteIdentifier(q) + " CASCADE");
  soci::rowset<std::string> functions =
      sql.prepare << "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                     "WHERE n.nspname = current_schema()";
  for (const auto& f : functions) statements.push_back("DROP FUNCTION IF EXISTS " + f + " CASCADE");
  for (const auto& s : statements) sql << s;
  sql << "COMMIT";
  return Ok();
}

}  // namespace

Result<RestoreReport> RestorePostgres(const DatabaseUrl& url, const std::string& in_path, RestoreMode mode) {
  auto target = SplitConnection(url);
  if (!target) return std::unexpected(target.error());
  RestoreReport report{BackupKind::kPgDump, false};
  // Reading the archive's table of contents first also checks that pg_restore can read the file.
  auto archive_tables = ArchiveTables(in_path, target->password);
  if (!archive_tables) return std::unexpected(archive_tables.error());
  if (archive_tables->empty()) return Fail(Code::kInvalidArgument, fmt::format("{} contains no table", in_path), "in");
  try {
    soci::session sql(soci::postgresql, url.pg_connection);
    sql << "SET client_min_messages TO WARNING";
    auto existing = ListTables(sql, Dialect::kPostgres);
    if (!existing) return std::unexpected(existing.error());
    if (!existing->empty()) {
      if (mode == RestoreMode::kEmptyOnly) {
        return Fail(Code::kFailedPrecondition,
                    fmt::format("{} is not empty ({} tables); restore into a new database, or pass --force to replace "
                                "its content",
                                url.display, existing->size()),
                    "db");
      }
      if (auto st = DropSchemaObjects(sql); !st) return std::unexpected(st.error());
      report.replaced = true;
    }
  } catch (const std::exception& e) {
    return Fail(Code::kUnavailable, fmt::format("cannot prepare {} for the restore: {}", url.display, e.what()), "db");
  }
  // One transaction: a restore that fails half-way leaves no half-restored schema behind.
  if (auto st = RunTool({"pg_restore", "--no-owner", "--no-privileges", "--no-password", "--exit-on-error",
                         "--single-transaction", "--dbname=" + target->conninfo, in_path},
                        target->password);
      !st) {
    return std::unexpected(st.error());
  }
  return report;
}

}  // namespace sanad::db
