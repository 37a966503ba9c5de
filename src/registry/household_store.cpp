#include "registry/household_store.h"

#include <fmt/format.h>

#include "db/row.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::AreaCondition;
using sql::Binder;
using sql::Cols;
using sql::CountRows;
using sql::PersonSelect;
using sql::Placeholders;
using sql::ReadPerson;
using sql::ReadValues;
using sql::TextCols;

namespace {

// Statements that run on every read are prepared once per connection (db::Session::Prepare): their
// text never depends on the values, which are bound.
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

}  // namespace

// ---------------------------------------------------------------- reads

std::optional<HouseholdRecord> HouseholdStore::LoadHousehold(db::Session& s, std::int64_t id) {
  static const std::string kSql =
      fmt::format("SELECT h.id, h.version, h.created_at, h.updated_at, {} FROM households h WHERE h.id = :id",
                  TextCols(HouseholdFields(), "h."));
  HouseholdRecord h;
  {
    auto q = s.Prepare(kSql);
    q.Bind(static_cast<long long>(id));
    if (!q.Execute()) return std::nullopt;
    const soci::row& r = q.Row();
    h.id = db::RowInt(r, 0);
    h.version = db::RowInt(r, 1);
    h.created_at = r.get<std::string>(2);
    h.updated_at = r.get<std::string>(3);
    ReadValues(r, 4, HouseholdFields(), h.values);
  }
  h.members = Members(s, id);
  return h;
}

std::optional<PersonRecord> HouseholdStore::LoadPerson(db::Session& s, std::int64_t id) {
  static const std::string kSql = PersonSelect("persons", "p") + " WHERE p.id = :id";
  auto q = s.Prepare(kSql);
  q.Bind(static_cast<long long>(id));
  if (!q.Execute()) return std::nullopt;
  return ReadPerson(q.Row());
}

Result<std::optional<HouseholdRecord>> HouseholdStore::GetHousehold(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<HouseholdRecord>> {
    auto s = db_.Acquire();
    AreaCondition within(scope);
    // The scope check, the household and its members in one statement (one round trip to PostgreSQL
    // instead of three, and one snapshot): a row per member in LoadHousehold's order, or one row with
    // NULL person columns for a household without members.
    static const std::string kSql = fmt::format(
        "SELECT h.id, h.version, h.created_at, h.updated_at, {}, {} FROM households h LEFT JOIN persons p ON "
        "p.household_id = h.id WHERE h.id = :id AND {} ORDER BY CASE WHEN p.relationship = 'head' THEN 0 ELSE 1 END, "
        "p.id",
        TextCols(HouseholdFields(), "h."), sql::PersonColumns("p"), AreaCondition(Scope{}).Sql("h.commune_code"));
    static const std::size_t kFirstPersonColumn = 4 + HouseholdFields().size();
    auto q = s.Prepare(kSql);
    q.Bind(static_cast<long long>(id));
    within.Bind(q);
    if (!q.Execute()) return std::optional<HouseholdRecord>();
    HouseholdRecord h;
    const soci::row& r = q.Row();
    h.id = db::RowInt(r, 0);
    h.version = db::RowInt(r, 1);
    h.created_at = r.get<std::string>(2);
    h.updated_at = r.get<std::string>(3);
    ReadValues(r, 4, HouseholdFields(), h.values);
    do {
      if (q.Row().get_indicator(kFirstPersonColumn) != soci::i_null)
        h.members.push_back(ReadPerson(q.Row(), kFirstPersonColumn));
    } while (q.Next());
    return std::optional<HouseholdRecord>(std::move(h));
  });
}

Result<std::optional<HouseholdRecord>> HouseholdStore::GetHouseholdAsOf(std::int64_t id, const std::string& day,
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
    soci::rowset<soci::row> rs = (s.sql().prepare << sql::PersonVersionSelect("v") +
                                                         " WHERE v.household_id = :h AND v.valid_from <= :a1 AND "
                                                         "v.valid_to > :a2 ORDER BY CASE WHEN v.relationship = "
                                                         "'head' THEN 0 ELSE 1 END, v.person_id",
                                  soci::use(hid), soci::use(at), soci::use(at));
    for (const auto& r : rs) out->members.push_back(ReadPerson(r));
    return out;
  });
}

