#include "search/token_similarity.h"

#include <algorithm>

#include "text/similarity.h"

namespace sanad::search::internal {

double Similarity(std::string_view q_mf, std::string_view q_skel, std::uint8_t q_script, std::string_view t_mf,
                  std::string_view t_skel, std::uint8_t t_script) {
  const bool skeletons = !q_skel.empty() && !t_skel.empty();
  const bool same_skeleton = skeletons && q_skel == t_skel;
  if (q_script == t_script) {
    if (q_mf == t_mf) return 1.0;
    const double jw = text::JaroWinkler(q_mf, t_mf);
    // Transliteration variants and most typos keep the consonant skeleton (Muhammad/Mohamed → MHMD);
    // a different skeleton usually means a different name (M'hamed AMHMD, Mehdi MHD).
    if (same_skeleton) return kSameSkeletonBase + (1.0 - kSameSkeletonBase) * jw;
    double s = kOtherSkeletonWeight * jw;
    if (skeletons) s = std::max(s, kSkeletonOnlyWeight * text::JaroWinkler(q_skel, t_skel));
    return s;
  }
  if (same_skeleton) return kCrossScriptSim;
  return skeletons ? kSkeletonOnlyWeight * text::JaroWinkler(q_skel, t_skel) : 0.0;
}

}  // namespace sanad::search::internal
