// Internal SQL fragment of the cases module (its own stores include it): the one condition "the
// caller may see this case" of cases and placements: the case is theirs, was referred to them, or lies
// in their area.
#pragma once

#include <soci/soci.h>
#include <string>

#include "cases/case_store.h"
#include "db/area_scope.h"

namespace sanad::cases {

// Over the alias `c` of table cases. Placeholders :vu1, :vu2 and the four of the area scope "vs",
// bound by VisibleBinding::Bind in that order.
std::string VisibleSql();

struct VisibleBinding {
  std::string user;
  db::AreaScope scope;
  explicit VisibleBinding(const Access& a) : user(a.username), scope{a.area, a.day} {}
  void Bind(soci::statement& st) {
    st.exchange(soci::use(user));
    st.exchange(soci::use(user));
    scope.Bind(st);
  }
};

}  // namespace sanad::cases
