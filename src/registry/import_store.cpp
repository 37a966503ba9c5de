#include "registry/import_store.h"

#include <fmt/format.h>
#include <algorithm>

#include "db/row.h"

namespace sanad::registry {

namespace {

// Strings of a one-column query, fetched in bulk.
std::vector<std::string> FetchStrings(soci::session& sql, const std::string& query,
                                      const std::vector<std::string>& params = {}) {
  constexpr std::size_t kFetch = 20000;
  std::vector<std::string> out, buf(kFetch);
  std::vector<soci::indicator> ind(kFetch);
  std::vector<std::string> p = params;
  soci::statement st(sql);
  st.alloc();
  st.prepare(query);
  st.exchange(soci::into(buf, ind));
  for (auto& v : p) st.exchange(soci::use(v));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) {
    for (std::size_t i = 0; i < buf.size(); ++i) {
      if (ind[i] == soci::i_ok) out.push_back(std::move(buf[i]));
    }
    buf.resize(kFetch);
    ind.resize(kFetch);
  }
  return out;
}

std::vector<long long> FetchInts(soci::session& sql, const std::string& query) {
  constexpr std::size_t kFetch = 20000;
  std::vector<long long> out, buf(kFetch);
  soci::statement st = (sql.prepare << query, soci::into(buf));
  st.execute(false);
  while (st.fetch()) {
    out.insert(out.end(), buf.begin(), buf.end());
    buf.resize(kFetch);
  }
  return out;
}

long long Count(soci::session& sql, const std::string& query) {
  long long n = 0;
  sql << query, soci::into(n);
  return n;
}

std::string InList(std::size_t n, const char* prefix) {
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s += fmt::format("{}:{}{}", i ? "," : "", prefix, i);
  return s;
}

// Which of `keys` occur in `column` of `table`: a full scan when the keys are many compared with the
// table, else lookups in batches.
std::unordered_set<std::string> ExistingKeys(soci::session& sql, const std::string& table, const std::string& column,
                                             const std::vector<std::string>& keys) {
  std::unordered_set<std::string> out;
  if (keys.empty()) return out;
  long long total = Count(sql, fmt::format("SELECT COUNT(*) FROM {} WHERE {} IS NOT NULL", table, column));
  if (total == 0) return out;
  if (static_cast<long long>(keys.size()) * 4 >= total) {
    for (auto& v : FetchStrings(sql, fmt::format("SELECT {0} FROM {1} WHERE {0} IS NOT NULL", column, table))) {
      out.insert(std::move(v));
    }
    std::unordered_set<std::string> wanted(keys.begin(), keys.end());
    std::erase_if(out, [&](const std::string& k) { return !wanted.contains(k); });
    return out;
  }
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < keys.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, keys.size() - start);
    std::vector<std::string> batch(keys.begin() + start, keys.begin() + start + n);
    for (auto& v : FetchStrings(
             sql, fmt::format("SELECT {0} FROM {1} WHERE {0} IN ({2})", column, table, InList(n, "k")), batch)) {
      out.insert(std::move(v));
    }
  }
  return out;
}

AreaIndex LoadAreas(soci::session& sql, const std::string& today) {
  AreaIndex idx;
  for (auto& c :
       FetchStrings(sql, "SELECT code FROM areas WHERE level = 'commune' AND valid_from <= :d1 AND valid_to > :d2",
                    {today, today})) {
    idx.communes.insert(std::move(c));
  }
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT descendant, ancestor, depth FROM area_ancestors "
                                               "WHERE valid_from <= :d1 AND valid_to > :d2",
                                soci::use(today), soci::use(today));
  for (const auto& r : rs) {
    long long depth = r.get_properties(2).get_data_type() == soci::dt_integer ? r.get<int>(2)
                      : r.get_properties(2).get_data_type() == soci::dt_long_long
                          ? r.get<long long>(2)
                          : static_cast<long long>(r.get<double>(2));
    idx.ancestors[r.get<std::string>(0)].emplace_back(r.get<std::string>(1), depth);
  }
  return idx;
}

// Households named by `refs` (ref or source_ref).
std::unordered_map<std::string, HouseholdKey> ResolveHouseholds(RegistryStore& store, db::Session& s,
                                                                const std::vector<std::string>& refs) {
  std::unordered_map<std::string, HouseholdKey> out;
  if (refs.empty()) return out;
  auto& sql = s.sql();
  long long total = Count(sql, "SELECT COUNT(*) FROM households");
  if (static_cast<long long>(refs.size()) * 4 < total) {
    auto keys = store.staging.HouseholdsByRef(s, refs);
    for (std::size_t i = 0; i < refs.size(); ++i) {
      if (keys[i]) out.emplace(refs[i], HouseholdKey{keys[i]->id, keys[i]->commune_code});
    }
    return out;
  }
  std::unordered_set<std::string_view> wanted(refs.begin(), refs.end());
  constexpr std::size_t kFetch = 20000;
  std::vector<long long> id(kFetch);
  std::vector<std::string> commune(kFetch), ref(kFetch), sref(kFetch);
  std::vector<soci::indicator> ci(kFetch), ri(kFetch), si(kFetch);
  soci::statement st = (sql.prepare << "SELECT id, commune_code, ref, source_ref FROM households", soci::into(id),
                        soci::into(commune, ci), soci::into(ref, ri), soci::into(sref, si));
  st.execute(false);
  while (st.fetch()) {
    for (std::size_t i = 0; i < id.size(); ++i) {
      HouseholdKey k{id[i], ci[i] == soci::i_ok ? commune[i] : std::string()};
      if (ri[i] == soci::i_ok && wanted.contains(ref[i])) out.emplace(ref[i], k);
      if (si[i] == soci::i_ok && wanted.contains(sref[i])) out.emplace(sref[i], k);
    }
    for (auto* v : {&commune, &ref, &sref}) v->resize(kFetch);
    for (auto* v : {&ci, &ri, &si}) v->resize(kFetch);
    id.resize(kFetch);
  }
  return out;
}

