#include "names/person_name_store.h"

#include <soci/soci.h>

#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::names {

namespace {

constexpr const char* kSelect =
    "SELECT p.id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, h.commune_code, p.status "
    "FROM persons p JOIN households h ON h.id = p.household_id";

PersonNameRow Read(const soci::row& r) {
  auto str = [&](std::size_t i) { return db::RowOptStr(r, i).value_or(""); };
  PersonNameRow p;
  p.names.id = db::RowInt(r, 0);
  p.names.given_ar = str(1);
  p.names.family_ar = str(2);
  p.names.given_lat = str(3);
  p.names.family_lat = str(4);
  p.names.commune_code = str(5);
  p.active = str(6) == "active";
  return p;
}

// Ids are integers from the caller: a list of literals is safe and portable.
std::string IdList(const std::vector<std::int64_t>& ids) {
  std::string in;
  for (auto id : ids) in += (in.empty() ? "" : ",") + std::to_string(id);
  return in;
}

}  // namespace

Result<std::vector<search::PersonNames>> PersonNameStore::ActivePersons() {
  return db::Guard([&]() -> Result<std::vector<search::PersonNames>> {
    auto s = db_.Acquire();
    std::vector<search::PersonNames> all;
    soci::rowset<soci::row> rs = (s.sql().prepare << std::string(kSelect) + " WHERE p.status = 'active'");
    for (const auto& r : rs) all.push_back(Read(r).names);
    return all;
  });
}

Result<std::vector<PersonNameRow>> PersonNameStore::Persons(const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::vector<PersonNameRow>{};
  return db::Guard([&]() -> Result<std::vector<PersonNameRow>> {
    auto s = db_.Acquire();
    std::vector<PersonNameRow> out;
    soci::rowset<soci::row> rs = (s.sql().prepare << std::string(kSelect) + " WHERE p.id IN (" + IdList(ids) + ")");
    for (const auto& r : rs) out.push_back(Read(r));
    return out;
  });
}

Result<std::vector<std::int64_t>> PersonNameStore::MembersOf(const std::vector<std::int64_t>& household_ids) {
  if (household_ids.empty()) return std::vector<std::int64_t>{};
  return db::Guard([&]() -> Result<std::vector<std::int64_t>> {
    auto s = db_.Acquire();
    std::vector<std::int64_t> out;
    soci::rowset<soci::row> rs =
        (s.sql().prepare << "SELECT id FROM persons WHERE household_id IN (" + IdList(household_ids) + ")");
    for (const auto& r : rs) out.push_back(db::RowInt(r, 0));
    return out;
  });
}

Result<std::vector<std::string>> PersonNameStore::AreasUnder(const std::string& area, const std::string& day) {
  return db::Guard([&]() -> Result<std::vector<std::string>> {
    auto s = db_.Acquire();
    db::AreaScope scope{area, day};
    std::string code;
    soci::statement st(s.sql());
    st.alloc();
    st.prepare("SELECT DISTINCT d.descendant FROM area_ancestors d WHERE " + db::AreaScopeSql("d.descendant", "sc"));
    st.exchange(soci::into(code));
    scope.Bind(st);
    st.define_and_bind();
    std::vector<std::string> out;
    if (st.execute(true)) {
      do {
        out.push_back(code);
      } while (st.fetch());
    }
    return out;
  });
}

}  // namespace sanad::names
