// Import and export of the registry, on the backend chosen by $SANAD_TEST_DB: a synthetic
// region is imported as households (approved by a second user), then a 10,000-person file with 20 bad
// rows is rejected with exactly those rows reported and nothing written, and the corrected file is
// imported whole. Also: unknown columns are warnings, XLSX round trip, export limited to the scope.
#include <gtest/gtest.h>
#include <xlsxwriter.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "core/csv.h"
#include "db/migrations.h"
#include "geo/reference_data.h"
#include "import_fixture.h"
#include "registry/change_service.h"
#include "registry/exporter.h"
#include "registry/importer.h"
#include "registry/registry_store.h"
#include "synth/csv_writer.h"
#include "synth/generator.h"
#include "test_db.h"

namespace sanad {
namespace {

using registry::Actor;
using registry::FileFormat;
using registry::ImportOptions;
using Table = std::vector<std::vector<std::string>>;

std::string ReadAll(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::string ToCsvText(const Table& t) {
  std::string out;
  for (const auto& row : t) {
    for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csv::Escape(row[c]);
    out += "\n";
  }
  return out;
}

int Col(const Table& t, const std::string& name) {
  for (std::size_t i = 0; i < t[0].size(); ++i) {
    if (t[0][i] == name) return static_cast<int>(i);
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// One synthetic region (Fès-Meknès), generated once for the whole suite.
struct Files {
  std::string households;
  Table persons;  // header + exactly 10,000 rows
};

const Files& SynthFiles() {
  static const Files files = [] {
    Files f;
    auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
    EXPECT_TRUE(ref) << ref.error().message;
    synth::Config config;
    config.households = 2700;
    config.region = "MA-03";
    config.seed = 11;
    config.duplicate_share = 0.0;
    auto reg = synth::Generate(*ref, config);
    EXPECT_TRUE(reg) << reg.error().message;
    auto dir = std::filesystem::temp_directory_path() / ("sanad-import-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    EXPECT_TRUE(synth::WriteHouseholdsCsv(*reg, dir / "households.csv"));
    EXPECT_TRUE(synth::WritePersonsCsv(*reg, dir / "persons.csv"));
    f.households = ReadAll(dir / "households.csv");
    auto persons = registry::ReadSpreadsheet(ReadAll(dir / "persons.csv"), FileFormat::kCsv);
    EXPECT_TRUE(persons);
    f.persons = std::move(*persons);
    EXPECT_GE(f.persons.size(), 10001u) << "the synthetic region must hold at least 10,000 persons";
    f.persons.resize(10001);
    std::filesystem::remove_all(dir);
    return f;
  }();
  return files;
}

class ImportTest : public testing::ImportFixture {
 protected:
  void ImportHouseholds() {
    auto out = importer_->ImportHouseholds(SynthFiles().households, agent_, {.file_name = "households.csv"});
    ASSERT_TRUE(out) << out.error().message;
    ASSERT_TRUE(out->accepted()) << (out->errors.empty()
                                         ? ""
                                         : out->errors[0].reason + " row " + std::to_string(out->errors[0].row));
    EXPECT_EQ(out->change_request->area_code, std::optional<std::string>("MA-03"));
    auto approved = changes_->Approve(out->change_request->id, coordinator_, "ok", false);
    ASSERT_TRUE(approved) << approved.error().message;
    households_ = out->rows_total;
  }

  long long households_ = 0;
};

TEST_F(ImportTest, HouseholdsImportAsOneRequestWithUnknownColumnsOnlyWarned) {
  auto out = importer_->ImportHouseholds(SynthFiles().households, agent_, {.file_name = "households.csv"});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_TRUE(out->accepted());
  EXPECT_EQ(out->change_request->kind, "import_households");
  EXPECT_EQ(out->change_request->item_count, out->rows_total);
  auto warned = [&](const std::string& col) {
    return std::any_of(out->warnings.begin(), out->warnings.end(),
                       [&](const registry::RowError& w) { return w.column == col; });
  };
  EXPECT_TRUE(warned("member_count"));
  EXPECT_TRUE(warned("true_household_ref"));
  EXPECT_TRUE(warned("status"));  // set by the registry
  EXPECT_FALSE(warned("latent_log_consumption"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 0) << "nothing is applied before approval";
  EXPECT_FALSE(changes_->Approve(out->change_request->id, agent_, "", false)) << "four eyes";
  ASSERT_TRUE(changes_->Approve(out->change_request->id, coordinator_, "ok", false));
  // Not active before its members and their head arrive (a household is never active without a head).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'awaiting_members'"), out->rows_total);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE latent_log_consumption IS NULL"), 0);
}

TEST_F(ImportTest, AHouseholdsFileAwaitsItsMembersAndBecomesActiveWithItsHead) {
  const std::string commune = "MA-03.231.01.03";
  auto households = importer_->ImportHouseholds(
      "household_ref,commune_code,urban,address\nAW-1," + commune + ",1,Derb 1\nAW-2," + commune + ",1,Derb 2\n",
      agent_, {.file_name = "households.csv"});
  ASSERT_TRUE(households && households->accepted());
  ASSERT_TRUE(changes_->Approve(households->change_request->id, coordinator_, "ok", false));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'awaiting_members' AND version = 1"), 2);
  // The approval's audit entry counts what the import created.
  nlohmann::json audited = ApprovalAudit(households->change_request->id);
  EXPECT_EQ(audited.value("households", -1), 2) << audited.dump();
  EXPECT_EQ(audited.value("persons", -1), 0) << audited.dump();

  // Members without a head for AW-2: the approval is refused and nothing changes.
  const std::string header = "record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date\n";
  auto headless = importer_->ImportPersons(header + "AW-2-1,AW-2,child,يوسف,العلوي,M,2010-09-01\n", agent_,
                                           {.file_name = "persons.csv"});
  ASSERT_TRUE(headless && headless->accepted());
  auto refused = changes_->Approve(headless->change_request->id, coordinator_, "ok", false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "household.no_head");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'awaiting_members'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons"), 0);

  // AW-1's members with its head: AW-1 becomes active as a second version; AW-2 still awaits.
  auto members = importer_->ImportPersons(
      header + "AW-1-1,AW-1,head,محمد,العلوي,M,1970-03-02\nAW-1-2,AW-1,child,ليلى,العلوي,F,2012\n", agent_,
      {.file_name = "persons.csv"});
  ASSERT_TRUE(members && members->accepted());
  auto approved = changes_->Approve(members->change_request->id, coordinator_, "ok", false);
  ASSERT_TRUE(approved) << approved.error().reason;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE source_ref = 'AW-1' AND status = 'active' AND version = 2"),
            1);
  audited = ApprovalAudit(members->change_request->id);
  EXPECT_EQ(audited.value("persons", -1), 2) << "the persons the import created: " << audited.dump();
  EXPECT_EQ(audited.value("households", -1), 1) << "the household it gave members: " << audited.dump();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE source_ref = 'AW-2' AND status = 'awaiting_members'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM household_versions v JOIN households h ON h.id = v.household_id WHERE "
                  "h.source_ref = 'AW-1' AND v.valid_to = '9999-12-31T00:00:00Z' AND v.status = 'active' AND "
                  "v.version = 2"),
            1)
      << "the activation is a version of its own";
}

TEST_F(ImportTest, TwentyBadRowsAreRejectedExactlyAndTheCorrectedFileImportsWhole) {
  ImportHouseholds();
  const Table& clean = SynthFiles().persons;
  Table bad = clean;
  const int rel = Col(bad, "relationship"), hh = Col(bad, "household_ref"), rid = Col(bad, "record_id");
  // Rows chosen among members that are not heads, whose household's head comes earlier in the file.
  std::map<std::string, std::size_t> head_row;
  std::vector<std::size_t> members;
  for (std::size_t i = 1; i < bad.size(); ++i) {
    if (bad[i][rel] == "head")
      head_row.emplace(bad[i][hh], i);
    else if (head_row.contains(bad[i][hh]) && i > 100)
      members.push_back(i);
  }
  ASSERT_GE(members.size(), 2000u);
  struct Injection {
    std::string column;  // the column the error must name
    std::function<void(std::vector<std::string>&)> apply;
  };
  const std::vector<Injection> injections = {
      {"birth_date", [&](auto& r) { r[Col(bad, "birth_date")] = "1990-02-30"; }},
      {"birth_commune_code", [&](auto& r) { r[Col(bad, "birth_commune_code")] = "MA-03.999.99.99"; }},
      {"sex", [&](auto& r) { r[Col(bad, "sex")] = "X"; }},
      {"national_id", [&](auto& r) { r[Col(bad, "national_id")] = "1234567"; }},
      {"relationship", [&](auto& r) { r[rel] = "head"; }},  // a second head
      {"household_ref", [&](auto& r) { r[hh] = "H999999999"; }},
      {"given_name_ar",
       [&](auto& r) {
         for (auto c : {"given_name_ar", "family_name_ar", "given_name_lat", "family_name_lat"}) r[Col(bad, c)] = "";
       }},
      {"record_id", [&](auto& r) { r[rid] = clean[5][rid]; }},  // duplicate of row 7
      {"relationship", [&](auto& r) { r[rel] = "cousin"; }},
      {"phone", [&](auto& r) { r[Col(bad, "phone")] = "12345"; }},
      {"disability_percent", [&](auto& r) { r[Col(bad, "disability_percent")] = "150"; }},
      {"marital_status", [&](auto& r) { r[Col(bad, "marital_status")] = "engaged"; }},
      {"schooling", [&](auto& r) { r[Col(bad, "schooling")] = "kindergarten"; }},
      {"birth_date", [&](auto& r) { r[Col(bad, "birth_date")] = ""; }},
      {"sex", [&](auto& r) { r[Col(bad, "sex")] = ""; }},
      {"record_id", [&](auto& r) { r[rid] = ""; }},
      {"birth_date", [&](auto& r) { r[Col(bad, "birth_date")] = "1700"; }},
      {"birth_commune_code", [&](auto& r) { r[Col(bad, "birth_commune_code")] = "XX-12"; }},
      {"family_allowances", [&](auto& r) { r[Col(bad, "family_allowances")] = "maybe"; }},
      {"occupation", [&](auto& r) { r[Col(bad, "occupation")] = "astronaut"; }},
  };
  ASSERT_EQ(injections.size(), 20u);
  std::map<long, std::string> expected;  // file row → column
  for (std::size_t k = 0; k < injections.size(); ++k) {
    std::size_t i = members[k * (members.size() / 20)];
    injections[k].apply(bad[i]);
    expected[static_cast<long>(i) + 1] = injections[k].column;  // header is row 1, bad[1] is row 2
  }
  ASSERT_EQ(expected.size(), 20u);

  auto out = importer_->ImportPersons(ToCsvText(bad), agent_, {.file_name = "persons_bad.csv"});
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_FALSE(out->accepted());
  EXPECT_EQ(out->rows_total, 10000);
  EXPECT_EQ(out->rows_rejected, 20);
  std::map<long, std::set<std::string>> got;
  for (const auto& e : out->errors) {
    EXPECT_FALSE(e.reason.empty());
    got[e.row].insert(e.column);
  }
  for (const auto& [row, column] : expected) {
    ASSERT_TRUE(got.contains(row)) << "row " << row << " (" << column << ") was not reported";
    EXPECT_TRUE(got[row].contains(column)) << "row " << row << " reported on another column than " << column;
  }
  for (const auto& [row, cols] : got)
    EXPECT_TRUE(expected.contains(row)) << "row " << row << " reported but valid: " << *cols.begin();
  // Nothing written: no request, no staged row, no person; the report is kept.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE kind = 'import_persons'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_persons"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons"), 0);
  ASSERT_TRUE(out->report_id);
  auto report = importer_->Report(*out->report_id);
  ASSERT_TRUE(report && *report);
  EXPECT_EQ((*report)->rows_rejected, 20);
  EXPECT_EQ((*report)->author_username, "agent");
  EXPECT_TRUE((*report)->csv.starts_with("row,column,value,reason,code\n"));
  EXPECT_EQ(std::count((*report)->csv.begin(), (*report)->csv.end(), '\n'), static_cast<long>(out->errors.size()) + 1);

  // The corrected file: all 10,000 in one request, applied on approval.
  std::vector<std::string> phases;
  ImportOptions options{.file_name = "persons.csv"};
  options.progress = [&](std::string_view phase, long long done, long long total) {
    if (phases.empty() || phases.back() != phase) phases.emplace_back(phase);
    EXPECT_LE(done, std::max(total, 0LL));
  };
  auto good = importer_->ImportPersons(ToCsvText(clean), agent_, options);
  ASSERT_TRUE(good) << good.error().message;
  ASSERT_TRUE(good->accepted()) << good->errors.size() << " errors, first: row " << good->errors[0].row << " "
                                << good->errors[0].column << ": " << good->errors[0].reason;
  EXPECT_EQ(phases, (std::vector<std::string>{"reading", "validating", "staging"}));
  EXPECT_EQ(good->change_request->item_count, 10000);
  EXPECT_EQ(good->change_request->area_code, std::optional<std::string>("MA-03"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons"), 0);
  ASSERT_TRUE(changes_->Approve(good->change_request->id, coordinator_, "ok", false));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE status = 'active'"), 10000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_persons"), 0);

  // The same file again: every record is already in the registry, and the heads exist.
  auto again = importer_->ImportPersons(ToCsvText(clean), agent_, {.file_name = "persons.csv", .store_report = false});
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->accepted());
  EXPECT_EQ(again->rows_rejected, 10000);
  EXPECT_FALSE(again->report_id);
}

TEST_F(ImportTest, AuthorOutsideTheHouseholdsScopeIsRefused) {
  ImportHouseholds();
  Actor elsewhere{3, "rabat", {std::string("MA-04"), agent_.scope.today}, "test", "t3"};
  Table small(SynthFiles().persons.begin(), SynthFiles().persons.begin() + 11);
  auto out = importer_->ImportPersons(ToCsvText(small), elsewhere, {.file_name = "p.csv"});
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->accepted());
  EXPECT_EQ(out->rows_rejected, 10);
  for (const auto& e : out->errors) EXPECT_EQ(e.column, "household_ref");
}

// A row's report lists every problem of the row, not the first one only.
TEST_F(ImportTest, ARowWithSeveralBadCellsReportsEachOfThem) {
  ImportHouseholds();
  Table small(SynthFiles().persons.begin(), SynthFiles().persons.begin() + 3);
  small[1][Col(small, "sex")] = "Z";
  small[1][Col(small, "birth_date")] = "1990-13-45";
  small[1][Col(small, "family_allowances")] = "maybe";
  auto out = importer_->ImportPersons(ToCsvText(small), agent_, {.file_name = "p.csv"});
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->accepted());
  EXPECT_EQ(out->rows_rejected, 1);
  std::set<std::string> columns;
  for (const auto& e : out->errors) {
    EXPECT_EQ(e.row, 2);
    EXPECT_FALSE(e.reason.empty()) << e.column;
    columns.insert(e.column);
  }
  EXPECT_EQ(columns, (std::set<std::string>{"sex", "birth_date", "family_allowances"}));
}

TEST_F(ImportTest, MissingRequiredColumnRejectsTheFile) {
  ImportHouseholds();
  Table small(SynthFiles().persons.begin(), SynthFiles().persons.begin() + 3);
  const int sex = Col(small, "sex");
  for (auto& r : small) r.erase(r.begin() + sex);
  auto out = importer_->ImportPersons(ToCsvText(small), agent_, {.file_name = "p.csv"});
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->accepted());
  ASSERT_EQ(out->errors.size(), 1u);
  EXPECT_EQ(out->errors[0].row, 1);
  EXPECT_EQ(out->errors[0].column, "sex");
}

