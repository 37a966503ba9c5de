#include "registry/registry_store.h"

#include <fmt/format.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <charconv>
#include <functional>
#include <unordered_map>

#include "db/row.h"

namespace sanad::registry {

namespace {

std::string Cols(std::span<const FieldSpec> fields, std::string_view prefix = "") {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += f.name;
  }
  return out;
}

// Every column read as text so one generic reader serves both databases and every type.
std::string TextCols(std::span<const FieldSpec> fields, std::string_view prefix) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += fmt::format("CAST({}{} AS TEXT)", prefix, f.name);
  }
  return out;
}

std::string Placeholders(std::size_t n, std::string_view stem) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += fmt::format("{}:{}{}", i ? ", " : "", stem, i);
  return out;
}

// Values bound as text: PostgreSQL infers each parameter's type from its column, SQLite applies the
// column's affinity. Storage must outlive the statement.
struct Binder {
  std::vector<std::string> text;
  std::vector<soci::indicator> ind;
  void Add(const std::optional<std::string>& v) {
    text.push_back(v.value_or(""));
    ind.push_back(v ? soci::i_ok : soci::i_null);
  }
  void Bind(soci::statement& st) {
    for (std::size_t i = 0; i < text.size(); ++i) st.exchange(soci::use(text[i], ind[i]));
  }
};

void ReadValues(const soci::row& r, std::size_t first, std::span<const FieldSpec> fields, Values& out) {
  out.assign(fields.size(), std::nullopt);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (r.get_indicator(first + i) == soci::i_null) continue;
    std::string v = r.get<std::string>(first + i);
    if (fields[i].type == FieldType::kDecimal) {
      double d = 0;
      std::from_chars(v.data(), v.data() + v.size(), d);
      v = fmt::format("{}", d);
    } else if (fields[i].type == FieldType::kBool) {
      v = (v == "1" || v == "true" || v == "t") ? "1" : "0";
    }
    out[i] = std::move(v);
  }
}

// "(no area OR the commune lies under `area` on `day`)": the caller's scope, or an area filter, inside
// a store query. Holds the values it binds, so it must outlive the statement's execution; placeholders
// are :<tag>1…:<tag>4 so that two conditions can share a statement.
class AreaCondition {
 public:
  AreaCondition(std::optional<std::string> area, std::string day, std::string tag)
      : area_(std::move(area)), day_(std::move(day)), tag_(std::move(tag)) {}
  explicit AreaCondition(const Scope& scope) : AreaCondition(scope.area, scope.today, "sc") {}

  std::string Sql(std::string_view commune_column) const {
    return fmt::format(
        "(CAST(:{0}1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM area_ancestors {0}x WHERE {0}x.ancestor = :{0}2 "
        "AND {0}x.descendant = {1} AND {0}x.valid_from <= :{0}3 AND {0}x.valid_to > :{0}4))",
        tag_, commune_column);
  }
  // "(no area OR every commune the change request `cr_id` touches lies under `area`)"; same bindings.
  std::string SqlEveryCommuneOf(std::string_view cr_id) const {
    return fmt::format(
        "(CAST(:{0}1 AS TEXT) IS NULL OR NOT EXISTS (SELECT 1 FROM change_request_areas {0}a WHERE "
        "{0}a.change_request_id = {1} "
        "AND NOT EXISTS (SELECT 1 FROM area_ancestors {0}x WHERE {0}x.ancestor = :{0}2 AND {0}x.descendant = "
        "{0}a.commune_code "
        "AND {0}x.valid_from <= :{0}3 AND {0}x.valid_to > :{0}4)))",
        tag_, cr_id);
  }
  void Bind(soci::statement& st) {
    st.exchange(soci::use(area_));
    st.exchange(soci::use(area_));
    st.exchange(soci::use(day_));
    st.exchange(soci::use(day_));
  }
  void Bind(db::Prepared& q) const { q.Bind(area_).Bind(area_).Bind(day_).Bind(day_); }

 private:
  std::optional<std::string> area_;
  std::string day_;
  std::string tag_;
};

// SELECT COUNT(*) … with the caller's bindings.
long long CountRows(soci::session& sql, const std::string& query, const std::function<void(soci::statement&)>& bind) {
  long long n = 0;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query);
  st.exchange(soci::into(n));
  bind(st);
  st.define_and_bind();
  st.execute(true);
  return n;
}

// "IN <a list of ids bound as one text parameter>", so that a statement with an id list has one text
// whatever the ids (and is prepared once): SQLite reads a JSON array, PostgreSQL an array literal.
std::string IdListSql(db::Dialect d) {
  return d == db::Dialect::kSqlite ? "IN (SELECT value FROM json_each(:ids))" : "= ANY(CAST(:ids AS BIGINT[]))";
}

std::string IdListParam(db::Dialect d, const std::vector<std::int64_t>& ids) {
  std::string out(1, d == db::Dialect::kSqlite ? '[' : '{');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += d == db::Dialect::kSqlite ? ']' : '}';
  return out;
}

std::string RefExpr(db::Dialect d, char prefix) {
  return d == db::Dialect::kSqlite ? fmt::format("printf('{}%09d', id)", prefix)
                                   : fmt::format("'{}' || lpad(CAST(id AS TEXT), 9, '0')", prefix);
}

constexpr std::size_t kPersonHead = 4;  // id, household_id, version, merged_into precede the fields

std::string PersonSelect(std::string_view table, std::string_view alias) {
  return fmt::format("SELECT {0}.id, {0}.household_id, {0}.version, {0}.merged_into, {1} FROM {2} {0}", alias,
                     TextCols(PersonFields(), std::string(alias) + "."), table);
}

PersonRecord ReadPerson(const soci::row& r) {
  PersonRecord p;
  p.id = db::RowInt(r, 0);
  p.household_id = db::RowInt(r, 1);
  p.version = db::RowInt(r, 2);
  p.merged_into = db::RowOptInt(r, 3);
  ReadValues(r, kPersonHead, PersonFields(), p.values);
  return p;
}

