#include "db/row_scan.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <charconv>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "db/row.h"

namespace sanad::db {
namespace {

using namespace sqlite_api;  // SOCI's header wraps sqlite3.h in this namespace

class SqliteRow final : public ScanRow {
 public:
  explicit SqliteRow(sqlite3_stmt* st) : st_(st) {}
  bool Null(int c) const override { return sqlite3_column_type(st_, c) == SQLITE_NULL; }
  std::int64_t Int(int c) const override { return sqlite3_column_int64(st_, c); }
  double Double(int c) const override { return sqlite3_column_double(st_, c); }
  std::string_view Text(int c) const override {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st_, c));
    return text == nullptr ? std::string_view()
                           : std::string_view(text, static_cast<std::size_t>(sqlite3_column_bytes(st_, c)));
  }

 private:
  sqlite3_stmt* st_;
};

void ScanSqlite(Session& s, const std::string& query, const std::vector<ScanParam>& params,
                const std::function<void(const ScanRow&)>& each) {
  auto* be = static_cast<soci::sqlite3_session_backend*>(s.sql().get_backend());
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(be->conn_, query.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(be->conn_) + " in " + query);
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(st, sqlite3_finalize);
  for (std::size_t i = 0; i < params.size(); ++i) {
    const int at = static_cast<int>(i + 1);
    if (const auto* v = std::get_if<std::int64_t>(&params[i])) {
      sqlite3_bind_int64(st, at, *v);
    } else if (const auto* t = std::get_if<std::string>(&params[i])) {
      sqlite3_bind_text(st, at, t->data(), static_cast<int>(t->size()), SQLITE_STATIC);
    } else {
      sqlite3_bind_null(st, at);
    }
  }
  SqliteRow row(st);
  for (;;) {
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return;
    if (rc != SQLITE_ROW) throw std::runtime_error(std::string("step failed: ") + sqlite3_errmsg(be->conn_));
    each(row);
  }
}

class SociRow final : public ScanRow {
 public:
  explicit SociRow(const soci::row& r) : r_(r), text_(r.size()) {}
  bool Null(int c) const override { return r_.get_indicator(static_cast<std::size_t>(c)) == soci::i_null; }
  std::int64_t Int(int c) const override { return RowInt(r_, static_cast<std::size_t>(c)); }
  double Double(int c) const override { return RowDouble(r_, static_cast<std::size_t>(c)); }
  std::string_view Text(int c) const override {
    auto& text = text_[static_cast<std::size_t>(c)];
    text = r_.get<std::string>(static_cast<std::size_t>(c));
    return text;
  }

 private:
  const soci::row& r_;
  mutable std::vector<std::string> text_;
};

// `query` with each `:name` placeholder (outside quoted strings, not a `::` cast) replaced by its value
// as a literal, in order.
std::string WithLiterals(PGconn* conn, const std::string& query, const std::vector<ScanParam>& params) {
  auto is_name = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  };
  std::string out;
  out.reserve(query.size() + 64);
  std::size_t next = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < query.size(); ++i) {
    const char c = query[i];
    if (c == '\'') quoted = !quoted;
    const bool placeholder = !quoted && c == ':' && i + 1 < query.size() && is_name(query[i + 1]) &&
                             query[i + 1] != ':' && (i == 0 || query[i - 1] != ':');
    if (!placeholder) {
      out += c;
      continue;
    }
    while (i + 1 < query.size() && is_name(query[i + 1])) ++i;
    if (next >= params.size()) throw std::runtime_error("CopyRows: more placeholders than parameters in " + query);
    const ScanParam& p = params[next++];
    if (const auto* v = std::get_if<std::int64_t>(&p)) {
      out += std::to_string(*v);
    } else if (const auto* t = std::get_if<std::string>(&p)) {
      char* quoted_text = PQescapeLiteral(conn, t->data(), t->size());
      if (quoted_text == nullptr) throw std::runtime_error(std::string("CopyRows: ") + PQerrorMessage(conn));
      out += quoted_text;
      PQfreemem(quoted_text);
    } else {
      out += "NULL";
    }
  }
  if (next != params.size()) throw std::runtime_error("CopyRows: fewer placeholders than parameters in " + query);
  return out;
}

