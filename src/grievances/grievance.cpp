#include "grievances/grievance.h"

#include <algorithm>
#include <cctype>

namespace sanad::grievances {
namespace {

template <typename Range>
bool In(const Range& r, std::string_view v) {
  return std::find(std::begin(r), std::end(r), v) != std::end(r);
}

std::unexpected<Error> Refuse(std::string reason, const std::string& status, Act act) {
  return Failure(Code::kFailedPrecondition, std::move(reason), {{"status", status}, {"act", std::string(ActName(act))}},
                 "status");
}

}  // namespace

bool IsCategory(std::string_view c) {
  return std::any_of(std::begin(kDefaultSla), std::end(kDefaultSla), [c](const auto& s) { return s.category == c; });
}
bool IsChannel(std::string_view c) { return In(kChannels, c); }
bool IsStatus(std::string_view s) { return In(kStatuses, s); }
bool IsOutcome(std::string_view o) { return In(kOutcomes, o); }

std::string_view ActName(Act a) {
  switch (a) {
    case Act::kReview:
      return "review";
    case Act::kResolve:
      return "resolve";
    case Act::kAppeal:
      return "appeal";
    case Act::kDecideAppeal:
      return "decide_appeal";
    case Act::kClose:
      return "close";
  }
  return "unknown";
}

TimePoint DueAt(TimePoint from, int days) { return from + std::chrono::days(days); }
TimePoint AppealDeadline(TimePoint resolved_at) { return resolved_at + std::chrono::days(kAppealWindowDays); }
bool SlaRuns(std::string_view status) {
  return status == "received" || status == "under_review" || status == "appealed";
}

Result<std::string> Apply(Act act, const ActFacts& f) {
  const auto& s = f.status;
  auto resolved = [&]() -> std::optional<TimePoint> {
    if (!f.resolved_at) return std::nullopt;
    auto t = ParseTimestamp(*f.resolved_at);
    return t ? std::optional<TimePoint>(*t) : std::nullopt;
  };
  switch (act) {
    case Act::kReview:
      if (s != "received") return Refuse("grievance.bad_transition", s, act);
      return std::string("under_review");
    case Act::kResolve:
      if (s != "received" && s != "under_review") return Refuse("grievance.bad_transition", s, act);
      return std::string("resolved");
    case Act::kAppeal: {
      if (s != "resolved") return Refuse("grievance.bad_transition", s, act);
      auto at = resolved();
      if (!at || f.now > AppealDeadline(*at)) return Refuse("grievance.appeal_window_closed", s, act);
      return std::string("appealed");
    }
    case Act::kDecideAppeal:
      if (s != "appealed") return Refuse("grievance.bad_transition", s, act);
      // Four eyes: the appeal is decided by someone other than the first resolver.
      if (!f.actor || (f.resolved_by && *f.resolved_by == *f.actor)) return Refuse("grievance.four_eyes", s, act);
      return std::string("appeal_decided");
    case Act::kClose: {
      if (s == "appeal_decided") return std::string("closed");
      if (s != "resolved") return Refuse("grievance.bad_transition", s, act);
      // A resolved grievance stays open to appeal for the whole window: closing it early would take
      // the citizen's appeal away.
      auto at = resolved();
      if (at && f.now <= AppealDeadline(*at)) return Refuse("grievance.appeal_pending_window", s, act);
      return std::string("closed");
    }
  }
  return Refuse("grievance.bad_transition", s, act);
}

Status Validate(const Filing& f, bool citizen) {
  std::vector<Problem> problems;
  auto add = [&](std::string reason, std::string field, MessageParams params = {}) {
    problems.push_back({std::move(reason), std::move(field), std::move(params), {}});
  };
  if (!IsChannel(f.channel))
    add("value.not_allowed", "channel",
        {{"field", "channel"}, {"allowed", "web, phone, counter, worker"}, {"value", f.channel}});
  if (f.category.empty()) {
    add("field.required", "category", {{"field", "category"}});
  } else if (!IsCategory(f.category)) {
    add("value.not_allowed", "category",
        {{"field", "category"},
         {"allowed", "exclusion_error, wrong_amount, payment_not_received, staff_conduct, case_handling, other"},
         {"value", f.category}});
  }
  if (f.description.empty()) add("field.required", "description", {{"field", "description"}});
  if (citizen && (!f.commune_code || f.commune_code->empty()))
    add("field.required", "commune_code", {{"field", "commune_code"}});
  if (f.complainant_phone) {
    const auto& p = *f.complainant_phone;
    const bool ok = p.size() >= 6 && p.size() <= 20 && std::all_of(p.begin(), p.end(), [](char c) {
                      return std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == ' ';
                    });
    if (!ok) add("grievance.bad_phone", "complainant_phone");
  }
  if (f.national_id) {
    const auto& n = *f.national_id;
    const bool ok = !n.empty() && n.size() <= 20 && std::all_of(n.begin(), n.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    if (!ok) add("grievance.bad_national_id", "national_id");
  }
  if (!citizen) {
    // At most one target: a decision, a payment or a case.
    const int targets = (f.programme ? 1 : 0) + ((f.payment_id || f.end_to_end_id) ? 1 : 0) + (f.case_id ? 1 : 0);
    if (targets > 1) add("grievance.one_link", "link");
    if (f.programme && !f.household_id) add("field.required", "household_id", {{"field", "household_id"}});
    if (f.cycle_id && !f.programme) add("field.required", "programme", {{"field", "programme"}});
    if (targets == 0 && !f.household_id && (!f.commune_code || f.commune_code->empty()))
      add("grievance.area_required", "commune_code");
  }
  if (problems.empty()) return Ok();
  return Failures(Code::kFailedPrecondition, "form.invalid", std::move(problems));
}

}  // namespace sanad::grievances
