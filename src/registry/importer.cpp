#include "registry/importer.h"

#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "core/csv.h"
#include "i18n/catalogue.h"
#include "registry/import_households_members.h"
#include "registry/import_mapping.h"
#include "registry/xlsx_reader.h"

namespace sanad::registry {

namespace {

bool LooksNumeric(std::string_view v) {
  if (v.empty()) return false;
  bool dot = false;
  for (char c : v) {
    if (c == '.' && !dot)
      dot = true;
    else if (c < '0' || c > '9')
      return false;
  }
  return true;
}

// The row error of a failed NormalizeValue/CheckPerson: its code and parameters, or a generic code.
void AddErrors(std::vector<RowError>& out, long row, std::string column, std::string_view value, const Error& e) {
  if (column.empty()) column = e.field.substr(e.field.find_last_of('.') + 1);  // a rule across the row
  if (!e.problems.empty()) {
    for (const auto& p : e.problems) {
      const std::string col = p.field.substr(p.field.find_last_of('.') + 1);
      out.push_back(RowProblem(row, col, "", p.reason, p.params));
    }
    return;
  }
  if (e.reason.empty()) {
    out.push_back(RowProblem(row, column, value, MsgCode("import.value_invalid"), {{"field", column}}));
    return;
  }
  MessageParams params = e.params;
  for (auto& [name, v] : params) {
    if (name == "field" && !column.empty()) v = column;  // the file's column, not the field behind it
  }
  out.push_back(RowProblem(row, column, value, e.reason, std::move(params)));
}

// ------------------------------------------------------------------------------------------------
// Steps 2 and 3: the rows, validated against the reference data and the record rules.

class Validation {
 public:
  Validation(ImportKind kind, const Sheet& sheet, const Mapping& m, const AreaIndex& areas, const Actor& author)
      : kind_(kind), sh_(sheet), m_(m), areas_(areas), author_(author), n_(sheet.rows()) {}

  // Persons: the household each row names, resolved within the author's scope; its country.
  Status ResolveHouseholds(ImportStore& store) {
    const int k_ref = m_.Find(ColumnRole::kHouseholdRef);
    const int k_rel = m_.Find(ColumnRole::kPersonField, FieldIndex(PersonFields(), "relationship"));
    household_refs_.resize(n_);
    household_ids_.assign(n_, 0);
    std::vector<std::string> distinct;
    {
      std::unordered_set<std::string_view> seen;
      for (std::size_t r = 0; r < n_; ++r) {
        auto v = sh_.at(r, k_ref);
        if (!v.empty() && seen.insert(v).second) distinct.emplace_back(v);
      }
    }
    auto found = store.HouseholdsByRef(distinct);
    if (!found) return std::unexpected(found.error());
    std::vector<std::int64_t> ids;
    std::unordered_set<std::int64_t> unique;
    for (const auto& [ref, key] : *found) {
      if (unique.insert(key.id).second) ids.push_back(key.id);
    }
    auto heads = store.ActiveHeads(ids);
    if (!heads) return std::unexpected(heads.error());
    std::unordered_map<std::int64_t, long> first_head_row;
    for (std::size_t r = 0; r < n_; ++r) {
      auto v = sh_.at(r, k_ref);
      const long row = sh_.row_no[r];
      if (v.empty()) {
        errors_.push_back(RowProblem(row, "household_ref", v, MsgCode("field.required"), {{"field", "household_ref"}}));
        continue;
      }
      auto it = found->find(std::string(v));
      if (it == found->end() || !areas_.Within(it->second.commune, author_.scope.area)) {
        errors_.push_back(
            RowProblem(row, "household_ref", v, MsgCode("import.household_unknown"), {{"value", std::string(v)}}));
        continue;
      }
      household_refs_[r] = std::string(v);
      household_ids_[r] = it->second.id;
      country_[r] = CountryOfArea(it->second.commune);
      communes_.insert(it->second.commune);
      if (k_rel >= 0 && sh_.at(r, k_rel) == "head") {
        const std::int64_t hid = it->second.id;
        if (heads->contains(hid)) {
          errors_.push_back(RowProblem(row, "relationship", "head", MsgCode("import.household_has_head"),
                                       {{"value", std::string(v)}}));
        } else if (auto f = first_head_row.find(hid); f != first_head_row.end()) {
          errors_.push_back(RowProblem(row, "relationship", "head", MsgCode("import.head_twice"),
                                       {{"value", std::string(v)}, {"row", std::to_string(f->second)}}));
        } else {
          first_head_row.emplace(hid, row);
        }
      }
    }
    return Ok();
  }

