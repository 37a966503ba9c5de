#include "empowerment/funding.h"

#include <algorithm>
#include <set>

namespace sanad::empowerment {

Status CheckRubric(const std::vector<Criterion>& rubric) {
  std::vector<Problem> problems;
  if (rubric.empty() || rubric.size() > 20) {
    problems.push_back(
        {std::string(MsgCode("field.out_of_range")), "rubric", {{"field", "rubric"}, {"min", "1"}, {"max", "20"}}, ""});
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < rubric.size(); ++i) {
    const auto& c = rubric[i];
    const std::string where = "rubric[" + std::to_string(i) + "]";
    if (c.code.empty() || !seen.insert(c.code).second) {
      problems.push_back({std::string(MsgCode("empowerment.duplicate_item")),
                          where + ".code",
                          {{"field", "rubric"}, {"value", c.code}},
                          ""});
    }
    if (c.max_points < 1 || c.max_points > 100) {
      problems.push_back({std::string(MsgCode("field.out_of_range")),
                          where + ".max_points",
                          {{"field", "max_points"}, {"min", "1"}, {"max", "100"}},
                          ""});
    }
    if (!(c.weight > 0)) {
      problems.push_back({std::string(MsgCode("field.out_of_range")),
                          where + ".weight",
                          {{"field", "weight"}, {"min", "0"}, {"max", "∞"}},
                          ""});
    }
  }
  if (!problems.empty()) return Failures(Code::kFailedPrecondition, "empowerment.rubric_invalid", std::move(problems));
  return Ok();
}

Status CheckPoints(const std::vector<Criterion>& rubric, const std::vector<std::pair<std::string, int>>& points) {
  std::vector<Problem> problems;
  std::set<std::string> given;
  for (const auto& [code, value] : points) {
    const auto c = std::find_if(rubric.begin(), rubric.end(), [&](const Criterion& k) { return k.code == code; });
    if (c == rubric.end() || !given.insert(code).second) {
      problems.push_back({std::string(MsgCode("field.unknown")), "points." + code, {{"name", code}}, ""});
    } else if (value < 0 || value > c->max_points) {
      problems.push_back(
          {std::string(MsgCode("empowerment.score_out_of_range")),
           "points." + code,
           {{"criterion", code}, {"value", std::to_string(value)}, {"max", std::to_string(c->max_points)}},
           ""});
    }
  }
  for (const auto& c : rubric) {
    if (!given.contains(c.code))
      problems.push_back({std::string(MsgCode("field.required")), "points." + c.code, {{"field", c.code}}, ""});
  }
  if (!problems.empty()) return Failures(Code::kFailedPrecondition, "empowerment.scores_invalid", std::move(problems));
  return Ok();
}

std::optional<double> ApplicationScore(const std::vector<Criterion>& rubric, const std::vector<Review>& reviews,
                                       int min_reviewers) {
  double total_weight = 0;
  for (const auto& c : rubric) total_weight += c.weight;
  if (total_weight <= 0) return std::nullopt;
  double sum = 0;
  int counted = 0;
  for (const auto& r : reviews) {
    if (r.conflict_of_interest || !CheckPoints(rubric, r.points)) continue;
    double s = 0;
    for (const auto& c : rubric) {
      const auto p = std::find_if(r.points.begin(), r.points.end(), [&](const auto& x) { return x.first == c.code; });
      s += c.weight * p->second / c.max_points;
    }
    sum += 100.0 * s / total_weight;
    ++counted;
  }
  if (counted < min_reviewers) return std::nullopt;
  return sum / counted;
}

Allocation Allocate(long long envelope_minor, std::vector<Candidate> candidates) {
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.submitted_at != b.submitted_at) return a.submitted_at < b.submitted_at;
    return a.id < b.id;
  });
  Allocation out;
  out.remaining_minor = std::max(0LL, envelope_minor);
  for (const auto& c : candidates) {
    if (c.requested_minor > 0 && c.requested_minor <= out.remaining_minor) {
      out.funded.emplace_back(c.id, c.requested_minor);
      out.used_minor += c.requested_minor;
      out.remaining_minor -= c.requested_minor;
    } else {
      out.unfunded.push_back(c.id);
    }
  }
  return out;
}

Status CheckWithinEnvelope(long long envelope_minor, long long committed_minor, long long amount_minor) {
  const long long remaining = envelope_minor - committed_minor;
  if (amount_minor > remaining) {
    return Failure(Code::kFailedPrecondition, "empowerment.over_budget",
                   {{"amount", std::to_string(amount_minor)}, {"remaining", std::to_string(std::max(0LL, remaining))}},
                   "amount_minor");
  }
  return Ok();
}

}  // namespace sanad::empowerment
