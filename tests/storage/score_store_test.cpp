// The socio-economic scores' store (src/targeting/score_store.h) on SQLite and PostgreSQL: the chunked
// set-based read of households' variables and members' counts, the bulk save, idempotent re-runs, the
// history of replaced scores, the model versions kept and the explanations computed again from them.
#include "targeting/score_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "db/migrations.h"
#include "registry/records.h"
#include "registry/rule_inputs.h"
#include "targeting/rescoring_store.h"
#include "targeting/score_explanation.h"
#include "targeting/score_run.h"
#include "targeting/test_support.h"
#include "test_db.h"

namespace sanad::targeting {
namespace {

constexpr const char* kAsOf = "2026-12-05";

using testing::kHandModel;  // its scores are computed by hand in score_engine_test.cpp

class ScoreStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(sanad::testing::FreshDatabaseUrl(sanad::testing::BackendFromEnv()), 2);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    auto m = ParseModel(kHandModel);
    ASSERT_TRUE(m);
    model_ = *m;
  }

  std::int64_t Household(const std::string& commune, int urban, const std::string& status,
                         std::optional<long long> spend_electricity, std::optional<std::string> dwelling,
                         std::optional<long long> car, std::optional<double> land) {
    auto s = db_->Acquire();
    const std::string ref = "H" + std::to_string(++households_);
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, spend_electricity, dwelling_type, has_car, "
               "land_hectares, created_at, updated_at) VALUES (:r, :c, :u, :s, :e, :d, :car, :l, 'now', 'now')",
        soci::use(ref), soci::use(commune), soci::use(urban), soci::use(status), soci::use(spend_electricity),
        soci::use(dwelling), soci::use(car), soci::use(land);
    long long id = 0;
    s.sql() << "SELECT id FROM households WHERE ref = :r", soci::use(ref), soci::into(id);
    Versioned(s);
    return id;
  }

  // The household columns a score reads, which the versions hold as the households table does.
  static constexpr const char* kScoredColumns =
      "commune_code, urban, status, dwelling_type, tenure, rooms, wall_material, roof_material, water_source, "
      "electricity, sanitation, spend_electricity, spend_water, spend_butane, spend_telephone, has_refrigerator, "
      "has_television, has_washing_machine, has_car, has_motorcycle, livestock_units, land_hectares";

  // The version history of the rows written directly here (one version each, from the start of the year),
  // and the rule inputs the registry's write paths derive from it, which the members' counts are read from.
  static void Versioned(db::Session& s) {
    const std::string open = registry::kOpenEnd;
    s.sql() << "INSERT INTO household_versions (household_id, version, valid_from, valid_to, " +
                   std::string(kScoredColumns) + ") SELECT id, 1, '2026-01-01T00:00:00Z', :o, " + kScoredColumns +
                   " FROM households WHERE id NOT IN (SELECT household_id FROM household_versions)",
        soci::use(open);
    s.sql()
        << "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, relationship, sex, "
           "birth_date, status, schooling, disability_type, education_level, employment_status) "
           "SELECT id, 1, household_id, '2026-01-01T00:00:00Z', :o, relationship, sex, birth_date, status, "
           "schooling, disability_type, education_level, employment_status FROM persons "
           "WHERE id NOT IN (SELECT person_id FROM person_versions)",
        soci::use(open);
    registry::RuleInputStore().RebuildAll(s);
  }

  void Person(std::int64_t household, const std::string& birth, const std::string& status = "active",
              const std::string& schooling = "", const std::string& disability = "none",
              const std::string& education = "", const std::string& employment = "") {
    auto s = db_->Acquire();
    long long h = household;
    auto opt = [](const std::string& v) { return v.empty() ? std::optional<std::string>() : std::optional(v); };
    std::optional<std::string> school = opt(schooling), dis = opt(disability), edu = opt(education),
                               emp = opt(employment);
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, schooling, disability_type, "
               "education_level, employment_status, created_at, updated_at) VALUES (:h, 'other', 'F', :b, :s, :sc, "
               ":d, :e, :em, 'now', 'now')",
        soci::use(h), soci::use(birth), soci::use(status), soci::use(school), soci::use(dis), soci::use(edu),
        soci::use(emp);
    Versioned(s);
  }