std::vector<PersonRecord> Members(db::Session& s, std::int64_t household_id) {
  static const std::string kSql = PersonSelect("persons", "p") +
                                  " WHERE p.household_id = :h ORDER BY CASE WHEN p.relationship = 'head' "
                                  "THEN 0 ELSE 1 END, p.id";
  std::vector<PersonRecord> out;
  auto q = s.Prepare(kSql);
  q.Bind(static_cast<long long>(household_id));
  for (bool row = q.Execute(); row; row = q.Next()) out.push_back(ReadPerson(q.Row()));
  return out;
}

void CopyIn(soci::session& sql, const std::string& table_and_columns, const std::string& csv) {
  auto* be = static_cast<soci::postgresql_session_backend*>(sql.get_backend());
  PGconn* conn = be->conn_;
  PGresult* res = PQexec(conn, ("COPY " + table_and_columns + " FROM STDIN WITH (FORMAT csv)").c_str());
  bool ok = PQresultStatus(res) == PGRES_COPY_IN;
  PQclear(res);
  if (!ok) throw std::runtime_error(std::string("COPY failed to start: ") + PQerrorMessage(conn));
  if (PQputCopyData(conn, csv.data(), static_cast<int>(csv.size())) != 1 || PQputCopyEnd(conn, nullptr) != 1) {
    throw std::runtime_error(std::string("COPY failed: ") + PQerrorMessage(conn));
  }
  res = PQgetResult(conn);
  ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  std::string err = ok ? "" : PQresultErrorMessage(res);
  PQclear(res);
  while ((res = PQgetResult(conn)) != nullptr) PQclear(res);
  if (!ok) throw std::runtime_error("COPY failed: " + err);
}

void AppendCsv(std::string& out, const std::optional<std::string>& v) {
  if (!v) return;  // empty unquoted field = NULL in PostgreSQL's CSV COPY
  out.push_back('"');
  for (char c : *v) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

// Bulk insert: COPY on PostgreSQL, one statement prepared once and stepped per row through SQLite's
// native API. Cells are read through `cell(column, row)` (a reference to the caller's value), so rows
// are bound where they already are, never copied into another layout.
using CellFn = std::function<const std::optional<std::string>&(std::size_t column, std::size_t row)>;

void BulkInsertCells(soci::session& sql, db::Dialect dialect, const std::string& table,
                     const std::vector<std::string>& columns, std::size_t nrows, const CellFn& cell) {
  if (nrows == 0) return;
  std::string cols;
  for (const auto& c : columns) cols += (cols.empty() ? "" : ", ") + c;
  if (dialect == db::Dialect::kPostgres) {
    constexpr std::size_t kChunk = 100000;  // bounded memory for the CSV text of one COPY
    for (std::size_t start = 0; start < nrows; start += kChunk) {
      const std::size_t end = std::min(nrows, start + kChunk);
      std::string csv;
      csv.reserve((end - start) * columns.size() * 8);
      for (std::size_t r = start; r < end; ++r) {
        for (std::size_t c = 0; c < columns.size(); ++c) {
          if (c) csv.push_back(',');
          AppendCsv(csv, cell(c, r));
        }
        csv.push_back('\n');
      }
      CopyIn(sql, table + " (" + cols + ")", csv);
    }
    return;
  }
  using namespace sqlite_api;  // SOCI's header wraps sqlite3.h in this namespace
  auto* be = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
  std::string ph;
  for (std::size_t c = 0; c < columns.size(); ++c) ph += c ? ", ?" : "?";
  const std::string text = "INSERT INTO " + table + " (" + cols + ") VALUES (" + ph + ")";
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(be->conn_, text.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("prepare failed: ") + sqlite3_errmsg(be->conn_));
  }
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> guard(stmt, sqlite3_finalize);
  for (std::size_t r = 0; r < nrows; ++r) {
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto& v = cell(c, r);
      if (v) {
        sqlite3_bind_text(stmt, static_cast<int>(c + 1), v->data(), static_cast<int>(v->size()), SQLITE_STATIC);
      } else {
        sqlite3_bind_null(stmt, static_cast<int>(c + 1));
      }
    }
    if (sqlite3_step(stmt) != SQLITE_DONE) {
      throw std::runtime_error(
          fmt::format("insert into {} failed at row {}: {}", table, r + 1, sqlite3_errmsg(be->conn_)));
    }
    sqlite3_reset(stmt);
  }
}

// Column-major values (column_values[c][r]).
void BulkInsert(soci::session& sql, db::Dialect dialect, const std::string& table,
                const std::vector<std::string>& columns,
                const std::vector<std::vector<std::optional<std::string>>>& column_values, std::size_t nrows) {
  BulkInsertCells(
      sql, dialect, table, columns, nrows,
      [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& { return column_values[c][r]; });
}

}  // namespace

// ---------------------------------------------------------------- reads

std::optional<HouseholdRecord> RegistryStore::LoadHousehold(db::Session& s, std::int64_t id) {
  static const std::string kSql =
      fmt::format("SELECT h.id, h.version, h.created_at, h.updated_at, {} FROM households h WHERE h.id = :id",
                  TextCols(HouseholdFields(), "h."));
  {
    auto q = s.Prepare(kSql);
    q.Bind(static_cast<long long>(id));
    if (!q.Execute()) return std::nullopt;
    const soci::row& r = q.Row();
    HouseholdRecord h;
    h.id = db::RowInt(r, 0);
    h.version = db::RowInt(r, 1);
    h.created_at = r.get<std::string>(2);
    h.updated_at = r.get<std::string>(3);
    ReadValues(r, 4, HouseholdFields(), h.values);
    h.members = Members(s, id);
    return h;
  }
}

std::optional<PersonRecord> RegistryStore::LoadPerson(db::Session& s, std::int64_t id) {
  static const std::string kSql = PersonSelect("persons", "p") + " WHERE p.id = :id";
  auto q = s.Prepare(kSql);
  q.Bind(static_cast<long long>(id));
  if (!q.Execute()) return std::nullopt;
  return ReadPerson(q.Row());
}

