// "Why this score": each part's share of a household's stored score (the intercept, the region's effect,
// each term of the model). It is not written with the score, which made scoring a whole registry twice as
// slow; it is computed again when it is shown, from the model version kept in the database (score_models)
// and the household as the registry held it when the score was computed (its versions and rule inputs in
// force at scored_at, ages on scored_on). The parts are then the ones that summed to the stored score, and
// the score computed again is checked against it before they are shown.
#pragma once

#include <optional>
#include <string>

#include "core/error.h"
#include "targeting/score_store.h"

namespace sanad::targeting {

struct Explanation {
  // The non-zero parts as a JSON object {"intercept":9.825,"region":0.12,...}, when explained.
  std::optional<std::string> contributions;
  // Otherwise why not, as a message code: "score.why.model_not_kept" (scored before the database kept its
  // models, and that version not used since) or "score.why.registry_differs" (the registry as it was then
  // does not give the stored score: a change that committed while the score was being computed, re-scored
  // after it).
  std::string unavailable;
};

Result<Explanation> Explain(ScoreStore& store, const StoredScore& score);

}  // namespace sanad::targeting
