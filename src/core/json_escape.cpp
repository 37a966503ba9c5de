#include "core/json_escape.h"

#include "core/utf8.h"

namespace sanad {

bool AppendJsonEscaped(std::string& out, std::string_view s, bool replace_invalid) {
  std::size_t from = 0;  // start of the run of bytes copied as they are
  auto escape = [&](std::size_t i, std::size_t skip, std::string_view with) {
    out.append(s.substr(from, i - from));
    out += with;
    from = i + skip;
  };
  for (std::size_t i = 0; i < s.size();) {
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

}  // namespace sanad
