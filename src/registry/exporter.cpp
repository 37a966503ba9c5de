#include "registry/exporter.h"

#include <xlsxwriter.h>

#include <charconv>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>
#include <unordered_map>

#include "core/csv.h"

namespace sanad::registry {

Result<ExportTable> Exporter::Persons(SearchFilter filter, const Scope& scope, std::size_t max_rows) {
  const auto fields = PersonFields();
  const int f_record = FieldIndex(fields, "record_id"), f_source = FieldIndex(fields, "source_ref"),
            f_status = FieldIndex(fields, "status"), f_exit = FieldIndex(fields, "exit_reason");
  ExportTable t;
  std::vector<int> order;  // field per column after the first three
  t.header = {"record_id", "household_ref", "commune_code"};
  t.types = {FieldType::kText, FieldType::kText, FieldType::kArea};
  for (int i = 0; i < static_cast<int>(fields.size()); ++i) {
    if (i == f_record || i == f_source || i == f_status || i == f_exit) continue;
    order.push_back(i);
  }
  order.push_back(f_source);
  order.push_back(f_status);
  for (int i : order) {
    t.header.emplace_back(fields[i].name);
    t.types.push_back(fields[i].type);
  }

  // Persons, page by page (the store applies scope, area and identifier filters).
  std::vector<PersonRecord> persons;
  if (filter.person_ids) {
    if (filter.person_ids->size() > max_rows) {
      filter.person_ids->resize(max_rows);
      t.truncated = true;
    }
    auto found = store_.SearchPersons(filter, scope);
    if (!found) return std::unexpected(found.error());
    std::unordered_map<std::int64_t, std::size_t> rank;
    for (std::size_t i = 0; i < filter.person_ids->size(); ++i) rank.emplace((*filter.person_ids)[i], i);
    persons = std::move(found->first);
    std::sort(persons.begin(), persons.end(), [&](const PersonRecord& a, const PersonRecord& b) { return rank[a.id] < rank[b.id]; });
  } else {
    constexpr int kPage = 10000;
    filter.offset = 0;
    for (;;) {
      filter.limit = kPage;
      auto page = store_.SearchPersons(filter, scope);
      if (!page) return std::unexpected(page.error());
      const std::size_t got = page->first.size();
      for (auto& p : page->first) {
        if (persons.size() == max_rows) {
          t.truncated = true;
          break;
        }
        persons.push_back(std::move(p));
      }
      if (t.truncated || got < static_cast<std::size_t>(kPage)) break;
      filter.offset += kPage;
    }
  }

  // Their households' reference and commune, in batches.
  std::unordered_map<std::int64_t, std::pair<std::string, std::string>> households;
  try {
    std::vector<std::int64_t> ids;
    for (const auto& p : persons) {
      if (households.emplace(p.household_id, std::pair<std::string, std::string>{}).second) ids.push_back(p.household_id);
    }
    auto s = store_.db().Acquire();
    constexpr std::size_t kBatch = 500;
    for (std::size_t start = 0; start < ids.size(); start += kBatch) {
      std::string in;
      for (std::size_t i = start; i < std::min(ids.size(), start + kBatch); ++i) in += fmt::format("{}{}", in.empty() ? "" : ",", ids[i]);
      soci::rowset<soci::row> rs = s.sql().prepare << "SELECT id, ref, commune_code FROM households WHERE id IN (" + in + ")";
      for (const auto& r : rs) {
        long long id = r.get_properties(0).get_data_type() == soci::dt_integer ? r.get<int>(0) : r.get<long long>(0);
        households[id] = {r.get_indicator(1) == soci::i_ok ? r.get<std::string>(1) : "",
                          r.get_indicator(2) == soci::i_ok ? r.get<std::string>(2) : ""};
      }
    }
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }

  t.rows.reserve(persons.size());
  for (const auto& p : persons) {
    std::vector<std::optional<std::string>> row;
    row.reserve(t.header.size());
    const auto& h = households[p.household_id];
    row.push_back(p.values[f_record]);
    row.emplace_back(h.first);
    row.emplace_back(h.second);
    for (int i : order) row.push_back(p.values[i]);
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string ToCsv(const ExportTable& t) {
  std::string out;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (c) out.push_back(',');
    out += csv::Escape(t.header[c]);
  }
  out.push_back('\n');
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out.push_back(',');
      if (row[c]) out += csv::Escape(*row[c]);
    }
    out.push_back('\n');
  }
  return out;
}

Result<std::string> ToXlsx(const ExportTable& t, const std::string& sheet_name) {
  char path[] = "/tmp/sanad-export-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) return Fail(Code::kInternal, "cannot create a temporary file for the XLSX export");
  close(fd);
  struct Unlink {
    const char* p;
    ~Unlink() { std::remove(p); }
  } unlink_guard{path};

  lxw_workbook_options opts{};
  opts.constant_memory = t.rows.size() > 10000 ? LXW_TRUE : LXW_FALSE;  // large exports stream rows
  opts.tmpdir = const_cast<char*>("/tmp");
  lxw_workbook* wb = workbook_new_opt(path, &opts);
  if (!wb) return Fail(Code::kInternal, "libxlsxwriter could not create the workbook");
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name.c_str());
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
  }
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const auto& row = t.rows[r];
    const auto xr = static_cast<lxw_row_t>(r + 1);
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (!row[c]) continue;
      const auto xc = static_cast<lxw_col_t>(c);
      const FieldType type = t.types[c];
      if (type == FieldType::kInt || type == FieldType::kDecimal || type == FieldType::kBool) {
        double d = 0;
        auto [p, ec] = std::from_chars(row[c]->data(), row[c]->data() + row[c]->size(), d);
        if (ec == std::errc() && p == row[c]->data() + row[c]->size()) {
          worksheet_write_number(ws, xr, xc, d, nullptr);
          continue;
        }
      }
      worksheet_write_string(ws, xr, xc, row[c]->c_str(), nullptr);
    }
  }
  lxw_error rc = workbook_close(wb);
  if (rc != LXW_NO_ERROR) return Fail(Code::kInternal, fmt::format("libxlsxwriter: {}", lxw_strerror(rc)));
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Fail(Code::kInternal, "the XLSX export is empty");
  return bytes;
}

}  // namespace sanad::registry