  // The three households of score_engine_test.cpp, plus an exited household and an exited member.
  void ThreeHouseholds() {
    a_ = Household("MA-03.231.01.03", 1, "active", 150, "villa", 1, 2.0);
    for (auto b : {"1980-03-01", "1982-07-15", "2015-01-01", "2020-06-30"}) Person(a_, b);
    Person(a_, "1950-01-01", "exited");
    Household("MA-03.231.01.03", 1, "exited", 900, "villa", 1, 0.0);
    b_ = Household("MA-08.111.01.01", 0, "active", std::nullopt, "rural_house", 0, 3.0);
    for (auto b : {"1970-01-01", "2011-12-05", "2000", "2011-12-06", "2016-05-05", "2019-01-01"}) Person(b_, b);
    c_ = Household("MA-01.511.01.01", 1, "active", 100, std::nullopt, std::nullopt, std::nullopt);
    Person(c_, "1990-01-01");
  }

  double CurrentScore(std::int64_t id) {
    ScoreStore store(*db_);
    auto cur = store.Current(id);
    EXPECT_TRUE(cur && *cur);
    return cur && *cur ? (*cur)->score : NAN;
  }

  std::unique_ptr<db::Database> db_;
  Model model_;
  int households_ = 0;
  std::int64_t a_ = 0, b_ = 0, c_ = 0;
};

TEST_F(ScoreStoreTest, ReadsActiveHouseholdsByIdRangeWithTheirMembersCounts) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  EXPECT_EQ(store.CountActive().value_or(-1), 3);
  auto span = store.IdSpan();
  ASSERT_TRUE(span && *span);
  EXPECT_EQ((*span)->first, a_);
  EXPECT_EQ((*span)->second, c_);
  auto first = store.ReadRange(a_, b_, kAsOf);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->size(), 2u);
  EXPECT_EQ(first->id[0], a_);
  EXPECT_EQ(first->id[1], b_);  // the exited household between them is skipped
  EXPECT_EQ(first->region[0], "MA-03");
  EXPECT_EQ(first->urban[1], 0);
  EXPECT_EQ(first->at(Variable::kHouseholdSize, 0), 4);  // the exited member does not count
  EXPECT_EQ(first->at(Variable::kHouseholdSizeSquared, 0), 16);
  EXPECT_EQ(first->at(Variable::kChildrenUnder15, 0), 2);
  EXPECT_EQ(first->at(Variable::kElderly65Plus, 0), 0);
  EXPECT_EQ(first->at(Variable::kSpendElectricity, 0), 150);
  EXPECT_EQ(first->at(Variable::kDwellingType, 0), 0);  // villa
  EXPECT_EQ(first->at(Variable::kLandHectares, 1), 3);
  EXPECT_TRUE(std::isnan(first->at(Variable::kSpendElectricity, 1)));
  // Born 2011-12-06: 14 on 2026-12-05, a child; born 2011-12-05: 15 that day, not; born in 2000 (year only): an adult.
  EXPECT_EQ(first->at(Variable::kChildrenUnder15, 1), 3);
  EXPECT_EQ(first->at(Variable::kHouseholdSize, 1), 6);
  auto rest = store.ReadRange(b_ + 1, c_, kAsOf);
  ASSERT_TRUE(rest);
  ASSERT_EQ(rest->size(), 1u);
  EXPECT_EQ(rest->id[0], c_);
  EXPECT_TRUE(std::isnan(rest->at(Variable::kDwellingType, 0)));
  auto end = store.ReadRange(c_ + 1, c_ + 10, kAsOf);
  ASSERT_TRUE(end);
  EXPECT_EQ(end->size(), 0u);
}

TEST_F(ScoreStoreTest, AnEmptyRegistryHasNoIdSpanAndScoresNothing) {
  ScoreStore store(*db_);
  auto span = store.IdSpan();
  ASSERT_TRUE(span);
  EXPECT_FALSE(*span);
  auto run = ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 10});
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->households, 0u);
}