Result<std::optional<HouseholdRecord>> RegistryStore::GetHousehold(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<HouseholdRecord>> {
    auto s = db_.Acquire();
    AreaCondition within(scope);
    static const std::string kSql =
        "SELECT 1 FROM households h WHERE h.id = :id AND " + AreaCondition(Scope{}).Sql("h.commune_code");
    {
      auto q = s.Prepare(kSql);
      q.Bind(static_cast<long long>(id));
      within.Bind(q);
      if (!q.Execute()) return std::optional<HouseholdRecord>();
    }
    return LoadHousehold(s, id);
  });
}

Result<std::optional<HouseholdRecord>> RegistryStore::GetHouseholdAsOf(std::int64_t id, const std::string& day,
                                                                       const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<HouseholdRecord>> {
    auto s = db_.Acquire();
    const std::string at = day + "T23:59:59.999999Z";
    long long hid = id;
    AreaCondition within(scope);
    std::optional<HouseholdRecord> out;
    {
      soci::statement st(s.sql());
      st.alloc();
      soci::row r;
      st.prepare(
          fmt::format("SELECT h.household_id, h.version, h.valid_from, h.valid_to, {} FROM household_versions h "
                      "WHERE h.household_id = :id AND h.valid_from <= :a1 AND h.valid_to > :a2 AND {}",
                      TextCols(HouseholdFields(), "h."), within.Sql("h.commune_code")));
      st.exchange(soci::into(r));
      st.exchange(soci::use(hid));
      std::string a1 = at, a2 = at;
      st.exchange(soci::use(a1));
      st.exchange(soci::use(a2));
      within.Bind(st);
      st.define_and_bind();
      if (st.execute(true)) {
        HouseholdRecord h;
        h.id = db::RowInt(r, 0);
        h.version = db::RowInt(r, 1);
        h.created_at = r.get<std::string>(2);
        h.updated_at = r.get<std::string>(2);
        ReadValues(r, 4, HouseholdFields(), h.values);
        out = std::move(h);
      }
    }
    if (!out) return out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format(
             "SELECT v.person_id, v.household_id, v.version, v.merged_into, {} FROM person_versions v "
             "WHERE v.household_id = :h AND v.valid_from <= :a1 AND v.valid_to > :a2 "
             "ORDER BY CASE WHEN v.relationship = 'head' THEN 0 ELSE 1 END, v.person_id",
             TextCols(PersonFields(), "v.")),
         soci::use(hid), soci::use(at), soci::use(at));
    for (const auto& r : rs) out->members.push_back(ReadPerson(r));
    return out;
  });
}

Result<std::optional<PersonRecord>> RegistryStore::GetPerson(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<PersonRecord>> {
    auto s = db_.Acquire();
    AreaCondition within(scope);
    static const std::string kSql =
        "SELECT 1 FROM persons p JOIN households h ON h.id = p.household_id WHERE p.id = :id AND " +
        AreaCondition(Scope{}).Sql("h.commune_code");
    {
      auto q = s.Prepare(kSql);
      q.Bind(static_cast<long long>(id));
      within.Bind(q);
      if (!q.Execute()) return std::optional<PersonRecord>();
    }
    return LoadPerson(s, id);
  });
}