  // Households: the country of each row's commune.
  void CountriesFromCommunes() {
    const int k = m_.Find(ColumnRole::kHouseholdField, FieldIndex(HouseholdFields(), "commune_code"));
    for (std::size_t r = 0; r < n_; ++r) country_[r] = CountryOfArea(k >= 0 ? sh_.at(r, k) : "");
  }

  // Persons of a households-with-members file: the country of each row's household.
  void CountriesOfHouseholds(const Validation& households, const std::vector<std::size_t>& household_of) {
    for (std::size_t r = 0; r < n_; ++r) {
      if (household_of[r] != HouseholdsWithMembers::kNoHousehold) country_[r] = households.country_[household_of[r]];
    }
  }

  // The file's own references (household_ref of a households file, record_id of a persons file): unique
  // in the file and new to the registry.
  Status CheckOwnReferences(ImportStore& store) {
    const bool persons = kind_ == ImportKind::kPersons;
    const int k_src = m_.Find(persons ? ColumnRole::kRecordId : ColumnRole::kHouseholdRef);
    const std::string column = persons ? "record_id" : "household_ref";
    std::unordered_map<std::string_view, long> first;
    std::vector<std::string> refs;
    for (std::size_t r = 0; r < n_; ++r) {
      auto v = sh_.at(r, k_src);
      if (v.empty()) {
        errors_.push_back(RowProblem(sh_.row_no[r], column, v, MsgCode("field.required"), {{"field", column}}));
        continue;
      }
      auto [it, fresh] = first.emplace(v, sh_.row_no[r]);
      if (!fresh) {
        errors_.push_back(
            RowProblem(sh_.row_no[r], column, v, MsgCode("import.duplicate_ref"),
                       {{"column", column}, {"value", std::string(v)}, {"row", std::to_string(it->second)}}));
      } else {
        refs.emplace_back(v);
      }
    }
    auto existing = store.ExistingSourceRefs(persons ? "persons" : "households", refs);
    if (!existing) return std::unexpected(existing.error());
    if (existing->empty()) return Ok();
    for (std::size_t r = 0; r < n_; ++r) {
      auto v = sh_.at(r, k_src);
      if (!v.empty() && existing->contains(std::string(v)) && first[v] == sh_.row_no[r]) {
        errors_.push_back(RowProblem(sh_.row_no[r], column, v, MsgCode("import.already_registered"),
                                     {{"column", column}, {"value", std::string(v)}}));
      }
    }
    return Ok();
  }

  // Every cell of every field column, then the rules across a row, in row blocks shared among threads.
  void ValidateRows(int threads_wanted, const ImportProgress& progress) {
    rows_.resize(n_);
    const unsigned threads = threads_wanted > 0 ? static_cast<unsigned>(threads_wanted)
                                                : std::min(8u, std::max(1u, std::thread::hardware_concurrency()));
    constexpr std::size_t kBlock = 1 << 16;
    std::vector<std::vector<RowError>> per_thread(threads);
    for (std::size_t block = 0; block < n_; block += kBlock) {
      const std::size_t end = std::min(n_, block + kBlock);
      const std::size_t per = (end - block + threads - 1) / threads;
      std::vector<std::thread> pool;
      for (unsigned t = 0; t < threads; ++t) {
        const std::size_t b = block + t * per, e = std::min(end, b + per);
        if (b >= e) break;
        if (t + 1 == threads || e == end) {
          ValidateBlock(b, e, per_thread[t]);
        } else {
          pool.emplace_back([this, b, e, &out = per_thread[t]] { ValidateBlock(b, e, out); });
        }
      }
      for (auto& th : pool) th.join();
      if (progress) progress("validating", static_cast<long long>(end), static_cast<long long>(n_));
    }
    for (auto& te : per_thread) errors_.insert(errors_.end(), te.begin(), te.end());
    if (kind_ == ImportKind::kHouseholds) {
      const int f_commune = FieldIndex(HouseholdFields(), "commune_code");
      for (const auto& row : rows_) {
        if (row[f_commune]) communes_.insert(*row[f_commune]);
      }
    }
  }

