#include "dedup/dedup_store.h"

#include <fmt/format.h>

#include <array>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::dedup {

namespace {

using linkage::InField;

std::string Str(const soci::row& r, std::size_t i) { return db::RowOptStr(r, i).value_or(""); }

// "(scope is national OR the commune lies under the scope area on `today`)"; binds 4 values.
std::string ScopeClause(std::string_view commune_column, std::string_view tag) {
  return db::AreaScopeSql(commune_column, tag);
}

// Bound values must outlive the statement.
struct ScopeValues : db::AreaScope {
  explicit ScopeValues(const registry::Scope& s) : db::AreaScope{s.area, s.today} {}
};

constexpr const char* kJobColumns =
    "id, status, stage, area_code, started_by_id, started_by, started_at, finished_at, records, pairs_compared, "
    "candidate_pairs, matches, review, proposed, seconds, error, run_job_id";

JobRow ReadJob(const soci::row& r) {
  JobRow j;
  j.id = db::RowInt(r, 0);
  j.status = Str(r, 1);
  j.stage = Str(r, 2);
  j.area_code = db::RowOptStr(r, 3);
  j.started_by_id = db::RowOptInt(r, 4);
  j.started_by = Str(r, 5);
  j.started_at = Str(r, 6);
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

CandidateRow ReadCandidate(const soci::row& r) {
  CandidateRow c;
  c.id = db::RowInt(r, 0);
  c.job_id = db::RowInt(r, 1);
  c.person_a = db::RowInt(r, 2);
  c.person_b = db::RowInt(r, 3);
  c.weight = db::RowDouble(r, 4);
  c.probability = db::RowDouble(r, 5);
  c.band = Str(r, 6);
  c.explanation = Str(r, 7);
  c.status = Str(r, 8);
  c.change_request_id = db::RowOptInt(r, 9);
  c.decided_by = db::RowOptStr(r, 10);
  c.decided_at = db::RowOptStr(r, 11);
  c.comment = db::RowOptStr(r, 12);
  c.created_at = Str(r, 13);
  return c;
}

// Both persons of a candidate visible in the scope.
std::string CandidateFrom() {
  return " FROM linkage_candidates c JOIN persons pa ON pa.id = c.person_a JOIN households ha ON ha.id = "
         "pa.household_id "
         "JOIN persons pb ON pb.id = c.person_b JOIN households hb ON hb.id = pb.household_id WHERE " +
         ScopeClause("ha.commune_code", "sa") + " AND " + ScopeClause("hb.commune_code", "sb");
}

std::string InList(const std::vector<std::int64_t>& ids, std::size_t from, std::size_t to) {
  std::string in;
  for (std::size_t i = from; i < to; ++i) in += (in.empty() ? "" : ",") + std::to_string(ids[i]);
  return in;
}

}  // namespace

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

// ---- review queue ----

Result<std::set<std::pair<std::int64_t, std::int64_t>>> DedupStore::DecidedPairs() {
  return db::Guard([&]() -> Result<std::set<std::pair<std::int64_t, std::int64_t>>> {
    auto s = db_.Acquire();
    std::set<std::pair<std::int64_t, std::int64_t>> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT d.person_a, d.person_b FROM linkage_decisions d LEFT JOIN change_requests cr "
                            "ON cr.id = d.change_request_id WHERE d.decision = 'not_duplicates' OR cr.status IS NULL "
                            "OR cr.status <> 'rejected'");
    for (const auto& r : rs) out.emplace(db::RowInt(r, 0), db::RowInt(r, 1));
    return out;
  });
}

Result<std::set<std::pair<std::int64_t, std::int64_t>>> DedupStore::PendingPairs() {
  return db::Guard([&]() -> Result<std::set<std::pair<std::int64_t, std::int64_t>>> {
    auto s = db_.Acquire();
    std::set<std::pair<std::int64_t, std::int64_t>> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare
         << "SELECT person_a, person_b FROM linkage_candidates WHERE status IN ('pending', 'confirming')");
    for (const auto& r : rs) out.emplace(db::RowInt(r, 0), db::RowInt(r, 1));
    return out;
  });
}

std::set<std::int64_t> DedupStore::InactivePersons(db::Session& s, const std::vector<std::int64_t>& ids) {
  std::set<std::int64_t> active;
  constexpr std::size_t kChunk = 500;
  for (std::size_t i = 0; i < ids.size(); i += kChunk) {
    soci::rowset<soci::row> rs = (s.sql().prepare << "SELECT id FROM persons WHERE status = 'active' AND id IN (" +
                                                         InList(ids, i, std::min(ids.size(), i + kChunk)) + ")");
    for (const auto& r : rs) active.insert(db::RowInt(r, 0));
  }
  std::set<std::int64_t> out;
  for (auto id : ids) {
    if (!active.contains(id)) out.insert(id);
  }
  return out;
}

