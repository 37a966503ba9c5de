// Regional figures of the empowerment platform (issue 13 §4; docs/empowerment.md#figures): counts
// computed in the database (GROUP BY), within the reader's area, one function per section so that
// sections over other tables join here the same way (applications by stage and funded amounts read the
// funding calls' tables). No personal data: counts and sums only.
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

// Applications by the commune she applied from and their stage (application_state.h).
struct StageCount {
  std::string commune_code, state;
  long long applications = 0;
};

// Funded amounts by commune and currency (minor units): approved = the committee's amounts of the
// applications approved and after (the call page's `committed`, kCommittedStates); agreed = the
// tranches of the signed agreements; paid = the tranches paid. Agreed and paid count whatever became of
// the application later (a tranche paid stays paid).
struct FundedAmount {
  std::string commune_code, currency;
  long long approved_minor = 0, agreed_minor = 0, paid_minor = 0;
  long long approved_applications = 0;
};

struct Figures {
  std::vector<WomenCount> women;
  std::vector<StageCount> applications;
  std::vector<FundedAmount> funded;
  std::vector<TrainingCount> trainings;
  ActivityCount activities;
};

class FiguresStore {
 public:
  explicit FiguresStore(db::Database& db) : db_(db) {}

  Result<std::vector<WomenCount>> WomenByStatusAndCommune(const ReadScope& scope);
  Result<std::vector<TrainingCount>> TrainingAttendanceByTopic(const ReadScope& scope);
  Result<ActivityCount> ActivitiesAtTwelveMonths(const ReadScope& scope);
  Result<std::vector<StageCount>> ApplicationsByStage(const ReadScope& scope);
  Result<std::vector<FundedAmount>> FundedAmounts(const ReadScope& scope);
  Result<Figures> All(const ReadScope& scope);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment
