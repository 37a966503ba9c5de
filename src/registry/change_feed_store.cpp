#include "registry/change_feed_store.h"

#include <fmt/format.h>
#include <charconv>

namespace sanad::registry {

namespace {

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::vector<std::int64_t> SplitIds(std::string_view text) {
  std::vector<std::int64_t> out;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    std::int64_t id = 0;
    if (std::from_chars(part.data(), part.data() + part.size(), id).ec == std::errc()) out.push_back(id);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

long long MaxSeq(soci::session& sql) {
  long long seq = 0;
  soci::indicator ind = soci::i_ok;
  sql << "SELECT MAX(seq) FROM registry_changes", soci::into(seq, ind);
  return ind == soci::i_null ? 0 : seq;
}

}  // namespace

std::int64_t ChangeFeedStore::Append(db::Session& s, const AppliedChange& change, const std::string& now) {
  auto& sql = s.sql();
  // SQLite's write transaction (BEGIN IMMEDIATE) already excludes every other writer. PostgreSQL runs
  // approvals concurrently: without the lock, a later number could commit first and a follower that
  // read it would skip the earlier one for good.
  if (s.dialect() == db::Dialect::kPostgres) sql << "LOCK TABLE registry_changes IN EXCLUSIVE MODE";
  long long seq = MaxSeq(sql) + 1;
  long long cr = change.change_request_id;
  long long bulk = change.bulk ? 1 : 0;
  std::string persons = JoinIds(change.person_ids), households = JoinIds(change.household_ids);
  sql << "INSERT INTO registry_changes (seq, change_request_id, applied_at, person_ids, household_ids, bulk) "
         "VALUES (:s, :c, :a, :p, :h, :b)",
      soci::use(seq), soci::use(cr), soci::use(now), soci::use(persons), soci::use(households), soci::use(bulk);
  if (seq % 1000 == 0) {
    long long keep_after = seq - kRetained;
    sql << "DELETE FROM registry_changes WHERE seq <= :k", soci::use(keep_after);
  }
  if (s.dialect() == db::Dialect::kPostgres) sql << fmt::format("NOTIFY {}, '{}'", kChannel, seq);
  return seq;
}

Result<std::int64_t> ChangeFeedStore::LastSeq() {
  try {
    auto s = db_.Acquire();
    return MaxSeq(s.sql());
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<std::vector<FeedEntry>> ChangeFeedStore::After(std::int64_t after, std::size_t limit) {
  try {
    auto s = db_.Acquire();
    long long from = after, n = static_cast<long long>(limit);
    std::vector<FeedEntry> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT seq, change_request_id, person_ids, household_ids, bulk FROM registry_changes "
                            "WHERE seq > :a ORDER BY seq LIMIT :n",
         soci::use(from), soci::use(n));
    auto integer = [](const soci::row& r, std::size_t i) -> std::int64_t {
      return r.get_properties(i).get_data_type() == soci::dt_integer ? r.get<int>(i) : r.get<long long>(i);
    };
    for (const auto& r : rs) {
      FeedEntry e;
      e.seq = integer(r, 0);
      e.change.change_request_id = integer(r, 1);
      e.change.person_ids = SplitIds(r.get<std::string>(2));
      e.change.household_ids = SplitIds(r.get<std::string>(3));
      e.change.bulk = integer(r, 4) != 0;
      out.push_back(std::move(e));
    }
    return out;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

}  // namespace sanad::registry
