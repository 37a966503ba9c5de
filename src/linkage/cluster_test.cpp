#include "linkage/cluster.h"

#include <gtest/gtest.h>

#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::Row;
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

TEST(Cluster, AntiChainingTreatsAMistypedIdAsTheSameId) {
  // A and B carry ids one transposition apart (the same person's id keyed twice); C's id is unrelated.
  const auto s =
      Store({Make("A", {{InField::kNationalId, "AB123456"}}), Make("B", {{InField::kNationalId, "AB124356"}}),
             Make("C", {{InField::kNationalId, "AB123457"}}), Make("D", {{InField::kNationalId, "CD654321"}})});
  const auto A = RowOf(s, "A"), B = RowOf(s, "B"), C = RowOf(s, "C"), D = RowOf(s, "D");
  ClusterOptions guard;
  guard.anti_chain_national_id = true;
  const auto cl = Cluster(s, {{A, B, 12}, {A, C, 11}, {B, D, 9}}, guard);
  EXPECT_EQ(cl.cluster_of[A], cl.cluster_of[B]);
  EXPECT_EQ(cl.cluster_of[A], cl.cluster_of[C]);  // one substitution: not a veto either
  EXPECT_NE(cl.cluster_of[A], cl.cluster_of[D]);
  EXPECT_EQ(cl.refused, 1u);
}

TEST(Cluster, TwinGuardRefusesSameBirthDateAndFamilyWithClearlyDifferentGivenNames) {
  const Row family = {{InField::kFamilyLat, "Benali"},
                      {InField::kFatherAr, "أحمد"},
                      {InField::kBirthDate, "1990-04-07"},
                      {InField::kCommune, "01.511.01.01"},
                      {InField::kPhone, "0661234567"}};
  auto with = [&](Row r, InField f, const char* v) {
    r.emplace_back(f, v);
    return r;
  };
  // H1, H2: Hassan registered twice (one spelling variant); Y: his twin Youssef; K: an unrelated Karim
  // born the same day in another family.
  const auto s = Store(
      {Make("H1", with(family, InField::kGivenLat, "Hassan")), Make("H2", with(family, InField::kGivenLat, "Hasan")),
       Make("Y", with(family, InField::kGivenLat, "Youssef")),
       Make("K", {{InField::kGivenLat, "Karim"}, {InField::kFamilyLat, "Tazi"}, {InField::kBirthDate, "1990-04-07"}})});
  const auto h1 = RowOf(s, "H1"), h2 = RowOf(s, "H2"), y = RowOf(s, "Y"), k = RowOf(s, "K");
  // Y is linked to H2 (the strongest pair) and then to H1 through the shared household.
  const std::vector<ScoredPair> pairs = {{h1, h2, 20}, {h2, y, 15}, {y, k, 1}};
  ClusterOptions guard;
  guard.anti_chain_twins = true;
  const auto cl = Cluster(s, pairs, guard);
  EXPECT_EQ(cl.cluster_of[h1], cl.cluster_of[h2]);  // a duplicate: same date, family, similar given name
  EXPECT_NE(cl.cluster_of[h1], cl.cluster_of[y]);   // the twin: refused
  EXPECT_EQ(cl.cluster_of[y], cl.cluster_of[k]);    // other family: not the guard's business
  EXPECT_EQ(cl.refused, 1u);
  // Without the guard the twins are one person.
  EXPECT_EQ(Cluster(s, pairs, {}).cluster_of[h1], Cluster(s, pairs, {}).cluster_of[y]);
}

TEST(Cluster, TwinGuardChecksEveryMemberOfBothComponents) {
  // {A, B} and {C, D} are joined through B~C; A and D are twins, so the join is refused even though
  // neither B nor C conflicts with the other side.
  const auto s = Store(
      {Make("A", {{InField::kGivenLat, "Amina"}, {InField::kFamilyLat, "Alaoui"}, {InField::kBirthDate, "2001-02-03"}}),
       Make("B", {{InField::kGivenLat, "Amina"}, {InField::kFamilyLat, "Alaoui"}}),
       Make("C", {{InField::kGivenLat, "Amina"}, {InField::kFamilyLat, "Alaoui"}}),
       Make("D",
            {{InField::kGivenLat, "Fatima"}, {InField::kFamilyLat, "Alaoui"}, {InField::kBirthDate, "2001-02-03"}})});
  const auto a = RowOf(s, "A"), b = RowOf(s, "B"), c = RowOf(s, "C"), d = RowOf(s, "D");
  ClusterOptions guard;
  guard.anti_chain_twins = true;
  const auto cl = Cluster(s, {{a, b, 9}, {c, d, 9}, {b, c, 5}}, guard);
  EXPECT_EQ(cl.clusters, 2u);
  EXPECT_NE(cl.cluster_of[a], cl.cluster_of[d]);
  EXPECT_EQ(cl.refused, 1u);
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
