#include "empowerment/application_store.h"

#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"
#include "empowerment/call_store.h"
#include "registry/benefit_store.h"

namespace sanad::empowerment {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "a.id, a.call_id, a.registration_id, a.commune_code, a.state, a.requested_minor, a.summary, a.approved_minor, "
    "a.score, a.reasons, a.public_note, a.proposed_decision, a.proposed_amount_minor, a.proposed_reason, "
    "a.proposed_minutes, a.proposed_by, a.minutes, a.decided_by, a.submitted_at, a.created_at, a.created_by, "
    "a.updated_at, a.version";

Application Read(const soci::row& r) {
  Application a;
  a.id = db::RowInt(r, 0);
  a.call_id = db::RowInt(r, 1);
  a.registration_id = db::RowInt(r, 2);
  a.commune_code = r.get<std::string>(3);
  a.state = ParseAppState(r.get<std::string>(4)).value_or(AppState::kDraft);
  a.requested_minor = db::RowInt(r, 5);
  a.summary = r.get<std::string>(6);
  a.approved_minor = db::RowOptInt(r, 7);
  if (r.get_indicator(8) == soci::i_ok) a.score = db::RowDouble(r, 8);
  if (auto reasons = db::RowOptStr(r, 9)) {
    const auto j = json::parse(*reasons, nullptr, false);
    if (j.is_array())
      for (const auto& v : j)
        if (v.is_string()) a.reasons.push_back(v.get<std::string>());
  }
  a.public_note = db::RowOptStr(r, 10);
  a.proposed_decision = db::RowOptStr(r, 11);
  a.proposed_amount_minor = db::RowOptInt(r, 12);
  a.proposed_reason = db::RowOptStr(r, 13);
  a.proposed_minutes = db::RowOptStr(r, 14);
  a.proposed_by = db::RowOptStr(r, 15);
  a.minutes = db::RowOptStr(r, 16);
  a.decided_by = db::RowOptStr(r, 17);
  a.submitted_at = db::RowOptStr(r, 18);
  a.created_at = r.get<std::string>(19);
  a.created_by = r.get<std::string>(20);
  a.updated_at = r.get<std::string>(21);
  a.version = db::RowInt(r, 22);
  return a;
}

std::optional<std::string> ReasonsText(const std::vector<std::string>& reasons) {
  if (reasons.empty()) return std::nullopt;
  return json(reasons).dump();
}

std::unexpected<Error> Changed() { return Failure(Code::kConflict, "empowerment.application_changed", {}, "version"); }

}  // namespace

Result<std::int64_t> ApplicationStore::Insert(const Application& a) {
  auto id = db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    long long out = 0, call = a.call_id, reg = a.registration_id, requested = a.requested_minor;
    const std::string state(AppStateName(a.state));
    s.sql() << "INSERT INTO empowerment_applications (call_id, registration_id, commune_code, state, requested_minor, "
               "summary, submitted_at, created_at, created_by, updated_at, version) VALUES (:c, :r, :cc, :st, :rq, "
               ":su, :sa, :at, :by, :at2, 1) RETURNING id",
        soci::use(call), soci::use(reg), soci::use(a.commune_code), soci::use(state), soci::use(requested),
        soci::use(a.summary), soci::use(a.submitted_at), soci::use(a.created_at), soci::use(a.created_by),
        soci::use(a.updated_at), soci::into(out);
    s.sql() << "INSERT INTO empowerment_application_events (application_id, from_state, to_state, actor, at) VALUES "
               "(:a, NULL, :st, :by, :at)",
        soci::use(out), soci::use(state), soci::use(a.created_by), soci::use(a.created_at);
    return static_cast<std::int64_t>(out);
  });
  if (!id && id.error().code == Code::kAlreadyExists) {
    return Failure(Code::kAlreadyExists, "empowerment.already_applied", {}, "call_id");
  }
  return id;
}

Result<std::optional<Application>> ApplicationStore::Get(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<Application>> {
    auto s = db_.Acquire();
    long long aid = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<Application> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns + " FROM empowerment_applications a WHERE a.id = :id AND " +
            db::AreaScopeSql("a.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(aid));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::vector<Application>> ApplicationStore::ForCall(std::int64_t call_id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<Application>> {
    auto s = db_.Acquire();
    long long cid = call_id;
    db::AreaScope sc{scope.area, scope.day};
    std::vector<Application> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns + " FROM empowerment_applications a WHERE a.call_id = :c AND " +
            db::AreaScopeSql("a.commune_code", "sc") + " ORDER BY a.id LIMIT 5000",
        [&](soci::statement& st) {
          st.exchange(soci::use(cid));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(Read(r)); });
    return out;
  });
}