TEST_F(ScoreStoreTest, ScoresEveryHouseholdAsComputedByHandAndKeepsWhy) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  std::size_t last_done = 0;
  auto run =
      ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 2}, [&](std::size_t done, std::int64_t total) {
        EXPECT_EQ(total, 3);
        last_done = done;
      });
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(run->households, 3u);
  EXPECT_EQ(run->saved.added, 3u);
  EXPECT_EQ(last_done, 3u);
  EXPECT_NEAR(CurrentScore(a_), 10.48279, 1e-9);  // domain.md §1.2 shape, see score_engine_test.cpp
  EXPECT_NEAR(CurrentScore(b_), 8.92084, 1e-9);
  EXPECT_NEAR(CurrentScore(c_), 10.59769, 1e-9);
  auto cur = store.Current(a_);
  ASSERT_TRUE(cur && *cur);
  EXPECT_EQ((*cur)->model, "test");
  EXPECT_EQ((*cur)->model_version, "1");
  EXPECT_EQ((*cur)->scored_on, kAsOf);
  auto explained = Explain(store, **cur);
  ASSERT_TRUE(explained) << explained.error().message;
  ASSERT_TRUE(explained->contributions) << explained->unavailable;
  auto why = nlohmann::json::parse(*explained->contributions);
  EXPECT_DOUBLE_EQ(why.at("region").get<double>(), 0.12);
  EXPECT_DOUBLE_EQ(why.at("has_car").get<double>(), 0.35);
  double sum = 0;
  for (const auto& [k, v] : why.items()) sum += v.get<double>();
  EXPECT_NEAR(sum, (*cur)->score, 1e-12);
  // The model version is kept as read, once.
  EXPECT_EQ(store.ModelDefinition("test", "1").value(), model_.definition);
}

// An edit after the score, not re-scored yet: the explanation is still of the stored score, from the
// household as it was when the score was computed (the version in force then), not as it is now.
TEST_F(ScoreStoreTest, ExplainsAScoreFromTheRegistryAsItWasWhenComputed) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  ASSERT_TRUE(ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 1000}));
  {
    // Household a sells its car at 11:00: its first version ends, a second begins, as the registry writes it.
    auto s = db_->Acquire();
    db::Transaction tx(s);
    long long id = a_;
    s.sql() << "UPDATE households SET has_car = 0 WHERE id = :id", soci::use(id);
    s.sql() << "UPDATE household_versions SET valid_to = '2026-12-05T11:00:00Z' WHERE household_id = :id",
        soci::use(id);
    const std::string open = registry::kOpenEnd;
    s.sql() << "INSERT INTO household_versions (household_id, version, valid_from, valid_to, " +
                   std::string(kScoredColumns) + ") SELECT id, 2, '2026-12-05T11:00:00Z', :o, " + kScoredColumns +
                   " FROM households WHERE id = :id",
        soci::use(open), soci::use(id);
    tx.Commit();
  }
  auto cur = store.Current(a_).value();
  ASSERT_TRUE(cur);
  auto explained = Explain(store, *cur);
  ASSERT_TRUE(explained) << explained.error().message;
  ASSERT_TRUE(explained->contributions) << explained->unavailable;
  auto why = nlohmann::json::parse(*explained->contributions);
  EXPECT_DOUBLE_EQ(why.at("has_car").get<double>(), 0.35);  // the car it had then
  double sum = 0;
  for (const auto& [k, v] : why.items()) sum += v.get<double>();
  EXPECT_NEAR(sum, cur->score, 1e-12);

  // Re-scored after the edit: explained from the second version, without the car.
  ASSERT_TRUE(ScoreAll(store, model_, {kAsOf, "2026-12-05T12:00:00.000000Z", 1000}));
  cur = store.Current(a_).value();
  ASSERT_TRUE(cur);
  EXPECT_NEAR(cur->score, 10.48279 - 0.35, 1e-9);
  explained = Explain(store, *cur);
  ASSERT_TRUE(explained && explained->contributions);
  EXPECT_FALSE(nlohmann::json::parse(*explained->contributions).contains("has_car"));
}

