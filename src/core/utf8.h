// UTF-8, in one place: the well-formedness check applied at every edge where text enters (JSON fields,
// query parameters, CSV/XLSX cells) so that nothing malformed reaches storage or the logs, and the
// decoder and encoder that text normalisation, JSON escaping and the indexes use.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace sanad {

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629: no stray continuation byte, no
// truncated sequence, no overlong form, no surrogate, nothing above U+10FFFF); 0 when there is none.
std::size_t Utf8SequenceLength(std::string_view s, std::size_t i);

// True when `s` is well-formed UTF-8.
bool IsValidUtf8(std::string_view s);

// The code point at s[i] and the bytes it takes; an ill-formed sequence yields U+FFFD over one byte, so
// decoding never fails on dirty input (registers exported from spreadsheets often carry it).
struct DecodedCodePoint {
  char32_t value;
  std::size_t length;
};
DecodedCodePoint DecodeUtf8At(std::string_view s, std::size_t i);

// Decodes `s` into code points (DecodeUtf8At over the whole string).
std::u32string DecodeUtf8(std::string_view s);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// Encodes a sequence of code points.
std::string EncodeUtf8(std::u32string_view s);

}  // namespace sanad
