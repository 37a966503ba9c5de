// In-memory fuzzy person-name index serving the registry's name search: either
// script, typos, transliteration variants (محمد ≈ Mohamed ≈ Mohammed ≈ Med; عبد القادر ≈ Abdelkader ≈
// Abdel Kader; أحمد ≈ احمد), a query in Arabic finding a Latin-only record and vice versa; ranked; filtered
// by area so that results never leave the caller's scope.
//
//   NameIndex index;
//   index.Build(persons);                                   // at start-up, from the registry
//   auto allowed = index.CommuneMask({"MA-04.441"});         // area filter AND the caller's scope
//   auto hits = index.Search("Mohamed Benali", 10, &allowed);
//   index.Upsert(changed_person); index.Remove(exited_id);   // after each approved change request
//
// How it works (the names follow docs/domain.md §4):
//  - Every name field is tokenised by text::TokenizeName (particles fused, honorifics dropped, "Med"
//    expanded). Each token becomes a *term*: its script, its within-script match form (PhoneticLatin of
//    the folded Latin token, or the NormalizeArabic form, one byte per letter) and its cross-script
//    consonant skeleton (text::CrossScriptKey: محمد = Mohamed = Med → MHMD). Terms and skeletons are
//    interned; a person holds only 32-bit term ids.
//  - Postings are sorted arrays of 32-bit person slots (struct of arrays, CSR). Build numbers the slots
//    in commune-code order, so every commune, province and region is one contiguous slot range and an
//    area-filtered search binary-searches into the postings instead of filtering them.
//  - Typo tolerance is symmetric deletion (Garbe's SymSpell, 2012) over the skeletons and the match
//    forms: the vocabulary's single-deletion neighbourhoods are stored as sorted arrays of 64-bit hashes;
//    a query token looks up its own single deletions (and, from 5 letters, its double deletions, which
//    reach edit distance 2). Candidate terms are verified with Jaro–Winkler (Winkler 1990): same match
//    form 1; same script and same skeleton 0.5 + 0.5·JW(match forms); other script and same skeleton
//    0.97; otherwise 0.95·JW(match forms) or 0.92·JW(skeletons). Terms below 0.75 are dropped.
//  - A person's score is the mean over the query tokens of the best similarity of any of its tokens
//    (so given/family order swaps are free). Cross-script (skeleton-only) evidence counts only when the
//    record lacks the query token's script. A query of two or more tokens that does not match both a
//    given-name and a family-name token of the person loses 0.05.
//  - Top-k is exact for that score (Fagin's threshold algorithm): the (query token, term) pairs are
//    processed in decreasing order of the best score any person reached through them could have, and the
//    search stops as soon as k hits score at least that bound. A common exact name therefore costs a few
//    dozen postings, not the hundreds of thousands of persons who bear it.
//  - Changes after Build go to a small delta (new slots appended, old slots tombstoned). Build again (in
//    a new NameIndex that is then swapped in) when the delta grows large; Build is the compaction.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sanad::search {

// The searchable names of one person. Any field may be empty (a record captured in one script only).
struct PersonNames {
  std::int64_t id = 0;   // the registry's person id; unique within an index
  std::string given_ar;  // Arabic script, as captured
  std::string family_ar;
  std::string given_lat;  // Latin script, as captured
  std::string family_lat;
  std::string commune_code;  // area code of the person's commune ("MA-04.441.01.03"); may be empty
};

struct SearchOptions {
  // Hits scoring below this are not returned (a score is in [0, 1]; 1 = every query token matched a
  // token of the record exactly in its match form).
  double min_score = 0.6;
  // Upper bound on the persons scored by one search. Past it the result is the best among those scored
  // (reached only by pathological queries over very large unfiltered scopes).
  std::size_t max_candidates = 400'000;
};

class NameIndex {
 public:
  static constexpr std::uint32_t kNoCommune = std::numeric_limits<std::uint32_t>::max();

  struct Hit {
    std::int64_t id = 0;
    double score = 0;  // in [0, 1], higher is better
    bool operator==(const Hit&) const = default;
  };

  NameIndex() = default;
  NameIndex(const NameIndex&) = delete;
  NameIndex& operator=(const NameIndex&) = delete;

  // Replaces the whole content with `persons` (bulk load at start-up or compaction). Tokenisation runs on
  // `threads` worker threads (0 = hardware concurrency); repeated name strings are normalised once.
  // Commune codes are interned in sorted order, so CommuneId is stable for a given set of codes.
  // If an id occurs twice, the later row wins. Takes the writer lock for its whole duration: to rebuild
  // a live index without pausing searches, Build a new NameIndex and swap the owning pointer.
  void Build(std::span<const PersonNames> persons, unsigned threads = 0);

  // Inserts or replaces the person with `person.id`; visible to every Search that starts after it
  // returns. Writer lock; cost is that of tokenising one person plus hash-map updates.
  void Upsert(const PersonNames& person);

  // Removes the person; returns false when the id is not in the index. Visible to the next Search.
  bool Remove(std::int64_t id);

