// SQL of the citizens' pre-registrations (migration 0030): only the tracking code's hash is stored; an
// officer's reads and decisions name the caller's area scope in the query (db::AreaScopeSql over the
// commune the citizen gave).
#include <fmt/format.h>

#include "db/area_scope.h"
#include "db/row.h"
#include "microcredit/microcredit_store.h"

namespace sanad::microcredit {
namespace {

constexpr const char* kColumns =
    "p.id, p.status, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.birth_date, "
    "p.national_id, p.sex, p.wilaya_code, p.commune_code, p.phone, p.education, p.product, p.project_idea, "
    "p.estimated_cost_minor, p.preview, p.application_id, a.state, p.reject_reason, p.decided_by, p.created_at, "
    "p.updated_at FROM microcredit_preregistrations p LEFT JOIN microcredit_applications a ON a.id = "
    "p.application_id";

PreRegistration Read(const soci::row& r) {
  PreRegistration p;
  p.id = db::RowInt(r, 0);
  p.status = db::RowStr(r, 1);
  p.given_name_ar = db::RowOptStr(r, 2);
  p.family_name_ar = db::RowOptStr(r, 3);
  p.given_name_lat = db::RowOptStr(r, 4);
  p.family_name_lat = db::RowOptStr(r, 5);
  p.birth_date = db::RowStr(r, 6);
  p.national_id = db::RowStr(r, 7);
  p.sex = db::RowStr(r, 8);
  p.wilaya_code = db::RowStr(r, 9);
  p.commune_code = db::RowStr(r, 10);
  p.phone = db::RowStr(r, 11);
  p.education = db::RowOptStr(r, 12);
  p.product = db::RowStr(r, 13);
  p.project_idea = db::RowStr(r, 14);
  p.estimated_cost_minor = db::RowInt(r, 15);
  p.preview = ReasonsFromJson(db::RowStr(r, 16));
  if (r.get_indicator(17) != soci::i_null) p.application_id = db::RowInt(r, 17);
  p.application_state = db::RowOptStr(r, 18);
  p.reject_reason = db::RowOptStr(r, 19);
  p.decided_by = db::RowOptStr(r, 20);
  p.created_at = db::RowStr(r, 21);
  p.updated_at = db::RowStr(r, 22);
  return p;
}

}  // namespace

Result<std::optional<std::string>> MicrocreditStore::WilayaOfCommune(const std::string& commune,
                                                                     const std::string& day) {
  return db::Guard([&]() -> Result<std::optional<std::string>> {
    auto s = db_.Acquire();
    std::string c = commune, d1 = day, d2 = day, d3 = day, d4 = day;
    std::optional<std::string> out;
    db::EachRow(
        s.sql(),
        "SELECT (SELECT ap.parent_code FROM area_parents ap WHERE ap.code = a.code AND ap.valid_from <= :d1 AND "
        "ap.valid_to > :d2) FROM areas a WHERE a.code = :c AND a.level = 'commune' AND a.valid_from <= :d3 AND "
        "a.valid_to > :d4",
        [&](soci::statement& st) {
          st.exchange(soci::use(d1));
          st.exchange(soci::use(d2));
          st.exchange(soci::use(c));
          st.exchange(soci::use(d3));
          st.exchange(soci::use(d4));
        },
        [&](const soci::row& r) { out = db::RowStr(r, 0); });
    return out;
  });
}

Result<std::int64_t> MicrocreditStore::InsertPreRegistration(const PreRegistration& p, const std::string& code_hash) {
  return db::Guard([&]() -> Result<std::int64_t> {
    auto s = db_.Acquire();
    long long id = 0, cost = p.estimated_cost_minor;
    const std::string preview = ReasonsToJson(p.preview);
    s.sql() << "INSERT INTO microcredit_preregistrations (code_hash, status, given_name_ar, family_name_ar, "
               "given_name_lat, family_name_lat, birth_date, national_id, sex, wilaya_code, commune_code, phone, "
               "education, product, project_idea, estimated_cost_minor, preview, created_at, updated_at) VALUES (:h, "
               ":s, :ga, :fa, :gl, :fl, :b, :n, :x, :w, :c, :ph, :e, :pr, :i, :m, :pv, :ca, :ua) RETURNING id",
        soci::use(code_hash), soci::use(p.status), soci::use(p.given_name_ar), soci::use(p.family_name_ar),
        soci::use(p.given_name_lat), soci::use(p.family_name_lat), soci::use(p.birth_date), soci::use(p.national_id),
        soci::use(p.sex), soci::use(p.wilaya_code), soci::use(p.commune_code), soci::use(p.phone),
        soci::use(p.education), soci::use(p.product), soci::use(p.project_idea), soci::use(cost), soci::use(preview),
        soci::use(p.created_at), soci::use(p.updated_at), soci::into(id);
    return static_cast<std::int64_t>(id);
  });
}

Result<std::optional<PreRegistration>> MicrocreditStore::PreRegistrationByCode(const std::string& code_hash) {
  return db::Guard([&]() -> Result<std::optional<PreRegistration>> {
    auto s = db_.Acquire();
    std::string h = code_hash;
    std::optional<PreRegistration> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + " WHERE p.code_hash = :h",
        [&](soci::statement& st) { st.exchange(soci::use(h)); }, [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::optional<PreRegistration>> MicrocreditStore::GetPreRegistration(std::int64_t id, const Scope& scope) {
  return db::Guard([&]() -> Result<std::optional<PreRegistration>> {
    auto s = db_.Acquire();
    long long i = id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<PreRegistration> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + " WHERE p.id = :i AND " + db::AreaScopeSql("p.commune_code", "sc"),
        [&](soci::statement& st) {
          st.exchange(soci::use(i));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out = Read(r); });
    return out;
  });
}

Result<std::pair<std::vector<PreRegistration>, std::int64_t>> MicrocreditStore::ListPreRegistrations(
    const Scope& scope, const std::optional<std::string>& status, int limit, int offset) {
  return db::Guard([&]() -> Result<std::pair<std::vector<PreRegistration>, std::int64_t>> {
    auto s = db_.Acquire();
    const std::string where =
        " WHERE (CAST(:s1 AS TEXT) IS NULL OR p.status = :s2) AND " + db::AreaScopeSql("p.commune_code", "sc");
    std::pair<std::vector<PreRegistration>, std::int64_t> out;
    {
      db::AreaScope sc{scope.area, scope.day};
      std::optional<std::string> s1 = status, s2 = status;
      db::EachRow(
          s.sql(),
          std::string("SELECT ") + kColumns + where +
              fmt::format(" ORDER BY p.id DESC LIMIT {} OFFSET {}", limit, offset),
          [&](soci::statement& st) {
            st.exchange(soci::use(s1));
            st.exchange(soci::use(s2));
            sc.Bind(st);
          },
          [&](const soci::row& r) { out.first.push_back(Read(r)); });
    }
    db::AreaScope sc{scope.area, scope.day};
    std::optional<std::string> s1 = status, s2 = status;
    out.second =
        db::CountRows(s.sql(), "SELECT COUNT(*) FROM microcredit_preregistrations p" + where, [&](soci::statement& st) {
          st.exchange(soci::use(s1));
          st.exchange(soci::use(s2));
          sc.Bind(st);
        });
    return out;
  });
}

Result<bool> MicrocreditStore::ClaimPreRegistration(std::int64_t id, const std::string& by, const std::string& at) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id;
    soci::statement st = (s.sql().prepare << "UPDATE microcredit_preregistrations SET status = 'converted', "
                                             "decided_by = :b, updated_at = :t WHERE id = :i AND status = 'received'",
                          soci::use(by), soci::use(at), soci::use(i));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Status MicrocreditStore::ReleasePreRegistration(std::int64_t id, const std::string& at) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long i = id;
    s.sql() << "UPDATE microcredit_preregistrations SET status = 'received', decided_by = NULL, updated_at = :t "
               "WHERE id = :i AND status = 'converted' AND application_id IS NULL",
        soci::use(at), soci::use(i);
    return Ok();
  });
}

Status MicrocreditStore::LinkPreRegistration(std::int64_t id, std::int64_t application_id) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long i = id, a = application_id;
    s.sql() << "UPDATE microcredit_preregistrations SET application_id = :a WHERE id = :i", soci::use(a), soci::use(i);
    return Ok();
  });
}

