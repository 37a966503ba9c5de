#include "targeting/model.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace sanad::targeting {
namespace {

std::vector<Problem> ProblemsOf(std::string_view json) {
  auto m = ParseModel(json);
  EXPECT_FALSE(m.has_value()) << json;
  if (m) return {};
  EXPECT_EQ(m.error().reason, "score_model.invalid");
  return m.error().problems;
}

bool Has(const std::vector<Problem>& ps, std::string_view reason, std::string_view path) {
  return std::any_of(ps.begin(), ps.end(), [&](const Problem& p) { return p.reason == reason && p.field == path; });
}

TEST(Model, VariablesAreDeclaredInEnumOrder) {
  for (std::size_t i = 0; i < Variables().size(); ++i) {
    EXPECT_EQ(static_cast<std::size_t>(Variables()[i].variable), i) << Variables()[i].name;
    EXPECT_EQ(VariableNamed(Variables()[i].name), Variables()[i].variable);
  }
}

TEST(Model, TheShippedIllustrativeModelLoads) {
  auto m = LoadModel(std::string(SANAD_SOURCE_ROOT) + "/data/models/rsu-illustrative-2026.json");
  ASSERT_TRUE(m.has_value()) << m.error().reason;
  EXPECT_EQ(m->name, "rsu-illustrative");
  EXPECT_EQ(m->version, "2026.1");
  EXPECT_DOUBLE_EQ(m->intercept_urban, 9.825);
  EXPECT_EQ(m->region_effects.size(), 12u);
  EXPECT_GT(m->terms.size(), 20u);
}

TEST(Model, RegionIsTheCommuneCodeUpToTheFirstDot) {
  EXPECT_EQ(RegionOfCommune("MA-03.231.01.03"), "MA-03");
  EXPECT_EQ(RegionOfCommune("MA-06.141.01.0"), "MA-06");
  EXPECT_EQ(RegionOfCommune("MA-06"), "MA-06");
}

TEST(Model, ReportsMissingPartsAtTheirPath) {
  auto ps = ProblemsOf(R"({"model":"m","terms":[],"intercept":{"urban":9.8}})");
  EXPECT_TRUE(Has(ps, "score_model.missing", "/version"));
  EXPECT_TRUE(Has(ps, "score_model.missing", "/intercept/rural"));
  ps = ProblemsOf(R"({"model":"m","version":"1","terms":[]})");
  EXPECT_TRUE(Has(ps, "score_model.missing", "/intercept"));
}

TEST(Model, ReportsWrongTypesAndUnknownKeys) {
  auto ps = ProblemsOf(R"({"model":1,"version":"1","intercept":{"urban":"9.8","rural":9},
    "terms":{}, "threshold": 9.7})");
  EXPECT_TRUE(Has(ps, "score_model.not_text", "/model"));
  EXPECT_TRUE(Has(ps, "score_model.not_number", "/intercept/urban"));
  EXPECT_TRUE(Has(ps, "score_model.not_array", "/terms"));
  EXPECT_TRUE(Has(ps, "score_model.unknown_key", "/threshold"));
}

TEST(Model, ReportsEveryBadTermAtItsIndex) {
  auto ps = ProblemsOf(R"({"model":"m","version":"1","intercept":{"urban":9.8,"rural":9.6},
    "region_effects":{"MA-03":0.1,"MA-03.231":0.2,"MA-04":"x"},
    "terms":[
      {"variable":"household_size","coefficient":-0.1},
      {"variable":"income","coefficient":1},
      {"variable":"has_car"},
      {"variable":"dwelling_type","coefficient":0.4},
      {"variable":"dwelling_type","category":"castle","coefficient":0.4},
      {"variable":"has_car","category":"yes","coefficient":0.3},
      {"variable":"has_car","per":"per_capita","coefficient":0.3},
      {"variable":"rooms","per":"annual_per_capita","coefficient":0.3},
      {"variable":"rooms","per":"weekly","coefficient":0.3},
      {"variable":"rooms","area":"suburban","coefficient":0.3},
      {"variable":"household_size","coefficient":-0.2},
      42
    ]})");
  EXPECT_TRUE(Has(ps, "score_model.not_region", "/region_effects/MA-03.231"));
  EXPECT_TRUE(Has(ps, "score_model.not_number", "/region_effects/MA-04"));
  EXPECT_TRUE(Has(ps, "score_model.unknown_variable", "/terms/1/variable"));
  EXPECT_TRUE(Has(ps, "score_model.missing", "/terms/2/coefficient"));
  EXPECT_TRUE(Has(ps, "score_model.category_required", "/terms/3/category"));
  EXPECT_TRUE(Has(ps, "score_model.unknown_category", "/terms/4/category"));
  EXPECT_TRUE(Has(ps, "score_model.category_not_allowed", "/terms/5/category"));
  EXPECT_TRUE(Has(ps, "score_model.per_not_allowed", "/terms/6/per"));
  EXPECT_TRUE(Has(ps, "score_model.per_not_allowed", "/terms/7/per"));
  EXPECT_TRUE(Has(ps, "score_model.unknown_per", "/terms/8/per"));
  EXPECT_TRUE(Has(ps, "score_model.unknown_area", "/terms/9/area"));
  EXPECT_TRUE(Has(ps, "score_model.duplicate_term", "/terms/10"));
  EXPECT_TRUE(Has(ps, "score_model.not_object", "/terms/11"));
  EXPECT_EQ(ps.size(), 13u);
  // Each problem carries its path as a message parameter too.
  EXPECT_EQ(ps[0].params.front().first, "path");
}

