// Matching a typed search against an area's names: "fes", "FES", "Fès" and "فاس" all find Fès.
#pragma once

#include <string>
#include <string_view>

namespace sanad::areas {

// A substring match of the folded query in the folded Arabic or French name. Latin text is folded for
// case and accents (text::FoldLatin), Arabic text for letter variants, hamza seats and vowel marks
// (text::NormalizeArabic). An empty query matches every area. Thread-safe once built.
class AreaNameMatcher {
 public:
  explicit AreaNameMatcher(std::string_view query);
  bool operator()(std::string_view name_ar, std::string_view name_fr) const;

 private:
  std::string folded_;
};

}  // namespace sanad::areas
