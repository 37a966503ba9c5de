// Scoring and allocation of funding applications (issue 13 §2, docs/empowerment.md §Applications):
// reviewers score a call's rubric, an application's score is the mean of the reviewers who declared no
// conflict of interest, and the envelope is allocated best to worst, each application funded in full
// or not at all, first as a trial the committee looks at, then for good. Pure: no SQL, no HTTP.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace sanad::empowerment {

// One criterion of a call's rubric: points from 0 to max_points, weighted in the total.
struct Criterion {
  std::string code;  // "viability", "impact", "innovation", …
  int max_points = 0;
  double weight = 1;
};

struct Review {
  std::string reviewer;
  bool conflict_of_interest = false;                // declared: the review does not count
  std::vector<std::pair<std::string, int>> points;  // criterion code → points
};

// A rubric is usable: 1 to 20 criteria, distinct codes, max_points 1..100, weight > 0. Errors:
// kFailedPrecondition "empowerment.rubric_invalid" with one problem per bad criterion.
Status CheckRubric(const std::vector<Criterion>& rubric);

// A reviewer's points against the rubric: every criterion exactly once, within 0..max_points. Errors:
// kFailedPrecondition "empowerment.scores_invalid" with one problem per criterion
// ("empowerment.score_out_of_range" {criterion, max}, "field.required", "field.unknown").
Status CheckPoints(const std::vector<Criterion>& rubric, const std::vector<std::pair<std::string, int>>& points);

inline constexpr int kMinReviewers = 2;

// The application's score on 100: for each review without a conflict of interest, Σ weight·points/max
// over Σ weight, times 100; then the mean over those reviews. nullopt with fewer than `min_reviewers`
// such reviews (the application cannot be scored yet).
std::optional<double> ApplicationScore(const std::vector<Criterion>& rubric, const std::vector<Review>& reviews,
                                       int min_reviewers = kMinReviewers);

struct Candidate {
  std::int64_t id = 0;
  double score = 0;
  long long requested_minor = 0;
  std::string submitted_at;  // ties: the earlier submission first
};

struct Allocation {
  std::vector<std::pair<std::int64_t, long long>> funded;  // in rank order, with the amount (in full)
  std::vector<std::int64_t> unfunded;                      // in rank order
  long long used_minor = 0;
  long long remaining_minor = 0;
};

// Best to worst (score, then earlier submission, then id): each candidate is funded in full when its
// request fits what remains of the envelope, else left unfunded and the next ones are tried (a smaller
// request further down may still fit). Requests ≤ 0 are left unfunded.
Allocation Allocate(long long envelope_minor, std::vector<Candidate> candidates);

// An approval of `amount_minor` when `committed_minor` of the envelope is already approved. Errors:
// kFailedPrecondition "empowerment.over_budget" {amount, remaining}.
Status CheckWithinEnvelope(long long envelope_minor, long long committed_minor, long long amount_minor);

}  // namespace sanad::empowerment
