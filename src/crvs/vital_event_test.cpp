#include "crvs/vital_event.h"

#include <gtest/gtest.h>

namespace sanad::crvs {
namespace {

nlohmann::json Person(const char* uin) {
  return {{"identifier", {{"identifier_type", "UIN"}, {"identifier_value", uin}}},
          {"name", {{"given_name", "Yasmine"}, {"surname", "Alaoui"}}},
          {"sex", "female"},
          {"birth_date", "2026-11-30T08:15:00"},
          {"parent1_identifier", {{"identifier_type", "UIN"}, {"identifier_value", "AB123456"}}}};
}

TEST(VitalEvents, ANotifyMessageGivesItsEventsWithTheirKind) {
  nlohmann::json msg = {
      {"transaction_id", "t1"},
      {"notify_event",
       {{{"reference_id", "b-1"},
         {"timestamp", "2026-12-01T10:00:00Z"},
         {"data", {{"reg_event_type", "spdci-common:RegistryEventType:LiveBirth"}, {"reg_records", Person("C-77")}}}},
        {{"reference_id", "d-1"},
         {"timestamp", "2026-12-01T10:00:00Z"},
         {"data", {{"reg_event_type", "Death"}, {"reg_records", {Person("X1")}}}}},
        {{"reference_id", "m-1"}, {"data", {{"reg_event_type", "Marriage"}, {"reg_records", Person("X2")}}}}}}};
  auto events = ReadNotify(msg);
  ASSERT_TRUE(events) << events.error().reason;
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0].kind, EventKind::kBirth);
  EXPECT_EQ((*events)[0].uin, "C-77");
  EXPECT_EQ((*events)[0].sex, "F");
  EXPECT_EQ((*events)[0].birth_date, "2026-11-30");
  ASSERT_EQ((*events)[0].parent_uins.size(), 1u);
  EXPECT_EQ((*events)[0].parent_uins[0], "AB123456");
  EXPECT_EQ((*events)[1].kind, EventKind::kDeath);  // reg_records as a list of one
  EXPECT_EQ((*events)[1].uin, "X1");
  EXPECT_EQ((*events)[2].kind, EventKind::kOther);
}

TEST(VitalEvents, AMalformedMessageNamesThePositionAndGivesNothing) {
  nlohmann::json msg = {
      {"notify_event", {{{"reference_id", "ok"}, {"data", {{"reg_records", Person("1")}}}}, {{"data", {}}}}}};
  auto events = ReadNotify(msg);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.error().field, "message.notify_event[1].reference_id");
  EXPECT_FALSE(ReadNotify(nlohmann::json::array()));
  EXPECT_FALSE(ReadNotify({{"notify_event", "x"}}));
}

TEST(VitalEvents, TheNewbornIsTheParentsChildOrGrandchildNamedInItsScript) {
  VitalEvent e;
  e.given_name = "ياسمين";
  e.surname = "العلوي";
  e.sex = "F";
  e.birth_date = "2026-11-30";
  auto p = NewbornPerson(e, "spouse");
  EXPECT_EQ(p["relationship"], "child");
  EXPECT_EQ(p["given_name_ar"], "ياسمين");
  EXPECT_FALSE(p.contains("given_name_lat"));
  EXPECT_EQ(NewbornPerson(e, "child")["relationship"], "grandchild");
  EXPECT_EQ(NewbornPerson(e, "sibling")["relationship"], "other");
  e.given_name = "Yasmine";
  e.surname = "Alaoui";
  EXPECT_EQ(NewbornPerson(e, "head")["given_name_lat"], "Yasmine");
}

}  // namespace
}  // namespace sanad::crvs
