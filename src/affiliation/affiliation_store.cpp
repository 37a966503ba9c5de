#include "affiliation/affiliation_store.h"

#include <fmt/format.h>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::affiliation {
namespace {

// The registry person's columns read beside a worker or a proposal (alias pe), 11 columns.
constexpr const char* kPersonColumns =
    "pe.id, pe.given_name_ar, pe.family_name_ar, pe.given_name_lat, pe.family_name_lat, pe.father_name_ar, pe.sex, "
    "pe.birth_date, pe.national_id, pe.birth_commune_code, pe.phone";

PersonSummary ReadPerson(const soci::row& r, std::size_t at) {
  PersonSummary p;
  p.id = db::RowInt(r, at);
  p.given_name_ar = db::RowOptStr(r, at + 1);
  p.family_name_ar = db::RowOptStr(r, at + 2);
  p.given_name_lat = db::RowOptStr(r, at + 3);
  p.family_name_lat = db::RowOptStr(r, at + 4);
  p.father_name_ar = db::RowOptStr(r, at + 5);
  p.sex = db::RowOptStr(r, at + 6);
  p.birth_date = db::RowOptStr(r, at + 7);
  p.national_id = db::RowOptStr(r, at + 8);
  p.birth_commune_code = db::RowOptStr(r, at + 9);
  p.phone = db::RowOptStr(r, at + 10);
  return p;
}

const std::string& WorkerQuery() {
  static const std::string q = std::string(
                                   "SELECT w.id, w.commune_code, w.fund, w.activity, w.status, w.affiliated_on, "
                                   "w.created_at, w.created_by, w.registration_number, w.affiliation_number, "
                                   "w.proposal_id, ") +
                               kPersonColumns + " FROM affiliation_workers w JOIN persons pe ON pe.id = w.person_id ";
  return q;
}

Worker ReadWorker(const soci::row& r) {
  Worker w;
  w.id = db::RowInt(r, 0);
  w.commune_code = r.get<std::string>(1);
  w.fund = r.get<std::string>(2);
  w.activity = r.get<std::string>(3);
  w.status = r.get<std::string>(4);
  w.affiliated_on = r.get<std::string>(5);
  w.created_at = r.get<std::string>(6);
  w.created_by = r.get<std::string>(7);
  w.registration_number = db::RowOptStr(r, 8);
  w.affiliation_number = db::RowOptStr(r, 9);
  w.proposal_id = db::RowOptInt(r, 10);
  w.person = ReadPerson(r, 11);
  return w;
}

const std::string& ProposalQuery() {
  static const std::string q =
      std::string(
          "SELECT p.id, p.list_id, l.name, p.record_id, p.commune_code, p.fund, p.activity, p.status, "
          "p.registration_number, p.decided_at, p.decided_by, p.comment, p.worker_id, p.weight, r.person, ") +
      kPersonColumns +
      " FROM affiliation_proposals p JOIN affiliation_lists l ON l.id = p.list_id "
      "JOIN affiliation_list_rows r ON r.list_id = p.list_id AND r.record_id = p.record_id "
      "JOIN persons pe ON pe.id = p.person_id ";
  return q;
}

Proposal ReadProposal(const soci::row& r) {
  Proposal p;
  p.id = db::RowInt(r, 0);
  p.list_id = db::RowInt(r, 1);
  p.list_name = r.get<std::string>(2);
  p.record_id = r.get<std::string>(3);
  p.commune_code = r.get<std::string>(4);
  p.fund = r.get<std::string>(5);
  p.activity = r.get<std::string>(6);
  p.status = r.get<std::string>(7);
  p.registration_number = db::RowOptStr(r, 8);
  p.decided_at = db::RowOptStr(r, 9);
  p.decided_by = db::RowOptStr(r, 10);
  p.comment = db::RowOptStr(r, 11);
  p.worker_id = db::RowOptInt(r, 12);
  p.weight = db::RowDouble(r, 13);
  p.list_person_json = r.get<std::string>(14);
  p.person = ReadPerson(r, 15);
  return p;
}

constexpr const char* kListColumns =
    "SELECT id, name, fund, status, uploaded_at, uploaded_by, area_code, job_id, rows_total, matched, proposed, "
    "already_affiliated, previously_rejected FROM affiliation_lists ";

AffiliationList ReadList(const soci::row& r) {
  AffiliationList l;
  l.id = db::RowInt(r, 0);
  l.name = r.get<std::string>(1);
  l.fund = r.get<std::string>(2);
  l.status = r.get<std::string>(3);
  l.uploaded_at = r.get<std::string>(4);
  l.uploaded_by = r.get<std::string>(5);
  l.area_code = db::RowOptStr(r, 6);
  l.job_id = db::RowOptInt(r, 7);
  l.rows_total = db::RowInt(r, 8);
  l.matched = db::RowInt(r, 9);
  l.proposed = db::RowInt(r, 10);
  l.already_affiliated = db::RowInt(r, 11);
  l.previously_rejected = db::RowInt(r, 12);
  return l;
}

constexpr const char* kDeclarationColumns =
    "SELECT d.id, d.worker_id, d.year, d.declared_base_minor, d.base_minor, d.contribution_minor, d.paid_minor, "
    "d.currency, d.declared_on, d.recorded_at, d.recorded_by, d.last_paid_on FROM affiliation_declarations d ";

Declaration ReadDeclaration(const soci::row& r) {
  Declaration d;
  d.id = db::RowInt(r, 0);
  d.worker_id = db::RowInt(r, 1);
  d.year = static_cast<int>(db::RowInt(r, 2));
  d.declared_base_minor = db::RowInt(r, 3);
  d.base_minor = db::RowInt(r, 4);
  d.contribution_minor = db::RowInt(r, 5);
  d.paid_minor = db::RowInt(r, 6);
  d.currency = r.get<std::string>(7);
  d.declared_on = r.get<std::string>(8);
  d.recorded_at = r.get<std::string>(9);
  d.recorded_by = r.get<std::string>(10);
  d.last_paid_on = db::RowOptStr(r, 11);
  return d;
}

// The commune of an active person's household, when it lies in the scope.
std::optional<std::string> PersonCommune(soci::session& sql, std::int64_t person_id, const ReadScope& scope) {
  long long id = person_id;
  db::AreaScope sc{scope.area, scope.day};
  std::optional<std::string> out;
  db::EachRow(
      sql,
      "SELECT h.commune_code FROM persons pe JOIN households h ON h.id = pe.household_id WHERE pe.id = :p AND "
      "pe.status = 'active' AND " +
          db::AreaScopeSql("h.commune_code", "sc"),
      [&](soci::statement& st) {
        st.exchange(soci::use(id));
        sc.Bind(st);
      },
      [&](const soci::row& r) { out = r.get<std::string>(0); });
  return out;
}

std::unexpected<Error> NoProposal(std::int64_t id) {
  return Failure(Code::kNotFound, "affiliation.proposal_not_found", {{"id", std::to_string(id)}}, "id");
}

}  // namespace