// Every number of a model is at most kMaxModelNumber in magnitude: with the registry's bounded variables
// each score is then finite. 1e308 parses as a double, and gave scores of -inf that eligibility read as
// the poorest households (or NaN on PostgreSQL).
TEST(Model, RefusesNumbersPastTheBoundAtTheirPath) {
  auto ps = ProblemsOf(R"({"model":"m","version":"1","intercept":{"urban":-1e308,"rural":9.6},
    "region_effects":{"MA-03":1000001,"MA-04":-1000000},
    "terms":[{"variable":"household_size","coefficient":1e308},{"variable":"rooms","coefficient":-0.5}]})");
  EXPECT_TRUE(Has(ps, "score_model.number_out_of_range", "/intercept/urban"));
  EXPECT_TRUE(Has(ps, "score_model.number_out_of_range", "/region_effects/MA-03"));
  EXPECT_TRUE(Has(ps, "score_model.number_out_of_range", "/terms/0/coefficient"));
  EXPECT_EQ(ps.size(), 3u) << "-1000000 and the others are within the bound";
  for (const auto& p : ps) {
    EXPECT_EQ(p.params, (MessageParams{{"path", p.field}, {"max", "1000000"}})) << p.field;
  }
}

// A regional effect's code must be a region the caller knows (its reference areas): every code that is
// not is named at its path; the caller's own error (a database that cannot be read) is passed on.
TEST(Model, RegionalEffectsNameKnownRegions) {
  auto m = ParseModel(R"({"model":"m","version":"1","intercept":{"urban":1.0,"rural":1.0},
    "region_effects":{"MA-03":0.1,"MA-3":0.2,"MA-99":0.3},"terms":[]})");
  ASSERT_TRUE(m) << m.error().reason;
  auto known = [](const std::string& code) -> Result<bool> { return code == "MA-03"; };
  auto st = CheckRegions(*m, known);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().reason, "score_model.invalid");
  ASSERT_EQ(st.error().problems.size(), 2u);
  EXPECT_EQ(st.error().problems[0].reason, "score_model.unknown_region");
  EXPECT_EQ(st.error().problems[0].field, "/region_effects/MA-3");
  EXPECT_EQ(st.error().problems[1].field, "/region_effects/MA-99");
  EXPECT_TRUE(CheckRegions(*m, [](const std::string&) -> Result<bool> { return true; }));
  auto broken = CheckRegions(*m, [](const std::string&) -> Result<bool> { return Failure(Code::kInternal, "x"); });
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, Code::kInternal);
}

TEST(Model, RefusesTextThatIsNotJson) {
  auto m = ParseModel("{\"model\": ");
  ASSERT_FALSE(m.has_value());
  // Where the text stops being JSON, as the API's own reader says it of a request.
  EXPECT_EQ(m.error().reason, "score_model.malformed_at");
  EXPECT_EQ(m.error().params, (MessageParams{{"position", "11"}}));  // past the end
  auto middle = ParseModel("{\"model\": \"m\",, \"version\": \"1\"}");
  ASSERT_FALSE(middle.has_value());
  EXPECT_EQ(middle.error().params, (MessageParams{{"position", "15"}}));
  auto f = LoadModel("/nonexistent/model.json");
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().reason, "file.cannot_open");
}

}  // namespace
}  // namespace sanad::targeting
