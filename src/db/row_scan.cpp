#include "db/row_scan.h"

#include <soci/sqlite3/soci-sqlite3.h>
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

}  // namespace

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
