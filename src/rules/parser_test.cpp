// Parsing: the shapes the grammar accepts, and errors with their line, column and expectation.
#include "rules/parser.h"

#include <gtest/gtest.h>

#include <string>

#include "rules/test_error_params.h"

namespace sanad::rules {
namespace {

Error ParseError(std::string_view source, const Limits& limits = {}) {
  auto tree = Parse(source, limits);
  EXPECT_FALSE(tree) << source;
  return tree ? Error{} : tree.error();
}

TEST(RuleParser, PrecedenceAndShapes) {
  auto t = Parse("a || b && c == 1 + 2 * 3");
  ASSERT_TRUE(t);
  EXPECT_EQ((*t)->text, "||");
  const Node& rhs = *(*t)->kids[1];
  EXPECT_EQ(rhs.text, "&&");
  const Node& eq = *rhs.kids[1];
  EXPECT_EQ(eq.text, "==");
  EXPECT_EQ(eq.kids[1]->text, "+");
  EXPECT_EQ(eq.kids[1]->kids[1]->text, "*");

  auto agg = Parse("members.sum(m, m.income > 0 ? m.income : 0)");
  ASSERT_TRUE(agg);
  EXPECT_EQ((*agg)->kind, NodeKind::kAggregate);
  EXPECT_EQ((*agg)->text, "sum");
  EXPECT_EQ((*agg)->var, "m");
  EXPECT_EQ((*agg)->kids[0]->kind, NodeKind::kTernary);

  auto rank = Parse("members.count(m, m.rank_by(birth_date, m.sex == 'F') == 1)");
  ASSERT_TRUE(rank);
  const Node& r = *(*rank)->kids[0]->kids[0];
  EXPECT_EQ(r.kind, NodeKind::kRank);
  EXPECT_EQ(r.text, "birth_date");
  EXPECT_EQ(r.var, "m");

  auto in = Parse("x in [\"a\", 'b\\'c']");
  ASSERT_TRUE(in);
  EXPECT_EQ((*in)->kind, NodeKind::kIn);
  ASSERT_EQ((*in)->kids.size(), 3u);
  EXPECT_EQ((*in)->kids[2]->text, "b'c");

  auto d = Parse("date(\"1970-01-02\") # a comment\n");
  ASSERT_TRUE(d);
  EXPECT_EQ((*d)->kind, NodeKind::kDate);
  EXPECT_EQ((*d)->value_int, 1);

  auto neg = Parse("-3 - -2.5");
  ASSERT_TRUE(neg);
  EXPECT_EQ((*neg)->kids[0]->kind, NodeKind::kUnary);
  EXPECT_DOUBLE_EQ((*neg)->kids[1]->kids[0]->value_decimal, 2.5);
}

TEST(RuleParser, UnexpectedTokenNamesLineColumnAndExpectation) {
  Error e = ParseError("urban &&\n  * 2");
  EXPECT_EQ(e.reason, "rule.unexpected_token");
  EXPECT_EQ(e.field, "rule");
  EXPECT_EQ(ParamOf(e, "line"), "2");
  EXPECT_EQ(ParamOf(e, "column"), "3");
  EXPECT_EQ(ParamOf(e, "expected"), "expression");
  EXPECT_EQ(ParamOf(e, "found"), "*");

  e = ParseError("(1 + 2");
  EXPECT_EQ(ParamOf(e, "expected"), "')'");
  EXPECT_EQ(ParamOf(e, "found"), "end_of_rule");
  EXPECT_EQ(ParamOf(e, "column"), "7");

  e = ParseError("1 < 2 < 3");  // comparisons do not chain
  EXPECT_EQ(ParamOf(e, "expected"), "end_of_rule");
  EXPECT_EQ(ParamOf(e, "column"), "7");

  e = ParseError("a ? 1");
  EXPECT_EQ(ParamOf(e, "expected"), "':'");
}

TEST(RuleParser, ColumnsCountCharactersNotBytes) {
  Error e = ParseError("\"عربي\" @");
  EXPECT_EQ(e.reason, "rule.unexpected_char");
  EXPECT_EQ(ParamOf(e, "column"), "8");
  EXPECT_EQ(ParamOf(e, "char"), "@");
  EXPECT_EQ(ParamOf(ParseError("1 \x01"), "char"), "0x01");
}

TEST(RuleParser, LexicalErrors) {
  EXPECT_EQ(ParseError("\"abc").reason, "rule.unterminated_string");
  EXPECT_EQ(ParseError("\"a\\nb\"").reason, "rule.bad_escape");
  Error e = ParseError("99999999999999999999");
  EXPECT_EQ(e.reason, "rule.bad_number");
  EXPECT_EQ(ParamOf(e, "text"), "99999999999999999999");
}

TEST(RuleParser, LiteralsWhereTheGrammarNeedsThem) {
  Error e = ParseError("x in [y]");
  EXPECT_EQ(e.reason, "rule.literal_expected");
  EXPECT_EQ(ParamOf(e, "column"), "7");
  EXPECT_EQ(ParseError("param(x)").reason, "rule.literal_expected");
  e = ParseError("date(\"2023-02-29\")");
  EXPECT_EQ(e.reason, "rule.bad_date");
  EXPECT_EQ(ParamOf(e, "value"), "2023-02-29");
}

TEST(RuleParser, Limits) {
  Limits limits;
  limits.max_source_bytes = 10;
  Error e = ParseError("1 + 2 + 3 + 4", limits);
  EXPECT_EQ(e.reason, "rule.too_long");
  EXPECT_EQ(ParamOf(e, "max"), "10");

  limits = {};
  limits.max_depth = 20;
  EXPECT_TRUE(Parse(std::string(8, '(') + "1" + std::string(8, ')'), limits));  // two levels a parenthesis
  e = ParseError(std::string(30, '(') + "1" + std::string(30, ')'), limits);
  EXPECT_EQ(e.reason, "rule.too_deep");
  EXPECT_EQ(ParamOf(e, "max"), "20");
  EXPECT_EQ(ParseError(std::string(30, '!') + "true", limits).reason, "rule.too_deep");

  // Deep input far beyond any limit stays an error, not a stack overflow.
  EXPECT_EQ(ParseError(std::string(100000, '('), Limits{.max_source_bytes = 1 << 20}).reason, "rule.too_deep");

  limits = {};
  limits.max_nodes = 9;
  EXPECT_TRUE(Parse("1 + 2 + 3 + 4 + 5", limits));
  e = ParseError("1 + 2 + 3 + 4 + 5 + 6", limits);
  EXPECT_EQ(e.reason, "rule.too_many_nodes");
  EXPECT_EQ(ParamOf(e, "max"), "9");
}

}  // namespace
}  // namespace sanad::rules
