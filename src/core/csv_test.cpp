#include "core/csv.h"

#include <gtest/gtest.h>
#include <sstream>

namespace sanad::csv {
namespace {

Result<Reader> FromText(std::string text) {
  return Reader::FromStream(std::make_unique<std::istringstream>(std::move(text)), "test.csv");
}

TEST(Csv, ReadsQuotedFieldsWithCommasQuotesAndNewlines) {
  auto r = FromText(
      "\xEF\xBB\xBF"
      "a,b,c\r\n1,\"x, \"\"y\"\"\",\"two\nlines\"\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Column("a"), 0);
  std::vector<std::string> row;
  ASSERT_TRUE(*r->Next(row));
  EXPECT_EQ(row[1], "x, \"y\"");
  EXPECT_EQ(row[2], "two\nlines");
  EXPECT_FALSE(*r->Next(row));
}

TEST(Csv, ReportsAnUnterminatedQuoteWithItsLine) {
  auto r = FromText("a,b\n1,2\n3,\"oops\n");
  ASSERT_TRUE(r);
  std::vector<std::string> row;
  ASSERT_TRUE(*r->Next(row));
  auto bad = r->Next(row);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("line 3"), std::string::npos);
  EXPECT_EQ(bad.error().reason, "csv.unterminated_quote");
}

TEST(Csv, PadsShortRowsAndSkipsBlankLines) {
  auto r = FromText("a,b,c\n\n1\n");
  std::vector<std::string> row;
  ASSERT_TRUE(*r->Next(row));
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(row[0], "1");
}

TEST(Csv, ScannerKeepsViewsAndCountsPhysicalLines) {
  std::deque<std::string> arena;
  const std::string text =
      "\xEF\xBB\xBF"
      "a,\"b\"\"c\"\r\n\"x\ny\",z\r\rlast";
  Scanner scan(text, arena);
  std::vector<std::string_view> f;
  ASSERT_TRUE(*scan.Next(f));
  EXPECT_EQ(f, (std::vector<std::string_view>{"a", "b\"c"}));
  EXPECT_EQ(scan.line(), 1);
  EXPECT_EQ(arena.size(), 1u) << "only a field with doubled quotes is copied";
  ASSERT_TRUE(*scan.Next(f));
  EXPECT_EQ(f, (std::vector<std::string_view>{"x\ny", "z"}));
  EXPECT_EQ(scan.line(), 2);
  ASSERT_TRUE(*scan.Next(f));
  EXPECT_EQ(f, (std::vector<std::string_view>{""})) << "a blank line (CR alone ends a line)";
  ASSERT_TRUE(*scan.Next(f));
  EXPECT_EQ(f, (std::vector<std::string_view>{"last"}));
  EXPECT_EQ(scan.line(), 5);
  EXPECT_FALSE(*scan.Next(f));
}

TEST(Csv, AQuoteOpensAFieldOnlyAtItsStartAndOnlyACommaOrLineEndMayFollowIt) {
  std::deque<std::string> arena;
  std::vector<std::string_view> f;
  Scanner literal("a\"b,c\n", arena);
  ASSERT_TRUE(*literal.Next(f));
  EXPECT_EQ(f, (std::vector<std::string_view>{"a\"b", "c"}));
  Scanner after("x\n\"a\"b,c\n", arena);
  ASSERT_TRUE(*after.Next(f));
  auto bad = after.Next(f);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().reason, "csv.text_after_quote");
  EXPECT_EQ(bad.error().params, (MessageParams{{"line", "2"}, {"column", "1"}}));
}

TEST(Csv, EscapesOnlyWhenNeeded) {
  EXPECT_EQ(Escape("plain"), "plain");
  EXPECT_EQ(Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(Escape("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace sanad::csv
