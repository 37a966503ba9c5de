#include "cases/case_visibility_sql.h"

namespace sanad::cases {

std::string VisibleSql() {
  return "(c.owner = :vu1 OR EXISTS (SELECT 1 FROM case_shares cs WHERE cs.case_id = c.id AND cs.username = :vu2) "
         "OR " +
         db::AreaScopeSql("c.commune_code", "vs") + ")";
}

}  // namespace sanad::cases