Result<std::vector<Application>> ApplicationStore::ForRegistration(std::int64_t registration_id) {
  return db::Guard([&]() -> Result<std::vector<Application>> {
    auto s = db_.Acquire();
    long long rid = registration_id;
    std::vector<Application> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns +
            " FROM empowerment_applications a WHERE a.registration_id = :r "
            "ORDER BY a.id",
        [&](soci::statement& st) { st.exchange(soci::use(rid)); }, [&](const soci::row& r) { out.push_back(Read(r)); });
    return out;
  });
}

void ApplicationStore::Write(db::Session& s, const Application& cur, const Application& n, const std::string& actor,
                             const std::string& now, const std::optional<std::string>& note) {
  long long id = cur.id, version = cur.version, requested = n.requested_minor;
  const std::string from(AppStateName(cur.state)), to(AppStateName(n.state));
  const std::optional<std::string> reasons = ReasonsText(n.reasons);
  soci::statement st =
      (s.sql().prepare << "UPDATE empowerment_applications SET state = :st, requested_minor = :rq, summary = :su, "
                          "approved_minor = :ap, score = :sc, reasons = :re, public_note = :pn, "
                          "proposed_decision = :pd, proposed_amount_minor = :pa, proposed_reason = :pr, "
                          "proposed_minutes = :pm, proposed_by = :pb, minutes = :mi, decided_by = :db, "
                          "submitted_at = :sa, updated_at = :at, version = version + 1 "
                          "WHERE id = :id AND version = :v AND state = :from",
       soci::use(to), soci::use(requested), soci::use(n.summary), soci::use(n.approved_minor), soci::use(n.score),
       soci::use(reasons), soci::use(n.public_note), soci::use(n.proposed_decision), soci::use(n.proposed_amount_minor),
       soci::use(n.proposed_reason), soci::use(n.proposed_minutes), soci::use(n.proposed_by), soci::use(n.minutes),
       soci::use(n.decided_by), soci::use(n.submitted_at), soci::use(now), soci::use(id), soci::use(version),
       soci::use(from));
  st.execute(true);
  if (st.get_affected_rows() != 1) throw std::runtime_error("empowerment.application_changed");
  if (from != to) {
    s.sql() << "INSERT INTO empowerment_application_events (application_id, from_state, to_state, actor, at, note) "
               "VALUES (:a, :f, :t, :by, :at, :no)",
        soci::use(id), soci::use(from), soci::use(to), soci::use(actor), soci::use(now), soci::use(note);
  }
}

