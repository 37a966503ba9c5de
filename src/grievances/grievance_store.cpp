#include "grievances/grievance_store.h"

#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::grievances {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "g.id, g.channel, g.category, g.description, g.complainant_name, g.complainant_phone, g.national_id, "
    "g.household_ref, g.payment_reference, g.link_kind, g.programme, g.cycle_id, g.household_id, g.payment_id, "
    "g.case_id, g.commune_code, g.status, g.sla_days, g.due_at, g.escalated_at, g.filed_at, g.filed_by, g.reviewer, "
    "g.resolved_at, g.resolved_by, g.outcome, g.resolution, g.internal_note, g.appealed_at, g.appealed_by, "
    "g.appeal_reason, g.appeal_decided_at, g.appeal_decided_by, g.appeal_outcome, g.appeal_decision, g.closed_at, "
    "g.closed_by, g.version";

std::optional<std::int64_t> OptId(const soci::row& r, std::size_t i) {
  auto v = db::RowOptInt(r, i);
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

Grievance Read(const soci::row& r) {
  Grievance g;
  std::size_t i = 0;
  g.id = db::RowInt(r, i++);
  g.channel = r.get<std::string>(i++);
  g.category = r.get<std::string>(i++);
  g.description = r.get<std::string>(i++);
  for (auto* f : {&g.complainant_name, &g.complainant_phone, &g.national_id, &g.household_ref, &g.payment_reference})
    *f = db::RowOptStr(r, i++);
  g.link_kind = r.get<std::string>(i++);
  g.programme = db::RowOptStr(r, i++);
  for (auto* f : {&g.cycle_id, &g.household_id, &g.payment_id, &g.case_id}) *f = OptId(r, i++);
  g.commune_code = r.get<std::string>(i++);
  g.status = r.get<std::string>(i++);
  g.sla_days = db::RowInt(r, i++);
  g.due_at = db::RowOptStr(r, i++);
  g.escalated_at = db::RowOptStr(r, i++);
  g.filed_at = r.get<std::string>(i++);
  for (auto* f : {&g.filed_by, &g.reviewer, &g.resolved_at, &g.resolved_by, &g.outcome, &g.resolution, &g.internal_note,
                  &g.appealed_at, &g.appealed_by, &g.appeal_reason, &g.appeal_decided_at, &g.appeal_decided_by,
                  &g.appeal_outcome, &g.appeal_decision, &g.closed_at, &g.closed_by})
    *f = db::RowOptStr(r, i++);
  g.version = db::RowInt(r, i++);
  return g;
}

std::unexpected<Error> NoLink(const std::string& field) {
  return Failure(Code::kFailedPrecondition, "grievance.link_not_found", {{"field", field}}, field);
}

std::optional<Grievance> Load(db::Session& s, std::int64_t id, const std::optional<Access>& who, bool lock) {
  long long gid = id;
  db::AreaScope scope{who ? who->area : std::nullopt, who ? who->day : std::string("9999-12-31")};
  std::optional<Grievance> out;
  db::EachRow(
      s.sql(),
      std::string("SELECT ") + kColumns + " FROM grievances g WHERE g.id = :id AND " +
          db::AreaScopeSql("g.commune_code", "vs") +
          (lock && s.dialect() == db::Dialect::kPostgres ? " FOR UPDATE OF g" : ""),
      [&](soci::statement& st) {
        st.exchange(soci::use(gid));
        scope.Bind(st);
      },
      [&](const soci::row& r) { out = Read(r); });
  return out;
}

void InsertEvent(db::Session& s, std::int64_t id, const std::string& at, const std::optional<std::string>& by,
                 const std::string& kind, const std::string& details) {
  long long gid = id;
  s.sql() << "INSERT INTO grievance_events (grievance_id, at, by_user, kind, details) VALUES (:g, :a, :b, :k, :d)",
      soci::use(gid), soci::use(at), soci::use(by), soci::use(kind), soci::use(details);
}

// True when `commune` lies in `who`'s area on its day (always true for the citizen and national staff).
bool Within(db::Session& s, const std::string& commune, const std::optional<Access>& who) {
  if (!who || !who->area) return true;
  db::AreaScope sc{who->area, who->day};
  std::string c = commune;
  return db::CountRows(s.sql(),
                       "SELECT COUNT(*) FROM areas a WHERE a.code = :c AND " + db::AreaScopeSql("a.code", "sc"),
                       [&](soci::statement& st) {
                         st.exchange(soci::use(c));
                         sc.Bind(st);
                       }) > 0;
}

// The commune of a household, when it exists.
std::optional<std::string> HouseholdCommune(db::Session& s, long long id) {
  std::optional<std::string> commune;
  db::EachRow(
      s.sql(), "SELECT commune_code FROM households WHERE id = :h",
      [&](soci::statement& st) { st.exchange(soci::use(id)); },
      [&](const soci::row& r) { commune = db::RowOptStr(r, 0); });
  return commune;
}

}  // namespace

