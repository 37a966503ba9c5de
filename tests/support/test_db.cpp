#include "test_db.h"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <unistd.h>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <random>

namespace sanad::testing {

Backend BackendFromEnv() {
  const char* v = std::getenv("SANAD_TEST_DB");
  return v && std::string(v) == "postgres" ? Backend::kPostgres : Backend::kSqlite;
}

const char* BackendName(Backend b) { return b == Backend::kPostgres ? "postgres" : "sqlite"; }

namespace {

std::filesystem::path SqliteDir() { return std::filesystem::temp_directory_path() / "sanad-tests"; }

// The SQLite files this process made (named t<pid>_…, with their -wal and -shm) are removed when it
// exits: one `make test` makes about 1,500 of them, over 1 GB with 16 KiB pages, and a machine running
// the suite again and again would fill its disk. A forked child inherits the handler and removes
// nothing (the pid is not its own); a process killed by a signal leaves its files.
// SANAD_TEST_KEEP_DB=1 keeps them, to look into after a failure.
pid_t owner = 0;

void RemoveOwnFiles() {
  if (getpid() != owner) return;
  if (const char* keep = std::getenv("SANAD_TEST_KEEP_DB"); keep != nullptr && std::string(keep) == "1") return;
  const std::string prefix = fmt::format("t{}_", owner);
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(SqliteDir(), ec)) {
    if (entry.path().filename().string().starts_with(prefix)) std::filesystem::remove(entry.path(), ec);
  }
}

}  // namespace

std::string FreshDatabaseUrl(Backend b) {
  static std::atomic<int> counter{0};
  std::mt19937_64 rng{std::random_device{}()};
  std::string name = fmt::format("t{}_{}_{:x}", getpid(), counter++, rng() & 0xffffff);
  if (b == Backend::kSqlite) {
    static std::once_flag registered;
    std::call_once(registered, [] {
      owner = getpid();
      std::atexit(RemoveOwnFiles);
    });
    auto dir = SqliteDir();
    std::filesystem::create_directories(dir);
    return "sqlite:" + (dir / (name + ".db")).string();
  }
  const char* file = std::getenv("SANAD_TEST_PG_URL_FILE");
  std::ifstream in(file ? file : "");
  std::string base;
  if (!file || !std::getline(in, base) || base.empty()) {
    std::cerr << "FATAL: the PostgreSQL test server is not running (SANAD_TEST_PG_URL_FILE=" << (file ? file : "unset")
              << "). Run the suite through ctest, which starts it.\n";
    std::exit(3);
  }
  // base = postgresql://sanad@127.0.0.1:PORT/sanad_test → create a sibling database.
  auto slash = base.rfind('/');
  std::string host_part = base.substr(0, slash);
  auto port_pos = host_part.rfind(':');
  std::string port = host_part.substr(port_pos + 1);
  soci::session admin(soci::postgresql, fmt::format("host=127.0.0.1 port={} dbname=sanad_test user=sanad", port));
  admin << "CREATE DATABASE " + name;
  return host_part + "/" + name;
}

}  // namespace sanad::testing
