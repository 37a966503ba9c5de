#include "empowerment/area_exists.h"

#include "db/row.h"

namespace sanad::empowerment {

bool AreaExistsOn(db::Database& db, const std::string& code, const char* level, const std::string& day) {
  auto s = db.Acquire();
  const std::string lvl = level;
  return db::CountRows(s.sql(),
                       "SELECT COUNT(*) FROM areas WHERE code = :c AND level = :l AND valid_from <= :d "
                       "AND valid_to > :d2",
                       [&](soci::statement& st) {
                         st.exchange(soci::use(code));
                         st.exchange(soci::use(lvl));
                         st.exchange(soci::use(day));
                         st.exchange(soci::use(day));
                       }) > 0;
}

}  // namespace sanad::empowerment
