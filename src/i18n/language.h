// The languages Sanad speaks and the choice of one from an HTTP Accept-Language header.
#pragma once

#include <optional>
#include <string_view>

namespace sanad::i18n {

enum class Lang { kAr, kFr, kEn };

std::string_view LangTag(Lang lang);                  // "ar", "fr", "en"
std::optional<Lang> ParseLang(std::string_view tag);  // "ar", "ar-MA", "FR-fr"… → the language

// RFC 9110 §12.5.4: the supported language with the highest q-value ("fr-FR;q=0.9, ar;q=0.8"), ties to
// the first listed; `fallback` when the header is absent, malformed or names none of ours.
Lang Negotiate(std::string_view accept_language, Lang fallback);

}  // namespace sanad::i18n