void DedupStore::InsertCandidates(db::Session& s, std::int64_t job_id, const std::vector<NewCandidate>& rows,
                                  const std::string& now) {
  constexpr std::size_t kChunk = 2000;
  for (std::size_t i = 0; i < rows.size(); i += kChunk) {
    const std::size_t end = std::min(rows.size(), i + kChunk);
    std::vector<long long> job(end - i, job_id), a, b;
    std::vector<double> w, p;
    std::vector<std::string> band, ex, created(end - i, now);
    for (std::size_t k = i; k < end; ++k) {
      a.push_back(rows[k].person_a);
      b.push_back(rows[k].person_b);
      w.push_back(rows[k].weight);
      p.push_back(rows[k].probability);
      band.push_back(rows[k].band);
      ex.push_back(rows[k].explanation);
    }
    s.sql() << "INSERT INTO linkage_candidates (job_id, person_a, person_b, weight, probability, band, explanation, "
               "status, "
               "created_at) VALUES (:j, :a, :b, :w, :p, :band, :ex, 'pending', :t) ON CONFLICT DO NOTHING",
        soci::use(job), soci::use(a), soci::use(b), soci::use(w), soci::use(p), soci::use(band), soci::use(ex),
        soci::use(created);
  }
}

Result<std::pair<std::vector<CandidateRow>, long long>> DedupStore::ListCandidates(const std::string& status,
                                                                                   const registry::Scope& scope,
                                                                                   int limit, int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<CandidateRow>, long long>> {
    auto s = db_.Acquire();
    std::string where = CandidateFrom() + " AND (:st1 = 'all' OR c.status = :st2)";
    // A pending pair whose persons were merged or left the registry meanwhile is no longer a question.
    if (status == "pending") where += " AND pa.status = 'active' AND pb.status = 'active'";
    ScopeValues sa(scope), sb(scope);
    std::string st_value = status;
    auto bind = [&](soci::statement& st) {
      sa.Bind(st);
      sb.Bind(st);
      st.exchange(soci::use(st_value));
      st.exchange(soci::use(st_value));
    };
    long long total = 0;
    {
      soci::statement st(s.sql());
      st.alloc();
      st.prepare("SELECT COUNT(*)" + where);
      st.exchange(soci::into(total));
      bind(st);
      st.define_and_bind();
      st.execute(true);
    }
    std::vector<CandidateRow> out;
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format("SELECT {}{} ORDER BY c.weight DESC, c.id LIMIT {} OFFSET {}", kCandidateColumns, where,
                           limit, offset));
    st.exchange(soci::into(r));
    bind(st);
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        out.push_back(ReadCandidate(r));
      } while (st.fetch());
    }
    return std::make_pair(std::move(out), total);
  });
}

Result<std::optional<CandidateRow>> DedupStore::GetCandidate(std::int64_t id, const registry::Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<CandidateRow>> {
    auto s = db_.Acquire();
    ScopeValues sa(scope), sb(scope);
    long long cid = id;
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format("SELECT {}{} AND c.id = :id", kCandidateColumns, CandidateFrom()));
    st.exchange(soci::into(r));
    sa.Bind(st);
    sb.Bind(st);
    st.exchange(soci::use(cid));
    st.define_and_bind();
    if (st.execute(true)) return std::optional<CandidateRow>(ReadCandidate(r));
    return std::optional<CandidateRow>();
  });
}

Result<bool> DedupStore::SetCandidateStatus(std::int64_t id, const std::string& from, const std::string& to) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long cid = id;
    soci::statement st =
        (s.sql().prepare << "UPDATE linkage_candidates SET status = :to WHERE id = :id AND status = :from",
         soci::use(to), soci::use(cid), soci::use(from));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

