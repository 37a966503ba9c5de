// Grievances and appeals (issue 11 §6, docs/grievances.md): the categories and their default SLA, the
// channels, the statuses and the acts that move a grievance between them, the appeal window and the
// four-eyes rule on appeal decisions. Pure functions over plain values: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/time.h"

namespace sanad::grievances {

// Categories with their default SLA in calendar days (the table grievance_categories holds the values
// in force; an administrator changes them). A missing payment is the most urgent: the household is
// waiting for money it was told it would receive.
struct CategorySla {
  std::string_view category;
  int days;
};
inline constexpr CategorySla kDefaultSla[] = {
    {"exclusion_error", 30}, {"wrong_amount", 15},  {"payment_not_received", 7},
    {"staff_conduct", 15},   {"case_handling", 15}, {"other", 30},
};
bool IsCategory(std::string_view c);

inline constexpr std::string_view kChannels[] = {"web", "phone", "counter", "worker"};
bool IsChannel(std::string_view c);

inline constexpr std::string_view kStatuses[] = {"received", "under_review",   "resolved",
                                                 "appealed", "appeal_decided", "closed"};
bool IsStatus(std::string_view s);

inline constexpr std::string_view kOutcomes[] = {"upheld", "partly_upheld", "rejected"};
bool IsOutcome(std::string_view o);

// A citizen or a worker may appeal within 30 days of the resolution (docs/grievances.md#appeal).
inline constexpr int kAppealWindowDays = 30;
// Characters of a grievance's tracking code (core/tracking_code.h): 20 × 5 = 100 random bits.
inline constexpr std::size_t kTrackingCodeChars = 20;

enum class Act { kReview, kResolve, kAppeal, kDecideAppeal, kClose };
std::string_view ActName(Act a);

// What an act needs to know about the grievance and the actor.
struct ActFacts {
  std::string status;
  std::optional<std::string> resolved_at, resolved_by;  // timestamps
  std::optional<std::string> actor;                     // NULL: the citizen (by tracking code)
  TimePoint now;
};

// The status after `act`, or why it is refused: kFailedPrecondition "grievance.bad_transition" (the act
// does not fit the status), "grievance.appeal_window_closed" (over kAppealWindowDays since the
// resolution), "grievance.four_eyes" (the appeal is decided by whoever resolved the grievance),
// "grievance.appeal_pending_window" (closing a resolved grievance while it can still be appealed).
Result<std::string> Apply(Act act, const ActFacts& f);

// The deadline of a grievance received (or appealed) at `from` with an SLA of `days` calendar days.
TimePoint DueAt(TimePoint from, int days);
// The last moment an appeal is accepted for a grievance resolved at `resolved_at`.
TimePoint AppealDeadline(TimePoint resolved_at);
// Open for the SLA: the statuses whose deadline runs.
bool SlaRuns(std::string_view status);

// A filing as typed, before its link is resolved by the store.
struct Filing {
  std::string channel, category, description;
  std::optional<std::string> commune_code, complainant_name, complainant_phone, national_id, household_ref,
      payment_reference;
  // Links (workers): a programme decision (programme + household, cycle optional), a payment (id or
  // end-to-end id) or a case.
  std::optional<std::string> programme, end_to_end_id;
  std::optional<std::int64_t> cycle_id, household_id, payment_id, case_id;
};

// Every problem of a filing at once ("form.invalid" with one Problem per field), as 422. `citizen`:
// the public form, which needs a commune and takes no record ids.
Status Validate(const Filing& f, bool citizen);

}  // namespace sanad::grievances
