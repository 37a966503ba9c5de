// How the command line shows an Error: the catalogue text of its code in the operator's language, with
// every problem of a multi-problem error on a line of its own. Errors now often carry only a code and
// its parameters, so printing Error::message alone would show an empty line.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "i18n/language.h"

namespace sanad::app {

// The operator's language: SANAD_LANG, else the POSIX locale (LC_ALL, LC_MESSAGES, LANG: "fr_MA.UTF-8"
// is French); English when none names Arabic or French.
i18n::Lang CliLanguage();

// The error's own text: its catalogue text in `lang`, else its (English) message, else the generic
// text of its status class; without field, code or problems (for a text that names its key itself).
std::string CliMessage(const Error& e, i18n::Lang lang);
std::string CliMessage(const Error& e);  // in CliLanguage()

// The error's text, its field in parentheses and its code in brackets, then "  - problem" lines:
// "Some fields need correcting. [form.invalid]\n  - Date of birth is required. (birth_date)".
std::string CliErrorText(const Error& e, i18n::Lang lang);
std::string CliErrorText(const Error& e);  // in CliLanguage()

// Ends a subcommand that cannot go on: "sanad <command>: <error text>" on stderr and exit status 1,
// through CLI11's RuntimeError so that the command line's caller returns it.
[[noreturn]] void FailCommand(std::string_view command, const Error& e);

}  // namespace sanad::app
