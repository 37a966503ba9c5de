#include "db/database_url.h"

#include <fmt/format.h>
#include <charconv>

namespace sanad::db {

std::string QuotePq(std::string_view v) {
  std::string out = "'";
  for (char c : v) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string RedactPassword(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const auto rest = url.substr(scheme + 3);
  const auto at = rest.rfind('@');
  if (at == std::string_view::npos) return std::string(url);
  const auto colon = rest.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(url);
  return fmt::format("{}{}********{}", url.substr(0, scheme + 3), rest.substr(0, colon + 1), rest.substr(at));
}

Result<DatabaseUrl> ParseDatabaseUrl(std::string_view url) {
  DatabaseUrl out;
  if (url.starts_with("sqlite:")) {
    out.dialect = Dialect::kSqlite;
    out.sqlite_path = std::string(url.substr(7));
    if (out.sqlite_path.starts_with("//")) out.sqlite_path = out.sqlite_path.substr(2);
    if (out.sqlite_path.empty())
      return Fail(Code::kInvalidArgument, "sqlite URL needs a path: sqlite:var/sanad.db", "db");
    out.display = std::string(url);
    return out;
  }
  std::string_view rest;
  if (url.starts_with("postgresql://"))
    rest = url.substr(13);
  else if (url.starts_with("postgres://"))
    rest = url.substr(11);
  else {
    return Fail(Code::kInvalidArgument,
                fmt::format("unsupported database URL '{}': use sqlite:PATH or postgresql://USER@HOST:PORT/DB",
                            RedactPassword(url)),
                "db");
  }
  out.dialect = Dialect::kPostgres;
  std::string user, password, host = "127.0.0.1", port = "5432", dbname;
  auto at = rest.rfind('@');
  if (at != std::string_view::npos) {
    auto cred = rest.substr(0, at);
    auto colon = cred.find(':');
    user = std::string(cred.substr(0, colon));
    if (colon != std::string_view::npos) password = std::string(cred.substr(colon + 1));
    rest = rest.substr(at + 1);
  }
  auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash + 1 >= rest.size()) {
    return Fail(Code::kInvalidArgument, "postgresql URL needs a database name: postgresql://USER@HOST:PORT/DB", "db");
  }
  auto hostport = rest.substr(0, slash);
  dbname = std::string(rest.substr(slash + 1));
  if (auto q = dbname.find('?'); q != std::string::npos) dbname.resize(q);
  auto colon = hostport.rfind(':');
  if (colon != std::string_view::npos) {
    host = std::string(hostport.substr(0, colon));
    port = std::string(hostport.substr(colon + 1));
    int p = 0;
    auto [ptr, ec] = std::from_chars(port.data(), port.data() + port.size(), p);
    if (ec != std::errc() || ptr != port.data() + port.size() || p <= 0 || p > 65535) {
      return Fail(Code::kInvalidArgument, fmt::format("invalid port '{}' in database URL", port), "db");
    }
  } else if (!hostport.empty()) {
    host = std::string(hostport);
  }
  out.pg_connection = fmt::format("host={} port={} dbname={}", QuotePq(host), port, QuotePq(dbname));
  if (!user.empty()) out.pg_connection += " user=" + QuotePq(user);
  if (!password.empty()) out.pg_connection += " password=" + QuotePq(password);
  out.pg_connection += " connect_timeout=10";
  out.display = fmt::format("postgresql://{}@{}:{}/{}", user, host, port, dbname);
  return out;
}

}  // namespace sanad::db
