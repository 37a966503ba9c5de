// Regional figures of the empowerment platform (issue 13 §4; docs/empowerment.md#figures): counts
// computed in the database (GROUP BY), within the reader's area, one function per section so that
// sections over other tables join here the same way: applications by stage and funded amounts (the
// funding calls' tables) are to be added as `ApplicationsByStage` and `FundedAmounts` beside these.
// No personal data: counts only.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/registration_store.h"

namespace sanad::empowerment {

struct WomenCount {
  std::string commune_code, kind,
      status;  // kind: auto_entrepreneur | cooperative_member; status: complete | incomplete
  long long women = 0;
};

struct TrainingCount {
  std::string topic;
  long long registered = 0;  // holding a seat (completed included)
  long long attended = 0;    // present at least one day
  long long completed = 0;
};

struct ActivityCount {
  long long monitored_at_12_months = 0;  // women with a 12-month monitoring visit
  long long running_at_12_months = 0;    // of whom the activity was running
};

struct Figures {
  std::vector<WomenCount> women;
  std::vector<TrainingCount> trainings;
  ActivityCount activities;
};

class FiguresStore {
 public:
  explicit FiguresStore(db::Database& db) : db_(db) {}

  Result<std::vector<WomenCount>> WomenByStatusAndCommune(const ReadScope& scope);
  Result<std::vector<TrainingCount>> TrainingAttendanceByTopic(const ReadScope& scope);
  Result<ActivityCount> ActivitiesAtTwelveMonths(const ReadScope& scope);
  Result<Figures> All(const ReadScope& scope);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment
