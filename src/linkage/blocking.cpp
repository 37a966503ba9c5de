#include "linkage/blocking.h"

#include <algorithm>
#include <map>
#include <thread>

namespace sanad::linkage {
namespace {

// splitmix64 finaliser (Steele, Lea & Flood 2014): cheap, well-mixed combination of part ids.
std::uint64_t Mix(std::uint64_t h, std::uint64_t v) {
  std::uint64_t z = h ^ (v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2));
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t PartValue(const RecordStore& s, const KeyPart& p, std::size_t r) {
  switch (p.kind) {
    case KeyPartKind::kColumn:
      return s.Id(p.col, r);
    case KeyPartKind::kBirthDate:
      return static_cast<std::uint64_t>(s.BirthDate(r));
    case KeyPartKind::kBirthYear:
      return static_cast<std::uint64_t>(s.BirthDate(r) / 10000);
    case KeyPartKind::kBirthMonthDay:
      return static_cast<std::uint64_t>(s.BirthDate(r) % 10000);  // 0 when unknown
    case KeyPartKind::kBirthDecade:
      return static_cast<std::uint64_t>(s.BirthDate(r) / 100000);
    case KeyPartKind::kPrefix2:
    case KeyPartKind::kPrefix3: {
      const auto v = s.Value(p.col, r);
      const std::size_t n = p.kind == KeyPartKind::kPrefix2 ? 2 : 3;
      if (v.empty()) return 0;
      std::uint64_t x = 1;
      for (std::size_t i = 0; i < std::min(n, v.size()); ++i) x = (x << 8) | static_cast<unsigned char>(v[i]);
      return x;
    }
  }
  return 0;
}

}  // namespace

void ParallelFor(std::size_t n, int threads, const std::function<void(int, std::size_t, std::size_t)>& fn) {
  threads = std::max(1, threads);
  if (threads == 1 || n < 1024) {
    fn(0, 0, n);
    return;
  }
  std::vector<std::jthread> pool;
  for (int t = 0; t < threads; ++t) {
    const std::size_t b = n * t / threads, e = n * (t + 1) / threads;
    pool.emplace_back([&fn, t, b, e] { fn(t, b, e); });
  }
}

std::vector<std::uint64_t> BlockKeys(const RecordStore& store, const BlockingRule& rule, int threads) {
  std::vector<std::uint64_t> keys(store.size());
  ParallelFor(store.size(), threads, [&](int, std::size_t b, std::size_t e) {
    for (std::size_t r = b; r < e; ++r) {
      std::uint64_t h = 0x243F6A8885A308D3ULL;
      bool missing = false;
      for (const auto& p : rule.parts) {
        const std::uint64_t v = PartValue(store, p, r);
        if (v == 0) {
          missing = true;
          break;
        }
        h = Mix(h, v + static_cast<std::uint64_t>(p.kind) * 0x100000000ULL);
      }
      keys[r] = missing ? 0 : (h == 0 ? 1 : h);
    }
  });
  return keys;
}

namespace {

struct Entry {
  std::uint64_t key;
  std::uint32_t row;
  bool operator<(const Entry& o) const { return key != o.key ? key < o.key : row < o.row; }
};

std::vector<Entry> SortedEntries(const std::vector<std::uint64_t>& keys) {
  std::vector<Entry> entries;
  for (std::size_t r = 0; r < keys.size(); ++r)
    if (keys[r] != 0) entries.push_back({keys[r], static_cast<std::uint32_t>(r)});
  std::sort(entries.begin(), entries.end());
  return entries;
}

}  // namespace

std::uint64_t CountPairsSharingKey(const RecordStore& store, const std::vector<std::uint64_t>& keys, LinkType type) {
  const auto entries = SortedEntries(keys);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < entries.size();) {
    std::size_t j = i;
    std::map<std::uint8_t, std::uint64_t> per_source;
    while (j < entries.size() && entries[j].key == entries[i].key) ++per_source[store.Source(entries[j++].row)];
    const std::uint64_t n = j - i;
    std::uint64_t pairs = n * (n - 1) / 2;
    if (type == LinkType::kLinkOnly)
      for (auto& [src, k] : per_source) pairs -= k * (k - 1) / 2;
    total += pairs;
    i = j;
  }
  return total;
}

