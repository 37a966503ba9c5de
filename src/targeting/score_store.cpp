#include "targeting/score_store.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/time.h"
#include "db/bulk_load.h"
#include "db/row.h"

namespace sanad::targeting {
namespace {

// The variables read straight from the households table: each is the column of the same name.
constexpr Variable kHouseholdColumns[] = {
    Variable::kRooms,          Variable::kSpendElectricity,
    Variable::kSpendWater,     Variable::kSpendButane,
    Variable::kSpendTelephone, Variable::kLivestockUnits,
    Variable::kLandHectares,   Variable::kHasRefrigerator,
    Variable::kHasTelevision,  Variable::kHasWashingMachine,
    Variable::kHasCar,         Variable::kHasMotorcycle,
    Variable::kDwellingType,   Variable::kTenure,
    Variable::kWallMaterial,   Variable::kRoofMaterial,
    Variable::kWaterSource,    Variable::kElectricity,
    Variable::kSanitation,
};

// The members' counts (COUNT of a CASE: a BIGINT on both databases), in the order of the persons query's columns after
// household_id and the size.
constexpr Variable kMemberCounts[] = {
    Variable::kChildrenUnder15,     Variable::kElderly65Plus,          Variable::kDisabledMembers,
    Variable::kChildrenOutOfSchool, Variable::kMembersHigherEducation, Variable::kMembersEmployed,
};

// The date `years` before `as_of` (YYYY-MM-DD), as text: birth dates compare as text, and a 29 February
// that does not exist in that year still sorts between the 28th and 1 March.
std::string YearsBefore(const std::string& as_of, int years) {
  const int year = std::stoi(as_of.substr(0, 4)) - years;
  std::string y = std::to_string(year);
  while (y.size() < 4) y.insert(y.begin(), '0');
  return y + as_of.substr(4);
}

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

std::string ShortestText(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

constexpr const char* kChanged = "(b.score <> c.score OR b.model <> c.model OR b.model_version <> c.model_version)";

StoredScore ReadScore(const soci::row& r) {
  return StoredScore{db::RowInt(r, 0),      db::RowDouble(r, 1),   r.get<std::string>(2), r.get<std::string>(3),
                     r.get<std::string>(4), r.get<std::string>(5), r.get<std::string>(6)};
}

}  // namespace

Result<std::int64_t> ScoreStore::CountActive() {
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    return db::CountRows(s.sql(), "SELECT COUNT(*) FROM households WHERE status = 'active'", [](soci::statement&) {});
  });
}

Result<HouseholdBatch> ScoreStore::ReadActive(std::int64_t after_id, std::size_t limit, const std::string& as_of) {
  if (auto d = ParseDate(as_of, "as_of"); !d) return std::unexpected(d.error());
  return db::Guard([&]() -> Result<HouseholdBatch> {
    auto s = db_.Acquire();
    // The id and the limit are numbers: inlined.
    return ReadVariables(s, "id > " + std::to_string(after_id) + " ORDER BY id LIMIT " + std::to_string(limit), as_of,
                         false);
  });
}

HouseholdBatch ScoreStore::ReadHouseholds(db::Session& s, const std::vector<std::int64_t>& ids,
                                          const std::string& as_of) {
  if (ids.empty()) return {};
  return ReadVariables(s, "id IN (" + JoinIds(ids) + ") ORDER BY id", as_of, true);
}

