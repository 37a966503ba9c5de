#include "core/xml_escape.h"

#include <gtest/gtest.h>

namespace sanad {
namespace {

TEST(XmlEscape, EscapesMarkupKeepsUtf8AndDropsWhatXmlForbids) {
  EXPECT_EQ(XmlEscape(R"(a<b>&"c'd)"), "a&lt;b&gt;&amp;&quot;c&apos;d");
  EXPECT_EQ(XmlEscape("مسنة\tseule\n"), "مسنة\tseule\n");
  EXPECT_EQ(XmlEscape(std::string("x\x01y\x1f", 4)), "xy");
}

}  // namespace
}  // namespace sanad