Result<CandidateRow> DedupStore::Decide(std::int64_t id, const std::string& from_status, const std::string& status,
                                        const std::string& decision, std::optional<std::int64_t> change_request_id,
                                        const registry::Actor& who, const std::string& comment,
                                        const std::string& now) {
  return db_.InTransaction<CandidateRow>([&](db::Session& s) -> Result<CandidateRow> {
    long long cid = id;
    std::optional<long long> cr = change_request_id, by = who.user_id;
    std::optional<std::string> note;
    if (!comment.empty()) note = comment;
    soci::statement st =
        (s.sql().prepare << "UPDATE linkage_candidates SET status = :s, change_request_id = :cr, decided_by_id = :bi, "
                            "decided_by = :b, decided_at = :t, comment = :c WHERE id = :id AND status = :from",
         soci::use(status), soci::use(cr), soci::use(by), soci::use(who.username), soci::use(now), soci::use(note),
         soci::use(cid), soci::use(from_status));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return Fail(Code::kConflict, fmt::format("candidate {} was decided by someone else meanwhile", id), "id");
    }
    long long a = 0, b = 0;
    s.sql() << "SELECT person_a, person_b FROM linkage_candidates WHERE id = :id", soci::use(cid), soci::into(a),
        soci::into(b);
    s.sql() << "INSERT INTO linkage_decisions (person_a, person_b, decision, candidate_id, change_request_id, "
               "decided_by_id, "
               "decided_by, decided_at, comment) VALUES (:a, :b, :d, :c, :cr, :bi, :by, :t, :n) "
               "ON CONFLICT (person_a, person_b) DO UPDATE SET decision = excluded.decision, candidate_id = "
               "excluded.candidate_id, "
               "change_request_id = excluded.change_request_id, decided_by_id = excluded.decided_by_id, "
               "decided_by = excluded.decided_by, decided_at = excluded.decided_at, comment = excluded.comment",
        soci::use(a), soci::use(b), soci::use(decision), soci::use(cid), soci::use(cr), soci::use(by),
        soci::use(who.username), soci::use(now), soci::use(note);
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format("SELECT {} FROM linkage_candidates c WHERE c.id = :id", kCandidateColumns),
         soci::use(cid));
    for (const auto& r : rs) return ReadCandidate(r);
    return Fail(Code::kInternal, "candidate vanished");
  });
}

// ---- external lists ----

Result<ExternalListRow> DedupStore::InsertExternalList(const ExternalListRow& row,
                                                       const std::vector<ExternalMatch>& matches) {
  return db_.InTransaction<ExternalListRow>([&](db::Session& s) -> Result<ExternalListRow> {
    long long id = 0, total = row.rows_total, matched = row.matched;
    s.sql() << "INSERT INTO linkage_external_lists (name, programme, area_code, uploaded_by, uploaded_at, rows_total, "
               "matched) "
               "VALUES (:n, :p, :a, :u, :t, :r, :m) RETURNING id",
        soci::use(row.name), soci::use(row.programme), soci::use(row.area_code), soci::use(row.uploaded_by),
        soci::use(row.uploaded_at), soci::use(total), soci::use(matched), soci::into(id);
    constexpr std::size_t kChunk = 5000;
    for (std::size_t i = 0; i < matches.size(); i += kChunk) {
      const std::size_t end = std::min(matches.size(), i + kChunk);
      std::vector<long long> list(end - i, id), person;
      std::vector<std::string> ext;
      std::vector<double> w;
      for (std::size_t k = i; k < end; ++k) {
        person.push_back(matches[k].person_id);
        ext.push_back(matches[k].external_id);
        w.push_back(matches[k].weight);
      }
      s.sql()
          << "INSERT INTO linkage_external_matches (list_id, person_id, external_id, weight) VALUES (:l, :p, :e, :w) "
             "ON CONFLICT DO NOTHING",
          soci::use(list), soci::use(person), soci::use(ext), soci::use(w);
    }
    ExternalListRow out = row;
    out.id = id;
    return out;
  });
}

Result<std::vector<ExternalListRow>> DedupStore::ListExternalLists(const registry::Scope& scope) {
  return db::Guard([&]() -> Result<std::vector<ExternalListRow>> {
    auto s = db_.Acquire();
    // Lists linked against an area the caller sees in full (or national lists for national users).
    ScopeValues sv(scope);
    std::vector<ExternalListRow> out;
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(
        "SELECT id, name, programme, area_code, uploaded_by, uploaded_at, rows_total, matched FROM "
        "linkage_external_lists l "
        "WHERE CAST(:sc1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM area_ancestors scx WHERE scx.ancestor = :sc2 "
        "AND scx.descendant = l.area_code AND scx.valid_from <= :sc3 AND scx.valid_to > :sc4) ORDER BY id DESC");
    st.exchange(soci::into(r));
    sv.Bind(st);
    st.define_and_bind();
    if (st.execute(true)) {
      do {
        ExternalListRow l;
        l.id = db::RowInt(r, 0);
        l.name = Str(r, 1);
        l.programme = Str(r, 2);
        l.area_code = db::RowOptStr(r, 3);
        l.uploaded_by = Str(r, 4);
        l.uploaded_at = Str(r, 5);
        l.rows_total = db::RowInt(r, 6);
        l.matched = db::RowInt(r, 7);
        out.push_back(std::move(l));
      } while (st.fetch());
    }
    return out;
  });
}