// One row of COPY's text format: fields separated by tabs, \N for NULL, backslash escapes in texts.
class CopyRow final : public ScanRow {
 public:
  void Parse(const char* data, std::size_t size) {
    if (size > 0 && data[size - 1] == '\n') --size;
    fields_.clear();
    std::size_t start = 0;
    for (std::size_t i = 0; i <= size; ++i) {
      if (i == size || data[i] == '\t') {
        fields_.emplace_back(data + start, i - start);
        start = i + 1;
      }
    }
    if (text_.size() < fields_.size()) text_.resize(fields_.size());
  }
  bool Null(int c) const override { return Field(c) == "\\N"; }
  std::int64_t Int(int c) const override {
    const std::string_view f = Field(c);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(f.data(), f.data() + f.size(), v);
    if (ec != std::errc() || end != f.data() + f.size()) {
      throw std::runtime_error("CopyRows: not an integer in column " + std::to_string(c));
    }
    return v;
  }
  double Double(int c) const override { return std::strtod(std::string(Field(c)).c_str(), nullptr); }
  std::string_view Text(int c) const override {
    const std::string_view f = Field(c);
    if (f == "\\N") return {};
    if (f.find('\\') == std::string_view::npos) return f;
    std::string& t = text_[static_cast<std::size_t>(c)];
    t.clear();
    for (std::size_t i = 0; i < f.size(); ++i) {
      if (f[i] != '\\' || i + 1 == f.size()) {
        t += f[i];
        continue;
      }
      switch (f[++i]) {
        case 'b':
          t += '\b';
          break;
        case 'f':
          t += '\f';
          break;
        case 'n':
          t += '\n';
          break;
        case 'r':
          t += '\r';
          break;
        case 't':
          t += '\t';
          break;
        case 'v':
          t += '\v';
          break;
        default:
          t += f[i];
      }
    }
    return t;
  }

 private:
  std::string_view Field(int c) const {
    if (c < 0 || static_cast<std::size_t>(c) >= fields_.size()) throw std::runtime_error("CopyRows: no such column");
    return fields_[static_cast<std::size_t>(c)];
  }
  std::vector<std::string_view> fields_;
  mutable std::vector<std::string> text_;
};

void CopyPostgres(Session& s, const std::string& query, const std::vector<ScanParam>& params,
                  const std::function<void(const ScanRow&)>& each) {
  PGconn* conn = static_cast<soci::postgresql_session_backend*>(s.sql().get_backend())->conn_;
  const std::string copy = "COPY (" + WithLiterals(conn, query, params) + ") TO STDOUT";
  PGresult* res = PQexec(conn, copy.c_str());
  const bool started = PQresultStatus(res) == PGRES_COPY_OUT;
  PQclear(res);
  if (!started) throw std::runtime_error(std::string("COPY failed to start: ") + PQerrorMessage(conn));
  CopyRow row;
  std::string failure;
  for (;;) {
    char* buffer = nullptr;
    const int n = PQgetCopyData(conn, &buffer, 0);
    if (n < 0) break;  // -1: done, -2: error (reported by the result below)
    std::unique_ptr<char, void (*)(void*)> owned(buffer, PQfreemem);
    if (!failure.empty()) continue;  // drain the stream so the connection stays usable
    try {
      row.Parse(buffer, static_cast<std::size_t>(n));
      each(row);
    } catch (const std::exception& e) {
      failure = e.what();
    }
  }
  res = PQgetResult(conn);
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  const std::string error = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  while ((res = PQgetResult(conn)) != nullptr) PQclear(res);
  if (!ok) throw std::runtime_error("COPY failed: " + error);
  if (!failure.empty()) throw std::runtime_error(failure);
}

}  // namespace

void CopyRows(Session& s, const std::string& query, const std::vector<ScanParam>& params,
              const std::function<void(const ScanRow&)>& each) {
  if (s.dialect() == Dialect::kSqlite) {
    ScanSqlite(s, query, params, each);
    return;
  }
  CopyPostgres(s, query, params, each);
}

void ScanRows(Session& s, const std::string& query, const std::vector<ScanParam>& params,
              const std::function<void(const ScanRow&)>& each) {
  if (s.dialect() == Dialect::kSqlite) {
    ScanSqlite(s, query, params, each);
    return;
  }
  // SOCI binds references: the values live here until the statement is done.
  std::vector<long long> ints;
  std::vector<std::optional<std::string>> texts;
  ints.reserve(params.size());
  texts.reserve(params.size());
  EachRow(
      s.sql(), query,
      [&](soci::statement& st) {
        for (const auto& p : params) {
          if (const auto* v = std::get_if<std::int64_t>(&p)) {
            st.exchange(soci::use(ints.emplace_back(*v)));
          } else if (const auto* t = std::get_if<std::string>(&p)) {
            st.exchange(soci::use(texts.emplace_back(*t)));
          } else {
            st.exchange(soci::use(texts.emplace_back(std::nullopt)));
          }
        }
      },
      [&](const soci::row& r) { each(SociRow(r)); });
}

}  // namespace sanad::db