  void Start() { country_.assign(n_, std::nullopt); }
  std::vector<RowError>& errors() { return errors_; }
  std::vector<Values>& rows() { return rows_; }
  std::vector<std::string>& household_refs() { return household_refs_; }
  std::vector<std::int64_t>& household_ids() { return household_ids_; }
  const std::set<std::string>& communes() const { return communes_; }

 private:
  void ValidateBlock(std::size_t begin, std::size_t end, std::vector<RowError>& errs) {
    const bool persons = kind_ == ImportKind::kPersons;
    const auto fields = persons ? PersonFields() : HouseholdFields();
    const int f_source = FieldIndex(fields, "source_ref"), f_status = FieldIndex(fields, "status");
    const int k_src = m_.Find(persons ? ColumnRole::kRecordId : ColumnRole::kHouseholdRef);
    const ColumnRole role = persons ? ColumnRole::kPersonField : ColumnRole::kHouseholdField;
    const std::string src_column(m_.columns[k_src]->name);
    for (std::size_t r = begin; r < end; ++r) {
      rows_[r].resize(fields.size());
      const std::string_view v = sh_.at(r, k_src);
      if (v.empty()) continue;  // reported by CheckOwnReferences
      auto norm = NormalizeValue(fields[f_source], v, CountryCode::kMorocco);
      if (norm)
        rows_[r][f_source] = std::move(*norm);
      else
        AddErrors(errs, sh_.row_no[r], src_column, v, norm.error());
    }
    for (std::size_t k = 0; k < m_.columns.size(); ++k) {
      const ImportColumn& c = *m_.columns[k];
      if (c.role != role) continue;
      const FieldSpec& spec = fields[c.field];
      const bool date = spec.type == FieldType::kDate || spec.type == FieldType::kBirthDate;
      const bool by_country = spec.type == FieldType::kNationalId || spec.type == FieldType::kPhone;
      const std::string column(c.name);
      for (std::size_t r = begin; r < end; ++r) {
        std::string_view v = sh_.at(r, k);
        if (v.empty()) {
          if (spec.required)
            errs.push_back(RowProblem(sh_.row_no[r], column, v, MsgCode("field.required"), {{"field", column}}));
          continue;
        }
        if (by_country && !country_[r]) continue;  // the household is unknown: reported on household_ref
        std::string converted;
        // A date typed in a spreadsheet without a date format arrives as its serial number.
        if (date && sh_.xlsx && LooksNumeric(v) && !(v.size() == 4 && v.find('.') == std::string_view::npos)) {
          double d = 0;
          std::from_chars(v.data(), v.data() + v.size(), d);
          if (auto s = ExcelSerialToDate(d)) {
            converted = *s;
            v = converted;
          }
        }
        auto norm = NormalizeValue(spec, v, country_[r].value_or(CountryCode::kMorocco));
        if (!norm) {
          AddErrors(errs, sh_.row_no[r], column, v, norm.error());
          continue;
        }
        if (spec.type == FieldType::kArea && *norm && !areas_.communes.contains(**norm)) {
          errs.push_back(RowProblem(sh_.row_no[r], column, v, MsgCode("import.commune_unknown"),
                                    {{"field", column}, {"value", **norm}}));
          continue;
        }
        rows_[r][c.field] = std::move(*norm);
      }
    }
    for (std::size_t r = begin; r < end; ++r) {
      Values& row = rows_[r];
      row[f_status] = "active";
      if (persons) {
        if (auto st = CheckPerson(row, ""); !st) AddErrors(errs, sh_.row_no[r], "", "", st.error());
        continue;
      }
      const int f_commune = FieldIndex(fields, "commune_code"), f_currency = FieldIndex(fields, "currency");
      if (row[f_commune] && !areas_.Within(*row[f_commune], author_.scope.area)) {
        errs.push_back(RowProblem(sh_.row_no[r], "commune_code", *row[f_commune],
                                  MsgCode("import.commune_outside_scope"),
                                  {{"value", *row[f_commune]}, {"area", author_.scope.area.value_or("")}}));
      }
      if (!row[f_currency] && country_[r]) row[f_currency] = *country_[r] == CountryCode::kMorocco ? "MAD" : "DZD";
    }
  }

