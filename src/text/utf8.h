// Minimal UTF-8 <-> code point helpers shared by the text module. Invalid bytes decode to U+FFFD so
// that normalisation never fails on dirty input (registers exported from spreadsheets often carry it).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sanad::text {

// Decodes `s` into code points. Never fails: an invalid or truncated sequence yields U+FFFD.
std::u32string DecodeUtf8(std::string_view s);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// Encodes a sequence of code points.
std::string EncodeUtf8(std::u32string_view s);

// True when `s` holds at least one letter of the Arabic blocks (U+0600–06FF, 0750–077F, 08A0–08FF,
// FB50–FDFF, FE70–FEFF).
bool HasArabic(std::string_view s);

inline bool IsArabicCodePoint(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

}  // namespace sanad::text
