// The registry read as of a moment (household_batch_store.h) and a cycle's entries written from it
// (cycle_entries.h), on SQLite and PostgreSQL: an edit after the moment is not seen, a person added after
// it is not there, a score replaced after it gives the old score, the area scope and the country filter
// exclude other places, chunks cover every household once, the derived fields, and the entries' rows.
#include "cycles/household_batch_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>
#include <tuple>

#include "cycles/compute_cycle.h"
#include "cycles/cycle_entry_store.h"
#include "cycles/read_ahead.h"
#include "db/bulk_load.h"
#include "db/migrations.h"
#include "db/row.h"
#include "db/row_scan.h"
#include "programs/evaluate_batch.h"
#include "programs/templates.h"
#include "registry/rule_inputs.h"
#include "test_db.h"

namespace sanad::cycles {
namespace {

constexpr const char* kT0 = "2026-01-01T00:00:00.000000Z";
constexpr const char* kT1 = "2026-06-01T00:00:00.000000Z";  // the moment the tests read
constexpr const char* kT2 = "2026-09-01T00:00:00.000000Z";
constexpr const char* kOpen = "9999-12-31T00:00:00Z";
constexpr const char* kCasablanca = "MA-06.141.01.01";
constexpr const char* kOujda = "MA-02.411.01.01";

class CyclesStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(sanad::testing::FreshDatabaseUrl(sanad::testing::BackendFromEnv()), 2);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    auto s = db_->Acquire();
    for (const char* region : {"MA-06", "MA-02"}) {
      std::string r = region;
      s.sql() << "INSERT INTO areas (code, country, level, name_ar, name_fr) VALUES (:c, 'MA', 'region', 'x', 'x')",
          soci::use(r);
    }
    for (auto [region, commune] : {std::pair{"MA-06", kCasablanca}, std::pair{"MA-02", kOujda}}) {
      std::string a = region, d = commune;
      s.sql() << "INSERT INTO area_ancestors (ancestor, descendant, depth, valid_from, valid_to) "
                 "VALUES (:a, :d, 3, '0000-01-01', '9999-12-31')",
          soci::use(a), soci::use(d);
    }
  }

  // A household version; the households row is written with the first version (scores refer to it).
  void HouseholdVersion(long long id, long long version, const std::string& from, const std::string& to,
                        const std::string& commune, const std::string& status = "active") {
    auto s = db_->Acquire();
    if (version == 1) {
      std::string ref = "H" + std::to_string(id);
      s.sql() << "INSERT INTO households (id, ref, commune_code, status, version, created_at, updated_at) "
                 "VALUES (:i, :r, :c, :s, 1, 'now', 'now')",
          soci::use(id), soci::use(ref), soci::use(commune), soci::use(status);
    }
    double latent = 9.5 + static_cast<double>(id) / 100;
    s.sql() << "INSERT INTO household_versions (household_id, version, valid_from, valid_to, commune_code, status, "
               "latent_log_consumption) VALUES (:i, :v, :f, :t, :c, :s, :l)",
        soci::use(id), soci::use(version), soci::use(from), soci::use(to), soci::use(commune), soci::use(status),
        soci::use(latent);
    registry::RuleInputStore().RebuildAll(s);  // as the registry's write paths do
  }

  struct P {
    std::string relationship = "child";
    std::string sex = "M";
    std::string birth = "2018-03-01";
    std::optional<std::string> schooling = std::string("primary");
    std::optional<long long> family_allowances = 0;
    std::optional<std::string> employment;
    std::string status = "active";
    std::optional<long long> able_to_work;
  };
  void PersonVersion(long long person, long long version, long long household, const std::string& from,
                     const std::string& to, const P& p) {
    auto s = db_->Acquire();
    s.sql()
        << "INSERT INTO person_versions (person_id, version, household_id, valid_from, valid_to, relationship, "
           "sex, birth_date, schooling, family_allowances, employment_status, status, able_to_work) VALUES (:p, :v, "
           ":h, :f, :t, :r, :s, :b, :sc, :fa, :e, :st, :aw)",
        soci::use(person), soci::use(version), soci::use(household), soci::use(from), soci::use(to),
        soci::use(p.relationship), soci::use(p.sex), soci::use(p.birth), soci::use(p.schooling),
        soci::use(p.family_allowances), soci::use(p.employment), soci::use(p.status), soci::use(p.able_to_work);
    registry::RuleInputStore().RebuildAll(s);
  }

