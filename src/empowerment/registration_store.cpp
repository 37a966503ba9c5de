#include "empowerment/registration_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"
#include "empowerment/area_exists.h"

namespace sanad::empowerment {
namespace {

constexpr const char* kColumns =
    "r.id, r.status, r.kind, r.ae_number, r.cooperative_id, c.name, c.registration_number, c.sector, "
    "r.given_name_ar, r.family_name_ar, r.given_name_lat, r.family_name_lat, r.birth_date, r.national_id, r.phone, "
    "r.commune_code, r.education, r.situations, r.skills, r.project_idea, r.person_id, r.person_probability, "
    "r.created_at, r.updated_at, r.completed_at, r.version";
constexpr const char* kFrom =
    " FROM empowerment_registrations r LEFT JOIN empowerment_cooperatives c ON c.id = r.cooperative_id ";

std::vector<std::string> JsonList(const std::string& text) {
  std::vector<std::string> out;
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_array()) return out;
  for (const auto& v : j)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

StoredRegistration Read(const soci::row& row) {
  StoredRegistration s;
  s.id = db::RowInt(row, 0);
  s.status = row.get<std::string>(1);
  Registration& r = s.registration;
  r.kind = row.get<std::string>(2);
  r.ae_number = db::RowOptStr(row, 3);
  s.cooperative_id = db::RowOptInt(row, 4);
  if (s.cooperative_id) {
    r.cooperative =
        Cooperative{db::RowOptStr(row, 5).value_or(""), db::RowOptStr(row, 6).value_or(""), db::RowOptStr(row, 7)};
  }
  r.given_name_ar = db::RowOptStr(row, 8);
  r.family_name_ar = db::RowOptStr(row, 9);
  r.given_name_lat = db::RowOptStr(row, 10);
  r.family_name_lat = db::RowOptStr(row, 11);
  r.birth_date = row.get<std::string>(12);
  r.national_id = db::RowOptStr(row, 13);
  r.phone = row.get<std::string>(14);
  r.commune_code = row.get<std::string>(15);
  r.education = db::RowOptStr(row, 16);
  r.situations = JsonList(row.get<std::string>(17));
  r.skills = JsonList(row.get<std::string>(18));
  r.project_idea = db::RowOptStr(row, 19);
  s.person_id = db::RowOptInt(row, 20);
  if (row.get_indicator(21) == soci::i_ok) s.person_probability = db::RowDouble(row, 21);
  s.created_at = row.get<std::string>(22);
  s.updated_at = row.get<std::string>(23);
  s.completed_at = db::RowOptStr(row, 24);
  s.version = db::RowInt(row, 25);
  return s;
}

Identity ReadIdentity(const soci::row& row) {
  Identity p;
  p.id = db::RowInt(row, 0);
  p.given_ar = db::RowOptStr(row, 1).value_or("");
  p.family_ar = db::RowOptStr(row, 2).value_or("");
  p.given_lat = db::RowOptStr(row, 3).value_or("");
  p.family_lat = db::RowOptStr(row, 4).value_or("");
  p.birth_date = db::RowOptStr(row, 5).value_or("");
  p.commune_code = db::RowOptStr(row, 6).value_or("");
  p.national_id = db::RowOptStr(row, 7).value_or("");
  p.phone = db::RowOptStr(row, 8).value_or("");
  return p;
}

// The cooperative named by its registration number, created the first time a member names it.
std::optional<long long> CooperativeId(soci::session& sql, const Registration& r, const std::string& now) {
  if (!r.cooperative) return std::nullopt;
  long long id = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT id FROM empowerment_cooperatives WHERE registration_number = :n",
      soci::use(r.cooperative->registration_number), soci::into(id, ind);
  if (sql.got_data() && ind == soci::i_ok) return id;
  sql << "INSERT INTO empowerment_cooperatives (registration_number, name, sector, commune_code, created_at) "
         "VALUES (:n, :na, :s, :c, :at) RETURNING id",
      soci::use(r.cooperative->registration_number), soci::use(r.cooperative->name), soci::use(r.cooperative->sector),
      soci::use(r.commune_code), soci::use(now), soci::into(id);
  return id;
}

// `replace`: an updated registration's earlier findings go first (a new one has none).
void WriteDuplicates(soci::session& sql, long long id, const Findings& f, const std::string& now, bool replace) {
  if (replace) sql << "DELETE FROM empowerment_duplicates WHERE registration_id = :id", soci::use(id);
  for (const auto& m : f.duplicates) {
    long long other = m.id;
    double p = m.probability;
    sql << "INSERT INTO empowerment_duplicates (registration_id, other_id, probability, found_at) "
           "VALUES (:r, :o, :p, :at)",
        soci::use(id), soci::use(other), soci::use(p), soci::use(now);
  }
}

// Registrations within `range` (SQL on `id`, bound by `bind_range`) sharing a blocking key of the duplicate
// check with `probe` (docs/empowerment.md): the family-name key, or the given-name key and birth date, or
// the national id, or the phone; at most 200, oldest first. An empty key or id blocks nothing (NULL equals
// nothing).
std::vector<Identity> Candidates(soci::session& sql, const std::string& range, const Identity& probe,
                                 const std::string& given_key, const std::string& family_key,
                                 const std::function<void(soci::statement&)>& bind_range) {
  std::vector<Identity> out;
  auto key = [](const std::string& v) { return v.empty() ? std::nullopt : std::optional<std::string>(v); };
  const std::optional<std::string> nid = key(probe.national_id), fk = key(family_key), gk = key(given_key);
  db::EachRow(
      sql,
      "SELECT id, given_name_ar, family_name_ar, given_name_lat, family_name_lat, birth_date, commune_code, "
      "national_id, phone FROM empowerment_registrations WHERE " +
          range +
          " AND (family_key = :fk OR (given_key = :gk AND birth_date = :bd) OR national_id = :nid OR phone = :ph) "
          "ORDER BY id LIMIT 200",
      [&](soci::statement& st) {
        bind_range(st);
        st.exchange(soci::use(fk));
        st.exchange(soci::use(gk));
        st.exchange(soci::use(probe.birth_date));
        st.exchange(soci::use(nid));
        st.exchange(soci::use(probe.phone));
      },
      [&](const soci::row& r) { out.push_back(ReadIdentity(r)); });
  return out;
}

}  // namespace

Result<bool> RegistrationStore::CommuneExists(const std::string& code, const std::string& day) {
  return db::Guard([&]() -> Result<bool> { return AreaExistsOn(db_, code, "commune", day); });
}

Result<std::vector<Identity>> RegistrationStore::RegistrationCandidates(const Identity& probe,
                                                                        const std::string& given_key,
                                                                        const std::string& family_key,
                                                                        std::int64_t except) {
  return db::Guard([&]() -> Result<std::vector<Identity>> {
    auto s = db_.Acquire();
    long long ex = except;
    return Candidates(s.sql(), "(:ex = 0 OR id < :ex2)", probe, given_key, family_key, [&](soci::statement& st) {
      st.exchange(soci::use(ex));
      st.exchange(soci::use(ex));
    });
  });
}

Result<std::int64_t> RegistrationStore::LastRegistrationId() {
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    return static_cast<std::int64_t>(
        db::CountRows(s.sql(), "SELECT COALESCE(MAX(id), 0) FROM empowerment_registrations", [](soci::statement&) {}));
  });
}

