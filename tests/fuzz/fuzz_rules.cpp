// A bounded mutational fuzzer for the targeting rule language: random and mutated rule sources go
// through parse, type check, compile and evaluation over a small batch. Every input must end in values
// or in an error with a catalogue code (rule.*); a crash, a hang (an input over the time bound) or an
// error without a code is a failure. Inputs are well-typed random rules (the generator the evaluation
// test uses), the same mutated, fixed seeds (the ASD amount among them) mutated, and token soups;
// mutations flip bytes, insert language tokens, delete, duplicate and splice.
//
//   fuzz_rules --seconds 600 [--seed 1]     # prints counts; exit 1 on any failure
//
// Deterministic for a seed and a number of rounds; bounded in time.
#include <CLI/CLI.hpp>
#include <chrono>
#include <iostream>
#include <map>
#include <random>

#include "byte_mutator.h"
#include "rules/plan.h"
#include "rules/test_random.h"
#include "rules/test_schema.h"

namespace sanad::testing {
namespace {

using rules::Type;

std::vector<std::string> Seeds() {
  return {
      R"(members.count(c, c.relationship == "child" && age(c.birth_date) < 21) == 0 ? param("asd.flat")
  : max(param("asd.flat"), members.sum(c, c.relationship == "child" && age(c.birth_date) < 21
      ? (c.rank_by(birth_date, c.relationship == "child" && age(c.birth_date) < 21) <= 3
          ? (age(c.birth_date) <= 5 ? 250 : c.schooling != "none" ? 250 : 175) : 36)
        + (c.disability_percent >= 50 ? 100 : 0) : 0)))",
      R"(urban && socio_economic_index <= param("p.dec") && !members.exists(m, m.weight > 2.5))",
      R"(members.max(m, m.birth_date) > date("2000-02-29") || milieu in ["rural"])",
      R"(members.sum(m, m.weight * 2 / 0.5) - declared_income / 3 + -members.min(m, m.disability_percent))",
      R"(members.count(m, m.schooling in ["primary", "lower_secondary"] && has(m.weight)) * 9223372036854775807)",
      R"(members.count(m, members.count(k, k.rank_by(weight, true) == 1) > 0))",
  };
}

// Pieces of the rule language, inserted by the mutator.
constexpr std::string_view kRuleTokens[] = {"(",
                                            ")",
                                            "[",
                                            "]",
                                            ",",
                                            ".",
                                            "?",
                                            ":",
                                            "&&",
                                            "||",
                                            "!",
                                            "==",
                                            "<=",
                                            "+",
                                            "-",
                                            "*",
                                            "/",
                                            " in ",
                                            "\"",
                                            "'",
                                            "\\",
                                            "members.",
                                            "m.",
                                            "c.",
                                            "count(",
                                            "sum(m, ",
                                            "min(",
                                            "max(",
                                            "exists(",
                                            "age(",
                                            "has(",
                                            "param(\"",
                                            "date(\"",
                                            "rank_by(",
                                            "true",
                                            "false",
                                            "0",
                                            "-1",
                                            "2.5",
                                            "1e5",
                                            "9223372036854775807",
                                            "\"primery\"",
                                            "urban",
                                            "weight",
                                            "birth_date",
                                            "\n",
                                            "#",
                                            "\xd8\xa7",
                                            "\xff",
                                            "((((((((((",
                                            "!!!!!!!!!!",
                                            "1+1+1+1+1+1+1+1"};

class Mutator : public fuzz::ByteMutator {
 public:
  using ByteMutator::ByteMutator;

  std::string Mutate(std::string s) { return ByteMutator::Mutate(std::move(s), kRuleTokens, 16, 64); }

