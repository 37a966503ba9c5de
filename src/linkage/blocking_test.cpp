#include "linkage/blocking.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "linkage/test_util.h"

namespace sanad::linkage {
namespace {

using testing::Make;
using testing::Store;

RecordStore FourRecords(std::uint8_t source_of_d = 0) {
  // a, b, c share a family name; a and b also share a birth date; d shares only the birth date of a.
  return Store({Make("a", {{InField::kFamilyLat, "Alaoui"}, {InField::kBirthDate, "1980-01-02"}}),
                Make("b", {{InField::kFamilyLat, "El Alaoui"}, {InField::kBirthDate, "1980-01-02"}}, 1),
                Make("c", {{InField::kFamilyLat, "alaoui"}}),
                Make("d", {{InField::kFamilyLat, "Tazi"}, {InField::kBirthDate, "1980-01-02"}}, source_of_d)});
}

std::set<std::pair<std::uint32_t, std::uint32_t>> Candidates(const RecordStore& s,
                                                             const std::vector<BlockingRule>& rules, LinkType type,
                                                             std::vector<RuleStats>& stats, int threads = 2) {
  std::vector<std::vector<std::uint64_t>> keys;
  for (const auto& r : rules) keys.push_back(BlockKeys(s, r, threads));
  std::set<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::mutex mu;
  BlockingOptions o;
  o.link_type = type;
  o.threads = threads;
  for (std::size_t r = 0; r < rules.size(); ++r) {
    stats.push_back(EnumerateRule(s, keys, r, o, [&](int, std::uint32_t a, std::uint32_t b) {
      std::lock_guard lock(mu);
      EXPECT_LT(a, b);
      EXPECT_TRUE(pairs.emplace(a, b).second) << "pair produced twice";
    }));
  }
  return pairs;
}

const std::vector<BlockingRule> kRules = {{"family_key", {{KeyPartKind::kColumn, Col::kFamilyKey}}},
                                          {"birth_date", {{KeyPartKind::kBirthDate, Col::kGivenKey}}}};

TEST(Blocking, UnionsRulesWithoutDuplicatesAndCountsPerRule) {
  const auto s = FourRecords();
  std::vector<RuleStats> stats;
  const auto pairs = Candidates(s, kRules, LinkType::kDedupe, stats);
  // family: {a,b,c} → 3 pairs; birth date: {a,b,d} → (a,b) already seen, so (a,d), (b,d).
  EXPECT_EQ(pairs.size(), 5u);
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].pairs, 3u);
  EXPECT_EQ(stats[1].pairs, 2u);
}

TEST(Blocking, LinkOnlySkipsPairsWithinOneSource) {
  const auto s = FourRecords(/*source_of_d=*/1);
  std::vector<RuleStats> stats;
  const auto pairs = Candidates(s, kRules, LinkType::kLinkOnly, stats);
  // Sources: a=0, b=1, c=0, d=1 → cross pairs sharing a key: (a,b), (b,c), (a,d).
  EXPECT_EQ(pairs.size(), 3u);
  EXPECT_EQ(CountPairsSharingKey(s, BlockKeys(s, kRules[0], 1), LinkType::kLinkOnly), 2u);
  EXPECT_EQ(CountPairsSharingKey(s, BlockKeys(s, kRules[0], 1), LinkType::kDedupe), 3u);
}

TEST(Blocking, MissingPartGivesNoKey) {
  const auto s = FourRecords();
  const auto keys = BlockKeys(s, kRules[1], 1);
  int missing = 0;
  for (auto k : keys) missing += k == 0;
  EXPECT_EQ(missing, 1);  // c has no birth date
}

TEST(Blocking, OversizedBlocksAreReportedNotExpanded) {
  const auto s = FourRecords();
  std::vector<std::vector<std::uint64_t>> keys = {BlockKeys(s, kRules[0], 1)};
  BlockingOptions o;
  o.max_block_size = 2;
  int visited = 0;
  const auto st = EnumerateRule(s, keys, 0, o, [&](int, std::uint32_t, std::uint32_t) { ++visited; });
  EXPECT_EQ(visited, 0);
  EXPECT_EQ(st.skipped_blocks, 1u);
  EXPECT_EQ(st.skipped_pairs, 3u);
}

}  // namespace
}  // namespace sanad::linkage