Result<std::optional<std::int64_t>> RegistryStore::PersonIdByRecordId(const std::string& record_id) {
  return db::Guard([&]() -> Result<std::optional<std::int64_t>> {
    auto s = db_.Acquire();
    long long id = 0;
    s.sql() << "SELECT id FROM persons WHERE record_id = :r", soci::use(record_id), soci::into(id);
    if (!s.sql().got_data()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

Result<std::vector<HistoryEvent>> RegistryStore::History(std::int64_t household_id) {
  return db::Guard([&]() -> Result<std::vector<HistoryEvent>> {
    auto s = db_.Acquire();
    long long hid = household_id;
    std::vector<HistoryEvent> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare
             << "SELECT e.at, e.rtype, e.rid, e.version, e.cr, c.kind, c.author_username, c.reviewer_username, "
                "c.summary FROM ("
                " SELECT valid_from AS at, 'household' AS rtype, household_id AS rid, version, "
                "change_request_id AS cr FROM household_versions WHERE household_id = :h1"
                " UNION ALL"
                " SELECT valid_from, 'person', person_id, version, change_request_id FROM person_versions "
                "WHERE household_id = :h2) e LEFT JOIN change_requests c ON c.id = e.cr "
                "ORDER BY e.at, e.rtype, e.rid",
         soci::use(hid), soci::use(hid));
    for (const auto& r : rs) {
      HistoryEvent e;
      e.at = r.get<std::string>(0);
      e.record_type = r.get<std::string>(1);
      e.record_id = db::RowInt(r, 2);
      e.version = db::RowInt(r, 3);
      e.change_request_id = db::RowOptInt(r, 4);
      e.kind = db::RowOptStr(r, 5).value_or("");
      e.author = db::RowOptStr(r, 6).value_or("");
      e.reviewer = db::RowOptStr(r, 7).value_or("");
      e.summary = db::RowOptStr(r, 8).value_or("");
      out.push_back(std::move(e));
    }
    return out;
  });
}

Result<std::pair<std::vector<PersonRecord>, long long>> RegistryStore::SearchPersons(const SearchFilter& f,
                                                                                     const Scope& scope) {
  return db::Guard([&]() -> Result<std::pair<std::vector<PersonRecord>, long long>> {
    auto s = db_.Acquire();
    AreaCondition within(scope), in_area(f.area, scope.today, "ar");
    std::string where = " WHERE " + within.Sql("h.commune_code") + " AND " + in_area.Sql("h.commune_code");
    // Only the filters given: "(:x IS NULL OR col = :x)" would hide the indexes from both planners.
    // The statement text depends only on which filters are given (the ids and the page are bound), so
    // each shape is prepared once per connection.
    if (f.national_id) where += " AND p.national_id = :nid";
    if (f.phone) where += " AND p.phone = :ph";
    if (!f.include_inactive) where += " AND p.status = 'active'";
    std::string ids;
    if (f.person_ids) {
      if (f.person_ids->empty()) return std::make_pair(std::vector<PersonRecord>{}, 0LL);
      where += " AND p.id " + IdListSql(s.dialect());
      ids = IdListParam(s.dialect(), *f.person_ids);
    }
    auto bind_filters = [&](db::Prepared& q) {
      within.Bind(q);
      in_area.Bind(q);
      if (f.national_id) q.Bind(*f.national_id);
      if (f.phone) q.Bind(*f.phone);
      if (f.person_ids) q.Bind(ids);
    };
    long long total = 0;
    {
      auto q = s.Prepare("SELECT COUNT(*) FROM persons p JOIN households h ON h.id = p.household_id" + where);
      bind_filters(q);
      if (q.Execute()) total = db::RowInt(q.Row(), 0);
    }
    std::vector<PersonRecord> out;
    {
      // Name-index results keep their rank: the caller orders them; other searches go by id.
      auto q = s.Prepare(PersonSelect("persons", "p") + " JOIN households h ON h.id = p.household_id" + where +
                         " ORDER BY p.id LIMIT :lim OFFSET :off");
      bind_filters(q);
      q.Bind(static_cast<long long>(f.person_ids ? 100000 : f.limit));
      q.Bind(static_cast<long long>(f.person_ids ? 0 : f.offset));
      for (bool row = q.Execute(); row; row = q.Next()) out.push_back(ReadPerson(q.Row()));
    }
    return std::make_pair(std::move(out), total);
  });
}

Result<std::pair<std::vector<HouseholdRecord>, long long>> RegistryStore::ListHouseholds(
    const std::optional<std::string>& area_filter, int limit, int offset, const Scope& scope) {
  return db::Guard([&]() -> Result<std::pair<std::vector<HouseholdRecord>, long long>> {
    auto s = db_.Acquire();
    AreaCondition within(scope), in_area(area_filter, scope.today, "ar");
    const std::string where = " WHERE " + within.Sql("h.commune_code") + " AND " + in_area.Sql("h.commune_code");
    auto bind = [&](soci::statement& st) {
      within.Bind(st);
      in_area.Bind(st);
    };
    const long long total = CountRows(s.sql(), "SELECT COUNT(*) FROM households h" + where, bind);
    std::vector<std::int64_t> ids;
    {
      long long id = 0;
      soci::statement st(s.sql());
      st.alloc();
      st.prepare("SELECT h.id FROM households h" + where +
                 fmt::format(" ORDER BY h.id LIMIT {} OFFSET {}", limit, offset));
      st.exchange(soci::into(id));
      bind(st);
      st.define_and_bind();
      if (st.execute(true)) {
        do ids.push_back(id);
        while (st.fetch());
      }
    }
    std::vector<HouseholdRecord> out;
    for (auto id : ids) {
      if (auto h = LoadHousehold(s, id)) out.push_back(std::move(*h));
    }
    return std::make_pair(std::move(out), total);
  });
}

Result<std::unordered_map<std::int64_t, std::pair<std::string, std::string>>> RegistryStore::HouseholdSummaries(
    const std::vector<std::int64_t>& ids) {
  return db::Guard([&]() -> Result<std::unordered_map<std::int64_t, std::pair<std::string, std::string>>> {
    std::unordered_map<std::int64_t, std::pair<std::string, std::string>> out;
    if (ids.empty()) return out;
    auto s = db_.Acquire();
    auto q = s.Prepare("SELECT id, ref, commune_code FROM households WHERE id " + IdListSql(s.dialect()));
    q.Bind(IdListParam(s.dialect(), ids));
    for (bool row = q.Execute(); row; row = q.Next()) {
      const soci::row& r = q.Row();
      out[db::RowInt(r, 0)] = {db::RowOptStr(r, 1).value_or(""), r.get<std::string>(2)};
    }
    return out;
  });
}

Result<std::optional<std::string>> RegistryStore::HouseholdCommune(db::Session& s, std::int64_t id) {
  long long hid = id;
  std::string commune;
  s.sql() << "SELECT commune_code FROM households WHERE id = :id", soci::use(hid), soci::into(commune);
  if (!s.sql().got_data()) return std::optional<std::string>();
  return std::optional<std::string>(commune);
}

Result<bool> RegistryStore::AreaWithin(db::Session& s, const std::string& area, const Scope& scope) {
  if (!scope.area) return true;
  long long n = 0;
  std::string a = area, sc = *scope.area, t = scope.today;
  s.sql() << "SELECT COUNT(*) FROM area_ancestors WHERE ancestor = :s AND descendant = :a AND valid_from <= :t1 "
             "AND valid_to > :t2",
      soci::use(sc), soci::use(a), soci::use(t), soci::use(t), soci::into(n);
  return n > 0;
}

Result<bool> RegistryStore::AreaExists(db::Session& s, const std::string& code) {
  long long n = 0;
  std::string c = code;
  s.sql() << "SELECT COUNT(*) FROM areas WHERE code = :c", soci::use(c), soci::into(n);
  return n > 0;
}

std::vector<NationalIdHolder> RegistryStore::ActiveNationalIdHolders(db::Session& s, const std::string& national_id,
                                                                     std::optional<std::int64_t> except) {
  std::vector<NationalIdHolder> out;
  long long ex = except.value_or(0);
  soci::rowset<soci::row> rs =
      (s.sql().prepare << "SELECT p.id, h.commune_code FROM persons p JOIN households h ON h.id = p.household_id "
                          "WHERE p.national_id = :n AND p.status = 'active' AND p.id <> :x ORDER BY p.id",
       soci::use(national_id), soci::use(ex));
  for (const auto& r : rs) out.push_back({db::RowInt(r, 0), r.get<std::string>(1)});
  return out;
}

std::vector<HouseholdRuleBreak> RegistryStore::HouseholdRuleBreaks(db::Session& s,
                                                                   const std::vector<std::int64_t>& ids) {
  std::vector<HouseholdRuleBreak> out;
  constexpr std::size_t kChunk = 500;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    std::string in;
    for (std::size_t k = i; k < std::min(ids.size(), i + kChunk); ++k)
      in += (in.empty() ? "" : ",") + std::to_string(ids[k]);
    // Integers only (ids), inlined.
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT h.id, h.ref, "
                            "(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active'), "
                            "(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active' "
                            "AND p.relationship = 'head') FROM households h WHERE h.status = 'active' AND h.id IN (" +
                                in + ")");
    for (const auto& r : rs) {
      HouseholdRuleBreak b{db::RowInt(r, 0), db::RowOptStr(r, 1).value_or(""), db::RowInt(r, 2), db::RowInt(r, 3)};
      if (b.active_members == 0 || b.heads != 1) out.push_back(std::move(b));
    }
  }
  return out;
}

// ---------------------------------------------------------------- writes

std::int64_t RegistryStore::InsertHousehold(db::Session& s, const Values& v, const std::string& now, std::int64_t cr) {
  auto fields = HouseholdFields();
  Binder b;
  for (const auto& x : v) b.Add(x);
  long long id = 0;
  std::string n1 = now, n2 = now;
  {
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format(
        "INSERT INTO households ({}, version, created_at, updated_at) VALUES ({}, 1, :n1, :n2) RETURNING id",
        Cols(fields), Placeholders(fields.size(), "v")));
    b.Bind(st);
    st.exchange(soci::use(n1));
    st.exchange(soci::use(n2));
    st.exchange(soci::into(id));
    st.define_and_bind();
    st.execute(true);
  }
  std::string ref = fmt::format("H{:09d}", id);
  s.sql() << "UPDATE households SET ref = :r WHERE id = :id", soci::use(ref), soci::use(id);
  long long c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT id, version, :n, :e, :cr, {0} FROM households WHERE id = :id",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(id);
  return id;
}

