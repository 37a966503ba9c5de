// The rules of training sessions (issue 13 §3; docs/empowerment.md#trainings): session days in
// Casablanca time, the 80 % completion rule, reading a session from a request, initials.
#include "empowerment/training.h"

#include <gtest/gtest.h>

namespace sanad::empowerment {
namespace {

using nlohmann::json;

TimePoint At(const char* iso) { return *ParseTimestamp(iso); }

TEST(SessionDays, AreCasablancaCalendarDaysFromStartToEnd) {
  EXPECT_EQ(SessionDays(At("2026-03-02T08:00:00Z"), At("2026-03-06T16:00:00Z")),
            (std::vector<std::string>{"2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"}));
  // 23:30 UTC is already the next day in Casablanca (UTC+1).
  EXPECT_EQ(SessionDays(At("2026-03-01T23:30:00Z"), At("2026-03-02T03:00:00Z")),
            (std::vector<std::string>{"2026-03-02"}));
  EXPECT_EQ(CasablancaDayStart(Date{2026, 3, 2}), "2026-03-01T23:00:00.000000Z");
}

TEST(CompletionRule, NeedsEightyPercentOfTheDaysPresentAndGivesTheDayItWasReached) {
  const std::vector<std::string> days{"d1", "d2", "d3", "d4", "d5"};
  EXPECT_EQ(DaysToComplete(5), 4);
  EXPECT_EQ(DaysToComplete(3), 3);  // 2.4 rounds up
  EXPECT_EQ(DaysToComplete(10), 8);
  std::map<std::string, std::string> marks{{"d1", "present"}, {"d2", "present"}, {"d3", "absent"}, {"d4", "present"}};
  EXPECT_EQ(CompletionDay(days, marks), std::nullopt);  // 3 of 5
  marks["d5"] = "present";
  EXPECT_EQ(CompletionDay(days, marks), "d5");
  marks["d3"] = "present";
  EXPECT_EQ(CompletionDay(days, marks), "d4");  // the fourth day present
  // An excused day is not a day attended.
  std::map<std::string, std::string> excused{
      {"d1", "present"}, {"d2", "excused"}, {"d3", "present"}, {"d4", "present"}};
  EXPECT_EQ(CompletionDay(days, excused), std::nullopt);
  EXPECT_EQ(CompletionDay({}, {}), std::nullopt);
}

json Session() {
  return {{"topic", "digital_skills"},
          {"title_ar", "المهارات الرقمية للمقاولات"},
          {"title_fr", "Compétences numériques"},
          {"trainers", {{{"name", "Salma Idrissi"}}}},
          {"capacity", 20},
          {"commune_code", "MA-03.231.01.03"},
          {"address", "Maison de la femme, Fès"},
          {"starts_at", "2026-03-02T08:00:00Z"},
          {"ends_at", "2026-03-06T16:00:00Z"}};
}

TEST(ReadTraining, ReadsASessionWithItsDays) {
  auto t = ReadTraining(Session());
  ASSERT_TRUE(t) << t.error().reason;
  EXPECT_EQ(t->days.size(), 5u);
  EXPECT_EQ(t->starts_at, "2026-03-02T08:00:00.000000Z");
  EXPECT_EQ(t->trainers[0].name, "Salma Idrissi");
}

TEST(ReadTraining, NamesEveryBadFieldAtOnce) {
  json bad = Session();
  bad["topic"] = "cooking";
  bad["capacity"] = 0;
  bad["online_link"] = "http://example.org";  // with an address: one or the other
  bad["ends_at"] = "2026-03-01T08:00:00Z";
  bad["trainers"] = json::array({{{"name", ""}}});
  bad["colour"] = "green";
  auto t = ReadTraining(bad);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().reason, "empowerment.training_invalid");
  std::vector<std::string> fields;
  for (const auto& p : t.error().problems) fields.push_back(p.field);
  EXPECT_EQ(fields,
            (std::vector<std::string>{"colour", "topic", "trainers[0].name", "capacity", "address", "ends_at"}));
}

TEST(ReadTraining, AnOnlineSessionNeedsAnHttpsLink) {
  json online = Session();
  online.erase("address");
  online["online_link"] = "http://meet.example.org/x";
  auto t = ReadTraining(online);
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().problems.at(0).reason, "empowerment.bad_link");
  online["online_link"] = "https://meet.example.org/x";
  EXPECT_TRUE(ReadTraining(online));
}

TEST(Initials, TakeTheFirstLetterOfEachNameInItsScript) {
  EXPECT_EQ(Initials("فاطمة", "العلوي"), "ف. ا.");
  EXPECT_EQ(Initials("Fatima", "El Alaoui"), "F. E.");
  EXPECT_EQ(Initials("", "Alaoui"), "A.");
}

}  // namespace
}  // namespace sanad::empowerment
