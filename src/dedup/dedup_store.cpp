// DedupStore: the columnar load of the active persons and the deduplication jobs. The review queue is in
// candidate_store.cpp, external lists and the cross-programme check in programme_store.cpp.
#include "dedup/dedup_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "db/row.h"
#include "dedup/store_sql.h"

namespace sanad::dedup {

using namespace internal;

Result<std::size_t> DedupStore::LoadActivePersons(const registry::Scope& scope, std::uint8_t source,
                                                  linkage::RecordStoreBuilder& builder) {
  return db::Guard([&]() -> Result<std::size_t> {
    auto s = db_.Acquire();
    // The registry's canonical person columns, in this order, mapped to the engine's input fields.
    static constexpr std::array<std::pair<const char*, InField>, 10> kFields{{
        {"given_name_ar", InField::kGivenAr},
        {"family_name_ar", InField::kFamilyAr},
        {"given_name_lat", InField::kGivenLat},
        {"family_name_lat", InField::kFamilyLat},
        {"father_name_ar", InField::kFatherAr},
        {"sex", InField::kSex},
        {"birth_date", InField::kBirthDate},
        {"birth_commune_code", InField::kCommune},
        {"national_id", InField::kNationalId},
        {"phone", InField::kPhone},
    }};
    std::string cols;
    for (const auto& f : kFields) cols += fmt::format(", p.{}", f.first);
    constexpr std::size_t kBatch = 10000;
    std::vector<long long> ids(kBatch);
    std::array<std::vector<std::string>, kFields.size()> values;
    std::array<std::vector<soci::indicator>, kFields.size()> inds;
    for (std::size_t f = 0; f < kFields.size(); ++f) {
      values[f].resize(kBatch);
      inds[f].resize(kBatch);
    }
    ScopeValues sv(scope);
    soci::statement st(s.sql());
    st.alloc();
    st.prepare("SELECT p.id" + cols +
               " FROM persons p JOIN households h ON h.id = p.household_id WHERE p.status = 'active' AND " +
               ScopeClause("h.commune_code", "sc") + " ORDER BY p.id");
    st.exchange(soci::into(ids));
    for (std::size_t f = 0; f < kFields.size(); ++f) st.exchange(soci::into(values[f], inds[f]));
    sv.Bind(st);
    st.define_and_bind();
    std::size_t n = 0;
    linkage::RawRecord rec;
    rec.source = source;
    st.execute(false);
    {
      while (st.fetch()) {
        for (std::size_t i = 0; i < ids.size(); ++i) {
          rec.id = std::to_string(ids[i]);
          for (std::size_t f = 0; f < kFields.size(); ++f) {
            rec[kFields[f].second] = inds[f][i] == soci::i_null ? std::string() : values[f][i];
          }
          builder.Add(rec);
          ++n;
        }
        ids.resize(kBatch);
        for (std::size_t f = 0; f < kFields.size(); ++f) {
          values[f].resize(kBatch);
          inds[f].resize(kBatch);
        }
      }
    }
    return n;
  });
}

// ---- jobs ----

Result<JobRow> DedupStore::InsertJob(db::Session& s, const JobRow& row) {
  return db::Guard([&]() -> Result<JobRow> {
    long long id = 0;
    std::optional<long long> by = row.started_by_id;
    s.sql() << "INSERT INTO linkage_jobs (status, stage, area_code, started_by_id, started_by, started_at) "
               "VALUES (:s, :g, :a, :bi, :b, :t) RETURNING id",
        soci::use(row.status), soci::use(row.stage), soci::use(row.area_code), soci::use(by), soci::use(row.started_by),
        soci::use(row.started_at), soci::into(id);
    JobRow out = row;
    out.id = id;
    return out;
  });
}

void DedupStore::SetRunJob(db::Session& s, std::int64_t id, std::int64_t run_job_id) {
  long long lid = id, rid = run_job_id;
  s.sql() << "UPDATE linkage_jobs SET run_job_id = :r WHERE id = :id", soci::use(rid), soci::use(lid);
}

Result<bool> DedupStore::SetRecords(std::int64_t id, std::int64_t records) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long lid = id, n = records;
    soci::statement st =
        (s.sql().prepare << "UPDATE linkage_jobs SET records = :n WHERE id = :id AND status = 'running'", soci::use(n),
         soci::use(lid));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

namespace {

// A job is visible when the scope is national or covers the job's area (a national job has none).
std::string JobScopeClause() {
  return "(CAST(:sc1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM area_ancestors scx WHERE scx.ancestor = :sc2 "
         "AND scx.descendant = linkage_jobs.area_code AND scx.valid_from <= :sc3 AND scx.valid_to > :sc4))";
}

}  // namespace

Result<std::vector<JobRow>> DedupStore::ListJobs(int limit, const registry::Scope& scope) {
  return db::Guard([&]() -> Result<std::vector<JobRow>> {
    auto s = db_.Acquire();
    std::vector<JobRow> out;
    ScopeValues sv(scope);
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format("SELECT {} FROM linkage_jobs WHERE {} ORDER BY id DESC LIMIT {}", kJobColumns,
                           JobScopeClause(), limit));
    st.exchange(soci::into(r));
    sv.Bind(st);
    st.define_and_bind();
    if (st.execute(true)) {
      do out.push_back(ReadJob(r));
      while (st.fetch());
    }
    return out;
  });
}

Result<std::optional<JobRow>> DedupStore::GetJob(std::int64_t id, const registry::Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<JobRow>> {
    auto s = db_.Acquire();
    long long jid = id;
    ScopeValues sv(scope);
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format("SELECT {} FROM linkage_jobs WHERE id = :id AND {}", kJobColumns, JobScopeClause()));
    st.exchange(soci::into(r));
    st.exchange(soci::use(jid));
    sv.Bind(st);
    st.define_and_bind();
    if (!st.execute(true)) return std::optional<JobRow>();
    return std::optional<JobRow>(ReadJob(r));
  });
}

Result<bool> DedupStore::FinishJob(db::Session& s, const JobRow& j) {
  long long id = j.id, records = j.records, pairs = j.pairs_compared, cand = j.candidate_pairs, matches = j.matches,
            review = j.review, proposed = j.proposed;
  double seconds = j.seconds;
  std::optional<std::string> finished = j.finished_at, error = j.error;
  soci::statement st =
      (s.sql().prepare << "UPDATE linkage_jobs SET status = :s, stage = :g, finished_at = :f, records = :r, "
                          "pairs_compared = :p, candidate_pairs = :c, matches = :m, review = :v, proposed = :x, "
                          "seconds = :sec, error = :e WHERE id = :id AND status = 'running'",
       soci::use(j.status), soci::use(j.stage), soci::use(finished), soci::use(records), soci::use(pairs),
       soci::use(cand), soci::use(matches), soci::use(review), soci::use(proposed), soci::use(seconds),
       soci::use(error), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

Result<bool> DedupStore::FinishJob(const JobRow& row) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    return FinishJob(s, row);
  });
}

}  // namespace sanad::dedup