Result<std::int64_t> AffiliationStore::InsertList(db::Session& s, const AffiliationList& list,
                                                  const std::vector<ListEntry>& rows) {
  auto& sql = s.sql();
  long long id = 0, total = static_cast<long long>(rows.size());
  sql << "INSERT INTO affiliation_lists (name, fund, area_code, status, rows_total, uploaded_at, uploaded_by) "
         "VALUES (:n, :f, :a, 'queued', :t, :at, :by) RETURNING id",
      soci::use(list.name), soci::use(list.fund), soci::use(list.area_code), soci::use(total),
      soci::use(list.uploaded_at), soci::use(list.uploaded_by), soci::into(id);
  for (const auto& r : rows) {
    long long line = r.line;
    sql << "INSERT INTO affiliation_list_rows (list_id, line, record_id, activity, registration_number, person) "
           "VALUES (:l, :n, :r, :a, :g, :p)",
        soci::use(id), soci::use(line), soci::use(r.record_id), soci::use(r.activity), soci::use(r.registration_number),
        soci::use(r.person_json);
  }
  return id;
}

Status AffiliationStore::SetListJob(db::Session& s, std::int64_t list_id, std::int64_t job_id) {
  long long l = list_id, j = job_id;
  s.sql() << "UPDATE affiliation_lists SET job_id = :j WHERE id = :l", soci::use(j), soci::use(l);
  return Ok();
}

