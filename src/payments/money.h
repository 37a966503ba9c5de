// Amounts as text, exactly: minor units (centimes / santimes) written and read by integer arithmetic,
// never through a floating-point number.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sanad::payments {

// 123456 → "1234.56", 1 → "0.01" (a non-negative amount; the payment files' decimal form).
std::string FormatMinor(std::int64_t minor);

// "1234.56", "1234.5", "1234" → minor units; nullopt for a sign, more than two decimals, anything
// not a digit or above 10^15 minor units.
std::optional<std::int64_t> ParseDecimalAmount(std::string_view text);

// "123456" → 123456 (the CSV layouts' amount_minor); nullopt for anything but digits.
std::optional<std::int64_t> ParseMinor(std::string_view text);

// Lower-case hex SHA-256 of `bytes`.
std::string Sha256Hex(std::string_view bytes);

// A cash withdrawal code: 10 random decimal digits from the system's CSPRNG (libsodium), shown to the
// beneficiary only. The database and the post office's file hold WithdrawalCodeHash, never the code.
std::string NewWithdrawalCode();
// SHA-256 of "<end-to-end id>:<code>": the agent checks the code a beneficiary gives against it.
std::string WithdrawalCodeHash(std::string_view end_to_end_id, std::string_view code);

}  // namespace sanad::payments