std::int64_t RegistryStore::InsertPerson(db::Session& s, std::int64_t household_id, const Values& v,
                                         const std::string& now, std::int64_t cr) {
  auto fields = PersonFields();
  Binder b;
  for (const auto& x : v) b.Add(x);
  long long id = 0, hid = household_id;
  std::string n1 = now, n2 = now;
  {
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format(
        "INSERT INTO persons (household_id, {}, version, created_at, updated_at) VALUES (:hid, {}, 1, :n1, :n2) "
        "RETURNING id",
        Cols(fields), Placeholders(fields.size(), "v")));
    st.exchange(soci::use(hid));
    b.Bind(st);
    st.exchange(soci::use(n1));
    st.exchange(soci::use(n2));
    st.exchange(soci::into(id));
    st.define_and_bind();
    st.execute(true);
  }
  std::string ref = fmt::format("P{:09d}", id);
  s.sql() << "UPDATE persons SET record_id = :r WHERE id = :id", soci::use(ref), soci::use(id);
  long long c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, "
      "change_request_id, merged_into, {0}) SELECT id, version, household_id, :n, :e, :cr, merged_into, {0} "
      "FROM persons WHERE id = :id",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(id);
  return id;
}

void RegistryStore::UpdateHousehold(db::Session& s, std::int64_t id,
                                    const std::vector<std::pair<int, std::optional<std::string>>>& set,
                                    const std::string& now, std::int64_t cr) {
  auto fields = HouseholdFields();
  Binder b;
  std::string assignments;
  for (std::size_t i = 0; i < set.size(); ++i) {
    assignments += fmt::format("{} = :v{}, ", fields[set[i].first].name, i);
    b.Add(set[i].second);
  }
  long long hid = id;
  std::string n1 = now;
  {
    soci::statement st(s.sql());
    st.alloc();
    st.prepare("UPDATE households SET " + assignments + "version = version + 1, updated_at = :n WHERE id = :id");
    b.Bind(st);
    st.exchange(soci::use(n1));
    st.exchange(soci::use(hid));
    st.define_and_bind();
    st.execute(true);
  }
  std::string end = kOpenEnd;
  long long c = cr;
  s.sql() << "UPDATE household_versions SET valid_to = :n WHERE household_id = :id AND valid_to = :e", soci::use(now),
      soci::use(hid), soci::use(end);
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT id, version, :n, :e, :cr, {0} FROM households WHERE id = :id",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(hid);
}

