#include "core/json_escape.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace sanad
