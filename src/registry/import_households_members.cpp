#include "registry/import_households_members.h"

#include <string>
#include <unordered_map>

namespace sanad::registry {

namespace {

// The kept columns of `m` with one of `roles`, as a mapping of their own.
std::vector<std::size_t> Keep(const Mapping& m, std::initializer_list<ColumnRole> roles, Mapping& out) {
  std::vector<std::size_t> kept;
  for (std::size_t k = 0; k < m.columns.size(); ++k) {
    for (ColumnRole role : roles) {
      if (m.columns[k]->role == role) {
        kept.push_back(k);
        out.columns.push_back(m.columns[k]);
        break;
      }
    }
  }
  return kept;
}

}  // namespace

HouseholdsWithMembers SplitHouseholdsWithMembers(const Sheet& sheet, const Mapping& mapping) {
  HouseholdsWithMembers out;
  const auto h_cols = Keep(mapping, {ColumnRole::kHouseholdRef, ColumnRole::kHouseholdField}, out.household_columns);
  const auto p_cols =
      Keep(mapping, {ColumnRole::kRecordId, ColumnRole::kHouseholdRef, ColumnRole::kPersonField}, out.person_columns);
  const int k_ref = mapping.Find(ColumnRole::kHouseholdRef);
  const int k_rel = mapping.Find(ColumnRole::kPersonField, FieldIndex(PersonFields(), "relationship"));
  const std::size_t n = sheet.rows();

  out.households.xlsx = out.persons.xlsx = sheet.xlsx;
  out.households.width = h_cols.size();
  out.persons.width = p_cols.size();
  out.persons.row_no = sheet.row_no;
  out.persons.cells.reserve(n * p_cols.size());
  for (std::size_t r = 0; r < n; ++r) {
    for (std::size_t k : p_cols) out.persons.cells.push_back(sheet.at(r, k));
  }

  std::unordered_map<std::string_view, std::size_t> household;  // household_ref → households row
  std::vector<std::size_t> first_row;                           // households row → sheet row
  std::vector<long> head_row;                                   // households row → file row of its head (0: none)
  out.household_of.assign(n, HouseholdsWithMembers::kNoHousehold);
  for (std::size_t r = 0; r < n; ++r) {
    const std::string_view ref = k_ref >= 0 ? sheet.at(r, k_ref) : std::string_view();
    const long row = sheet.row_no[r];
    if (ref.empty()) {
      out.errors.push_back(
          RowProblem(row, "household_ref", ref, MsgCode("field.required"), {{"field", "household_ref"}}));
      continue;
    }
    auto [it, fresh] = household.emplace(ref, first_row.size());
    if (fresh) {
      first_row.push_back(r);
      head_row.push_back(0);
      out.households.row_no.push_back(row);
      for (std::size_t k : h_cols) out.households.cells.push_back(sheet.at(r, k));
    } else {
      const std::size_t first = first_row[it->second];
      for (std::size_t k : h_cols) {
        const std::string_view v = sheet.at(r, k), expected = sheet.at(first, k);
        if (v.empty() || v == expected) continue;
        const std::string column(mapping.columns[k]->name);
        out.errors.push_back(
            RowProblem(row, column, ValidUtf8(v), MsgCode("import.household_disagrees"),
                       {{"column", column}, {"value", ValidUtf8(ref)}, {"row", std::to_string(sheet.row_no[first])}}));
      }
    }
    out.household_of[r] = it->second;
    if (k_rel >= 0 && sheet.at(r, k_rel) == "head") {
      long& head = head_row[it->second];
      if (head == 0) {
        head = row;
      } else {
        out.errors.push_back(RowProblem(row, "relationship", "head", MsgCode("import.head_twice"),
                                        {{"value", ValidUtf8(ref)}, {"row", std::to_string(head)}}));
      }
    }
  }
  for (std::size_t h = 0; h < first_row.size(); ++h) {
    if (head_row[h] != 0) continue;
    const std::size_t r = first_row[h];
    out.errors.push_back(RowProblem(sheet.row_no[r], "relationship", k_rel >= 0 ? sheet.at(r, k_rel) : "",
                                    MsgCode("import.household_no_head"), {{"value", ValidUtf8(sheet.at(r, k_ref))}}));
  }
  return out;
}

}  // namespace sanad::registry