HouseholdBatch ScoreStore::ReadVariables(db::Session& s, const std::string& which, const std::string& as_of,
                                         bool scattered) {
  HouseholdBatch batch;
  std::string columns = "id, urban, commune_code";
  for (Variable v : kHouseholdColumns) columns += ", " + std::string(SpecOf(v).name);
  const std::string query = "SELECT " + columns + " FROM households WHERE status = 'active' AND " + which;
  std::unordered_map<std::int64_t, std::size_t> row_of;
  db::EachRow(
      s.sql(), query, [](soci::statement&) {},
      [&](const soci::row& r) {
        const auto commune = db::RowOptStr(r, 2).value_or("");
        const std::size_t row =
            batch.Add(db::RowInt(r, 0), db::RowOptInt(r, 1).value_or(0) != 0, std::string(RegionOfCommune(commune)), 0);
        row_of.emplace(batch.id[row], row);
        for (std::size_t k = 0; k < std::size(kHouseholdColumns); ++k) {
          const std::size_t i = k + 3;
          if (r.get_indicator(i) == soci::i_null) continue;
          const VariableSpec& spec = SpecOf(kHouseholdColumns[k]);
          if (spec.kind == VariableKind::kCategorical) {
            const auto text = r.get<std::string>(i);
            auto it = std::find(spec.categories.begin(), spec.categories.end(), text);
            if (it != spec.categories.end()) {
              batch.at(spec.variable, row) = static_cast<double>(it - spec.categories.begin());
            }
          } else {
            batch.at(spec.variable, row) = db::RowDouble(r, i);
          }
        }
      });
  if (batch.size() == 0) return batch;

  // Every member count of the chunk in one query: over the chunk's id range, or its ids when they are
  // scattered (a range could then span most of the registry).
  const std::string c6 = YearsBefore(as_of, 6), c15 = YearsBefore(as_of, 15), c18 = YearsBefore(as_of, 18),
                    c65 = YearsBefore(as_of, 65);
  long long lo = batch.id.front(), hi = batch.id.back();
  const std::string members_of =
      scattered ? "household_id IN (" + JoinIds(batch.id) + ")" : "household_id BETWEEN :lo AND :hi";
  const std::string members =
      "SELECT household_id, COUNT(*), "
      "COUNT(CASE WHEN birth_date > :c15 THEN 1 END), "
      "COUNT(CASE WHEN birth_date <= :c65 THEN 1 END), "
      "COUNT(CASE WHEN disability_type IS NOT NULL AND disability_type <> 'none' THEN 1 END), "
      "COUNT(CASE WHEN birth_date <= :c6 AND birth_date > :c18 AND schooling IN ('none', 'out_of_school') "
      "THEN 1 END), "
      "COUNT(CASE WHEN education_level = 'higher' THEN 1 END), "
      "COUNT(CASE WHEN employment_status IN ('employed', 'self_employed') THEN 1 END) "
      "FROM persons WHERE " +
      members_of + " AND status = 'active' GROUP BY household_id";
  db::EachRow(
      s.sql(), members,
      [&](soci::statement& st) {
        st.exchange(soci::use(c15));
        st.exchange(soci::use(c65));
        st.exchange(soci::use(c6));
        st.exchange(soci::use(c18));
        if (scattered) return;
        st.exchange(soci::use(lo));
        st.exchange(soci::use(hi));
      },
      [&](const soci::row& r) {
        auto it = row_of.find(db::RowInt(r, 0));
        if (it == row_of.end()) return;  // a household of the id range that is not in the chunk
        const std::size_t row = it->second;
        const auto n = static_cast<double>(db::RowInt(r, 1));
        batch.at(Variable::kHouseholdSize, row) = n;
        batch.at(Variable::kHouseholdSizeSquared, row) = n * n;
        for (std::size_t k = 0; k < std::size(kMemberCounts); ++k) {
          batch.at(kMemberCounts[k], row) = static_cast<double>(db::RowOptInt(r, k + 2).value_or(0));
        }
      });
  // A household without active members has no member counts: zero rather than unknown.
  for (std::size_t row = 0; row < batch.size(); ++row) {
    for (Variable v : kMemberCounts) {
      if (std::isnan(batch.at(v, row))) batch.at(v, row) = 0;
    }
  }
  return batch;
}

Result<SaveCounts> ScoreStore::Save(const Model& model, const HouseholdBatch& batch, const ScoredBatch& scored,
                                    const std::string& as_of, const std::string& now) {
  return db_.InTransaction<SaveCounts>(
      [&](db::Session& s) -> Result<SaveCounts> { return SaveIn(s, model, batch, scored, as_of, now); });
}

