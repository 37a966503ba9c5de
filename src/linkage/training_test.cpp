#include "linkage/training.h"

#include <gtest/gtest.h>

#include <random>

#include "linkage/engine.h"
#include "linkage/presets.h"
#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::RowOf;

// 600 persons, a third registered twice with small variations (spelling, date swap, missing id).
struct Data {
  RecordStore store;
  std::vector<int> person;  // by row
};

Data MakeData() {
  const char* given[] = {"Mohamed", "Ahmed",  "Youssef", "Fatima", "Khadija", "Rachid", "Karim", "Samira",
                         "Omar",    "Hanane", "Nabil",   "Salma",  "Imane",   "Amine",  "Hamza", "Bilal"};
  const char* given_var[] = {"Mohammed", "Ahmad", "Youcef", "Fatma", "Khadidja", "Rashid", "Kareem", "Smira",
                             "Umar",     "Hanan", "Nabeel", "Selma", "Iman",     "Amin",   "Hamsa",  "Bilel"};
  const char* family[] = {"Alaoui", "Benali",  "Tazi",    "Saidi",   "Haddad",   "Mansouri", "Brahimi",
                          "Cherif", "Kettani", "Filali",  "Naciri",  "Lahlou",   "Meziane",  "Hamidi",
                          "Kaci",   "Rahmani", "Bennani", "Berrada", "Zerouali", "Slaoui"};
  std::mt19937 rng(7);
  std::vector<RawRecord> rows;
  std::vector<int> person_of_input;
  for (int p = 0; p < 600; ++p) {
    const int g = static_cast<int>(rng() % 16), f = static_cast<int>(rng() % 20);
    const int y = 1950 + static_cast<int>(rng() % 60), m = 1 + static_cast<int>(rng() % 12),
              d = 1 + static_cast<int>(rng() % 28);
    const std::string id = "AB" + std::to_string(100000 + p * 37);
    const std::string date = std::to_string(y) + "-" + (m < 10 ? "0" : "") + std::to_string(m) + "-" +
                             (d < 10 ? "0" : "") + std::to_string(d);
    rows.push_back(Make("p" + std::to_string(p), {{InField::kGivenLat, given[g]},
                                                  {InField::kFamilyLat, family[f]},
                                                  {InField::kBirthDate, date},
                                                  {InField::kNationalId, id},
                                                  {InField::kCommune, "01.511.01.0" + std::to_string(p % 9)}}));
    person_of_input.push_back(p);
    if (p % 3 == 0) {
      const std::string date2 = rng() % 4 == 0 && d <= 12
                                    ? std::to_string(y) + "-" + (d < 10 ? "0" : "") + std::to_string(d) + "-" +
                                          (m < 10 ? "0" : "") + std::to_string(m)
                                    : date;
      rows.push_back(
          Make("p" + std::to_string(p) + "dup", {{InField::kGivenLat, rng() % 2 ? given_var[g] : given[g]},
                                                 {InField::kFamilyLat, family[f]},
                                                 {InField::kBirthDate, date2},
                                                 {InField::kNationalId, rng() % 2 ? id : ""},
                                                 {InField::kCommune, "01.511.01.0" + std::to_string(p % 9)}}));
      person_of_input.push_back(p);
    }
  }
  Data data{testing::Store(rows), {}};
  for (std::uint32_t r = 0; r < data.store.size(); ++r)
    data.person.push_back(person_of_input[data.store.InputIndex(r)]);
  return data;
}

TEST(Training, LearnsThatAgreementIsEvidenceOfAMatch) {
  const auto data = MakeData();
  const auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, data.store);
  EngineOptions opt;
  opt.u_sample_pairs = 50000;
  auto r = RunEngine(data.store, spec, std::nullopt, opt);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const Model& m = r->model;
  ASSERT_TRUE(r->trained);
  // λ near the truth: 200 duplicate pairs among 800·799/2.
  const double truth = 200.0 / (800.0 * 799 / 2);
  EXPECT_GT(m.lambda(), truth / 4);
  EXPECT_LT(m.lambda(), truth * 4);
  for (std::size_t c = 0; c < m.comparisons().size(); ++c) {
    SCOPED_TRACE(m.comparisons()[c].name);
    EXPECT_GT(m.m(c, 1), m.u(c, 1));  // exact agreement: more likely among matches
    const int last = LevelCount(m.comparisons()[c].kind);
    EXPECT_LT(m.m(c, last), m.u(c, last));  // "else": more likely among non-matches
  }
  EXPECT_FALSE(r->training.passes.empty());
  // The clusters recover the persons: pairwise precision and recall above 0.9.
  std::uint64_t tp = 0, predicted = 0, truth_pairs = 200;
  for (std::uint32_t a = 0; a < data.store.size(); ++a)
    for (std::uint32_t b = a + 1; b < data.store.size(); ++b)
      if (r->clustering.cluster_of[a] == r->clustering.cluster_of[b]) {
        ++predicted;
        tp += data.person[a] == data.person[b];
      }
  EXPECT_GT(static_cast<double>(tp) / predicted, 0.9);
  EXPECT_GT(static_cast<double>(tp) / truth_pairs, 0.9);
}

