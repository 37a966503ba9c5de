#include "targeting/score_store.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <initializer_list>
#include <stdexcept>
#include <unordered_map>

#include "core/time.h"
#include "db/bulk_load.h"
#include "db/row.h"
#include "db/row_scan.h"
#include "registry/records.h"
#include "registry/rule_inputs.h"

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

// The members' counts, in the order ReadVariables counts them.
constexpr Variable kMemberCounts[] = {
    Variable::kChildrenUnder15,     Variable::kElderly65Plus,          Variable::kDisabledMembers,
    Variable::kChildrenOutOfSchool, Variable::kMembersHigherEducation, Variable::kMembersEmployed,
};

std::string JoinIds(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

// Keeps the model's definition under its name and version unless one is kept already (which stays).
void KeepModel(soci::session& sql, const Model& model, const std::string& now) {
  sql << "INSERT INTO score_models (model, model_version, definition, recorded_at) VALUES (:m, :v, :d, :t) "
         "ON CONFLICT (model, model_version) DO NOTHING",
      soci::use(model.name), soci::use(model.version), soci::use(model.definition), soci::use(now);
}

StoredScore ReadScore(const soci::row& r) {
  return StoredScore{db::RowInt(r, 0),      db::RowDouble(r, 1),   r.get<std::string>(2),
                     r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5)};
}

}  // namespace

std::string YearsBefore(const std::string& as_of, int years) {
  const int year = std::stoi(as_of.substr(0, 4)) - years;
  std::string y = std::to_string(year);
  while (y.size() < 4) y.insert(y.begin(), '0');
  return y + as_of.substr(4);
}

Result<std::int64_t> ScoreStore::CountActive() {
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    return db::CountRows(s.sql(), "SELECT COUNT(*) FROM households WHERE status = 'active'", [](soci::statement&) {});
  });
}

Result<std::optional<std::pair<std::int64_t, std::int64_t>>> ScoreStore::IdSpan() {
  using Span = std::optional<std::pair<std::int64_t, std::int64_t>>;
  return db::Guard([&]() -> Result<Span> {
    auto s = db_.Acquire();
    Span span;
    // MIN and MAX of the key alone: each one step down its index.
    db::ScanRows(s, "SELECT MIN(id), MAX(id) FROM households", {}, [&](const db::ScanRow& r) {
      if (!r.Null(0)) span.emplace(r.Int(0), r.Int(1));
    });
    return span;
  });
}

Result<HouseholdBatch> ScoreStore::ReadRange(std::int64_t first, std::int64_t last, const std::string& as_of) {
  if (auto d = ParseDate(as_of, "as_of"); !d) return std::unexpected(d.error());
  return db::Guard([&]() -> Result<HouseholdBatch> {
    auto s = db_.Acquire();
    // The ids are numbers: inlined.
    return ReadVariables(s, "id BETWEEN " + std::to_string(first) + " AND " + std::to_string(last) + " ORDER BY id",
                         as_of, false, {});
  });
}

HouseholdBatch ScoreStore::ReadHouseholds(db::Session& s, const std::vector<std::int64_t>& ids,
                                          const std::string& as_of) {
  if (ids.empty()) return {};
  return ReadVariables(s, "id IN (" + JoinIds(ids) + ") ORDER BY id", as_of, true, {});
}

Result<HouseholdBatch> ScoreStore::ReadAsOf(std::int64_t household_id, const std::string& moment,
                                            const std::string& as_of) {
  if (auto d = ParseDate(as_of, "as_of"); !d) return std::unexpected(d.error());
  return db::Guard([&]() -> Result<HouseholdBatch> {
    auto s = db_.Acquire();
    return ReadVariables(s, "household_id = " + std::to_string(household_id), as_of, true, moment);
  });
}

