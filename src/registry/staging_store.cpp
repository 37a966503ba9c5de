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

long long StagingStore::ApplyStagedHouseholds(db::Session& s, std::int64_t cr, const std::string& now,
                                              const std::string& status) {
  auto fields = HouseholdFields();
  long long c = cr;
  std::string st = status;
  s.sql() << "UPDATE staged_households SET status = :s WHERE change_request_id = :c", soci::use(st), soci::use(c);
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

StagingStore::HouseholdsWithMembers StagingStore::ApplyStagedHouseholdsWithMembers(db::Session& s, std::int64_t cr,
                                                                                   const std::string& now) {
  ApplyStagedHouseholds(s, cr, now, "active");
  long long c = cr;
  // The members name their household by the household_ref it was staged with, now its source_ref.
  s.sql() << "UPDATE staged_persons SET household_id = (SELECT h.id FROM households h WHERE h.source_ref = "
             "staged_persons.household_ref) WHERE change_request_id = :c AND household_id IS NULL",
      soci::use(c);
  HouseholdsWithMembers out;
  out.households = StagedPersonHouseholds(s, cr);
  out.persons = ApplyStagedPersons(s, cr, now);
  return out;
}

void StagingStore::ActivateAwaitingHouseholds(db::Session& s, std::int64_t cr, const std::vector<std::int64_t>& ids,
                                              const std::string& now) {
  if (ids.empty()) return;
  auto fields = HouseholdFields();
  const int f_status = FieldIndex(fields, "status");
  // The new version's columns: the household's, with status active.
  std::string values;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) values += ", ";
    values += static_cast<int>(i) == f_status ? std::string("'active'") : "h." + std::string(fields[i].name);
  }
  const std::string which = " h.status = 'awaiting_members' AND h.id " + sql::IdListSql(s.dialect());
  std::string list = sql::IdListParam(s.dialect(), ids), list2 = list, list3 = list, end = kOpenEnd;
  std::string n1 = now, n2 = now;
  long long c = cr;
  s.sql() << "UPDATE household_versions SET valid_to = :n WHERE valid_to = :e AND household_id IN (SELECT h.id FROM "
             "households h WHERE" +
                 which + ")",
      soci::use(n1), soci::use(end), soci::use(list);
  s.sql() << fmt::format(
      "INSERT INTO household_versions (household_id, version, valid_from, valid_to, change_request_id, {0}) "
      "SELECT h.id, h.version + 1, :n, :e, :c, {1} FROM households h WHERE{2}",
      Cols(fields), values, which),
      soci::use(n2), soci::use(end), soci::use(c), soci::use(list2);
  s.sql() << "UPDATE households SET status = 'active', version = version + 1, updated_at = :n WHERE id IN (SELECT "
             "h.id FROM households h WHERE" +
                 which + ")",
      soci::use(now), soci::use(list3);
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
               "WHERE sp.change_request_id = :c AND COALESCE(h.status, 'active') NOT IN ('active', 'awaiting_members') "
               "ORDER BY h.ref",
               cr);
}

namespace {

// The count and the first row of the staged persons of `cr` that `condition` (on sp) selects: two
// statements over the (change_request_id, national_id) index.
StagingStore::NationalIdClash Clash(db::Session& s, std::int64_t cr, const std::string& condition) {
  StagingStore::NationalIdClash out;
  long long c = cr;
  const std::string from =
      " FROM staged_persons sp WHERE sp.change_request_id = :c AND sp.national_id IS NOT NULL AND " + condition;
  s.sql() << "SELECT COUNT(*)" + from, soci::use(c), soci::into(out.rows);
  if (out.rows == 0) return out;
  s.sql() << "SELECT sp.row_no, sp.national_id" + from + " ORDER BY sp.row_no LIMIT 1", soci::use(c),
      soci::into(out.first_row), soci::into(out.national_id);
  return out;
}

}  // namespace

StagingStore::NationalIdClash StagingStore::StagedNationalIdsInUse(db::Session& s, std::int64_t cr) {
  return Clash(s, cr, "EXISTS (SELECT 1 FROM persons p WHERE p.national_id = sp.national_id AND p.status = 'active')");
}

StagingStore::NationalIdClash StagingStore::StagedNationalIdsRepeated(db::Session& s, std::int64_t cr) {
  return Clash(s, cr,
               "EXISTS (SELECT 1 FROM staged_persons o WHERE o.change_request_id = sp.change_request_id AND "
               "o.national_id = sp.national_id AND o.row_no <> sp.row_no)");
}

void StagingStore::DiscardStaged(db::Session& s, std::int64_t cr) {
  long long c = cr;
  s.sql() << "DELETE FROM staged_households WHERE change_request_id = :c", soci::use(c);
  s.sql() << "DELETE FROM staged_persons WHERE change_request_id = :c", soci::use(c);
}

}  // namespace sanad::registry
