#include "names/person_name_search.h"

#include <algorithm>

namespace sanad::names {

namespace {

// Rankings kept at most (16 bytes each): a few hundred recent queries.
constexpr std::size_t kMaxRankedHits = 1'000'000;

// Marks a change of the index for the rankings kept (PersonNameSearch::generation_).
class IndexChange {
 public:
  explicit IndexChange(std::atomic<std::uint64_t>& generation) : generation_(generation) { generation_.fetch_add(1); }
  ~IndexChange() { generation_.fetch_add(1); }
  IndexChange(const IndexChange&) = delete;
  IndexChange& operator=(const IndexChange&) = delete;

 private:
  std::atomic<std::uint64_t>& generation_;
};

}  // namespace

Result<std::size_t> PersonNameSearch::Load() {
  std::lock_guard lock(apply_mu_);
  return LoadLocked();
}

Result<std::size_t> PersonNameSearch::LoadLocked() {
  auto all = store_.ActivePersons();
  if (!all) return std::unexpected(all.error());
  IndexChange change(generation_);
  index_.Build(*all);
  std::lock_guard lock(masks_mu_);
  masks_.clear();  // commune ids are renumbered by Build
  return all->size();
}

Status PersonNameSearch::Reindex(const std::vector<std::int64_t>& ids) {
  auto rows = store_.Persons(ids);
  if (!rows) return std::unexpected(rows.error());
  IndexChange change(generation_);
  for (const auto& r : *rows) {
    if (r.active) {
      index_.Upsert(r.names);
    } else {
      index_.Remove(r.names.id);
    }
  }
  return Ok();
}

Status PersonNameSearch::Apply(const registry::AppliedChange& change) {
  std::lock_guard lock(apply_mu_);
  if (change.bulk) {
    // An import: one rebuild is cheaper than a million upserts (4 M persons/s). The same import
    // arrives twice on the node that approved it (listener, then feed): one rebuild is enough.
    if (change.change_request_id != 0 && change.change_request_id == last_bulk_change_) return Ok();
    if (auto n = LoadLocked(); !n) return std::unexpected(n.error());
    last_bulk_change_ = change.change_request_id;
    return Ok();
  }
  // Members of changed households too: a household moving commune moves its members' postings.
  std::vector<std::int64_t> ids = change.person_ids;
  auto members = store_.MembersOf(change.household_ids);
  if (!members) return std::unexpected(members.error());
  ids.insert(ids.end(), members->begin(), members->end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  constexpr std::size_t kBatch = 500;
  for (std::size_t i = 0; i < ids.size(); i += kBatch) {
    auto batch = std::vector<std::int64_t>(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                           ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), i + kBatch)));
    if (auto st = Reindex(batch); !st) return st;
  }
  return Ok();
}

Result<std::vector<bool>> PersonNameSearch::MaskFor(const std::string& area, const std::string& today) {
  std::lock_guard lock(masks_mu_);
  auto key = std::make_pair(area, today);
  // A commune first seen by a later Upsert gets a new id: a mask built before it is stale.
  if (auto it = masks_.find(key); it != masks_.end() && it->second.size() == index_.CommuneCount()) return it->second;
  std::vector<bool> mask(index_.CommuneCount(), false);
  auto codes = store_.AreasUnder(area, today);
  if (!codes) return std::unexpected(codes.error());
  for (const auto& code : *codes) {
    auto id = index_.CommuneId(code);
    if (id != search::NameIndex::kNoCommune && id < mask.size()) mask[id] = true;
  }
  if (masks_.size() > 4096) masks_.clear();
  masks_[key] = mask;
  return mask;
}

Result<std::vector<std::pair<std::int64_t, double>>> PersonNameSearch::Search(const std::string& query,
                                                                              const registry::Scope& scope,
                                                                              const std::optional<std::string>& area,
                                                                              std::size_t k) {
  // Everything the ranking depends on besides the index, each part prefixed with its length so that
  // no query text can spell another scope's key; an absent area differs from an empty one.
  std::string key;
  auto add = [&key](std::string_view part) {
    key += std::to_string(part.size());
    key += ':';
    key += part;
  };
  add(query);
  for (const auto* part : {scope.area ? &*scope.area : nullptr, area ? &*area : nullptr}) {
    if (part) {
      add(*part);
    } else {
      key += '-';
    }
  }
  add(scope.today);
  add(std::to_string(k));
  const std::uint64_t generation = generation_.load();
  {
    std::lock_guard lock(ranked_mu_);
    if (auto it = ranked_.find(key); it != ranked_.end() && it->second.generation == generation) return it->second.hits;
  }
  std::optional<std::vector<bool>> mask;
  for (const auto* a : {scope.area ? &*scope.area : nullptr, area ? &*area : nullptr}) {
    if (!a) continue;
    auto m = MaskFor(*a, scope.today);
    if (!m) return std::unexpected(m.error());
    if (!mask) {
      mask = std::move(*m);
    } else {
      for (std::size_t i = 0; i < mask->size() && i < m->size(); ++i) (*mask)[i] = (*mask)[i] && (*m)[i];
    }
  }
  auto hits = index_.Search(query, k, mask ? &*mask : nullptr);
  std::vector<std::pair<std::int64_t, double>> out;
  out.reserve(hits.size());
  for (const auto& h : hits) out.emplace_back(h.id, h.score);
  std::lock_guard lock(ranked_mu_);
  if (generation_.load() == generation) {  // no change of the index started while ranking
    if (ranked_hits_ + out.size() > kMaxRankedHits) {
      ranked_.clear();
      ranked_hits_ = 0;
    }
    auto& kept = ranked_[key];
    ranked_hits_ = ranked_hits_ - kept.hits.size() + out.size();
    kept = Ranked{generation, out};
  }
  return out;
}

}  // namespace sanad::names