TEST(Training, ComparisonsUsedByABlockingRuleAreLeftOutOfItsPass) {
  ModelSpec spec;
  spec.comparisons = {{"given_name", CompareKind::kName, Col::kGivenLat, false},
                      {"birth_date", CompareKind::kDate, Col::kSex, false},
                      {"commune", CompareKind::kCommune, Col::kCommune, false}};
  const BlockingRule rule{"given_key+year",
                          {{KeyPartKind::kColumn, Col::kGivenKey}, {KeyPartKind::kBirthYear, Col::kGivenKey}}};
  EXPECT_EQ(ComparisonsUsedBy(spec, rule), (std::vector<bool>{true, true, false}));
}

TEST(ModelJson, RoundTrips) {
  Model m(
      {{"given_name", CompareKind::kName, Col::kGivenLat, true}, {"birth_date", CompareKind::kDate, Col::kSex, false}});
  m.set_lambda(0.001);
  m.set_m(0, 1, 0.8);
  m.set_u(0, 1, 0.01);
  m.Finalize();
  auto back = Model::FromJson(m.ToJson());
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_DOUBLE_EQ(back->lambda(), 0.001);
  EXPECT_DOUBLE_EQ(back->m(0, 1), 0.8);
  EXPECT_DOUBLE_EQ(back->u(0, 1), 0.01);
  EXPECT_TRUE(back->comparisons()[0].term_frequency);
  EXPECT_EQ(back->comparisons()[1].kind, CompareKind::kDate);
}

TEST(ModelJson, RejectsBadContentNamingTheField) {
  EXPECT_FALSE(Model::FromJson("not json").has_value());
  const auto wrong = Model::FromJson(R"({"format":"sanad-linkage-model/1","probability_two_random_records_match":0.1,
      "comparisons":[{"name":"x","kind":"nonsense","column":"given_lat","levels":[]}]})");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().field, "/comparisons/0/kind");
  const auto lambda = Model::FromJson(R"({"format":"sanad-linkage-model/1","probability_two_random_records_match":2,
      "comparisons":[{"name":"x","kind":"exact","column":"sex","levels":[{"m":0.9,"u":0.5},{"m":0.1,"u":0.5}]}]})");
  ASSERT_FALSE(lambda.has_value());
  EXPECT_EQ(lambda.error().field, "/probability_two_random_records_match");
}

TEST(ModelExplain, FieldContributionsAddUpToTheWeight) {
  const auto s = testing::Store({Make("a", {{InField::kGivenLat, "Karim"}, {InField::kBirthDate, "1980-05-12"}}),
                                 Make("b", {{InField::kGivenLat, "Kareem"}, {InField::kBirthDate, "1980-12-05"}})});
  Model m(
      {{"given_name", CompareKind::kName, Col::kGivenLat, true}, {"birth_date", CompareKind::kDate, Col::kSex, false}});
  m.set_lambda(0.01);
  m.Finalize();
  const auto a = RowOf(s, "a"), b = RowOf(s, "b");
  const auto e = m.Explain(s, a, b);
  double sum = e.prior_log2;
  for (const auto& f : e.fields) sum += f.log2_bf + f.tf_adjustment;
  EXPECT_NEAR(sum, e.weight, 1e-9);
  const std::vector<ComparisonSpec> specs = m.comparisons();
  EXPECT_NEAR(m.Weight(s, ComputeGamma(s, specs, a, b), a, b), e.weight, 1e-9);
  EXPECT_EQ(e.fields[1].label, "day/month swapped");
}

}  // namespace
}  // namespace sanad::linkage

namespace sanad::linkage {
namespace {

// Past the memory budget the engine enumerates twice instead of storing vectors; the result must not change.
TEST(Engine, OverBudgetModeGivesTheSameClusters) {
  const auto data = MakeData();
  const auto spec = DefaultSpec(Preset::kSanad, LinkType::kDedupe, data.store);
  EngineOptions opt;
  opt.u_sample_pairs = 20000;
  auto stored = RunEngine(data.store, spec, std::nullopt, opt);
  opt.max_stored_pairs = 10;
  auto streamed = RunEngine(data.store, spec, std::nullopt, opt);
  ASSERT_TRUE(stored.has_value() && streamed.has_value());
  EXPECT_FALSE(stored->pairs_over_budget);
  EXPECT_TRUE(streamed->pairs_over_budget);
  EXPECT_EQ(stored->candidate_pairs, streamed->candidate_pairs);
  EXPECT_EQ(stored->clustering.cluster_of, streamed->clustering.cluster_of);
  EXPECT_NEAR(stored->model.m(0, 1), streamed->model.m(0, 1), 1e-9);
  // A saved model reused as is gives the same clusters again (the `--model FILE` path).
  auto reused = RunEngine(data.store, spec, stored->model, EngineOptions{});
  ASSERT_TRUE(reused.has_value());
  EXPECT_FALSE(reused->trained);
  EXPECT_EQ(reused->clustering.cluster_of, stored->clustering.cluster_of);
}

}  // namespace
}  // namespace sanad::linkage
