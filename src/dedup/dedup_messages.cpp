#include "dedup/dedup_messages.h"

#include <array>
#include <span>
#include <utility>

#include "core/error.h"

namespace sanad::dedup {

namespace {

using Entry = std::pair<std::string_view, std::string_view>;

constexpr Entry kStages[] = {
    {"queued", MsgCode("linkage_stage.queued")},
    {"loading", MsgCode("linkage_stage.loading")},
    {"preparing", MsgCode("linkage_stage.preparing")},
    {"blocking", MsgCode("linkage_stage.blocking")},
    {"training", MsgCode("linkage_stage.training")},
    {"scoring", MsgCode("linkage_stage.scoring")},
    {"clustering", MsgCode("linkage_stage.clustering")},
    {"writing_queue", MsgCode("linkage_stage.writing_queue")},
    {"done", MsgCode("linkage_stage.done")},
    {"failed", MsgCode("linkage_stage.failed")},
    {"cancelled", MsgCode("linkage_stage.cancelled")},
};

// The comparisons of the sanad preset (linkage/presets.cpp), the one deduplication runs.
constexpr Entry kComparisons[] = {
    {"given_name", MsgCode("linkage_comparison.given_name")},
    {"family_name", MsgCode("linkage_comparison.family_name")},
    {"father_name", MsgCode("linkage_comparison.father_name")},
    {"birth_date", MsgCode("linkage_comparison.birth_date")},
    {"birth_commune", MsgCode("linkage_comparison.birth_commune")},
    {"sex", MsgCode("linkage_comparison.sex")},
    {"national_id", MsgCode("linkage_comparison.national_id")},
    {"phone", MsgCode("linkage_comparison.phone")},
};

// Level by level as linkage::LevelLabel (dedup_messages_test checks the counts agree).
constexpr std::string_view kName[] = {MsgCode("linkage_level.exact"),    MsgCode("linkage_level.same_cross_script_key"),
                                      MsgCode("linkage_level.one_edit"), MsgCode("linkage_level.very_similar"),
                                      MsgCode("linkage_level.similar"),  MsgCode("linkage_level.different")};
constexpr std::string_view kDate[] = {MsgCode("linkage_level.exact"),
                                      MsgCode("linkage_level.day_month_swapped"),
                                      MsgCode("linkage_level.one_digit_differs"),
                                      MsgCode("linkage_level.year_off_by_one"),
                                      MsgCode("linkage_level.same_year_presumed_date"),
                                      MsgCode("linkage_level.same_year"),
                                      MsgCode("linkage_level.different")};
constexpr std::string_view kCommune[] = {MsgCode("linkage_level.same_commune"), MsgCode("linkage_level.same_province"),
                                         MsgCode("linkage_level.different")};
constexpr std::string_view kExact[] = {MsgCode("linkage_level.equal"), MsgCode("linkage_level.different")};
constexpr std::string_view kTypo[] = {MsgCode("linkage_level.equal"), MsgCode("linkage_level.one_edit"),
                                      MsgCode("linkage_level.different")};
constexpr std::string_view kText[] = {MsgCode("linkage_level.equal"), MsgCode("linkage_level.very_similar"),
                                      MsgCode("linkage_level.similar"), MsgCode("linkage_level.different")};
constexpr std::string_view kId[] = {MsgCode("linkage_level.equal"), MsgCode("linkage_level.one_keying_error"),
                                    MsgCode("linkage_level.different")};

std::string_view Lookup(std::span<const Entry> table, std::string_view key) {
  for (const auto& [k, code] : table) {
    if (k == key) return code;
  }
  return {};
}

std::span<const std::string_view> LevelsOf(linkage::CompareKind kind) {
  switch (kind) {
    case linkage::CompareKind::kName:
      return kName;
    case linkage::CompareKind::kDate:
      return kDate;
    case linkage::CompareKind::kCommune:
      return kCommune;
    case linkage::CompareKind::kExact:
      return kExact;
    case linkage::CompareKind::kExactOrTypo:
      return kTypo;
    case linkage::CompareKind::kText:
      return kText;
    case linkage::CompareKind::kIdentifier:
      return kId;
  }
  return {};
}

}  // namespace

std::string_view StageCode(std::string_view stage) { return Lookup(kStages, stage); }

std::string_view ComparisonCode(std::string_view comparison) { return Lookup(kComparisons, comparison); }

std::string_view LevelCode(linkage::CompareKind kind, int level) {
  if (level == 0) return MsgCode("linkage_level.missing");
  const auto levels = LevelsOf(kind);
  if (level < 1 || static_cast<std::size_t>(level) > levels.size()) return {};
  return levels[static_cast<std::size_t>(level - 1)];
}

}  // namespace sanad::dedup