// A score whose model version the database does not keep (scored before it kept them), and a score the
// registry as it was then does not give: no parts, and the reason why.
TEST_F(ScoreStoreTest, SaysWhyAScoreCannotBeExplained) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  ASSERT_TRUE(ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 1000}));
  auto cur = store.Current(b_).value();
  ASSERT_TRUE(cur);

  StoredScore unknown = *cur;
  unknown.model_version = "0.9";
  auto no_model = Explain(store, unknown);
  ASSERT_TRUE(no_model);
  EXPECT_FALSE(no_model->contributions);
  EXPECT_EQ(no_model->unavailable, "score.why.model_not_kept");

  StoredScore other = *cur;
  other.score += 0.5;
  auto differs = Explain(store, other);
  ASSERT_TRUE(differs);
  EXPECT_FALSE(differs->contributions);
  EXPECT_EQ(differs->unavailable, "score.why.registry_differs");

  StoredScore before = *cur;
  before.scored_at = "2025-06-01T00:00:00Z";  // before the household's first version
  auto absent = Explain(store, before);
  ASSERT_TRUE(absent);
  EXPECT_EQ(absent->unavailable, "score.why.registry_differs");
}

// A model version's definition never changes: another file under the same name and version is refused
// before any score is saved with it (its scores would be explained with the first one's coefficients).
TEST_F(ScoreStoreTest, RefusesAModelVersionRedefined) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  ASSERT_TRUE(ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 1000}));
  std::string text = testing::kHandModel;
  text.replace(text.find("0.35"), 4, "0.36");
  auto redefined = ParseModel(text);
  ASSERT_TRUE(redefined);
  auto run = ScoreAll(store, *redefined, {kAsOf, "2026-12-05T11:00:00.000000Z", 1000});
  ASSERT_FALSE(run);
  EXPECT_EQ(run.error().code, Code::kConflict);
  EXPECT_EQ(run.error().reason, "score_model.version_redefined");
  EXPECT_NEAR(CurrentScore(a_), 10.48279, 1e-9);  // nothing saved with it
  EXPECT_TRUE(store.History(a_)->empty());
  // The same definition written with other spaces is the same version.
  std::string spaced = testing::kHandModel;
  spaced.insert(spaced.find("\"intercept\""), "   ");
  auto same = ParseModel(spaced);
  ASSERT_TRUE(same);
  EXPECT_TRUE(store.RecordModel(*same, "2026-12-05T12:00:00.000000Z"));
}

TEST_F(ScoreStoreTest, ReRunningChangesNothingAndAChangedScoreKeepsTheOldOneInHistory) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  ASSERT_TRUE(ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 1000}));
  auto again = ScoreAll(store, model_, {kAsOf, "2026-12-05T11:00:00.000000Z", 1000});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->saved.added, 0u);
  EXPECT_EQ(again->saved.changed, 0u);
  EXPECT_EQ(again->saved.unchanged, 3u);
  EXPECT_TRUE(store.History(a_)->empty());

  {
    auto s = db_->Acquire();
    long long id = a_;
    s.sql() << "UPDATE households SET has_car = 0 WHERE id = :id", soci::use(id);
  }
  auto third = ScoreAll(store, model_, {kAsOf, "2026-12-05T12:00:00.000000Z", 1000});
  ASSERT_TRUE(third);
  EXPECT_EQ(third->saved.changed, 1u);
  EXPECT_EQ(third->saved.unchanged, 2u);
  EXPECT_NEAR(CurrentScore(a_), 10.48279 - 0.35, 1e-9);
  auto history = store.History(a_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_NEAR((*history)[0].score, 10.48279, 1e-9);
  EXPECT_EQ((*history)[0].scored_at, "2026-12-05T10:00:00.000000Z");

  // A new model version replaces every score.
  Model next = model_;
  next.version = "2";
  auto fourth = ScoreAll(store, next, {kAsOf, "2026-12-05T13:00:00.000000Z", 1000});
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->saved.changed, 3u);
  EXPECT_EQ(store.History(a_)->size(), 2u);
  EXPECT_EQ(store.Current(b_).value()->model_version, "2");
}

