#include "auth/throttle_store.h"

#include <algorithm>
#include <map>

#include "db/row.h"

namespace sanad::auth {

namespace {

constexpr const char* kColumns = "failures, refused, blocked_until, last_failure_at, last_success_at";

void ReadRow(soci::session& sql, bool lock, const std::string& scope, const std::string& subject, ThrottleRow& r) {
  std::string q = std::string("SELECT ") + kColumns + " FROM login_throttle WHERE scope = :s AND subject = :k";
  if (lock) q += " FOR UPDATE";
  sql << q, soci::use(scope), soci::use(subject), soci::into(r.failures), soci::into(r.refused),
      soci::into(r.blocked_until), soci::into(r.last_failure_at), soci::into(r.last_success_at);
}

void WriteRow(soci::session& sql, const std::string& scope, const std::string& subject, const ThrottleRow& r,
              const std::string& now) {
  sql << "UPDATE login_throttle SET failures = :f, refused = :r, blocked_until = :b, last_failure_at = :lf, "
         "last_success_at = :ls, updated_at = :n WHERE scope = :s AND subject = :k",
      soci::use(r.failures), soci::use(r.refused), soci::use(r.blocked_until), soci::use(r.last_failure_at),
      soci::use(r.last_success_at), soci::use(now), soci::use(scope), soci::use(subject);
}

}  // namespace

Result<Admission> ThrottleStore::Update(const std::string& username, const std::string& ip, const std::string& now,
                                        const std::function<Admission(ThrottleRows&)>& change) {
  return db_.InTransaction<Admission>([&](db::Session& s) -> Result<Admission> {
    auto& sql = s.sql();
    const bool lock = s.dialect() == db::Dialect::kPostgres;
    const std::string pair = PairSubject(username, ip);
    // Fixed order (account, address, pair) for inserts and locks: no two attempts wait on each other
    // in opposite orders.
    const std::array<std::pair<std::string, const std::string*>, 3> keys{
        {{"account", &username}, {"address", &ip}, {"pair", &pair}}};
    for (const auto& [scope, subject] : keys) {
      sql << "INSERT INTO login_throttle (scope, subject, updated_at) VALUES (:s, :k, :n) "
             "ON CONFLICT (scope, subject) DO NOTHING",
          soci::use(scope), soci::use(*subject), soci::use(now);
    }
    ThrottleRows rows;
    ReadRow(sql, lock, "account", username, rows.account);
    ReadRow(sql, lock, "address", ip, rows.address);
    ReadRow(sql, lock, "pair", pair, rows.pair);
    Admission a = change(rows);
    WriteRow(sql, "account", username, rows.account, now);
    WriteRow(sql, "address", ip, rows.address, now);
    WriteRow(sql, "pair", pair, rows.pair, now);
    return a;
  });
}

Result<ThrottleSweep> ThrottleStore::Sweep(const std::string& now, const std::string& idle_before,
                                           const std::string& known_after) {
  return db_.InTransaction<ThrottleSweep>([&](db::Session& s) -> Result<ThrottleSweep> {
    ThrottleSweep out;
    std::map<std::string, long long> by_address;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "DELETE FROM login_throttle WHERE updated_at < :i AND blocked_until < :n "
                            "AND last_success_at <= :k RETURNING scope, subject, failures, refused",
         soci::use(idle_before), soci::use(now), soci::use(known_after));
    for (const auto& r : rs) {
      ++out.rows;
      const std::string scope = r.get<std::string>(0);
      if (scope == "address") {
        ++out.addresses;
        out.failures += db::RowInt(r, 2);
        out.refused += db::RowInt(r, 3);
        by_address[r.get<std::string>(1)] = db::RowInt(r, 2) + db::RowInt(r, 3);
      } else if (scope == "account") {
        ++out.accounts;
      }
    }
    std::vector<std::pair<std::string, long long>> top(by_address.begin(), by_address.end());
    std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (top.size() > 10) top.resize(10);
    out.top_addresses = std::move(top);
    return out;
  });
}

Result<std::optional<ThrottleRow>> ThrottleStore::Find(const std::string& scope, const std::string& subject) {
  return db::Guard([&]() -> Result<std::optional<ThrottleRow>> {
    auto s = db_.Acquire();
    ThrottleRow r;
    ReadRow(s.sql(), false, scope, subject, r);
    if (!s.sql().got_data()) return std::nullopt;
    return r;
  });
}

}  // namespace sanad::auth
