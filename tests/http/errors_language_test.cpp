// Errors in the client's language (Accept-Language), on SQLite and PostgreSQL: the sign-in route and
// the size refusals carry a code and speak the client's language, and a form with several bad fields
// reports every problem at once, each with its code and a text without English in it.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "errors_fixture.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

TEST_F(Errors, ErrorsAreRenderedInTheLanguageTheClientAsksFor) {
  auto c = server_->Client();
  auto ar = c.Get("/api/v1/households/1", {{"Accept-Language", "ar-MA,ar;q=0.9,fr;q=0.5"}});
  auto fr = c.Get("/api/v1/households/1", {{"Accept-Language", "fr-FR,fr;q=0.9"}});
  auto none = c.Get("/api/v1/households/1");
  EXPECT_EQ(ar.status, 401);
  EXPECT_EQ(ar.Json()["error"]["message"], "يرجى تسجيل الدخول.") << ar.body;
  EXPECT_EQ(ar.Header("content-language"), std::optional<std::string>("ar"));
  EXPECT_EQ(fr.Json()["error"]["message"], "Veuillez vous connecter.") << fr.body;
  // API clients without a preference keep the detailed English text.
  EXPECT_EQ(none.Header("content-language"), std::optional<std::string>("en"));
  EXPECT_EQ(none.Json()["error"]["code"], "unauthenticated");
}

TEST_F(Errors, SignInRouteAndSizeRefusalsCarryACodeAndSpeakTheClientsLanguage) {
  auto c = server_->Client();
  const Headers fr{{"Accept-Language", "fr-FR"}};
  auto login =
      c.PostJson("/api/v1/auth/login", R"({"username": "personne", "password": "pas-le-bon-mot-de-passe"})", fr);
  EXPECT_EQ(login.status, 401);
  EXPECT_EQ(login.Json()["error"]["reason"], "login.failed");
  EXPECT_EQ(login.Json()["error"]["message"], "Nom d'utilisateur inconnu ou mot de passe erroné.") << login.body;

  Headers bad_token = fr;
  bad_token.emplace_back("Authorization", "Bearer not-a-token-anyone-issued");
  auto unknown = c.Get("/api/v1/auth/me", bad_token);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(unknown.Json()["error"]["reason"], "session.unknown");
  EXPECT_EQ(unknown.Json()["error"]["message"], "Session inconnue ; veuillez vous reconnecter.");

  auto nowhere = c.Get("/api/v1/nowhere", {{"Accept-Language", "ar"}});
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(nowhere.Json()["error"]["reason"], "route.not_found");
  EXPECT_EQ(nowhere.Json()["error"]["params"]["path"], "/api/v1/nowhere");
  EXPECT_EQ(nowhere.Json()["error"]["message"], "لا يوجد مسار \u2068GET\u2069 \u2068/api/v1/nowhere\u2069.");

  auto method = c.Request("PUT", "/api/v1/households/1", "{}", fr);
  EXPECT_EQ(method.status, 405);
  EXPECT_EQ(method.Json()["error"]["reason"], "route.method_not_allowed");
  EXPECT_EQ(method.Json()["error"]["params"]["allowed"], "GET");

  auto big = c.PostJson("/api/v1/benefits", "{\"reference\": \"" + std::string(9000, 'x') + "\"}", fr);
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.Json()["error"]["reason"], "request.too_large");
  EXPECT_EQ(big.Json()["error"]["params"]["max"], "8192");
  EXPECT_EQ(big.Json()["error"]["message"].get<std::string>().find("octets") != std::string::npos, true) << big.body;
}

TEST_F(Errors, AHouseholdFormWithSeveralBadFieldsReportsEveryOneOfThemAtOnce) {
  auto c = server_->Client();
  Headers h = Bearer(*agent_);
  h.emplace_back("Accept-Language", "fr");
  const Json body = Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "MA-03.231.01.03", "urban": "peut-être", "rooms": 99, "gps_lat": 123.5,
                    "ref": "H000000001", "colour": "blue"},
      "members": [{"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M",
                   "birth_date": "1970-03-02"}]}})");
  auto r = c.PostJson("/api/v1/change-requests", body.dump(), h);
  ASSERT_EQ(r.status, 400) << r.body;
  const Json e = r.Json()["error"];
  EXPECT_EQ(e["reason"], "form.invalid");
  std::set<std::string> fields;
  for (const auto& p : e["problems"]) {
    fields.insert(p["field"].get<std::string>());
    const std::string text = p["message"].get<std::string>();
    EXPECT_FALSE(text.empty());
    for (const char* english : {" the ", " must ", " is ", "required", "unknown"})
      EXPECT_EQ(text.find(english), std::string::npos) << "English in a French answer: " << text;
  }
  EXPECT_EQ(fields,
            (std::set<std::string>{"payload.household.urban", "payload.household.rooms", "payload.household.gps_lat",
                                   "payload.household.ref", "payload.household.colour"}))
      << r.body;
}

// The household's problems and each member's are one form: a commune that is no commune does not hide
// the household's other fields, nor a member's unreadable date the birth commune that does not exist.
// Each problem has its code and an Arabic text with no English in it (parameters aside).
TEST_F(Errors, AHouseholdAndAMemberWithBadFieldsReportEveryProblemOfBothAtOnce) {
  auto c = server_->Client();
  Headers h = Bearer(*agent_);
  h.emplace_back("Accept-Language", "ar");
  const Json body = Json::parse(R"({"kind": "create_household", "payload": {
      "household": {"commune_code": "XX-1", "rooms": 99, "urban": true, "address": "1 Derb"},
      "members": [{"relationship": "child", "given_name_ar": "سارة", "family_name_ar": "بن علي", "sex": "Z",
                   "birth_date": "1990-13-45", "birth_commune_code": "MA-09.999.99.99"},
                  {"relationship": "head", "given_name_ar": "محمد", "family_name_ar": "بن علي", "sex": "M",
                   "birth_date": "1970-03-02"}]}})");
  auto r = c.PostJson("/api/v1/change-requests", body.dump(), h);
  ASSERT_EQ(r.status, 400) << r.body;
  const Json e = r.Json()["error"];
  EXPECT_EQ(e["reason"], "form.invalid");
  std::set<std::string> fields;
  for (const auto& p : e["problems"]) {
    fields.insert(p["field"].get<std::string>());
    EXPECT_FALSE(p.value("reason", "").empty()) << p.dump();
    std::string text = p["message"].get<std::string>();
    for (const auto& [name, value] : p["params"].items()) {
      for (auto at = text.find(value.get<std::string>()); at != std::string::npos && !value.get<std::string>().empty();
           at = text.find(value.get<std::string>()))
        text.erase(at, value.get<std::string>().size());
    }
    EXPECT_NE(text.find_first_of("\xd8\xd9"), std::string::npos) << "no Arabic in " << p.dump();
    int run = 0;
    for (char ch : text) {
      run = (ch >= 'a' && ch <= 'z') ? run + 1 : 0;
      EXPECT_LT(run, 3) << "English in an Arabic answer: " << p["message"];
      if (run >= 3) break;
    }
  }
  EXPECT_EQ(fields, (std::set<std::string>{"payload.household.commune_code", "payload.household.rooms",
                                           "payload.members[0].sex", "payload.members[0].birth_date",
                                           "payload.members[0].birth_commune_code"}))
      << r.body;
}

}  // namespace
}  // namespace sanad::testing
