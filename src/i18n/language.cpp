#include "i18n/language.h"

#include <cctype>
#include <charconv>
#include <string>

namespace sanad::i18n {

std::string_view LangTag(Lang lang) {
  switch (lang) {
    case Lang::kAr:
      return "ar";
    case Lang::kFr:
      return "fr";
    case Lang::kEn:
      return "en";
  }
  return "en";
}

std::optional<Lang> ParseLang(std::string_view tag) {
  // The primary subtag decides: "ar-DZ" and "ar-MA" are both Arabic for our catalogues.
  std::string primary;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    primary.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (primary == "ar") return Lang::kAr;
  if (primary == "fr") return Lang::kFr;
  if (primary == "en") return Lang::kEn;
  return std::nullopt;
}

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "q=0.8" → 800; anything unreadable → -1 (the range is ignored).
int ParseQuality(std::string_view param) {
  param = Trim(param);
  if (param.size() < 2 || (param[0] != 'q' && param[0] != 'Q') || param[1] != '=') return -1;
  std::string_view v = param.substr(2);
  if (v.empty() || v.size() > 5) return -1;
  if (v[0] == '1') return 1000;
  if (v[0] != '0') return -1;
  int milli = 0, scale = 100;
  for (size_t i = 2; i < v.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return -1;
    milli += (v[i] - '0') * scale;
    scale /= 10;
  }
  return milli;
}

}  // namespace

Lang Negotiate(std::string_view header, Lang fallback) {
  std::optional<Lang> best;
  int best_q = 0;
  // Bounded: a header is at most a few KiB (the server caps header sizes) and this is one pass.
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view tag = Trim(item.substr(0, semi));
    int q = 1000;
    if (semi != std::string_view::npos) q = ParseQuality(item.substr(semi + 1));
    if (q <= 0) continue;
    auto lang = ParseLang(tag);
    if (!lang) continue;
    if (q > best_q) {
      best = lang;
      best_q = q;
    }
  }
  return best.value_or(fallback);
}

}  // namespace sanad::i18n
