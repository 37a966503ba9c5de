// The name index's vocabulary (tokenising, interning terms and communes), incremental changes (Upsert,
// Remove), commune masks and sizes. Build is in name_index_build.cpp, Search in name_index_query.cpp.
#include "search/name_index.h"

#include <algorithm>
#include <array>
#include <mutex>

#include "search/name_keys.h"
#include "text/cross_script.h"
#include "text/latin.h"
#include "text/names.h"
#include "text/utf8.h"

namespace sanad::search {
using namespace internal;
namespace {

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

}  // namespace

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

}  // namespace sanad::search