// Write throws on a lost compare-and-set so that the transaction rolls back; it is turned back into
// kConflict here (the only runtime_error with that text).
template <typename F>
Status CasTransaction(db::Database& db, F&& work) {
  auto done = db.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    try {
      return work(s);
    } catch (const std::runtime_error& e) {
      if (std::string_view(e.what()) == "empowerment.application_changed") return Changed();
      throw;
    }
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Status ApplicationStore::Save(const Application& current, const Application& next, const std::string& actor,
                              const std::string& now, const std::optional<std::string>& note,
                              const std::optional<EnvelopeGuard>& envelope) {
  return CasTransaction(db_, [&](db::Session& s) -> Result<bool> {
    if (envelope) {
      long long call = envelope->call_id, committed = 0;
      s.sql() << "UPDATE empowerment_calls SET version = version WHERE id = :c", soci::use(call);
      s.sql() << std::string(
                     "SELECT COALESCE(SUM(approved_minor), 0) FROM empowerment_applications WHERE call_id = "
                     ":c AND state IN ") +
                     kCommittedStates,
          soci::use(call), soci::into(committed);
      if (auto st = CheckWithinEnvelope(envelope->envelope_minor, committed, envelope->amount_minor); !st)
        return std::unexpected(st.error());
    }
    Write(s, current, next, actor, now, note);
    return true;
  });
}

Result<std::vector<StoredReview>> ApplicationStore::Reviews(std::int64_t application_id) {
  return db::Guard([&]() -> Result<std::vector<StoredReview>> {
    auto s = db_.Acquire();
    long long aid = application_id;
    std::vector<StoredReview> out;
    db::EachRow(
        s.sql(),
        "SELECT reviewer, conflict_of_interest, points, comment, reviewed_at FROM empowerment_reviews WHERE "
        "application_id = :a ORDER BY reviewed_at, reviewer",
        [&](soci::statement& st) { st.exchange(soci::use(aid)); },
        [&](const soci::row& r) {
          StoredReview sr;
          sr.review.reviewer = r.get<std::string>(0);
          sr.review.conflict_of_interest = db::RowInt(r, 1) == 1;
          const auto j = json::parse(r.get<std::string>(2), nullptr, false);
          if (j.is_object())
            for (const auto& [k, v] : j.items())
              if (v.is_number_integer()) sr.review.points.emplace_back(k, v.get<int>());
          sr.comment = db::RowOptStr(r, 3);
          sr.reviewed_at = r.get<std::string>(4);
          out.push_back(std::move(sr));
        });
    return out;
  });
}

Status ApplicationStore::AddReview(const Application& current, const StoredReview& review,
                                   const std::function<Application(const std::vector<Review>&)>& next,
                                   const std::string& now) {
  auto reviews = Reviews(current.id);
  if (!reviews) return std::unexpected(reviews.error());
  for (const auto& r : *reviews) {
    if (r.review.reviewer == review.review.reviewer) {
      return Failure(Code::kAlreadyExists, "empowerment.already_reviewed", {}, "reviewer");
    }
  }
  std::vector<Review> all;
  for (const auto& r : *reviews) all.push_back(r.review);
  all.push_back(review.review);
  const Application after = next(all);
  return CasTransaction(db_, [&](db::Session& s) -> Result<bool> {
    long long aid = current.id;
    int conflict = review.review.conflict_of_interest ? 1 : 0;
    json points = json::object();
    for (const auto& [k, v] : review.review.points) points[k] = v;
    const std::string text = points.dump();
    s.sql() << "INSERT INTO empowerment_reviews (application_id, reviewer, conflict_of_interest, points, comment, "
               "reviewed_at) VALUES (:a, :r, :c, :p, :co, :at)",
        soci::use(aid), soci::use(review.review.reviewer), soci::use(conflict), soci::use(text),
        soci::use(review.comment), soci::use(now);
    // The compare-and-set on the version makes the reviews read above the ones the score is computed on.
    Write(s, current, after, review.review.reviewer, now, std::nullopt);
    return true;
  });
}

Status ApplicationStore::SignAgreement(const Application& current, const Application& next,
                                       const std::vector<Tranche>& tranches, const std::string& actor,
                                       const std::string& now) {
  return CasTransaction(db_, [&](db::Session& s) -> Result<bool> {
    Write(s, current, next, actor, now, std::nullopt);
    long long aid = current.id;
    for (const auto& t : tranches) {
      long long n = t.n, planned = t.planned_minor;
      s.sql() << "INSERT INTO empowerment_tranches (application_id, n, milestone, planned_minor, requires_training) "
                 "VALUES (:a, :n, :m, :p, :t)",
          soci::use(aid), soci::use(n), soci::use(t.milestone), soci::use(planned), soci::use(t.requires_training);
    }
    return true;
  });
}

Result<std::vector<Tranche>> ApplicationStore::Tranches(std::int64_t application_id) {
  return db::Guard([&]() -> Result<std::vector<Tranche>> {
    auto s = db_.Acquire();
    long long aid = application_id;
    std::vector<Tranche> out;
    db::EachRow(
        s.sql(),
        "SELECT n, milestone, planned_minor, paid_on, paid_by, benefit_id, requires_training FROM "
        "empowerment_tranches WHERE application_id = :a ORDER BY n",
        [&](soci::statement& st) { st.exchange(soci::use(aid)); },
        [&](const soci::row& r) {
          out.push_back({static_cast<int>(db::RowInt(r, 0)), r.get<std::string>(1), db::RowInt(r, 2),
                         db::RowOptStr(r, 3), db::RowOptStr(r, 4), db::RowOptInt(r, 5), db::RowOptStr(r, 6)});
        });
    return out;
  });
}

Status ApplicationStore::PayTranche(const Application& current, const Application& next, int n, const std::string& day,
                                    const std::optional<registry::BenefitRow>& ledger, const std::string& actor,
                                    const std::string& now) {
  return CasTransaction(db_, [&](db::Session& s) -> Result<bool> {
    Write(s, current, next, actor, now, "tranche " + std::to_string(n));
    std::optional<long long> benefit;
    if (ledger) {
      // The same path as micro-credit's disbursement: the ledger line in the transaction that pays.
      registry::BenefitStore store(db_);
      benefit = store.InsertBenefit(s, *ledger);
    }
    long long aid = current.id, tn = n;
    soci::statement st = (s.sql().prepare << "UPDATE empowerment_tranches SET paid_on = :d, paid_by = :by, "
                                             "benefit_id = :b WHERE application_id = :a AND n = :n AND paid_on IS NULL",
                          soci::use(day), soci::use(actor), soci::use(benefit), soci::use(aid), soci::use(tn));
    st.execute(true);
    if (st.get_affected_rows() != 1) throw std::runtime_error("empowerment.application_changed");
    return true;
  });
}

Result<std::vector<AppEvent>> ApplicationStore::Events(std::int64_t application_id) {
  return db::Guard([&]() -> Result<std::vector<AppEvent>> {
    auto s = db_.Acquire();
    long long aid = application_id;
    std::vector<AppEvent> out;
    db::EachRow(
        s.sql(),
        "SELECT from_state, to_state, actor, at, note FROM empowerment_application_events WHERE application_id = :a "
        "ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(aid)); },
        [&](const soci::row& r) {
          out.push_back({db::RowOptStr(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                         db::RowOptStr(r, 4)});
        });
    return out;
  });
}

}  // namespace sanad::empowerment
