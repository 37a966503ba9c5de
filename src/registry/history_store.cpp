#include "registry/history_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

#include "db/row.h"
#include "registry/registry_sql.h"

namespace sanad::registry {

using sql::AreaCondition;

namespace {

// Columns before the field values in each statement.
constexpr std::size_t kChangeColumns = 9;                          // ChangeColumns()
constexpr std::size_t kHouseholdHistoryHead = 1 + kChangeColumns;  // version, then the change columns
constexpr std::size_t kPersonHistoryHead = 4 + kChangeColumns;     // person_id, version, household_id, merged_into, ...

// The columns of the change that wrote a version row, the last one saying whether the reader's scope
// covers every area the change touched: a summary names the records of all of them (the other household
// of a move, the survivor of a merge), so a reader who sees only this household sees the kind alone.
// Bound first, before the statement's own parameters: the scope's area twice and its day twice for each
// of the two conditions.
const std::string& ChangeColumns() {
  static const std::string kSql = fmt::format(
      "v.valid_from, v.change_request_id, c.kind, c.author_username, c.reviewer_username, c.summary, "
      "c.summary_code, c.summary_params, CASE WHEN c.id IS NULL OR ({} AND {}) THEN 1 ELSE 0 END",
      AreaCondition(std::nullopt, "", "sc").Sql("c.area_code"),
      AreaCondition(std::nullopt, "", "ev").SqlEveryCommuneOf("c.id"));
  return kSql;
}

std::optional<std::string> OptIdText(const std::optional<std::int64_t>& id) {
  return id ? std::optional<std::string>(std::to_string(*id)) : std::nullopt;
}

// Collects version rows into one event per applied change.
class Events {
 public:
  // The event of the change that wrote a version row whose change columns start at `first`
  // (ChangeColumns()).
  HistoryEvent& Of(const soci::row& r, std::size_t first) {
    const std::string at = r.get<std::string>(first);
    const auto cr = db::RowOptInt(r, first + 1);
    // Rows of one change request share its id; rows written without one (a bulk load) share their moment.
    const std::string key = cr ? fmt::format("c{}", *cr) : "t" + at;
    auto [it, added] = index_.try_emplace(key, events_.size());
    if (added) {
      HistoryEvent e;
      e.at = at;
      e.change_request_id = cr;
      e.kind = db::RowOptStr(r, first + 2).value_or("");
      e.author = db::RowOptStr(r, first + 3).value_or("");
      e.reviewer = db::RowOptStr(r, first + 4).value_or("");
      e.summary = db::RowOptStr(r, first + 5).value_or("");
      e.summary_code = db::RowOptStr(r, first + 6).value_or("");
      if (auto params = db::RowOptStr(r, first + 7)) e.summary_params = sql::ParamsFrom(*params);
      if (db::RowInt(r, first + 8) == 0) {
        e.summary.clear();
        e.summary_code.clear();
        e.summary_params.clear();
      }
      events_.push_back(std::move(e));
    }
    return events_[it->second];
  }

  std::vector<HistoryEvent> Take() {
    std::stable_sort(events_.begin(), events_.end(), [](const HistoryEvent& a, const HistoryEvent& b) {
      return std::tie(a.at, a.change_request_id) < std::tie(b.at, b.change_request_id);
    });
    return std::move(events_);
  }

 private:
  std::vector<HistoryEvent> events_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace

std::vector<FieldChange> DiffValues(std::span<const FieldSpec> fields, const Values* before, const Values& after) {
  std::vector<FieldChange> out;
  for (std::size_t i = 0; i < fields.size() && i < after.size(); ++i) {
    const std::optional<std::string> old = before && i < before->size() ? (*before)[i] : std::nullopt;
    if (old != after[i]) out.push_back({std::string(fields[i].name), old, after[i]});
  }
  return out;
}

Result<std::vector<HistoryEvent>> HistoryStore::HouseholdHistory(std::int64_t household_id, const Scope& reader) {
  return db::Guard([&]() -> Result<std::vector<HistoryEvent>> {
    auto s = db_.Acquire();
    Events events;
    const AreaCondition within(reader.area, reader.today, "sc"), every(reader.area, reader.today, "ev");
    {
      static const std::string kSql = fmt::format(
          "SELECT v.version, {}, {} FROM household_versions v LEFT JOIN change_requests c ON c.id = "
          "v.change_request_id WHERE v.household_id = :h ORDER BY v.version",
          ChangeColumns(), sql::TextCols(HouseholdFields(), "v."));
      auto q = s.Prepare(kSql);
      within.Bind(q);
      every.Bind(q);
      q.Bind(static_cast<long long>(household_id));
      std::optional<Values> previous;
      for (bool row = q.Execute(); row; row = q.Next()) {
        const soci::row& r = q.Row();
        RecordChange rc{"household", household_id, db::RowInt(r, 0), {}, {}};
        sql::ReadValues(r, kHouseholdHistoryHead, HouseholdFields(), rc.values);
        rc.fields = DiffValues(HouseholdFields(), previous ? &*previous : nullptr, rc.values);
        previous = rc.values;
        // A change that bumps a version without changing a value (none does today) adds no line.
        if (!rc.fields.empty()) events.Of(r, 1).records.push_back(std::move(rc));
      }
    }
    {
      // Every version of every person who ever belonged to the household, so that a member who joined
      // from another household is compared with the version they had there.
      static const std::string kSql = fmt::format(
          "SELECT v.person_id, v.version, v.household_id, v.merged_into, {}, {} FROM person_versions v "
          "LEFT JOIN change_requests c ON c.id = v.change_request_id WHERE v.person_id IN (SELECT "
          "m.person_id FROM person_versions m WHERE m.household_id = :h) ORDER BY v.person_id, v.version",
          ChangeColumns(), sql::TextCols(PersonFields(), "v."));
      auto q = s.Prepare(kSql);
      within.Bind(q);
      every.Bind(q);
      q.Bind(static_cast<long long>(household_id));
      struct Previous {
        std::int64_t person_id = 0, household_id = 0;
        std::optional<std::int64_t> merged_into;
        Values values;
      };
      std::optional<Previous> previous;
      for (bool row = q.Execute(); row; row = q.Next()) {
        const soci::row& r = q.Row();
        Previous now{db::RowInt(r, 0), db::RowInt(r, 2), db::RowOptInt(r, 3), {}};
        sql::ReadValues(r, kPersonHistoryHead, PersonFields(), now.values);
        const Previous* before = previous && previous->person_id == now.person_id ? &*previous : nullptr;
        // Versions written while the person lived elsewhere belong to that household's history.
        if (now.household_id == household_id || (before && before->household_id == household_id)) {
          RecordChange rc{"person", now.person_id, db::RowInt(r, 1), now.values, {}};
          if (before && before->household_id != now.household_id)
            rc.fields.push_back(
                {"household_id", std::to_string(before->household_id), std::to_string(now.household_id)});
          if (before && before->merged_into != now.merged_into)
            rc.fields.push_back({"merged_into", OptIdText(before->merged_into), OptIdText(now.merged_into)});
          auto diff = DiffValues(PersonFields(), before ? &before->values : nullptr, now.values);
          rc.fields.insert(rc.fields.end(), diff.begin(), diff.end());
          if (!rc.fields.empty()) events.Of(r, 4).records.push_back(std::move(rc));
        }
        previous = std::move(now);
      }
    }
    return events.Take();
  });
}

}  // namespace sanad::registry