Result<std::optional<PersonRecord>> HouseholdStore::GetPerson(std::int64_t id, const Scope& scope) {
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

Result<std::optional<std::int64_t>> HouseholdStore::PersonIdByRecordId(const std::string& record_id) {
  return db::Guard([&]() -> Result<std::optional<std::int64_t>> {
    auto s = db_.Acquire();
    long long id = 0;
    s.sql() << "SELECT id FROM persons WHERE record_id = :r", soci::use(record_id), soci::into(id);
    if (!s.sql().got_data()) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(id);
  });
}

Result<std::pair<std::vector<HouseholdRecord>, long long>> HouseholdStore::ListHouseholds(
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

Result<HouseholdStore::HomeMap> HouseholdStore::HouseholdSummaries(const std::vector<std::int64_t>& ids) {
  return db::Guard([&]() -> Result<HomeMap> {
    HomeMap out;
    if (ids.empty()) return out;
    auto s = db_.Acquire();
    // One statement text whatever the ids (bound as one value), prepared once per connection.
    auto q = s.Prepare("SELECT id, ref, commune_code FROM households WHERE id " + sql::IdListSql(s.dialect()));
    q.Bind(sql::IdListParam(s.dialect(), ids));
    for (bool row = q.Execute(); row; row = q.Next()) {
      const soci::row& r = q.Row();
      out[db::RowInt(r, 0)] = {db::RowOptStr(r, 1).value_or(""), r.get<std::string>(2)};
    }
    return out;
  });
}

// ---------------------------------------------------------------- checks

Result<std::optional<std::string>> HouseholdStore::HouseholdCommune(db::Session& s, std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<std::string>> {
    long long hid = id;
    std::string commune;
    s.sql() << "SELECT commune_code FROM households WHERE id = :id", soci::use(hid), soci::into(commune);
    if (!s.sql().got_data()) return std::optional<std::string>();
    return std::optional<std::string>(commune);
  });
}

Result<bool> HouseholdStore::AreaWithin(db::Session& s, const std::string& area, const Scope& scope) {
  return db::Guard([&]() -> Result<bool> { return sql::AreaWithin(s.sql(), area, scope); });
}

Result<bool> HouseholdStore::AreaExists(db::Session& s, const std::string& code) {
  return db::Guard([&]() -> Result<bool> {
    long long n = 0;
    std::string c = code;
    s.sql() << "SELECT COUNT(*) FROM areas WHERE code = :c", soci::use(c), soci::into(n);
    return n > 0;
  });
}

Result<bool> HouseholdStore::IsCommune(db::Session& s, const std::string& code) {
  return db::Guard([&]() -> Result<bool> {
    long long n = 0;
    std::string c = code;
    s.sql() << "SELECT COUNT(*) FROM areas WHERE code = :c AND level = 'commune'", soci::use(c), soci::into(n);
    return n > 0;
  });
}

Result<std::vector<NationalIdHolder>> HouseholdStore::ActiveNationalIdHolders(db::Session& s,
                                                                              const std::string& national_id,
                                                                              std::optional<std::int64_t> except) {
  return db::Guard([&]() -> Result<std::vector<NationalIdHolder>> {
    std::vector<NationalIdHolder> out;
    long long ex = except.value_or(0);
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT p.id, h.commune_code FROM persons p JOIN households h ON h.id = p.household_id "
                            "WHERE p.national_id = :n AND p.status = 'active' AND p.id <> :x ORDER BY p.id",
         soci::use(national_id), soci::use(ex));
    for (const auto& r : rs) out.push_back({db::RowInt(r, 0), r.get<std::string>(1)});
    return out;
  });
}

Result<std::vector<HouseholdRuleBreak>> HouseholdStore::HouseholdRuleBreaks(db::Session& s,
                                                                            const std::vector<std::int64_t>& ids) {
  return db::Guard([&]() -> Result<std::vector<HouseholdRuleBreak>> {
    std::vector<HouseholdRuleBreak> out;
    constexpr std::size_t kChunk = 500;
    for (std::size_t i = 0; i < ids.size(); i += kChunk) {
      const std::span<const std::int64_t> chunk(ids.data() + i, std::min(kChunk, ids.size() - i));
      // On PostgreSQL the households are locked first, in a statement of their own: a concurrent
      // transaction adding members to one of them (an import, which writes no household row) waits
      // for this one's commit, then counts its members too and cannot give it a second head. SQLite
      // runs one writer at a time (BEGIN IMMEDIATE).
      if (s.dialect() == db::Dialect::kPostgres) {
        s.sql() << "SELECT id FROM households WHERE id IN (" + sql::IdList(chunk) + ") ORDER BY id FOR UPDATE";
      }
      soci::rowset<soci::row> rs =
          (s.sql().prepare << "SELECT h.id, h.ref, "
                              "(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active'), "
                              "(SELECT COUNT(*) FROM persons p WHERE p.household_id = h.id AND p.status = 'active' "
                              "AND p.relationship = 'head') FROM households h WHERE h.status = 'active' AND h.id IN (" +
                                  sql::IdList(chunk) + ")");
      for (const auto& r : rs) {
        HouseholdRuleBreak b{db::RowInt(r, 0), db::RowOptStr(r, 1).value_or(""), db::RowInt(r, 2), db::RowInt(r, 3)};
        if (b.active_members == 0 || b.heads != 1) out.push_back(std::move(b));
      }
    }
    return out;
  });
}

// ---------------------------------------------------------------- writes

std::int64_t HouseholdStore::InsertHousehold(db::Session& s, const Values& v, const std::string& now, std::int64_t cr) {
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

std::int64_t HouseholdStore::InsertPerson(db::Session& s, std::int64_t household_id, const Values& v,
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

void HouseholdStore::UpdateHousehold(db::Session& s, std::int64_t id, const FieldAssignments& set,
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

void HouseholdStore::UpdatePerson(db::Session& s, std::int64_t id, const FieldAssignments& set,
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

std::int64_t HouseholdStore::CurrentVersion(db::Session& s, const std::string& record_type, std::int64_t id) {
  long long v = 0, rid = id;
  s.sql() << (record_type == "household" ? "SELECT version FROM households WHERE id = :id"
                                         : "SELECT version FROM persons WHERE id = :id"),
      soci::use(rid), soci::into(v);
  return s.sql().got_data() ? v : -1;
}

}  // namespace sanad::registry