HouseholdBatch ScoreStore::ReadVariables(db::Session& s, const std::string& which, const std::string& as_of,
                                         bool scattered, const std::string& moment) {
  // Both reads go through db::CopyRows: SQLite's own API (PostgreSQL's COPY), not a SOCI row per household
  // and per member count, which was more than half of scoring 5,000,000 households.
  HouseholdBatch batch;
  // Now: the households table and the rule inputs' open spans. At a moment: the household versions and
  // the rule inputs' spans in force then (the same columns, and the same condition on both).
  const bool now = moment.empty();
  const std::string at_moment = "valid_from <= :t1 AND valid_to > :t2";
  const std::vector<db::ScanParam> moment_params{moment, moment};
  std::string columns = now ? "id, urban, commune_code" : "household_id, urban, commune_code";
  for (Variable v : kHouseholdColumns) columns += ", " + std::string(SpecOf(v).name);
  const std::string query =
      now ? "SELECT " + columns + " FROM households WHERE status = 'active' AND " + which
          : "SELECT " + columns + " FROM household_versions WHERE status = 'active' AND " + at_moment + " AND " + which;
  std::unordered_map<std::int64_t, std::size_t> row_of;
  db::CopyRows(s, query, now ? std::vector<db::ScanParam>{} : moment_params, [&](const db::ScanRow& r) {
    const std::string_view commune = r.Null(2) ? std::string_view() : r.Text(2);
    const std::size_t row = batch.Add(r.Int(0), !r.Null(1) && r.Int(1) != 0, std::string(RegionOfCommune(commune)), 0);
    row_of.emplace(batch.id[row], row);
    for (std::size_t k = 0; k < std::size(kHouseholdColumns); ++k) {
      const int i = static_cast<int>(k + 3);
      if (r.Null(i)) continue;
      const VariableSpec& spec = SpecOf(kHouseholdColumns[k]);
      if (spec.kind == VariableKind::kCategorical) {
        const std::string_view text = r.Text(i);
        auto it = std::find(spec.categories.begin(), spec.categories.end(), text);
        if (it != spec.categories.end()) {
          batch.at(spec.variable, row) = static_cast<double>(it - spec.categories.begin());
        }
      } else {
        batch.at(spec.variable, row) = r.Double(i);
      }
    }
  });
  if (batch.size() == 0) return batch;

  // Every member count of the chunk from the rule inputs in force now or at the moment (registry/
  // rule_inputs.h: one row per household with its active members packed), over the chunk's id range or
  // its ids when they are scattered (a range could then span most of the registry). Stepping through every
  // person row instead (SQLite found each through the household index) was most of the reading's time.
  // Birth dates compare as text, as stored: a birth year alone sorts before every day of that year.
  const std::string c6 = YearsBefore(as_of, 6), c15 = YearsBefore(as_of, 15), c18 = YearsBefore(as_of, 18),
                    c65 = YearsBefore(as_of, 65);
  const std::string members_of =
      scattered ? "household_id IN (" + JoinIds(batch.id) + ")" : "household_id BETWEEN :lo AND :hi";
  const std::string in_force = now ? "valid_to = :open" : at_moment;
  std::vector<db::ScanParam> params = now ? std::vector<db::ScanParam>{std::string(registry::kOpenEnd)} : moment_params;
  if (!scattered) {
    params.emplace_back(batch.id.front());
    params.emplace_back(batch.id.back());
  }
  using registry::PackedMember;
  const auto is = [](const std::optional<std::string_view>& field, std::initializer_list<std::string_view> values) {
    return field && std::find(values.begin(), values.end(), *field) != values.end();
  };
  db::CopyRows(
      s, "SELECT household_id, members FROM household_rule_inputs WHERE " + in_force + " AND " + members_of, params,
      [&](const db::ScanRow& r) {
        auto it = row_of.find(r.Int(0));
        if (it == row_of.end()) return;  // a household of the id range that is not in the chunk
        std::array<int, std::size(kMemberCounts)> counts{};
        int n = 0;
        const bool whole = registry::ForEachPackedMember(r.Text(1), [&](const PackedMember& m) {
          ++n;
          const auto& born = m[registry::kPackedBirthDate];
          if (born && *born > c15) ++counts[0];
          if (born && *born <= c65) ++counts[1];
          if (m[registry::kPackedDisabilityType] && *m[registry::kPackedDisabilityType] != "none") ++counts[2];
          if (born && *born <= c6 && *born > c18 && is(m[registry::kPackedSchooling], {"none", "out_of_school"}))
            ++counts[3];
          if (is(m[registry::kPackedEducationLevel], {"higher"})) ++counts[4];
          if (is(m[registry::kPackedEmploymentStatus], {"employed", "self_employed"})) ++counts[5];
        });
        if (!whole) throw std::runtime_error("damaged members of household " + std::to_string(r.Int(0)));
        const std::size_t row = it->second;
        batch.at(Variable::kHouseholdSize, row) = n;
        batch.at(Variable::kHouseholdSizeSquared, row) = static_cast<double>(n) * n;
        for (std::size_t k = 0; k < std::size(kMemberCounts); ++k) batch.at(kMemberCounts[k], row) = counts[k];
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
  auto& sql = s.sql();
  const std::size_t n = batch.size();
  SaveCounts counts;
  if (n == 0) return counts;
  // The chunk's scores in force, read in this transaction and compared here: a re-score leaves most
  // households as they were, and those are then neither formatted nor written (writing every score into
  // the scratch table to compare them there was about 40 % of re-scoring 5,000,000 households).
  // Unchanged means the same model and version and the same value (SameScore).
  enum class Kept : std::uint8_t { kNone, kSame, kOther };  // each row's score in force
  std::vector<Kept> kept(n, Kept::kNone);
  std::unordered_map<std::int64_t, std::size_t> row_of;
  row_of.reserve(n);
  for (std::size_t i = 0; i < n; ++i) row_of.emplace(batch.id[i], i);
  const std::int64_t lo = *std::min_element(batch.id.begin(), batch.id.end());
  const std::int64_t hi = *std::max_element(batch.id.begin(), batch.id.end());
  // A chunk in id order is a range; households far apart (re-scoring after changes) are listed.
  const bool range = hi - lo < static_cast<std::int64_t>(2 * n);
  const std::string which = range ? "household_id BETWEEN :lo AND :hi" : "household_id IN (" + JoinIds(batch.id) + ")";
  const std::vector<db::ScanParam> params = range ? std::vector<db::ScanParam>{lo, hi} : std::vector<db::ScanParam>{};
  db::CopyRows(s, "SELECT household_id, score, model, model_version FROM household_scores WHERE " + which, params,
               [&](const db::ScanRow& r) {
                 auto it = row_of.find(r.Int(0));
                 if (it == row_of.end()) return;
                 const bool same = !r.Null(1) && SameScore(r.Double(1), scored.score[it->second]) &&
                                   r.Text(2) == model.name && r.Text(3) == model.version;
                 kept[it->second] = same ? Kept::kSame : Kept::kOther;
               });
  std::vector<std::size_t> added, changed;  // rows
  for (std::size_t i = 0; i < n; ++i) {
    if (kept[i] == Kept::kNone) {
      added.push_back(i);
    } else if (kept[i] == Kept::kSame) {
      ++counts.unchanged;
    } else {
      changed.push_back(i);
    }
  }
  counts.added = added.size();
  counts.changed = changed.size();
  if (added.empty() && changed.empty()) return counts;
  // Every score saved can be explained again from its model version (score_explanation.h): the version is
  // kept with the first of its scores. RecordModel, which the runs call first, refuses a redefined version.
  KeepModel(sql, model, now);
  const std::vector<std::string> columns = {"household_id",  "score",     "model",
                                            "model_version", "scored_on", "scored_at"};
  auto write = [&](const std::string& table, const std::vector<std::size_t>& rows_of) {
    db::RowWriter rows(s, table, columns);
    for (std::size_t i : rows_of) {
      rows.Int(batch.id[i]);
      rows.Double(scored.score[i]);  // the double computed, not its text (see SameScore)
      rows.Text(model.name);
      rows.Text(model.version);
      rows.Text(as_of);
      rows.Text(now);
      rows.EndRow();
    }
    rows.Finish();
  };
  // New scores go straight in.
  if (!added.empty()) write("household_scores", added);
  if (changed.empty()) return counts;
  // Changed ones go first into a temporary table of this connection, so that archiving the scores they
  // replace and replacing them are each one set-based statement.
  db::OpenScratchTable(s, "score_batch",
                       "household_id BIGINT PRIMARY KEY, score DOUBLE PRECISION, model TEXT, model_version TEXT, "
                       "scored_on TEXT, scored_at TEXT");
  write("score_batch", changed);
  sql << "INSERT INTO household_score_history (household_id, score, model, model_version, scored_on, "
         "scored_at, replaced_at) SELECT c.household_id, c.score, c.model, c.model_version, c.scored_on, "
         "c.scored_at, :now FROM household_scores c WHERE c.household_id IN (SELECT household_id FROM score_batch)",
      soci::use(now);
  sql << "DELETE FROM household_scores WHERE household_id IN (SELECT household_id FROM score_batch)";
  sql << "INSERT INTO household_scores (household_id, score, model, model_version, scored_on, scored_at) "
         "SELECT household_id, score, model, model_version, scored_on, scored_at FROM score_batch";
  db::EmptyScratchTable(s, "score_batch");
  return counts;
}

Result<std::optional<StoredScore>> ScoreStore::Current(std::int64_t household_id) {
  return db::Guard([&]() -> Result<std::optional<StoredScore>> {
    auto s = db_.Acquire();
    long long id = household_id;
    std::optional<StoredScore> out;
    db::EachRow(
        s.sql(),
        "SELECT household_id, score, model, model_version, scored_on, scored_at FROM household_scores "
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
        "SELECT household_id, score, model, model_version, scored_on, scored_at "
        "FROM household_score_history WHERE household_id = :id ORDER BY id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) { out.push_back(ReadScore(r)); });
    return out;
  });
}

Result<void> ScoreStore::RecordModel(const Model& model, const std::string& now) {
  return db_.InTransaction<void>([&](db::Session& s) -> Result<void> {
    KeepModel(s.sql(), model, now);
    std::string kept;
    s.sql() << "SELECT definition FROM score_models WHERE model = :m AND model_version = :v", soci::use(model.name),
        soci::use(model.version), soci::into(kept);
    if (kept != model.definition) {
      // Scores already saved name this version: another definition under its name would explain them wrongly.
      return Failure(Code::kConflict, "score_model.version_redefined",
                     {{"model", model.name}, {"version", model.version}}, "version");
    }
    return {};
  });
}

Result<std::optional<std::string>> ScoreStore::ModelDefinition(const std::string& model, const std::string& version) {
  return db::Guard([&]() -> Result<std::optional<std::string>> {
    auto s = db_.Acquire();
    std::optional<std::string> out;
    db::ScanRows(s, "SELECT definition FROM score_models WHERE model = :m AND model_version = :v", {model, version},
                 [&](const db::ScanRow& r) { out.emplace(r.Text(0)); });
    return out;
  });
}

}  // namespace sanad::targeting
