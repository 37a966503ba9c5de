#include "registry/import_mapping.h"

#include <set>

#include "core/utf8.h"
#include "text/utf8.h"

namespace sanad::registry {

std::string ValidUtf8(std::string_view s) {
  if (IsValidUtf8(s)) return std::string(s);
  std::string out = text::EncodeUtf8(text::DecodeUtf8(s));
  if (IsValidUtf8(out)) return out;
  out.clear();
  for (char c : s) out.push_back(static_cast<unsigned char>(c) < 0x80 ? c : '?');
  return out;
}

RowError RowProblem(long row, std::string_view column, std::string_view value, std::string_view reason,
                    MessageParams params) {
  return RowError{row, std::string(column), std::string(value), std::string(reason), std::move(params)};
}

int Mapping::Find(ColumnRole role, int field) const {
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (columns[k]->role == role && (field < 0 || columns[k]->field == field)) return static_cast<int>(k);
  }
  return -1;
}

std::vector<int> MapHeader(ImportKind kind, const std::vector<std::string>& header, Mapping& m) {
  std::vector<int> kept;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    const std::string col = std::to_string(i + 1);
    if (h.empty()) {
      m.warnings.push_back(RowProblem(1, "", "", MsgCode("import.column_unnamed"), {{"column", col}}));
      continue;
    }
    const std::string name = ValidUtf8(h);  // warnings quote the header's bytes
    if (!seen.insert(h).second) {
      m.warnings.push_back(RowProblem(1, name, "", MsgCode("import.column_twice"), {{"name", name}, {"column", col}}));
      continue;
    }
    const ImportColumn* c = FindImportColumn(kind, h);
    if (!c) {
      m.warnings.push_back(RowProblem(
          1, name, "", IsSystemColumn(kind, h) ? MsgCode("import.column_system") : MsgCode("import.column_unknown"),
          {{"name", name}}));
      continue;
    }
    m.columns.push_back(c);
    kept.push_back(static_cast<int>(i));
  }
  for (const auto& c : ImportColumns(kind)) {
    if (c.required && !seen.contains(std::string(c.name))) {
      m.missing.push_back(
          RowProblem(1, c.name, "", MsgCode("import.column_missing"), {{"column", std::string(c.name)}}));
    }
  }
  return kept;
}

}  // namespace sanad::registry
