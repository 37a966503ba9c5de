// The entries of a programme cycle in the database: one cycle_entries row per household a chunk holds,
// written in bulk, with its details JSON (amounts, reasons and the inputs snapshot).
#pragma once

#include <cstdint>
#include <string>

#include "cycles/household_batch_store.h"
#include "db/database.h"
#include "programs/evaluate_batch.h"

namespace sanad::cycles {

// The order of a member's values in the details' "members" arrays. The last two (the AFS's inputs) are
// written only when the registry records either for the member: a shorter array means null for them.
inline constexpr const char* kMemberFields[] = {"person_id",    "version",        "relationship", "sex",
                                                "birth_date",   "marital_status", "schooling",    "disability_percent",
                                                "able_to_work", "in_institution"};

// Writes cycle_entries rows (migration 0016) in bulk: one per household of the chunk, eligible or not,
// with amounts in minor units (the rules' whole dirhams or dinars × 100) and `details`, compact JSON:
//   {"lines":{label:minor,…},"one_offs":{label:minor,…},
//    "reasons":[{"code":…,"params":{…}}],
//    "inputs":{"score":…,"receives_family_allowance":…,"has_proven_income":…,
//              "members":[[person_id,version,"child","F","2016-05-05",…],…]}}
// "lines", "one_offs" and "reasons" only when not empty (non-zero amounts only); null inputs left out;
// the household version is the row's column, not repeated here. The score's model is the cycle's
// (score_model(): that of the first household with a score, which the cycle row keeps); an entry whose
// score came from another model or version names its own ("score_model", "score_model_version"):
// written in every entry, the two took about a fifth of a not eligible household's bytes.
// each member an array in the order of kMemberFields, for eligible households and those whose data did
// not allow a decision (program.reason.not_computable, amount_not_computable, amount_out_of_range): a household that a
// condition found not eligible keeps its reasons and household inputs, not its members' snapshot. Throws on a database
// error like any SOCI statement: call it inside db::Guard or a transaction's work.
struct ScoreModel {
  std::string name, version;
  bool known = false;  // false until a household with a score was written
};

class CycleEntryWriter {
 public:
  static constexpr std::int64_t kMinorPerUnit = 100;
  void Write(db::Session& s, std::int64_t cycle_id, const RegistryChunk& chunk, const programs::BatchOutcome& outcome);
  // The model the entries written so far leave implicit (not known while no household had a score).
  const ScoreModel& score_model() const { return model_; }

 private:
  ScoreModel model_;
};

// The entries' details JSON of household `h` (the writer's text; also what tests read back), for a
// cycle whose scores' model is `cycle_model`.
std::string EntryDetails(const RegistryChunk& chunk, const programs::BatchOutcome& outcome,
                         const ScoreModel& cycle_model, std::size_t h);

}  // namespace sanad::cycles