Result<bool> MicrocreditStore::RejectPreRegistration(std::int64_t id, const std::string& reason, const std::string& by,
                                                     const std::string& at) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id;
    soci::statement st =
        (s.sql().prepare << "UPDATE microcredit_preregistrations SET status = 'rejected', reject_reason = :r, "
                            "decided_by = :b, updated_at = :t WHERE id = :i AND status = 'received'",
         soci::use(reason), soci::use(by), soci::use(at), soci::use(i));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<bool> MicrocreditStore::AddPreRegistrationNote(std::int64_t id, const Scope& scope, bool is_public,
                                                      const std::string& body, const std::string& by,
                                                      const std::string& at) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long i = id, pub = is_public ? 1 : 0;
    db::AreaScope sc{scope.area, scope.day};
    std::string b = body, w = by, t = at;
    // Written only when the pre-registration lies in the caller's scope (the condition in the query).
    soci::statement st(s.sql());
    st.alloc();
    st.prepare(
        "INSERT INTO microcredit_preregistration_notes (preregistration_id, is_public, body, written_by, "
        "written_at) SELECT p.id, CAST(:pub AS BIGINT), :b, :w, :t FROM microcredit_preregistrations p WHERE p.id = :i "
        "AND " +
        db::AreaScopeSql("p.commune_code", "sc"));
    st.exchange(soci::use(pub));
    st.exchange(soci::use(b));
    st.exchange(soci::use(w));
    st.exchange(soci::use(t));
    st.exchange(soci::use(i));
    sc.Bind(st);
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
}

Result<std::vector<MicrocreditStore::PreNote>> MicrocreditStore::PreRegistrationNotes(std::int64_t id,
                                                                                      bool public_only) {
  return db::Guard([&]() -> Result<std::vector<PreNote>> {
    auto s = db_.Acquire();
    long long i = id, only = public_only ? 1 : 0;
    std::vector<PreNote> out;
    db::EachRow(
        s.sql(),
        "SELECT id, is_public, body, written_by, written_at FROM microcredit_preregistration_notes WHERE "
        "preregistration_id = :i AND (:o = 0 OR is_public = 1) ORDER BY id",
        [&](soci::statement& st) {
          st.exchange(soci::use(i));
          st.exchange(soci::use(only));
        },
        [&](const soci::row& r) {
          out.push_back(
              {db::RowInt(r, 0), db::RowInt(r, 1) != 0, db::RowStr(r, 2), db::RowStr(r, 3), db::RowStr(r, 4)});
        });
    return out;
  });
}

}  // namespace sanad::microcredit
