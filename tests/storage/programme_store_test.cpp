// Stored programmes (src/programs/programme_store.h, programme_catalogue.h) on SQLite and PostgreSQL:
// a template answers until saved, a save round-trips and keeps its history, a stale version is refused,
// a copy under a new code is a new programme, and the caller's work in the save's transaction commits or
// rolls back with it.
#include "programs/programme_store.h"

#include <gtest/gtest.h>

#include "db/migrations.h"
#include "programs/programme_catalogue.h"
#include "programs/templates.h"
#include "test_db.h"

namespace sanad::programs {
namespace {

class ProgrammeStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(sanad::testing::FreshDatabaseUrl(sanad::testing::BackendFromEnv()), 2);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    store_ = std::make_unique<ProgrammeStore>(*db_);
    catalogue_ = std::make_unique<ProgrammeCatalogue>(*store_, clock_);
  }

  ManualClock clock_{TimePoint{} + std::chrono::hours(24 * 20'000)};
  std::unique_ptr<db::Database> db_;
  std::unique_ptr<ProgrammeStore> store_;
  std::unique_ptr<ProgrammeCatalogue> catalogue_;
  const Author amina_{7, "amina"};
  const Author karim_{8, "karim"};
};

TEST_F(ProgrammeStoreTest, ATemplateAnswersUntilItIsSavedThenTheSavedOneDoes) {
  auto asd = catalogue_->Get("ASD");
  ASSERT_TRUE(asd) << asd.error().reason;
  EXPECT_EQ(asd->version, 0);
  EXPECT_TRUE(asd->builtin);
  EXPECT_EQ(asd->programme, *FindBuiltin("ASD"));

  Programme changed = asd->programme;
  changed.parameter_sets.back().params["asd.floor"] = std::int64_t{550};
  changed.budget_minor = 2'500'000'000'000;
  changed.incompatible = {"AFS"};
  auto saved = catalogue_->Update(changed, 0, amina_);
  ASSERT_TRUE(saved) << saved.error().reason;
  EXPECT_EQ(saved->version, 1);

  auto found = catalogue_->Find("ASD");
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, changed);
  auto again = catalogue_->Get("ASD");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->version, 1);
  EXPECT_EQ(again->updated_by, "amina");
  EXPECT_TRUE(again->builtin);

  // The list keeps the templates' order, the saved ASD in its place.
  auto list = catalogue_->List();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 4U);
  EXPECT_EQ((*list)[0].programme, changed);
  EXPECT_EQ((*list)[3].programme.code, "AFS");
}

TEST_F(ProgrammeStoreTest, AStaleVersionIsRefusedAndHistoryKeepsEverySave) {
  Programme p = *FindBuiltin("AFS");
  ASSERT_TRUE(catalogue_->Update(p, 0, amina_));
  p.parameter_sets[0].params["afs.base_amount"] = std::int64_t{7500};
  clock_.Advance(std::chrono::seconds(60));
  ASSERT_TRUE(catalogue_->Update(p, 1, karim_));

  // Karim's colleague started from version 1 too: refused, naming the current version.
  Programme other = *FindBuiltin("AFS");
  auto stale = catalogue_->Update(other, 1, amina_);
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Code::kConflict);
  EXPECT_EQ(stale.error().reason, "program.stale_version");
  EXPECT_EQ(stale.error().params[2], (std::pair<std::string, std::string>{"current", "2"}));
  // A first save of a template already saved is stale too.
  EXPECT_EQ(catalogue_->Update(other, 0, amina_).error().code, Code::kConflict);

  auto history = catalogue_->History("AFS");
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2U);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[0].saved_by, "karim");
  EXPECT_EQ((*history)[0].saved_by_id, 8);
  EXPECT_EQ((*history)[0].programme, p);
  EXPECT_EQ((*history)[1].version, 1);
  EXPECT_EQ((*history)[1].programme, *FindBuiltin("AFS"));
  EXPECT_LT((*history)[1].saved_at, (*history)[0].saved_at);
  EXPECT_TRUE(catalogue_->History("ASD")->empty());
  EXPECT_EQ(catalogue_->History("NOPE").error().code, Code::kNotFound);
}

TEST_F(ProgrammeStoreTest, ACopyOfATemplateUnderANewCodeIsANewProgramme) {
  Programme copy = *FindBuiltin("ASD");
  copy.code = "ASD_PILOT";
  copy.name_fr = "ASD — pilote";
  auto created = catalogue_->Create(copy, amina_);
  ASSERT_TRUE(created) << created.error().reason;
  EXPECT_EQ(created->version, 1);
  EXPECT_FALSE(catalogue_->Get("ASD_PILOT")->builtin);
  EXPECT_EQ(*catalogue_->Find("ASD_PILOT"), copy);
  EXPECT_EQ(catalogue_->List()->back().programme.code, "ASD_PILOT");

  EXPECT_EQ(catalogue_->Create(copy, amina_).error().reason, "program.already_exists");
  Programme asd = *FindBuiltin("ASD");
  EXPECT_EQ(catalogue_->Create(asd, amina_).error().reason, "program.already_exists");
  EXPECT_EQ(catalogue_->Find("NOPE").error().code, Code::kNotFound);
}

TEST_F(ProgrammeStoreTest, AnInvalidProgrammeIsNotSaved) {
  Programme p = *FindBuiltin("ASD");
  p.code = "BROKEN";
  p.lines[0].rule = "members.count(";
  auto created = catalogue_->Create(p, amina_);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(created.error().problems.at(0).field, "lines[0].rule");
  EXPECT_EQ(catalogue_->Find("BROKEN").error().code, Code::kNotFound);
}

TEST_F(ProgrammeStoreTest, TheCallersWorkCommitsOrRollsBackWithTheSave) {
  Programme p = *FindBuiltin("AMO_TADAMON");
  auto failed = catalogue_->Update(p, 0, amina_, [](db::Session&, const StoredProgramme&) -> Status {
    return Failure(Code::kUnavailable, "audit.unavailable");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(catalogue_->Get("AMO_TADAMON")->version, 0);
  EXPECT_TRUE(store_->History("AMO_TADAMON")->empty());

  std::int64_t seen = 0;
  auto saved = catalogue_->Update(p, 0, amina_, [&](db::Session& s, const StoredProgramme& sp) -> Status {
    long long rows = 0;
    s.sql() << "SELECT COUNT(*) FROM programme_versions WHERE code = 'AMO_TADAMON'", soci::into(rows);
    seen = rows * 10 + sp.version;
    return Ok();
  });
  ASSERT_TRUE(saved);
  EXPECT_EQ(seen, 11);  // the version row is written, and visible, inside the transaction
}

}  // namespace
}  // namespace sanad::programs
