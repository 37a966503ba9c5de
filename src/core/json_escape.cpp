#include "core/json_escape.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/utf8.h"

namespace sanad {
namespace {

// Whether none of the eight bytes at `p` needs a look: no quote, backslash, control character or byte of
// a multi-byte sequence. Most text escaped is plain ASCII (keys, codes, numbers as text, dates), and a
// word-wide test skips it eight bytes at a time rather than one (the "has a byte less than n" and "has
// a zero byte" tests of Hacker's Delight, §6-1: exact as to whether such a byte exists).
bool Plain8(const char* p) {
  std::uint64_t w = 0;
  std::memcpy(&w, p, sizeof w);
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  const std::uint64_t control = (w - kOnes * 0x20) & ~w & kHighs;
  const std::uint64_t q = w ^ (kOnes * static_cast<unsigned char>('"'));
  const std::uint64_t b = w ^ (kOnes * static_cast<unsigned char>('\\'));
  const std::uint64_t quote = (q - kOnes) & ~q & kHighs;
  const std::uint64_t backslash = (b - kOnes) & ~b & kHighs;
  return ((w & kHighs) | control | quote | backslash) == 0;
}

}  // namespace

bool AppendJsonEscaped(std::string& out, std::string_view s, bool replace_invalid) {
  std::size_t from = 0;  // start of the run of bytes copied as they are
  auto escape = [&](std::size_t i, std::size_t skip, std::string_view with) {
    out.append(s.substr(from, i - from));
    out += with;
    from = i + skip;
  };
  for (std::size_t i = 0; i < s.size();) {
    while (i + 8 <= s.size() && Plain8(s.data() + i)) i += 8;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = Utf8SequenceLength(s, i);
      if (n == 0) {
        if (!replace_invalid) {
          out.append(s.substr(from, i - from));
          return false;
        }
        escape(i, 1, "\\ufffd");
        ++i;
        continue;
      }
      i += n;
      continue;
    }
    switch (c) {
      case '"':
        escape(i, 1, "\\\"");
        break;
      case '\\':
        escape(i, 1, "\\\\");
        break;
      case '\b':
        escape(i, 1, "\\b");
        break;
      case '\t':
        escape(i, 1, "\\t");
        break;
      case '\n':
        escape(i, 1, "\\n");
        break;
      case '\f':
        escape(i, 1, "\\f");
        break;
      case '\r':
        escape(i, 1, "\\r");
        break;
      default:
        if (c < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          escape(i, 1, std::string_view(u, sizeof u));
        }
    }
    ++i;
  }
  out.append(s.substr(from));
  return true;
}

void AppendJsonNumber(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  char buf[32];  // the shortest round-trip text of a double is at most 24 characters
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, end);
}

}  // namespace sanad
