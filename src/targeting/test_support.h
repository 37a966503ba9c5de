// Shared by the targeting tests (engine, store, HTTP): a small model shaped after domain.md §1.2 (area
// constant 9.825, −0.138·n + 0.00469·n², monthly bills × 12 / n, per-capita counts), small enough to
// compute scores by hand.
#pragma once

namespace sanad::targeting::testing {

inline constexpr const char* kHandModel = R"({
  "model": "test", "version": "1",
  "intercept": {"urban": 9.825, "rural": 9.69},
  "region_effects": {"MA-03": 0.12},
  "terms": [
    {"variable": "household_size", "coefficient": -0.138},
    {"variable": "household_size_squared", "coefficient": 0.00469},
    {"variable": "spend_electricity", "per": "annual_per_capita", "coefficient": 0.000755},
    {"variable": "children_under_15", "per": "per_capita", "coefficient": -0.25},
    {"variable": "dwelling_type", "category": "villa", "coefficient": 0.45},
    {"variable": "has_car", "coefficient": 0.35},
    {"variable": "land_hectares", "per": "per_capita", "area": "rural", "coefficient": 0.03}
  ]})";

}  // namespace sanad::targeting::testing
