// The rules of issue 11 §1–§2: dispatch to the covering unit, else the nearest on shift; the 1 h / 24 h
// acknowledgement deadlines; probable duplicates; tracking codes.
#include "eservices/dispatch.h"

#include "core/tracking_code.h"

#include <gtest/gtest.h>

#include <set>

namespace sanad::eservices {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Wednesday 2026-12-02 10:00 UTC = 11:00 local (UTC+1).
TimePoint Wednesday11Local() {
  return std::chrono::sys_days(
             std::chrono::year_month_day(std::chrono::year(2026), std::chrono::month(12), std::chrono::day(2))) +
         hours(10);
}

Unit MakeUnit(std::int64_t id, double lat, double lon, std::vector<std::string> communes, std::vector<Shift> shifts) {
  Unit u;
  u.id = id;
  u.code = "U" + std::to_string(id);
  u.base_lat = lat;
  u.base_lon = lon;
  u.communes = std::move(communes);
  u.shifts = std::move(shifts);
  return u;
}

TEST(Dispatch, AReportGoesToTheUnitCoveringItsCommuneEvenOffShift) {
  std::vector<Unit> units{MakeUnit(1, 33.5, -7.6, {"MA-A"}, {}), MakeUnit(2, 33.6, -7.6, {}, {{3, "08:00", "20:00"}})};
  auto d = ChooseUnit(units, "MA-A", 33.55, -7.6, Wednesday11Local());
  EXPECT_EQ(d.unit_id, 1);
  EXPECT_EQ(d.reason, "covering");
}

TEST(Dispatch, OfTwoCoveringUnitsTheOneOnShiftIsChosen) {
  std::vector<Unit> units{MakeUnit(1, 0, 0, {"MA-A"}, {{0, "08:00", "20:00"}}),
                          MakeUnit(2, 0, 0, {"MA-A"}, {{3, "08:00", "20:00"}})};
  EXPECT_EQ(ChooseUnit(units, "MA-A", 0, 0, Wednesday11Local()).unit_id, 2);
}

TEST(Dispatch, WithoutACoveringUnitTheNearestUnitOnShiftIsChosen) {
  // Casablanca (33.57, -7.59): unit 1 in Rabat is nearer but off shift, unit 2 in Marrakech is on shift.
  std::vector<Unit> units{MakeUnit(1, 34.02, -6.84, {"MA-R"}, {{0, "08:00", "20:00"}}),
                          MakeUnit(2, 31.63, -8.0, {"MA-M"}, {{3, "08:00", "20:00"}}),
                          MakeUnit(3, 35.76, -5.83, {"MA-T"}, {{3, "08:00", "20:00"}})};
  auto d = ChooseUnit(units, "MA-C", 33.57, -7.59, Wednesday11Local());
  EXPECT_EQ(d.unit_id, 2);
  EXPECT_EQ(d.reason, "nearest_on_shift");
}

TEST(Dispatch, WhenNoUnitIsOnShiftTheNearestUnitStillGetsIt) {
  std::vector<Unit> units{MakeUnit(1, 34.02, -6.84, {}, {}), MakeUnit(2, 31.63, -8.0, {}, {})};
  auto d = ChooseUnit(units, "MA-C", 33.57, -7.59, Wednesday11Local());
  EXPECT_EQ(d.unit_id, 1);
  EXPECT_EQ(d.reason, "nearest");
}

TEST(Dispatch, InactiveUnitsAndNoUnitsGiveNone) {
  std::vector<Unit> units{MakeUnit(1, 34.02, -6.84, {"MA-C"}, {})};
  units[0].active = false;
  EXPECT_EQ(ChooseUnit(units, "MA-C", 33.57, -7.59, Wednesday11Local()).reason, "none");
  EXPECT_FALSE(ChooseUnit({}, "MA-C", 33.57, -7.59, Wednesday11Local()).unit_id);
}

TEST(Shifts, ANightShiftCoversTheEveningAndTheNextMorning) {
  Unit u = MakeUnit(1, 0, 0, {}, {{2, "20:00", "06:00"}});  // Tuesday night
  const auto tue_2230_local = Wednesday11Local() - hours(24) + hours(11) + minutes(30);
  EXPECT_TRUE(OnShift(u, tue_2230_local));
  EXPECT_TRUE(OnShift(u, Wednesday11Local() - hours(6)));  // Wednesday 05:00 local
  EXPECT_FALSE(OnShift(u, Wednesday11Local()));            // Wednesday 11:00 local
}

TEST(Deadlines, OneHourForImmediateDangerAnd24HoursOtherwise) {
  const auto t = Wednesday11Local();
  EXPECT_EQ(AckDeadline(AckPolicy{}, true, t), t + hours(1));
  EXPECT_EQ(AckDeadline(AckPolicy{}, false, t), t + hours(24));
  EXPECT_EQ(AckDeadline(AckPolicy{.danger_minutes = 30, .normal_minutes = 120}, true, t), t + minutes(30));
}

// Checked against an independent haversine computation (Python math): 85.201 km.
TEST(Distance, CasablancaToRabatIsAbout85KmAsTheCrowFlies) {
  EXPECT_NEAR(DistanceKm(33.5731, -7.5898, 34.0209, -6.8416), 85.2, 0.1);
}

ReportInput Input(std::string description, std::optional<double> lat = {}, std::optional<double> lon = {}) {
  ReportInput in;
  in.service = std::string(kHomelessPerson);
  in.commune_code = "MA-C";
  in.description = std::move(description);
  in.lat = lat;
  in.lon = lon;
  return in;
}

TEST(Duplicates, PinsWithin250MetresAreTheSamePlace) {
  EXPECT_TRUE(ProbableDuplicate(Input("a", 33.5731, -7.5898), Input("b", 33.5740, -7.5898)));   // ~100 m
  EXPECT_FALSE(ProbableDuplicate(Input("a", 33.5731, -7.5898), Input("b", 33.5800, -7.5898)));  // ~770 m
}

TEST(Duplicates, WithoutPinsSimilarDescriptionsAreLinked) {
  EXPECT_TRUE(ProbableDuplicate(Input("رجل مسن ينام قرب محطة القطار"), Input("رجل مسن ينام قرب محطة القطار الكبرى")));
  EXPECT_FALSE(ProbableDuplicate(Input("رجل مسن ينام قرب محطة القطار"), Input("امرأة مع طفلين في الحديقة")));
  auto other_service = Input("رجل مسن ينام قرب محطة القطار");
  other_service.service = std::string(kElderlyInDanger);
  EXPECT_FALSE(ProbableDuplicate(Input("رجل مسن ينام قرب محطة القطار"), other_service));
}

TEST(Codes, TrackingCodesAreRandomCrockfordAndNormaliseAsTyped) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(core::RandomCode(kTrackingCodeChars));
  EXPECT_EQ(seen.size(), 1000u);
  const std::string code = *seen.begin();
  EXPECT_EQ(code.size(), kTrackingCodeChars);
  std::string typed;
  for (char c : code) typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  typed.insert(5, "-");
  EXPECT_EQ(core::NormaliseCode(typed, kTrackingCodeChars), code);
  EXPECT_FALSE(core::NormaliseCode("short", kTrackingCodeChars));
  EXPECT_FALSE(core::NormaliseCode(std::string(kTrackingCodeChars, '*'), kTrackingCodeChars));
  EXPECT_EQ(core::CodeHash(code).size(), 64u);
  EXPECT_NE(core::CodeHash(code), code);
}

TEST(Validation, EveryProblemIsNamedAtOnce) {
  ReportInput in;
  in.service = std::string(kFamilyCounselling);
  in.lat = 100;
  auto st = ValidateReport(in);
  ASSERT_FALSE(st);
  std::set<std::string> fields;
  for (const auto& p : st.error().problems) fields.insert(p.field);
  EXPECT_EQ(fields,
            (std::set<std::string>{"commune_code", "long", "lat", "topic", "counselling_channel", "contact_phone"}));
}

TEST(Validation, ADangerReportNeedsADescriptionAndACommune) {
  ReportInput in;
  in.service = std::string(kElderlyInDanger);
  in.commune_code = "MA-C";
  EXPECT_FALSE(ValidateReport(in));
  in.description = "x";
  EXPECT_TRUE(ValidateReport(in));
  in.service = "pothole";
  EXPECT_FALSE(ValidateReport(in));
}

}  // namespace
}  // namespace sanad::eservices