// ---- cross-programme ----

Result<std::pair<std::vector<ConflictRow>, long long>> DedupStore::Conflicts(const std::string& programme,
                                                                             const std::string& flag_column,
                                                                             const std::string& other,
                                                                             const registry::Scope& scope, int limit,
                                                                             int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<ConflictRow>, long long>> {
    auto s = db_.Acquire();
    // flag_column comes from the compiled rule list, never from the request.
    const std::string where =
        " FROM persons p JOIN households h ON h.id = p.household_id WHERE p.status = 'active' AND " +
        ScopeClause("h.commune_code", "sc") +
        " AND (EXISTS (SELECT 1 FROM benefits b1 WHERE b1.person_id = p.id AND b1.programme = :pg1)"
        " OR EXISTS (SELECT 1 FROM benefits b2 WHERE b2.household_id = p.household_id AND b2.person_id IS NULL AND "
        "b2.programme = :pg2))"
        " AND (p." +
        flag_column +
        " = 1 OR EXISTS (SELECT 1 FROM linkage_external_matches m JOIN linkage_external_lists l "
        "ON l.id = m.list_id WHERE m.person_id = p.id AND l.programme = :ot))";
    ScopeValues sv(scope);
    std::string pg = programme, ot = other;
    auto bind = [&](soci::statement& st) {
      sv.Bind(st);
      st.exchange(soci::use(pg));
      st.exchange(soci::use(pg));
      st.exchange(soci::use(ot));
    };
    long long total = 0;
    {
      soci::statement st(s.sql());
      st.alloc();
      st.prepare("SELECT COUNT(*)" + where);
      st.exchange(soci::into(total));
      bind(st);
      st.define_and_bind();
      st.execute(true);
    }
    std::vector<ConflictRow> out;
    {
      soci::row r;
      soci::statement st(s.sql());
      st.alloc();
      st.prepare(fmt::format(
          "SELECT p.id, p.household_id, h.ref, h.commune_code, p.given_name_ar, p.family_name_ar, p.given_name_lat, "
          "p.family_name_lat, p.national_id, p.birth_date, CAST(p.{} AS TEXT){} ORDER BY p.id LIMIT {} OFFSET {}",
          flag_column, where, limit, offset));
      st.exchange(soci::into(r));
      bind(st);
      st.define_and_bind();
      if (st.execute(true)) {
        do {
          ConflictRow c;
          c.person_id = db::RowInt(r, 0);
          c.household_id = db::RowInt(r, 1);
          c.household_ref = Str(r, 2);
          c.commune_code = Str(r, 3);
          c.given_name_ar = db::RowOptStr(r, 4);
          c.family_name_ar = db::RowOptStr(r, 5);
          c.given_name_lat = db::RowOptStr(r, 6);
          c.family_name_lat = db::RowOptStr(r, 7);
          c.national_id = db::RowOptStr(r, 8);
          c.birth_date = db::RowOptStr(r, 9);
          const auto flag = db::RowOptStr(r, 10);
          c.registry_flag = flag && (*flag == "1" || *flag == "true" || *flag == "t");
          out.push_back(std::move(c));
        } while (st.fetch());
      }
    }
    for (auto& c : out) {
      long long pid = c.person_id, hid = c.household_id, n = 0;
      std::optional<std::string> last;
      s.sql() << "SELECT COUNT(*), MAX(benefit_date) FROM benefits WHERE programme = :p1 AND (person_id = :pid OR "
                 "(household_id = :hid AND person_id IS NULL))",
          soci::use(pg), soci::use(pid), soci::use(hid), soci::into(n), soci::into(last);
      c.first_programme_count = n;
      c.first_programme_last_date = last.value_or("");
      soci::rowset<std::string> names =
          (s.sql().prepare << "SELECT l.name FROM linkage_external_matches m JOIN linkage_external_lists l "
                              "ON l.id = m.list_id WHERE m.person_id = :p AND l.programme = :o ORDER BY l.id",
           soci::use(pid), soci::use(ot));
      for (const auto& n2 : names) c.lists.push_back(n2);
    }
    return std::make_pair(std::move(out), total);
  });
}

}  // namespace sanad::dedup
