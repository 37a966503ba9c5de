// JSON string escaping, in one place: the error bodies the HTTP layer writes by hand and the records the
// API writes without building a JSON tree both escape strings here.
#pragma once

#include <string>
#include <string_view>

namespace sanad {

// Appends `s` to `out` as the inside of a JSON string (no quotes): `"` `\` and control characters
// escaped (\b \f \n \r \t, \u00XX for the others), well-formed UTF-8 as it is. An ill-formed sequence
// becomes \ufffd when `replace_invalid`; otherwise the function stops there and returns false, with
// `out` holding what was appended so far (the caller decides: throw, or fall back).
bool AppendJsonEscaped(std::string& out, std::string_view s, bool replace_invalid);

}  // namespace sanad
