// UTF-8 well-formedness, checked at every edge where text enters (JSON fields, query parameters,
// CSV/XLSX cells) so that nothing malformed reaches storage or the logs.
#pragma once

#include <string_view>

namespace sanad {

// True when `s` is well-formed UTF-8 (RFC 3629): no stray continuation bytes, no truncated sequence,
// no overlong form, no surrogate, nothing above U+10FFFF.
bool IsValidUtf8(std::string_view s);

}  // namespace sanad
