#include "areas/area_name_match.h"

#include "text/arabic.h"
#include "text/latin.h"

namespace sanad::areas {

namespace {

// One search form for both scripts: Arabic normalised first (Latin passes through), then Latin folded
// (Arabic letters are kept). Hyphens and apostrophes become spaces or vanish in both names and query.
std::string Fold(std::string_view s) { return text::FoldLatin(text::NormalizeArabic(s)); }

}  // namespace

AreaNameMatcher::AreaNameMatcher(std::string_view query) : folded_(Fold(query)) {}

bool AreaNameMatcher::operator()(std::string_view name_ar, std::string_view name_fr) const {
  if (folded_.empty()) return true;
  return Fold(name_fr).find(folded_) != std::string::npos || Fold(name_ar).find(folded_) != std::string::npos;
}

}  // namespace sanad::areas
