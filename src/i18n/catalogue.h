// The message catalogues: a code ("field.required") and its parameters ({"field": "birth_date"}) become
// a text in Arabic, French or English. Texts use {name} placeholders, the same form the web catalogues
// use. A parameter that is itself a code (a field name, a stage) is rendered through the catalogue too
// when the text writes it {name:code}, e.g. "{field:code}" looks up "field_name.birth_date", or the value
// itself when it is a code of the catalogue ("{line:code}" with "program.line.asd.flat"). In Arabic a value
// with Latin letters or digits (a code, a date, a number) is isolated (U+2068 … U+2069), so that the
// bidirectional algorithm reorders neither it nor the sentence around it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "i18n/language.h"

namespace sanad::i18n {

// The text for `code` in `lang` with `params` filled in; nullopt when the code has no entry.
std::optional<std::string> Render(Lang lang, std::string_view code, const MessageParams& params = {});

// The text of an error for a person reading `lang`: the catalogue text of its reason when there is one;
// else its own (English) message for English readers and the generic text of its status class for
// the others, so no English reaches an Arabic or French screen.
std::string RenderError(Lang lang, const Error& e);
std::string RenderProblem(Lang lang, const Problem& p);

// Every code of one language's catalogue (tests, tools).
std::vector<std::string> Codes(Lang lang);

// The placeholder names a text uses, in order of first appearance ("{field:code}" gives "field").
std::vector<std::string> Placeholders(std::string_view text);

}  // namespace sanad::i18n
