#include "i18n/catalogue.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <optional>
#include <string>
#include <unordered_map>

#include "i18n/embedded_catalogues.h"
#include "i18n/number_format.h"

namespace sanad::i18n {

namespace {

using Table = std::unordered_map<std::string, std::string>;

Table Load(std::string_view text) {
  Table t;
  // The catalogues are part of the build; a malformed one fails the build's tests, not a request.
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return t;
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it.value().is_string()) t.emplace(it.key(), it.value().get<std::string>());
  }
  return t;
}

const Table& TableFor(Lang lang) {
  static const Table ar = Load(EmbeddedCatalogue_ar());
  static const Table fr = Load(EmbeddedCatalogue_fr());
  static const Table en = Load(EmbeddedCatalogue_en());
  switch (lang) {
    case Lang::kAr:
      return ar;
    case Lang::kFr:
      return fr;
    case Lang::kEn:
      return en;
  }
  return en;
}

const std::string* Find(Lang lang, std::string_view code) {
  const Table& t = TableFor(lang);
  auto it = t.find(std::string(code));
  return it == t.end() ? nullptr : &it->second;
}

constexpr std::string_view kFsi = "\u2068", kLri = "\u2066", kPdi = "\u2069";

// A value to isolate in a right-to-left text: one with Latin letters or digits (a code, a date, a number)
// that is not isolated already. Digits after an Arabic letter take the sentence's direction, so without
// it a date 2026-13-45 reads 45-13-2026, and a code's punctuation moves to its other end.
bool ToIsolate(Lang lang, std::string_view value) {
  if (lang != Lang::kAr || value.starts_with(kFsi) || value.starts_with(kLri)) return false;
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); });
}

void AppendValue(Lang lang, std::string& out, std::string_view value) {
  if (!ToIsolate(lang, value)) {
    out += value;
    return;
  }
  out += kFsi;
  out += value;
  out += kPdi;
}

// Calls `part` on each piece of `text` between the separators `sep`, in order.
template <typename Fn>
void ForEachPart(std::string_view text, std::string_view sep, Fn part) {
  while (!text.empty()) {
    const std::size_t at = text.find(sep);
    part(text.substr(0, at));
    text = at == std::string_view::npos ? std::string_view() : text.substr(at + sep.size());
  }
}

// The form of a count among a plural's forms ("one=# ligne;other=# lignes"), its number where "#" is: the
// form of the count's category in the language, else "other"; "other" too for a value that is not a whole
// number.
void AppendPlural(Lang lang, std::string& out, std::string_view forms, std::string_view value) {
  long long n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  const bool whole = !value.empty() && ec == std::errc() && end == value.data() + value.size();
  auto form_of = [&](std::string_view category) {
    std::optional<std::string_view> found;
    ForEachPart(forms, ";", [&](std::string_view form) {
      if (!found && form.size() > category.size() && form.starts_with(category) && form[category.size()] == '=') {
        found = form.substr(category.size() + 1);
      }
    });
    return found;
  };
  auto form = form_of(whole ? PluralCategory(lang, n) : "other");
  if (!form) form = form_of("other");
  for (char c : form.value_or("#")) {
    if (c == '#') {
      AppendValue(lang, out, value);
    } else {
      out += c;
    }
  }
}

std::string Fill(Lang lang, const std::string& text, const MessageParams& params) {
  std::string out;
  out.reserve(text.size() + 32);
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string::npos) break;
    size_t close = text.find('}', open + 1);
    if (close == std::string::npos) break;
    out.append(text, i, open - i);
    std::string_view inside(text.data() + open + 1, close - open - 1);
    std::string_view name = inside, kind;
    if (size_t colon = inside.find(':'); colon != std::string_view::npos) {
      name = inside.substr(0, colon);
      kind = inside.substr(colon + 1);
    }
    auto p = std::find_if(params.begin(), params.end(), [&](const auto& kv) { return kv.first == name; });
    if (p == params.end()) {
      out.append(text, open, close - open + 1);  // left visible: a missing parameter is a bug to see
    } else if (kind == "code") {
      // A parameter naming a field or a stage: rendered in the reader's language when it has an entry,
      // or when its value is itself a catalogue code (a programme's line label, program.line.…).
      const std::string* named = Find(lang, std::string(name) + "_name." + p->second);
      if (!named) named = Find(lang, p->second);
      if (named) {
        out += *named;
      } else {
        AppendValue(lang, out, p->second);
      }
    } else if (kind.starts_with("plural:")) {
      AppendPlural(lang, out, kind.substr(7), p->second);
    } else if (kind == "fields") {
      // A list of fields ("region, rooms"): each by its label, joined with the language's own comma.
      bool first = true;
      ForEachPart(p->second, ", ", [&](std::string_view item) {
        if (!first) out += lang == Lang::kAr ? "، " : ", ";
        first = false;
        if (const std::string* label = Find(lang, "field_name." + std::string(item))) {
          out += *label;
        } else {
          AppendValue(lang, out, item);
        }
      });
    } else if (kind == "decimal" || kind == "money") {
      // A number, written as the reader's page writes its own; the currency of an amount is the text's
      // own `currency` parameter when it has one.
      auto currency = std::find_if(params.begin(), params.end(), [](const auto& kv) { return kv.first == "currency"; });
      auto written = FormatNumber(lang, kind == "decimal" ? NumberKind::kDecimal : NumberKind::kMoney, p->second,
                                  currency == params.end() ? std::string_view() : std::string_view(currency->second));
      AppendValue(lang, out, written ? *written : p->second);
    } else {
      AppendValue(lang, out, p->second);
    }
    i = close + 1;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace

std::optional<std::string> Render(Lang lang, std::string_view code, const MessageParams& params) {
  const std::string* text = Find(lang, code);
  if (!text) return std::nullopt;
  return Fill(lang, *text, params);
}

std::string RenderError(Lang lang, const Error& e) {
  if (!e.reason.empty()) {
    if (auto text = Render(lang, e.reason, e.params)) return *text;
  }
  // An error without a catalogue text keeps its detailed English message for English readers; anyone
  // else gets the generic text of its status class in their own language, never English.
  if (!e.message.empty() && lang == Lang::kEn) return e.message;
  return Render(lang, "error." + std::string(CodeName(e.code))).value_or(std::string(CodeName(e.code)));
}

std::string RenderProblem(Lang lang, const Problem& p) {
  if (auto text = Render(lang, p.reason, p.params)) return *text;
  if (!p.message.empty() && lang == Lang::kEn) return p.message;
  return Render(lang, "form.invalid").value_or(p.reason);
}

std::vector<std::string> Codes(Lang lang) {
  std::vector<std::string> out;
  for (const auto& [k, v] : TableFor(lang)) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Placeholders(std::string_view text) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = text.find('{', i)) != std::string_view::npos) {
    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) break;
    std::string_view inside = text.substr(i + 1, close - i - 1);
    std::string name(inside.substr(0, inside.find(':')));
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    i = close + 1;
  }
  return out;
}

}  // namespace sanad::i18n
