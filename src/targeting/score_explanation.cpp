#include "targeting/score_explanation.h"

#include "targeting/model.h"
#include "targeting/score_engine.h"

namespace sanad::targeting {

Result<Explanation> Explain(ScoreStore& store, const StoredScore& score) {
  Explanation out;
  auto definition = store.ModelDefinition(score.model, score.model_version);
  if (!definition) return std::unexpected(definition.error());
  if (!*definition) {
    out.unavailable = "score.why.model_not_kept";
    return out;
  }
  // Kept only after it was read and validated: a definition that no longer reads is a defect (or a
  // damaged database), an internal error rather than an explanation.
  auto model = ParseModel(**definition);
  if (!model) {
    return Fail(Code::kInternal,
                "score model " + score.model + " " + score.model_version + " kept in a form that does not read");
  }
  auto batch = store.ReadAsOf(score.household_id, score.scored_at, score.scored_on);
  if (!batch) return std::unexpected(batch.error());
  if (batch->size() == 1) {
    const ScoredBatch scored = Score(*model, *batch);
    if (SameScore(score.score, scored.score[0])) {
      out.contributions = ContributionsJson(scored, 0);
      return out;
    }
  }
  out.unavailable = "score.why.registry_differs";
  return out;
}

}  // namespace sanad::targeting
