#include "registry/import_sheet.h"

#include <fmt/format.h>
#include <algorithm>

#include "core/csv.h"
#include "registry/xlsx_reader.h"

namespace sanad::registry {

namespace {

// The exporter writes a cell a spreadsheet would run as a formula with a leading single quote
// (NeutraliseFormula); reading it back takes the quote off.
std::string_view UndoFormulaGuard(std::string_view cell) {
  if (cell.size() >= 2 && cell[0] == '\'') {
    const char c = cell[1];
    if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') cell.remove_prefix(1);
  }
  return cell;
}

// Builds the sheet from records as they come, whatever the format.
class Builder {
 public:
  Builder(Sheet& sheet, const SelectColumns& select) : sh_(sheet), select_(select) {}

  bool have_header() const { return have_header_; }

  // `fields` are views that stay valid as long as the sheet (its arena or the file's bytes).
  void Add(long row, const std::vector<std::string_view>& fields) {
    if (std::all_of(fields.begin(), fields.end(), [](std::string_view f) { return csv::TrimCell(f).empty(); })) return;
    if (!have_header_) {
      sh_.header.clear();
      for (auto f : fields) sh_.header.emplace_back(csv::TrimCell(f));
      sh_.kept = select_(sh_.header);
      sh_.width = sh_.kept.size();
      have_header_ = true;
      return;
    }
    if (fields.size() > sh_.header.size()) {
      const bool extra = std::any_of(fields.begin() + static_cast<std::ptrdiff_t>(sh_.header.size()), fields.end(),
                                     [](std::string_view f) { return !csv::TrimCell(f).empty(); });
      if (extra) {
        sh_.row_errors.push_back(
            {row,
             "",
             "",
             std::string(MsgCode("import.too_many_fields")),
             {{"fields", std::to_string(fields.size())}, {"columns", std::to_string(sh_.header.size())}}});
      }
    }
    const std::size_t base = sh_.cells.size();
    sh_.cells.resize(base + sh_.width);
    for (std::size_t k = 0; k < sh_.width; ++k) {
      const auto c = static_cast<std::size_t>(sh_.kept[k]);
      if (c < fields.size()) sh_.cells[base + k] = UndoFormulaGuard(csv::TrimCell(fields[c]));
    }
    sh_.row_no.push_back(row);
  }

 private:
  Sheet& sh_;
  const SelectColumns& select_;
  bool have_header_ = false;
};

}  // namespace

std::optional<FileFormat> FormatFromName(std::string_view name) {
  auto lower = std::string(name);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.ends_with(".xlsx")) return FileFormat::kXlsx;
  if (lower.ends_with(".csv") || lower.ends_with(".txt")) return FileFormat::kCsv;
  return std::nullopt;
}

std::optional<FileFormat> FormatFromMediaType(std::string_view ct) {
  ct = csv::TrimCell(ct.substr(0, ct.find(';')));
  if (ct == "text/csv" || ct == "application/csv" || ct == "text/plain") return FileFormat::kCsv;
  if (ct == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") return FileFormat::kXlsx;
  return std::nullopt;
}

Status ReadSheet(std::string_view bytes, FileFormat format, Sheet& sh, const SelectColumns& select) {
  Builder build(sh, select);
  if (format == FileFormat::kXlsx) {
    sh.xlsx = true;
    std::vector<std::string_view> views;
    auto st = ReadXlsx(bytes, [&](long row, std::vector<std::string>& cells) -> Status {
      views.clear();
      for (auto& c : cells) {
        if (c.empty()) {
          views.emplace_back();
          continue;
        }
        sh.arena.push_back(std::move(c));
        views.emplace_back(sh.arena.back());
      }
      build.Add(row, views);
      return Ok();
    });
    if (!st) return st;
  } else {
    csv::Scanner scan(bytes, sh.arena);
    std::vector<std::string_view> fields;
    for (;;) {
      auto more = scan.Next(fields);
      if (!more) return std::unexpected(more.error());
      if (!*more) break;
      build.Add(scan.line(), fields);
    }
  }
  if (!build.have_header()) {
    Error e{Code::kInvalidArgument, "the file is empty: a header row is required", "file", 0,
            std::string(MsgCode("import.no_header"))};
    return std::unexpected(std::move(e));
  }
  return Ok();
}

Result<std::vector<std::vector<std::string>>> ReadSpreadsheet(std::string_view bytes, FileFormat format,
                                                              std::vector<long>* row_numbers) {
  Sheet sh;
  auto all = [](const std::vector<std::string>& header) {
    std::vector<int> k(header.size());
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<int>(i);
    return k;
  };
  if (auto st = ReadSheet(bytes, format, sh, all); !st) return std::unexpected(st.error());
  std::vector<std::vector<std::string>> out;
  out.push_back(sh.header);
  if (row_numbers) row_numbers->assign(1, 1);
  for (std::size_t r = 0; r < sh.rows(); ++r) {
    std::vector<std::string> row;
    for (std::size_t k = 0; k < sh.width; ++k) row.emplace_back(sh.at(r, k));
    out.push_back(std::move(row));
    if (row_numbers) row_numbers->push_back(sh.row_no[r]);
  }
  return out;
}

}  // namespace sanad::registry