  // A source made only of language tokens, to reach deeper into the grammar than byte noise does.
  std::string Tokens() {
    static const std::vector<std::string> t = {"(",
                                               ")",
                                               "members",
                                               ".",
                                               "count",
                                               "(",
                                               "m",
                                               ",",
                                               "m",
                                               "weight",
                                               ">",
                                               "1",
                                               "&&",
                                               "||",
                                               "!",
                                               "?",
                                               ":",
                                               "urban",
                                               "in",
                                               "[",
                                               "]",
                                               "\"rural\"",
                                               "milieu",
                                               "==",
                                               "+",
                                               "*",
                                               "age",
                                               "date(\"2020-01-01\")",
                                               "param(\"asd.flat\")",
                                               "rank_by",
                                               "birth_date",
                                               "true",
                                               "-",
                                               "2.5"};
    std::string s;
    const std::size_t n = 1 + Below(40);
    for (std::size_t i = 0; i < n; ++i) s += t[Below(t.size())] + (Chance(50) ? " " : "");
    return s;
  }
};

int Run(int seconds, std::uint64_t seed) {
  Mutator m(seed);
  const auto seeds = Seeds();
  const rules::Schema schema = rules::testing::TestSchema();
  const rules::Params params = rules::testing::TestParams();
  rules::testing::Random random(seed);
  const rules::Batch batch = rules::testing::RandomBatch(random, 50);
  // Small limits keep every input cheap; one input over a second counts as a hang.
  const rules::Limits limits{.max_source_bytes = 4096, .max_depth = 48, .max_nodes = 1500};
  const auto per_input = std::chrono::seconds(1);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  long rounds = 0, failures = 0;
  std::map<std::string, long> outcomes;
  while (std::chrono::steady_clock::now() < deadline) {
    std::string source;
    const std::size_t kind = m.Below(10);
    if (kind < 3) {
      // Well-typed rules reach evaluation; mutated ones probe the checker near valid input.
      rules::testing::RuleGenerator gen(random);
      const Type t = random.Pick<Type>({Type::kInt, Type::kDecimal, Type::kBool, Type::kDate});
      source = gen.Of(t, 1 + random.Below(4), "");
      if (kind == 2) source = m.Mutate(source);
    } else if (kind < 7) {
      source = m.Mutate(seeds[m.Below(seeds.size())]);
    } else if (kind < 9) {
      source = m.Tokens();
    } else {
      source = m.Mutate(m.Mutate(seeds[m.Below(seeds.size())]) + m.Tokens());
    }
    const auto start = std::chrono::steady_clock::now();
    std::string key;
    auto plan = rules::Compile(source, schema, params, std::nullopt, limits);
    if (!plan) {
      key = "compile " + plan.error().reason;
      const std::string& reason = plan.error().reason;
      if (reason.empty() && ++failures <= 10) {
        std::cerr << "FAIL compile error without a code: " << plan.error().message << "\n  " << source << "\n";
      }
      // An unmutated generated rule is well typed: only the size limits may refuse it.
      if (kind < 2 && reason != "rule.too_deep" && reason != "rule.too_many_nodes" && reason != "rule.too_long" &&
          ++failures <= 10) {
        std::cerr << "FAIL a well-typed rule was refused: " << reason << "\n  " << source << "\n";
      }
    } else {
      auto values = rules::Evaluate(*plan, batch, Date{2026, 3, 1});
      key = values ? "evaluated" : "evaluate " + values.error().reason;
      if (!values && ++failures <= 10) {
        std::cerr << "FAIL a compiled plan did not evaluate: " << values.error().reason << "\n  " << source << "\n";
      } else if (values && values->present.size() != batch.households && ++failures <= 10) {
        std::cerr << "FAIL wrong number of values\n  " << source << "\n";
      }
    }
    if (std::chrono::steady_clock::now() - start > per_input && ++failures <= 10) {
      std::cerr << "FAIL an input took over a second\n  " << source << "\n";
    }
    ++rounds;
    ++outcomes[key];
  }
  std::cout << "fuzz_rules: " << seconds << " s, seed " << seed << ", " << rounds << " inputs, " << failures
            << " failures\n";
  for (const auto& [k, n] : outcomes) std::cout << "  " << k << ": " << n << "\n";
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace sanad::testing

int main(int argc, char** argv) {
  CLI::App app{"Bounded mutational fuzzing of the targeting rule language"};
  int seconds = 10;
  std::uint64_t seed = 1;
  app.add_option("--seconds", seconds, "How long to run")->check(CLI::Range(1, 86400));
  app.add_option("--seed", seed, "Random seed");
  CLI11_PARSE(app, argc, argv);
  return sanad::testing::Run(seconds, seed);
}
