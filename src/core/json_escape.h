// JSON written without building a JSON tree, in one place: the error bodies the HTTP layer writes by
// hand, the records the API streams, a cycle's entries and the scores' contributions escape strings and
// write numbers here.
#pragma once

#include <string>
#include <string_view>

namespace sanad {

// Appends `s` to `out` as the inside of a JSON string (no quotes): `"` `\` and control characters
// escaped (\b \f \n \r \t, \u00XX for the others), well-formed UTF-8 as it is. An ill-formed sequence
// becomes \ufffd when `replace_invalid`; otherwise the function stops there and returns false, with
// `out` holding what was appended so far (the caller decides: throw, or fall back).
bool AppendJsonEscaped(std::string& out, std::string_view s, bool replace_invalid);

// Appends `v` as a JSON number: the shortest text that reads back as the same double (std::to_chars;
// 2 for 2.0, 1e-05 for 0.00001); null for NaN and the infinities, which JSON cannot write.
void AppendJsonNumber(std::string& out, double v);

}  // namespace sanad
