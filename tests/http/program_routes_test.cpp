// The programmes and their public simulator over HTTP: no account needed, the ASD, AMO and AFS answers
// of docs/domain.md, texts in the request's language, bad input refused naming the member and field, and
// the per-address limit (429 with Retry-After). Each test has its own server: the limit counts per server.
#include <gtest/gtest.h>

#include <tuple>

#include "targeting/test_support.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;

json Member(const std::string& relationship, const std::string& sex, const std::string& birth, const json& extra = {}) {
  json m{{"relationship", relationship}, {"sex", sex}, {"birth_date", birth}};
  if (extra.is_object()) m.update(extra);
  return m;
}

class ProgramsApi : public ::testing::Test {
 protected:
  HttpResponse Simulate(const std::string& code, const json& body, const Headers& headers = {}) {
    return c_.PostJson("/api/v1/programs/" + code + "/simulate", body.dump(), headers);
  }
  TestServer server_;
  HttpClient c_ = server_.Client();
};

TEST_F(ProgramsApi, ListsTheBuiltInProgrammesWithoutAnAccount) {
  auto r = c_.Get("/api/v1/programs");
  ASSERT_EQ(r.status, 200) << r.body;
  const json list = r.Json();
  std::vector<std::string> codes;
  for (const auto& p : list["items"]) codes.push_back(p["code"]);
  EXPECT_EQ(codes, (std::vector<std::string>{"ASD", "AMO_TADAMON", "AMO_ACHAMIL", "AFS"}));
  EXPECT_EQ(list["items"][3]["currency"], "DZD");
}

// domain.md §1.1: a widowed mother and one child of 7 not enrolled in 2026 — 200 DH (rank 1, 6–20 out of
// school), topped up to the 500 DH floor.
TEST_F(ProgramsApi, AsdAnswersLineByLineInTheReadersLanguage) {
  json body{{"period", "2026-03"},
            {"household",
             {{"country", "MA"},
              {"socio_economic_index", 9.61},
              {"receives_family_allowance", false},
              {"members",
               {Member("head", "F", "1980-05-01", {{"marital_status", "widowed"}}),
                Member("child", "M", "2019-02-10", {{"schooling", "not_applicable"}, {"disability_percent", 0}})}}}}};
  auto r = Simulate("ASD", body, {{"Accept-Language", "ar"}});
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  EXPECT_TRUE(j["eligible"]);
  EXPECT_EQ(j["monthly_amount"], 500);
  EXPECT_EQ(j["currency"], "MAD");
  ASSERT_EQ(j["lines"].size(), 2U) << j;
  EXPECT_EQ(j["lines"][0]["code"], "program.line.asd.child_allowance");
  EXPECT_EQ(j["lines"][0]["amount"], 200);
  EXPECT_EQ(j["lines"][1]["code"], "program.line.asd.floor_top_up");
  EXPECT_EQ(j["lines"][1]["amount"], 300);
  EXPECT_NE(j["lines"][0]["label"].get<std::string>().find("الأطفال"), std::string::npos) << j["lines"][0];

  // The same child enrolled in primary school: 300 DH (domain.md §1.1, 2026, rank 1–3 in school).
  body["household"]["members"][1]["schooling"] = "primary";
  EXPECT_EQ(Simulate("ASD", body).Json()["lines"][0]["amount"], 300);

  // Above the threshold: not eligible, with the reason and its figures.
  body["household"]["socio_economic_index"] = 9.9;
  auto refused = Simulate("ASD", body, {{"Accept-Language", "fr"}}).Json();
  EXPECT_FALSE(refused["eligible"]);
  EXPECT_EQ(refused["monthly_amount"], 0);
  ASSERT_EQ(refused["reasons"].size(), 1U) << refused;
  EXPECT_EQ(refused["reasons"][0]["code"], "program.reason.index_above_threshold");
  EXPECT_EQ(refused["reasons"][0]["params"]["threshold"], "9.743001");
  // The text writes it as French does (the parameter keeps the decimal point).
  EXPECT_NE(refused["reasons"][0]["text"].get<std::string>().find("(9,743001)"), std::string::npos) << refused;
}

