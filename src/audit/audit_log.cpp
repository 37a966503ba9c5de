#include "audit/audit_log.h"

#include <fmt/format.h>

namespace sanad::audit {

AuditLog::AuditLog(db::Database& db, const Clock& clock)
    : db_(db), clock_(clock), group_([this](std::vector<AuditEntry>& batch) {
        return db_.InTransaction<std::vector<AuditEntry>>([&](db::Session& s) -> Result<std::vector<AuditEntry>> {
          std::vector<AuditEntry> out;
          out.reserve(batch.size());
          for (auto& e : batch) {
            auto written = AppendIn(s, std::move(e));
            if (!written) return std::unexpected(written.error());
            out.push_back(std::move(*written));
          }
          return out;
        });
      }) {}

Result<AuditEntry> AuditLog::Append(AuditEntry entry) { return group_.Submit(std::move(entry)); }

Result<AuditEntry> AuditLog::AppendIn(db::Session& s, AuditEntry e) {
  auto& sql = s.sql();
  // Taking the head row for update serialises appenders: PostgreSQL locks the row until commit;
  // SQLite already holds the database write lock (BEGIN IMMEDIATE).
  long long last_id = 0;
  std::string last_hash;
  sql << (s.dialect() == db::Dialect::kPostgres
              ? "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1 FOR UPDATE"
              : "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1"),
      soci::into(last_id), soci::into(last_hash);
  e.id = last_id + 1;
  e.at = FormatTimestamp(clock_.Now());
  if (e.details.empty()) e.details = "{}";
  e.prev_hash = last_hash;
  e.hash = ChainHash(e, last_hash);
  long long id = e.id;
  std::optional<long long> uid;
  if (e.user_id) uid = *e.user_id;
  sql << "INSERT INTO audit_log (id, at, user_id, username, action, record_type, record_id, ip, request_id, "
         "details, prev_hash, hash) VALUES (:id, :at, :uid, :un, :ac, :rt, :ri, :ip, :rq, :de, :ph, :h)",
      soci::use(id), soci::use(e.at), soci::use(uid), soci::use(e.username), soci::use(e.action),
      soci::use(e.record_type), soci::use(e.record_id), soci::use(e.ip), soci::use(e.request_id),
      soci::use(e.details), soci::use(e.prev_hash), soci::use(e.hash);
  sql << "UPDATE audit_head SET last_id = :id, last_hash = :h WHERE singleton = 1", soci::use(id), soci::use(e.hash);
  return e;
}

namespace {

AuditEntry FromRow(const soci::row& r) {
  AuditEntry e;
  e.id = r.get<long long>(0);
  e.at = r.get<std::string>(1);
  if (r.get_indicator(2) != soci::i_null) e.user_id = r.get<long long>(2);
  e.username = r.get<std::string>(3);
  e.action = r.get<std::string>(4);
  e.record_type = r.get<std::string>(5);
  e.record_id = r.get<std::string>(6);
  e.ip = r.get<std::string>(7);
  e.request_id = r.get<std::string>(8);
  e.details = r.get<std::string>(9);
  e.prev_hash = r.get<std::string>(10);
  e.hash = r.get<std::string>(11);
  return e;
}

constexpr const char* kColumns =
    "id, at, user_id, username, action, record_type, record_id, ip, request_id, details, prev_hash, hash";

}  // namespace

Result<AuditPage> AuditLog::Query(const AuditQuery& q) {
  try {
    auto s = db_.Acquire();
    std::string where = " WHERE 1=1";
    // Every filter is a bound parameter; absent filters bind NULL and are short-circuited.
    where += " AND (CAST(:u AS TEXT) IS NULL OR username = :u2)";
    where += " AND (CAST(:rt AS TEXT) IS NULL OR record_type = :rt2)";
    where += " AND (CAST(:ri AS TEXT) IS NULL OR record_id = :ri2)";
    where += " AND (CAST(:ac AS TEXT) IS NULL OR action = :ac2)";
    where += " AND (CAST(:f AS TEXT) IS NULL OR at >= :f2)";
    where += " AND (CAST(:t AS TEXT) IS NULL OR at < :t2)";
    AuditPage page;
    auto& sql = s.sql();
    sql << "SELECT COUNT(*) FROM audit_log" + where, soci::use(q.username), soci::use(q.username),
        soci::use(q.record_type), soci::use(q.record_type), soci::use(q.record_id), soci::use(q.record_id),
        soci::use(q.action), soci::use(q.action), soci::use(q.from), soci::use(q.from), soci::use(q.to),
        soci::use(q.to), soci::into(page.total);
    long long limit = q.limit, offset = q.offset;
    soci::rowset<soci::row> rs =
        (sql.prepare << std::string("SELECT ") + kColumns + " FROM audit_log" + where +
                            " ORDER BY id DESC LIMIT :lim OFFSET :off",
         soci::use(q.username), soci::use(q.username), soci::use(q.record_type), soci::use(q.record_type),
         soci::use(q.record_id), soci::use(q.record_id), soci::use(q.action), soci::use(q.action),
         soci::use(q.from), soci::use(q.from), soci::use(q.to), soci::use(q.to), soci::use(limit),
         soci::use(offset));
    for (const auto& r : rs) page.items.push_back(FromRow(r));
    return page;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<VerifyReport> AuditLog::Verify() {
  VerifyReport report;
  try {
    auto s = db_.Acquire();
    std::string expected_prev = kGenesisHash;
    long long expected_id = 1;
    soci::rowset<soci::row> rs = (s.sql().prepare << std::string("SELECT ") + kColumns + " FROM audit_log ORDER BY id");
    for (const auto& r : rs) {
      AuditEntry e = FromRow(r);
      ++report.checked;
      if (e.id != expected_id) {
        report.first_broken_id = e.id;
        report.reason = fmt::format("entry {} follows entry {}: entries are missing", e.id, expected_id - 1);
        return report;
      }
      if (e.prev_hash != expected_prev) {
        report.first_broken_id = e.id;
        report.reason = "its prev_hash does not match the hash of the entry before it";
        return report;
      }
      if (ChainHash(e, e.prev_hash) != e.hash) {
        report.first_broken_id = e.id;
        report.reason = "its content does not match its hash (the entry was altered)";
        return report;
      }
      expected_prev = e.hash;
      ++expected_id;
    }
    long long head_id = 0;
    std::string head_hash;
    s.sql() << "SELECT last_id, last_hash FROM audit_head WHERE singleton = 1", soci::into(head_id), soci::into(head_hash);
    if (head_id != expected_id - 1 || head_hash != expected_prev) {
      report.first_broken_id = expected_id;
      report.reason = fmt::format("the log ends at entry {} but the head records entry {}: entries were removed",
                                  expected_id - 1, head_id);
    }
    return report;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

}  // namespace sanad::audit
