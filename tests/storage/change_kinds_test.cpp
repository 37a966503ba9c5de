// The change kinds against a real registry, on SQLite and PostgreSQL: summaries stored as a code with
// parameters (older requests keep their text), every problem of a form reported at once, and imports
// checked again at approval against what the registry became since they were staged.
#include <gtest/gtest.h>

#include <thread>

#include "db/row.h"
#include "i18n/catalogue.h"
#include "registry/importer.h"
#include "registry_fixture.h"

namespace sanad::registry {
namespace {

using Json = nlohmann::json;

constexpr const char* kFesCommune = "MA-03.231.01.03";

class ChangeKinds : public RegistryFixture {
 protected:
  static Json Person(const std::string& relationship, const std::string& given) {
    return {{"relationship", relationship},
            {"given_name_ar", given},
            {"family_name_ar", "العلوي"},
            {"sex", "M"},
            {"birth_date", "1980"}};
  }

  // A household of a head and a child, filed and approved: its id and its members' ids (head first).
  std::pair<std::int64_t, std::vector<std::int64_t>> Household() {
    Json payload{{"household", {{"commune_code", kFesCommune}, {"urban", true}}},
                 {"members", Json::array({Person("head", "محمد"), Person("child", "يوسف")})}};
    auto cr = changes_->Submit("create_household", payload, agent_);
    EXPECT_TRUE(cr) << cr.error().message;
    EXPECT_TRUE(changes_->Approve(cr->id, reviewer_, "", false));
    auto s = db_->Acquire();
    long long id = 0;
    s.sql() << "SELECT MAX(id) FROM households", soci::into(id);
    std::vector<std::int64_t> members;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT id FROM persons WHERE household_id = :h ORDER BY id", soci::use(id));
    for (const auto& r : rs) members.push_back(db::RowInt(r, 0));
    return {id, members};
  }

  std::string Ref(std::int64_t household) {
    auto s = db_->Acquire();
    std::string ref;
    long long id = household;
    s.sql() << "SELECT ref FROM households WHERE id = :id", soci::use(id), soci::into(ref);
    return ref;
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  Actor agent_ = Who(1, "agent");
  Actor reviewer_ = Who(2, "reviewer");
};

TEST_F(ChangeKinds, SummariesAreStoredAsACodeWithParametersAndRenderedPerReader) {
  auto [home, members] = Household();
  auto [other, other_members] = Household();
  auto move = changes_->Submit(
      "move_member", {{"person_id", members[1]}, {"to_household_id", other}, {"relationship", "child"}}, agent_);
  ASSERT_TRUE(move) << move.error().message;
  auto stored = store_->requests.GetChangeRequest(move->id, Scope{});
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->summary_code, "summary.move_member");
  const MessageParams want{{"name", "يوسف العلوي"}, {"from", Ref(home)}, {"to", Ref(other)}};
  EXPECT_EQ((*stored)->summary_params, want);
  EXPECT_EQ((*stored)->summary, "") << "no sentence in any language is stored, only the code and parameters";
  EXPECT_EQ(i18n::Render(i18n::Lang::kFr, (*stored)->summary_code, (*stored)->summary_params),
            "Transfert de يوسف العلوي du ménage " + Ref(home) + " au ménage " + Ref(other));

  auto exit = changes_->Submit("exit_household", {{"household_id", other}, {"reason", "emigration"}}, agent_);
  ASSERT_TRUE(exit);
  EXPECT_EQ(i18n::Render(i18n::Lang::kAr, exit->summary_code, exit->summary_params),
            "خروج الأسرة \u2068" + Ref(other) + "\u2069 من السجل (السبب: هجرة)")
      << "the reason is rendered through the catalogue too";

  auto update =
      changes_->Submit("update_household", {{"household_id", home}, {"changes", {{"address", "2 Derb"}}}}, agent_);
  ASSERT_TRUE(update);
  EXPECT_EQ(i18n::Render(i18n::Lang::kFr, update->summary_code, update->summary_params),
            "Modification du ménage " + Ref(home) + " : Adresse");

  // A request filed before summaries had codes keeps its stored text.
  {
    auto s = db_->Acquire();
    long long id = move->id;
    s.sql() << "UPDATE change_requests SET summary_code = NULL, summary_params = NULL, summary = 'old text' "
               "WHERE id = :id",
        soci::use(id);
  }
  auto old = store_->requests.GetChangeRequest(move->id, Scope{});
  ASSERT_TRUE(old && *old);
  EXPECT_TRUE((*old)->summary_code.empty());
  EXPECT_EQ((*old)->summary, "old text");
}

TEST_F(ChangeKinds, EveryProblemOfAFormIsReportedAtOnce) {
  Json bad_child = Person("child", "يوسف");
  bad_child["sex"] = "X";
  bad_child["birth_date"] = "2010-02-30";
  Json payload{{"household", {{"commune_code", kFesCommune}, {"urban", "maybe"}}},
               {"members", Json::array({Person("head", "محمد"), bad_child})}};
  auto r = changes_->Submit("create_household", payload, agent_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  EXPECT_EQ(r.error().reason, "form.invalid");
  std::vector<std::string> fields;
  for (const auto& p : r.error().problems) fields.push_back(p.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"payload.household.urban", "payload.members[1].birth_date",
                                              "payload.members[1].sex"}));
  for (const auto& p : r.error().problems) EXPECT_FALSE(p.reason.empty()) << p.field << " has no code";