RuleStats EnumerateRule(const RecordStore& store, const std::vector<std::vector<std::uint64_t>>& keys, std::size_t rule,
                        const BlockingOptions& options, const PairVisitor& visit, std::string rule_name) {
  RuleStats stats;
  stats.rule = std::move(rule_name);
  const auto entries = SortedEntries(keys[rule]);
  // Blocks, then chunks of blocks of roughly equal pair counts so that threads stay busy.
  struct Block {
    std::uint32_t begin, end;
  };
  std::vector<Block> blocks;
  for (std::size_t i = 0; i < entries.size();) {
    std::size_t j = i + 1;
    while (j < entries.size() && entries[j].key == entries[i].key) ++j;
    const std::uint64_t n = j - i;
    if (n >= 2) {
      ++stats.blocks;
      stats.largest_block = std::max(stats.largest_block, n);
      if (n > options.max_block_size) {
        ++stats.skipped_blocks;
        stats.skipped_pairs += n * (n - 1) / 2;
      } else {
        blocks.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(j)});
      }
    }
    i = j;
  }
  constexpr std::uint64_t kChunkPairs = 1 << 15;
  std::vector<std::pair<std::size_t, std::size_t>> chunks;  // [first block, last block)
  for (std::size_t b = 0; b < blocks.size();) {
    std::size_t e = b;
    std::uint64_t pairs = 0;
    while (e < blocks.size() && (pairs < kChunkPairs || e == b)) {
      const std::uint64_t n = blocks[e].end - blocks[e].begin;
      pairs += n * (n - 1) / 2;
      ++e;
    }
    chunks.emplace_back(b, e);
    b = e;
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::uint64_t> produced(static_cast<std::size_t>(std::max(1, options.threads)), 0);
  const bool link_only = options.link_type == LinkType::kLinkOnly;
  auto worker = [&](int w) {
    std::uint64_t local = 0, since_report = 0;
    // The earlier rules' keys of the block's records, gathered once per block: the duplicate check then
    // reads this small buffer instead of `rule` random cache lines per pair.
    std::vector<std::uint64_t> prior;
    for (;;) {
      const std::size_t c = next.fetch_add(1, std::memory_order_relaxed);
      if (c >= chunks.size()) break;
      for (std::size_t bi = chunks[c].first; bi < chunks[c].second; ++bi) {
        const Block& blk = blocks[bi];
        const std::size_t n = blk.end - blk.begin;
        prior.resize(n * rule);
        for (std::size_t i = 0; i < n; ++i)
          for (std::size_t r = 0; r < rule; ++r) prior[i * rule + r] = keys[r][entries[blk.begin + i].row];
        for (std::uint32_t i = blk.begin; i < blk.end; ++i) {
          const std::uint32_t a = entries[i].row;
          const std::uint64_t* pa = prior.data() + (i - blk.begin) * rule;
          for (std::uint32_t j = i + 1; j < blk.end; ++j) {
            const std::uint32_t b = entries[j].row;
            if (link_only && store.Source(a) == store.Source(b)) continue;
            const std::uint64_t* pb = prior.data() + (j - blk.begin) * rule;
            bool seen = false;
            for (std::size_t r = 0; r < rule && !seen; ++r) seen = pa[r] != 0 && pa[r] == pb[r];
            if (seen) continue;
            visit(w, a, b);  // rows within a block are sorted, so a < b
            ++local;
            if (++since_report == 4096 && options.progress) {
              options.progress->fetch_add(since_report, std::memory_order_relaxed);
              since_report = 0;
            }
          }
        }
      }
    }
    if (options.progress) options.progress->fetch_add(since_report, std::memory_order_relaxed);
    produced[static_cast<std::size_t>(w)] = local;
  };
  {
    std::vector<std::jthread> pool;
    for (int t = 1; t < std::max(1, options.threads); ++t) pool.emplace_back(worker, t);
    worker(0);
  }
  for (auto p : produced) stats.pairs += p;
  return stats;
}

}  // namespace sanad::linkage
