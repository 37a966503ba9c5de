// A programme evaluated over a whole batch of households at once: each rule is compiled once per period
// and each plan evaluated once over the batch (columnar; the amounts over the households that pass the
// conditions only), giving per household its eligibility, its reasons when not eligible, its monthly
// amount, the amount of every line and of every one-off due in the period. Simulate (one household) is
// a batch of one through this same code. Pure: no SQL.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/time.h"
#include "programs/programme.h"
#include "rules/batch.h"
#include "rules/plan.h"

namespace sanad::programs {

// A message code with its parameters (rendered by i18n in the reader's language).
struct Reason {
  std::string code;
  MessageParams params;
  bool operator==(const Reason&) const = default;
};

// A programme's rules compiled for one period (its parameter set and reference day): compile once,
// evaluate over as many batches as the registry takes.
struct CompiledProgramme {
  struct Condition {
    std::string reason;
    rules::Plan plan;                                         // bool
    std::vector<std::pair<std::string, rules::Plan>> params;  // rendered into the reason
  };
  struct Amount {
    std::string label;
    rules::Plan plan;  // int
  };
  std::string code;
  std::string country;
  std::string currency;
  Date day;  // the period's first day: ages are taken on it
  std::vector<Condition> conditions;
  std::vector<Amount> lines;
  std::vector<Amount> one_offs;  // only those due in the period, in the programme's order
};

// `period` is "YYYY-MM". Errors: program.bad_period, program.no_parameters, rule.* when a rule does not
// compile against ProgrammeSchema().
Result<CompiledProgramme> CompileProgramme(const Programme& programme, std::string_view period);

// The outcome for every household of a batch, column by column (index = the household's row).
struct BatchOutcome {
  std::size_t households = 0;
  std::vector<std::uint8_t> eligible;
  std::vector<std::int64_t> monthly_amount;                // the sum of the lines; 0 when not eligible
  std::vector<std::string> line_labels;                    // the programme's lines, in order
  std::vector<std::vector<std::int64_t>> line_amounts;     // [line][household]; 0 when not eligible
  std::vector<std::string> one_off_labels;                 // the one-offs due in the period
  std::vector<std::vector<std::int64_t>> one_off_amounts;  // [one-off][household]; 0 when not eligible or null
  std::vector<std::int64_t> one_off_total;                 // per household
  // Why each household is not eligible, in CSR form: reasons[reason_offsets[h] .. reason_offsets[h+1]).
  std::vector<std::uint32_t> reason_offsets;
  std::vector<Reason> reasons;
};

// The largest amount, in whole dirhams or dinars and in either sign, that a line, a one-off or a
// household's sum of its lines or of its one-offs may reach: a billion. Past it the household is not
// eligible (program.reason.amount_out_of_range, naming the line that went past), so that no amount wraps
// around 64 bits, nor does it once in minor units (×100) or summed over a national cycle (50,000,000
// households × 2 × 10^11 minor units < 2^63).
inline constexpr std::int64_t kMaxAmount = 1'000'000'000;

// The batch must hold every field of ProgrammeSchema() and a household string column `country` (MA, DZ);
// a household of another country than the programme's is not eligible (program.reason.other_country).
// A condition that is null for a household gives program.reason.not_computable; a line that is null for
// an otherwise eligible household makes it not eligible with program.reason.amount_not_computable, an
// amount past kMaxAmount with program.reason.amount_out_of_range, a monthly total below zero with
// program.reason.monthly_negative and a one-off below zero with program.reason.one_off_negative (a line
// below zero is a deduction, allowed while the total is not).
// Errors: rule.batch_invalid naming a missing or malformed column.
Result<BatchOutcome> EvaluateBatch(const CompiledProgramme& compiled, const rules::Batch& batch);

// Compiles for `period` and evaluates (one batch; compile once and call the form above for many).
Result<BatchOutcome> EvaluateBatch(const Programme& programme, const rules::Batch& batch, std::string_view period);

}  // namespace sanad::programs
