// The area-scope condition every store puts in its SQL: "no area, or the commune lies under the area on
// the day" over the dated closure table area_ancestors (a scope follows dated parent links, e.g. the
// Algerian wilayas created in 2027). One definition for every store that lists, reads or decides
// within a caller's area.
#pragma once

#include <soci/soci.h>
#include <optional>
#include <string>
#include <string_view>

#include "db/soci_optional.h"

namespace sanad::db {

// "(:<tag>1 IS NULL OR EXISTS (… area_ancestors … <commune_column> … on :<tag>3/:<tag>4))": four
// placeholders named after `tag` (distinct per condition in one statement), bound by AreaScope::Bind.
std::string AreaScopeSql(std::string_view commune_column, std::string_view tag);

// The values of one AreaScopeSql condition. They must outlive the statement they are bound to.
struct AreaScope {
  std::optional<std::string> area;  // nullopt: national (no restriction)
  std::string day;                  // YYYY-MM-DD
  void Bind(soci::statement& st);
};

}  // namespace sanad::db
