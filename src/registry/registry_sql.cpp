#include "registry/registry_sql.h"

#include <fmt/format.h>
#include <charconv>
#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::registry::sql {

std::string Cols(std::span<const FieldSpec> fields, std::string_view prefix) {
  std::string out;
  for (const auto& f : fields) {
    if (!out.empty()) out += ", ";
    out += prefix;
    out += f.name;
  }
  return out;
}

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

std::string IdList(std::span<const std::int64_t> ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
  return out;
}

std::string IdListSql(db::Dialect d) {
  return d == db::Dialect::kSqlite ? "IN (SELECT value FROM json_each(:ids))" : "= ANY(CAST(:ids AS BIGINT[]))";
}

std::string IdListParam(db::Dialect d, std::span<const std::int64_t> ids) {
  std::string out(1, d == db::Dialect::kSqlite ? '[' : '{');
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (i) out += ',';
    out += std::to_string(ids[i]);
  }
  out += d == db::Dialect::kSqlite ? ']' : '}';
  return out;
}

void Binder::Add(const std::optional<std::string>& v) {
  text.push_back(v.value_or(""));
  ind.push_back(v ? soci::i_ok : soci::i_null);
}

void Binder::Bind(soci::statement& st) {
  for (std::size_t i = 0; i < text.size(); ++i) st.exchange(soci::use(text[i], ind[i]));
}

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

AreaCondition::AreaCondition(std::optional<std::string> area, std::string day, std::string tag)
    : area_(std::move(area)), day_(std::move(day)), tag_(std::move(tag)) {}

std::string AreaCondition::Sql(std::string_view commune_column) const { return db::AreaScopeSql(commune_column, tag_); }
std::string AreaCondition::SqlEveryCommuneOf(std::string_view cr_id) const {
  return fmt::format(
      "(CAST(:{0}1 AS TEXT) IS NULL OR NOT EXISTS (SELECT 1 FROM change_request_areas {0}a WHERE "
      "{0}a.change_request_id = {1} "
      "AND NOT EXISTS (SELECT 1 FROM area_ancestors {0}x WHERE {0}x.ancestor = :{0}2 AND {0}x.descendant = "
      "{0}a.commune_code "
      "AND {0}x.valid_from <= :{0}3 AND {0}x.valid_to > :{0}4)))",
      tag_, cr_id);
}

void AreaCondition::Bind(soci::statement& st) {
  st.exchange(soci::use(area_));
  st.exchange(soci::use(area_));
  st.exchange(soci::use(day_));
  st.exchange(soci::use(day_));
}

bool AreaWithin(soci::session& sql, const std::string& area, const Scope& scope) {
  if (!scope.area) return true;
  std::string a = area;
  AreaCondition within(scope);
  return CountRows(sql, "SELECT COUNT(*) FROM areas ar WHERE ar.code = :a AND " + within.Sql("ar.code"),
                   [&](soci::statement& st) {
                     st.exchange(soci::use(a));
                     within.Bind(st);
                   }) > 0;
}

std::string RefExpr(db::Dialect d, char prefix) {
  return d == db::Dialect::kSqlite ? fmt::format("printf('{}%09d', id)", prefix)
                                   : fmt::format("'{}' || lpad(CAST(id AS TEXT), 9, '0')", prefix);
}

std::string PersonColumns(std::string_view alias) {
  return fmt::format("{0}.id, {0}.household_id, {0}.version, {0}.merged_into, {1}", alias,
                     TextCols(PersonFields(), std::string(alias) + "."));
}

std::string PersonSelect(std::string_view table, std::string_view alias, std::string_view extra_columns) {
  return fmt::format("SELECT {}{}{} FROM {} {}", PersonColumns(alias), extra_columns.empty() ? "" : ", ", extra_columns,
                     table, alias);
}

std::string PersonVersionSelect(std::string_view alias) {
  return fmt::format(
      "SELECT {0}.person_id, {0}.household_id, {0}.version, {0}.merged_into, {1} FROM person_versions {0}", alias,
      TextCols(PersonFields(), std::string(alias) + "."));
}

PersonRecord ReadPerson(const soci::row& r, std::size_t first) {
  PersonRecord p;
  p.id = db::RowInt(r, first);
  p.household_id = db::RowInt(r, first + 1);
  p.version = db::RowInt(r, first + 2);
  p.merged_into = db::RowOptInt(r, first + 3);
  ReadValues(r, first + kPersonHead, PersonFields(), p.values);
  return p;
}

std::string ParamsJson(const MessageParams& params) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();  // in their order, as they were given
  for (const auto& [k, v] : params) j[k] = v;
  return j.dump();
}

MessageParams ParamsFrom(const std::string& text) {
  MessageParams out;
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items()) out.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

}  // namespace sanad::registry::sql
