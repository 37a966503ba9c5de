// SQL building blocks shared by the registry's stores (not part of the module's interface): column
// lists from the field tables, text binding, the one reader of field values, and the one area-scope
// condition every scoped query uses.
#pragma once

#include <soci/soci.h>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.h"
#include "db/row.h"
#include "registry/records.h"

namespace sanad::registry::sql {

// "a, b, c" (with an optional alias prefix "h.").
std::string Cols(std::span<const FieldSpec> fields, std::string_view prefix = "");
// Every column read as text so one generic reader serves both databases and every type.
std::string TextCols(std::span<const FieldSpec> fields, std::string_view prefix);
// ":v0, :v1, …"
std::string Placeholders(std::size_t n, std::string_view stem);
// "1,2,3" for ids that the program holds (integers only, safe to inline).
std::string IdList(std::span<const std::int64_t> ids);

// "IN <a list of ids bound as one text parameter>", so that a statement with an id list has one text
// whatever the ids (and is prepared once): SQLite reads a JSON array, PostgreSQL an array literal.
std::string IdListSql(db::Dialect d);
std::string IdListParam(db::Dialect d, std::span<const std::int64_t> ids);

// Values bound as text: PostgreSQL infers each parameter's type from its column, SQLite applies the
// column's affinity. Storage must outlive the statement.
struct Binder {
  std::vector<std::string> text;
  std::vector<soci::indicator> ind;
  void Add(const std::optional<std::string>& v);
  void Bind(soci::statement& st);
};

// Reads fields.size() text columns from `first` on into canonical values (decimals and booleans as
// Values holds them on both databases).
void ReadValues(const soci::row& r, std::size_t first, std::span<const FieldSpec> fields, Values& out);

// "(no area OR the commune lies under `area` on `day`)": the caller's scope, or an area filter, inside
// a store query. Holds the values it binds, so it must outlive the statement's execution; placeholders
// are :<tag>1…:<tag>4 so that two conditions can share a statement.
class AreaCondition {
 public:
  AreaCondition(std::optional<std::string> area, std::string day, std::string tag);
  explicit AreaCondition(const Scope& scope) : AreaCondition(scope.area, scope.today, "sc") {}

  std::string Sql(std::string_view commune_column) const;
  // "(no area OR every commune the change request `cr_id` touches lies under `area`)"; same bindings.
  std::string SqlEveryCommuneOf(std::string_view cr_id) const;
  void Bind(soci::statement& st);
  void Bind(db::Prepared& q) const { q.Bind(area_).Bind(area_).Bind(day_).Bind(day_); }
  // Whether there is an area at all: a statement whose text may depend on it can leave the condition
  // out for a national scope (see HouseholdStore::SearchPersons).
  bool restricts() const { return area_.has_value(); }

 private:
  std::optional<std::string> area_;
  std::string day_;
  std::string tag_;
};

// Whether `area` lies under the scope's area (always for a national scope).
bool AreaWithin(soci::session& sql, const std::string& area, const Scope& scope);

// Counting and row loops with the caller's bindings are db facilities, shared with other stores.
using db::CountRows;
using db::EachRow;

// The registry reference computed from the id in SQL: H000000042, P000000042.
std::string RefExpr(db::Dialect d, char prefix);

// "SELECT alias.id, alias.household_id, alias.version, alias.merged_into, <fields>[, extra] FROM table alias";
// ReadPerson reads its rows. person_versions has person_id in place of id: pass its select as `table`
// with a view of the same columns (see PersonVersionSelect).
std::string PersonSelect(std::string_view table, std::string_view alias, std::string_view extra_columns = {});
// The column list of a PersonSelect alone: "alias.id, alias.household_id, alias.version, alias.merged_into, <fields>".
std::string PersonColumns(std::string_view alias);
// Columns before the fields in a PersonSelect row: id, household_id, version, merged_into.
inline constexpr std::size_t kPersonHead = 4;
std::string PersonVersionSelect(std::string_view alias);
// `first`: the column where the person's columns begin (a person joined to another record's row).
PersonRecord ReadPerson(const soci::row& r, std::size_t first = 0);

// Message parameters stored as a JSON object of strings (notices, change-request summaries), and read
// back in the same order. Unreadable text reads as none.
std::string ParamsJson(const MessageParams& params);
MessageParams ParamsFrom(const std::string& text);

}  // namespace sanad::registry::sql