Result<std::vector<Identity>> RegistrationStore::PersonCandidates(const Identity& probe,
                                                                  std::span<const std::int64_t> ids) {
  return db::Guard([&]() -> Result<std::vector<Identity>> {
    auto s = db_.Acquire();
    std::vector<Identity> out;
    const std::string columns =
        "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.birth_date, "
        "h.commune_code, p.national_id, p.phone FROM persons p JOIN households h ON h.id = p.household_id "
        "WHERE p.status = 'active' AND ";
    const std::optional<std::string> nid =
        probe.national_id.empty() ? std::nullopt : std::optional<std::string>(probe.national_id);
    db::EachRow(
        s.sql(), columns + "(p.national_id = :nid OR p.phone = :ph) ORDER BY p.id LIMIT 50",
        [&](soci::statement& st) {
          st.exchange(soci::use(nid));
          st.exchange(soci::use(probe.phone));
        },
        [&](const soci::row& r) { out.push_back(ReadIdentity(r)); });
    // The name index's hits not found above, in one query (one round trip, one statement to prepare).
    std::vector<long long> more;
    for (std::int64_t id : ids) {
      if (std::none_of(out.begin(), out.end(), [id](const Identity& p) { return p.id == id; })) more.push_back(id);
    }
    if (!more.empty()) {
      std::string in;
      for (std::size_t i = 0; i < more.size(); ++i) in += (i ? ", :id" : ":id") + std::to_string(i);
      db::EachRow(
          s.sql(), columns + "p.id IN (" + in + ") ORDER BY p.id",
          [&](soci::statement& st) {
            for (auto& id : more) st.exchange(soci::use(id));
          },
          [&](const soci::row& r) { out.push_back(ReadIdentity(r)); });
    }
    return out;
  });
}

