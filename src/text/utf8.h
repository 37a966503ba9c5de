// Script tests over UTF-8 text. Decoding and encoding are core's (core/utf8.h), named here too for the
// text module's callers.
#pragma once

#include <string>
#include <string_view>

#include "core/utf8.h"

namespace sanad::text {

using ::sanad::AppendUtf8;
using ::sanad::DecodeUtf8;
using ::sanad::EncodeUtf8;

// True when `s` holds at least one letter of the Arabic blocks (U+0600–06FF, 0750–077F, 08A0–08FF,
// FB50–FDFF, FE70–FEFF).
bool HasArabic(std::string_view s);

inline bool IsArabicCodePoint(char32_t c) {
  return (c >= 0x0600 && c <= 0x06FF) || (c >= 0x0750 && c <= 0x077F) || (c >= 0x08A0 && c <= 0x08FF) ||
         (c >= 0xFB50 && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF);
}

}  // namespace sanad::text
