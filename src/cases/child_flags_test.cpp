// Child-protection flags in force, derived from the timeline's raise and clear events (issue 11 §5).
#include "cases/child_flags.h"

#include <gtest/gtest.h>

namespace sanad::cases {
namespace {

TEST(ChildFlags, AClearedFlagIsNoLongerInForceAndARaisedAgainOneIs) {
  std::vector<ChildFlagEvent> e{{"school_dropout", 7, true, "t1", "w"},
                                {"violence", 7, true, "t2", "w"},
                                {"school_dropout", 8, true, "t3", "w"},
                                {"school_dropout", 7, false, "t4", "s"}};
  auto active = ActiveChildFlags(e);
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].flag, "violence");
  EXPECT_EQ(active[1].person_id, std::optional<std::int64_t>(8));
  e.push_back({"school_dropout", 7, true, "t5", "w"});
  active = ActiveChildFlags(e);
  ASSERT_EQ(active.size(), 3u);
  EXPECT_EQ(active.back().since, "t5");
}

TEST(ChildFlags, KnowsTheFourRisks) {
  EXPECT_TRUE(IsChildFlag("early_marriage_risk"));
  EXPECT_TRUE(IsChildFlag("abandonment"));
  EXPECT_FALSE(IsChildFlag("truancy"));
}

}  // namespace
}  // namespace sanad::cases