Result<std::vector<std::int64_t>> RegistrationStore::InsertBatch(std::vector<NewRegistration>& batch,
                                                                 const Recheck& recheck) {
  using Ids = std::vector<std::int64_t>;
  return db_.InTransaction<Ids>([&](db::Session& s) -> Result<Ids> {
    auto& sql = s.sql();
    // One batch at a time across app servers, so that ids grow in commit order and a check's `seen` mark
    // splits what it read from what its batch must look at again (SQLite: BEGIN IMMEDIATE already is).
    if (s.dialect() == db::Dialect::kPostgres) sql << "SELECT pg_advisory_xact_lock(7261038)";
    Ids ids;
    ids.reserve(batch.size());
    for (auto& item : batch) {
      const Registration& r = item.registration;
      Findings& f = item.findings;
      long long seen = item.seen;
      recheck(item, Candidates(sql, "id > :seen", item.probe, f.given_key, f.family_key,
                               [&](soci::statement& st) { st.exchange(soci::use(seen)); }));
      const std::string& now = item.now;
      const std::optional<long long> coop = CooperativeId(sql, r, now);
      const std::string situations = nlohmann::json(r.situations).dump();
      const std::string skills = nlohmann::json(r.skills).dump();
      const std::optional<long long> person = f.person ? std::optional<long long>(f.person->id) : std::nullopt;
      const std::optional<double> person_p = f.person ? std::optional<double>(f.person->probability) : std::nullopt;
      const std::optional<std::string> completed =
          f.status == "complete" ? std::optional<std::string>(now) : std::nullopt;
      long long id = 0;
      sql << "INSERT INTO empowerment_registrations (code_hash, status, kind, ae_number, cooperative_id, "
             "given_name_ar, family_name_ar, given_name_lat, family_name_lat, given_key, family_key, birth_date, "
             "national_id, phone, commune_code, education, situations, skills, project_idea, person_id, "
             "person_probability, created_at, updated_at, completed_at, version) VALUES (:h, :st, :k, :ae, :co, "
             ":ga, :fa, :gl, :fl, :gk, :fk, :bd, :ni, :ph, :cc, :ed, :si, :sk, :pi, :pe, :pp, :at, :at2, :ca, 1) "
             "RETURNING id",
          soci::use(item.code_hash), soci::use(f.status), soci::use(r.kind), soci::use(r.ae_number), soci::use(coop),
          soci::use(r.given_name_ar), soci::use(r.family_name_ar), soci::use(r.given_name_lat),
          soci::use(r.family_name_lat), soci::use(f.given_key), soci::use(f.family_key), soci::use(r.birth_date),
          soci::use(r.national_id), soci::use(r.phone), soci::use(r.commune_code), soci::use(r.education),
          soci::use(situations), soci::use(skills), soci::use(r.project_idea), soci::use(person), soci::use(person_p),
          soci::use(now), soci::use(now), soci::use(completed), soci::into(id);
      WriteDuplicates(sql, id, f, now, /*replace=*/false);
      ids.push_back(static_cast<std::int64_t>(id));
    }
    return ids;
  });
}

