// Sanad as a civil registry's client (docs/crvs.md): the person read from a sync search answer, the
// comparison with the social registry's record (names across scripts), the subscription codes of an
// on-subscribe.
#include "crvs/civil_search.h"

#include <gtest/gtest.h>

#include "crvs/subscription.h"

namespace sanad::crvs {
namespace {

nlohmann::json Answer(const nlohmann::json& records, const std::string& status = "succ") {
  return {{"message", {{"search_response", {{{"status", status}, {"data", {{"reg_records", records}}}}}}}}};
}

TEST(CivilSearch, TheRequestAsksByUinAndTheAnswerGivesThePersonOrNobody) {
  const auto req = SearchByIdRequest("AB123456", "m-1", "2026-12-05T10:00:00Z");
  EXPECT_EQ(req["header"]["action"], "search");
  EXPECT_EQ(req["message"]["search_request"][0]["search_criteria"]["query_type"], "idtype-value");
  EXPECT_EQ(req["message"]["search_request"][0]["search_criteria"]["query"]["value"], "AB123456");

  auto one = ReadSearchAnswer(Answer(nlohmann::json::array({{{"name", {{"given_name", "أمينة"}, {"surname", "العلوي"}}},
                                                             {"sex", "female"},
                                                             {"birth_date", "1990-05-01"}}})));
  ASSERT_TRUE(one && *one);
  EXPECT_EQ((*one)->given_name, "أمينة");
  EXPECT_EQ((*one)->sex, "F");
  auto none = ReadSearchAnswer(Answer(nlohmann::json::array()));
  ASSERT_TRUE(none);
  EXPECT_FALSE(*none);
  // Two persons for one identifier are no identity.
  auto two = ReadSearchAnswer(Answer(nlohmann::json::array({{{"sex", "male"}}, {{"sex", "female"}}})));
  ASSERT_TRUE(two);
  EXPECT_FALSE(*two);
  // A refusal is the registry's failure, with its reason.
  auto refused = ReadSearchAnswer({{"message", {{"ack_status", "ERR"}, {"error", {{"code", "err.request.bad"}}}}}});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Code::kUnavailable);
}

TEST(CivilSearch, NamesAgreeAcrossScriptsAndADeathIsFlagged) {
  CivilPerson c;
  c.given_name = "أمينة";
  c.surname = "بناني";
  c.sex = "F";
  c.birth_date = "1990-05-01";
  c.death_date = "2026-11-20";
  RegistryFacts here{"", "", "Amina", "Alaoui", "F", "1990-05-02", "active"};
  const auto cmp = Compare(c, here);
  EXPECT_TRUE(cmp.found);
  EXPECT_EQ(cmp.given_name, true);
  EXPECT_EQ(cmp.family_name, false);
  EXPECT_EQ(cmp.sex, true);
  EXPECT_EQ(cmp.birth_date, false);
  EXPECT_TRUE(cmp.dead_in_civil_registry && cmp.alive_here);
  c.birth_date.reset();
  EXPECT_FALSE(Compare(c, here).birth_date.has_value());  // unknown, not "differs"
  EXPECT_FALSE(Compare(std::nullopt, here).found);
}

TEST(Subscription, TheRequestNamesEachEventAndTheAnswerGivesTheCodes) {
  const auto req = SubscribeRequest("t-1", "2026-12-05T10:00:00Z", "http://sanad/cb", {kBirthEvent, kDeathEvent});
  ASSERT_EQ(req["message"]["subscribe_request"].size(), 2u);
  EXPECT_EQ(req["message"]["subscribe_request"][1]["subscribe_criteria"]["reg_event_type"], kDeathEvent);
  EXPECT_TRUE(req["message"]["subscribe_request"][0]["subscribe_criteria"].contains("filter"));  // required
  EXPECT_EQ(req["header"]["sender_uri"], "http://sanad/cb");
  auto granted = ReadSubscribeResponse(
      {{"subscribe_response",
        {{{"subscriptions", {{{"code", "s-1"}, {"status", "subscribe"}, {"reg_event_type", kDeathEvent}}}}}}}});
  ASSERT_TRUE(granted);
  ASSERT_EQ(granted->size(), 1u);
  EXPECT_EQ((*granted)[0].code, "s-1");
  EXPECT_EQ((*granted)[0].reg_event_type, kDeathEvent);
  auto bad = ReadSubscribeResponse({{"subscribe_response", {{{"subscriptions", {{{"status", "subscribe"}}}}}}}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "message.subscribe_response[0].subscriptions[0].code");
}

}  // namespace
}  // namespace sanad::crvs
