#include "registry/staging_store.h"

#include <fmt/format.h>
#include <unordered_map>

#include "db/bulk_load.h"
#include "db/row.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::Cols;
using sql::Placeholders;
using sql::RefExpr;

void StagingStore::StageHouseholds(db::Session& s, std::int64_t cr, const std::vector<Values>& rows) {
  auto fields = HouseholdFields();
  std::vector<std::string> columns{"change_request_id", "row_no"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  const std::optional<std::string> cr_text = std::to_string(cr);
  std::optional<std::string> row_no;
  db::BulkInsert(s, "staged_households", columns, rows.size(),
                 [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& {
                   if (c == 0) return cr_text;
                   if (c == 1) return row_no = std::to_string(r + 1);
                   return rows[r][c - 2];
                 });
}

void StagingStore::StagePersons(db::Session& s, std::int64_t cr, const std::vector<std::string>& household_refs,
                                const std::vector<std::int64_t>& household_ids, const std::vector<Values>& rows) {
  auto fields = PersonFields();
  std::vector<std::string> columns{"change_request_id", "row_no", "household_ref", "household_id"};
  for (const auto& f : fields) columns.emplace_back(f.name);
  const std::optional<std::string> cr_text = std::to_string(cr);
  // One buffer per computed column: SQLite reads every bound cell of a row at step time.
  std::optional<std::string> row_no, ref, household;
  db::BulkInsert(s, "staged_persons", columns, rows.size(),
                 [&](std::size_t c, std::size_t r) -> const std::optional<std::string>& {
                   switch (c) {
                     case 0:
                       return cr_text;
                     case 1:
                       return row_no = std::to_string(r + 1);
                     case 2:
                       return ref = household_refs[r];
                     case 3:
                       // No ids: the households are staged under the same request (created with it).
                       if (household_ids.empty()) return household = std::nullopt;
                       return household = std::to_string(household_ids[r]);
                     default:
                       return rows[r][c - 4];
                   }
                 });
}

long long StagingStore::ApplyStagedHouseholds(db::Session& s, std::int64_t cr, const std::string& now) {
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

long long StagingStore::ApplyStagedPersons(db::Session& s, std::int64_t cr, const std::string& now) {
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

std::vector<std::int64_t> StagingStore::ApplyStagedHouseholdsWithMembers(db::Session& s, std::int64_t cr,
                                                                         const std::string& now) {
  ApplyStagedHouseholds(s, cr, now);
  long long c = cr;
  // The members name their household by the household_ref it was staged with, now its source_ref.
  s.sql() << "UPDATE staged_persons SET household_id = (SELECT h.id FROM households h WHERE h.source_ref = "
             "staged_persons.household_ref) WHERE change_request_id = :c AND household_id IS NULL",
      soci::use(c);
  auto households = StagedPersonHouseholds(s, cr);
  ApplyStagedPersons(s, cr, now);
  return households;
}

std::vector<std::int64_t> StagingStore::StagedPersonHouseholds(db::Session& s, std::int64_t cr) {
  long long c = cr;
  std::vector<std::int64_t> out;
  soci::rowset<soci::row> rs =
      (s.sql().prepare << "SELECT DISTINCT household_id FROM staged_persons WHERE change_request_id = :c "
                          "ORDER BY household_id",
       soci::use(c));
  for (const auto& r : rs) out.push_back(db::RowInt(r, 0));
  return out;
}

std::vector<std::optional<StagingStore::HouseholdKey>> StagingStore::HouseholdsByRef(
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

namespace {

std::optional<std::string> FirstText(db::Session& s, const std::string& sql, std::int64_t cr) {
  long long c = cr;
  std::string out;
  soci::indicator ind = soci::i_null;
  s.sql() << sql, soci::use(c), soci::into(out, ind);
  if (!s.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return out;
}

std::vector<std::string> Texts(db::Session& s, const std::string& sql, std::int64_t cr) {
  long long c = cr;
  std::vector<std::string> out;
  soci::rowset<soci::row> rs = (s.sql().prepare << sql, soci::use(c));
  for (const auto& r : rs) out.push_back(r.get<std::string>(0));
  return out;
}

}  // namespace

std::optional<std::string> StagingStore::StagedHouseholdAlreadyRegistered(db::Session& s, std::int64_t cr) {
  return FirstText(s,
                   "SELECT MIN(sh.source_ref) FROM staged_households sh JOIN households h ON h.source_ref = "
                   "sh.source_ref WHERE sh.change_request_id = :c",
                   cr);
}

std::optional<std::string> StagingStore::StagedPersonAlreadyRegistered(db::Session& s, std::int64_t cr) {
  return FirstText(s,
                   "SELECT MIN(sp.source_ref) FROM staged_persons sp JOIN persons p ON p.source_ref = sp.source_ref "
                   "WHERE sp.change_request_id = :c",
                   cr);
}

std::vector<std::string> StagingStore::StagedPersonHouseholdsNotActive(db::Session& s, std::int64_t cr) {
  return Texts(s,
               "SELECT DISTINCT h.ref FROM staged_persons sp JOIN households h ON h.id = sp.household_id "
               "WHERE sp.change_request_id = :c AND COALESCE(h.status, 'active') <> 'active' ORDER BY h.ref",
               cr);
}

void StagingStore::DiscardStaged(db::Session& s, std::int64_t cr) {
  long long c = cr;
  s.sql() << "DELETE FROM staged_households WHERE change_request_id = :c", soci::use(c);
  s.sql() << "DELETE FROM staged_persons WHERE change_request_id = :c", soci::use(c);
}

}  // namespace sanad::registry
