// DedupStore: the review queue of candidate pairs and the reviewers' decisions on pairs.
#include "dedup/dedup_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "db/row.h"
#include "dedup/store_sql.h"

namespace sanad::dedup {

using namespace internal;

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
                                                                                   int limit, int offset,
                                                                                   std::string_view sort) {
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
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + where, bind);
    std::vector<CandidateRow> out;
    soci::row r;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(fmt::format("SELECT {}{} ORDER BY {} LIMIT {} OFFSET {}", kCandidateColumns, where,
                           db::OrderBy(db_.dialect(), kCandidateSorts, sort, "c.id", "c.weight DESC, c.id"), limit,
                           offset));
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
      return Failure(Code::kConflict, "linkage_candidate.being_decided", {{"id", std::to_string(id)}}, "id");
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

Result<CandidateRow> DedupStore::Reopen(std::int64_t id) {
  return db_.InTransaction<CandidateRow>([&](db::Session& s) -> Result<CandidateRow> {
    long long cid = id, a = 0, b = 0;
    s.sql() << "SELECT person_a, person_b FROM linkage_candidates WHERE id = :id", soci::use(cid), soci::into(a),
        soci::into(b);
    // At most one pending candidate per pair (a unique index): a pair queued again meanwhile stays as is.
    long long pending = 0;
    s.sql() << "SELECT COUNT(*) FROM linkage_candidates WHERE person_a = :a AND person_b = :b AND status = 'pending'",
        soci::use(a), soci::use(b), soci::into(pending);
    if (pending > 0) {
      return Failure(Code::kConflict, "linkage_candidate.already_pending", {{"id", std::to_string(id)}}, "id");
    }
    soci::statement st =
        (s.sql().prepare
             << "UPDATE linkage_candidates SET status = 'pending', decided_by_id = NULL, decided_by = NULL, "
                "decided_at = NULL, comment = NULL WHERE id = :id AND status = 'rejected'",
         soci::use(cid));
    st.execute(true);
    if (st.get_affected_rows() == 0) {
      return Failure(Code::kConflict, "linkage_candidate.being_decided", {{"id", std::to_string(id)}}, "id");
    }
    s.sql() << "DELETE FROM linkage_decisions WHERE person_a = :a AND person_b = :b AND decision = 'not_duplicates'",
        soci::use(a), soci::use(b);
    soci::rowset<soci::row> rs =
        (s.sql().prepare << fmt::format("SELECT {} FROM linkage_candidates c WHERE c.id = :id", kCandidateColumns),
         soci::use(cid));
    for (const auto& r : rs) return ReadCandidate(r);
    return Fail(Code::kInternal, "candidate vanished");
  });
}

}  // namespace sanad::dedup