Status RegistrationStore::Update(std::int64_t id, std::int64_t expected_version, const Registration& r,
                                 const Findings& f, const std::string& now) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long rid = id, version = expected_version;
    const std::optional<long long> coop = CooperativeId(sql, r, now);
    const std::string situations = nlohmann::json(r.situations).dump();
    const std::string skills = nlohmann::json(r.skills).dump();
    const std::optional<long long> person = f.person ? std::optional<long long>(f.person->id) : std::nullopt;
    const std::optional<double> person_p = f.person ? std::optional<double>(f.person->probability) : std::nullopt;
    const std::optional<std::string> completed =
        f.status == "complete" ? std::optional<std::string>(now) : std::nullopt;
    soci::statement st =
        (sql.prepare
             << "UPDATE empowerment_registrations SET status = :st, kind = :k, ae_number = :ae, "
                "cooperative_id = :co, given_name_ar = :ga, family_name_ar = :fa, given_name_lat = :gl, "
                "family_name_lat = :fl, given_key = :gk, family_key = :fk, birth_date = :bd, national_id = :ni, "
                "phone = :ph, commune_code = :cc, education = :ed, situations = :si, skills = :sk, "
                "project_idea = :pi, person_id = :pe, person_probability = :pp, updated_at = :at, "
                "completed_at = COALESCE(completed_at, :ca), version = version + 1 "
                "WHERE id = :id AND version = :v",
         soci::use(f.status), soci::use(r.kind), soci::use(r.ae_number), soci::use(coop), soci::use(r.given_name_ar),
         soci::use(r.family_name_ar), soci::use(r.given_name_lat), soci::use(r.family_name_lat), soci::use(f.given_key),
         soci::use(f.family_key), soci::use(r.birth_date), soci::use(r.national_id), soci::use(r.phone),
         soci::use(r.commune_code), soci::use(r.education), soci::use(situations), soci::use(skills),
         soci::use(r.project_idea), soci::use(person), soci::use(person_p), soci::use(now), soci::use(completed),
         soci::use(rid), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return Failure(Code::kConflict, "empowerment.registration_changed", {}, "tracking_code");
    }
    WriteDuplicates(sql, rid, f, now, /*replace=*/true);
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::optional<StoredRegistration>> RegistrationStore::FindByCode(const std::string& code_hash) {
  return db::Guard([&]() -> Result<std::optional<StoredRegistration>> {
    auto s = db_.Acquire();
    std::optional<StoredRegistration> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + kFrom + "WHERE r.code_hash = :h",
        [&](soci::statement& st) { st.exchange(soci::use(code_hash)); }, [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::optional<StoredRegistration>> RegistrationStore::Get(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<StoredRegistration>> {
    auto s = db_.Acquire();
    long long rid = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<StoredRegistration> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns + kFrom + "WHERE r.id = :id AND " + db::AreaScopeSql("r.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(rid));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::pair<std::vector<StoredRegistration>, long long>> RegistrationStore::List(const ReadScope& scope,
                                                                                      const ListFilter& filter) {
  return db::Guard([&]() -> Result<std::pair<std::vector<StoredRegistration>, long long>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::string where =
        "WHERE " + db::AreaScopeSql("r.commune_code", "sc") + " AND (CAST(:st1 AS TEXT) IS NULL OR r.status = :st2)";
    if (filter.duplicates_only) {
      where +=
          " AND (EXISTS (SELECT 1 FROM empowerment_duplicates d WHERE d.registration_id = r.id) OR EXISTS "
          "(SELECT 1 FROM empowerment_duplicates d2 WHERE d2.other_id = r.id))";
    }
    auto bind = [&](soci::statement& st) {
      sc.Bind(st);
      st.exchange(soci::use(filter.status));
      st.exchange(soci::use(filter.status));
    };
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + std::string(kFrom) + where, bind);
    std::vector<StoredRegistration> out;
    const std::string page =
        " ORDER BY r.id DESC LIMIT " + std::to_string(filter.limit) + " OFFSET " + std::to_string(filter.offset);
    db::EachRow(s.sql(), std::string("SELECT ") + kColumns + kFrom + where + page, bind,
                [&](const soci::row& r) { out.push_back(Read(r)); });
    return std::pair{std::move(out), total};
  });
}

Result<std::vector<DuplicateRow>> RegistrationStore::Duplicates(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<DuplicateRow>> {
    auto s = db_.Acquire();
    long long rid = id, rid2 = id;
    db::AreaScope sc{scope.area, scope.day};
    std::vector<DuplicateRow> out;
    db::EachRow(
        s.sql(),
        "SELECT o.id, d.probability, d.found_at FROM empowerment_duplicates d JOIN empowerment_registrations o ON "
        "o.id = CASE WHEN d.registration_id = :a THEN d.other_id ELSE d.registration_id END "
        "WHERE (d.registration_id = :a2 OR d.other_id = :a3) AND " +
            db::AreaScopeSql("o.commune_code", "sc") + " ORDER BY d.probability DESC, o.id",
        [&](soci::statement& st) {
          st.exchange(soci::use(rid));
          st.exchange(soci::use(rid2));
          st.exchange(soci::use(rid));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowDouble(r, 1), r.get<std::string>(2)});
        });
    return out;
  });
}

Result<std::vector<Note>> RegistrationStore::Notes(std::int64_t id, bool public_only) {
  return db::Guard([&]() -> Result<std::vector<Note>> {
    auto s = db_.Acquire();
    long long rid = id;
    int only = public_only ? 1 : 0;
    std::vector<Note> out;
    db::EachRow(
        s.sql(),
        "SELECT id, is_public, body, written_at, written_by FROM empowerment_notes WHERE registration_id = :r AND "
        "(:o = 0 OR is_public = 1) ORDER BY id",
        [&](soci::statement& st) {
          st.exchange(soci::use(rid));
          st.exchange(soci::use(only));
        },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), db::RowInt(r, 1) == 1, r.get<std::string>(2), r.get<std::string>(3),
                         r.get<std::string>(4)});
        });
    return out;
  });
}

