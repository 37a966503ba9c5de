// Households' socio-economic scores in the database: reading the variables of a chunk of households at
// once (one query for the households, one for their members from the rule inputs in force now, counted
// here) and writing a chunk's scores in bulk (migration 0015: household_scores, household_score_history),
// and the model versions that computed them (migration 0043: score_models), from which a score's
// explanation is computed again (score_explanation.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "targeting/model.h"
#include "targeting/score_engine.h"

namespace sanad::targeting {

// What saving a chunk did: new scores, scores replaced (the old one kept in the history), and scores
// left as they were (same value, same model and version).
struct SaveCounts {
  std::size_t added = 0;
  std::size_t changed = 0;
  std::size_t unchanged = 0;
  SaveCounts& operator+=(const SaveCounts& o) {
    added += o.added;
    changed += o.changed;
    unchanged += o.unchanged;
    return *this;
  }
};

struct StoredScore {
  std::int64_t household_id = 0;
  double score = 0;
  std::string model;
  std::string model_version;
  std::string scored_on;
  std::string scored_at;
};

// The date `years` before `as_of` (YYYY-MM-DD), as text, which the members' counts compare birth dates
// with (under 15, 65 and over…): birth dates compare as text, and a 29 February that does not exist in
// that year still sorts between the 28th and 1 March.
std::string YearsBefore(const std::string& as_of, int years);

class ScoreStore {
 public:
  explicit ScoreStore(db::Database& db) : db_(db) {}

  // Active households (status active).
  Result<std::int64_t> CountActive();

  // The lowest and highest household ids (any status); nullopt when there are none.
  Result<std::optional<std::pair<std::int64_t, std::int64_t>>> IdSpan();

  // The active households with ids first..last, in id order, with their variables; members' counts
  // (size, children, elderly…) are of active members, their ages taken on `as_of` (YYYY-MM-DD; a birth
  // year alone counts as 1 January). Safe to call from several threads at once (each its own connection).
  Result<HouseholdBatch> ReadRange(std::int64_t first, std::int64_t last, const std::string& as_of);

  // The active households among `ids` with their variables (as ReadRange), in id order, read in the
  // caller's transaction. Keep `ids` to a chunk (thousands): they are written into the query.
  HouseholdBatch ReadHouseholds(db::Session& s, const std::vector<std::int64_t>& ids, const std::string& as_of);

  // The variables of one household as the registry held them at `moment` (a UTC timestamp as the
  // versions' valid_from): the household version and the rule inputs in force then, ages on `as_of`. Empty
  // when the household was not active then.
  Result<HouseholdBatch> ReadAsOf(std::int64_t household_id, const std::string& moment, const std::string& as_of);

  // Keeps the model's definition under its name and version, before its scores are saved; a version
  // already kept with another definition is refused (conflict, "score_model.version_redefined").
  Result<void> RecordModel(const Model& model, const std::string& now);
  // The definition kept for a model version, if any.
  Result<std::optional<std::string>> ModelDefinition(const std::string& model, const std::string& version);

  // Saves the scores of `batch` in one transaction (and keeps the model's definition when it is new).
  Result<SaveCounts> Save(const Model& model, const HouseholdBatch& batch, const ScoredBatch& scored,
                          const std::string& as_of, const std::string& now);
  // The same in the caller's transaction (throws what SOCI throws).
  SaveCounts SaveIn(db::Session& s, const Model& model, const HouseholdBatch& batch, const ScoredBatch& scored,
                    const std::string& as_of, const std::string& now);

  // The household's current score, if it has one.
  Result<std::optional<StoredScore>> Current(std::int64_t household_id);
  // Its earlier scores, newest first.
  Result<std::vector<StoredScore>> History(std::int64_t household_id);

 private:
  // Active households matching `which` (an SQL condition on households with its ORDER BY / LIMIT,
  // numbers inlined) and their members' counts; `scattered`: the ids are far apart (not a chunk in order).
  // With a `moment`, the household versions in force then instead (`which` then names household_id).
  static HouseholdBatch ReadVariables(db::Session& s, const std::string& which, const std::string& as_of,
                                      bool scattered, const std::string& moment);

  db::Database& db_;
};

}  // namespace sanad::targeting
