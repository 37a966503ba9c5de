#include "api/person_json_cache.h"

#include <fmt/format.h>

namespace sanad::api {

PersonJsonCache::PersonJsonCache(std::size_t byte_budget) : shard_budget_(byte_budget / kShards) {}

std::size_t PersonJsonCache::Cost(const PersonFragment& f) {
  // The text, the offsets and roughly what the map node, the control block and the order entry take.
  return f.json.capacity() + f.at.capacity() * sizeof(std::uint32_t) + sizeof(PersonFragment) + 96;
}

std::shared_ptr<const PersonFragment> PersonJsonCache::Find(std::int64_t id, std::int64_t version) {
  Shard& s = ShardOf(id);
  {
    std::lock_guard lock(s.mu);
    auto it = s.copies.find(id);
    if (it != s.copies.end() && it->second->version == version) {
      hits_.fetch_add(1, std::memory_order_relaxed);
      return it->second;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  return nullptr;
}

void PersonJsonCache::Put(std::int64_t id, std::shared_ptr<const PersonFragment> f) {
  const std::size_t cost = Cost(*f);
  if (cost > shard_budget_) return;
  Shard& s = ShardOf(id);
  std::lock_guard lock(s.mu);
  auto [it, added] = s.copies.try_emplace(id, f);
  if (!added) {
    if (it->second->version > f->version) return;  // a newer copy is already there
    s.bytes -= Cost(*it->second);
    it->second = f;
  }
  s.bytes += cost;
  s.order.emplace_back(id, f.get());
  while (s.bytes > shard_budget_ && !s.order.empty()) {
    auto [old_id, old] = s.order.front();
    s.order.pop_front();
    auto o = s.copies.find(old_id);
    if (o == s.copies.end() || o->second.get() != old) continue;  // replaced since: a later entry holds it
    s.bytes -= Cost(*o->second);
    s.copies.erase(o);
  }
  // Replacements leave stale entries behind; drop them before they outnumber the copies.
  if (s.order.size() > 2 * s.copies.size() + 64) {
    std::erase_if(s.order, [&](const auto& e) {
      auto o = s.copies.find(e.first);
      return o == s.copies.end() || o->second.get() != e.second;
    });
  }
}

PersonJsonCache::Stats PersonJsonCache::Snapshot() const {
  Stats out;
  out.hits = hits_.load(std::memory_order_relaxed);
  out.misses = misses_.load(std::memory_order_relaxed);
  for (const auto& s : shards_) {
    std::lock_guard lock(s.mu);
    out.entries += s.copies.size();
    out.bytes += s.bytes;
  }
  return out;
}

std::string PersonJsonCacheMetricsText(const PersonJsonCache::Stats& s) {
  return fmt::format(
      "# HELP sanad_person_json_cache_hits_total Persons of search pages written from a current kept copy.\n"
      "# TYPE sanad_person_json_cache_hits_total counter\n"
      "sanad_person_json_cache_hits_total {}\n"
      "# HELP sanad_person_json_cache_misses_total Persons of search pages read from the registry.\n"
      "# TYPE sanad_person_json_cache_misses_total counter\n"
      "sanad_person_json_cache_misses_total {}\n"
      "# HELP sanad_person_json_cache_entries Persons kept.\n"
      "# TYPE sanad_person_json_cache_entries gauge\n"
      "sanad_person_json_cache_entries {}\n"
      "# HELP sanad_person_json_cache_bytes Bytes the kept persons take (estimated).\n"
      "# TYPE sanad_person_json_cache_bytes gauge\n"
      "sanad_person_json_cache_bytes {}\n",
      s.hits, s.misses, s.entries, s.bytes);
}

}  // namespace sanad::api
