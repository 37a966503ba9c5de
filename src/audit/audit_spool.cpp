#include "audit/audit_spool.h"

#include <sodium.h>

#include "db/row.h"

namespace sanad::audit {

namespace {

std::string RandomId() {
  if (sodium_init() < 0) return {};
  unsigned char raw[16];
  randombytes_buf(raw, sizeof raw);
  char hex[sizeof raw * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
  return hex;
}

}  // namespace

Result<std::unique_ptr<AuditSpool>> AuditSpool::Open(const std::string& db_path) {
  // Two connections: the group commit's writer appends while a fold reads and drops.
  auto db = db::Database::Open("sqlite:" + PathFor(db_path), 2);
  if (!db) return std::unexpected(db.error());
  auto id = (*db)->InTransaction<std::string>([](db::Session& s) -> Result<std::string> {
    s.sql() << "CREATE TABLE IF NOT EXISTS spool_identity (singleton INTEGER PRIMARY KEY CHECK (singleton = 1), "
               "id TEXT NOT NULL)";
    s.sql() << "CREATE TABLE IF NOT EXISTS spooled_entries (seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, "
               "user_id INTEGER, username TEXT NOT NULL, action TEXT NOT NULL, record_type TEXT NOT NULL, "
               "record_id TEXT NOT NULL, ip TEXT NOT NULL, request_id TEXT NOT NULL, details TEXT NOT NULL)";
    auto fresh = RandomId();
    if (fresh.empty()) return Fail(Code::kInternal, "libsodium could not be initialised");
    s.Prepare("INSERT OR IGNORE INTO spool_identity (singleton, id) VALUES (1, :id)").Bind(fresh).Execute();
    auto q = s.Prepare("SELECT id FROM spool_identity WHERE singleton = 1");
    if (!q.Execute()) return Fail(Code::kInternal, "the audit spool has no identity");
    return q.Row().get<std::string>(0);
  });
  if (!id) return std::unexpected(id.error());
  return std::unique_ptr<AuditSpool>(new AuditSpool(std::move(*db), std::move(*id)));
}

void BindEventFields(db::Prepared& q, const AuditEntry& e) {
  std::optional<long long> uid;
  if (e.user_id) uid = *e.user_id;
  q.Bind(e.at)
      .Bind(uid)
      .Bind(e.username)
      .Bind(e.action)
      .Bind(e.record_type)
      .Bind(e.record_id)
      .Bind(e.ip)
      .Bind(e.request_id)
      .Bind(e.details);
}

Status AuditSpool::Write(const std::vector<AuditEntry>& batch) {
  auto done = db_->InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto insert = s.Prepare(
        "INSERT INTO spooled_entries (at, user_id, username, action, record_type, record_id, ip, request_id, "
        "details) VALUES (:at, :uid, :un, :ac, :rt, :ri, :ip, :rq, :de)");
    for (const auto& e : batch) {
      BindEventFields(insert, e);
      insert.Execute();
    }
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::vector<std::pair<long long, AuditEntry>>> AuditSpool::After(long long after, std::size_t limit) {
  return db::Guard([&]() -> Result<std::vector<std::pair<long long, AuditEntry>>> {
    auto s = db_->Acquire();
    auto q = s.Prepare(
        "SELECT seq, at, user_id, username, action, record_type, record_id, ip, request_id, details FROM "
        "spooled_entries WHERE seq > :after ORDER BY seq LIMIT :lim");
    q.Bind(after).Bind(static_cast<long long>(limit));
    std::vector<std::pair<long long, AuditEntry>> out;
    for (bool row = q.Execute(); row; row = q.Next()) {
      const soci::row& r = q.Row();
      AuditEntry e;
      e.at = r.get<std::string>(1);
      if (r.get_indicator(2) != soci::i_null) e.user_id = db::RowInt(r, 2);
      e.username = r.get<std::string>(3);
      e.action = r.get<std::string>(4);
      e.record_type = r.get<std::string>(5);
      e.record_id = r.get<std::string>(6);
      e.ip = r.get<std::string>(7);
      e.request_id = r.get<std::string>(8);
      e.details = r.get<std::string>(9);
      out.emplace_back(db::RowInt(r, 0), std::move(e));
    }
    return out;
  });
}

Status AuditSpool::DropThrough(long long seq) {
  auto done = db_->InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    s.Prepare("DELETE FROM spooled_entries WHERE seq <= :seq").Bind(seq).Execute();
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

}  // namespace sanad::audit
