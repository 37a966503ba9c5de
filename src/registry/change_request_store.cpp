#include "registry/change_request_store.h"

#include <fmt/format.h>

#include "db/row.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::AreaCondition;
using sql::CountRows;

std::int64_t ChangeRequestStore::InsertChangeRequest(db::Session& s, const ChangeRequestRow& row,
                                                     const std::vector<Target>& targets) {
  long long id = 0, items = row.item_count;
  std::optional<long long> author = row.author_id;
  std::optional<std::string> code, params;
  if (!row.summary_code.empty()) {
    code = row.summary_code;
    params = sql::ParamsJson(row.summary_params);
  }
  s.sql() << "INSERT INTO change_requests (kind, status, author_id, author_username, created_at, summary, payload, "
             "area_code, item_count, summary_code, summary_params) "
             "VALUES (:k, 'pending', :a, :u, :c, :s, :p, :ar, :n, :sc, :sp) RETURNING id",
      soci::use(row.kind), soci::use(author), soci::use(row.author_username), soci::use(row.created_at),
      soci::use(row.summary), soci::use(row.payload), soci::use(row.area_code), soci::use(items), soci::use(code),
      soci::use(params), soci::into(id);
  for (const auto& t : targets) {
    long long rid = t.record_id, bv = t.base_version;
    s.sql() << "INSERT INTO change_request_targets (change_request_id, record_type, record_id, base_version) "
               "VALUES (:c, :t, :r, :b) ON CONFLICT DO NOTHING",
        soci::use(id), soci::use(t.record_type), soci::use(rid), soci::use(bv);
  }
  for (const auto& commune : row.communes) {
    s.sql()
        << "INSERT INTO change_request_areas (change_request_id, commune_code) VALUES (:c, :a) ON CONFLICT DO NOTHING",
        soci::use(id), soci::use(commune);
  }
  return id;
}

namespace {

constexpr const char* kCrColumns =
    "cr.id, cr.kind, cr.status, cr.author_id, cr.author_username, cr.created_at, cr.summary, cr.payload, cr.area_code, "
    "cr.item_count, cr.reviewer_username, cr.reviewed_at, cr.review_comment, cr.summary_code, cr.summary_params";

ChangeRequestRow ReadCr(const soci::row& r) {
  ChangeRequestRow c;
  c.id = db::RowInt(r, 0);
  c.kind = r.get<std::string>(1);
  c.status = r.get<std::string>(2);
  c.author_id = db::RowOptInt(r, 3);
  c.author_username = r.get<std::string>(4);
  c.created_at = r.get<std::string>(5);
  c.summary = r.get<std::string>(6);
  c.payload = r.get<std::string>(7);
  c.area_code = db::RowOptStr(r, 8);
  c.item_count = db::RowInt(r, 9);
  c.reviewer_username = db::RowOptStr(r, 10);
  c.reviewed_at = db::RowOptStr(r, 11);
  c.review_comment = db::RowOptStr(r, 12);
  c.summary_code = db::RowOptStr(r, 13).value_or("");
  if (auto params = db::RowOptStr(r, 14)) c.summary_params = sql::ParamsFrom(*params);
  return c;
}

std::vector<std::int64_t> Conflicts(soci::session& sql, std::int64_t id) {
  long long cid = id;
  std::vector<std::int64_t> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT DISTINCT t2.change_request_id FROM change_request_targets t1 "
                      "JOIN change_request_targets t2 ON t2.record_type = t1.record_type AND "
                      "t2.record_id = t1.record_id AND t2.change_request_id <> t1.change_request_id "
                      "JOIN change_requests c ON c.id = t2.change_request_id AND c.status = 'pending' "
                      "WHERE t1.change_request_id = :id ORDER BY 1",
       soci::use(cid));
  for (const auto& r : rs) out.push_back(db::RowInt(r, 0));
  return out;
}

std::vector<std::string> Communes(soci::session& sql, std::int64_t id) {
  long long cid = id;
  std::vector<std::string> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT commune_code FROM change_request_areas WHERE change_request_id = :id "
                      "ORDER BY commune_code",
       soci::use(cid));
  for (const auto& r : rs) out.push_back(r.get<std::string>(0));
  return out;
}

}  // namespace

std::optional<ChangeRequestRow> ChangeRequestStore::LoadChangeRequest(db::Session& s, std::int64_t id) {
  long long cid = id;
  std::string sql = std::string("SELECT ") + kCrColumns + " FROM change_requests cr WHERE cr.id = :id";
  if (s.dialect() == db::Dialect::kPostgres) sql += " FOR UPDATE";
  soci::rowset<soci::row> rs = (s.sql().prepare << sql, soci::use(cid));
  for (const auto& r : rs) {
    auto c = ReadCr(r);
    c.conflicts_with = Conflicts(s.sql(), id);
    c.communes = Communes(s.sql(), id);
    return c;
  }
  return std::nullopt;
}