  auto [home, members] = Household();
  auto move = changes_->Submit("move_member", {{"person_id", "x"}, {"relationship", "head"}}, agent_);
  ASSERT_FALSE(move);
  EXPECT_EQ(move.error().reason, "form.invalid");
  EXPECT_EQ(move.error().problems.size(), 3u) << "person_id, to_household_id and relationship";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE status = 'pending'"), 0);
}

TEST_F(ChangeKinds, APersonsImportIntoAHouseholdThatHasSinceExitedIsRefusedAtApproval) {
  auto [home, members] = Household();
  Importer importer(*store_, *changes_, clock_);
  auto persons = importer.ImportPersons(
      "record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date\nIMP-P1," + Ref(home) +
          ",child,سارة,العلوي,F,2015\n",
      agent_, {.file_name = "persons.csv"});
  ASSERT_TRUE(persons && persons->accepted());
  auto exit = changes_->Submit("exit_household", {{"household_id", home}, {"reason", "emigration"}}, agent_);
  ASSERT_TRUE(exit);
  ASSERT_TRUE(changes_->Approve(exit->id, reviewer_, "", false));
  auto approved = changes_->Approve(persons->change_request->id, reviewer_, "", false);
  ASSERT_FALSE(approved) << "an active person was added to a household that left the registry";
  EXPECT_EQ(approved.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(approved.error().reason, "change_request.no_longer_valid");
  ASSERT_EQ(approved.error().problems.size(), 1u);
  EXPECT_EQ(approved.error().problems[0].reason, "household.exited");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE source_ref = 'IMP-P1'"), 0);
  auto review = changes_->Review(persons->change_request->id, reviewer_);
  ASSERT_TRUE(review);
  ASSERT_FALSE(review->warnings.empty());
  EXPECT_EQ(review->warnings[0].reason, "change_request.no_longer_valid") << "the reviewer sees why beforehand";
}

TEST_F(ChangeKinds, TwoImportsOfOneHouseholdRefAreRefusedAtTheSecondApprovalNotFailingInTheDatabase) {
  Importer importer(*store_, *changes_, clock_);
  auto file = [&](const std::string& name) {
    return importer.ImportHouseholds(
        std::string("household_ref,commune_code,urban,address\nIMP-1,") + kFesCommune + ",1,Derb 1\n", agent_,
        {.file_name = name});
  };
  auto first = file("a.csv");
  auto second = file("b.csv");
  ASSERT_TRUE(first && first->accepted() && second && second->accepted());
  ASSERT_TRUE(changes_->Approve(first->change_request->id, reviewer_, "", false));
  auto approved = changes_->Approve(second->change_request->id, reviewer_, "", false);
  ASSERT_FALSE(approved);
  EXPECT_EQ(approved.error().code, Code::kFailedPrecondition) << approved.error().message;
  ASSERT_EQ(approved.error().problems.size(), 1u);
  EXPECT_EQ(approved.error().problems[0].reason, "import.already_registered");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM households WHERE source_ref = 'IMP-1'"), 1);
}

// Two transactions adding a head to one household: on PostgreSQL the second waits for the first's
// commit before counting heads (an import writes no household row that would make it wait otherwise).
TEST_F(ChangeKinds, AHeadAddedByAConcurrentTransactionIsCountedBeforeAnImportIsApproved) {
  if (db_->dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "SQLite runs one writer at a time";
  Importer importer(*store_, *changes_, clock_);
  auto households = importer.ImportHouseholds(
      std::string("household_ref,commune_code,urban,address\nIMP-1,") + kFesCommune + ",1,Derb 1\n", agent_,
      {.file_name = "households.csv"});
  ASSERT_TRUE(households && households->accepted());
  ASSERT_TRUE(changes_->Approve(households->change_request->id, reviewer_, "", false));
  auto second = importer.ImportPersons(
      "record_id,household_ref,relationship,given_name_ar,family_name_ar,sex,birth_date\n"
      "IMP-P2,IMP-1,head,أحمد,العلوي,M,1971\n",
      agent_, {.file_name = "persons2.csv"});
  ASSERT_TRUE(second && second->accepted());

  // The first approval, by hand: a transaction that has added a head (taking only the foreign key's
  // share lock on the household, as an import's insert does) and is still open while the second
  // import is approved.
  std::optional<Result<ChangeRequestRow>> second_result;
  auto held = db_->Acquire();
  held.sql().begin();
  long long household = 0;
  held.sql() << "SELECT id FROM households WHERE source_ref = 'IMP-1'", soci::into(household);
  held.sql() << "INSERT INTO persons (household_id, record_id, relationship, given_name_ar, family_name_ar, sex, "
                "status, version, created_at, updated_at) VALUES (:h, 'P-HELD', 'head', 'محمد', 'العلوي', 'M', "
                "'active', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
      soci::use(household);
  std::thread other([&] { second_result = changes_->Approve(second->change_request->id, reviewer_, "", false); });
  // Commit only once the approval waits on a lock: a commit before it gets there would be seen without
  // the lock, and the test would pass with the lock removed.
  long long waiting = 0;
  {
    auto watch = db_->Acquire();
    for (int i = 0; i < 1000 && waiting == 0; ++i) {
      watch.sql() << "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                     "wait_event_type = 'Lock'",
          soci::into(waiting);
      if (waiting == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_GT(waiting, 0) << "the approval never waited for the open transaction";
  held.sql().commit();
  other.join();
  ASSERT_TRUE(second_result.has_value());
  ASSERT_FALSE(*second_result) << "the household got two heads";
  EXPECT_EQ(second_result->error().reason, "household.two_heads");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE relationship = 'head'"), 1);
}

}  // namespace
}  // namespace sanad::registry