  void Score(long long household, double score, const std::string& scored_at, const std::string& version = "2026.1") {
    auto s = db_->Acquire();
    s.sql() << "INSERT INTO household_scores (household_id, score, model, model_version, scored_on, scored_at) "
               "VALUES (:h, :s, 'rsu-illustrative', :v, '2026-01-01', :a)",
        soci::use(household), soci::use(score), soci::use(version), soci::use(scored_at);
  }
  void OldScore(long long household, double score, const std::string& scored_at, const std::string& replaced_at) {
    auto s = db_->Acquire();
    s.sql() << "INSERT INTO household_score_history (household_id, score, model, model_version, scored_on, "
               "scored_at, replaced_at) VALUES (:h, :s, 'rsu-illustrative', '2025.1', '2025-01-01', :a, :r)",
        soci::use(household), soci::use(score), soci::use(scored_at), soci::use(replaced_at);
  }

  // Household 1 (Casablanca): head, spouse, one child; its commune edited and a child added after T1,
  // its score replaced after T1. Household 2 (Oujda): head and two children, scored after T1 only.
  // Household 3 exited before T1. Household 4 was created after T1.
  void Registry() {
    HouseholdVersion(1, 1, kT0, kT2, kCasablanca);
    HouseholdVersion(1, 2, kT2, kOpen, kOujda);
    PersonVersion(10, 1, 1, kT0, kOpen, {"head", "M", "1980-01-01", std::nullopt, 0, std::string("unemployed")});
    PersonVersion(11, 1, 1, kT0, kOpen, {"spouse", "F", "1985", std::nullopt, 0, std::string("homemaker")});
    PersonVersion(12, 1, 1, kT0, kT2, {"child", "F", "2016-05-05", std::string("primary")});
    PersonVersion(12, 2, 1, kT2, kOpen, {"child", "F", "2016-05-05", std::string("lower_secondary")});
    PersonVersion(13, 1, 1, kT2, kOpen, {"child", "M", "2026-07-01", std::string("not_applicable")});
    OldScore(1, 9.1, kT0, kT2);
    Score(1, 10.5, kT2, "2026.2");

    HouseholdVersion(2, 1, kT0, kOpen, kOujda);
    // The AFS reads whether a head can work: recorded for this one only.
    PersonVersion(20, 1, 2, kT0, kOpen,
                  {"head", "F", "1975-02-02", std::nullopt, 1, std::string("employed"), "active", 0});
    PersonVersion(21, 1, 2, kT0, kOpen, {"child", "M", "2010-01-01", std::string("upper_secondary")});
    PersonVersion(22, 1, 2, kT0, kOpen,
                  {"child", "M", "2012-01-01", std::string("primary"), 0, std::nullopt, "exited"});
    Score(2, 8.0, kT2);

    HouseholdVersion(3, 1, kT0, kT0, kCasablanca);
    HouseholdVersion(3, 2, kT0, kOpen, kCasablanca, "exited");
    PersonVersion(30, 1, 3, kT0, kOpen, {"head", "M", "1950-01-01"});

    HouseholdVersion(4, 1, kT2, kOpen, kCasablanca);
    PersonVersion(40, 1, 4, kT2, kOpen, {"head", "M", "1990-01-01"});
  }

  std::vector<RegistryChunk> ReadAll(const std::string& as_of, AsOfFilter filter = {}, std::size_t chunk = 50'000) {
    auto s = db_->Acquire();
    HouseholdBatchStore store(s, as_of, std::move(filter), chunk);
    std::vector<RegistryChunk> chunks;
    for (;;) {
      auto c = store.Next();
      EXPECT_TRUE(c) << c.error().message;
      if (!c || c->size() == 0) break;
      chunks.push_back(std::move(*c));
    }
    return chunks;
  }

  std::unique_ptr<db::Database> db_;
};

const rules::InputColumn& H(const RegistryChunk& c, const char* name) { return c.batch.household.at(name); }
const rules::InputColumn& M(const RegistryChunk& c, const char* name) { return c.batch.member.at(name); }

