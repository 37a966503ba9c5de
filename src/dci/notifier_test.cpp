// The events change requests are for partners' subscriptions (docs/dci.md).
#include "dci/notifier.h"

#include <gtest/gtest.h>

namespace sanad::dci {
namespace {

TEST(Events, ChangeKindsMapToTheSubscribedEvents) {
  EXPECT_EQ(EventOfChange("create_household", {}), "REGISTER");
  EXPECT_EQ(EventOfChange("add_member", {}), "NewHouseHoldMember");
  EXPECT_EQ(EventOfChange("update_person", {}), "UPDATE");
  EXPECT_EQ(EventOfChange("exit_household", {{"reason", "death"}}), "DEATH");
  EXPECT_EQ(EventOfChange("remove_member", {{"reason", "emigration"}}), "EXIT");
  EXPECT_EQ(EventOfChange("merge_persons", {}), "MERGE");
}

TEST(Events, ExitCoversDeathAndAllCoversEverything) {
  EXPECT_TRUE(EventMatches("EXIT", "DEATH"));
  EXPECT_FALSE(EventMatches("DEATH", "EXIT"));
  EXPECT_TRUE(EventMatches("ALL", "MERGE"));
  EXPECT_FALSE(EventMatches("REGISTER", "UPDATE"));
}

}  // namespace
}  // namespace sanad::dci
