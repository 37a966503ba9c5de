#include "empowerment/visit.h"

#include <algorithm>

#include "microcredit/schedule.h"

namespace sanad::empowerment {
namespace {

using nlohmann::json;

void Add(std::vector<Problem>& p, std::string reason, std::string field, MessageParams params = {}) {
  params.emplace_back("field", field);
  p.push_back({std::move(reason), std::move(field), std::move(params), {}});
}

std::optional<std::string> Text(const json& body, const std::string& name, std::size_t max, bool required,
                                std::vector<Problem>& p) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null() ||
      (it->is_string() && it->get<std::string>().find_first_not_of(" \t\n") == std::string::npos)) {
    if (required) Add(p, "field.required", name);
    return std::nullopt;
  }
  if (!it->is_string()) {
    Add(p, "field.not_string", name);
    return std::nullopt;
  }
  if (it->get<std::string>().size() > max) {
    Add(p, "field.too_long", name, {{"max", std::to_string(max)}});
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::string> Day(const json& body, const std::string& name, bool required, std::vector<Problem>& p) {
  auto v = Text(body, name, 10, required, p);
  if (v && !ParseDate(*v)) {
    Add(p, "empowerment.bad_day", name, {{"value", *v}});
    return std::nullopt;
  }
  return v;
}

std::optional<long long> Count(const json& body, const std::string& name, std::vector<Problem>& p) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer() || it->get<long long>() < 0) {
    Add(p, "empowerment.not_a_count", name);
    return std::nullopt;
  }
  return it->get<long long>();
}

}  // namespace

Result<Visit> ReadVisit(const json& body) {
  std::vector<Problem> p;
  static const char* const kKnown[] = {"kind",           "visited_on",    "visitor",          "notes",
                                       "next_step",      "next_step_due", "milestone_months", "activity_running",
                                       "monthly_income", "jobs_created"};
  for (const auto& [k, _] : body.items()) {
    if (std::none_of(std::begin(kKnown), std::end(kKnown), [&](const char* x) { return k == x; })) {
      p.push_back({"field.unknown", k, {{"name", k}}, {}});
    }
  }
  Visit v;
  if (auto kind = Text(body, "kind", 20, true, p)) {
    if (*kind == "accompaniment" || *kind == "monitoring")
      v.kind = *kind;
    else
      Add(p, "empowerment.bad_choice", "kind", {{"value", *kind}});
  }
  v.visited_on = Day(body, "visited_on", true, p).value_or("");
  v.visitor = Text(body, "visitor", 200, true, p).value_or("");
  v.notes = Text(body, "notes", 4000, false, p);
  v.next_step = Text(body, "next_step", 1000, false, p);
  v.next_step_due = Day(body, "next_step_due", false, p);
  if (v.next_step.has_value() != v.next_step_due.has_value()) {
    Add(p, "empowerment.next_step_and_due", v.next_step ? "next_step_due" : "next_step");
  } else if (v.next_step_due && !v.visited_on.empty() && *v.next_step_due < v.visited_on) {
    Add(p, "empowerment.due_before_visit", "next_step_due", {{"value", *v.next_step_due}});
  }
  auto milestone = body.find("milestone_months");
  const bool has_milestone = milestone != body.end() && !milestone->is_null();
  auto running = body.find("activity_running");
  const bool has_running = running != body.end() && !running->is_null();
  v.monthly_income = Count(body, "monthly_income", p);
  v.jobs_created = Count(body, "jobs_created", p);
  if (v.kind == "monitoring") {
    if (!has_milestone || !milestone->is_number_integer() ||
        std::none_of(std::begin(kMonitoringMonths), std::end(kMonitoringMonths),
                     [&](int m) { return milestone->get<long long>() == m; })) {
      Add(p, "empowerment.bad_milestone", "milestone_months");
    } else {
      v.milestone_months = static_cast<int>(milestone->get<long long>());
    }
    if (!has_running || !running->is_boolean())
      Add(p, "field.not_boolean", "activity_running");
    else
      v.activity_running = running->get<bool>();
  } else if (v.kind == "accompaniment" && (has_milestone || has_running || v.monthly_income || v.jobs_created)) {
    Add(p, "empowerment.monitoring_only", has_milestone ? "milestone_months" : "activity_running");
  }
  if (!p.empty()) return Failures(Code::kFailedPrecondition, "empowerment.visit_invalid", std::move(p));
  return v;
}

std::vector<MonitoringDue> OverdueMonitoring(const Date& started_on, const std::vector<int>& done, const Date& as_of) {
  std::vector<MonitoringDue> out;
  for (int months : kMonitoringMonths) {
    const Date due = microcredit::AddMonths(started_on, months);
    if (due < as_of && std::find(done.begin(), done.end(), months) == done.end()) {
      out.push_back({months, due.ToString()});
    }
  }
  return out;
}

}  // namespace sanad::empowerment
