// Vital events from a civil registry become change requests of the social registry (docs/crvs.md): a
// death exits the person holding the event's identifier, a birth adds the child to the household of the
// parent holding one of the event's parent identifiers. They are reviewed like any other request; an
// administrator may let a source's exact identifier matches be applied at once. Each event is recorded
// once (a replay is recognised by its reference) with what became of it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "core/time.h"
#include "crvs/crvs_store.h"
#include "crvs/vital_event.h"
#include "registry/change_service.h"

namespace sanad::crvs {

struct Received {
  int events = 0, filed = 0, applied = 0, unmatched = 0, ignored = 0, replayed = 0, refused = 0;
};

class CrvsService {
 public:
  CrvsService(CrvsStore& store, registry::ChangeService& changes, const Clock& clock)
      : store_(store), changes_(changes), clock_(clock) {}

  CrvsStore& store() { return store_; }

  // The events of a notify message from `source`. Errors: kInvalidArgument (malformed message: nothing
  // recorded); an event that cannot be matched or filed is recorded with its reason, never lost.
  Result<Received> Receive(const Source& source, const nlohmann::json& message, const std::string& request_id);

 private:
  struct Outcome {
    std::string outcome;
    std::optional<std::string> reason;
    std::optional<std::int64_t> person_id, household_id, change_request_id;
  };
  Outcome Handle(const Source& source, const VitalEvent& e, const std::string& request_id);

  CrvsStore& store_;
  registry::ChangeService& changes_;
  const Clock& clock_;
};

}  // namespace sanad::crvs