TEST_F(ScoreStoreTest, ScoresThousandsOfHouseholdsInChunks) {
  {
    auto s = db_->Acquire();
    db::Transaction tx(s);
    for (int i = 0; i < 2500; ++i) {
      const std::string ref = "H" + std::to_string(i), commune = i % 2 ? "MA-03.231.01.03" : "MA-08.111.01.01";
      const int urban = i % 2;
      const long long spend = i % 400;
      s.sql() << "INSERT INTO households (ref, commune_code, urban, status, spend_electricity, created_at, updated_at) "
                 "VALUES (:r, :c, :u, 'active', :e, 'now', 'now')",
          soci::use(ref), soci::use(commune), soci::use(urban), soci::use(spend);
    }
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, created_at, updated_at) "
               "SELECT id, 'head', 'M', '1980-01-01', 'active', 'now', 'now' FROM households";
    Versioned(s);
    tx.Commit();
  }
  ScoreStore store(*db_);
  int chunks = 0;
  auto run = ScoreAll(store, model_, {kAsOf, "2026-12-05T10:00:00.000000Z", 1000},
                      [&](std::size_t, std::int64_t) { ++chunks; });
  ASSERT_TRUE(run) << run.error().message;
  EXPECT_EQ(chunks, 3);
  EXPECT_EQ(run->saved.added, 2500u);
  auto s = db_->Acquire();
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM household_scores", soci::into(n);
  EXPECT_EQ(n, 2500);
}

// PostgreSQL never vacuums a temporary table: rows deleted from the chunk's scratch table stayed in its
// pages, every later chunk on the connection scanned them, and the planner (which sizes a table it never
// analysed by its pages) turned the comparisons with household_scores into full scans. Scoring 5,000,000
// households slowed from about 8,000 a second to 750 as they piled up. A chunk must leave the table with
// no storage on PostgreSQL, and empty on both.
TEST_F(ScoreStoreTest, AChunkLeavesNothingBehindInItsScratchTable) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  auto s = db_->Acquire();
  for (int round = 0; round < 3; ++round) {
    db::Transaction tx(s);
    const HouseholdBatch batch = store.ReadHouseholds(s, {a_, b_, c_}, kAsOf);
    ASSERT_EQ(batch.size(), 3u);
    Model version = model_;  // a new version each round, so that every round writes the three scores
    version.version = std::to_string(round + 1);
    const ScoredBatch scored = Score(version, batch);
    const SaveCounts saved = store.SaveIn(s, version, batch, scored, kAsOf, "2026-12-05T10:00:00.000000Z");
    EXPECT_EQ(saved.added + saved.changed, 3u);
    tx.Commit();
  }
  long long rows = -1;
  s.sql() << "SELECT COUNT(*) FROM score_batch", soci::into(rows);
  EXPECT_EQ(rows, 0);
  if (s.dialect() == db::Dialect::kPostgres) {
    long long bytes = -1;
    s.sql() << "SELECT pg_relation_size('score_batch')", soci::into(bytes);
    EXPECT_EQ(bytes, 0) << "deleted rows left in the temporary table's pages";
  }
}

// SQLite's reading of decimal text is not always correctly rounded (SQLite 3.40): the shortest text of
// 10.66966748968209 reads back as the next double up (103 of 5,000,000 scores). A score is stored as the
// double computed, and a re-score of a score kept one step away by earlier versions, which wrote scores
// as text, leaves it unchanged (the same score, not a replacement in the history).
constexpr double kMisread = 10.66966748968209;

// One household's score, all of it the intercept.
ScoredBatch ScoredAs(double score) {
  ScoredBatch scored;
  scored.score = {score};
  scored.part_labels = {"intercept", "region"};
  scored.parts = {{score}, {0.0}};
  return scored;
}