SaveCounts ScoreStore::SaveIn(db::Session& s, const Model& model, const HouseholdBatch& batch,
                              const ScoredBatch& scored, const std::string& as_of, const std::string& now) {
  {
    auto& sql = s.sql();
    // The chunk's new scores go first into a temporary table of this connection, so that comparing,
    // archiving and replacing are each one set-based statement.
    db::OpenScratchTable(s, "score_batch",
                         "household_id BIGINT PRIMARY KEY, score DOUBLE PRECISION, model TEXT, model_version TEXT, "
                         "scored_on TEXT, scored_at TEXT, contributions TEXT");
    const std::size_t n = batch.size();
    db::ColumnValues values(7);
    for (auto& column : values) column.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      values[0].emplace_back(std::to_string(batch.id[i]));
      values[1].emplace_back(ShortestText(scored.score[i]));
      values[2].emplace_back(model.name);
      values[3].emplace_back(model.version);
      values[4].emplace_back(as_of);
      values[5].emplace_back(now);
      values[6].emplace_back(ContributionsJson(scored, i));
    }
    db::BulkInsert(s, "score_batch",
                   {"household_id", "score", "model", "model_version", "scored_on", "scored_at", "contributions"},
                   values, n);

    SaveCounts counts;
    const auto existing = static_cast<std::size_t>(db::CountRows(
        sql, "SELECT COUNT(*) FROM score_batch b JOIN household_scores c ON c.household_id = b.household_id",
        [](soci::statement&) {}));
    counts.changed = static_cast<std::size_t>(db::CountRows(
        sql,
        std::string("SELECT COUNT(*) FROM score_batch b JOIN household_scores c ON c.household_id = b.household_id "
                    "WHERE ") +
            kChanged,
        [](soci::statement&) {}));
    counts.added = n - existing;
    counts.unchanged = existing - counts.changed;
    if (counts.changed > 0) {
      sql << std::string(
                 "INSERT INTO household_score_history (household_id, score, model, model_version, scored_on, "
                 "scored_at, contributions, replaced_at) SELECT c.household_id, c.score, c.model, "
                 "c.model_version, c.scored_on, c.scored_at, c.contributions, :now FROM household_scores c "
                 "JOIN score_batch b ON b.household_id = c.household_id WHERE ") +
                 kChanged,
          soci::use(now);
      sql << std::string(
                 "DELETE FROM household_scores WHERE EXISTS (SELECT 1 FROM score_batch b, household_scores c "
                 "WHERE b.household_id = household_scores.household_id AND c.household_id = b.household_id "
                 "AND ") +
                 kChanged + ")";
    }
    if (counts.added + counts.changed > 0) {
      sql << "INSERT INTO household_scores (household_id, score, model, model_version, scored_on, scored_at, "
             "contributions) SELECT b.household_id, b.score, b.model, b.model_version, b.scored_on, b.scored_at, "
             "b.contributions FROM score_batch b WHERE NOT EXISTS (SELECT 1 FROM household_scores c WHERE "
             "c.household_id = b.household_id)";
    }
    db::EmptyScratchTable(s, "score_batch");
    return counts;
  }
}

Result<std::optional<StoredScore>> ScoreStore::Current(std::int64_t household_id) {
  return db::Guard([&]() -> Result<std::optional<StoredScore>> {
    auto s = db_.Acquire();
    long long id = household_id;
    std::optional<StoredScore> out;
    db::EachRow(
        s.sql(),
        "SELECT household_id, score, model, model_version, scored_on, scored_at, contributions FROM household_scores "
        "WHERE household_id = :id",
        [&](soci::statement& st) { st.exchange(soci::use(id)); }, [&](const soci::row& r) { out = ReadScore(r); });
    return out;
  });
}

Result<std::vector<StoredScore>> ScoreStore::History(std::int64_t household_id) {
  return db::Guard([&]() -> Result<std::vector<StoredScore>> {
    auto s = db_.Acquire();
    long long id = household_id;
    std::vector<StoredScore> out;
    db::EachRow(
        s.sql(),
        "SELECT household_id, score, model, model_version, scored_on, scored_at, contributions "
        "FROM household_score_history WHERE household_id = :id ORDER BY id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) { out.push_back(ReadScore(r)); });
    return out;
  });
}

}  // namespace sanad::targeting
