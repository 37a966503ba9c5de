// NameIndex::Search: query tokens expanded to close terms through the deletion neighbourhoods, then a
// threshold algorithm over (token, term) pairs keeps the k best persons.
#include "search/name_index.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <numeric>

#include "search/name_keys.h"
#include "search/token_similarity.h"

namespace sanad::search {
using namespace internal;

// DeletionIndex

template <typename Fn>
void NameIndex::DeletionIndex::Find(std::uint64_t key, Fn&& fn) const {
  auto it = std::lower_bound(keys.begin(), keys.end(), key);
  for (; it != keys.end() && *it == key; ++it) fn(values[static_cast<std::size_t>(it - keys.begin())]);
  if (!extra.empty()) {
    auto [b, e] = extra.equal_range(key);
    for (; b != e; ++b) fn(b->second);
  }
}

struct NameIndex::QueryContext {
  std::vector<TokenInfo> tokens;
  std::vector<std::vector<std::pair<std::uint32_t, float>>> expansions;  // per token, (term, sim)
  // term → entry: open addressing over a power-of-two table.
  struct Entry {
    std::array<float, kMaxQueryTokens> sim{};
    std::uint32_t rank = kNoRank;  // first candidate pair that visits the term's postings
  };
  std::vector<std::uint32_t> table_term;
  std::vector<std::uint32_t> table_entry;
  std::size_t mask = 0;
  std::vector<Entry> entries;
  // Area filter.
  const std::vector<bool>* allowed = nullptr;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges;  // allowed Build slot ranges
  bool use_ranges = false;

