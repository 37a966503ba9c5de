// NameIndex::Build: the compact index over the whole registry, in parallel, in eight steps (communes,
// slots, tokens, vocabulary, forward index, ids, postings, deletion neighbourhoods).
#include "search/name_index.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

#include "search/name_keys.h"

namespace sanad::search {
using namespace internal;
namespace {

unsigned WorkerCount(unsigned requested, std::size_t items) {
  unsigned t = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(t, items / 4096 + 1)));
}

}  // namespace

void NameIndex::Build(std::span<const PersonNames> persons, unsigned threads) {
  std::unique_lock lock(mutex_);
  ClearLocked();
  const std::size_t n = persons.size();
  if (n >= kNoSlot) return;  // beyond 4 G persons: not supported by 32-bit slots

  // 1. Communes, interned in code order so that a province or region is a contiguous id (and slot) range.
  std::vector<std::uint32_t> person_commune(n);
  {
    std::unordered_map<std::string_view, std::uint32_t> seen;
    for (const auto& p : persons)
      if (!p.commune_code.empty()) seen.try_emplace(p.commune_code, 0);
    std::vector<std::string_view> codes;
    codes.reserve(seen.size());
    for (auto& [code, _] : seen) codes.push_back(code);
    std::sort(codes.begin(), codes.end());
    for (auto code : codes) seen[code] = InternCommune(code);
    for (std::size_t i = 0; i < n; ++i)
      person_commune[i] = persons[i].commune_code.empty() ? kNoCommune : seen[persons[i].commune_code];
  }
  const std::size_t communes = commune_code_.size();

  // 2. Slots in commune order (counting sort; persons without a commune last), stable in input order.
  std::vector<std::uint32_t> order(n);  // slot → input row
  commune_begin_.assign(communes + 2, 0);
  for (auto c : person_commune) ++commune_begin_[(c == kNoCommune ? communes : c) + 1];
  std::partial_sum(commune_begin_.begin(), commune_begin_.end(), commune_begin_.begin());
  {
    std::vector<std::uint32_t> next(commune_begin_.begin(), commune_begin_.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
      order[next[person_commune[i] == kNoCommune ? communes : person_commune[i]]++] = static_cast<std::uint32_t>(i);
  }
  commune_begin_.pop_back();  // keep [0, communes]; the tail range is the no-commune persons

  // 3. Tokenise in parallel; each distinct field string is tokenised once per worker.
  struct Worker {
    std::unordered_map<std::string_view, std::uint32_t> ids;
    std::vector<std::vector<TokenInfo>> infos;
    std::vector<std::vector<std::uint32_t>> terms;  // filled by the merge
  };
  constexpr std::uint32_t kEmpty = std::numeric_limits<std::uint32_t>::max();
  const unsigned workers = WorkerCount(threads, n);
  std::vector<Worker> work(workers);
  std::vector<std::uint32_t> field_raw(n * 4, kEmpty);  // per slot: given_ar, family_ar, given_lat, family_lat
  {
    const std::size_t chunk = (n + workers - 1) / workers;
    std::vector<std::jthread> pool;
    for (unsigned w = 0; w < workers; ++w) {
      pool.emplace_back([&, w] {
        Worker& me = work[w];
        const std::size_t end = std::min(n, (w + 1) * chunk);
        for (std::size_t slot = w * chunk; slot < end; ++slot) {
          const PersonNames& p = persons[order[slot]];
          const std::array<std::string_view, 4> fields = {p.given_ar, p.family_ar, p.given_lat, p.family_lat};
          for (std::size_t f = 0; f < 4; ++f) {
            if (fields[f].empty()) continue;
            auto [it, inserted] = me.ids.try_emplace(fields[f], static_cast<std::uint32_t>(me.infos.size()));
            if (inserted) me.infos.push_back(Tokenize(fields[f]));
            field_raw[slot * 4 + f] = it->second;
          }
        }
      });
    }
  }

  // 4. Intern the vocabulary (serial, vocabulary-sized work).
  for (auto& w : work) {
    w.terms.resize(w.infos.size());
    for (std::size_t r = 0; r < w.infos.size(); ++r)
      for (const auto& info : w.infos[r]) w.terms[r].push_back(InternTerm(info));
    w.infos.clear();
    w.infos.shrink_to_fit();
  }

  // 5. Forward index (slot → tokens with their field).
  const std::size_t chunk = (n + workers - 1) / workers;
  auto worker_of = [&](std::size_t slot) -> const Worker& { return work[slot / chunk]; };
  fwd_off_.assign(n + 1, 0);
  for (std::size_t slot = 0; slot < n; ++slot) {
    const Worker& w = worker_of(slot);
    std::uint32_t count = 0;
    for (std::size_t f = 0; f < 4; ++f)
      if (auto r = field_raw[slot * 4 + f]; r != kEmpty) count += static_cast<std::uint32_t>(w.terms[r].size());
    fwd_off_[slot + 1] = fwd_off_[slot] + count;
  }
  fwd_tok_.resize(fwd_off_[n]);
  for (std::size_t slot = 0; slot < n; ++slot) {
    const Worker& w = worker_of(slot);
    std::uint32_t at = fwd_off_[slot];
    for (std::size_t f = 0; f < 4; ++f) {
      const auto r = field_raw[slot * 4 + f];
      if (r == kEmpty) continue;
      const std::uint32_t bit = (f == 1 || f == 3) ? kFamilyBit : 0;
      for (auto t : w.terms[r]) fwd_tok_[at++] = t | bit;
    }
  }
  field_raw.clear();
  field_raw.shrink_to_fit();
  work.clear();

  // 6. Per-slot columns and id index (a repeated id: the later input row wins).
  slot_id_.resize(n);
  slot_commune_.resize(n);
  slot_live_.assign(n, 1);
  for (std::size_t slot = 0; slot < n; ++slot) {
    slot_id_[slot] = persons[order[slot]].id;
    slot_commune_[slot] = person_commune[order[slot]];
  }
  {
    std::vector<std::uint32_t> by_id(n);
    std::iota(by_id.begin(), by_id.end(), 0u);
    std::sort(by_id.begin(), by_id.end(), [&](std::uint32_t a, std::uint32_t b) {
      return slot_id_[a] != slot_id_[b] ? slot_id_[a] < slot_id_[b] : order[a] < order[b];
    });
    base_ids_.reserve(n);
    base_id_slot_.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t s = by_id[i];
      if (!base_ids_.empty() && base_ids_.back() == slot_id_[s]) {
        slot_live_[base_id_slot_.back()] = 0;
        base_id_slot_.back() = s;
      } else {
        base_ids_.push_back(slot_id_[s]);
        base_id_slot_.push_back(s);
      }
    }
  }
  live_ = base_ids_.size();
  base_slots_ = static_cast<std::uint32_t>(n);

  // 7. Postings (counting sort by term; slots ascending, one entry per slot and term).
  const std::size_t terms = term_script_.size();
  {
    std::vector<std::uint32_t> last(terms, kNoSlot);
    post_off_.assign(terms + 1, 0);
    for (std::uint32_t slot = 0; slot < n; ++slot) {
      if (!slot_live_[slot]) continue;
      for (std::uint32_t i = fwd_off_[slot]; i < fwd_off_[slot + 1]; ++i) {
        const std::uint32_t t = fwd_tok_[i] & ~kFamilyBit;
        if (last[t] != slot) {
          last[t] = slot;
          ++post_off_[t + 1];
        }
      }
    }
    std::partial_sum(post_off_.begin(), post_off_.end(), post_off_.begin());
    post_slots_.resize(post_off_[terms]);
    std::vector<std::uint32_t> next(post_off_.begin(), post_off_.end() - 1);
    std::fill(last.begin(), last.end(), kNoSlot);
    for (std::uint32_t slot = 0; slot < n; ++slot) {
      if (!slot_live_[slot]) continue;
      for (std::uint32_t i = fwd_off_[slot]; i < fwd_off_[slot + 1]; ++i) {
        const std::uint32_t t = fwd_tok_[i] & ~kFamilyBit;
        if (last[t] != slot) {
          last[t] = slot;
          post_slots_[next[t]++] = slot;
        }
      }
    }
  }
  if (post_off_.empty()) post_off_.push_back(0);

  // 8. Deletion neighbourhoods of the vocabulary, as sorted (hash, value) arrays.
  auto fill = [](DeletionIndex& index, std::vector<std::pair<std::uint64_t, std::uint32_t>>& pairs) {
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    index.keys.resize(pairs.size());
    index.values.resize(pairs.size());
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      index.keys[i] = pairs[i].first;
      index.values[i] = pairs[i].second;
    }
  };
  {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
    for (std::uint32_t s = 0; s < skel_text_.size(); ++s)
      if (!skel_text_[s].empty())
        ForEachDeletion(skel_text_[s], kSkelSeed, kSkelMinLenForDeletes,
                        [&](std::uint64_t h) { pairs.emplace_back(h, s); });
    fill(skel_deletions_, pairs);
    pairs.clear();
    for (std::uint32_t t = 0; t < terms; ++t) {
      const std::string_view mf(term_text_.data() + term_mf_off_[t], term_mf_off_[t + 1] - term_mf_off_[t]);
      ForEachDeletion(mf, MfSeed(term_script_[t]), kMfMinLenForDeletes,
                      [&](std::uint64_t h) { pairs.emplace_back(h, t); });
    }
    fill(mf_deletions_, pairs);
  }
}

}  // namespace sanad::search
