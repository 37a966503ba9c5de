// SQL of alternative-care placements and their follow-up visits (migration 0029). A placement is read
// and written only through a case the caller may see (case_visibility_sql.h), in the query itself; the
// next visit's date is derived (placement_schedule.h) in the transaction of every write.
//
// Thread safety: all methods may be called concurrently (each borrows its own session).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cases/case_store.h"
#include "core/error.h"
#include "db/database.h"

namespace sanad::cases {

struct PlacementVisit {
  std::int64_t id = 0;
  std::string visit_date, worker, note;
  std::optional<std::string> next_visit;
  std::string recorded_at;
};

struct Placement {
  std::int64_t id = 0, case_id = 0;
  std::optional<std::int64_t> person_id;
  std::string kind, carer, start_date;
  std::optional<std::string> end_date;
  std::string status;  // active | ended
  std::optional<std::string> next_visit_due;
  std::string created_at, created_by;
  std::string commune_code, owner;  // of the case
  std::vector<PlacementVisit> visits;
};

struct NewPlacement {
  std::optional<std::int64_t> person_id;
  std::string kind, carer, start_date;
};

class PlacementStore {
 public:
  explicit PlacementStore(db::Database& db) : db_(db) {}

  // Errors: kNotFound (case not visible), kFailedPrecondition "case.closed" (a closed case),
  // "placement.bad_person" (the child is not in the registry).
  Result<std::int64_t> Add(std::int64_t case_id, const Access& who, const NewPlacement& p, TimePoint now);
  // The placements of a visible case with their visits, the newest first. kNotFound: case not visible.
  Result<std::vector<Placement>> OfCase(std::int64_t case_id, const Access& who);
  // Records a visit by the caller. `date` YYYY-MM-DD, not before the start. Errors: kNotFound (placement
  // not visible), kFailedPrecondition "placement.ended", "placement.visit_before_start".
  Result<Placement> RecordVisit(std::int64_t id, const Access& who, const std::string& date, const std::string& note,
                                const std::optional<std::string>& next_visit, TimePoint now);
  // Ends an active placement on `end_date` (not before its start).
  Result<Placement> End(std::int64_t id, const Access& who, const std::string& end_date, TimePoint now);
  // Active placements whose next visit was due before `today` within the caller's cases, most late first.
  Result<std::vector<Placement>> Overdue(const Access& who, const std::string& today, std::size_t limit);

 private:
  db::Database& db_;
};

}  // namespace sanad::cases