  static std::size_t Slot(std::uint32_t term, std::size_t mask) {
    return (static_cast<std::size_t>(term) * 0x9E3779B1u) & mask;
  }
  void InitTable(std::size_t expected) {
    std::size_t cap = 16;
    while (cap < expected * 2) cap <<= 1;
    mask = cap - 1;
    table_term.assign(cap, kNoSlot);
    table_entry.assign(cap, 0);
  }
  Entry& Upsert(std::uint32_t term) {
    for (std::size_t i = Slot(term, mask);; i = (i + 1) & mask) {
      if (table_term[i] == term) return entries[table_entry[i]];
      if (table_term[i] == kNoSlot) {
        table_term[i] = term;
        table_entry[i] = static_cast<std::uint32_t>(entries.size());
        return entries.emplace_back();
      }
    }
  }
  const Entry* Find(std::uint32_t term) const {
    for (std::size_t i = Slot(term, mask);; i = (i + 1) & mask) {
      if (table_term[i] == term) return &entries[table_entry[i]];
      if (table_term[i] == kNoSlot) return nullptr;
    }
  }
  bool Allowed(std::uint32_t commune) const {
    return commune != kNoCommune && commune < allowed->size() && (*allowed)[commune];
  }
};

void NameIndex::ExpandToken(QueryContext& q, std::size_t i) const {
  const TokenInfo& tok = q.tokens[i];
  std::vector<std::uint32_t> candidates;
  if (!tok.skel.empty()) {
    ForEachDeletion(tok.skel, kSkelSeed, kSkelMinLenForDeletes, [&](std::uint64_t h) {
      skel_deletions_.Find(h, [&](std::uint32_t skel) {
        candidates.insert(candidates.end(), skel_terms_[skel].begin(), skel_terms_[skel].end());
      });
    });
  }
  ForEachDeletion(tok.mf, MfSeed(tok.script), kMfMinLenForDeletes,
                  [&](std::uint64_t h) { mf_deletions_.Find(h, [&](std::uint32_t t) { candidates.push_back(t); }); });
  auto& out = q.expansions[i];
  auto verify = [&] {
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    for (std::uint32_t t : candidates) {
      const std::string_view mf(term_text_.data() + term_mf_off_[t], term_mf_off_[t + 1] - term_mf_off_[t]);
      const double s = Similarity(tok.mf, tok.skel, tok.script, mf, skel_text_[term_skel_[t]], term_script_[t]);
      if (s >= kMinTokenSim) out.emplace_back(t, static_cast<float>(s));
    }
  };
  // Tokens of 5 letters or more also get two query-side deletions against the indexed single deletions
  // (edit distance up to 2 on the match form, e.g. Alaoiu → alaui), C(len, 2) more look-ups. Always,
  // not only when nothing close was found: a rare identical typo elsewhere in the registry must not
  // hide the common spelling.
  if (tok.mf.size() >= kMfMinLenForDeletes + 1) {
    std::string once;
    for (std::size_t a = 0; a < tok.mf.size(); ++a) {
      if (a > 0 && tok.mf[a] == tok.mf[a - 1]) continue;
      once.assign(tok.mf.substr(0, a));
      once.append(tok.mf.substr(a + 1));
      ForEachDeletion(once, MfSeed(tok.script), 1, [&](std::uint64_t h) {
        mf_deletions_.Find(h, [&](std::uint32_t t) { candidates.push_back(t); });
      });
    }
  }
  verify();
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
}

template <typename Visit>
void NameIndex::ForEachPosting(std::uint32_t term, const QueryContext& q, Visit&& visit) const {
  if (term + 1 < post_off_.size()) {
    const std::uint32_t* begin = post_slots_.data() + post_off_[term];
    const std::uint32_t* end = post_slots_.data() + post_off_[term + 1];
    if (q.allowed == nullptr) {
      for (const std::uint32_t* p = begin; p != end; ++p)
        if (slot_live_[*p] && !visit(*p)) return;
    } else if (q.use_ranges) {
      for (const auto& [lo, hi] : q.ranges) {
        const std::uint32_t* p = std::lower_bound(begin, end, lo);
        for (; p != end && *p < hi; ++p)
          if (slot_live_[*p] && !visit(*p)) return;
        begin = p;
      }
    } else {
      for (const std::uint32_t* p = begin; p != end; ++p)
        if (slot_live_[*p] && q.Allowed(slot_commune_[*p]) && !visit(*p)) return;
    }
  }
  if (auto it = delta_post_.find(term); it != delta_post_.end()) {
    for (std::uint32_t s : it->second)
      if (slot_live_[s] && (q.allowed == nullptr || q.Allowed(slot_commune_[s])) && !visit(s)) return;
  }
}

std::vector<NameIndex::Hit> NameIndex::Search(std::string_view query, std::size_t k,
                                              const std::vector<bool>* allowed_communes,
                                              const SearchOptions& options) const {
  std::vector<Hit> result;
  if (k == 0) return result;
  QueryContext q;
  q.tokens = Tokenize(query);  // no shared state: outside the lock
  if (q.tokens.size() > kMaxQueryTokens) q.tokens.resize(kMaxQueryTokens);
  const std::size_t n = q.tokens.size();
  if (n == 0) return result;

  std::shared_lock lock(mutex_);
  q.expansions.resize(n);
  std::size_t total = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ExpandToken(q, i);
    total += q.expansions[i].size();
  }
  if (total == 0) return result;
  q.InitTable(total);
  std::array<double, kMaxQueryTokens> best{};
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& [t, s] : q.expansions[i]) q.Upsert(t).sim[i] = s;
    best[i] = q.expansions[i].empty() ? 0.0 : q.expansions[i].front().second;
  }
  const double best_sum = std::accumulate(best.begin(), best.begin() + static_cast<std::ptrdiff_t>(n), 0.0);

  // Candidate pairs (token, term) with the best score a person reached through them could have.
  struct Pair {
    double bound;
    std::size_t postings;
    std::uint32_t term;
  };
  std::vector<Pair> pairs;
  pairs.reserve(total);
  for (std::size_t i = 0; i < n; ++i)
    for (const auto& [t, s] : q.expansions[i]) {
      std::size_t len = t + 1 < post_off_.size() ? post_off_[t + 1] - post_off_[t] : 0;
      if (auto it = delta_post_.find(t); it != delta_post_.end()) len += it->second.size();
      if (len == 0) continue;
      pairs.push_back({(best_sum - best[i] + s) / static_cast<double>(n), len, t});
    }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return a.bound != b.bound         ? a.bound > b.bound
           : a.postings != b.postings ? a.postings < b.postings
                                      : a.term < b.term;
  });
  for (std::uint32_t r = 0; r < pairs.size(); ++r) {
    auto& e = q.Upsert(pairs[r].term);
    e.rank = std::min(e.rank, r);
  }

  // Area filter: the allowed communes' Build slot ranges, merged.
  if (allowed_communes != nullptr) {
    q.allowed = allowed_communes;
    const std::size_t base_communes = commune_begin_.empty() ? 0 : commune_begin_.size() - 1;
    for (std::size_t c = 0; c < base_communes && c < allowed_communes->size(); ++c) {
      if (!(*allowed_communes)[c] || commune_begin_[c] == commune_begin_[c + 1]) continue;
      if (!q.ranges.empty() && q.ranges.back().second == commune_begin_[c])
        q.ranges.back().second = commune_begin_[c + 1];
      else
        q.ranges.emplace_back(commune_begin_[c], commune_begin_[c + 1]);
    }
    q.use_ranges = q.ranges.size() <= 64;
  }

  // Threshold algorithm over the pairs; a min-heap of the k best (worst on top).
  struct Scored {
    double score;
    std::uint32_t slot;
  };
  auto better = [](const Scored& a, const Scored& b) {  // as heap order this keeps the worst on top
    return a.score != b.score ? a.score > b.score : a.slot < b.slot;
  };
  std::vector<Scored> heap;
  heap.reserve(k + 1);
  std::size_t scored = 0;
  bool stop = false;
  for (std::uint32_t r = 0; r < pairs.size() && !stop; ++r) {
    const Pair& pair = pairs[r];
    if (pair.bound < options.min_score) break;
    if (heap.size() == k && heap.front().score >= pair.bound) break;
    if (q.Find(pair.term)->rank < r) continue;  // the same term was visited through an earlier pair
    ForEachPosting(pair.term, q, [&](std::uint32_t slot) {
      if (++scored > options.max_candidates) {
        stop = true;
        return false;
      }
      // Per query token, the best similarity through a token of the same script and of the other one.
      std::array<std::array<float, kMaxQueryTokens>, 2> sim{};
      std::array<std::array<std::uint32_t, kMaxQueryTokens>, 2> family{};
      std::uint32_t min_rank = kNoRank;
      bool has_given = false, has_family = false;
      std::array<bool, 2> has_script{};
      for (std::uint32_t i = fwd_off_[slot]; i < fwd_off_[slot + 1]; ++i) {
        const std::uint32_t tok = fwd_tok_[i];
        const std::uint32_t term = tok & ~kFamilyBit;
        (tok & kFamilyBit ? has_family : has_given) = true;
        const std::uint8_t script = term_script_[term];
        has_script[script] = true;
        const auto* e = q.Find(term);
        if (e == nullptr) continue;
        min_rank = std::min(min_rank, e->rank);
        for (std::size_t j = 0; j < n; ++j) {
          const int cross = script != q.tokens[j].script;
          if (e->sim[j] > sim[cross][j]) {
            sim[cross][j] = e->sim[j];
            family[cross][j] = tok & kFamilyBit;
          }
        }
      }
      if (min_rank < r) return true;  // already scored through an earlier pair
      // Cross-script evidence (skeleton only: Souad and Said share SED) counts only for a record that
      // lacks the query token's script; otherwise its own spelling in that script decides.
      for (std::size_t j = 0; j < n; ++j)
        if (!has_script[q.tokens[j].script]) {
          sim[0][j] = sim[1][j];
          family[0][j] = family[1][j];
        }
      double score = 0;
      bool given_matched = false, family_matched = false;
      for (std::size_t j = 0; j < n; ++j) {
        score += sim[0][j];
        if (sim[0][j] >= kFieldMatchSim) (family[0][j] ? family_matched : given_matched) = true;
      }
      score /= static_cast<double>(n);
      if (n >= 2 && !(given_matched && family_matched) && (has_given || has_family)) score -= kFieldPenalty;
      if (score < options.min_score) return true;
      const Scored s{score, slot};
      if (heap.size() < k) {
        heap.push_back(s);
        std::push_heap(heap.begin(), heap.end(), better);
      } else if (better(s, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), better);
        heap.back() = s;
        std::push_heap(heap.begin(), heap.end(), better);
      }
      return !(heap.size() == k && heap.front().score >= pair.bound);
    });
  }
  std::sort_heap(heap.begin(), heap.end(), better);
  result.reserve(heap.size());
  for (const auto& s : heap) result.push_back({slot_id_[s.slot], s.score});
  return result;
}

}  // namespace sanad::search
