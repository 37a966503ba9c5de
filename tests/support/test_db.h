// Fresh, empty databases for tests: a temporary SQLite file, or a new database on the PostgreSQL
// test server that CTest started (scripts/pg-test-server.sh; URL in $SANAD_TEST_PG_URL_FILE).
#pragma once

#include <string>

namespace sanad::testing {

enum class Backend { kSqlite, kPostgres };

// The backend chosen for this test process: $SANAD_TEST_DB = sqlite (default) | postgres.
Backend BackendFromEnv();
const char* BackendName(Backend b);

// Returns the URL of a new empty database. For PostgreSQL it aborts the test process with a clear
// message when the test server is not running: that suite may never be skipped silently. A SQLite file
// is removed when the process that asked for it exits (unless SANAD_TEST_KEEP_DB=1); a PostgreSQL
// database goes with the test server.
std::string FreshDatabaseUrl(Backend b);

}  // namespace sanad::testing
