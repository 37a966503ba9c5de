// The kept copies of persons: found only at the version asked for, replaced by newer ones only, held
// within the byte budget (oldest out first), and safe to use from many threads at once.
#include "api/person_json_cache.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sanad::api {
namespace {

std::shared_ptr<const PersonFragment> Copy(std::int64_t version, std::size_t size = 800) {
  auto f = std::make_shared<PersonFragment>();
  f->version = version;
  f->json.assign(size, 'x');
  f->at = {10, 20, 30};
  return f;
}

TEST(PersonJsonCache, FoundOnlyAtItsVersion) {
  PersonJsonCache cache(1 << 20);
  EXPECT_EQ(cache.Find(7, 1), nullptr);
  auto v1 = Copy(1);
  cache.Put(7, v1);
  EXPECT_EQ(cache.Find(7, 1), v1);
  EXPECT_EQ(cache.Find(7, 2), nullptr);  // the person was written since: the copy is not used
  EXPECT_EQ(cache.Find(8, 1), nullptr);
  auto stats = cache.Snapshot();
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 3U);
  EXPECT_EQ(stats.entries, 1U);
}

TEST(PersonJsonCache, ANewerCopyReplacesAnOlderOneNeverTheReverse) {
  PersonJsonCache cache(1 << 20);
  auto v1 = Copy(1), v2 = Copy(2);
  cache.Put(7, v2);
  cache.Put(7, v1);  // a slower reader's older copy arriving late
  EXPECT_EQ(cache.Find(7, 2), v2);
  EXPECT_EQ(cache.Find(7, 1), nullptr);
  auto v3 = Copy(3);
  cache.Put(7, v3);
  EXPECT_EQ(cache.Find(7, 3), v3);
  EXPECT_EQ(cache.Snapshot().entries, 1U);
}

TEST(PersonJsonCache, StaysWithinItsBudgetOldestOut) {
  const std::size_t budget = 256 * 1024;
  PersonJsonCache cache(budget);
  for (std::int64_t id = 0; id < 5000; ++id) cache.Put(id, Copy(1));
  auto stats = cache.Snapshot();
  EXPECT_LE(stats.bytes, budget);
  EXPECT_GT(stats.entries, 100U);
  EXPECT_LT(stats.entries, 5000U);
  EXPECT_NE(cache.Find(4999, 1), nullptr);  // the newest are kept
  EXPECT_EQ(cache.Find(0, 1), nullptr);     // the oldest went first
  // Replacing copies over and over does not grow it either.
  for (int round = 2; round < 200; ++round) cache.Put(4999, Copy(round));
  EXPECT_LE(cache.Snapshot().bytes, budget);
  EXPECT_NE(cache.Find(4999, 199), nullptr);
  // A copy larger than a shard's share of the budget is not kept.
  cache.Put(1, Copy(1, budget));
  EXPECT_EQ(cache.Find(1, 1), nullptr);
}

TEST(PersonJsonCache, ManyThreadsPutAndFind) {
  PersonJsonCache cache(512 * 1024);
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 20000; ++i) {
        const std::int64_t id = (i * 7 + t) % 3000;
        const std::int64_t version = 1 + (i / 3000);
        if (auto f = cache.Find(id, version)) {
          ASSERT_EQ(f->version, version);
          ASSERT_EQ(f->json.size(), 300U);
        } else {
          cache.Put(id, Copy(version, 300));
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_LE(cache.Snapshot().bytes, 512U * 1024);
}

}  // namespace
}  // namespace sanad::api