TEST_F(ImportTest, XlsxExportReadsBackIdenticallyAndImports) {
  ImportHouseholds();
  auto good = importer_->ImportPersons(ToCsvText(SynthFiles().persons), agent_, {.file_name = "persons.csv"});
  ASSERT_TRUE(good && good->accepted());
  ASSERT_TRUE(changes_->Approve(good->change_request->id, coordinator_, "ok", false));

  registry::Exporter exporter(*store_);
  registry::SearchFilter f;
  f.area = "MA-03.231";
  auto table = exporter.Persons(f, agent_.scope);
  ASSERT_TRUE(table) << table.error().message;
  ASSERT_GT(table->rows.size(), 10u);
  auto xlsx = registry::ToXlsx(*table);
  ASSERT_TRUE(xlsx) << xlsx.error().message;
  auto from_xlsx = registry::ReadSpreadsheet(*xlsx, FileFormat::kXlsx);
  ASSERT_TRUE(from_xlsx) << from_xlsx.error().message;
  auto from_csv = registry::ReadSpreadsheet(registry::ToCsv(*table), FileFormat::kCsv);
  ASSERT_TRUE(from_csv);
  ASSERT_EQ(from_xlsx->size(), from_csv->size());
  for (std::size_t r = 0; r < from_csv->size(); ++r) {
    ASSERT_EQ((*from_xlsx)[r], (*from_csv)[r]) << "row " << r;
  }
  bool arabic = false;
  const int gar = Col(*from_xlsx, "given_name_ar");
  for (const auto& row : *from_xlsx) arabic |= row[gar].size() > 1 && static_cast<unsigned char>(row[gar][0]) == 0xD8;
  EXPECT_TRUE(arabic) << "Arabic names survive the XLSX round trip";

  // Re-importing the export is refused for the right reason: every record is already registered.
  auto again = importer_->ImportPersons(
      *xlsx, agent_, {.file_name = "export.xlsx", .format = FileFormat::kXlsx, .store_report = false});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows_rejected, static_cast<long long>(table->rows.size()));

  // A hand-made workbook: shared strings, numbers and a date cell become a valid household import.
  char path[] = "/tmp/sanad-xlsx-XXXXXX";
  close(mkstemp(path));
  lxw_workbook* wb = workbook_new(path);
  lxw_worksheet* ws = workbook_add_worksheet(wb, "households");
  lxw_format* date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  const char* header[] = {"household_ref", "commune_code", "urban", "address", "rooms", "registration_date", "note"};
  for (int c = 0; c < 7; ++c) worksheet_write_string(ws, 0, c, header[c], nullptr);
  const std::string commune = (*from_csv)[1][Col(*from_csv, "commune_code")];
  worksheet_write_string(ws, 1, 0, "XL-1", nullptr);
  worksheet_write_string(ws, 1, 1, commune.c_str(), nullptr);
  worksheet_write_number(ws, 1, 2, 1, nullptr);
  worksheet_write_string(ws, 1, 3, "درب السلطان، فاس", nullptr);
  worksheet_write_number(ws, 1, 4, 3, nullptr);
  lxw_datetime dt = {2024, 3, 15, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 5, &dt, date);
  worksheet_write_string(ws, 1, 6, "hello", nullptr);
  ASSERT_EQ(workbook_close(wb), LXW_NO_ERROR);
  std::string bytes = ReadAll(path);
  std::filesystem::remove(path);
  auto rows = registry::ReadSpreadsheet(bytes, FileFormat::kXlsx);
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[1],
            (std::vector<std::string>{"XL-1", commune, "1", "درب السلطان، فاس", "3", "2024-03-15", "hello"}));
  auto hh = importer_->ImportHouseholds(bytes, agent_, {.file_name = "h.xlsx", .format = FileFormat::kXlsx});
  ASSERT_TRUE(hh);
  ASSERT_TRUE(hh->accepted()) << hh->errors[0].column << ": " << hh->errors[0].reason;
  ASSERT_EQ(hh->warnings.size(), 1u);
  EXPECT_EQ(hh->warnings[0].column, "note");
  EXPECT_EQ(hh->warnings[0].reason, "import.column_unknown");
  EXPECT_EQ(registry::RenderRowError(hh->warnings[0], i18n::Lang::kEn), "Unknown column note: ignored.");
  ASSERT_TRUE(changes_->Approve(hh->change_request->id, coordinator_, "ok", false));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE source_ref = 'XL-1' AND registration_date = '2024-03-15' AND "
                  "rooms = 3"),
            1);
}

