// CaseStore::DropoutCandidates: children of school age the registry shows out of school, in the caller's
// area, with the open case that already follows them (a read of registry persons, apart from the cases'
// own lifecycle in case_store.cpp).
#include <fmt/format.h>

#include "cases/case_store.h"
#include "db/area_scope.h"
#include "db/row.h"

namespace sanad::cases {

Result<std::vector<DropoutCandidate>> CaseStore::DropoutCandidates(const Access& who, const std::string& today,
                                                                   std::size_t limit) {
  return db::Guard([&]() -> Result<std::vector<DropoutCandidate>> {
    auto s = db_.Acquire();
    // Birth dates as ISO text compare as dates: born after today − 16 years (not yet 16) and on or
    // before today − 6 years (6 or more).
    const int year = std::stoi(today.substr(0, 4));
    const std::string md = today.substr(4);
    const std::string youngest = fmt::format("{:04d}{}", year - 6, md);
    const std::string oldest = fmt::format("{:04d}{}", year - 16, md);
    db::AreaScope sc{who.area, who.day};
    std::vector<DropoutCandidate> out;
    db::EachRow(
        s.sql(),
        "SELECT p.id, p.household_id, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, "
        "p.birth_date, p.schooling, h.commune_code, (SELECT MIN(c.id) FROM cases c WHERE c.status = 'open' AND "
        "(c.person_id = p.id OR c.household_id = p.household_id)) FROM persons p JOIN households h ON h.id = "
        "p.household_id WHERE p.status = 'active' AND p.schooling IN ('none', 'out_of_school') AND p.birth_date > :o "
        "AND p.birth_date <= :y AND " +
            db::AreaScopeSql("h.commune_code", "sc") + " ORDER BY p.id LIMIT " + std::to_string(limit),
        [&](soci::statement& st) {
          st.exchange(soci::use(oldest));
          st.exchange(soci::use(youngest));
          sc.Bind(st);
        },
        [&](const soci::row& r) {
          DropoutCandidate d;
          d.person_id = db::RowInt(r, 0);
          d.household_id = db::RowInt(r, 1);
          d.given_name_ar = db::RowOptStr(r, 2);
          d.family_name_ar = db::RowOptStr(r, 3);
          d.given_name_lat = db::RowOptStr(r, 4);
          d.family_name_lat = db::RowOptStr(r, 5);
          d.birth_date = db::RowOptStr(r, 6).value_or("");
          d.schooling = db::RowOptStr(r, 7).value_or("");
          d.commune_code = r.get<std::string>(8);
          d.open_case_id = db::RowOptInt(r, 9);
          out.push_back(std::move(d));
        });
    return out;
  });
}

}  // namespace sanad::cases
