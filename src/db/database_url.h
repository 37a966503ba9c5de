// Parses the --db URL: "sqlite:PATH" (the default engine) or "postgresql://USER[:PASS]@HOST:PORT/DB".
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"

namespace sanad::db {

enum class Dialect { kSqlite, kPostgres };

struct DatabaseUrl {
  Dialect dialect = Dialect::kSqlite;
  std::string sqlite_path;    // kSqlite
  std::string pg_connection;  // kPostgres: libpq key=value string built from the URL
  std::string display;        // the URL without password, for logs
};

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url);

// `url` with the password of "SCHEME://USER:PASSWORD@…" replaced by ********, for messages; any other
// text is returned unchanged.
std::string RedactPassword(std::string_view url);

// A value for a libpq key=value connection string, quoted (spaces, quotes and backslashes escaped).
std::string QuotePq(std::string_view v);

}  // namespace sanad::db