TEST_F(ScoreStoreTest, AScoreIsStoredExactlyAndOneKeptAStepAwayIsUnchanged) {
  ThreeHouseholds();
  ScoreStore store(*db_);
  auto s = db_->Acquire();
  const HouseholdBatch batch = store.ReadHouseholds(s, {a_}, kAsOf);
  ASSERT_EQ(batch.size(), 1u);
  const ScoredBatch scored = ScoredAs(kMisread);
  {
    db::Transaction tx(s);
    EXPECT_EQ(store.SaveIn(s, model_, batch, scored, kAsOf, "2026-12-05T10:00:00.000000Z").added, 1u);
    tx.Commit();
  }
  EXPECT_EQ(CurrentScore(a_), kMisread);

  // As an earlier version kept it: the next double up. Re-scoring leaves it.
  long long id = a_;
  const double kept = std::nextafter(kMisread, 11.0);
  s.sql() << "UPDATE household_scores SET score = :s WHERE household_id = :h", soci::use(kept), soci::use(id);
  db::Transaction tx(s);
  const SaveCounts again = store.SaveIn(s, model_, batch, scored, kAsOf, "2026-12-05T11:00:00.000000Z");
  tx.Commit();
  EXPECT_EQ(again.unchanged, 1u);
  EXPECT_EQ(again.changed, 0u);
  EXPECT_TRUE(store.History(a_)->empty());
}

// Households far apart (re-scoring the households of approved changes) are compared by their ids, not
// over the range between them.
TEST_F(ScoreStoreTest, SavesHouseholdsFarApartAndFindsThemUnchangedAgain) {
  ThreeHouseholds();
  std::int64_t far = 0;
  for (int i = 0; i < 5; ++i) far = Household("MA-01.511.01.01", 1, "active", 10, std::nullopt, 0, 0.0);
  ScoreStore store(*db_);
  auto s = db_->Acquire();
  const HouseholdBatch batch = store.ReadHouseholds(s, {a_, far}, kAsOf);
  ASSERT_EQ(batch.size(), 2u);
  const ScoredBatch scored = Score(model_, batch);
  std::vector<SaveCounts> rounds;
  for (const char* at : {"2026-12-05T10:00:00.000000Z", "2026-12-05T11:00:00.000000Z"}) {
    db::Transaction tx(s);
    rounds.push_back(store.SaveIn(s, model_, batch, scored, kAsOf, at));
    tx.Commit();
  }
  EXPECT_EQ(rounds[0].added, 2u);
  EXPECT_EQ(rounds[1].unchanged, 2u);
  EXPECT_NEAR(CurrentScore(a_), 10.48279, 1e-9);
  EXPECT_TRUE(store.Current(b_).value() == std::nullopt);  // between them, not in the batch
}

// Two servers started at once on a new database both create the feed consumers' positions. The second
// one's INSERT waited for the first's commit and then failed on the primary key, and that server did
// not start (seen as a flaky two-node cluster test). Both now get the one position, the first's.
TEST_F(ScoreStoreTest, TwoTransactionsCreatingOnePositionAtOnceBothGetTheFirstOne) {
  std::promise<void> inserted, release;
  std::future<void> released = release.get_future();
  std::thread first([&] {
    auto r = db_->InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
      const auto at = RescoringStore::LockPosition(s, "racing", 7, "2026-12-07T10:00:00Z");
      inserted.set_value();
      released.wait();  // holds its uncommitted row while the second one asks
      return at;
    });
    EXPECT_TRUE(r) << r.error().message;
    if (r) {
      EXPECT_EQ(*r, 7);
    }
  });
  inserted.get_future().wait();
  std::thread second([&] {
    auto r = db_->InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
      return RescoringStore::LockPosition(s, "racing", 9, "2026-12-07T10:00:01Z");
    });
    ASSERT_TRUE(r) << r.error().message;
    EXPECT_EQ(*r, 7);
  });
  // Long enough for the second one to be waiting on the first (PostgreSQL: its INSERT on the key;
  // SQLite: its BEGIN IMMEDIATE); the outcome must not depend on it.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  release.set_value();
  first.join();
  second.join();
}

TEST_F(ScoreStoreTest, RefusesABadDate) {
  ScoreStore store(*db_);
  auto r = store.ReadRange(1, 10, "2026-13-01");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "as_of");
}

}  // namespace
}  // namespace sanad::targeting
