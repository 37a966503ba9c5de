// Households and a simulation shortcut the programme tests share.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "programs/simulate.h"
#include "programs/templates.h"

namespace sanad::programs::testing {

inline MemberInput Member(std::string relationship, std::string sex, std::string birth_date,
                          std::optional<std::string> schooling = std::nullopt,
                          std::optional<std::int64_t> disability_percent = std::nullopt) {
  MemberInput m;
  m.relationship = std::move(relationship);
  m.sex = std::move(sex);
  m.birth_date = *ParseDate(birth_date);
  m.schooling = std::move(schooling);
  m.disability_percent = disability_percent;
  return m;
}

// A child aged `age` on 1 March of `year` (born on 1 June, `age` + 1 years before).
inline MemberInput Child(int year, int age, std::optional<std::string> schooling,
                         std::optional<std::int64_t> disability_percent = std::nullopt) {
  return Member("child", "M", std::to_string(year - age - 1) + "-06-01", std::move(schooling), disability_percent);
}

inline Simulation Simulated(const Programme& programme, const HouseholdInput& household, const std::string& period) {
  auto result = Simulate(programme, household, period);
  EXPECT_TRUE(result) << result.error().reason;
  return result.value_or(Simulation{});
}

inline Simulation Simulated(std::string_view code, const HouseholdInput& household, const std::string& period) {
  const Programme* programme = FindBuiltin(code);
  EXPECT_NE(programme, nullptr) << code;
  return Simulated(*programme, household, period);
}

// The amount of one labelled line (0 when the line is absent, i.e. zero).
inline std::int64_t LineAmount(const Simulation& s, std::string_view label) {
  for (const auto& line : s.lines) {
    if (line.label == label) return line.amount;
  }
  return 0;
}

}  // namespace sanad::programs::testing
