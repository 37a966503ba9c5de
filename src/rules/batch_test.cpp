// SelectHouseholds: random rules over a random selection of a random batch give, household by household,
// what they give over the whole batch at the selected rows (members and nulls carried along); and a
// malformed batch or row is refused, naming what is wrong.
#include "rules/batch.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "rules/plan.h"
#include "rules/test_random.h"
#include "rules/test_schema.h"

namespace sanad::rules {
namespace {

using testing::Random;
using testing::RandomBatch;
using testing::RuleGenerator;

TEST(SelectHouseholds, RulesGiveTheWholeBatchsValuesAtTheSelectedRows) {
  Random r(20261207);
  const Batch batch = RandomBatch(r, 2000);
  std::vector<std::uint32_t> rows;
  for (std::uint32_t h = 0; h < batch.households; ++h) {
    if (r.Chance(15)) rows.push_back(h);
  }
  // Out of order too: household k of the selection is rows[k], whatever their order.
  std::swap(rows.front(), rows.back());
  auto selected = SelectHouseholds(batch, rows);
  ASSERT_TRUE(selected) << selected.error().reason;
  ASSERT_EQ(selected->households, rows.size());
  const Date ref{2026, 3, 1};
  int compared = 0;
  for (int round = 0; round < 200; ++round) {
    RuleGenerator gen(r);
    const Type t = r.Pick<Type>({Type::kInt, Type::kDecimal, Type::kBool, Type::kDate});
    const std::string source = gen.Of(t, 1 + r.Below(5), "");
    auto plan = Compile(source, testing::TestSchema(), testing::TestParams());
    ASSERT_TRUE(plan) << source << ": " << plan.error().reason;
    auto whole = Evaluate(*plan, batch, ref);
    auto part = Evaluate(*plan, *selected, ref);
    ASSERT_TRUE(whole && part) << source;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t h = rows[k];
      ASSERT_EQ(part->present[k], whole->present[h]) << source << " row " << h;
      if (part->present[k] == 0) continue;
      if (plan->type == Type::kDecimal) {
        ASSERT_EQ(part->decimals[k], whole->decimals[h]) << source << " row " << h;
      } else {
        ASSERT_EQ(part->ints[k], whole->ints[h]) << source << " row " << h;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 200 * static_cast<int>(rows.size()) / 2);  // not vacuous: most values are present
}

TEST(SelectHouseholds, NothingSelectedIsAnEmptyBatch) {
  Random r(3);
  auto none = SelectHouseholds(RandomBatch(r, 10), {});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->households, 0U);
  EXPECT_EQ(none->member_offsets, std::vector<std::uint32_t>{0});
}

TEST(SelectHouseholds, AMalformedBatchOrRowIsRefusedByName) {
  Random r(5);
  Batch batch = RandomBatch(r, 10);
  const std::vector<std::uint32_t> rows{1, 3};
  auto column = [&](const Batch& b, std::vector<std::uint32_t> which) {
    auto out = SelectHouseholds(b, which);
    EXPECT_FALSE(out);
    return out ? std::string("accepted") : out.error().reason + " " + out.error().params.at(0).second;
  };
  EXPECT_EQ(column(batch, {1, 10}), "rule.batch_invalid rows");
  Batch short_household = batch;
  short_household.household.at("declared_income").ints.pop_back();
  EXPECT_EQ(column(short_household, rows), "rule.batch_invalid declared_income");
  Batch short_member = batch;
  short_member.member.at("sex").present.pop_back();
  EXPECT_EQ(column(short_member, rows), "rule.batch_invalid sex");
  Batch bad_offsets = batch;
  bad_offsets.member_offsets[2] = bad_offsets.member_offsets[3] + 1;
  EXPECT_EQ(column(bad_offsets, rows), "rule.batch_invalid member_offsets");
}

}  // namespace
}  // namespace sanad::rules