Result<std::optional<AffiliationList>> AffiliationStore::GetList(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<AffiliationList>> {
    auto s = db_.Acquire();
    long long l = id;
    std::optional<AffiliationList> out;
    db::EachRow(
        s.sql(), std::string(kListColumns) + "WHERE id = :l", [&](soci::statement& st) { st.exchange(soci::use(l)); },
        [&](const soci::row& r) { out = ReadList(r); });
    return out;
  });
}

Result<std::vector<AffiliationList>> AffiliationStore::Lists(const ReadScope& scope, int limit) {
  return db::Guard([&]() -> Result<std::vector<AffiliationList>> {
    auto s = db_.Acquire();
    // A list uploaded by a national user is visible to national readers only; an area's list to readers
    // whose scope covers that area.
    db::AreaScope sc{scope.area, scope.day};
    std::vector<AffiliationList> out;
    db::EachRow(
        s.sql(),
        std::string(kListColumns) + "WHERE (area_code IS NOT NULL OR CAST(:n AS TEXT) IS NULL) AND " +
            db::AreaScopeSql("COALESCE(area_code, '')", "sc") + " ORDER BY id DESC LIMIT " + std::to_string(limit),
        [&](soci::statement& st) {
          st.exchange(soci::use(scope.area));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(ReadList(r)); });
    return out;
  });
}

Result<std::vector<ListEntry>> AffiliationStore::ListEntries(std::int64_t list_id) {
  return db::Guard([&]() -> Result<std::vector<ListEntry>> {
    auto s = db_.Acquire();
    long long l = list_id;
    std::vector<ListEntry> out;
    db::EachRow(
        s.sql(),
        "SELECT line, record_id, activity, registration_number, person FROM affiliation_list_rows WHERE list_id = :l "
        "ORDER BY line",
        [&](soci::statement& st) { st.exchange(soci::use(l)); },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), db::RowOptStr(r, 3),
                         r.get<std::string>(4)});
        });
    return out;
  });
}

