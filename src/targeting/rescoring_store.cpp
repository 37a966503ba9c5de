#include "targeting/rescoring_store.h"

#include "db/row.h"

namespace sanad::targeting {

std::int64_t RescoringStore::LockPosition(db::Session& s, const std::string& consumer, std::int64_t initial,
                                          const std::string& now) {
  auto& sql = s.sql();
  const std::string select = "SELECT seq FROM feed_positions WHERE consumer = :c" +
                             std::string(s.dialect() == db::Dialect::kPostgres ? " FOR UPDATE" : "");
  long long seq = 0;
  soci::indicator ind = soci::i_null;
  sql << select, soci::use(consumer), soci::into(seq, ind);
  if (sql.got_data() && ind != soci::i_null) return seq;
  // Two servers started at once on a new database both find no row. The second one's INSERT waits for the
  // first's commit; it must then neither fail (that server would not start) nor replace the first's
  // position: it inserts nothing and reads (and locks) the first's row, which its next statement sees.
  long long start = initial;
  sql << "INSERT INTO feed_positions (consumer, seq, updated_at) VALUES (:c, :s, :n) ON CONFLICT (consumer) DO NOTHING",
      soci::use(consumer), soci::use(start), soci::use(now);
  sql << select, soci::use(consumer), soci::into(seq, ind);
  return seq;
}

void RescoringStore::SetPosition(db::Session& s, const std::string& consumer, std::int64_t seq,
                                 const std::string& now) {
  long long v = seq;
  s.sql() << "UPDATE feed_positions SET seq = :s, updated_at = :n WHERE consumer = :c", soci::use(v), soci::use(now),
      soci::use(consumer);
}

std::vector<std::int64_t> RescoringStore::HouseholdsOfPersons(db::Session& s,
                                                              const std::vector<std::int64_t>& person_ids) {
  std::vector<std::int64_t> out;
  if (person_ids.empty()) return out;
  std::string ids;
  for (auto id : person_ids) {
    if (!ids.empty()) ids += ',';
    ids += std::to_string(id);
  }
  // The ids are numbers from the change feed: inlined.
  db::EachRow(
      s.sql(),
      "SELECT DISTINCT household_id FROM person_versions WHERE household_id IS NOT NULL AND person_id IN (" + ids + ")",
      [](soci::statement&) {}, [&](const soci::row& r) { out.push_back(db::RowInt(r, 0)); });
  return out;
}

}  // namespace sanad::targeting