// domain.md §1.2: AMO Achamil's contribution band (≤ 9.743001 → 176 DH); AMO Tadamon covers at or
// under 9.3264284 with no amount. domain.md §2.3: AFS pays 12,000 DA for a 100 % disability card.
TEST_F(ProgramsApi, AmoAndAfs) {
  json ma{{"period", "2026-01"},
          {"household",
           {{"country", "MA"}, {"socio_economic_index", 9.6}, {"members", {Member("head", "M", "1970-01-01")}}}}};
  auto achamil = Simulate("AMO_ACHAMIL", ma).Json();
  EXPECT_TRUE(achamil["eligible"]) << achamil;
  EXPECT_EQ(achamil["monthly_amount"], 176);
  ma["household"]["socio_economic_index"] = 9.3264284;
  auto tadamon = Simulate("AMO_TADAMON", ma).Json();
  EXPECT_TRUE(tadamon["eligible"]) << tadamon;
  EXPECT_EQ(tadamon["monthly_amount"], 0);

  json dz{{"period", "2026-01"},
          {"household",
           {{"country", "DZ"},
            {"has_proven_income", false},
            {"members", {Member("head", "M", "1970-01-01", {{"disability_percent", 100}, {"able_to_work", false}})}}}}};
  auto afs = Simulate("AFS", dz).Json();
  EXPECT_TRUE(afs["eligible"]) << afs;
  EXPECT_EQ(afs["monthly_amount"], 12000);
  EXPECT_EQ(afs["currency"], "DZD");
}

// A valid request to start bad ones from.
json ValidAsdRequest() {
  return json{{"period", "2026-03"},
              {"household", {{"country", "MA"}, {"members", {Member("head", "F", "1980-05-01")}}}}};
}

// (At most 10 requests a test: the per-address burst.)
TEST_F(ProgramsApi, BadInputNamesTheMemberAndField) {
  const json ok = ValidAsdRequest();
  struct Case {
    std::string what;
    json body;
    std::string field;
  };
  std::vector<Case> cases;
  json b = ok;
  b["household"]["members"][0]["relationship"] = "chef";
  cases.push_back({"relationship outside the vocabulary", b, "household.members[0].relationship"});
  b = ok;
  b["household"]["members"].push_back(Member("child", "X", "2015-01-01"));
  cases.push_back({"sex", b, "household.members[1].sex"});
  b = ok;
  b["household"]["members"][0]["birth_date"] = "1980-13-01";
  cases.push_back({"birth date", b, "household.members[0].birth_date"});
  b = ok;
  b["household"]["members"] = json::array();
  cases.push_back({"no members", b, "household.members"});
  b = ok;
  b["household"]["members"] = json::array();
  for (int i = 0; i < 31; ++i) b["household"]["members"].push_back(Member("other", "M", "1990-01-01"));
  cases.push_back({"too many members", b, "household.members"});
  b = ok;
  b["household"]["country"] = "FR";
  cases.push_back({"country", b, "household.country"});
  b = ok;
  b["household"]["socio_economic_index"] = "low";
  cases.push_back({"index type", b, "household.socio_economic_index"});
  b = ok;
  b["household"]["members"][0]["salary"] = 1;
  cases.push_back({"unknown member field", b, "household.members[0].salary"});
  b = ok;
  b.erase("household");
  cases.push_back({"no household", b, "household"});
  for (const auto& c : cases) {
    auto r = Simulate("ASD", c.body);
    EXPECT_EQ(r.status, 400) << c.what << ": " << r.body;
    EXPECT_EQ(r.Json()["error"].value("field", ""), c.field) << c.what << ": " << r.body;
  }
}

// A household has exactly one head, as the registry holds it, and a member born after the period is not
// in it yet. Both were simulated as given (the latter as a household without children: a flat 500 DH).
TEST_F(ProgramsApi, AHouseholdHasOneHeadAndNoMemberBornAfterThePeriod) {
  const json ok = ValidAsdRequest();
  json none = ok;
  none["household"]["members"][0]["relationship"] = "spouse";
  json two = ok;
  two["household"]["members"].push_back(Member("head", "M", "1975-01-01"));
  json unborn = ok;
  unborn["household"]["members"].push_back(Member("child", "F", "2026-04-01"));
  for (const auto& [what, body, field, reason] :
       {std::tuple{"no head", none, "household.members", "household.one_head"},
        std::tuple{"two heads", two, "household.members", "household.one_head"},
        std::tuple{"born after the period", unborn, "household.members[1].birth_date", "field.after_period"}}) {
    auto r = Simulate("ASD", body, {{"Accept-Language", "fr"}});
    EXPECT_EQ(r.status, 400) << what << ": " << r.body;
    EXPECT_EQ(r.Json()["error"].value("field", ""), field) << what << ": " << r.body;
    EXPECT_EQ(r.Json()["error"].value("reason", ""), reason) << what << ": " << r.body;
  }
  // Born during the period's month is in it (a birth the period's grants may count).
  json born = ok;
  born["household"]["members"].push_back(Member("child", "F", "2026-03-31"));
  EXPECT_EQ(Simulate("ASD", born).status, 200);
}