Result<std::vector<std::pair<std::string, int>>> GrievanceStore::Slas() {
  return db::Guard([&]() -> Result<std::vector<std::pair<std::string, int>>> {
    auto s = db_.Acquire();
    std::vector<std::pair<std::string, int>> out;
    for (const auto& d : kDefaultSla) {
      std::string c(d.category);
      long long days = d.days;
      soci::indicator ind = soci::i_ok;
      s.sql() << "SELECT sla_days FROM grievance_categories WHERE category = :c", soci::use(c), soci::into(days, ind);
      out.emplace_back(c, ind == soci::i_ok ? static_cast<int>(days) : d.days);
    }
    return out;
  });
}

Status GrievanceStore::SetSla(const std::string& category, int days, const std::string& now, const std::string& by) {
  if (!IsCategory(category))
    return Failure(Code::kNotFound, "grievance.bad_category", {{"value", category}}, "category");
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long d = days;
    s.sql() << "UPDATE grievance_categories SET sla_days = :d, updated_at = :a, updated_by = :b WHERE category = :c",
        soci::use(d), soci::use(now), soci::use(by), soci::use(category);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<Grievance> GrievanceStore::File(const Filing& f, const std::optional<Access>& who, const std::string& code_hash,
                                       TimePoint now) {
  return db_.InTransaction<Grievance>([&](db::Session& s) -> Result<Grievance> {
    std::string link_kind = "none";
    std::optional<std::string> commune;
    std::optional<long long> household, payment, case_id, cycle;
    if (f.payment_id || f.end_to_end_id) {
      const std::string field = f.payment_id ? "payment_id" : "end_to_end_id";
      long long pid = f.payment_id.value_or(0);
      std::string e2e = f.end_to_end_id.value_or("");
      const int by_id = f.payment_id ? 1 : 0;
      db::EachRow(
          s.sql(),
          "SELECT id, household_id, commune_code FROM payments WHERE (:b1 = 1 AND id = :i) OR (:b2 = 0 AND "
          "end_to_end_id = :e)",
          [&](soci::statement& st) {
            st.exchange(soci::use(by_id));
            st.exchange(soci::use(pid));
            st.exchange(soci::use(by_id));
            st.exchange(soci::use(e2e));
          },
          [&](const soci::row& r) {
            payment = db::RowInt(r, 0);
            household = db::RowInt(r, 1);
            commune = r.get<std::string>(2);
          });
      if (!payment || !Within(s, *commune, who)) return NoLink(field);
      link_kind = "payment";
    } else if (f.case_id) {
      long long cid = *f.case_id;
      db::EachRow(
          s.sql(), "SELECT id, commune_code, household_id FROM cases WHERE id = :c",
          [&](soci::statement& st) { st.exchange(soci::use(cid)); },
          [&](const soci::row& r) {
            case_id = db::RowInt(r, 0);
            commune = r.get<std::string>(1);
            household = db::RowOptInt(r, 2);
          });
      if (!case_id || !Within(s, *commune, who)) return NoLink("case_id");
      link_kind = "case";
    } else if (f.programme) {
      long long hid = f.household_id.value_or(0);
      if (f.cycle_id) {
        long long cyc = *f.cycle_id;
        std::string programme = *f.programme;
        long long found =
            db::CountRows(s.sql(), "SELECT COUNT(*) FROM programme_cycles WHERE id = :c AND programme = :p",
                          [&](soci::statement& st) {
                            st.exchange(soci::use(cyc));
                            st.exchange(soci::use(programme));
                          });
        if (found == 0) return NoLink("cycle_id");
        cycle = cyc;
        // The household's commune at the cycle's cut-off, when the cycle considered it.
        db::EachRow(
            s.sql(), "SELECT commune_code FROM cycle_entries WHERE cycle_id = :c AND household_id = :h",
            [&](soci::statement& st) {
              st.exchange(soci::use(cyc));
              st.exchange(soci::use(hid));
            },
            [&](const soci::row& r) { commune = r.get<std::string>(0); });
      }
      if (!commune) commune = HouseholdCommune(s, hid);
      if (!commune || !Within(s, *commune, who)) return NoLink("household_id");
      household = hid;
      link_kind = "decision";
    } else if (f.household_id) {
      commune = HouseholdCommune(s, *f.household_id);
      if (!commune || !Within(s, *commune, who)) return NoLink("household_id");
      household = *f.household_id;
      link_kind = "household";
    } else if (!who && f.household_ref) {
      // The citizen's reference links when it names a household; otherwise it stays as typed (the
      // answer never tells whether a reference exists).
      std::string ref = *f.household_ref;
      db::EachRow(
          s.sql(), "SELECT id, commune_code FROM households WHERE ref = :r",
          [&](soci::statement& st) { st.exchange(soci::use(ref)); },
          [&](const soci::row& r) {
            household = db::RowInt(r, 0);
            commune = db::RowOptStr(r, 1);
          });
      if (household && commune) {
        link_kind = "household";
      } else {
        household.reset();
        commune.reset();
      }
    }
    if (!commune) {
      std::string c = f.commune_code.value_or("");
      long long is_commune = db::CountRows(s.sql(), "SELECT COUNT(*) FROM areas WHERE code = :c AND level = 'commune'",
                                           [&](soci::statement& st) { st.exchange(soci::use(c)); });
      if (is_commune == 0)
        return Failure(Code::kFailedPrecondition, "field.not_a_commune", {{"field", "commune_code"}, {"value", c}},
                       "commune_code");
      if (!Within(s, c, who))
        return Failure(Code::kFailedPrecondition, "grievance.outside_scope", {{"value", c}}, "commune_code");
      commune = c;
    }
    long long days = 30;
    s.sql() << "SELECT sla_days FROM grievance_categories WHERE category = :c", soci::use(f.category), soci::into(days);
    const std::string at = FormatTimestamp(now);
    const std::string due = FormatTimestamp(DueAt(now, static_cast<int>(days)));
    std::optional<std::string> by = who ? std::optional<std::string>(who->username) : std::nullopt;
    long long id = 0;
    s.sql() << "INSERT INTO grievances (code_hash, channel, category, description, complainant_name, "
               "complainant_phone, national_id, household_ref, payment_reference, link_kind, programme, cycle_id, "
               "household_id, payment_id, case_id, commune_code, status, sla_days, due_at, filed_at, filed_by) VALUES "
               "(:h, :ch, :ca, :d, :cn, :cp, :ni, :hr, :pr, :lk, :pg, :cy, :hh, :pa, :cs, :co, 'received', :sd, :du, "
               ":fa, :fb) RETURNING id",
        soci::use(code_hash), soci::use(f.channel), soci::use(f.category), soci::use(f.description),
        soci::use(f.complainant_name), soci::use(f.complainant_phone), soci::use(f.national_id),
        soci::use(f.household_ref), soci::use(f.payment_reference), soci::use(link_kind), soci::use(f.programme),
        soci::use(cycle), soci::use(household), soci::use(payment), soci::use(case_id), soci::use(*commune),
        soci::use(days), soci::use(due), soci::use(at), soci::use(by), soci::into(id);
    InsertEvent(s, id, at, by, "filed",
                json{{"channel", f.channel}, {"category", f.category}, {"link", link_kind}}.dump());
    auto g = Load(s, id, std::nullopt, false);
    if (!g) return Failure(Code::kInternal, "grievance.not_found", {{"id", std::to_string(id)}});
    return *g;
  });
}

Result<std::optional<Grievance>> GrievanceStore::ByCodeHash(const std::string& hash) {
  return db::Guard([&]() -> Result<std::optional<Grievance>> {
    auto s = db_.Acquire();
    std::optional<Grievance> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + " FROM grievances g WHERE g.code_hash = :h",
        [&](soci::statement& st) { st.exchange(soci::use(hash)); }, [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::optional<Grievance>> GrievanceStore::Get(std::int64_t id, const Access& who) {
  return db::Guard([&]() -> Result<std::optional<Grievance>> {
    auto s = db_.Acquire();
    return Load(s, id, who, false);
  });
}

Result<std::pair<std::vector<Grievance>, long long>> GrievanceStore::List(const GrievanceFilter& f, const Access& who,
                                                                          TimePoint now) {
  return db::Guard([&]() -> Result<std::pair<std::vector<Grievance>, long long>> {
    auto s = db_.Acquire();
    db::AreaScope scope{who.area, who.day};
    db::AreaScope in_area{f.area, who.day};
    const std::string now_text = FormatTimestamp(now);
    const int overdue = f.overdue ? 1 : 0;
    const std::string where =
        " FROM grievances g WHERE " + db::AreaScopeSql("g.commune_code", "vs") + " AND " +
        db::AreaScopeSql("g.commune_code", "fa") +
        " AND (CAST(:st1 AS TEXT) IS NULL OR g.status = :st2) AND (CAST(:ca1 AS TEXT) IS NULL OR g.category = :ca2)"
        " AND (CAST(:ch1 AS TEXT) IS NULL OR g.channel = :ch2)"
        " AND (:od = 0 OR (g.status IN ('received', 'under_review', 'appealed') AND g.due_at < :now))";
    auto bind = [&](soci::statement& st) {
      scope.Bind(st);
      in_area.Bind(st);
      for (const auto* v : {&f.status, &f.category, &f.channel}) {
        st.exchange(soci::use(*v));
        st.exchange(soci::use(*v));
      }
      st.exchange(soci::use(overdue));
      st.exchange(soci::use(now_text));
    };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + where, bind);
    std::vector<Grievance> out;
    // Open ones with the nearest deadline first. Paging numbers inlined (integers).
    db::EachRow(s.sql(),
                std::string("SELECT ") + kColumns + where +
                    " ORDER BY CASE WHEN g.due_at IS NULL THEN 1 ELSE 0 END, g.due_at, g.id LIMIT " +
                    std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset),
                bind, [&](const soci::row& r) { out.push_back(Read(r)); });
    return std::pair{std::move(out), total};
  });
}

Result<std::vector<GrievanceEvent>> GrievanceStore::Events(std::int64_t id) {
  return db::Guard([&]() -> Result<std::vector<GrievanceEvent>> {
    auto s = db_.Acquire();
    long long gid = id;
    std::vector<GrievanceEvent> out;
    db::EachRow(
        s.sql(), "SELECT id, at, by_user, kind, details FROM grievance_events WHERE grievance_id = :g ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(gid)); },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), r.get<std::string>(1), db::RowOptStr(r, 2), r.get<std::string>(3),
                         r.get<std::string>(4)});
        });
    return out;
  });
}

