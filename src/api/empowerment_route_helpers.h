// What the empowerment routes share: the read scope of the signed-in user.
#pragma once

#include "empowerment/registration_store.h"
#include "registry/actor.h"

namespace sanad::api {

// The area and date an empowerment read is limited to: the actor's scope.
inline empowerment::ReadScope ScopeOf(const registry::Actor& a) { return {a.scope.area, a.scope.today}; }

}  // namespace sanad::api
