// Households with their members in one file (one row per person, the household's columns repeated):
// one change request that creates every household with its members when approved; every row error of
// the file at once; and a header without rows files nothing, whatever the kind of import. On the
// backend chosen by $SANAD_TEST_DB (SQLite and PostgreSQL).
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "import_fixture.h"
#include "registry/exporter.h"
#include "registry/import_columns.h"

namespace sanad::testing {
namespace {

using registry::FileFormat;
using registry::ImportKind;

const std::string kHeader =
    "household_ref,commune_code,urban,address,record_id,relationship,given_name_ar,family_name_ar,sex,birth_date,"
    "national_id\n";

// Two households of Fès: three members (rows 2-4) and two (rows 5-6), the household columns repeated or
// left empty.
const std::string kTwoHouseholds =
    kHeader +
    "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-1,head,محمد,العلوي,M,1970-03-02,AB123456\n"
    "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-2,spouse,فاطمة,بناني,F,1975,\n"
    "F-1,,,,F-1-3,child,يوسف,العلوي,M,2010-09-01,\n"
    "F-2,MA-03.231.01.03,0,Douar Tazi,F-2-1,child,سعاد,التازي,F,2012,\n"
    "F-2,MA-03.231.01.03,0,Douar Tazi,F-2-2,head,أحمد,التازي,M,1980,CD654321\n";

class HouseholdsWithMembersImport : public ImportFixture {};

TEST_F(HouseholdsWithMembersImport, OneRequestCreatesEveryHouseholdWithItsMembersWhenApproved) {
  auto out = importer_->Import(ImportKind::kHouseholdsWithMembers, kTwoHouseholds, agent_, {.file_name = "both.csv"});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_TRUE(out->accepted()) << out->errors[0].row << " " << out->errors[0].column << " " << out->errors[0].reason;
  EXPECT_EQ(out->change_request->kind, "import_households_with_members");
  EXPECT_EQ(out->change_request->item_count, 5);
  EXPECT_EQ(out->change_request->area_code, std::optional<std::string>("MA-03.231.01.03"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests"), 1) << "one request for the whole file";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_households"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_persons WHERE household_id IS NULL"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 0) << "nothing is applied before approval";

  EXPECT_FALSE(changes_->Approve(out->change_request->id, agent_, "", false)) << "four eyes";
  auto approved = changes_->Approve(out->change_request->id, coordinator_, "ok", false);
  ASSERT_TRUE(approved) << approved.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE status = 'active'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE status = 'active'"), 5);
  // Each member in its own household, each household with exactly one head, and history for all.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons p JOIN households h ON h.id = p.household_id "
                  "WHERE p.source_ref LIKE h.source_ref || '-%'"),
            5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households h WHERE (SELECT COUNT(*) FROM persons p WHERE p.household_id = "
                  "h.id AND p.relationship = 'head') = 1"),
            2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE source_ref = 'F-1' AND address = '12 Derb Sidi Ali' AND "
                  "urban = 1 AND currency = 'MAD'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM household_versions"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM person_versions"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_households") + Count("SELECT COUNT(*) FROM staged_persons"), 0);
  // The approval's audit entry counts what the import created.
  const nlohmann::json audited = ApprovalAudit(out->change_request->id);
  EXPECT_EQ(audited.value("persons", -1), 5) << audited.dump();
  EXPECT_EQ(audited.value("households", -1), 2) << audited.dump();
}

TEST_F(HouseholdsWithMembersImport, EveryRowErrorIsReportedAtOnceAndNothingIsFiled) {
  const std::string bad = kHeader +
                          // F-1: row 3 gives another commune than its first row.
                          "F-1,MA-03.231.01.03,1,12 Derb Sidi Ali,F-1-1,head,محمد,العلوي,M,1970-03-02,\n"
                          "F-1,MA-03.231.01.05,1,12 Derb Sidi Ali,F-1-2,spouse,فاطمة,بناني,F,1975,\n"
                          // F-2: no head.
                          "F-2,MA-03.231.01.03,0,Douar Tazi,F-2-1,child,سعاد,التازي,F,2012,\n"
                          // F-3: two heads; the second also has a bad sex and a bad birth date.
                          "F-3,MA-03.231.01.03,0,Douar Ait,F-3-1,head,أحمد,التازي,M,1980,\n"
                          "F-3,MA-03.231.01.03,0,Douar Ait,F-3-2,head,علي,التازي,X,1980-02-30,\n"
                          // No household named.
                          ",MA-03.231.01.03,0,Douar Ait,F-4-1,head,علي,التازي,M,1980,\n";
  auto out = importer_->Import(ImportKind::kHouseholdsWithMembers, bad, agent_, {.file_name = "bad.csv"});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_FALSE(out->accepted());
  std::map<long, std::set<std::string>> got;  // row → reasons
  std::map<long, std::set<std::string>> columns;
  for (const auto& e : out->errors) {
    got[e.row].insert(e.reason);
    columns[e.row].insert(e.column);
  }
  EXPECT_EQ(got[3], (std::set<std::string>{"import.household_disagrees"}));
  EXPECT_EQ(columns[3], (std::set<std::string>{"commune_code"}));
  EXPECT_EQ(got[4], (std::set<std::string>{"import.household_no_head"}));
  EXPECT_EQ(got[6], (std::set<std::string>{"import.head_twice", "value.not_allowed", "value.not_birth_date"}))
      << "a row's report lists all its errors";
  EXPECT_EQ(got[7], (std::set<std::string>{"field.required"}));
  EXPECT_EQ(columns[7], (std::set<std::string>{"household_ref"}));
  EXPECT_FALSE(got.contains(2));
  EXPECT_FALSE(got.contains(5));
  EXPECT_EQ(out->rows_rejected, 4);
  // The disagreement names the row and the first row of the household.
  for (const auto& e : out->errors) {
    if (e.reason != "import.household_disagrees") continue;
    EXPECT_EQ(e.params, (MessageParams{{"column", "commune_code"}, {"value", "F-1"}, {"row", "2"}}));
    EXPECT_EQ(registry::RenderRowError(e, i18n::Lang::kEn).find("Column commune_code differs from row 2"), 0u);
  }
  // The errors come by row, each row's together.
  for (std::size_t i = 1; i < out->errors.size(); ++i) EXPECT_LE(out->errors[i - 1].row, out->errors[i].row);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_households") + Count("SELECT COUNT(*) FROM staged_persons"), 0);
  ASSERT_TRUE(out->report_id);
}

TEST_F(HouseholdsWithMembersImport, AHouseholdAlreadyRegisteredOrOutsideTheScopeIsRefused) {
  auto first = importer_->Import(ImportKind::kHouseholdsWithMembers, kTwoHouseholds, agent_, {.file_name = "a.csv"});
  ASSERT_TRUE(first && first->accepted());
  ASSERT_TRUE(changes_->Approve(first->change_request->id, coordinator_, "ok", false));
  auto again = importer_->Import(ImportKind::kHouseholdsWithMembers, kTwoHouseholds, agent_,
                                 {.file_name = "a.csv", .store_report = false});
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->accepted());
  EXPECT_EQ(again->rows_rejected, 5) << "every household_ref (first rows) and record_id is already registered";
  registry::Actor rabat{3, "rabat", {std::string("MA-04"), agent_.scope.today}, "test", "t3"};
  std::string other = kTwoHouseholds;
  for (auto pos = other.find("F-"); pos != std::string::npos; pos = other.find("F-", pos + 2)) other[pos] = 'G';
  auto outside = importer_->Import(ImportKind::kHouseholdsWithMembers, other, rabat, {.file_name = "g.csv"});
  ASSERT_TRUE(outside);
  EXPECT_FALSE(outside->accepted());
  for (const auto& e : outside->errors) EXPECT_EQ(e.reason, "import.commune_outside_scope");
}