Result<MatchCounts> AffiliationStore::WriteMatches(db::Session& s, std::int64_t list_id,
                                                   const std::vector<ListMatch>& matches) {
  auto& sql = s.sql();
  long long l = list_id;
  std::string fund;
  sql << "SELECT fund FROM affiliation_lists WHERE id = :l", soci::use(l), soci::into(fund);
  MatchCounts counts;
  for (const auto& m : matches) {
    ++counts.matched;
    long long person = m.person_id;
    std::string activity;
    std::optional<std::string> registration;
    soci::indicator ind = soci::i_ok;
    std::string reg_value;
    sql << "SELECT activity, registration_number FROM affiliation_list_rows WHERE list_id = :l AND record_id = :r",
        soci::use(l), soci::use(m.record_id), soci::into(activity), soci::into(reg_value, ind);
    if (ind == soci::i_ok && !reg_value.empty()) registration = reg_value;
    const std::string source_key = registration.value_or("record:" + m.record_id);
    const std::string reg_or_none = registration.value_or("");
    // Already in the affiliation registry: the person, or the register entry, for this fund.
    long long affiliated = db::CountRows(
        sql,
        "SELECT COUNT(*) FROM affiliation_workers WHERE fund = :f AND (person_id = :p OR (registration_number = :g "
        "AND registration_number <> ''))",
        [&](soci::statement& st) {
          st.exchange(soci::use(fund));
          st.exchange(soci::use(person));
          st.exchange(soci::use(reg_or_none));
        });
    if (affiliated > 0) {
      ++counts.already_affiliated;
      continue;
    }
    long long rejected = 0, pending = 0;
    db::EachRow(
        sql,
        "SELECT COALESCE(SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END), 0), "
        "COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0) FROM affiliation_proposals "
        "WHERE person_id = :p AND fund = :f AND source_key = :k AND list_id <> :l",
        [&](soci::statement& st) {
          st.exchange(soci::use(person));
          st.exchange(soci::use(fund));
          st.exchange(soci::use(source_key));
          st.exchange(soci::use(l));
        },
        [&](const soci::row& r) {
          rejected = db::RowInt(r, 0);
          pending = db::RowInt(r, 1);
        });
    if (rejected > 0) {
      ++counts.previously_rejected;
      continue;
    }
    if (pending > 0) continue;  // already in the queue through an earlier list
    // The person's household's commune, read when matched: the proposal's area scope.
    std::string commune;
    sql << "SELECT h.commune_code FROM persons pe JOIN households h ON h.id = pe.household_id WHERE pe.id = :p",
        soci::use(person), soci::into(commune);
    double weight = m.weight;
    long long exists =
        db::CountRows(sql, "SELECT COUNT(*) FROM affiliation_proposals WHERE list_id = :l AND record_id = :r",
                      [&](soci::statement& st) {
                        st.exchange(soci::use(l));
                        st.exchange(soci::use(m.record_id));
                      });
    if (exists == 0) {
      sql << "INSERT INTO affiliation_proposals (list_id, record_id, person_id, commune_code, fund, activity, "
             "registration_number, source_key, weight, status) VALUES (:l, :r, :p, :c, :f, :a, :g, :k, :w, 'pending')",
          soci::use(l), soci::use(m.record_id), soci::use(person), soci::use(commune), soci::use(fund),
          soci::use(activity), soci::use(registration), soci::use(source_key), soci::use(weight);
    }
    ++counts.proposed;
  }
  long long matched = counts.matched, proposed = counts.proposed, aff = counts.already_affiliated,
            rej = counts.previously_rejected;
  sql << "UPDATE affiliation_lists SET status = 'matched', matched = :m, proposed = :p, already_affiliated = :a, "
         "previously_rejected = :r WHERE id = :l",
      soci::use(matched), soci::use(proposed), soci::use(aff), soci::use(rej), soci::use(l);
  return counts;
}

Status AffiliationStore::MarkListFailed(std::int64_t list_id) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long l = list_id;
    s.sql() << "UPDATE affiliation_lists SET status = 'failed' WHERE id = :l AND status = 'queued'", soci::use(l);
    return Ok();
  });
}

Result<std::pair<std::vector<Proposal>, std::int64_t>> AffiliationStore::Proposals(const std::string& status,
                                                                                   const ReadScope& scope, int limit,
                                                                                   int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<Proposal>, std::int64_t>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    const std::optional<std::string> st_filter = status == "all" ? std::nullopt : std::optional(status);
    const std::string where =
        "WHERE (CAST(:s1 AS TEXT) IS NULL OR p.status = :s2) AND " + db::AreaScopeSql("p.commune_code", "sc");
    auto bind = [&](soci::statement& st) {
      st.exchange(soci::use(st_filter));
      st.exchange(soci::use(st_filter));
      sc.Bind(st);
    };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*) FROM affiliation_proposals p " + where, bind);
    std::vector<Proposal> out;
    db::EachRow(s.sql(), ProposalQuery() + where + fmt::format(" ORDER BY p.id LIMIT {} OFFSET {}", limit, offset),
                bind, [&](const soci::row& r) { out.push_back(ReadProposal(r)); });
    return std::pair{std::move(out), static_cast<std::int64_t>(total)};
  });
}

