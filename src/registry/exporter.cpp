#include "registry/exporter.h"

#include <xlsxwriter.h>

#include <fmt/format.h>
#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <unordered_map>

#include "core/csv.h"

namespace sanad::registry {

namespace {

// The export's columns: record_id, household_ref, commune_code, then the person fields in table order
// with source_ref and status last. `order` receives the field of every column after the first three.
ExportTable EmptyTable(std::vector<int>& order) {
  const auto fields = PersonFields();
  const int f_record = FieldIndex(fields, "record_id"), f_source = FieldIndex(fields, "source_ref"),
            f_status = FieldIndex(fields, "status"), f_exit = FieldIndex(fields, "exit_reason");
  ExportTable t;
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
  return t;
}

constexpr int kPage = 10000;

}  // namespace

Status Exporter::EachPage(SearchFilter filter, const Scope& scope, std::size_t max_rows,
                          const std::function<Status(const ExportTable& page)>& sink) {
  ExportTable page;
  {
    std::vector<int> order;
    page = EmptyTable(order);
  }
  // Persons, page by page (the store applies scope, area and identifier filters).
  if (filter.person_ids) {
    if (filter.person_ids->size() > max_rows) {
      filter.person_ids->resize(max_rows);
      page.truncated = true;
    }
    auto found = store_.households.SearchPersons(filter, scope);
    if (!found) return std::unexpected(found.error());
    std::unordered_map<std::int64_t, std::size_t> rank;
    for (std::size_t i = 0; i < filter.person_ids->size(); ++i) rank.emplace((*filter.person_ids)[i], i);
    std::vector<PersonRecord> persons = std::move(found->first);
    std::sort(persons.begin(), persons.end(),
              [&](const PersonRecord& a, const PersonRecord& b) { return rank[a.id] < rank[b.id]; });
    return Emit(persons, page, sink);
  }
  std::size_t sent = 0;
  filter.offset = 0;
  filter.count_total = false;  // paged through to the end: counting on every page would rescan the scope
  for (;;) {
    filter.limit = kPage;
    auto found = store_.households.SearchPersons(filter, scope);
    if (!found) return std::unexpected(found.error());
    std::vector<PersonRecord>& persons = found->first;
    const std::size_t got = persons.size();
    if (sent + persons.size() > max_rows) {
      persons.resize(max_rows - sent);
      page.truncated = true;
    }
    sent += persons.size();
    const bool last = page.truncated || got < static_cast<std::size_t>(kPage);
    if (!persons.empty() || last) {
      if (auto st = Emit(persons, page, sink); !st) return st;
    }
    if (last) return Ok();
    filter.offset += kPage;
  }
}

Status Exporter::Emit(std::vector<PersonRecord>& persons, ExportTable& page,
                      const std::function<Status(const ExportTable& page)>& sink) {
  std::vector<int> order;
  (void)EmptyTable(order);
  const auto fields = PersonFields();
  const int f_record = FieldIndex(fields, "record_id");
  // Their households' reference and commune, in batches.
  std::vector<std::int64_t> ids;
  ids.reserve(persons.size());
  for (const auto& p : persons) ids.push_back(p.household_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  auto found = store_.households.HouseholdSummaries(ids);
  if (!found) return std::unexpected(found.error());
  auto& households = *found;
  page.rows.clear();
  page.rows.reserve(persons.size());
  for (const auto& p : persons) {
    std::vector<std::optional<std::string>> row;
    row.reserve(page.header.size());
    const auto& h = households[p.household_id];
    row.push_back(p.values[f_record]);
    row.emplace_back(h.first);
    row.emplace_back(h.second);
    for (int i : order) row.push_back(p.values[i]);
    page.rows.push_back(std::move(row));
  }
  return sink(page);
}

Result<ExportTable> Exporter::Persons(SearchFilter filter, const Scope& scope, std::size_t max_rows) {
  ExportTable all;
  auto st = EachPage(std::move(filter), scope, max_rows, [&](const ExportTable& page) -> Status {
    if (all.header.empty()) {
      all.header = page.header;
      all.types = page.types;
    }
    all.truncated = page.truncated;
    all.rows.insert(all.rows.end(), page.rows.begin(), page.rows.end());
    return Ok();
  });
  if (!st) return std::unexpected(st.error());
  return all;
}

std::string NeutraliseFormula(std::string_view cell) {
  if (cell.empty()) return std::string(cell);
  const char c = cell.front();
  if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r') return std::string(cell);
  // A plain signed number ("-12.5", "+212612345678") cannot run anything and keeps its value.
  if ((c == '+' || c == '-') && cell.size() > 1) {
    bool number = true, dot = false;
    for (std::size_t i = 1; i < cell.size() && number; ++i) {
      if (cell[i] == '.' && !dot && i > 1)
        dot = true;
      else if (cell[i] < '0' || cell[i] > '9')
        number = false;
    }
    if (number && cell.back() != '.') return std::string(cell);
  }
  return "'" + std::string(cell);
}

std::string CsvHeader(const ExportTable& t) {
  std::string out;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    if (c) out.push_back(',');
    out += csv::Escape(t.header[c]);
  }
  out.push_back('\n');
  return out;
}

std::string CsvRows(const ExportTable& t) {
  std::string out;
  for (const auto& row : t.rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c) out.push_back(',');
      if (row[c]) out += csv::Escape(NeutraliseFormula(*row[c]));
    }
    out.push_back('\n');
  }
  return out;
}