TEST_F(CyclesStoreTest, ReadsTheRegistryAsItStoodAtTheMoment) {
  Registry();
  auto chunks = ReadAll(kT1);
  ASSERT_EQ(chunks.size(), 1u);
  const RegistryChunk& c = chunks[0];
  ASSERT_EQ(c.household_id, (std::vector<std::int64_t>{1, 2}));  // 3 had exited, 4 did not exist yet
  EXPECT_EQ(c.household_version, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(c.commune_code[0], kCasablanca);  // moved to Oujda after the moment
  EXPECT_EQ(c.region_code[0], "MA-06");
  EXPECT_EQ(c.country[0], "MA");
  EXPECT_EQ(H(c, "country").strings[0], "MA");
  EXPECT_DOUBLE_EQ(c.latent_log_consumption[1], 9.52);
  // Household 1: the score replaced after the moment; household 2: scored only after it.
  EXPECT_EQ(H(c, "socio_economic_index").present, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_DOUBLE_EQ(H(c, "socio_economic_index").decimals[0], 9.1);
  EXPECT_EQ(c.score_model_version[0], "2025.1");
  EXPECT_EQ(c.score_model_version[1], "");
  // Members: the child added after the moment is not there, the exited one neither.
  EXPECT_EQ(c.batch.member_offsets, (std::vector<std::uint32_t>{0, 3, 5}));
  EXPECT_EQ(c.person_id, (std::vector<std::int64_t>{10, 11, 12, 20, 21}));
  EXPECT_EQ(c.person_version, (std::vector<std::int64_t>{1, 1, 1, 1, 1}));
  EXPECT_EQ(M(c, "schooling").strings[2], "primary");  // as it was at the moment
  EXPECT_EQ(c.payee_person_id, (std::vector<std::int64_t>{10, 20}));
  // A year alone is its 1 January; fields the registry does not record are null.
  EXPECT_EQ(M(c, "birth_date").ints[1], rules::DayNumber(Date{1985, 1, 1}));
  EXPECT_EQ(c.birth_date_text[1], "1985");
  EXPECT_EQ(M(c, "able_to_work").present, (std::vector<std::uint8_t>{0, 0, 0, 1, 0}));
  EXPECT_EQ(M(c, "able_to_work").ints[3], 0);
  EXPECT_EQ(M(c, "in_institution").present, (std::vector<std::uint8_t>{0, 0, 0, 0, 0}));
  EXPECT_EQ(M(c, "disability_percent").present[0], 0);
  // Derived: family allowances (household 2's head), proven income (household 2's employed head).
  EXPECT_EQ(H(c, "receives_family_allowance").ints, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(H(c, "has_proven_income").ints, (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(H(c, "has_proven_income").present, (std::vector<std::uint8_t>{1, 1}));

  // Later, the current versions and scores.
  auto later = ReadAll("2026-10-01T00:00:00.000000Z");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].household_id, (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(later[0].commune_code[0], kOujda);
  EXPECT_EQ(later[0].household_version[0], 2);
  EXPECT_DOUBLE_EQ(H(later[0], "socio_economic_index").decimals[0], 10.5);
  EXPECT_EQ(later[0].batch.member_offsets[1], 4u);
}

TEST_F(CyclesStoreTest, FiltersByScopeCountryAndIds) {
  Registry();
  AsOfFilter scope;
  scope.area = "MA-02";
  auto oujda = ReadAll(kT1, scope);
  ASSERT_EQ(oujda.size(), 1u);
  EXPECT_EQ(oujda[0].household_id, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(oujda[0].batch.member_offsets, (std::vector<std::uint32_t>{0, 2}));
  AsOfFilter algeria;
  algeria.country = "DZ";
  EXPECT_TRUE(ReadAll(kT1, algeria).empty());
  AsOfFilter morocco;
  morocco.country = "MA";
  EXPECT_EQ(ReadAll(kT1, morocco)[0].size(), 2u);
  AsOfFilter one;
  one.household_ids = {2};
  auto just = ReadAll(kT1, one);
  ASSERT_EQ(just.size(), 1u);
  EXPECT_EQ(just[0].household_id, (std::vector<std::int64_t>{2}));
  EXPECT_EQ(just[0].person_id, (std::vector<std::int64_t>{20, 21}));
  auto s = db_->Acquire();
  EXPECT_EQ(HouseholdBatchStore(s, kT1, scope).Count().value_or(-1), 1);
  EXPECT_EQ(HouseholdBatchStore(s, kT1, {}).Count().value_or(-1), 2);
}

// A packed text need not keep person id order (SQLite's aggregate follows its index: a member's later
// version comes last): the reader gives the same columns, payee and derived fields from texts reversed.
TEST_F(CyclesStoreTest, MembersPackedOutOfOrderAreReadInPersonOrder) {
  Registry();
  const auto before = ReadAll(kT1);
  {
    auto s = db_->Acquire();
    std::vector<std::tuple<long long, std::string, std::string>> rows;
    db::ScanRows(s, "SELECT household_id, valid_from, members FROM household_rule_inputs", {},
                 [&](const db::ScanRow& r) { rows.emplace_back(r.Int(0), r.Text(1), r.Text(2)); });
    for (auto& [id, from, members] : rows) {
      std::vector<std::string> each;
      std::string_view rest = members;
      for (std::size_t end; (end = rest.find(registry::kPackedMemberSeparator)) != std::string_view::npos;) {
        each.emplace_back(rest.substr(0, end));
        rest.remove_prefix(end + 1);
      }
      each.emplace_back(rest);
      std::string reversed;
      for (auto it = each.rbegin(); it != each.rend(); ++it) {
        if (!reversed.empty()) reversed += registry::kPackedMemberSeparator;
        reversed += *it;
      }
      s.sql() << "UPDATE household_rule_inputs SET members = :m WHERE household_id = :h AND valid_from = :f",
          soci::use(reversed), soci::use(id), soci::use(from);
    }
  }
  const auto after = ReadAll(kT1);
  ASSERT_EQ(before.size(), 1u);
  ASSERT_EQ(after.size(), 1u);
  const RegistryChunk &a = before[0], &b = after[0];
  EXPECT_EQ(b.person_id, (std::vector<std::int64_t>{10, 11, 12, 20, 21}));
  EXPECT_EQ(b.person_id, a.person_id);
  EXPECT_EQ(b.person_version, a.person_version);
  EXPECT_EQ(b.birth_date_text, a.birth_date_text);
  EXPECT_EQ(b.payee_person_id, a.payee_person_id);
  EXPECT_EQ(b.batch.member_offsets, a.batch.member_offsets);
  for (const auto* columns : {&a.batch.member, &a.batch.household}) {
    const auto& other = columns == &a.batch.member ? b.batch.member : b.batch.household;
    for (const auto& [name, column] : *columns) {
      const rules::InputColumn& read = other.at(name);
      EXPECT_EQ(read.present, column.present) << name;
      EXPECT_EQ(read.ints, column.ints) << name;
      EXPECT_EQ(read.strings, column.strings) << name;
      EXPECT_EQ(read.decimals, column.decimals) << name;
    }
  }
}

TEST_F(CyclesStoreTest, ChunksCoverEveryHouseholdOnce) {
  for (long long id = 1; id <= 23; ++id) {
    HouseholdVersion(id, 1, kT0, kOpen, id % 2 ? kCasablanca : kOujda);
    for (long long k = 0; k < id % 4; ++k) {
      PersonVersion(id * 10 + k, 1, id, kT0, kOpen, {k == 0 ? "head" : "child", "F", "2000-01-01"});
    }
  }
  auto chunks = ReadAll(kT1, {}, 5);
  ASSERT_EQ(chunks.size(), 5u);
  std::vector<std::int64_t> seen;
  std::size_t members = 0;
  for (const auto& c : chunks) {
    EXPECT_LE(c.size(), 5u);
    EXPECT_EQ(c.batch.households, c.size());
    EXPECT_EQ(c.batch.member_offsets.size(), c.size() + 1);
    EXPECT_EQ(M(c, "sex").strings.size(), c.batch.member_offsets.back());
    seen.insert(seen.end(), c.household_id.begin(), c.household_id.end());
    members += c.person_id.size();
  }
  std::vector<std::int64_t> all(23);
  std::iota(all.begin(), all.end(), 1);
  EXPECT_EQ(seen, all);
  EXPECT_EQ(members, 36u);  // the sum of id % 4 over 1..23
}

// A draft ASD cycle of 2026-09 with its cut-off, for the entries to be written to; its id.
long long DraftAsdCycle(db::Session& s, const std::string& cut_off) {
  const std::string generated_at = kT2;
  s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
             "generated_at, generated_by) VALUES ('ASD', '2026-09', :t, 'draft', 'MAD', 'x', :t2, 'test')",
      soci::use(cut_off), soci::use(generated_at);
  long long cycle = 0;
  s.sql() << "SELECT id FROM programme_cycles", soci::into(cycle);
  return cycle;
}

// The ASD entries of `run` computed and written in one transaction, as the cycle's job writes them.
Result<CycleTotals> ComputeAsd(db::Session& s, const CycleRun& run, const CycleProgress& progress = {}) {
  return db::Guard([&]() -> Result<CycleTotals> {
    db::Transaction tx(s);
    auto t = ComputeCycleEntries(s, *programs::FindBuiltin("ASD"), run, progress);
    if (t) tx.Commit();
    return t;
  });
}

TEST_F(CyclesStoreTest, ComputesAndWritesTheCycleEntries) {
  Registry();
  Score(4, 8.5, kT2);
  auto s = db_->Acquire();
  const std::string cut_off = "2026-10-01T00:00:00.000000Z";
  const long long cycle = DraftAsdCycle(s, cut_off);
  CycleRun run{cycle, "2026-09", cut_off, {}, 2};
  std::vector<std::pair<std::int64_t, std::int64_t>> progress;
  auto totals = ComputeAsd(s, run, [&](std::int64_t done, std::int64_t total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(totals) << totals.error().message;
  EXPECT_EQ(totals->considered, 3);
  // Household 1 scores 10.5 then (above the threshold); 2 gets family allowances; 4 (8.5, a lone
  // head) gets the flat 500 DH.
  EXPECT_EQ(totals->eligible, 1);
  EXPECT_EQ(totals->total_minor, 50'000);
  EXPECT_EQ(totals->one_off_total_minor, 0);
  EXPECT_EQ(progress.front(), (std::pair<std::int64_t, std::int64_t>{0, 3}));
  EXPECT_EQ(progress.back(), (std::pair<std::int64_t, std::int64_t>{3, 3}));

  std::map<long long, nlohmann::json> details;
  std::map<long long, long long> amounts, payees;
  db::EachRow(
      s.sql(),
      "SELECT household_id, eligible, amount_minor, payee_person_id, details, household_version, "
      "commune_code FROM cycle_entries WHERE cycle_id = :c",
      [&](soci::statement& st) { st.exchange(soci::use(cycle)); },
      [&](const soci::row& r) {
        const long long h = db::RowInt(r, 0);
        details[h] = nlohmann::json::parse(r.get<std::string>(4));
        amounts[h] = db::RowInt(r, 2);
        payees[h] = db::RowOptInt(r, 3).value_or(0);
        if (h == 1) {
          EXPECT_EQ(db::RowInt(r, 5), 2);
          EXPECT_EQ(r.get<std::string>(6), kOujda);
        }
      });
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(amounts[4], 50'000);
  EXPECT_EQ(payees[2], 20);
  EXPECT_EQ(details[4]["lines"]["program.line.asd.flat"], 50'000);
  EXPECT_EQ(details[4]["inputs"]["members"][0][0], 40);
  EXPECT_FALSE(details[4].contains("reasons"));
  EXPECT_FALSE(details[1].contains("lines"));
  EXPECT_EQ(details[1]["reasons"][0]["code"], "program.reason.index_above_threshold");
  EXPECT_EQ(details[1]["reasons"][0]["params"]["index"], "10.5");
  // The first scored household's model is the cycle's: its entry names none; the entries of households
  // scored by another version name theirs. The household version is the row's column only.
  EXPECT_EQ(totals->score_model, "rsu-illustrative");
  EXPECT_EQ(totals->score_model_version, "2026.2");
  EXPECT_EQ(details[1]["inputs"]["score"], 10.5);
  EXPECT_FALSE(details[1]["inputs"].contains("score_model"));
  EXPECT_FALSE(details[1]["inputs"].contains("score_model_version"));
  EXPECT_EQ(details[2]["inputs"]["score_model"], "rsu-illustrative");
  EXPECT_EQ(details[2]["inputs"]["score_model_version"], "2026.1");
  EXPECT_EQ(details[4]["inputs"]["score_model_version"], "2026.1");
  EXPECT_FALSE(details[1].contains("household_version"));
  // Not eligible by a condition: the reasons and the household inputs, not the members' snapshot.
  EXPECT_FALSE(details[1]["inputs"].contains("members"));
  EXPECT_EQ(details[2]["reasons"][0]["code"], "program.reason.receives_family_allowance");
  EXPECT_EQ(details[2]["inputs"]["receives_family_allowance"], true);
  EXPECT_EQ(details[2]["inputs"]["score"], 8.0);  // scored after T1, before the cut-off
  EXPECT_FALSE(details[2]["inputs"].contains("members"));

  // The members' arrays as an eligible household's snapshot holds them (household 1 read as eligible).
  auto chunks = ReadAll(cut_off);
  ASSERT_EQ(chunks.size(), 1u);
  auto outcome = programs::EvaluateBatch(*programs::FindBuiltin("ASD"), chunks[0].batch, "2026-09");
  ASSERT_TRUE(outcome) << outcome.error().message;
  ASSERT_EQ(chunks[0].household_id[0], 1);
  outcome->eligible[0] = 1;
  auto snapshot = nlohmann::json::parse(EntryDetails(chunks[0], *outcome, {}, 0));
  EXPECT_EQ(snapshot["inputs"]["members"].size(), 4u);
  EXPECT_EQ(snapshot["inputs"]["members"][1],
            nlohmann::json::parse(R"([11, 1, "spouse", "F", "1985", null, null, null])"));
}

// A household whose data did not allow a decision (no score at the cut-off: the index condition is not
// computable) keeps its members' snapshot beside the reason: the missing value is in its data.
TEST_F(CyclesStoreTest, AnUndecidedHouseholdKeepsItsMembers) {
  Registry();  // household 4 is never scored
  auto s = db_->Acquire();
  const std::string cut_off = "2026-10-01T00:00:00.000000Z";
  const long long cycle = DraftAsdCycle(s, cut_off);
  auto totals = ComputeAsd(s, CycleRun{cycle, "2026-09", cut_off, {}, 50});
  ASSERT_TRUE(totals) << totals.error().message;
  std::string text;
  s.sql() << "SELECT details FROM cycle_entries WHERE cycle_id = :c AND household_id = 4", soci::use(cycle),
      soci::into(text);
  auto details = nlohmann::json::parse(text);
  EXPECT_EQ(details["reasons"][0]["code"], "program.reason.not_computable") << text;
  EXPECT_FALSE(details["inputs"].contains("score"));
  ASSERT_EQ(details["inputs"]["members"].size(), 1u) << text;
  EXPECT_EQ(details["inputs"]["members"][0][0], 40);
}

// The read ahead on a second connection (cycles/read_ahead.h) writes the same entries as the read on
// the generating connection, chunk by chunk with the reader held back by its bounded queue; without a
// free connection it reads on the caller's; stopped early, it lets go of its thread and connection.
TEST_F(CyclesStoreTest, ReadAheadWritesTheSameEntriesAsTheInlineRead) {
  Registry();
  Score(4, 8.5, kT2);
  auto s = db_->Acquire();
  const std::string cut_off = "2026-10-01T00:00:00.000000Z";
  const long long cycle = DraftAsdCycle(s, cut_off);
  auto run = [&](bool read_ahead) {
    CycleRun r{cycle, "2026-09", cut_off, {}, 1};
    r.read_ahead = read_ahead;
    auto totals = ComputeAsd(s, r);
    std::map<long long, std::string> entries;
    db::EachRow(
        s.sql(), "SELECT household_id, eligible, amount_minor, details FROM cycle_entries WHERE cycle_id = :c",
        [&](soci::statement& st) { st.exchange(soci::use(cycle)); },
        [&](const soci::row& r) {
          entries[db::RowInt(r, 0)] =
              std::to_string(db::RowInt(r, 1)) + "|" + std::to_string(db::RowInt(r, 2)) + "|" + r.get<std::string>(3);
        });
    s.sql() << "DELETE FROM cycle_entries WHERE cycle_id = :c", soci::use(cycle);
    return std::pair{totals, entries};
  };
  auto [ahead, ahead_entries] = run(true);
  ASSERT_TRUE(ahead) << ahead.error().message;
  EXPECT_TRUE(ahead->read_ahead);  // the pool has a second connection
  auto [inline_read, inline_entries] = run(false);
  ASSERT_TRUE(inline_read) << inline_read.error().message;
  EXPECT_FALSE(inline_read->read_ahead);
  EXPECT_EQ(ahead_entries.size(), 3u);
  EXPECT_EQ(ahead_entries, inline_entries);
  EXPECT_EQ(ahead->total_minor, inline_read->total_minor);
  {
    auto other = db_->Acquire();  // the pool's last connection: nothing free for a reader
    auto [fallback, fallback_entries] = run(true);
    ASSERT_TRUE(fallback) << fallback.error().message;
    EXPECT_FALSE(fallback->read_ahead);
    EXPECT_EQ(fallback_entries, inline_entries);
  }
  auto asd = programs::CompileProgramme(*programs::FindBuiltin("ASD"), "2026-09");
  ASSERT_TRUE(asd) << asd.error().message;
  auto evaluate = [&](const RegistryChunk& c) { return programs::EvaluateBatch(*asd, c.batch); };
  {
    ReadAhead chunks(s, cut_off, {}, 1, evaluate, true, 1);
    ASSERT_TRUE(chunks.threaded());
    auto first = chunks.Next();
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->chunk.size(), 1u);
  }  // destroyed with chunks left unread: the reader stops and gives its connection back
  EXPECT_NE(db_->TryAcquire(), nullptr);
  {
    // A caller slower than the reader: the reader, its queue full, evaluates the queued chunks itself;
    // the caller gets them evaluated as it would have (one household per chunk: 1, 2, 4).
    ReadAhead chunks(s, cut_off, {}, 1, evaluate, true, 2);
    ASSERT_TRUE(chunks.threaded());
    for (int waited = 0; chunks.evaluated_ahead() < 2 && waited < 1000; ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_EQ(chunks.evaluated_ahead(), 2u);
    std::vector<int> eligible;
    for (;;) {
      auto next = chunks.Next();
      ASSERT_TRUE(next) << next.error().message;
      if (next->chunk.size() == 0) break;
      auto expected = programs::EvaluateBatch(*asd, next->chunk.batch);
      ASSERT_TRUE(expected) << expected.error().message;
      EXPECT_EQ(next->outcome.eligible, expected->eligible);
      EXPECT_EQ(next->outcome.monthly_amount, expected->monthly_amount);
      eligible.push_back(next->outcome.eligible[0]);
    }
    EXPECT_EQ(eligible, (std::vector<int>{0, 0, 1}));
    EXPECT_GE(chunks.evaluated_ahead(), 2u);
    EXPECT_GT(chunks.evaluate_ahead_cpu(), 0.0);
  }
}

// The writer of the entries (db::RowWriter): integers stored as integers, NULL and the empty text kept
// apart, texts with quotes, commas and line breaks intact through PostgreSQL's COPY, rows past the COPY
// chunk sent too.
TEST_F(CyclesStoreTest, RowWriterWritesTypedRows) {
  auto s = db_->Acquire();
  s.sql() << "CREATE TABLE row_writer_probe (id BIGINT NOT NULL, n BIGINT, t TEXT)";
  const std::string tricky = "a \"quoted\", comma\nand a line";
  {
    db::Transaction tx(s);  // as the cycle's writer runs: one commit, not one per row
    db::RowWriter w(s, "row_writer_probe", {"id", "n", "t"});
    for (std::int64_t i = 0; i < 100'003; ++i) {
      w.Int(i);
      if (i == 1) {
        w.Null();
        w.Text("");
      } else if (i == 2) {
        w.Int(-9'000'000'000);
        w.Null();
      } else {
        w.Int(i * 2);
        w.Text(i == 0 ? std::string_view(tricky) : std::string_view("x"));
      }
      w.EndRow();
    }
    w.Finish();
    tx.Commit();
  }
  long long rows = 0, sum = 0;
  s.sql() << "SELECT COUNT(*), SUM(n) FROM row_writer_probe", soci::into(rows), soci::into(sum);
  EXPECT_EQ(rows, 100'003);
  EXPECT_EQ(sum, 100'002LL * 100'003 - 2 - 4 - 9'000'000'000LL);  // 2·Σi without rows 1 and 2, plus row 2's
  std::string t0;
  s.sql() << "SELECT t FROM row_writer_probe WHERE id = 0", soci::into(t0);
  EXPECT_EQ(t0, tricky);
  long long empty = 0, nulls = 0;
  s.sql() << "SELECT COUNT(*) FROM row_writer_probe WHERE t = ''", soci::into(empty);
  s.sql() << "SELECT COUNT(*) FROM row_writer_probe WHERE t IS NULL OR n IS NULL", soci::into(nulls);
  EXPECT_EQ(empty, 1);
  EXPECT_EQ(nulls, 2);
  if (s.dialect() == db::Dialect::kSqlite) {
    long long integers = 0;
    s.sql() << "SELECT COUNT(*) FROM row_writer_probe WHERE typeof(n) = 'integer'", soci::into(integers);
    EXPECT_EQ(integers, 100'002);
  }
}

}  // namespace
}  // namespace sanad::cycles
