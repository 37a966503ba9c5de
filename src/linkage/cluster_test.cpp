#include "linkage/cluster.h"

#include <gtest/gtest.h>

#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::RowOf;
using testing::Store;

TEST(Cluster, ConnectedComponentsCoverEveryRecord) {
  const auto s = Store({Make("a", {}), Make("b", {}), Make("c", {}), Make("d", {})});
  const auto a = RowOf(s, "a"), b = RowOf(s, "b"), c = RowOf(s, "c"), d = RowOf(s, "d");
  const auto cl = Cluster(s, {{a, b, 10}, {b, c, 8}}, {});
  EXPECT_EQ(cl.clusters, 2u);
  EXPECT_EQ(cl.cluster_of[a], cl.cluster_of[c]);
  EXPECT_NE(cl.cluster_of[a], cl.cluster_of[d]);
  EXPECT_EQ(cl.cluster_of[d], d);
}

TEST(Cluster, AntiChainingRefusesToJoinTwoDifferentValidIds) {
  // A ~ B ~ C where A and C carry different valid ids: B joins the stronger side, never both.
  const auto s = Store({Make("A", {{InField::kNationalId, "AB123456"}}), Make("B", {}),
                        Make("C", {{InField::kNationalId, "CD654321"}})});
  const auto A = RowOf(s, "A"), B = RowOf(s, "B"), C = RowOf(s, "C");
  ClusterOptions guard;
  guard.anti_chain_national_id = true;
  const auto cl = Cluster(s, {{A, B, 12}, {B, C, 9}}, guard);
  EXPECT_EQ(cl.cluster_of[A], cl.cluster_of[B]);
  EXPECT_NE(cl.cluster_of[A], cl.cluster_of[C]);
  EXPECT_EQ(cl.refused, 1u);
  // Without the guard the chain merges all three.
  const auto chained = Cluster(s, {{A, B, 12}, {B, C, 9}}, {});
  EXPECT_EQ(chained.clusters, 1u);
}

TEST(Cluster, AntiChainingIgnoresInvalidIds) {
  const auto s = Store({Make("A", {{InField::kNationalId, "x1"}}), Make("B", {{InField::kNationalId, "y2"}})});
  ClusterOptions guard;
  guard.anti_chain_national_id = true;
  EXPECT_EQ(Cluster(s, {{0, 1, 5}}, guard).clusters, 1u);  // "x1"/"y2" are not valid ids: no veto
}

TEST(Cluster, OneRecordPerSource) {
  const auto s = Store({Make("l1", {}, 0), Make("r1", {}, 1), Make("l2", {}, 0)});
  const auto l1 = RowOf(s, "l1"), r1 = RowOf(s, "r1"), l2 = RowOf(s, "l2");
  ClusterOptions o;
  o.one_record_per_source = true;
  const auto cl = Cluster(s, {{l1, r1, 3}, {r1, l2, 7}}, o);
  EXPECT_EQ(cl.cluster_of[r1], cl.cluster_of[l2]);  // the stronger link wins
  EXPECT_NE(cl.cluster_of[l1], cl.cluster_of[r1]);
}

TEST(DefaultValidNationalId, AcceptsCinAndNin) {
  EXPECT_TRUE(DefaultValidNationalId("ab123456"));
  EXPECT_TRUE(DefaultValidNationalId("109870123456789012"));
  EXPECT_FALSE(DefaultValidNationalId("abc"));
  EXPECT_FALSE(DefaultValidNationalId("abcdefgh"));
}

}  // namespace
}  // namespace sanad::linkage