TEST_F(HouseholdsWithMembersImport, ApprovalIsAllOrNothingWhenTheRegistryMovedOnSinceFiling) {
  // Two files with the same households, both valid when filed: the second approval must write nothing.
  auto first = importer_->Import(ImportKind::kHouseholdsWithMembers, kTwoHouseholds, agent_, {.file_name = "a.csv"});
  auto second = importer_->Import(ImportKind::kHouseholdsWithMembers, kTwoHouseholds, agent_, {.file_name = "b.csv"});
  ASSERT_TRUE(first && first->accepted() && second && second->accepted());
  ASSERT_TRUE(changes_->Approve(first->change_request->id, coordinator_, "ok", false));
  auto refused = changes_->Approve(second->change_request->id, coordinator_, "ok", false);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().code, Code::kInternal) << refused.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons"), 5);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE status = 'pending'"), 1) << "still pending, unapplied";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM staged_persons"), 5);
}

TEST_F(HouseholdsWithMembersImport, TheTemplateImportsAsItIsInCsvAndXlsx) {
  auto csv = importer_->Import(ImportKind::kHouseholdsWithMembers,
                               registry::ImportTemplateCsv(ImportKind::kHouseholdsWithMembers), agent_,
                               {.file_name = "t.csv"});
  ASSERT_TRUE(csv);
  ASSERT_TRUE(csv->accepted()) << csv->errors[0].column << ": " << csv->errors[0].reason;
  EXPECT_TRUE(csv->warnings.empty());
  ASSERT_TRUE(changes_->Reject(csv->change_request->id, coordinator_, "a test"));
  auto book = registry::ImportTemplateXlsx(ImportKind::kHouseholdsWithMembers);
  ASSERT_TRUE(book) << book.error().message;
  auto xlsx = importer_->Import(ImportKind::kHouseholdsWithMembers, *book, agent_,
                                {.file_name = "t.xlsx", .format = FileFormat::kXlsx});
  ASSERT_TRUE(xlsx);
  ASSERT_TRUE(xlsx->accepted()) << xlsx->errors[0].column << ": " << xlsx->errors[0].reason;
  ASSERT_TRUE(changes_->Approve(xlsx->change_request->id, coordinator_, "ok", false));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE relationship = 'head' AND source_ref = 'MEN-2025-0001-01'"), 1);
}

