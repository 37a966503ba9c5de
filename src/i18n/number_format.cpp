#include "i18n/number_format.h"

#include <unicode/currunit.h>
#include <unicode/locid.h>
#include <unicode/numberformatter.h>
#include <unicode/plurrule.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace sanad::i18n {
namespace {

namespace number = icu::number;

// The web's locales (web/src/i18n: ar-MA-u-nu-latn, fr-FR, en-GB) in ICU's spelling.
const char* LocaleId(Lang lang) {
  switch (lang) {
    case Lang::kAr:
      return "ar_MA@numbers=latn";
    case Lang::kFr:
      return "fr_FR";
    case Lang::kEn:
      return "en_GB";
  }
  return "en_GB";
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// An optional minus and digits, then (when allowed) a point and digits; at most 40 characters, which holds
// any amount or index the engine writes.
bool PlainDecimal(std::string_view v, bool fraction) {
  if (v.empty() || v.size() > 40) return false;
  std::size_t i = v[0] == '-' ? 1 : 0;
  const std::size_t integer = i;
  while (i < v.size() && IsDigit(v[i])) ++i;
  if (i == integer) return false;
  if (i == v.size()) return true;
  if (!fraction || v[i] != '.') return false;
  const std::size_t decimals = ++i;
  while (i < v.size() && IsDigit(v[i])) ++i;
  return i > decimals && i == v.size();
}

bool IsCurrencyCode(std::string_view c) {
  return c.size() == 3 && std::all_of(c.begin(), c.end(), [](char x) { return x >= 'A' && x <= 'Z'; });
}

number::LocalizedNumberFormatter Make(Lang lang, NumberKind kind, std::string_view currency, UErrorCode& status) {
  auto f = number::NumberFormatter::withLocale(icu::Locale(LocaleId(lang)));
  // Half away from zero, as the browser's Intl rounds (its "halfExpand").
  if (kind == NumberKind::kDecimal)
    return f.precision(number::Precision::maxFraction(7)).roundingMode(UNUM_ROUND_HALFUP);
  auto money = f.scale(number::Scale::powerOfTen(-2)).precision(number::Precision::fixedFraction(2));
  if (!IsCurrencyCode(currency)) return money;
  const char16_t iso[4] = {static_cast<char16_t>(currency[0]), static_cast<char16_t>(currency[1]),
                           static_cast<char16_t>(currency[2]), 0};
  return money.unit(icu::CurrencyUnit(iso, status));
}

}  // namespace

std::optional<std::string> FormatNumber(Lang lang, NumberKind kind, std::string_view value, std::string_view currency) {
  if (!PlainDecimal(value, kind == NumberKind::kDecimal)) return std::nullopt;
  if (!IsCurrencyCode(currency)) currency = {};
  // A formatter is costly to build and cheap to use: one per language, kind and currency, per thread.
  thread_local std::unordered_map<std::string, number::LocalizedNumberFormatter> formatters;
  std::string key = std::to_string(static_cast<int>(lang)) + std::to_string(static_cast<int>(kind));
  key += currency;
  UErrorCode status = U_ZERO_ERROR;
  auto it = formatters.find(key);
  if (it == formatters.end()) {
    auto made = Make(lang, kind, currency, status);
    if (U_FAILURE(status)) return std::nullopt;
    it = formatters.emplace(std::move(key), std::move(made)).first;
  }
  const auto formatted =
      it->second.formatDecimal(icu::StringPiece(value.data(), static_cast<std::int32_t>(value.size())), status);
  const icu::UnicodeString text = formatted.toString(status);
  if (U_FAILURE(status)) return std::nullopt;
  std::string out;
  text.toUTF8String(out);
  return out;
}

std::string_view PluralCategory(Lang lang, long long n) {
  static constexpr std::array<std::string_view, 6> kCategories{"zero", "one", "two", "few", "many", "other"};
  // One set of rules per language, per thread (PluralRules is not documented as safe to share).
  thread_local std::array<std::unique_ptr<icu::PluralRules>, 3> rules;
  auto& r = rules[static_cast<std::size_t>(lang)];
  if (!r) {
    UErrorCode status = U_ZERO_ERROR;
    r.reset(icu::PluralRules::forLocale(icu::Locale(LocaleId(lang)), status));
    if (U_FAILURE(status)) r.reset();
    if (!r) return "other";
  }
  std::string category;
  r->select(static_cast<double>(n)).toUTF8String(category);
  const auto* known = std::find(kCategories.begin(), kCategories.end(), category);
  return known == kCategories.end() ? "other" : *known;
}

}  // namespace sanad::i18n
