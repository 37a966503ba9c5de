// SQL of the visits (migration 0034): the day her activity started, accompaniment and monitoring visits
// of a woman within the reader's area, and what is overdue in the area on a day (next steps with no
// later visit; monitoring milestones not covered).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "empowerment/registration_store.h"
#include "empowerment/visit.h"

namespace sanad::empowerment {

struct VisitRow {
  std::int64_t id = 0;
  std::int64_t registration_id = 0;
  Visit visit;
  std::string recorded_at, recorded_by;
};

struct WomanVisits {
  std::optional<std::string> activity_started_on;
  std::vector<VisitRow> visits;  // newest first
};

struct OverdueNextStep {
  std::int64_t visit_id = 0, registration_id = 0;
  std::string given_name, family_name, commune_code, next_step, due;
};

struct OverdueMonitoringRow {
  std::int64_t registration_id = 0;
  std::string given_name, family_name, commune_code, started_on;
  MonitoringDue milestone;
};

class VisitStore {
 public:
  explicit VisitStore(db::Database& db) : db_(db) {}

  // Errors: 404 empowerment.registration_not_found (outside scope).
  Status SetActivityStart(std::int64_t registration_id, const ReadScope& scope, const std::string& day);
  Result<std::int64_t> Add(std::int64_t registration_id, const ReadScope& scope, const Visit& v, const std::string& now,
                           const std::string& by);
  // nullopt: no such woman within scope.
  Result<std::optional<WomanVisits>> ForWoman(std::int64_t registration_id, const ReadScope& scope);
  Result<std::vector<OverdueNextStep>> OverdueNextSteps(const ReadScope& scope, const std::string& as_of);
  Result<std::vector<OverdueMonitoringRow>> OverdueMonitoringVisits(const ReadScope& scope, const std::string& as_of);

 private:
  db::Database& db_;
};

}  // namespace sanad::empowerment
