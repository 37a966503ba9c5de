#include "core/json_escape.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace sanad {
namespace {

std::string Escaped(std::string_view s, bool replace = true) {
  std::string out;
  EXPECT_TRUE(AppendJsonEscaped(out, s, replace));
  return out;
}

TEST(JsonEscape, EscapesWhatJsonRequiresAndKeepsUtf8) {
  EXPECT_EQ(Escaped("plain"), "plain");
  EXPECT_EQ(Escaped("a\"b\\c"), "a\\\"b\\\\c");
  EXPECT_EQ(Escaped("\b\f\n\r\t"), "\\b\\f\\n\\r\\t");
  EXPECT_EQ(Escaped(std::string("\x01\x1f", 2)), "\\u0001\\u001f");
  EXPECT_EQ(Escaped("محمد 249 Rue"), "محمد 249 Rue");
  EXPECT_EQ(Escaped("\x7f"), "\x7f");
}

TEST(JsonEscape, IllFormedUtf8IsReplacedOrStopsThere) {
  EXPECT_EQ(Escaped("a\xff"
                    "b"),
            "a\\ufffdb");
  EXPECT_EQ(Escaped("\xc0\xaf"), "\\ufffd\\ufffd") << "an overlong form is two bad bytes";
  std::string out = "x";
  EXPECT_FALSE(AppendJsonEscaped(out, "ok\"\xe2\x82", false));
  EXPECT_EQ(out, "xok\\\"") << "what came before the bad sequence, escaped";
}

// Plain text is skipped eight bytes at a time: whatever needs a look must be found at any offset of a
// longer text, next to the bytes just outside what needs one (0x1f/0x20, 0x7f/0x80).
TEST(JsonEscape, FindsWhatNeedsEscapingAtEveryOffsetOfALongText) {
  const std::string plain = "Az ~!#[]{}09\x7f";  // no byte that needs a look, 0x20 and 0x7f among them
  const std::vector<std::pair<std::string, std::string>> cases = {{"\"", "\\\""},
                                                                  {"\\", "\\\\"},
                                                                  {"\n", "\\n"},
                                                                  {std::string("\x00", 1), "\\u0000"},
                                                                  {"\x1f", "\\u001f"},
                                                                  {"\xd9\x85", "\xd9\x85"},
                                                                  {"\xe2\x82\xac", "\xe2\x82\xac"},
                                                                  {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},
                                                                  {"\xff", "\\ufffd"},
                                                                  {"\x80", "\\ufffd"}};
  for (const auto& [special, escaped] : cases) {
    for (std::size_t before = 0; before <= 24; ++before) {
      for (std::size_t after : {0U, 1U, 7U, 8U, 9U, 17U}) {
        std::string head, tail;
        for (std::size_t k = 0; k < before; ++k) head += plain[k % plain.size()];
        for (std::size_t k = 0; k < after; ++k) tail += plain[(k + 3) % plain.size()];
        std::string text = head, expected = head;
        text.append(special).append(tail);
        expected.append(escaped).append(tail);
        EXPECT_EQ(Escaped(text), expected) << "at offset " << before << " with " << after << " bytes after";
      }
    }
  }
}

TEST(JsonNumber, WritesTheShortestTextThatReadsBackAndNullForWhatJsonCannotWrite) {
  const auto text = [](double v) {
    std::string out = "x";  // appended, not replaced
    AppendJsonNumber(out, v);
    return out.substr(1);
  };
  EXPECT_EQ(text(2.0), "2");
  EXPECT_EQ(text(-0.12), "-0.12");
  EXPECT_EQ(text(9.743001), "9.743001");
  EXPECT_EQ(text(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(text(1e-05), "1e-05");
  EXPECT_EQ(text(1e300), "1e+300");
  EXPECT_EQ(text(std::numeric_limits<double>::quiet_NaN()), "null");
  EXPECT_EQ(text(std::numeric_limits<double>::infinity()), "null");
  EXPECT_EQ(text(-std::numeric_limits<double>::infinity()), "null");
  for (double v : {12.115905999999999, 1.0 / 3.0, -2.5e-300, 123456789012345678.0}) {
    EXPECT_EQ(std::stod(text(v)), v) << text(v);
  }
}

}  // namespace
}  // namespace sanad