  // Interned id of a commune code, or kNoCommune when no indexed person ever lived there.
  std::uint32_t CommuneId(std::string_view code) const;
  // Number of interned communes (valid ids are [0, CommuneCount())); a mask for Search has this size.
  std::size_t CommuneCount() const;
  // Mask over interned communes: true where the code starts with one of `area_prefixes` (a commune,
  // province or region code; "MA-04" = the region, "MA-04.441" = a province). The caller ANDs the
  // area filter of the request with the caller's scope mask before searching.
  std::vector<bool> CommuneMask(std::span<const std::string> area_prefixes) const;

  // The best `k` persons for `query` (a name in either script, one or several tokens, in any order),
  // best first; ties in an unspecified but deterministic order. `allowed_communes` may be null (no area
  // restriction at all); otherwise only persons whose interned commune id c has c < size() and
  // (*allowed_communes)[c] are returned (deny by default: persons without a commune and communes
  // beyond the mask are never returned). An empty query or k == 0 gives no hits. Thread-safe: any
  // number of concurrent Search calls (reader lock), serialised against Build/Upsert/Remove.
  std::vector<Hit> Search(std::string_view query, std::size_t k, const std::vector<bool>* allowed_communes,
                          const SearchOptions& options = {}) const;

  // Live persons.
  std::size_t size() const;
  // Heap bytes held by the index (vector capacities and an estimate for hash tables).
  std::size_t MemoryBytes() const;

 private:
  struct QueryContext;
  struct TokenInfo {
    std::string mf;    // match form, one byte per letter
    std::string skel;  // cross-script skeleton, no spaces
    std::uint8_t script = 0;
  };
  // Deletion-neighbourhood index: 64-bit hashes → values, sorted arrays for the bulk part plus a small
  // hash map for what was added after Build.
  struct DeletionIndex {
    std::vector<std::uint64_t> keys;
    std::vector<std::uint32_t> values;
    std::unordered_multimap<std::uint64_t, std::uint32_t> extra;
    void Add(std::uint64_t key, std::uint32_t value) { extra.emplace(key, value); }
    template <typename Fn>
    void Find(std::uint64_t key, Fn&& fn) const;
    void Clear();
    std::size_t Bytes() const;
  };

  static std::vector<TokenInfo> Tokenize(std::string_view name);
  std::uint32_t InternTerm(const TokenInfo& token);    // writer lock held
  std::uint32_t InternCommune(std::string_view code);  // writer lock held
  void ClearLocked();
  std::uint32_t FindSlotLocked(std::int64_t id) const;  // kNoSlot when absent or dead
  void RemoveSlotLocked(std::uint32_t slot);
  void ExpandToken(QueryContext& q, std::size_t i) const;
  template <typename Visit>
  void ForEachPosting(std::uint32_t term, const QueryContext& q, Visit&& visit) const;

  mutable std::shared_mutex mutex_;

  // Terms (vocabulary scale).
  std::unordered_map<std::string, std::uint32_t> term_ids_;  // script + mf + '\1' + skel → term
  std::vector<std::uint8_t> term_script_;
  std::vector<std::uint32_t> term_mf_off_;  // term t's match form is term_text_[off[t], off[t+1])
  std::string term_text_;
  std::vector<std::uint32_t> term_skel_;  // skeleton id of each term
  std::unordered_map<std::string, std::uint32_t> skel_ids_;
  std::vector<std::string> skel_text_;
  std::vector<std::vector<std::uint32_t>> skel_terms_;  // terms sharing each skeleton
  DeletionIndex skel_deletions_;                        // deletion neighbourhood of skeletons → skeleton ids
  DeletionIndex mf_deletions_;                          // deletion neighbourhood of match forms → term ids

  // Postings: bulk part (CSR over terms known at Build) and delta part (slots appended since).
  std::vector<std::uint32_t> post_off_;
  std::vector<std::uint32_t> post_slots_;
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> delta_post_;

  // Persons by slot (struct of arrays). A token entry is term | kFamilyBit when it came from the family
  // name. Slots [0, base_slots_) were numbered by Build in commune order; later ones by Upsert.
  std::vector<std::uint32_t> fwd_off_;
  std::vector<std::uint32_t> fwd_tok_;
  std::vector<std::int64_t> slot_id_;
  std::vector<std::uint32_t> slot_commune_;
  std::vector<std::uint8_t> slot_live_;
  std::uint32_t base_slots_ = 0;
  std::size_t live_ = 0;

  // id → slot: sorted arrays for the Build part, a hash map for slots added since.
  std::vector<std::int64_t> base_ids_;
  std::vector<std::uint32_t> base_id_slot_;
  std::unordered_map<std::int64_t, std::uint32_t> delta_ids_;

  // Communes: codes, and the Build slot range [begin[c], begin[c+1]) of each commune interned by Build.
  std::vector<std::string> commune_code_;
  std::unordered_map<std::string, std::uint32_t> commune_ids_;
  std::vector<std::uint32_t> commune_begin_;
};

}  // namespace sanad::search