Result<Grievance> GrievanceStore::Act(std::int64_t id, const std::optional<Access>& who, grievances::Act act,
                                      const ActInput& in, TimePoint now) {
  return db_.InTransaction<Grievance>([&](db::Session& s) -> Result<Grievance> {
    auto g = Load(s, id, who, true);
    if (!g) return Failure(Code::kNotFound, "grievance.not_found", {{"id", std::to_string(id)}}, "id");
    const std::optional<std::string> by = who ? std::optional<std::string>(who->username) : std::nullopt;
    ActFacts facts{g->status, g->resolved_at, g->resolved_by, by, now};
    auto next = Apply(act, facts);
    if (!next) return std::unexpected(next.error());
    const std::string at = FormatTimestamp(now);
    long long gid = id;
    json details{{"from", g->status}, {"to", *next}};
    switch (act) {
      case Act::kReview:
        s.sql() << "UPDATE grievances SET status = :s, reviewer = :b, version = version + 1 WHERE id = :i",
            soci::use(*next), soci::use(by), soci::use(gid);
        break;
      case Act::kResolve:
        // Answered: the deadline stops running.
        s.sql() << "UPDATE grievances SET status = :s, resolved_at = :a, resolved_by = :b, outcome = :o, resolution = "
                   ":r, internal_note = :n, due_at = NULL, version = version + 1 WHERE id = :i",
            soci::use(*next), soci::use(at), soci::use(by), soci::use(in.outcome), soci::use(in.text),
            soci::use(in.internal_note), soci::use(gid);
        details["outcome"] = in.outcome.value_or("");
        break;
      case Act::kAppeal: {
        // The appeal runs on the category's SLA again, from the appeal.
        const std::string due = FormatTimestamp(DueAt(now, static_cast<int>(g->sla_days)));
        s.sql() << "UPDATE grievances SET status = :s, appealed_at = :a, appealed_by = :b, appeal_reason = :r, "
                   "due_at = :d, escalated_at = NULL, version = version + 1 WHERE id = :i",
            soci::use(*next), soci::use(at), soci::use(by), soci::use(in.text), soci::use(due), soci::use(gid);
        details["by_citizen"] = !by.has_value();
        break;
      }
      case Act::kDecideAppeal:
        s.sql() << "UPDATE grievances SET status = :s, appeal_decided_at = :a, appeal_decided_by = :b, appeal_outcome "
                   "= :o, appeal_decision = :r, due_at = NULL, version = version + 1 WHERE id = :i",
            soci::use(*next), soci::use(at), soci::use(by), soci::use(in.outcome), soci::use(in.text), soci::use(gid);
        details["outcome"] = in.outcome.value_or("");
        break;
      case Act::kClose:
        s.sql() << "UPDATE grievances SET status = :s, closed_at = :a, closed_by = :b, due_at = NULL, version = "
                   "version + 1 WHERE id = :i",
            soci::use(*next), soci::use(at), soci::use(by), soci::use(gid);
        break;
    }
    InsertEvent(s, id, at, by, std::string(ActName(act)), details.dump());
    auto after = Load(s, id, std::nullopt, false);
    if (!after) return Failure(Code::kInternal, "grievance.not_found", {{"id", std::to_string(id)}});
    return *after;
  });
}

