// The spec's predicate and expression queries as SQL conditions (spec SubscriptionInfo.filter).
#include "dci/person_predicate.h"

#include <gtest/gtest.h>

namespace sanad::dci {
namespace {

using Json = nlohmann::json;

std::string Sql(const Result<Condition>& c, std::vector<std::string>& values) {
  EXPECT_TRUE(c) << (c ? "" : c.error().message);
  return c ? ConditionSql(*c, values) : "";
}

TEST(PersonPredicate, EveryOperatorAndConditionOfTheSpecIsRead) {
  const Json q = Json::array(
      {{{"seq_num", 2},
        {"expression1", {{"attribute_name", "sex"}, {"operator", "eq"}, {"attribute_value", "female"}}},
        {"condition", "or"},
        {"expression2", {{"attribute_name", "disability_percent"}, {"operator", "ge"}, {"attribute_value", 50}}}},
       {{"seq_num", 1},
        {"expression1", {{"attribute_name", "birth_date"}, {"operator", "lt"}, {"attribute_value", "2000-01-01"}}},
        {"condition", "not"},
        {"expression2",
         {{"attribute_name", "national_id"}, {"operator", "in"}, {"attribute_value", {"ab 1", "CD2"}}}}}});
  std::vector<std::string> v;
  EXPECT_EQ(Sql(FromPredicate(q, "2026-12-05"), v),
            "(((p.birth_date < :v0) AND NOT ((p.national_id = :v1) OR (p.national_id = :v2))) AND "
            "((p.sex = :v3) OR (p.disability_percent >= 50)))");
  EXPECT_EQ(v, (std::vector<std::string>{"2000-01-01", "AB1", "CD2", "F"}));
}

TEST(PersonPredicate, AgeComparesBirthDatesOnTheDay) {
  std::vector<std::string> v;
  EXPECT_EQ(Sql(TermOf("age", "lt", "25", "2026-12-05"), v), "(p.birth_date > :v0)");
  EXPECT_EQ(v[0], "2001-12-05");  // under 25: born after 5 December 2001
  v.clear();
  EXPECT_EQ(Sql(TermOf("age", "ge", 60, "2026-12-05"), v), "(p.birth_date <= :v0)");
  EXPECT_EQ(v[0], "1966-12-05");
  v.clear();
  EXPECT_EQ(Sql(TermOf("age", "eq", 30, "2024-02-29"), v), "((p.birth_date > :v0 AND p.birth_date <= :v1))");
  EXPECT_EQ(v, (std::vector<std::string>{"1993-02-28", "1994-02-28"}));
}

TEST(PersonPredicate, TheExpressionFormReadsAndOrNot) {
  const Json e{{"type", "ns:org:QueryType:expression"},
               {"value",
                {{"expression",
                  {{"collection", "Person"},
                   {"query",
                    {{"$or", Json::array({{{"location", {{"$eq", "MA-03"}}}}, {{"household_size", {{"$lt", 5}}}}})},
                     {"$not", {{"sex", "M"}}}}}}}}}};
  std::vector<std::string> v;
  EXPECT_EQ(Sql(FromExpression(e, "2026-12-05"), v),
            "(NOT (p.sex = :v0) AND (((h.commune_code = :v1 OR h.commune_code LIKE :v2)) OR ((SELECT COUNT(*) "
            "FROM persons m WHERE m.household_id = p.household_id AND m.status = 'active') < 5)))");
  // Keys of a JSON object come in sorted order: $not before $or.
  EXPECT_EQ(v, (std::vector<std::string>{"M", "MA-03", "MA-03.%"}));
}

TEST(PersonPredicate, UnknownAttributesOperatorsAndValuesAreRefusedByName) {
  auto attr = TermOf("shoe_size", "lt", "2.5", "2026-12-05");
  ASSERT_FALSE(attr);
  EXPECT_NE(attr.error().message.find("shoe_size"), std::string::npos);
  std::vector<std::string> v;
  EXPECT_EQ(Sql(TermOf("poverty_score", "lt", "2.5", "2026-12-05"), v),
            "((SELECT hs.score FROM household_scores hs WHERE hs.household_id = p.household_id) < 2.5)");
  EXPECT_FALSE(TermOf("poverty_score", "lt", "nan", "2026-12-05"));
  auto op = TermOf("age", "between", "2", "2026-12-05");
  ASSERT_FALSE(op);
  EXPECT_NE(op.error().message.find("between"), std::string::npos);
  EXPECT_FALSE(TermOf("birth_date", "lt", "yesterday", "2026-12-05"));
  EXPECT_FALSE(TermOf("disability_percent", "gt", "lots", "2026-12-05"));
  EXPECT_FALSE(TermOf("sex", "in", "F", "2026-12-05"));
  EXPECT_FALSE(FromExpression({{"query", {{"$where", "1"}}}}, "2026-12-05"));
  EXPECT_FALSE(FromPredicate(
      Json::array({{{"expression1", {{"attribute_name", "sex"}, {"operator", "eq"}, {"attribute_value", "F"}}},
                    {"condition", "xor"},
                    {"expression2", {{"attribute_name", "sex"}, {"operator", "eq"}, {"attribute_value", "M"}}}}}),
      "2026-12-05"));
}

}  // namespace
}  // namespace sanad::dci
