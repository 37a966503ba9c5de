// Slots of a counsellor (docs/counselling.md#slots): the weekly availability cut into slots in local
// time, which in Morocco and Algeria is UTC+1 all year (no daylight saving: Africa/Casablanca has kept
// UTC+1 since decree 2.18.855 of 26 October 2018, Africa/Algiers since 1981), minus leave days,
// bookings and the past.
#include "counselling/slots.h"

#include <gtest/gtest.h>

namespace sanad::counselling {
namespace {

using namespace std::chrono;

TimePoint At(const char* ts) { return ParseTimestamp(ts).value(); }

// Monday 2026-12-07 is weekday 1.
const std::vector<Availability> kMondayMorning{{1, "09:00", "12:00", 60}};

TEST(Slots, WeeklyAvailabilityIsCutIntoSlotsInLocalTime) {
  const auto slots = ComputeSlots(kMondayMorning, {}, {}, At("2026-12-06T00:00:00Z"), At("2026-12-14T00:00:00Z"),
                                  At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 3u);
  // 09:00 local is 08:00 UTC.
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2026-12-07T08:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(slots[0].end), "2026-12-07T09:00:00.000000Z");
  EXPECT_EQ(FormatTimestamp(slots[2].start), "2026-12-07T10:00:00.000000Z");
}

TEST(Slots, TheOffsetIsTheSameInSummerNoDaylightSaving) {
  // Monday 2027-07-05: still 09:00 local = 08:00 UTC.
  const auto slots = ComputeSlots(kMondayMorning, {}, {}, At("2027-07-05T00:00:00Z"), At("2027-07-06T00:00:00Z"),
                                  At("2027-01-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2027-07-05T08:00:00.000000Z");
}

TEST(Slots, ASlotOnlyWhenItFitsWhole) {
  const std::vector<Availability> a{{1, "09:00", "11:30", 45}};  // 09:00, 09:45, 10:30 (ends 11:15); 11:15 does not fit
  const auto slots =
      ComputeSlots(a, {}, {}, At("2026-12-07T00:00:00Z"), At("2026-12-08T00:00:00Z"), At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(FormatTimestamp(slots[2].start), "2026-12-07T09:30:00.000000Z");
}

TEST(Slots, LeaveDaysBookingsAndThePastAreNotOffered) {
  const std::vector<Availability> a{{1, "09:00", "12:00", 60}, {2, "14:00", "16:00", 60}};
  const auto from = At("2026-12-06T00:00:00Z"), to = At("2026-12-14T00:00:00Z");
  // Monday on leave: only Tuesday's two slots.
  auto slots = ComputeSlots(a, {"2026-12-07"}, {}, from, to, At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 2u);
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2026-12-08T13:00:00.000000Z");
  // A booking at Tuesday 14:00 local takes that slot.
  slots = ComputeSlots(a, {"2026-12-07"}, {At("2026-12-08T13:00:00Z")}, from, to, At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2026-12-08T14:00:00.000000Z");
  // Now is Monday 10:30 local (09:30 UTC): the 09:00 and 10:00 slots have begun.
  slots = ComputeSlots(a, {}, {}, from, to, At("2026-12-07T09:30:00Z"));
  ASSERT_EQ(slots.size(), 3u);
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2026-12-07T10:00:00.000000Z");
}

TEST(Slots, ALateEveningSlotBelongsToItsLocalDay) {
  // Sunday 23:00–24:00 local is Sunday 22:00–23:00 UTC; a leave on Sunday removes it, not Monday's.
  const std::vector<Availability> a{{0, "23:00", "24:00", 60}};
  const auto from = At("2026-12-06T00:00:00Z"), to = At("2026-12-07T23:00:00Z");
  auto slots = ComputeSlots(a, {}, {}, from, to, At("2026-12-01T00:00:00Z"));
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatTimestamp(slots[0].start), "2026-12-06T22:00:00.000000Z");
  EXPECT_TRUE(ComputeSlots(a, {"2026-12-06"}, {}, from, to, At("2026-12-01T00:00:00Z")).empty());
  // Local midnight: 23:30 UTC on Sunday is Monday 00:30 local.
  EXPECT_EQ(LocalDay(At("2026-12-06T23:30:00Z")), "2026-12-07");
}

TEST(Slots, OnlyTheStartOfASlotOnAWorkingDayIsBookable) {
  Slot s;
  EXPECT_TRUE(IsSlotStart(kMondayMorning, {}, At("2026-12-07T09:00:00Z"), &s));
  EXPECT_EQ(FormatTimestamp(s.end), "2026-12-07T10:00:00.000000Z");
  EXPECT_FALSE(IsSlotStart(kMondayMorning, {}, At("2026-12-07T09:30:00Z")));              // mid-slot
  EXPECT_FALSE(IsSlotStart(kMondayMorning, {}, At("2026-12-07T11:00:00Z")));              // after the hours
  EXPECT_FALSE(IsSlotStart(kMondayMorning, {}, At("2026-12-08T09:00:00Z")));              // Tuesday
  EXPECT_FALSE(IsSlotStart(kMondayMorning, {"2026-12-07"}, At("2026-12-07T09:00:00Z")));  // on leave
}

TEST(Availability, FaultsAreNamed) {
  EXPECT_EQ(AvailabilityFault({7, "09:00", "10:00", 60}), "counselling.bad_weekday");
  EXPECT_EQ(AvailabilityFault({1, "9:00", "10:00", 60}), "counselling.bad_time");
  EXPECT_EQ(AvailabilityFault({1, "10:00", "09:00", 60}), "counselling.bad_hours");
  EXPECT_EQ(AvailabilityFault({1, "09:00", "10:00", 5}), "counselling.bad_slot_length");
  EXPECT_EQ(AvailabilityFault({1, "09:00", "09:30", 60}), "counselling.bad_hours");
  EXPECT_FALSE(AvailabilityFault({1, "09:00", "24:00", 60}));
}

}  // namespace
}  // namespace sanad::counselling