Result<long long> GrievanceStore::Escalate(TimePoint now, const std::function<Status(db::Session&)>& fence) {
  return db_.InTransaction<long long>([&](db::Session& s) -> Result<long long> {
    if (fence) {
      if (auto st = fence(s); !st) return std::unexpected(st.error());
    }
    const std::string at = FormatTimestamp(now);
    std::vector<std::pair<long long, std::string>> due;
    db::EachRow(
        s.sql(),
        "SELECT id, due_at FROM grievances WHERE status IN ('received', 'under_review', 'appealed') AND due_at < :n "
        "AND escalated_at IS NULL ORDER BY id",
        [&](soci::statement& st) { st.exchange(soci::use(at)); },
        [&](const soci::row& r) { due.emplace_back(db::RowInt(r, 0), r.get<std::string>(1)); });
    long long n = 0;
    for (auto& [id, deadline] : due) {
      // Conditional: a second pass (or a concurrent one) escalates nothing twice.
      soci::statement st = (s.sql().prepare << "UPDATE grievances SET escalated_at = :a, version = version + 1 WHERE "
                                               "id = :i AND escalated_at IS NULL",
                            soci::use(at), soci::use(id));
      st.execute(true);
      if (st.get_affected_rows() == 0) continue;
      InsertEvent(s, id, at, std::nullopt, "escalated",
                  json{{"due_at", deadline}, {"to", "regional_coordinator"}}.dump());
      ++n;
    }
    return n;
  });
}

}  // namespace sanad::grievances