TEST_F(ProgramsApi, BadPeriodUnknownProgrammeAndMalformedJson) {
  const json ok = ValidAsdRequest();
  auto period = Simulate("ASD", json{{"period", "2026-13"}, {"household", ok["household"]}});
  EXPECT_EQ(period.status, 400) << period.body;
  EXPECT_EQ(Simulate("NOPE", ok).status, 404);
  // The message names the field by its label in the reader's language; `field` says which member.
  json bad_date = ok;
  bad_date["household"]["members"][0]["birth_date"] = "2019-02-30";
  auto date = Simulate("ASD", bad_date, {{"Accept-Language", "fr"}});
  EXPECT_EQ(date.status, 400) << date.body;
  EXPECT_EQ(date.Json()["error"]["field"], "household.members[0].birth_date");
  EXPECT_NE(date.Json()["error"]["message"].get<std::string>().find("Date de naissance"), std::string::npos)
      << date.body;
  // The form is right and the day does not exist: the text says both (it said only "AAAA-MM-JJ").
  EXPECT_NE(date.Json()["error"]["message"].get<std::string>().find("une date qui existe"), std::string::npos)
      << date.body;
  EXPECT_EQ(c_.PostJson("/api/v1/programs/ASD/simulate", "{\"period\":", {}).status, 400);
}

TEST_F(ProgramsApi, TooManySimulationsFromOneAddressAnswer429WithRetryAfter) {
  json body{{"period", "2026-03"},
            {"household", {{"country", "MA"}, {"members", {Member("head", "F", "1980-05-01")}}}}};
  int ok = 0;
  HttpResponse last;
  for (int i = 0; i < 12; ++i) {
    last = Simulate("ASD", body);
    if (last.status == 200) ++ok;
  }
  EXPECT_EQ(ok, 10);  // the burst
  EXPECT_EQ(last.status, 429) << last.body;
  EXPECT_EQ(last.Json()["error"]["reason"], "request.rate_limited");
  ASSERT_TRUE(last.Header("retry-after"));
  EXPECT_GE(std::stoi(*last.Header("retry-after")), 1);
  // The list of programmes is not limited.
  EXPECT_EQ(c_.Get("/api/v1/programs").status, 200);
}

// A server whose active score model is the hand model (targeting/test_support.h).
class ProgramsApiWithModel : public ::testing::Test {
 protected:
  static TestServerOptions Options() {
    TestServerOptions options;
    options.score_model = *targeting::ParseModel(targeting::testing::kHandModel);
    return options;
  }
  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
};

