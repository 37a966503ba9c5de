// SQL of the benefit ledger: one line per aid delivered to a person or a household. Write methods run
// inside the caller's transaction and throw on a database error; Benefits borrows its own session.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "registry/records.h"

namespace sanad::registry {

class BenefitStore {
 public:
  explicit BenefitStore(db::Database& db) : db_(db) {}

  std::int64_t InsertBenefit(db::Session& s, const BenefitRow& b);
  // Many lines in one bulk statement (a reconciled payment batch); ids are not read back. The
  // (source, reference) unique index refuses a line recorded before: the caller leaves those out.
  void InsertBenefits(db::Session& s, const std::vector<BenefitRow>& rows);
  // Whether a line from `source` with `reference` is already recorded.
  bool BenefitRecorded(db::Session& s, const std::string& source, const std::string& reference);
  // The lines of a merged duplicate person go to the survivor.
  void ReassignBenefits(db::Session& s, std::int64_t from_person, std::int64_t to_person);
  // A person's lines, or a household's (its own and its members'), newest first.
  Result<std::vector<BenefitRow>> Benefits(std::optional<std::int64_t> person_id,
                                           std::optional<std::int64_t> household_id);

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