  ImportKind kind_;
  const Sheet& sh_;
  const Mapping& m_;
  const AreaIndex& areas_;
  const Actor& author_;
  std::size_t n_;
  std::vector<std::optional<CountryCode>> country_;
  std::vector<RowError> errors_;
  std::vector<Values> rows_;
  std::vector<std::string> household_refs_;  // persons
  std::vector<std::int64_t> household_ids_;  // persons
  std::set<std::string> communes_;
};

}  // namespace

// ------------------------------------------------------------------------------------------------

std::string RenderRowError(const RowError& e, i18n::Lang lang) {
  return i18n::Render(lang, e.reason, e.params).value_or(e.reason);
}

std::string ErrorReportCsv(const std::vector<RowError>& errors, i18n::Lang lang) {
  std::string out = "row,column,value,reason,code\n";
  for (const auto& e : errors) {
    out += fmt::format("{},{},{},{},{}\n", e.row, csv::Escape(e.column), csv::Escape(e.value),
                       csv::Escape(RenderRowError(e, lang)), csv::Escape(e.reason));
  }
  return out;
}

Result<ImportOutcome> Importer::ImportHouseholds(std::string_view bytes, const Actor& author,
                                                 const ImportOptions& options) {
  return Import(ImportKind::kHouseholds, bytes, author, options);
}

Result<ImportOutcome> Importer::ImportPersons(std::string_view bytes, const Actor& author,
                                              const ImportOptions& options) {
  return Import(ImportKind::kPersons, bytes, author, options);
}

Result<ImportOutcome> Importer::ImportFile(ImportKind kind, const std::string& path, const Actor& author,
                                           ImportOptions options, std::optional<FileFormat> format) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return WithText(Failure(Code::kNotFound, "file.cannot_open", {{"file", path}}, "file"),
                    fmt::format("cannot open '{}'", path));
  in.seekg(0, std::ios::end);
  std::string bytes(static_cast<std::size_t>(in.tellg()), '\0');
  in.seekg(0);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!in)
    return WithText(Failure(Code::kUnavailable, "file.cannot_read", {{"file", path}}, "file"),
                    fmt::format("cannot read '{}'", path));
  options.format = format.value_or(FormatFromName(path).value_or(FileFormat::kCsv));
  if (options.file_name.empty() || options.file_name == "upload") {
    options.file_name = path.substr(path.find_last_of('/') == std::string::npos ? 0 : path.find_last_of('/') + 1);
  }
  return Import(kind, bytes, author, options);
}

Status Importer::KeepReport(ImportOutcome& out, const Actor& author, const ImportOptions& options) {
  for (auto& e : out.errors) {
    e.value = ValidUtf8(e.value);
    e.column = ValidUtf8(e.column);
    for (auto& [name, value] : e.params) value = ValidUtf8(value);
  }
  std::set<long> bad;  // data rows (row 1 is the header, row 0 the file as a whole)
  for (const auto& e : out.errors) {
    if (e.row > 1) bad.insert(e.row);
  }
  out.rows_rejected = static_cast<long long>(bad.size());
  if (!options.store_report) return Ok();
  ImportReport report;
  report.kind = std::string(ImportKindName(out.kind));
  report.file_name = options.file_name;
  report.author_id = author.user_id;
  report.author_username = author.username;
  report.created_at = FormatTimestamp(clock_.Now());
  report.rows_total = out.rows_total;
  report.rows_rejected = out.rows_rejected;
  report.csv = ErrorReportCsv(out.errors, options.lang);
  auto id = imports_.SaveReport(report);
  if (!id) return std::unexpected(id.error());
  out.report_id = *id;
  return Ok();
}

