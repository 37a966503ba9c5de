// HouseholdStore's person search: the page of persons a filter selects within the caller's scope,
// as whole records (SearchPersons) or as their ids and versions only (SearchPersonStamps). Both run the
// same WHERE and ORDER BY, so a page of stamps names exactly the persons SearchPersons would return.
#include <fmt/format.h>

#include "db/row.h"
#include "db/sort_order.h"
#include "registry/household_store.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::AreaCondition;
using sql::ReadPerson;

namespace {

// ORDER BY of a person search. Empty values come last in both directions and ties go by id, so that
// consecutive pages neither overlap nor skip a row; names and IDs go by their bytes on both databases
// (db::TextOrder). The text depends only on the sort and the database (one statement per shape).
std::string PersonOrder(PersonSort sort, bool descending, db::Dialect dialect) {
  const std::string dir = descending ? " DESC" : "";
  auto by = [&](std::initializer_list<const char*> columns, bool text = true) {
    std::string out;
    for (const char* c : columns) {
      out += fmt::format("CASE WHEN {} IS NULL THEN 1 ELSE 0 END, {}{}, ", c,
                         text ? db::TextOrder(c, dialect) : std::string(c), dir);
    }
    return out + "p.id" + dir;
  };
  switch (sort) {
    case PersonSort::kRecordId:
      return "p.id" + dir;  // the registry reference is P + the id, zero-padded
    case PersonSort::kNameAr:
      return by({"p.given_name_ar", "p.family_name_ar"});
    case PersonSort::kNameLat:
      return by({"p.given_name_lat", "p.family_name_lat"});
    case PersonSort::kBirthDate:
      return by({"p.birth_date"}, false);
    case PersonSort::kNationalId:
      return by({"p.national_id"});
    case PersonSort::kNone:
      break;
  }
  return "p.id";
}

// Runs a person search whose SELECT list is `select` (its FROM joins households h to persons p), calling
// `on_row` for each row of the page in order, and returns the total (see SearchFilter::count_total).
template <typename OnRow>
long long RunPersonSearch(db::Database& db, const SearchFilter& f, const Scope& scope, std::string_view select,
                          long long& rows, OnRow on_row) {
  auto s = db.Acquire();
  AreaCondition within(scope), in_area(f.area, scope.today, "ar");
  // Only the filters given: "(:x IS NULL OR col = :x)" would hide the indexes from both planners.
  // The statement text depends only on which filters are given (the ids and the page are bound), so
  // each shape is prepared once per connection. That holds for the area conditions too: with both
  // in the text and their area NULL, PostgreSQL never settled on a generic plan and planned every
  // execution again (0.2-0.4 ms, five times the execution), so a national scope's search leaves
  // them out. A caller with an area scope always gets its condition.
  std::string where = " WHERE 1 = 1";
  if (within.restricts()) where += " AND " + within.Sql("h.commune_code");
  if (in_area.restricts()) where += " AND " + in_area.Sql("h.commune_code");
  if (f.national_id) where += " AND p.national_id = :nid";
  if (f.phone) where += " AND p.phone = :ph";
  if (!f.include_inactive) where += " AND p.status = 'active'";
  std::string ids;
  if (f.person_ids) {
    if (f.person_ids->empty()) return 0;
    where += " AND p.id " + sql::IdListSql(s.dialect());
    ids = sql::IdListParam(s.dialect(), *f.person_ids);
  }
  auto bind_filters = [&](db::Prepared& q) {
    if (within.restricts()) within.Bind(q);
    if (in_area.restricts()) in_area.Bind(q);
    if (f.national_id) q.Bind(*f.national_id);
    if (f.phone) q.Bind(*f.phone);
    if (f.person_ids) q.Bind(ids);
  };
  // Name-index results without a sort keep their rank (the caller orders and pages them); with a sort,
  // the caller passes every ranked id and the page is cut here.
  const bool by_rank = f.person_ids && f.sort == PersonSort::kNone;
  const long long limit = by_rank ? 100000 : f.limit;
  const long long offset = by_rank ? 0 : f.offset;
  rows = 0;
  {
    auto q = s.Prepare(std::string(select) + " FROM persons p JOIN households h ON h.id = p.household_id" + where +
                       " ORDER BY " + PersonOrder(f.sort, f.descending, db.dialect()) + " LIMIT :lim OFFSET :off");
    bind_filters(q);
    q.Bind(limit);
    q.Bind(offset);
    for (bool row = q.Execute(); row; row = q.Next(), ++rows) on_row(q.Row());
  }
  // A first page shorter than the limit is the whole result: no second statement to count it (an
  // exact-ID search answers in one statement).
  long long total = -1;
  if (offset == 0 && rows < limit) {
    total = rows;
  } else if (f.count_total) {
    auto q = s.Prepare("SELECT COUNT(*) FROM persons p JOIN households h ON h.id = p.household_id" + where);
    bind_filters(q);
    if (q.Execute()) total = db::RowInt(q.Row(), 0);
  }
  return total;
}

}  // namespace

Result<std::pair<std::vector<PersonRecord>, long long>> HouseholdStore::SearchPersons(const SearchFilter& f,
                                                                                      const Scope& scope,
                                                                                      HomeMap* homes) {
  return db::Guard([&]() -> Result<std::pair<std::vector<PersonRecord>, long long>> {
    // Where the person lives comes with the row (the household is joined anyway for the scope).
    static const std::string kColumns = "SELECT " + sql::PersonColumns("p") + ", h.ref, h.commune_code";
    const std::size_t home_col = sql::kPersonHead + PersonFields().size();
    std::vector<PersonRecord> out;
    long long rows = 0;
    long long total = RunPersonSearch(db_, f, scope, kColumns, rows, [&](const soci::row& r) {
      out.push_back(ReadPerson(r));
      if (homes)
        (*homes)[out.back().household_id] = {db::RowOptStr(r, home_col).value_or(""),
                                             db::RowOptStr(r, home_col + 1).value_or("")};
    });
    return std::make_pair(std::move(out), total);
  });
}

Result<std::pair<std::vector<PersonStamp>, long long>> HouseholdStore::SearchPersonStamps(const SearchFilter& f,
                                                                                          const Scope& scope,
                                                                                          HomeMap* homes) {
  return db::Guard([&]() -> Result<std::pair<std::vector<PersonStamp>, long long>> {
    std::vector<PersonStamp> out;
    long long rows = 0;
    long long total = RunPersonSearch(
        db_, f, scope, "SELECT p.id, p.household_id, p.version, h.ref, h.commune_code", rows, [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowInt(r, 1), db::RowInt(r, 2)});
          if (homes)
            (*homes)[out.back().household_id] = {db::RowOptStr(r, 3).value_or(""), db::RowOptStr(r, 4).value_or("")};
        });
    return std::make_pair(std::move(out), total);
  });
}

}  // namespace sanad::registry
