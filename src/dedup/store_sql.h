// Internal to DedupStore: SQL fragments and row readers shared by its job, queue and programme parts.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/area_scope.h"
#include "db/row.h"
#include "dedup/dedup_store.h"

namespace sanad::dedup::internal {

using linkage::InField;

// "(scope is national OR the commune lies under the scope area on `today`)"; binds 4 values.
inline std::string ScopeClause(std::string_view commune_column, std::string_view tag) {
  return db::AreaScopeSql(commune_column, tag);
}

// Bound values must outlive the statement.
struct ScopeValues : db::AreaScope {
  explicit ScopeValues(const registry::Scope& s) : db::AreaScope{s.area, s.today} {}
};

constexpr const char* kJobColumns =
    "id, status, stage, area_code, started_by_id, started_by, started_at, finished_at, records, pairs_compared, "
    "candidate_pairs, matches, review, proposed, seconds, error, run_job_id";

inline JobRow ReadJob(const soci::row& r) {
  JobRow j;
  j.id = db::RowInt(r, 0);
  j.status = db::RowStr(r, 1);
  j.stage = db::RowStr(r, 2);
  j.area_code = db::RowOptStr(r, 3);
  j.started_by_id = db::RowOptInt(r, 4);
  j.started_by = db::RowStr(r, 5);
  j.started_at = db::RowStr(r, 6);
  j.finished_at = db::RowOptStr(r, 7);
  j.records = db::RowInt(r, 8);
  j.pairs_compared = db::RowInt(r, 9);
  j.candidate_pairs = db::RowInt(r, 10);
  j.matches = db::RowInt(r, 11);
  j.review = db::RowInt(r, 12);
  j.proposed = db::RowInt(r, 13);
  j.seconds = db::RowDouble(r, 14);
  j.error = db::RowOptStr(r, 15);
  j.run_job_id = db::RowOptInt(r, 16);
  return j;
}

constexpr const char* kCandidateColumns =
    "c.id, c.job_id, c.person_a, c.person_b, c.weight, c.probability, c.band, c.explanation, c.status, "
    "c.change_request_id, "
    "c.decided_by, c.decided_at, c.comment, c.created_at";

inline CandidateRow ReadCandidate(const soci::row& r) {
  CandidateRow c;
  c.id = db::RowInt(r, 0);
  c.job_id = db::RowInt(r, 1);
  c.person_a = db::RowInt(r, 2);
  c.person_b = db::RowInt(r, 3);
  c.weight = db::RowDouble(r, 4);
  c.probability = db::RowDouble(r, 5);
  c.band = db::RowStr(r, 6);
  c.explanation = db::RowStr(r, 7);
  c.status = db::RowStr(r, 8);
  c.change_request_id = db::RowOptInt(r, 9);
  c.decided_by = db::RowOptStr(r, 10);
  c.decided_at = db::RowOptStr(r, 11);
  c.comment = db::RowOptStr(r, 12);
  c.created_at = db::RowStr(r, 13);
  return c;
}

// Both persons of a candidate visible in the scope.
inline std::string CandidateFrom() {
  return " FROM linkage_candidates c JOIN persons pa ON pa.id = c.person_a JOIN households ha ON ha.id = "
         "pa.household_id "
         "JOIN persons pb ON pb.id = c.person_b JOIN households hb ON hb.id = pb.household_id WHERE " +
         ScopeClause("ha.commune_code", "sa") + " AND " + ScopeClause("hb.commune_code", "sb");
}

inline std::string InList(const std::vector<std::int64_t>& ids, std::size_t from, std::size_t to) {
  std::string in;
  for (std::size_t i = from; i < to; ++i) in += (in.empty() ? "" : ",") + std::to_string(ids[i]);
  return in;
}

}  // namespace sanad::dedup::internal