Result<ImportOutcome> Importer::Import(ImportKind kind, std::string_view bytes, const Actor& author,
                                       const ImportOptions& options) {
  ImportOutcome out;
  out.kind = kind;
  out.file_name = options.file_name;
  auto progress = [&](std::string_view phase, long long done, long long total) {
    if (options.progress) options.progress(phase, done, total);
  };

  // ---- read
  progress("reading", 0, 0);
  Sheet sh;
  Mapping mapping;
  auto select = [&](const std::vector<std::string>& header) { return MapHeader(kind, header, mapping); };
  if (auto st = ReadSheet(bytes, options.format, sh, select); !st) {
    const Error& e = st.error();
    out.errors.push_back(RowProblem(0, "", "", e.reason.empty() ? MsgCode("import.unreadable") : e.reason, e.params));
  }
  out.warnings = std::move(mapping.warnings);
  out.rows_total = static_cast<long long>(sh.rows());
  out.errors.insert(out.errors.end(), mapping.missing.begin(), mapping.missing.end());
  if (sh.rows() == 0 && out.errors.empty()) {
    // A header without rows would file an empty request that no reviewer's area covers.
    out.errors.push_back(RowProblem(1, "", "", MsgCode("import.no_rows"), {{"file", ValidUtf8(options.file_name)}}));
  }
  if (!out.errors.empty()) {
    if (auto st = KeepReport(out, author, options); !st) return std::unexpected(st.error());
    return out;
  }

  // ---- validate
  const std::string today = author.scope.today.empty() ? DateOf(clock_.Now()).ToString() : author.scope.today;
  auto areas = imports_.Areas(today);
  if (!areas) return std::unexpected(areas.error());
  ImportBatch batch;
  batch.file_name = options.file_name;
  std::vector<RowError> errors = std::move(sh.row_errors);
  std::set<std::string> communes;
  progress("validating", 0, out.rows_total);
  auto check = [&](Validation& v, const ImportProgress& report) -> Status {
    if (auto st = v.CheckOwnReferences(imports_); !st) return st;
    v.ValidateRows(options.threads, report);
    errors.insert(errors.end(), std::make_move_iterator(v.errors().begin()), std::make_move_iterator(v.errors().end()));
    communes.insert(v.communes().begin(), v.communes().end());
    return Ok();
  };
  if (kind == ImportKind::kHouseholdsWithMembers) {
    // One file, two sets of records: its households (one per household_ref) and their members.
    auto split = SplitHouseholdsWithMembers(sh, mapping);
    errors.insert(errors.end(), split.errors.begin(), split.errors.end());
    Validation households(ImportKind::kHouseholds, split.households, split.household_columns, *areas, author);
    households.Start();
    households.CountriesFromCommunes();
    if (auto st = check(households, nullptr); !st) return std::unexpected(st.error());
    Validation members(ImportKind::kPersons, split.persons, split.person_columns, *areas, author);
    members.Start();
    members.CountriesOfHouseholds(households, split.household_of);
    if (auto st = check(members, options.progress); !st) return std::unexpected(st.error());
    const int k_ref = split.person_columns.Find(ColumnRole::kHouseholdRef);
    batch.kind = "import_households_with_members";
    batch.household_rows = std::move(households.rows());
    batch.rows = std::move(members.rows());
    batch.household_refs.reserve(batch.rows.size());
    for (std::size_t r = 0; r < split.persons.rows(); ++r)
      batch.household_refs.emplace_back(split.persons.at(r, k_ref));
  } else {
    Validation v(kind, sh, mapping, *areas, author);
    v.Start();
    if (kind == ImportKind::kPersons) {
      if (auto st = v.ResolveHouseholds(imports_); !st) return std::unexpected(st.error());
    } else {
      v.CountriesFromCommunes();
    }
    if (auto st = check(v, options.progress); !st) return std::unexpected(st.error());
    batch.kind = kind == ImportKind::kPersons ? "import_persons" : "import_households";
    batch.rows = std::move(v.rows());
    batch.household_refs = std::move(v.household_refs());
    batch.household_ids = std::move(v.household_ids());
  }
  if (!errors.empty()) {
    out.errors = std::move(errors);
    // By row: every error of a row together, in the order the checks found them.
    std::stable_sort(out.errors.begin(), out.errors.end(),
                     [](const RowError& a, const RowError& b) { return a.row < b.row; });
    if (auto st = KeepReport(out, author, options); !st) return std::unexpected(st.error());
    return out;
  }

  // ---- stage: one batch change request
  batch.area_code = areas->LowestCommon(communes);
  progress("staging", 0, out.rows_total);
  auto cr = changes_.SubmitImport(batch, author);
  if (!cr) return std::unexpected(cr.error());
  progress("staging", out.rows_total, out.rows_total);
  out.change_request = std::move(*cr);
  return out;
}

}  // namespace sanad::registry