TEST_F(HouseholdsWithMembersImport, AHeaderWithoutRowsFilesNothingWhateverTheKind) {
  for (auto kind : {ImportKind::kHouseholds, ImportKind::kPersons, ImportKind::kHouseholdsWithMembers}) {
    const std::string header =
        registry::ImportTemplateCsv(kind).substr(0, registry::ImportTemplateCsv(kind).find('\n'));
    for (const std::string& bytes : {header + "\n", header + "\n\n,,,\n", "\xEF\xBB\xBF" + header + "\r\n"}) {
      auto out = importer_->Import(kind, bytes, agent_, {.file_name = "empty.csv"});
      ASSERT_TRUE(out) << out.error().message;
      EXPECT_FALSE(out->accepted()) << registry::ImportKindName(kind);
      ASSERT_EQ(out->errors.size(), 1u) << registry::ImportKindName(kind);
      EXPECT_EQ(out->errors[0].reason, "import.no_rows");
      EXPECT_EQ(out->rows_total, 0);
    }
    // XLSX: the template's header alone.
    auto book = registry::ImportTemplateXlsx(kind);
    ASSERT_TRUE(book);
    auto rows = registry::ReadSpreadsheet(*book, FileFormat::kXlsx);
    ASSERT_TRUE(rows);
    registry::ExportTable t;
    t.header = (*rows)[0];
    t.types.assign(t.header.size(), registry::FieldType::kText);
    auto empty = registry::ToXlsx(t, "empty");
    ASSERT_TRUE(empty) << empty.error().message;
    auto out = importer_->Import(kind, *empty, agent_, {.file_name = "empty.xlsx", .format = FileFormat::kXlsx});
    ASSERT_TRUE(out);
    ASSERT_FALSE(out->accepted());
    EXPECT_EQ(out->errors[0].reason, "import.no_rows");
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests"), 0);
}

}  // namespace
}  // namespace sanad::testing
