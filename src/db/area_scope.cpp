#include "db/area_scope.h"

#include <fmt/format.h>

namespace sanad::db {

std::string AreaScopeSql(std::string_view commune_column, std::string_view tag) {
  return fmt::format(
      "(CAST(:{1}1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM area_ancestors {1}x WHERE {1}x.ancestor = :{1}2 "
      "AND {1}x.descendant = {0} AND {1}x.valid_from <= :{1}3 AND {1}x.valid_to > :{1}4))",
      commune_column, tag);
}

void AreaScope::Bind(soci::statement& st) {
  st.exchange(soci::use(area));
  st.exchange(soci::use(area));
  st.exchange(soci::use(day));
  st.exchange(soci::use(day));
}

}  // namespace sanad::db
