// Numbers inside a rendered text, written as the reader's page writes them: the web formats its own with
// the browser's Intl (ICU's data) in the same locales (ar-MA with Latin digits, fr-FR, en-GB), so a figure
// reads the same in a reason the server wrote and on the page around it.
//
// Thread safety: safe from any thread (each thread keeps its own formatters).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "i18n/language.h"

namespace sanad::i18n {

enum class NumberKind {
  kDecimal,  // a decimal number ("10.674162499999998"), to at most 7 decimals: the decrees' thresholds
             // have up to 7 (AMO Tadamon's 9.3264284), so a threshold is never shown rounded
  kMoney,    // an amount in minor units ("80000"), with 2 decimals and the currency when one is given
};

// `value` as the language writes it, or nothing when it is not a plain decimal number (an optional minus,
// digits, for kDecimal an optional fraction): the caller then shows it as it is. `currency` is an
// ISO 4217 code or empty.
std::optional<std::string> FormatNumber(Lang lang, NumberKind kind, std::string_view value,
                                        std::string_view currency = {});

// The CLDR plural category of the count `n` in the language ("zero", "one", "two", "few", "many" or
// "other"): Arabic uses all six, French and English "one" and "other" (French's "one" holds 0 and 1).
std::string_view PluralCategory(Lang lang, long long n);

}  // namespace sanad::i18n