void RegistryStore::UpdatePerson(db::Session& s, std::int64_t id,
                                 const std::vector<std::pair<int, std::optional<std::string>>>& set,
                                 std::optional<std::int64_t> new_household, std::optional<std::int64_t> merged_into,
                                 const std::string& now, std::int64_t cr) {
  auto fields = PersonFields();
  Binder b;
  std::string assignments;
  for (std::size_t i = 0; i < set.size(); ++i) {
    assignments += fmt::format("{} = :v{}, ", fields[set[i].first].name, i);
    b.Add(set[i].second);
  }
  if (new_household) assignments += fmt::format("household_id = {}, ", *new_household);
  if (merged_into) assignments += fmt::format("merged_into = {}, ", *merged_into);
  long long pid = id;
  std::string n1 = now;
  {
    soci::statement st(s.sql());
    st.alloc();
    st.prepare("UPDATE persons SET " + assignments + "version = version + 1, updated_at = :n WHERE id = :id");
    b.Bind(st);
    st.exchange(soci::use(n1));
    st.exchange(soci::use(pid));
    st.define_and_bind();
    st.execute(true);
  }
  std::string end = kOpenEnd;
  long long c = cr;
  s.sql() << "UPDATE person_versions SET valid_to = :n WHERE person_id = :id AND valid_to = :e", soci::use(now),
      soci::use(pid), soci::use(end);
  s.sql() << fmt::format(
      "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, "
      "change_request_id, merged_into, {0}) SELECT id, version, household_id, :n, :e, :cr, merged_into, {0} "
      "FROM persons WHERE id = :id",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(pid);
}

std::int64_t RegistryStore::CurrentVersion(db::Session& s, const std::string& record_type, std::int64_t id) {
  long long v = 0, rid = id;
  s.sql() << (record_type == "household" ? "SELECT version FROM households WHERE id = :id"
                                         : "SELECT version FROM persons WHERE id = :id"),
      soci::use(rid), soci::into(v);
  return s.sql().got_data() ? v : -1;
}

// ---------------------------------------------------------------- change requests

std::int64_t RegistryStore::InsertChangeRequest(db::Session& s, const ChangeRequestRow& row,
                                                const std::vector<Target>& targets) {
  long long id = 0, items = row.item_count;
  std::optional<long long> author = row.author_id;
  s.sql() << "INSERT INTO change_requests (kind, status, author_id, author_username, created_at, summary, payload, "
             "area_code, "
             "item_count) VALUES (:k, 'pending', :a, :u, :c, :s, :p, :ar, :n) RETURNING id",
      soci::use(row.kind), soci::use(author), soci::use(row.author_username), soci::use(row.created_at),
      soci::use(row.summary), soci::use(row.payload), soci::use(row.area_code), soci::use(items), soci::into(id);
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
    "cr.item_count, cr.reviewer_username, cr.reviewed_at, cr.review_comment";

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

std::optional<ChangeRequestRow> RegistryStore::LoadChangeRequest(db::Session& s, std::int64_t id) {
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

Result<std::optional<ChangeRequestRow>> RegistryStore::GetChangeRequest(std::int64_t id, const Scope& scope) {
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

Result<bool> RegistryStore::ChangeRequestWithin(db::Session& s, const ChangeRequestRow& cr, const Scope& scope) {
  if (!scope.area) return true;
  if (!cr.area_code) return false;
  if (!*AreaWithin(s, *cr.area_code, scope)) return false;
  for (const auto& c : cr.communes) {
    if (!*AreaWithin(s, c, scope)) return false;
  }
  return true;
}

std::vector<Target> RegistryStore::Targets(db::Session& s, std::int64_t cr) {
  long long cid = cr;
  std::vector<Target> out;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << "SELECT record_type, record_id, base_version FROM change_request_targets "
                          "WHERE change_request_id = :c ORDER BY record_type, record_id",
       soci::use(cid));
  for (const auto& r : rs) out.push_back({r.get<std::string>(0), db::RowInt(r, 1), db::RowInt(r, 2)});
  return out;
}

Result<std::pair<std::vector<ChangeRequestRow>, long long>> RegistryStore::ListChangeRequests(
    const std::optional<std::string>& status, int limit, int offset, const Scope& scope,
    std::optional<std::int64_t> household_id) {
  return db::Guard([&]() -> Result<std::pair<std::vector<ChangeRequestRow>, long long>> {
    auto s = db_.Acquire();
    // A request without an area (a national import) is visible to national reviewers only.
    AreaCondition within(scope), every(scope.area, scope.today, "ev");
    std::string where = " WHERE (CAST(:st1 AS TEXT) IS NULL OR cr.status = :st2) AND " + within.Sql("cr.area_code") +
                        " AND " + every.SqlEveryCommuneOf("cr.id");
    if (household_id) {
      // Integer inlined (not user text); requests targeting the household or one of its members.
      where += fmt::format(
          " AND EXISTS (SELECT 1 FROM change_request_targets t WHERE t.change_request_id = cr.id AND ("
          "(t.record_type = 'household' AND t.record_id = {0}) OR (t.record_type = 'person' AND t.record_id IN "
          "(SELECT id FROM persons WHERE household_id = {0}))))",
          *household_id);
    }
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

void RegistryStore::FinishChangeRequest(db::Session& s, std::int64_t id, const std::string& status,
                                        std::optional<std::int64_t> reviewer_id, const std::string& reviewer,
                                        const std::string& now, const std::string& comment) {
  long long cid = id;
  std::optional<long long> rid = reviewer_id;
  s.sql() << "UPDATE change_requests SET status = :s, reviewer_id = :r, reviewer_username = :u, reviewed_at = :n, "
             "review_comment = :c WHERE id = :id",
      soci::use(status), soci::use(rid), soci::use(reviewer), soci::use(now), soci::use(comment), soci::use(cid);
}

// ---------------------------------------------------------------- bulk import

void RegistryStore::StageHouseholds(db::Session& s, std::int64_t cr, const std::vector<Values>& rows) {
  auto fields = HouseholdFields();
  std::vector<std::string> columns{"change_request_id", "row_no"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  const std::optional<std::string> cr_text = std::to_string(cr);
  std::optional<std::string> row_no;
  BulkInsertCells(s.sql(), s.dialect(), "staged_households", columns, rows.size(),
                  [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& {
                    if (c == 0) return cr_text;
                    if (c == 1) return row_no = std::to_string(r + 1);
                    return rows[r][c - 2];
                  });
}

void RegistryStore::StagePersons(db::Session& s, std::int64_t cr, const std::vector<std::string>& household_refs,
                                 const std::vector<std::int64_t>& household_ids, const std::vector<Values>& rows) {
  auto fields = PersonFields();
  std::vector<std::string> columns{"change_request_id", "row_no", "household_ref", "household_id"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  const std::optional<std::string> cr_text = std::to_string(cr);
  // One buffer per computed column: SQLite reads every bound cell of a row at step time.
  std::optional<std::string> row_no, ref, household;
  BulkInsertCells(s.sql(), s.dialect(), "staged_persons", columns, rows.size(),
                  [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& {
                    switch (c) {
                      case 0:
                        return cr_text;
                      case 1:
                        return row_no = std::to_string(r + 1);
                      case 2:
                        return ref = household_refs[r];
                      case 3:
                        return household = std::to_string(household_ids[r]);
                      default:
                        return rows[r][c - 4];
                    }
                  });
}

long long RegistryStore::ApplyStagedHouseholds(db::Session& s, std::int64_t cr, const std::string& now) {
  auto fields = HouseholdFields();
  long long c = cr;
  soci::statement ins = (s.sql().prepare << fmt::format("INSERT INTO households ({0}, version, created_at, updated_at) "
                                                        "SELECT {0}, 1, :n1, :n2 FROM staged_households "
                                                        "WHERE change_request_id = :c ORDER BY row_no",
                                                        Cols(fields)),
                         soci::use(now), soci::use(now), soci::use(c));
  ins.execute(true);
  long long n = static_cast<long long>(ins.get_affected_rows());
  s.sql() << "UPDATE households SET ref = " + RefExpr(s.dialect(), 'H') + " WHERE ref IS NULL";
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT h.id, h.version, :n, :e, :c, {1} FROM households h JOIN staged_households sh "
      "ON sh.source_ref = h.source_ref AND sh.change_request_id = :c2",
      Cols(fields), Cols(fields, "h.")),
      soci::use(now), soci::use(end), soci::use(c), soci::use(c);
  s.sql() << "DELETE FROM staged_households WHERE change_request_id = :c", soci::use(c);
  return n;
}

long long RegistryStore::ApplyStagedPersons(db::Session& s, std::int64_t cr, const std::string& now) {
  auto fields = PersonFields();
  long long c = cr;
  soci::statement ins =
      (s.sql().prepare << fmt::format("INSERT INTO persons (household_id, {0}, version, created_at, updated_at) "
                                      "SELECT household_id, {0}, 1, :n1, :n2 FROM staged_persons "
                                      "WHERE change_request_id = :c ORDER BY row_no",
                                      Cols(fields)),
       soci::use(now), soci::use(now), soci::use(c));
  ins.execute(true);
  long long n = static_cast<long long>(ins.get_affected_rows());
  s.sql() << "UPDATE persons SET record_id = " + RefExpr(s.dialect(), 'P') + " WHERE record_id IS NULL";
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, "
      "change_request_id, merged_into, {0}) SELECT p.id, p.version, p.household_id, :n, :e, :c, NULL, {1} "
      "FROM persons p JOIN staged_persons sp ON sp.source_ref = p.source_ref AND sp.change_request_id = :c2",
      Cols(fields), Cols(fields, "p.")),
      soci::use(now), soci::use(end), soci::use(c), soci::use(c);
  s.sql() << "DELETE FROM staged_persons WHERE change_request_id = :c", soci::use(c);
  return n;
}

std::vector<std::int64_t> RegistryStore::StagedPersonHouseholds(db::Session& s, std::int64_t cr) {
  long long c = cr;
  std::vector<std::int64_t> out;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << "SELECT DISTINCT household_id FROM staged_persons WHERE change_request_id = :c "
                          "ORDER BY household_id",
       soci::use(c));
  for (const auto& r : rs) out.push_back(db::RowInt(r, 0));
  return out;
}

std::vector<std::optional<RegistryStore::HouseholdKey>> RegistryStore::HouseholdsByRef(
    db::Session& s, const std::vector<std::string>& refs) {
  std::unordered_map<std::string, HouseholdKey> found;
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < refs.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, refs.size() - start);
    std::vector<std::string> batch(refs.begin() + start, refs.begin() + start + n);
    std::string in = Placeholders(n, "r");
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format(
        "SELECT id, commune_code, ref, source_ref FROM households WHERE ref IN ({0}) OR source_ref IN ({1})", in,
        Placeholders(n, "q")));
    st.exchange(soci::into(r));
    for (auto& b : batch) st.exchange(soci::use(b));
    for (auto& b : batch) st.exchange(soci::use(b));
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        HouseholdKey k{db::RowInt(r, 0), r.get<std::string>(1)};
        if (auto ref = db::RowOptStr(r, 2)) found[*ref] = k;
        if (auto sref = db::RowOptStr(r, 3)) found[*sref] = k;
      } while (st.fetch());
    }
  }
  std::vector<std::optional<HouseholdKey>> out;
  out.reserve(refs.size());
  for (const auto& ref : refs) {
    auto it = found.find(ref);
    out.push_back(it == found.end() ? std::nullopt : std::optional<HouseholdKey>(it->second));
  }
  return out;
}

// ---------------------------------------------------------------- bulk load

std::pair<std::int64_t, std::int64_t> RegistryStore::NextIds(db::Session& s) {
  long long h = 0, p = 0;
  soci::indicator hi, pi;
  s.sql() << "SELECT MAX(id) FROM households", soci::into(h, hi);
  s.sql() << "SELECT MAX(id) FROM persons", soci::into(p, pi);
  return {(hi == soci::i_null ? 0 : h) + 1, (pi == soci::i_null ? 0 : p) + 1};
}

void RegistryStore::LoadHouseholds(db::Session& s, std::int64_t first_id, const Columns& field_columns, std::size_t n,
                                   const std::string& now, std::int64_t cr) {
  auto fields = HouseholdFields();
  std::vector<std::string> columns{"id", "version", "created_at", "updated_at"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  Columns cols(4);
  cols[0].resize(n);
  for (std::size_t r = 0; r < n; ++r) cols[0][r] = std::to_string(first_id + static_cast<std::int64_t>(r));
  cols[1].assign(n, std::optional<std::string>("1"));
  cols[2].assign(n, std::optional<std::string>(now));
  cols[3].assign(n, std::optional<std::string>(now));
  cols.insert(cols.end(), field_columns.begin(), field_columns.end());
  BulkInsert(s.sql(), s.dialect(), "households", columns, cols, n);
  long long a = first_id, b = first_id + static_cast<long long>(n) - 1, c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT id, version, :n, :e, :cr, {0} FROM households WHERE id BETWEEN :a AND :b",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(a), soci::use(b);
}

void RegistryStore::LoadPersons(db::Session& s, std::int64_t first_id, const std::vector<std::int64_t>& household_ids,
                                const Columns& field_columns, std::size_t n, const std::string& now, std::int64_t cr) {
  auto fields = PersonFields();
  std::vector<std::string> columns{"id", "household_id", "version", "created_at", "updated_at"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  Columns cols(5);
  cols[0].resize(n);
  cols[1].resize(n);
  for (std::size_t r = 0; r < n; ++r) {
    cols[0][r] = std::to_string(first_id + static_cast<std::int64_t>(r));
    cols[1][r] = std::to_string(household_ids[r]);
  }
  cols[2].assign(n, std::optional<std::string>("1"));
  cols[3].assign(n, std::optional<std::string>(now));
  cols[4].assign(n, std::optional<std::string>(now));
  cols.insert(cols.end(), field_columns.begin(), field_columns.end());
  BulkInsert(s.sql(), s.dialect(), "persons", columns, cols, n);
  long long a = first_id, b = first_id + static_cast<long long>(n) - 1, c = cr;
  std::string end = kOpenEnd;
  s.sql() << fmt::format(
      "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, "
      "change_request_id, merged_into, {0}) SELECT id, version, household_id, :n, :e, :cr, NULL, {0} "
      "FROM persons WHERE id BETWEEN :a AND :b",
      Cols(fields)),
      soci::use(now), soci::use(end), soci::use(c), soci::use(a), soci::use(b);
}

std::vector<std::string> RegistryStore::DropSecondaryIndexes(db::Session& s) {
  std::vector<std::pair<std::string, std::string>> found;  // name, definition
  const std::string tables = "'households', 'persons', 'household_versions', 'person_versions'";
  soci::rowset<soci::row> rs =
      (s.sql().prepare
       << (s.dialect() == db::Dialect::kSqlite
               ? "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN (" +
                     tables + ")"
               : "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
                 "tablename IN (" +
                     tables + ") AND indexname NOT LIKE '%_pkey'"));
  for (const auto& r : rs) found.emplace_back(r.get<std::string>(0), r.get<std::string>(1));
  std::vector<std::string> definitions;
  for (const auto& [name, definition] : found) {
    s.sql() << "DROP INDEX " + name;
    definitions.push_back(definition);
  }
  return definitions;
}

void RegistryStore::CreateIndexes(db::Session& s, const std::vector<std::string>& definitions) {
  for (const auto& d : definitions) s.sql() << d;
}

void RegistryStore::SyncIdentities(db::Session& s) {
  if (s.dialect() != db::Dialect::kPostgres) return;  // SQLite's rowid continues after the largest id
  s.sql() << "SELECT setval(pg_get_serial_sequence('households', 'id'), GREATEST((SELECT MAX(id) FROM households), 1))";
  s.sql() << "SELECT setval(pg_get_serial_sequence('persons', 'id'), GREATEST((SELECT MAX(id) FROM persons), 1))";
}

// ---------------------------------------------------------------- benefit ledger

std::int64_t RegistryStore::InsertBenefit(db::Session& s, const BenefitRow& b) {
  long long id = 0;
  std::optional<long long> pid = b.person_id, hid = b.household_id, amount = b.amount_minor;
  s.sql() << "INSERT INTO benefits (person_id, household_id, programme, kind, benefit_date, amount_minor, currency, "
             "quantity, "
             "unit, reference, source, recorded_at, recorded_by) VALUES (:p, :h, :pr, :k, :d, :a, :c, :q, :u, :r, :s, "
             ":at, :by) "
             "RETURNING id",
      soci::use(pid), soci::use(hid), soci::use(b.programme), soci::use(b.kind), soci::use(b.benefit_date),
      soci::use(amount), soci::use(b.currency), soci::use(b.quantity), soci::use(b.unit), soci::use(b.reference),
      soci::use(b.source), soci::use(b.recorded_at), soci::use(b.recorded_by), soci::into(id);
  return id;
}

Result<std::vector<BenefitRow>> RegistryStore::Benefits(std::optional<std::int64_t> person_id,
                                                        std::optional<std::int64_t> household_id) {
  return db::Guard([&]() -> Result<std::vector<BenefitRow>> {
    auto s = db_.Acquire();
    std::optional<long long> pid = person_id, hid = household_id;
    std::vector<BenefitRow> out;
    // A household's ledger includes what its members received.
    soci::rowset<soci::row> rs =
        (s.sql().prepare
             << "SELECT id, person_id, household_id, programme, kind, benefit_date, amount_minor, currency, quantity, "
                "unit, reference, source, recorded_at, recorded_by FROM benefits WHERE "
                "(CAST(:p1 AS BIGINT) IS NOT NULL AND person_id = :p2) OR (CAST(:h1 AS BIGINT) IS NOT NULL AND "
                "(household_id = :h2 OR person_id IN (SELECT id FROM persons WHERE household_id = :h3))) "
                "ORDER BY benefit_date DESC, id DESC",
         soci::use(pid), soci::use(pid), soci::use(hid), soci::use(hid), soci::use(hid));
    for (const auto& r : rs) {
      BenefitRow b;
      b.id = db::RowInt(r, 0);
      b.person_id = db::RowOptInt(r, 1);
      b.household_id = db::RowOptInt(r, 2);
      b.programme = r.get<std::string>(3);
      b.kind = r.get<std::string>(4);
      b.benefit_date = r.get<std::string>(5);
      b.amount_minor = db::RowOptInt(r, 6);
      b.currency = db::RowOptStr(r, 7);
      if (r.get_indicator(8) != soci::i_null) b.quantity = r.get<double>(8);
      b.unit = db::RowOptStr(r, 9);
      b.reference = r.get<std::string>(10);
      b.source = r.get<std::string>(11);
      b.recorded_at = r.get<std::string>(12);
      b.recorded_by = r.get<std::string>(13);
      out.push_back(std::move(b));
    }
    return out;
  });
}

}  // namespace sanad::registry
