// A loan's repayment schedule packed into one text, stored beside the loan (microcredit_loans.schedule)
// and written in the same transaction as its instalment rows. The instalment rows stay the record that
// the loan page and a rescheduling read; the packed copy is what the portfolio read takes, so that the
// nightly ageing reads one row per loan instead of one per instalment (36 M rows for a million loans:
// most of the read's cost was the database formatting those rows, docs/microcredit.md "Benchmark").
//
// Form: the instalments in due order, "YYYY-MM-DD:principal" joined by ';' (principal in santimes),
// e.g. "2026-04-15:416600;2026-05-15:416700". Readable in a database shell, and the same on SQLite and
// PostgreSQL, where a migration builds it from the rows with plain string functions.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "microcredit/portfolio.h"

namespace sanad::microcredit {

struct LoanInstalment;

std::string PackSchedule(std::span<const LoanInstalment> instalments);

// Appends the packed instalments to `due` and `principal`; false (and nothing appended) when the text is
// not in the form above. Parses in place: the portfolio read unpacks tens of millions of instalments.
bool UnpackSchedule(std::string_view packed, std::vector<Day>& due, std::vector<std::int64_t>& principal);

// A stored date (YYYY-MM-DD) as a day number, or -1 when it is not one; no string is built.
Day DayOfStoredDate(std::string_view iso);

}  // namespace sanad::microcredit
