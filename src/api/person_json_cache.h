// Persons as written into search pages, kept between requests so that a page of persons whose rows have
// not changed costs a narrow query of ids and versions (HouseholdStore::SearchPersonStamps) instead of
// reading, converting and writing every field of every row again. Profiled under load, a name search's
// page of 100 spent two thirds of its time there.
//
// A copy is used only when the database says the person's version is still the one copied: every write
// to a person's row bumps its version in the same statement, versions are never reused (persons are never
// deleted; history keeps every version), so a matching version means identical content — also when
// another app server wrote it. The scope, status and filters are checked by the stamps' query on every
// request; the cache holds only how a person's fields are written.
//
// Bounded by bytes: past the budget the oldest copies go first. Shared by the server's threads (sharded
// locks); a copy is handed out as a shared pointer, so eviction never frees one being written.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "api/record_json_writer.h"

namespace sanad::api {

class PersonJsonCache {
 public:
  explicit PersonJsonCache(std::size_t byte_budget);

  // The copy of person `id` at `version`, or null.
  std::shared_ptr<const PersonFragment> Find(std::int64_t id, std::int64_t version);
  // Keeps `f` as person `id`'s copy (replacing an older one).
  void Put(std::int64_t id, std::shared_ptr<const PersonFragment> f);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::uint64_t entries = 0;
    std::uint64_t bytes = 0;
  };
  Stats Snapshot() const;

 private:
  static constexpr std::size_t kShards = 16;
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<std::int64_t, std::shared_ptr<const PersonFragment>> copies;
    // Insertion order for eviction; an entry whose copy has since been replaced is skipped.
    std::deque<std::pair<std::int64_t, const PersonFragment*>> order;
    std::size_t bytes = 0;
  };
  static std::size_t Cost(const PersonFragment& f);
  Shard& ShardOf(std::int64_t id) { return shards_[static_cast<std::uint64_t>(id) % kShards]; }

  std::size_t shard_budget_;
  std::array<Shard, kShards> shards_;
  std::atomic<std::uint64_t> hits_{0}, misses_{0};
};

// The cache's figures in Prometheus' text format, for GET /metrics.
std::string PersonJsonCacheMetricsText(const PersonJsonCache::Stats& s);

}  // namespace sanad::api