Result<Note> RegistrationStore::AddNote(std::int64_t id, const ReadScope& scope, bool is_public,
                                        const std::string& body, const std::string& now, const std::string& by) {
  auto found = Get(id, scope);
  if (!found) return std::unexpected(found.error());
  if (!*found) return Failure(Code::kNotFound, "empowerment.registration_not_found", {}, "id");
  return db_.InTransaction<Note>([&](db::Session& s) -> Result<Note> {
    long long rid = id, note = 0;
    int pub = is_public ? 1 : 0;
    s.sql() << "INSERT INTO empowerment_notes (registration_id, is_public, body, written_at, written_by) VALUES "
               "(:r, :p, :b, :at, :by) RETURNING id",
        soci::use(rid), soci::use(pub), soci::use(body), soci::use(now), soci::use(by), soci::into(note);
    return Note{note, is_public, body, now, by};
  });
}

Result<std::vector<CooperativeRow>> RegistrationStore::Cooperatives(const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<CooperativeRow>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<CooperativeRow> out;
    db::EachRow(
        s.sql(),
        "SELECT c.id, c.registration_number, c.name, c.sector, c.commune_code, (SELECT COUNT(*) FROM "
        "empowerment_registrations r WHERE r.cooperative_id = c.id) FROM empowerment_cooperatives c WHERE " +
            db::AreaScopeSql("c.commune_code", "sc") + " ORDER BY c.name, c.id",
        [&](soci::statement& st) { sc.Bind(st); },
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), r.get<std::string>(1), r.get<std::string>(2), db::RowOptStr(r, 3),
                         r.get<std::string>(4), db::RowInt(r, 5)});
        });
    return out;
  });
}

}  // namespace sanad::empowerment