Result<std::optional<Proposal>> AffiliationStore::GetProposal(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<Proposal>> {
    auto s = db_.Acquire();
    long long p = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<Proposal> out;
    db::EachRow(
        s.sql(), ProposalQuery() + "WHERE p.id = :id AND " + db::AreaScopeSql("p.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(p));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = ReadProposal(r); });
    return out;
  });
}

Result<std::int64_t> AffiliationStore::Accept(std::int64_t id, const ReadScope& scope, const std::string& today,
                                              const std::string& now, const std::string& by) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    auto& sql = s.sql();
    long long p = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<std::string> status;
    long long person = 0;
    std::string commune, fund, activity;
    std::optional<std::string> registration;
    db::EachRow(
        sql,
        "SELECT p.status, p.person_id, p.commune_code, p.fund, p.activity, p.registration_number FROM "
        "affiliation_proposals p WHERE p.id = :id AND " +
            db::AreaScopeSql("p.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(p));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          status = r.get<std::string>(0);
          person = db::RowInt(r, 1);
          commune = r.get<std::string>(2);
          fund = r.get<std::string>(3);
          activity = r.get<std::string>(4);
          registration = db::RowOptStr(r, 5);
        });
    if (!status) return NoProposal(id);
    if (*status != "pending")
      return Failure(Code::kFailedPrecondition, "affiliation.proposal_decided", {{"status", *status}}, "id");
    const long long existing = db::CountRows(
        sql, "SELECT COUNT(*) FROM affiliation_workers WHERE person_id = :p AND fund = :f", [&](soci::statement& st) {
          st.exchange(soci::use(person));
          st.exchange(soci::use(fund));
        });
    if (existing > 0)
      return Failure(Code::kAlreadyExists, "affiliation.already_affiliated", {{"fund", fund}}, "person_id");
    long long worker = 0;
    sql << "INSERT INTO affiliation_workers (person_id, commune_code, fund, activity, registration_number, status, "
           "affiliated_on, proposal_id, created_at, created_by) VALUES (:pe, :c, :f, :a, :g, 'affiliated', :d, :pr, "
           ":at, :by) RETURNING id",
        soci::use(person), soci::use(commune), soci::use(fund), soci::use(activity), soci::use(registration),
        soci::use(today), soci::use(p), soci::use(now), soci::use(by), soci::into(worker);
    // Fenced on the status read above: a concurrent decision makes this update touch nothing.
    soci::statement up = (sql.prepare << "UPDATE affiliation_proposals SET status = 'accepted', decided_at = :at, "
                                         "decided_by = :by, worker_id = :w WHERE id = :id AND status = 'pending'",
                          soci::use(now), soci::use(by), soci::use(worker), soci::use(p));
    up.execute(true);
    if (up.get_affected_rows() != 1)
      return Failure(Code::kConflict, "affiliation.proposal_decided", {{"status", "decided"}}, "id");
    return static_cast<std::int64_t>(worker);
  });
}

Status AffiliationStore::Reject(std::int64_t id, const ReadScope& scope, const std::string& comment,
                                const std::string& now, const std::string& by) {
  auto r = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long p = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<std::string> status;
    db::EachRow(
        sql,
        "SELECT p.status FROM affiliation_proposals p WHERE p.id = :id AND " + db::AreaScopeSql("p.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(p));
          sc.Bind(st);
        },
        [&](const soci::row& r) { status = r.get<std::string>(0); });
    if (!status) return NoProposal(id);
    if (*status != "pending")
      return Failure(Code::kFailedPrecondition, "affiliation.proposal_decided", {{"status", *status}}, "id");
    soci::statement up = (sql.prepare << "UPDATE affiliation_proposals SET status = 'rejected', decided_at = :at, "
                                         "decided_by = :by, comment = :c WHERE id = :id AND status = 'pending'",
                          soci::use(now), soci::use(by), soci::use(comment), soci::use(p));
    up.execute(true);
    if (up.get_affected_rows() != 1)
      return Failure(Code::kConflict, "affiliation.proposal_decided", {{"status", "decided"}}, "id");
    return true;
  });
  if (!r) return std::unexpected(r.error());
  return Ok();
}

