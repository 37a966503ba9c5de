#include "audit/audit_log.h"

#include <fmt/format.h>

namespace sanad::audit {

Result<AuditEntry> AuditLog::Append(AuditEntry entry) {
  return db_.InTransaction<AuditEntry>([&](db::Session& s) { return AppendIn(s, std::move(entry)); });
}

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

namespace {

// The record an entry is about, as an integer id: NULL unless record_id is a plain number (so that no
// cast can fail on PostgreSQL).
constexpr const char* kRecordId =
    "(CASE WHEN audit_log.record_id <> '' AND LENGTH(audit_log.record_id) <= 18 AND "
    "LTRIM(audit_log.record_id, '0123456789') = '' THEN CAST(audit_log.record_id AS BIGINT) END)";

// Entries about records inside the scope's areas (table `sc` of the query's WITH clause). The audit
// log names records of other modules by type and id, so this is the one query of the audit module
// that reads their tables: the filter must be in the query, not applied to a page afterwards.
std::string ScopeClause() {
  const std::string in_area = "IN (SELECT commune FROM sc)";
  const std::string id = kRecordId;
  return fmt::format(
      " AND ((audit_log.record_type IN ('person', 'person_benefits') AND EXISTS (SELECT 1 FROM persons p JOIN households h "
      "ON h.id = p.household_id WHERE p.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type IN ('household', 'household_history', 'household_benefits') AND EXISTS (SELECT 1 FROM "
      "households h WHERE h.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type = 'change_request' AND EXISTS (SELECT 1 FROM change_requests cr WHERE cr.id = {0} AND "
      "cr.area_code {1} AND NOT EXISTS (SELECT 1 FROM change_request_areas ca WHERE ca.change_request_id = cr.id AND "
      "ca.commune_code NOT {1})))"
      " OR (audit_log.record_type = 'benefit' AND EXISTS (SELECT 1 FROM benefits b LEFT JOIN persons p ON p.id = b.person_id "
      "JOIN households h ON h.id = COALESCE(p.household_id, b.household_id) WHERE b.id = {0} AND h.commune_code {1}))"
      " OR (audit_log.record_type = 'linkage_job' AND EXISTS (SELECT 1 FROM linkage_jobs j WHERE j.id = {0} AND "
      "j.area_code {1}))"
      " OR (audit_log.record_type = 'linkage_candidate' AND EXISTS (SELECT 1 FROM linkage_candidates c JOIN persons pa ON "
      "pa.id = c.person_a JOIN households ha ON ha.id = pa.household_id JOIN persons pb ON pb.id = c.person_b JOIN "
      "households hb ON hb.id = pb.household_id WHERE c.id = {0} AND ha.commune_code {1} AND hb.commune_code {1})))",
      id, in_area);
}

}  // namespace

Result<AuditPage> AuditLog::Query(const AuditQuery& q) {
  try {
    auto s = db_.Acquire();
    // Every filter is a bound parameter; absent filters bind NULL and are short-circuited.
    std::string with;
    std::string where = " WHERE 1=1";
    if (q.scope_area) {
      with = "WITH sc (commune) AS (SELECT descendant FROM area_ancestors WHERE ancestor = :sa AND valid_from <= :sd1 "
             "AND valid_to > :sd2) ";
    }
    where += " AND (CAST(:u AS TEXT) IS NULL OR username = :u2)";
    where += " AND (CAST(:rt AS TEXT) IS NULL OR record_type = :rt2)";
    where += " AND (CAST(:ri AS TEXT) IS NULL OR record_id = :ri2)";
    where += " AND (CAST(:ac AS TEXT) IS NULL OR action = :ac2)";
    where += " AND (CAST(:f AS TEXT) IS NULL OR at >= :f2)";
    where += " AND (CAST(:t AS TEXT) IS NULL OR at < :t2)";
    if (q.scope_area) where += ScopeClause();
    std::string area = q.scope_area.value_or(""), today = q.today;
    auto bind = [&](soci::statement& st) {
      if (q.scope_area) {
        st.exchange(soci::use(area));
        st.exchange(soci::use(today));
        st.exchange(soci::use(today));
      }
      for (const auto* v : {&q.username, &q.record_type, &q.record_id, &q.action, &q.from, &q.to}) {
        st.exchange(soci::use(*v));
        st.exchange(soci::use(*v));
      }
    };
    AuditPage page;
    {
      soci::statement st(s.sql());
      st.alloc();
      st.prepare(with + "SELECT COUNT(*) FROM audit_log" + where);
      st.exchange(soci::into(page.total));
      bind(st);
      st.define_and_bind();
      st.execute(true);
    }
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(with + "SELECT " + kColumns + " FROM audit_log" + where +
               fmt::format(" ORDER BY id DESC LIMIT {} OFFSET {}", q.limit, q.offset));
    st.exchange(soci::into(r));
    bind(st);
    st.define_and_bind();
    if (st.execute(true)) {
      do page.items.push_back(FromRow(r));
      while (st.fetch());
    }
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
