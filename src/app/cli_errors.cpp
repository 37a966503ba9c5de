#include "app/cli_errors.h"

#include <CLI/Error.hpp>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "i18n/catalogue.h"

namespace sanad::app {

namespace {

std::string Suffix(const std::string& field, const std::string& reason) {
  std::string out;
  if (!field.empty()) out += " (" + field + ")";
  if (!reason.empty()) out += " [" + reason + "]";
  return out;
}

}  // namespace

i18n::Lang CliLanguage() {
  for (const char* name : {"SANAD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') continue;
    std::string_view tag(value);
    tag = tag.substr(0, tag.find_first_of(".@"));  // "ar_MA.UTF-8", "fr@euro"
    // The first variable that is set decides, as for the C library: LANG=fr does not override LC_ALL=C.
    return i18n::ParseLang(tag).value_or(i18n::Lang::kEn);
  }
  return i18n::Lang::kEn;
}

std::string CliMessage(const Error& e, i18n::Lang lang) {
  if (!e.reason.empty()) {
    if (auto text = i18n::Render(lang, e.reason, e.params)) return *text;
  }
  // An error without a catalogue text keeps its detailed English message in every language: the
  // operator needs the file name or the database's own words more than the generic text of its class.
  return e.message.empty() ? i18n::RenderError(lang, e) : e.message;
}

std::string CliMessage(const Error& e) { return CliMessage(e, CliLanguage()); }

std::string CliErrorText(const Error& e, i18n::Lang lang) {
  std::string text = CliMessage(e, lang) + Suffix(e.field, e.reason);
  for (const auto& p : e.problems) text += "\n  - " + i18n::RenderProblem(lang, p) + Suffix(p.field, p.reason);
  return text;
}

std::string CliErrorText(const Error& e) { return CliErrorText(e, CliLanguage()); }

void FailCommand(std::string_view command, const Error& e) {
  std::fprintf(stderr, "sanad %.*s: %s\n", static_cast<int>(command.size()), command.data(), CliErrorText(e).c_str());
  throw CLI::RuntimeError(1);
}

}  // namespace sanad::app
