// Fellegi–Sunter model (Fellegi & Sunter 1969) in the form Splink uses: a prior λ (probability that
// two random records match), and per comparison and level the probabilities m = P(level | match) and
// u = P(level | non-match). A pair's match weight is log2(λ/(1-λ)) + Σ log2(m/u), plus Splink's
// term-frequency adjustment log2(u_exact / tf(value)) at exact levels of the flagged comparisons, so
// that agreeing on "Mohamed" weighs less than agreeing on a rare name.
// (Splink docs: "The Fellegi-Sunter model", "Term frequency adjustments", moj-analytical-services.)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/error.h"
#include "linkage/blocking.h"
#include "linkage/comparison.h"

namespace sanad::linkage {

// A pair whose listed comparisons are all at or beyond the given levels is never linked automatically:
// it goes to the review band at most. Fellegi–Sunter assumes the comparisons independent given the match
// status; members of one household break that (same family name, father, commune and phone), so two
// brothers would add up to a high weight. A different given name together with a different birth date
// is what tells them apart, and this rule makes that decisive.
struct ExclusionClause {
  std::string comparison;
  int min_level = 1;     // the clause holds when the level is at or beyond this one (levels grow with disagreement)
  bool or_null = false;  // … or when the comparison is null (a value missing)
};
struct ExclusionRule {
  std::string name;
  std::vector<ExclusionClause> all;  // the rule applies when every clause holds
};

// Everything that defines a linkage job besides the data: what to compare, how to block, how to train.
struct ModelSpec {
  std::vector<ComparisonSpec> comparisons;  // at most kMaxComparisons
  std::vector<BlockingRule> blocking;       // candidate generation, in order
  std::vector<BlockingRule> training;       // EM passes (each should also be, or be stricter than, a blocking rule)
  std::vector<BlockingRule> deterministic;  // rules whose pairs are almost all matches, for λ
  double deterministic_recall = 0.8;        // share of true matches the deterministic rules are assumed to find
  LinkType link_type = LinkType::kDedupe;
  bool anti_chain_national_id = false;  // clustering guard (see cluster.h)
  bool anti_chain_twins = false;        // clustering guard (see cluster.h)
  bool one_record_per_source = false;   // sources are each duplicate-free (see cluster.h)
  std::vector<ExclusionRule> exclusions;
};

// One comparison's contribution to a pair's weight.
struct Contribution {
  std::string comparison;
  int level = 0;
  std::string label;  // "exact", "jaro-winkler>=0.92", "null", …
  std::string value_a, value_b;
  double m = 0, u = 0;
  double log2_bf = 0;  // log2(m/u); 0 for null
  double tf_adjustment = 0;
};

struct Explanation {
  double prior_log2 = 0;  // log2(λ/(1-λ))
  std::vector<Contribution> fields;
  double weight = 0;
  double probability = 0;
};

class Model {
 public:
  Model() = default;
  // A model with Splink-like starting values (m decreasing with the level, u uniform, λ = 1e-4).
  explicit Model(std::vector<ComparisonSpec> comparisons);

  const std::vector<ComparisonSpec>& comparisons() const { return comparisons_; }
  double lambda() const { return lambda_; }
  void set_lambda(double l) { lambda_ = l; }
  double m(std::size_t c, int level) const { return m_[c][static_cast<std::size_t>(level)]; }
  double u(std::size_t c, int level) const { return u_[c][static_cast<std::size_t>(level)]; }
  void set_m(std::size_t c, int level, double v) { m_[c][static_cast<std::size_t>(level)] = v; }
  void set_u(std::size_t c, int level, double v) { u_[c][static_cast<std::size_t>(level)] = v; }

  // Recomputes the cached log-2 Bayes factors; call after changing λ, m or u.
  void Finalize();

  // Match weight (log2 odds) of the pair, with term-frequency adjustments computed from `store`.
  double Weight(const RecordStore& store, std::uint32_t gamma, std::uint32_t a, std::uint32_t b) const;
  // Field-by-field account of Weight().
  Explanation Explain(const RecordStore& store, std::uint32_t a, std::uint32_t b) const;

  static double Probability(double weight);
  static double WeightOf(double probability);

  // JSON (nlohmann_json): comparisons, λ, m, u. Errors: kNotFound (file), kInvalidArgument (content,
  // with the JSON path of the bad field).
  Status Save(const std::string& path) const;
  static Result<Model> Load(const std::string& path);
  std::string ToJson() const;
  static Result<Model> FromJson(const std::string& json);

 private:
  double TfAdjustment(const RecordStore& store, std::size_t c, std::uint32_t a, std::uint32_t b) const;

  std::vector<ComparisonSpec> comparisons_;
  double lambda_ = 1e-4;
  std::vector<std::vector<double>> m_, u_;    // [comparison][level], level 0 (null) unused
  std::vector<std::vector<double>> log2_bf_;  // cached
  double prior_log2_ = 0;
};

std::string ColName(Col c);
Result<Col> ParseCol(std::string_view name);
std::string KindName(CompareKind k);
Result<CompareKind> ParseKind(std::string_view name);

}  // namespace sanad::linkage
