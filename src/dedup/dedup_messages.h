// The catalogue codes (src/i18n/messages) of what the deduplication screens show: the stage a job is
// at, the comparisons of a candidate pair's explanation and the level each reached. The API renders
// them in the reader's language; the stored values stay the short machine names.
#pragma once

#include <string_view>

#include "linkage/comparison.h"

namespace sanad::dedup {

// "loading" → "linkage_stage.loading" (the engine's "blocking", "training", "scoring", "clustering"
// too); empty when the stage has no code.
std::string_view StageCode(std::string_view stage);

// "birth_date" → "linkage_comparison.birth_date"; empty when the comparison has no code.
std::string_view ComparisonCode(std::string_view comparison);

// The level of a comparison of `kind` (1-based, 0 = a value missing on either side), as a code such
// as "linkage_level.day_month_swapped". Follows linkage::LevelLabel level by level.
std::string_view LevelCode(linkage::CompareKind kind, int level);

}  // namespace sanad::dedup
