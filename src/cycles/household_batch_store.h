// The registry as it stood at a UTC timestamp, handed out in chunks of households as rules::Batch (every
// field of programs::ProgrammeSchema() and the column `country`) with what a programme cycle writes
// beside each entry: ids and versions, the commune, the payee, the score's model. Set-based: one query
// per chunk (each household's span in force in household_rule_inputs, its members packed, with its
// score in force; registry/rule_inputs.h), on SQLite and PostgreSQL; memory bounded by the chunk size.
// The as-of rule and the derived fields: docs/cycles.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/area_scope.h"
#include "db/database.h"
#include "db/row_scan.h"
#include "rules/batch.h"

namespace sanad::cycles {

// Which households a read covers (all of them, as of the moment, when every filter is empty).
struct AsOfFilter {
  std::optional<std::string> area;          // area scope (db/area_scope.h), applied in the query
  std::vector<std::int64_t> household_ids;  // only these households (empty: all)
  std::optional<std::string> country;       // MA or DZ, from the commune's area code
};

// One chunk: households in id order; member rows in CSR form (batch.member_offsets), in person id order.
struct RegistryChunk {
  rules::Batch batch;
  // Per household.
  std::vector<std::int64_t> household_id;
  std::vector<std::int64_t> household_version;
  std::vector<std::string> commune_code;       // empty when the version has none
  std::vector<std::string> region_code;        // MA-03 (Morocco), DZ-16 (Algeria)
  std::vector<std::string> country;            // MA, DZ or empty (also the batch's column `country`)
  std::vector<std::int64_t> payee_person_id;   // the head at the moment; 0 when the household has none
  std::vector<double> latent_log_consumption;  // NaN when unknown
  std::vector<std::string_view> score_model;   // the model of the score in force; empty when unscored
  std::vector<std::string_view> score_model_version;
  // Per member row.
  std::vector<std::int64_t> person_id;
  std::vector<std::int64_t> person_version;
  std::vector<std::string_view> birth_date_text;  // as registered (YYYY-MM-DD, or a year alone)
  // The text the views above and the batch's string columns read: each household's row copied once.
  std::shared_ptr<rules::TextArena> text;

  std::size_t size() const { return household_id.size(); }
};

// The region of a commune's area code: the code up to the first dot in Morocco (MA-03.231.01.03 →
// MA-03), the wilaya in Algeria (DZ-1607 → DZ-16); the country of an area code (MA, DZ, or empty).
std::string RegionOfCommune(std::string_view commune_code);
std::string CountryOfCommune(std::string_view commune_code);

// Households per chunk unless the caller says otherwise. Small enough that a chunk's rule columns stay in
// the core's cache as the rules engine passes over them operation by operation (a member column is about
// 80 KB): with 50,000-household chunks the same cycle evaluated in twice the time (docs/cycles-benchmark.md).
inline constexpr std::size_t kDefaultChunk = 2'048;

// Reads one moment of the registry chunk by chunk through a session the caller holds (and may hold a
// transaction on). `as_of` is a UTC timestamp as stored ("2026-12-05T10:00:00.000000Z").
class HouseholdBatchStore {
 public:
  HouseholdBatchStore(db::Session& session, std::string as_of, AsOfFilter filter,
                      std::size_t chunk_size = kDefaultChunk);

  // The number of households the read covers (for progress).
  Result<std::int64_t> Count();
  // The next chunk; an empty one at the end.
  Result<RegistryChunk> Next();

 private:
  std::string Where() const;  // the households' conditions, after the as-of window
  void AddWhereParams(std::vector<db::ScanParam>& params) const;

  db::Session& session_;
  std::string as_of_;
  AsOfFilter filter_;
  std::size_t chunk_size_;
  std::int64_t after_ = 0;
  bool done_ = false;
  db::AreaScope scope_;  // the area links in force on the day of as_of; bound by reference
  std::string country_like_;
};

}  // namespace sanad::cycles