Result<std::pair<std::vector<Worker>, std::int64_t>> AffiliationStore::Workers(const ReadScope& scope, int limit,
                                                                               int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<Worker>, std::int64_t>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    const std::string where = "WHERE " + db::AreaScopeSql("w.commune_code", "sc");
    auto bind = [&](soci::statement& st) { sc.Bind(st); };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*) FROM affiliation_workers w " + where, bind);
    std::vector<Worker> out;
    db::EachRow(s.sql(), WorkerQuery() + where + fmt::format(" ORDER BY w.id LIMIT {} OFFSET {}", limit, offset), bind,
                [&](const soci::row& r) { out.push_back(ReadWorker(r)); });
    return std::pair{std::move(out), static_cast<std::int64_t>(total)};
  });
}

Result<std::optional<Worker>> AffiliationStore::GetWorker(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<Worker>> {
    auto s = db_.Acquire();
    long long w = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<Worker> out;
    db::EachRow(
        s.sql(), WorkerQuery() + "WHERE w.id = :id AND " + db::AreaScopeSql("w.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(w));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = ReadWorker(r); });
    return out;
  });
}

Result<std::vector<Declaration>> AffiliationStore::Declarations(std::int64_t worker_id) {
  return db::Guard([&]() -> Result<std::vector<Declaration>> {
    auto s = db_.Acquire();
    long long w = worker_id;
    std::vector<Declaration> out;
    db::EachRow(
        s.sql(), std::string(kDeclarationColumns) + "WHERE d.worker_id = :w ORDER BY d.year DESC",
        [&](soci::statement& st) { st.exchange(soci::use(w)); },
        [&](const soci::row& r) { out.push_back(ReadDeclaration(r)); });
    return out;
  });
}

Result<Declaration> AffiliationStore::AddDeclaration(std::int64_t worker_id, const Contribution& c,
                                                     const std::string& declared_on, const std::string& now,
                                                     const std::string& by) {
  return db_.InTransaction<Declaration>([&](db::Session& s) -> Result<Declaration> {
    auto& sql = s.sql();
    long long w = worker_id, id = 0, declared = c.declared_base_minor, base = c.base_minor, due = c.contribution_minor;
    int year = c.year;
    const long long existing =
        db::CountRows(sql, "SELECT COUNT(*) FROM affiliation_declarations WHERE worker_id = :w AND year = :y",
                      [&](soci::statement& st) {
                        st.exchange(soci::use(w));
                        st.exchange(soci::use(year));
                      });
    if (existing > 0)
      return Failure(Code::kAlreadyExists, "affiliation.declaration_exists", {{"year", std::to_string(year)}}, "year");
    sql << "INSERT INTO affiliation_declarations (worker_id, year, declared_base_minor, base_minor, "
           "contribution_minor, currency, declared_on, recorded_at, recorded_by) VALUES (:w, :y, :d, :b, :c, :cu, "
           ":on, :at, :by) RETURNING id",
        soci::use(w), soci::use(year), soci::use(declared), soci::use(base), soci::use(due), soci::use(c.currency),
        soci::use(declared_on), soci::use(now), soci::use(by), soci::into(id);
    std::optional<Declaration> out;
    db::EachRow(
        sql, std::string(kDeclarationColumns) + "WHERE d.id = :id",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) { out = ReadDeclaration(r); });
    return *out;
  });
}

