#include "text/utf8.h"

namespace sanad::text {

bool HasArabic(std::string_view s) {
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    // Arabic blocks start with lead bytes D8–DD (U+0600–077F), E0 A2/A3 (08A0–08FF), EF AD–BB (presentation forms).
    if (b >= 0xD8 && b <= 0xDD) return true;
    if (b == 0xE0 && (static_cast<unsigned char>(s[i + 1]) == 0xA2 || static_cast<unsigned char>(s[i + 1]) == 0xA3))
      return true;
    if (b == 0xEF && i + 2 < s.size()) {
      const auto cp = DecodeUtf8(s.substr(i, 3));
      if (!cp.empty() && IsArabicCodePoint(cp[0])) return true;
    }
  }
  return false;
}

}  // namespace sanad::text