std::string ToCsv(const ExportTable& t) { return CsvHeader(t) + CsvRows(t); }

struct XlsxWriter::Impl {
  lxw_workbook* wb = nullptr;
  lxw_worksheet* ws = nullptr;
  lxw_row_t next_row = 0;
  bool closed = false;
};

XlsxWriter::XlsxWriter() : impl_(std::make_unique<Impl>()) {}

XlsxWriter::~XlsxWriter() {
  if (impl_->wb && !impl_->closed) workbook_close(impl_->wb);
  if (!path_.empty()) std::remove(path_.c_str());
}

Status XlsxWriter::Add(const ExportTable& t, const std::string& sheet_name) {
  if (impl_->closed) return Fail(Code::kInternal, "the XLSX workbook is already closed");
  if (!impl_->wb) {
    char path[] = "/tmp/sanad-export-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return Fail(Code::kInternal, "cannot create a temporary file for the XLSX export");
    close(fd);
    path_ = path;
    lxw_workbook_options opts{};
    opts.constant_memory = LXW_TRUE;  // rows go to disk as they are written
    opts.tmpdir = const_cast<char*>("/tmp");
    impl_->wb = workbook_new_opt(path_.c_str(), &opts);
    if (!impl_->wb) return Fail(Code::kInternal, "libxlsxwriter could not create the workbook");
    impl_->ws = workbook_add_worksheet(impl_->wb, sheet_name.c_str());
    lxw_format* bold = workbook_add_format(impl_->wb);
    format_set_bold(bold);
    for (std::size_t c = 0; c < t.header.size(); ++c) {
      worksheet_write_string(impl_->ws, 0, static_cast<lxw_col_t>(c), t.header[c].c_str(), bold);
    }
    impl_->next_row = 1;
  }
  for (const auto& row : t.rows) {
    const lxw_row_t xr = impl_->next_row++;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (!row[c]) continue;
      const auto xc = static_cast<lxw_col_t>(c);
      const FieldType type = t.types[c];
      if (type == FieldType::kInt || type == FieldType::kDecimal || type == FieldType::kBool) {
        double d = 0;
        auto [p, ec] = std::from_chars(row[c]->data(), row[c]->data() + row[c]->size(), d);
        if (ec == std::errc() && p == row[c]->data() + row[c]->size()) {
          worksheet_write_number(impl_->ws, xr, xc, d, nullptr);
          continue;
        }
      }
      // A string cell, whatever it starts with: libxlsxwriter writes formulas only through
      // worksheet_write_formula, so "=HYPERLINK(…)" stays text.
      worksheet_write_string(impl_->ws, xr, xc, row[c]->c_str(), nullptr);
    }
  }
  return Ok();
}

Status XlsxWriter::Close() {
  if (!impl_->wb) {
    if (auto st = Add(ExportTable{}); !st) return st;
  }
  impl_->closed = true;
  lxw_error rc = workbook_close(impl_->wb);
  if (rc != LXW_NO_ERROR) return Fail(Code::kInternal, fmt::format("libxlsxwriter: {}", lxw_strerror(rc)));
  return Ok();
}

Result<std::string> ToXlsx(const ExportTable& t, const std::string& sheet_name) {
  XlsxWriter w;
  if (auto st = w.Add(t, sheet_name); !st) return std::unexpected(st.error());
  if (auto st = w.Close(); !st) return std::unexpected(st.error());
  std::ifstream in(w.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.empty()) return Fail(Code::kInternal, "the XLSX export is empty");
  return bytes;
}

}  // namespace sanad::registry
