#include "api/person_page.h"

#include <array>
#include <string_view>
#include <unordered_map>

namespace sanad::api {

namespace {

// The members a page adds to each person, in key order (they fall between the person's own members).
constexpr std::array<std::string_view, 3> kPageKeys = {"commune_code", "household_ref", "score"};

struct Entry {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::int64_t version = 0;
  std::optional<double> score;
  std::shared_ptr<const PersonFragment> person;
};

}  // namespace

Result<PersonPage> LoadPersonPage(registry::HouseholdStore& store, PersonJsonCache& cache,
                                  const registry::SearchFilter& f, const registry::Scope& scope,
                                  const std::vector<std::pair<std::int64_t, double>>& ranked, bool sorted,
                                  std::string& out) {
  registry::HouseholdStore::HomeMap homes;
  auto found = store.SearchPersonStamps(f, scope, &homes);
  if (!found) return std::unexpected(found.error());
  // The page in order, each hit with its score when the name index ranked it.
  std::vector<Entry> page;
  page.reserve(found->first.size());
  auto add = [&](const registry::PersonStamp& p, std::optional<double> score) {
    page.push_back({p.id, p.household_id, p.version, score, nullptr});
  };
  if (f.person_ids && sorted) {
    // The store's order; each hit keeps its score.
    std::unordered_map<std::int64_t, double> score(ranked.begin(), ranked.end());
    for (const auto& p : found->first) add(p, score[p.id]);
  } else if (f.person_ids) {
    // Keep the index's ranking; the store re-checked scope, area and status.
    std::unordered_map<std::int64_t, const registry::PersonStamp*> by_id;
    for (const auto& p : found->first) by_id[p.id] = &p;
    const std::size_t end = std::min(ranked.size(), static_cast<std::size_t>(f.offset + f.limit));
    for (std::size_t i = f.offset; i < end; ++i) {
      auto it = by_id.find(ranked[i].first);
      if (it != by_id.end()) add(*it->second, ranked[i].second);
    }
  } else {
    for (const auto& p : found->first) add(p, std::nullopt);
  }

  // The persons whose kept copy is not of their current version are read whole, with the same filter
  // (a person who left the scope or the filter in the meantime is then no longer on the page), and kept.
  std::vector<std::int64_t> missing;
  for (auto& e : page) {
    e.person = cache.Find(e.id, e.version);
    if (!e.person) missing.push_back(e.id);
  }
  if (!missing.empty()) {
    registry::SearchFilter again = f;
    again.person_ids = missing;
    again.sort = registry::PersonSort::kNone;
    again.count_total = false;
    registry::HouseholdStore::HomeMap more;
    auto read = store.SearchPersons(again, scope, &more);
    if (!read) return std::unexpected(read.error());
    std::unordered_map<std::int64_t, const registry::PersonRecord*> by_id;
    for (const auto& p : read->first) by_id[p.id] = &p;
    for (auto& e : page) {
      if (e.person) continue;
      auto it = by_id.find(e.id);
      if (it == by_id.end()) continue;
      auto person = std::make_shared<const PersonFragment>(RecordJsonWriter::Fragment(*it->second, kPageKeys));
      cache.Put(e.id, person);
      e.person = std::move(person);
      e.household_id = it->second->household_id;  // a move in the meantime
    }
    for (auto& [id, home] : more) homes.insert_or_assign(id, std::move(home));
  }

  PersonPage written;
  written.store_total = found->second;
  written.ids.reserve(page.size());
  out.reserve(out.size() + page.size() * 1024);
  // Search pages replace ill-formed UTF-8 (as the copies were written).
  RecordJsonWriter w(out, nlohmann::json::error_handler_t::replace);
  for (const auto& e : page) {
    if (!e.person) continue;
    if (!written.ids.empty()) w.Raw(",");
    std::array<ExtraMember, 3> extra;
    std::size_t n = 0;
    if (auto home = homes.find(e.household_id); home != homes.end()) {
      extra[n++] = {"commune_code", std::string_view(home->second.second)};
      extra[n++] = {"household_ref", std::string_view(home->second.first)};
    }
    if (e.score) extra[n++] = {"score", *e.score};
    w.Person(*e.person, kPageKeys, std::span(extra.data(), n));
    written.ids.push_back(e.id);
  }
  return written;
}

}  // namespace sanad::api
