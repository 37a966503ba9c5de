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
}

TEST(Csv, PadsShortRowsAndSkipsBlankLines) {
  auto r = FromText("a,b,c\n\n1\n");
  std::vector<std::string> row;
  ASSERT_TRUE(*r->Next(row));
  ASSERT_EQ(row.size(), 3u);
  EXPECT_EQ(row[0], "1");
}

TEST(Csv, EscapesOnlyWhenNeeded) {
  EXPECT_EQ(Escape("plain"), "plain");
  EXPECT_EQ(Escape("a,b"), "\"a,b\"");
  EXPECT_EQ(Escape("say \"hi\""), "\"say \"\"hi\"\"\"");
}

}  // namespace
}  // namespace sanad::csv