Result<std::optional<ChangeRequestRow>> ChangeRequestStore::GetChangeRequest(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<ChangeRequestRow>> {
    auto s = db_.Acquire();
    long long cid = id;
    AreaCondition area(scope), every(scope.area, scope.today, "ev");
    // A request without an area (a national import) is visible to national reviewers only.
    const bool national = !scope.area.has_value();
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(std::string("SELECT ") + kCrColumns +
               " FROM change_requests cr WHERE cr.id = :id AND (:nat = 1 OR cr.area_code IS NOT NULL) AND " +
               area.Sql("cr.area_code") + " AND " + every.SqlEveryCommuneOf("cr.id"));
    st.exchange(soci::into(r));
    int nat = national ? 1 : 0;
    st.exchange(soci::use(cid));
    st.exchange(soci::use(nat));
    area.Bind(st);
    every.Bind(st);
    st.define_and_bind();
    if (!st.execute(true)) return std::optional<ChangeRequestRow>();
    auto c = ReadCr(r);
    c.conflicts_with = Conflicts(s.sql(), id);
    c.communes = Communes(s.sql(), id);
    return std::optional<ChangeRequestRow>(std::move(c));
  });
}

Result<bool> ChangeRequestStore::ChangeRequestWithin(db::Session& s, const ChangeRequestRow& cr, const Scope& scope) {
  return db::Guard([&]() -> Result<bool> {
    if (!scope.area) return true;
    if (!cr.area_code) return false;
    if (!sql::AreaWithin(s.sql(), *cr.area_code, scope)) return false;
    for (const auto& c : cr.communes) {
      if (!sql::AreaWithin(s.sql(), c, scope)) return false;
    }
    return true;
  });
}

std::vector<Target> ChangeRequestStore::Targets(db::Session& s, std::int64_t cr) {
  long long cid = cr;
  std::vector<Target> out;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << "SELECT record_type, record_id, base_version FROM change_request_targets "
                          "WHERE change_request_id = :c ORDER BY record_type, record_id",
       soci::use(cid));
  for (const auto& r : rs) out.push_back({r.get<std::string>(0), db::RowInt(r, 1), db::RowInt(r, 2)});
  return out;
}

Result<std::pair<std::vector<ChangeRequestRow>, long long>> ChangeRequestStore::ListChangeRequests(
    const std::optional<std::string>& status, int limit, int offset, const Scope& scope,
    std::optional<std::int64_t> household_id, std::optional<std::int64_t> author_id) {
  return db::Guard([&]() -> Result<std::pair<std::vector<ChangeRequestRow>, long long>> {
    auto s = db_.Acquire();
    // A request without an area (a national import) is visible to national reviewers only.
    AreaCondition within(scope), every(scope.area, scope.today, "ev");
    std::string where = " WHERE (CAST(:st1 AS TEXT) IS NULL OR cr.status = :st2) AND " + within.Sql("cr.area_code") +
                        " AND " + every.SqlEveryCommuneOf("cr.id");
    if (household_id) {
      // Integer inlined (not user text); requests targeting the household or one of its members, and
      // imports whose staged rows add members to it (imports record no targets).
      where += fmt::format(
          " AND (EXISTS (SELECT 1 FROM change_request_targets t WHERE t.change_request_id = cr.id AND ("
          "(t.record_type = 'household' AND t.record_id = {0}) OR (t.record_type = 'person' AND t.record_id IN "
          "(SELECT id FROM persons WHERE household_id = {0})))) OR cr.id IN (SELECT sp.change_request_id FROM "
          "staged_persons sp WHERE sp.household_id = {0}))",
          *household_id);
    }
    if (author_id) where += fmt::format(" AND cr.author_id = {}", *author_id);  // an integer, not user text
    std::optional<std::string> st_holder = status;
    auto bind = [&](soci::statement& st) {
      st.exchange(soci::use(st_holder));
      st.exchange(soci::use(st_holder));
      within.Bind(st);
      every.Bind(st);
    };
    const long long total = CountRows(s.sql(), "SELECT COUNT(*) FROM change_requests cr" + where, bind);
    std::vector<ChangeRequestRow> out;
    {
      soci::row r;
      soci::statement st(s.sql());
      st.alloc();
      st.prepare(std::string("SELECT ") + kCrColumns + " FROM change_requests cr" + where +
                 fmt::format(" ORDER BY cr.id DESC LIMIT {} OFFSET {}", limit, offset));
      st.exchange(soci::into(r));
      bind(st);
      st.define_and_bind();
      if (st.execute(true)) {
        do out.push_back(ReadCr(r));
        while (st.fetch());
      }
    }
    for (auto& c : out) {
      c.conflicts_with = Conflicts(s.sql(), c.id);
      c.communes = Communes(s.sql(), c.id);
    }
    return std::make_pair(std::move(out), total);
  });
}

void ChangeRequestStore::FinishChangeRequest(db::Session& s, std::int64_t id, const std::string& status,
                                             std::optional<std::int64_t> reviewer_id, const std::string& reviewer,
                                             const std::string& now, const std::string& comment) {
  long long cid = id;
  std::optional<long long> rid = reviewer_id;
  s.sql() << "UPDATE change_requests SET status = :s, reviewer_id = :r, reviewer_username = :u, reviewed_at = :n, "
             "review_comment = :c WHERE id = :id",
      soci::use(status), soci::use(rid), soci::use(reviewer), soci::use(now), soci::use(comment), soci::use(cid);
}

}  // namespace sanad::registry