Result<Declaration> AffiliationStore::AddPayment(std::int64_t declaration_id, const ReadScope& scope,
                                                 std::int64_t amount_minor, const std::string& paid_on) {
  return db_.InTransaction<Declaration>([&](db::Session& s) -> Result<Declaration> {
    auto& sql = s.sql();
    long long d = declaration_id, amount = amount_minor;
    db::AreaScope sc{scope.area, scope.day};
    const long long found = db::CountRows(
        sql,
        "SELECT COUNT(*) FROM affiliation_declarations d JOIN affiliation_workers w ON w.id = d.worker_id WHERE "
        "d.id = :d AND " +
            db::AreaScopeSql("w.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(d));
          sc.Bind(st);
        });
    if (found == 0)
      return Failure(Code::kNotFound, "affiliation.declaration_not_found", {{"id", std::to_string(d)}}, "id");
    sql << "UPDATE affiliation_declarations SET paid_minor = paid_minor + :a, last_paid_on = :on WHERE id = :d",
        soci::use(amount), soci::use(paid_on), soci::use(d);
    std::optional<Declaration> out;
    db::EachRow(
        sql, std::string(kDeclarationColumns) + "WHERE d.id = :id",
        [&](soci::statement& st) { st.exchange(soci::use(d)); }, [&](const soci::row& r) { out = ReadDeclaration(r); });
    return *out;
  });
}

Result<std::int64_t> AffiliationStore::AddContact(std::int64_t person_id, const ReadScope& scope,
                                                  const std::string& contacted_on, const std::string& channel,
                                                  const std::string& now, const std::string& by) {
  return db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    auto commune = PersonCommune(s.sql(), person_id, scope);
    if (!commune) return Failure(Code::kNotFound, "person.not_found", {{"id", std::to_string(person_id)}}, "person_id");
    long long p = person_id, id = 0;
    s.sql() << "INSERT INTO affiliation_contacts (person_id, commune_code, contacted_on, channel, recorded_at, "
               "recorded_by) VALUES (:p, :c, :on, :ch, :at, :by) RETURNING id",
        soci::use(p), soci::use(*commune), soci::use(contacted_on), soci::use(channel), soci::use(now), soci::use(by),
        soci::into(id);
    return static_cast<std::int64_t>(id);
  });
}

Result<std::vector<CampaignCommune>> AffiliationStore::Campaign(const ReadScope& scope, const std::string& from,
                                                                const std::string& to) {
  return db::Guard([&]() -> Result<std::vector<CampaignCommune>> {
    auto s = db_.Acquire();
    db::AreaScope sc1{scope.area, scope.day}, sc2{scope.area, scope.day};
    const std::string lo = from.empty() ? "0000-00-00" : from, hi = to.empty() ? "9999-99-99" : to;
    // Per commune: persons first contacted in the window, those of them affiliated on or after that
    // first contact, and every affiliated worker of the commune.
    const std::string q =
        "SELECT commune_code, SUM(contacted), SUM(after_contact), SUM(affiliated) FROM ("
        "  SELECT c.commune_code, 1 AS contacted, CASE WHEN EXISTS (SELECT 1 FROM affiliation_workers w WHERE "
        "  w.person_id = c.person_id AND w.affiliated_on >= c.first_on) THEN 1 ELSE 0 END AS after_contact, "
        "  0 AS affiliated FROM (SELECT person_id, MIN(commune_code) AS commune_code, MIN(contacted_on) AS first_on "
        "  FROM affiliation_contacts WHERE contacted_on >= :lo AND contacted_on <= :hi GROUP BY person_id) c WHERE " +
        db::AreaScopeSql("c.commune_code", "sa") +
        "  UNION ALL SELECT w.commune_code, 0, 0, 1 FROM affiliation_workers w WHERE w.status = 'affiliated' AND " +
        db::AreaScopeSql("w.commune_code", "sb") + ") t GROUP BY commune_code ORDER BY commune_code";
    std::vector<CampaignCommune> out;
    db::EachRow(
        s.sql(), q,
        [&](soci::statement& st) {
          st.exchange(soci::use(lo));
          st.exchange(soci::use(hi));
          sc1.Bind(st);
          sc2.Bind(st);
        },
        [&](const soci::row& r) {
          out.push_back({r.get<std::string>(0), db::RowInt(r, 1), db::RowInt(r, 2), db::RowInt(r, 3)});
        });
    return out;
  });
}

}  // namespace sanad::affiliation
