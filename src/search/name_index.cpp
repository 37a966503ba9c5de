#include "search/name_index.h"

#include <algorithm>
#include <array>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_set>

#include "text/cross_script.h"
#include "text/latin.h"
#include "text/names.h"
#include "text/similarity.h"
#include "text/utf8.h"

namespace sanad::search {
namespace {

constexpr std::uint32_t kFamilyBit = 0x8000'0000u;
constexpr std::uint32_t kNoSlot = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kNoRank = std::numeric_limits<std::uint32_t>::max();
constexpr std::size_t kMaxQueryTokens = 8;
constexpr std::uint8_t kLatin = 0;
constexpr std::uint8_t kArabic = 1;

// Token similarity (docs/domain.md §4.1), in decreasing order of evidence: same match form (1); same
// script and same cross-script skeleton (variant or vowel typo); other script and same skeleton; then
// discounted Jaro–Winkler on the match forms (same script) or on the skeletons (either script). Values
// below kMinTokenSim are treated as no match.
// Same script, same skeleton, other match form (a variant or a typo that kept the consonants): the
// skeleton is strong evidence, the match forms still order the candidates (Souad/Said share SED).
constexpr double kSameSkeletonBase = 0.5;
// Other script, same skeleton.
constexpr double kCrossScriptSim = 0.97;
// Same script, different skeleton: Jaro–Winkler on match forms, discounted.
constexpr double kOtherSkeletonWeight = 0.95;
// Either script: Jaro–Winkler on skeletons only, discounted more.
constexpr double kSkeletonOnlyWeight = 0.92;
constexpr double kMinTokenSim = 0.75;
// A query of two or more tokens should match a given-name and a family-name token of the record.
constexpr double kFieldPenalty = 0.05;
constexpr double kFieldMatchSim = 0.8;

// 64-bit hash of a byte string with a seed (the key space: skeleton, Latin match form, Arabic form).
std::uint64_t Hash(std::string_view s, std::uint64_t seed) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (seed * 0xC2B2AE3D27D4EB4Full);
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001B3ull;
    h ^= h >> 29;
  }
  h ^= h >> 32;
  h *= 0xD6E8FEB86659FD93ull;
  h ^= h >> 32;
  return h;
}

// Calls fn(hash) for `s` and (when long enough) for each distinct string obtained by deleting one byte.
template <typename Fn>
void ForEachDeletion(std::string_view s, std::uint64_t seed, std::size_t min_len_for_deletes, Fn&& fn) {
  fn(Hash(s, seed));
  if (s.size() < min_len_for_deletes) return;
  std::string buf;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && s[i] == s[i - 1]) continue;  // deleting either of two equal neighbours gives the same string
    buf.assign(s.substr(0, i));
    buf.append(s.substr(i + 1));
    fn(Hash(buf, seed));
  }
}

constexpr std::size_t kSkelMinLenForDeletes = 3;
constexpr std::size_t kMfMinLenForDeletes = 4;
constexpr std::uint64_t kSkelSeed = 1;
std::uint64_t MfSeed(std::uint8_t script) { return 2 + script; }

// Arabic normalised text → one byte per letter, so that byte-wise Jaro–Winkler and deletions work.
std::string OneBytePerLetter(std::string_view utf8) {
  std::string out;
  for (char32_t c : text::DecodeUtf8(utf8)) {
    if (c < 0x80)
      out.push_back(static_cast<char>(c));
    else if (c >= 0x600 && c < 0x680)
      out.push_back(static_cast<char>(0x80 + (c - 0x600)));
    else
      out.push_back(static_cast<char>(0xC0 + (c % 0x40)));
  }
  return out;
}

double Similarity(std::string_view q_mf, std::string_view q_skel, std::uint8_t q_script, std::string_view t_mf,
                  std::string_view t_skel, std::uint8_t t_script) {
  const bool skeletons = !q_skel.empty() && !t_skel.empty();
  const bool same_skeleton = skeletons && q_skel == t_skel;
  if (q_script == t_script) {
    if (q_mf == t_mf) return 1.0;
    const double jw = text::JaroWinkler(q_mf, t_mf);
    // Transliteration variants and most typos keep the consonant skeleton (Muhammad/Mohamed → MHMD);
    // a different skeleton usually means a different name (M'hamed AMHMD, Mehdi MHD).
    if (same_skeleton) return kSameSkeletonBase + (1.0 - kSameSkeletonBase) * jw;
    double s = kOtherSkeletonWeight * jw;
    if (skeletons) s = std::max(s, kSkeletonOnlyWeight * text::JaroWinkler(q_skel, t_skel));
    return s;
  }
  if (same_skeleton) return kCrossScriptSim;
  return skeletons ? kSkeletonOnlyWeight * text::JaroWinkler(q_skel, t_skel) : 0.0;
}