// Without an index, the active model computes it from the household's answers and members (hand model,
// targeting/test_support.h; urban, MA-03, a mother and a child of 7 in March 2026, 20 DH of electricity):
// 9.825 + 0.12 − 0.138·2 + 0.00469·4 + 0.000755·20·12/2 − 0.25·1/2 = 9.65336, under the ASD threshold.
TEST_F(ProgramsApiWithModel, TheActiveModelComputesAMissingIndexAndNamesWhatItLacks) {
  json body{{"period", "2026-03"},
            {"household",
             {{"country", "MA"},
              {"receives_family_allowance", false},
              {"variables",
               {{"area_type", "urban"},
                {"region", "MA-03"},
                {"spend_electricity", 20},
                {"dwelling_type", "apartment"},
                {"has_car", false}}},
              {"members",
               {Member("head", "F", "1980-05-01", {{"marital_status", "widowed"}}),
                Member("child", "M", "2019-02-10", {{"schooling", "primary"}})}}}}};
  auto r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  json j = r.Json();
  EXPECT_EQ(j["socio_economic_index"]["source"], "model") << j;
  EXPECT_EQ(j["socio_economic_index"]["model"], "test");
  EXPECT_EQ(j["socio_economic_index"]["model_version"], "1");
  EXPECT_NEAR(j["socio_economic_index"]["value"].get<double>(), 9.65336, 1e-9) << j;
  EXPECT_TRUE(j["eligible"]) << j;
  EXPECT_EQ(j["monthly_amount"], 500);

  // An index given wins over the answers.
  body["household"]["socio_economic_index"] = 9.9;
  j = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump()).Json();
  EXPECT_EQ(j["socio_economic_index"], (json{{"value", 9.9}, {"source", "request"}}));
  EXPECT_FALSE(j["eligible"]);

  // Too few answers: no index, and a reason naming what is missing, in the reader's language.
  body["household"].erase("socio_economic_index");
  body["household"]["variables"] = {{"area_type", "urban"}, {"has_car", false}};
  r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump(), {{"Accept-Language", "fr"}});
  ASSERT_EQ(r.status, 200) << r.body;
  j = r.Json();
  EXPECT_EQ(j["socio_economic_index"]["source"], "none");
  EXPECT_TRUE(j["socio_economic_index"]["value"].is_null());
  EXPECT_EQ(j["socio_economic_index"]["missing"], (json{"region", "spend_electricity", "dwelling_type"})) << j;
  EXPECT_FALSE(j["eligible"]);
  ASSERT_GE(j["reasons"].size(), 1U);
  EXPECT_EQ(j["reasons"][0]["code"], "program.reason.index_inputs_missing");
  EXPECT_EQ(j["reasons"][0]["params"]["variables"], "region, spend_electricity, dwelling_type");
  // The variables by their labels in the reader's language (they were listed as region, spend_electricity…).
  EXPECT_EQ(j["reasons"][0]["text"],
            "L'indice socio-économique ne peut être calculé : il manque aux réponses du ménage Région, Dépense "
            "d'électricité, Type de logement.")
      << j["reasons"][0];

  // Bad answers are refused naming the variable.
  body["household"]["variables"] = {{"dwelling_type", "castle"}};
  r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["field"], "household.variables.dwelling_type") << r.body;
  body["household"]["variables"] = {{"household_size", 4}};
  r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["error"]["field"], "household.variables.household_size") << r.body;
  // A number outside the registry's range for the field is said to be so, with the range: "must be a
  // number" for -3 rooms was not true.
  for (const auto& [name, value, max] : {std::tuple{"rooms", json(-3), "50"}, std::tuple{"rooms", json(51), "50"},
                                         std::tuple{"spend_electricity", json(1e308), "1000000"}}) {
    body["household"]["variables"] = {{name, value}};
    r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump());
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.Json()["error"]["reason"], "field.out_of_range") << r.body;
    EXPECT_EQ(r.Json()["error"]["params"], (json{{"field", name}, {"min", "0"}, {"max", max}})) << r.body;
  }
  body["household"]["variables"] = {{"rooms", "three"}};
  r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump());
  EXPECT_EQ(r.Json()["error"]["reason"], "field.not_number") << r.body;
}

// The region of the answers is a region of the reference data, of the household's country: "ZZ-99" was
// scored without its regional effect, as if it were any other region.
TEST_F(ProgramsApiWithModel, TheRegionIsARegionOfTheHouseholdsCountry) {
  json body{{"period", "2026-03"},
            {"household",
             {{"country", "MA"},
              {"variables", {{"area_type", "urban"}, {"spend_electricity", 20}, {"dwelling_type", "apartment"}}},
              {"members", {Member("head", "F", "1980-05-01")}}}}};
  for (const std::string region : {"ZZ-99", "MA-99", "MA-03.231", "DZ-16"}) {
    body["household"]["variables"]["region"] = region;
    auto r = c_.PostJson("/api/v1/programs/ASD/simulate", body.dump(), {{"Accept-Language", "fr"}});
    EXPECT_EQ(r.status, 400) << region << ": " << r.body;
    EXPECT_EQ(r.Json()["error"]["reason"], "field.not_a_region") << region << ": " << r.body;
    EXPECT_EQ(r.Json()["error"]["field"], "household.variables.region") << region << ": " << r.body;
  }
  body["household"]["variables"]["region"] = "MA-03";
  EXPECT_EQ(c_.PostJson("/api/v1/programs/ASD/simulate", body.dump()).status, 200);
  // Algeria's regions are its wilayas (the top of its hierarchy, called provinces there), not a commune.
  body["household"]["country"] = "DZ";
  body["household"]["variables"]["region"] = "DZ-16";
  EXPECT_EQ(c_.PostJson("/api/v1/programs/AFS/simulate", body.dump()).status, 200);
  body["household"]["variables"]["region"] = "DZ-1607";
  EXPECT_EQ(c_.PostJson("/api/v1/programs/AFS/simulate", body.dump()).status, 400);
}

// Without a model the index stays unknown: the programme's own reason says eligibility cannot be decided.
TEST_F(ProgramsApi, WithoutAModelAMissingIndexStaysUnknown) {
  json body{
      {"period", "2026-03"},
      {"household",
       {{"country", "MA"}, {"variables", {{"area_type", "urban"}}}, {"members", {Member("head", "F", "1980-05-01")}}}}};
  auto j = Simulate("ASD", body).Json();
  EXPECT_EQ(j["socio_economic_index"], (json{{"value", nullptr}, {"source", "none"}})) << j;
  EXPECT_EQ(j["reasons"][0]["code"], "program.reason.not_computable") << j;
}

}  // namespace
}  // namespace sanad::testing