// Active heads per household among `ids`.
std::unordered_map<std::int64_t, int> ExistingHeads(soci::session& sql, const std::vector<std::int64_t>& ids) {
  std::unordered_map<std::int64_t, int> out;
  if (ids.empty()) return out;
  long long total = Count(sql, "SELECT COUNT(*) FROM households");
  std::unordered_set<std::int64_t> wanted(ids.begin(), ids.end());
  if (static_cast<long long>(ids.size()) * 4 >= total) {
    for (auto h :
         FetchInts(sql, "SELECT household_id FROM persons WHERE relationship = 'head' AND status = 'active'")) {
      if (wanted.contains(h)) ++out[h];
    }
    return out;
  }
  constexpr std::size_t kBatch = 500;
  for (std::size_t start = 0; start < ids.size(); start += kBatch) {
    std::size_t n = std::min(kBatch, ids.size() - start);
    std::string in;
    for (std::size_t i = 0; i < n; ++i) in += fmt::format("{}{}", i ? "," : "", ids[start + i]);
    for (auto h : FetchInts(sql,
                            "SELECT household_id FROM persons WHERE relationship = 'head' AND status = 'active' "
                            "AND household_id IN (" +
                                in + ")")) {
      ++out[h];
    }
  }
  return out;
}

// Runs `work` on a session; a database exception becomes the error.
template <typename T, typename F>
Result<T> Read(RegistryStore& registry, F&& work) {
  try {
    auto s = registry.db().Acquire();
    return work(s);
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

}  // namespace

bool AreaIndex::Within(const std::string& commune, const std::optional<std::string>& scope) const {
  if (!scope) return true;
  auto it = ancestors.find(commune);
  if (it == ancestors.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](const auto& a) { return a.first == *scope; });
}

std::optional<std::string> AreaIndex::LowestCommon(const std::set<std::string>& set) const {
  if (set.empty()) return std::nullopt;
  auto first = ancestors.find(*set.begin());
  if (first == ancestors.end()) return std::nullopt;
  std::map<std::string, long long> cand(first->second.begin(), first->second.end());
  for (const auto& c : set) {
    auto it = ancestors.find(c);
    if (it == ancestors.end()) return std::nullopt;
    std::set<std::string> anc;
    for (const auto& a : it->second) anc.insert(a.first);
    std::erase_if(cand, [&](const auto& kv) { return !anc.contains(kv.first); });
    if (cand.empty()) return std::nullopt;
  }
  auto best =
      std::min_element(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.second < b.second; });
  return best->first;
}

Result<AreaIndex> ImportStore::Areas(const std::string& today) {
  return Read<AreaIndex>(registry_, [&](db::Session& s) { return LoadAreas(s.sql(), today); });
}

Result<std::unordered_map<std::string, HouseholdKey>> ImportStore::HouseholdsByRef(
    const std::vector<std::string>& refs) {
  return Read<std::unordered_map<std::string, HouseholdKey>>(
      registry_, [&](db::Session& s) { return ResolveHouseholds(registry_, s, refs); });
}

Result<std::unordered_map<std::int64_t, int>> ImportStore::ActiveHeads(const std::vector<std::int64_t>& ids) {
  return Read<std::unordered_map<std::int64_t, int>>(registry_,
                                                     [&](db::Session& s) { return ExistingHeads(s.sql(), ids); });
}

Result<std::unordered_set<std::string>> ImportStore::ExistingSourceRefs(const std::string& table,
                                                                        const std::vector<std::string>& refs) {
  return Read<std::unordered_set<std::string>>(
      registry_, [&](db::Session& s) { return ExistingKeys(s.sql(), table, "source_ref", refs); });
}

Result<std::int64_t> ImportStore::SaveReport(const ImportReport& r) {
  std::optional<long long> author_id;
  if (r.author_id) author_id = *r.author_id;
  long long total = r.rows_total, rejected = r.rows_rejected;
  return registry_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    long long rid = 0;
    s.sql() << "INSERT INTO import_reports (kind, file_name, author_id, author_username, created_at, rows_total, "
               "rows_rejected, report) VALUES (:k, :f, :a, :u, :c, :t, :r, :rep) RETURNING id",
        soci::use(r.kind), soci::use(r.file_name), soci::use(author_id), soci::use(r.author_username),
        soci::use(r.created_at), soci::use(total), soci::use(rejected), soci::use(r.csv), soci::into(rid);
    return rid;
  });
}

Result<std::optional<ImportReport>> ImportStore::Report(std::int64_t id) {
  return Read<std::optional<ImportReport>>(registry_, [&](db::Session& s) -> std::optional<ImportReport> {
    soci::row r;
    long long rid = id;
    s.sql() << "SELECT id, kind, file_name, author_id, author_username, created_at, rows_total, rows_rejected, report "
               "FROM import_reports WHERE id = :id",
        soci::use(rid), soci::into(r);
    if (!s.sql().got_data()) return std::nullopt;
    ImportReport rep;
    rep.id = db::RowInt(r, 0);
    rep.kind = r.get<std::string>(1);
    rep.file_name = r.get<std::string>(2);
    if (r.get_indicator(3) == soci::i_ok) rep.author_id = db::RowInt(r, 3);
    rep.author_username = r.get<std::string>(4);
    rep.created_at = r.get<std::string>(5);
    rep.rows_total = db::RowInt(r, 6);
    rep.rows_rejected = db::RowInt(r, 7);
    rep.csv = r.get<std::string>(8);
    return rep;
  });
}

}  // namespace sanad::registry