unsigned WorkerCount(unsigned requested, std::size_t items) {
  unsigned t = requested ? requested : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(t, items / 4096 + 1)));
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
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

void NameIndex::DeletionIndex::Clear() {
  keys.clear();
  keys.shrink_to_fit();
  values.clear();
  values.shrink_to_fit();
  extra.clear();
}

std::size_t NameIndex::DeletionIndex::Bytes() const {
  return keys.capacity() * sizeof(std::uint64_t) + values.capacity() * sizeof(std::uint32_t) + extra.size() * 40 +
         extra.bucket_count() * sizeof(void*);
}

// ---------------------------------------------------------------------------------------------------
// Tokenising and interning

std::vector<NameIndex::TokenInfo> NameIndex::Tokenize(std::string_view name) {
  std::vector<TokenInfo> out;
  if (name.empty()) return out;
  for (auto& token : text::TokenizeName(name)) {
    TokenInfo info;
    info.script = text::DetectScript(token.text) == text::Script::kArabic ? kArabic : kLatin;
    info.mf = info.script == kLatin ? text::PhoneticLatin(token.text) : OneBytePerLetter(token.text);
    if (info.mf.empty()) continue;
    std::string joined;
    for (const auto& part : token.parts) {
      if (!joined.empty()) joined.push_back(' ');
      joined += part;
    }
    for (char c : text::CrossScriptKey(joined.empty() ? std::string_view(token.text) : std::string_view(joined)))
      if (c != ' ') info.skel.push_back(c);
    out.push_back(std::move(info));
  }
  return out;
}

std::uint32_t NameIndex::InternTerm(const TokenInfo& token) {
  std::string key;
  key.reserve(token.mf.size() + token.skel.size() + 2);
  key.push_back(static_cast<char>('0' + token.script));
  key += token.mf;
  key.push_back('\1');
  key += token.skel;
  auto [it, inserted] = term_ids_.try_emplace(std::move(key), static_cast<std::uint32_t>(term_script_.size()));
  if (!inserted) return it->second;
  const std::uint32_t term = it->second;
  term_script_.push_back(token.script);
  if (term_mf_off_.empty()) term_mf_off_.push_back(0);
  term_text_ += token.mf;
  term_mf_off_.push_back(static_cast<std::uint32_t>(term_text_.size()));
  auto [sit, new_skel] = skel_ids_.try_emplace(token.skel, static_cast<std::uint32_t>(skel_text_.size()));
  if (new_skel) {
    skel_text_.push_back(token.skel);
    skel_terms_.emplace_back();
  }
  const std::uint32_t skel = sit->second;
  term_skel_.push_back(skel);
  skel_terms_[skel].push_back(term);
  // After Build, new vocabulary goes to the deletion indexes' hash-map part (Build does it in bulk).
  if (base_slots_ > 0 || !post_off_.empty()) {
    if (new_skel && !token.skel.empty())
      ForEachDeletion(token.skel, kSkelSeed, kSkelMinLenForDeletes,
                      [&](std::uint64_t h) { skel_deletions_.Add(h, skel); });
    ForEachDeletion(token.mf, MfSeed(token.script), kMfMinLenForDeletes,
                    [&](std::uint64_t h) { mf_deletions_.Add(h, term); });
  }
  return term;
}

std::uint32_t NameIndex::InternCommune(std::string_view code) {
  if (code.empty()) return kNoCommune;
  auto [it, inserted] = commune_ids_.try_emplace(std::string(code), static_cast<std::uint32_t>(commune_code_.size()));
  if (inserted) commune_code_.emplace_back(code);
  return it->second;
}

void NameIndex::ClearLocked() {
  term_ids_.clear();
  term_script_.clear();
  term_mf_off_.clear();
  term_text_.clear();
  term_skel_.clear();
  skel_ids_.clear();
  skel_text_.clear();
  skel_terms_.clear();
  skel_deletions_.Clear();
  mf_deletions_.Clear();
  post_off_.clear();
  post_slots_.clear();
  post_slots_.shrink_to_fit();
  delta_post_.clear();
  fwd_off_.clear();
  fwd_tok_.clear();
  fwd_tok_.shrink_to_fit();
  slot_id_.clear();
  slot_commune_.clear();
  slot_live_.clear();
  base_slots_ = 0;
  live_ = 0;
  base_ids_.clear();
  base_id_slot_.clear();
  delta_ids_.clear();
  commune_code_.clear();
  commune_ids_.clear();
  commune_begin_.clear();
}

// ---------------------------------------------------------------------------------------------------
// Build

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

// ---------------------------------------------------------------------------------------------------
// Changes

