#include "registry/staged_rows_store.h"

#include <fmt/format.h>

#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::Cols;
using sql::TextCols;

namespace {

// The statements of one kind of import: its rows (with the household they name and the columns the
// warnings need) and its counts per commune.
struct KindSql {
  std::string from;      // FROM … WHERE <staged>.change_request_id = :c
  std::string columns;   // row_no, household_ref, commune_code, nid_holders, nid_repeated_row, [household], [person]
  std::string communes;  // commune_code, rows, households
  bool household = false;
  bool person = false;
};

KindSql SqlOf(std::string_view kind) {
  KindSql k;
  // Another row of the same import with the row's national ID (its position), and active holders in
  // the registry: both index lookups.
  const std::string nid =
      "(SELECT COUNT(*) FROM persons p WHERE p.national_id = sp.national_id AND p.status = 'active'), "
      "(SELECT MIN(o.row_no) FROM staged_persons o WHERE o.change_request_id = sp.change_request_id AND "
      "o.national_id = sp.national_id AND o.row_no <> sp.row_no)";
  if (kind == "import_households") {
    k.from = " FROM staged_households sh WHERE sh.change_request_id = :c";
    k.columns = "sh.row_no, sh.source_ref, sh.commune_code, 0, NULL, " + TextCols(HouseholdFields(), "sh.");
    k.communes = "SELECT sh.commune_code, COUNT(*), COUNT(*)" + k.from + " GROUP BY sh.commune_code";
    k.household = true;
  } else if (kind == "import_persons") {
    k.from = " FROM staged_persons sp LEFT JOIN households h ON h.id = sp.household_id WHERE sp.change_request_id = :c";
    k.columns = "sp.row_no, sp.household_ref, h.commune_code, " + nid + ", " + TextCols(PersonFields(), "sp.");
    k.communes =
        "SELECT h.commune_code, COUNT(*), COUNT(DISTINCT sp.household_id)" + k.from + " GROUP BY h.commune_code";
    k.person = true;
  } else {
    k.from =
        " FROM staged_persons sp LEFT JOIN staged_households sh ON sh.change_request_id = sp.change_request_id AND "
        "sh.source_ref = sp.household_ref WHERE sp.change_request_id = :c";
    k.columns = "sp.row_no, sp.household_ref, sh.commune_code, " + nid + ", " + TextCols(HouseholdFields(), "sh.") +
                ", " + TextCols(PersonFields(), "sp.");
    k.communes = "SELECT sh.commune_code, COUNT(*), COUNT(DISTINCT sh.row_no)" + k.from + " GROUP BY sh.commune_code";
    k.household = k.person = true;
  }
  return k;
}

void AddWarnings(StagedRow& row, std::string_view kind, long long nid_holders, std::optional<long long> repeated) {
  const int f_nid = FieldIndex(PersonFields(), "national_id");
  const std::string nid = row.person ? (*row.person)[f_nid].value_or("") : "";
  if (nid_holders > 0) {
    row.warnings.push_back(RowError{row.row,
                                    "national_id",
                                    nid,
                                    std::string(MsgCode("import.national_id_in_use")),
                                    {{"value", nid}, {"count", std::to_string(nid_holders)}}});
  }
  if (repeated) {
    row.warnings.push_back(RowError{row.row,
                                    "national_id",
                                    nid,
                                    std::string(MsgCode("import.national_id_repeated")),
                                    {{"value", nid}, {"row", std::to_string(*repeated)}}});
  }
  if (kind == "import_households") {
    row.warnings.push_back(RowError{row.row,
                                    "",
                                    "",
                                    std::string(MsgCode("import.household_without_members")),
                                    {{"value", row.household_ref.value_or("")}}});
  }
}

}  // namespace

Result<StagedRowsPage> StagedRowsStore::Page(std::int64_t cr, std::string_view kind, int limit, int offset) {
  return db::Guard([&]() -> Result<StagedRowsPage> {
    auto s = db_.Acquire();
    const KindSql k = SqlOf(kind);
    long long c = cr;
    auto bind = [&](soci::statement& st) { st.exchange(soci::use(c)); };
    StagedRowsPage page;
    page.total = sql::CountRows(s.sql(), "SELECT COUNT(*)" + k.from, bind);
    sql::EachRow(s.sql(), k.communes + " ORDER BY 1", bind, [&](const soci::row& r) {
      page.communes.push_back({db::RowOptStr(r, 0).value_or(""), db::RowInt(r, 1), db::RowInt(r, 2)});
    });
    // Integers inlined: the page bounds are the route's, already checked.
    const std::string rows = fmt::format("SELECT {}{} ORDER BY 1 LIMIT {} OFFSET {}", k.columns, k.from, limit, offset);
    sql::EachRow(s.sql(), rows, bind, [&](const soci::row& r) {
      StagedRow row;
      row.row = db::RowInt(r, 0);
      row.household_ref = db::RowOptStr(r, 1);
      row.commune_code = db::RowOptStr(r, 2);
      const long long holders = db::RowInt(r, 3);
      const std::optional<long long> repeated = db::RowOptInt(r, 4);
      std::size_t at = 5;
      if (k.household) {
        row.household.emplace();
        sql::ReadValues(r, at, HouseholdFields(), *row.household);
        at += HouseholdFields().size();
      }
      if (k.person) {
        row.person.emplace();
        sql::ReadValues(r, at, PersonFields(), *row.person);
      }
      AddWarnings(row, kind, holders, repeated);
      page.rows.push_back(std::move(row));
    });
    return page;
  });
}

}  // namespace sanad::registry