TEST_F(ImportTest, ExportIsLimitedToTheCallersScope) {
  ImportHouseholds();
  auto good = importer_->ImportPersons(ToCsvText(SynthFiles().persons), agent_, {.file_name = "persons.csv"});
  ASSERT_TRUE(good && good->accepted());
  ASSERT_TRUE(changes_->Approve(good->change_request->id, coordinator_, "ok", false));
  registry::Exporter exporter(*store_);
  registry::Scope province{std::string("MA-03.231"), agent_.scope.today};
  auto mine = exporter.Persons({}, province);
  ASSERT_TRUE(mine) << mine.error().message;
  const long long expected = Count(
      "SELECT COUNT(*) FROM persons p JOIN households h ON h.id = p.household_id WHERE h.commune_code LIKE "
      "'MA-03.231.%'");
  EXPECT_GT(expected, 0);
  EXPECT_LT(expected, 10000);
  EXPECT_EQ(static_cast<long long>(mine->rows.size()), expected);
  for (const auto& row : mine->rows) ASSERT_TRUE(row[2]->starts_with("MA-03.231.")) << *row[2];
  auto all = exporter.Persons({}, agent_.scope);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->rows.size(), 10000u);
  // A national id filter narrows further, within the scope.
  registry::SearchFilter by_id;
  by_id.national_id = *mine->rows[0][Col(Table{mine->header}, "national_id")];
  auto one = exporter.Persons(by_id, province);
  ASSERT_TRUE(one);
  EXPECT_GE(one->rows.size(), 1u);
}

}  // namespace
}  // namespace sanad