std::uint32_t NameIndex::FindSlotLocked(std::int64_t id) const {
  if (auto it = delta_ids_.find(id); it != delta_ids_.end() && slot_live_[it->second]) return it->second;
  auto it = std::lower_bound(base_ids_.begin(), base_ids_.end(), id);
  if (it != base_ids_.end() && *it == id) {
    const std::uint32_t slot = base_id_slot_[static_cast<std::size_t>(it - base_ids_.begin())];
    if (slot_live_[slot]) return slot;
  }
  return kNoSlot;
}

void NameIndex::RemoveSlotLocked(std::uint32_t slot) {
  slot_live_[slot] = 0;
  --live_;
  if (slot >= base_slots_) delta_ids_.erase(slot_id_[slot]);
}

void NameIndex::Upsert(const PersonNames& person) {
  // Tokenise outside the lock: it is the expensive part and touches no shared state.
  std::array<std::vector<TokenInfo>, 4> fields = {Tokenize(person.given_ar), Tokenize(person.family_ar),
                                                  Tokenize(person.given_lat), Tokenize(person.family_lat)};
  std::unique_lock lock(mutex_);
  if (auto old = FindSlotLocked(person.id); old != kNoSlot) RemoveSlotLocked(old);
  if (fwd_off_.empty()) fwd_off_.push_back(0);
  if (post_off_.empty()) post_off_.push_back(0);
  const auto slot = static_cast<std::uint32_t>(slot_id_.size());
  std::vector<std::uint32_t> seen;
  for (std::size_t f = 0; f < 4; ++f) {
    const std::uint32_t bit = (f == 1 || f == 3) ? kFamilyBit : 0;
    for (const auto& info : fields[f]) {
      const std::uint32_t t = InternTerm(info);
      fwd_tok_.push_back(t | bit);
      if (std::find(seen.begin(), seen.end(), t) == seen.end()) {
        seen.push_back(t);
        delta_post_[t].push_back(slot);
      }
    }
  }
  fwd_off_.push_back(static_cast<std::uint32_t>(fwd_tok_.size()));
  slot_id_.push_back(person.id);
  slot_commune_.push_back(InternCommune(person.commune_code));
  slot_live_.push_back(1);
  delta_ids_[person.id] = slot;
  ++live_;
}

bool NameIndex::Remove(std::int64_t id) {
  std::unique_lock lock(mutex_);
  const std::uint32_t slot = FindSlotLocked(id);
  if (slot == kNoSlot) return false;
  RemoveSlotLocked(slot);
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Communes

std::uint32_t NameIndex::CommuneId(std::string_view code) const {
  std::shared_lock lock(mutex_);
  auto it = commune_ids_.find(std::string(code));
  return it == commune_ids_.end() ? kNoCommune : it->second;
}

std::size_t NameIndex::CommuneCount() const {
  std::shared_lock lock(mutex_);
  return commune_code_.size();
}

std::vector<bool> NameIndex::CommuneMask(std::span<const std::string> area_prefixes) const {
  std::shared_lock lock(mutex_);
  std::vector<bool> mask(commune_code_.size(), false);
  for (std::size_t c = 0; c < commune_code_.size(); ++c)
    for (const auto& prefix : area_prefixes)
      if (std::string_view(commune_code_[c]).starts_with(prefix)) mask[c] = true;
  return mask;
}

std::size_t NameIndex::size() const {
  std::shared_lock lock(mutex_);
  return live_;
}

std::size_t NameIndex::MemoryBytes() const {
  std::shared_lock lock(mutex_);
  auto vec = [](const auto& v) { return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type); };
  std::size_t bytes = 0;
  for (const auto& [key, _] : term_ids_) bytes += key.capacity() + 48;
  bytes += term_ids_.bucket_count() * sizeof(void*);
  bytes += vec(term_script_) + vec(term_mf_off_) + term_text_.capacity() + vec(term_skel_);
  for (const auto& s : skel_text_) bytes += s.capacity() + sizeof(std::string);
  for (const auto& t : skel_terms_) bytes += vec(t) + sizeof(t);
  bytes += skel_ids_.size() * 64 + skel_ids_.bucket_count() * sizeof(void*);
  bytes += skel_deletions_.Bytes() + mf_deletions_.Bytes();
  bytes += vec(post_off_) + vec(post_slots_);
  for (const auto& [_, v] : delta_post_) bytes += vec(v) + 48;
  bytes += vec(fwd_off_) + vec(fwd_tok_) + vec(slot_id_) + vec(slot_commune_) + vec(slot_live_);
  bytes += vec(base_ids_) + vec(base_id_slot_) + delta_ids_.size() * 32 + delta_ids_.bucket_count() * sizeof(void*);
  for (const auto& c : commune_code_) bytes += c.capacity() + sizeof(std::string) + 48;
  bytes += vec(commune_begin_);
  return bytes;
}

// ---------------------------------------------------------------------------------------------------
// Search

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
