// DedupStore: external beneficiary lists and the cross-programme check.
#include "dedup/dedup_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "db/row.h"
#include "dedup/store_sql.h"

namespace sanad::dedup {

using namespace internal;

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
        l.name = db::RowStr(r, 1);
        l.programme = db::RowStr(r, 2);
        l.area_code = db::RowOptStr(r, 3);
        l.uploaded_by = db::RowStr(r, 4);
        l.uploaded_at = db::RowStr(r, 5);
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
    const long long total = db::CountRows(s.sql(), "SELECT COUNT(*)" + where, bind);
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
          c.household_ref = db::RowStr(r, 2);
          c.commune_code = db::RowStr(r, 3);
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
