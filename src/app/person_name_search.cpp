#include "app/person_name_search.h"

#include <fmt/format.h>
#include <algorithm>

namespace sanad::app {

namespace {

constexpr const char* kSelect =
    "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, h.commune_code, p.status "
    "FROM persons p JOIN households h ON h.id = p.household_id";

search::PersonNames Read(const soci::row& r) {
  auto str = [&](std::size_t i) { return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i); };
  search::PersonNames p;
  p.id = r.get_properties(0).get_data_type() == soci::dt_integer ? r.get<int>(0) : r.get<long long>(0);
  p.given_ar = str(1);
  p.family_ar = str(2);
  p.given_lat = str(3);
  p.family_lat = str(4);
  p.commune_code = str(5);
  return p;
}

}  // namespace

Result<std::size_t> PersonNameSearch::Load() {
  std::lock_guard lock(apply_mu_);
  return LoadLocked();
}

Result<std::size_t> PersonNameSearch::LoadLocked() {
  try {
    auto s = db_.Acquire();
    std::vector<search::PersonNames> all;
    soci::rowset<soci::row> rs = (s.sql().prepare << std::string(kSelect) + " WHERE p.status = 'active'");
    for (const auto& r : rs) all.push_back(Read(r));
    index_.Build(all);
    std::lock_guard lock(masks_mu_);
    masks_.clear();  // commune ids are renumbered by Build
    return all.size();
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

void PersonNameSearch::Reindex(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return;
  auto s = db_.Acquire();
  std::string in;
  for (auto id : ids) in += (in.empty() ? "" : ",") + std::to_string(id);
  soci::rowset<soci::row> rs = (s.sql().prepare << std::string(kSelect) + " WHERE p.id IN (" + in + ")");
  for (const auto& r : rs) {
    auto p = Read(r);
    if (r.get<std::string>(6) == "active") {
      index_.Upsert(p);
    } else {
      index_.Remove(p.id);
    }
  }
}

Status PersonNameSearch::Apply(const registry::AppliedChange& change) {
  std::lock_guard lock(apply_mu_);
  try {
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
    if (!change.household_ids.empty()) {
      auto s = db_.Acquire();
      std::string in;
      for (auto id : change.household_ids) in += (in.empty() ? "" : ",") + std::to_string(id);
      soci::rowset<soci::row> rs = (s.sql().prepare << "SELECT id FROM persons WHERE household_id IN (" + in + ")");
      for (const auto& r : rs)
        ids.push_back(r.get_properties(0).get_data_type() == soci::dt_integer ? r.get<int>(0) : r.get<long long>(0));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    constexpr std::size_t kBatch = 500;
    for (std::size_t i = 0; i < ids.size(); i += kBatch) {
      Reindex(std::vector<std::int64_t>(ids.begin() + i, ids.begin() + std::min(ids.size(), i + kBatch)));
    }
    return Ok();
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<std::vector<bool>> PersonNameSearch::MaskFor(const std::string& area, const std::string& today) {
  std::lock_guard lock(masks_mu_);
  auto key = std::make_pair(area, today);
  // A commune first seen by a later Upsert gets a new id: a mask built before it is stale.
  if (auto it = masks_.find(key); it != masks_.end() && it->second.size() == index_.CommuneCount()) return it->second;
  std::vector<bool> mask(index_.CommuneCount(), false);
  try {
    auto s = db_.Acquire();
    std::string a = area, t = today;
    soci::rowset<std::string> rs = (s.sql().prepare << "SELECT descendant FROM area_ancestors WHERE ancestor = :a "
                                                       "AND valid_from <= :t1 AND valid_to > :t2",
                                    soci::use(a), soci::use(t), soci::use(t));
    for (const auto& code : rs) {
      auto id = index_.CommuneId(code);
      if (id != search::NameIndex::kNoCommune && id < mask.size()) mask[id] = true;
    }
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
  if (masks_.size() > 4096) masks_.clear();
  masks_[key] = mask;
  return mask;
}

Result<std::vector<std::pair<std::int64_t, double>>> PersonNameSearch::Search(const std::string& query,
                                                                              const registry::Scope& scope,
                                                                              const std::optional<std::string>& area,
                                                                              std::size_t k) {
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
  return out;
}

}  // namespace sanad::app
