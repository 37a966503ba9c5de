// Internal to the name index: how close two name tokens are, from their match forms, cross-script
// skeletons and scripts.
#pragma once

#include <cstdint>
#include <string_view>

namespace sanad::search::internal {

// Token similarity (docs/domain.md §4.1), in decreasing order of evidence: same match form (1); same
// script and same cross-script skeleton (variant or vowel typo); other script and same skeleton; then
// discounted Jaro–Winkler on the match forms (same script) or on the skeletons (either script). Values
// below kMinTokenSim are treated as no match.
// Same script, same skeleton, other match form (a variant or a typo that kept the consonants): the
// skeleton is strong evidence, the match forms still order the candidates (Souad/Said share SED).
constexpr double kSameSkeletonBase = 0.5;
// Other script, same skeleton.
constexpr double kCrossScriptSim = 0.97;
// Same script, different skeleton: Jaro–Winkler on match forms, discounted.
constexpr double kOtherSkeletonWeight = 0.95;
// Either script: Jaro–Winkler on skeletons only, discounted more.
constexpr double kSkeletonOnlyWeight = 0.92;
constexpr double kMinTokenSim = 0.75;
// A query of two or more tokens should match a given-name and a family-name token of the record.
constexpr double kFieldPenalty = 0.05;
constexpr double kFieldMatchSim = 0.8;

// Similarity in [0, 1] of a query token and an indexed term (match form, skeleton, script of each).
double Similarity(std::string_view q_mf, std::string_view q_skel, std::uint8_t q_script, std::string_view t_mf,
                  std::string_view t_skel, std::uint8_t t_script);

}  // namespace sanad::search::internal
