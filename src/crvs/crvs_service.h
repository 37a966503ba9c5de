// Vital events from a civil registry become change requests of the social registry (docs/crvs.md): a
// death exits the person holding the event's identifier, a birth adds the child to the household of the
// parent holding one of the event's parent identifiers, or of the mother found by record linkage when
// Sanad holds neither identifier (her civil record's names and birth date against the registry's
// persons: filed for a reviewer with the match probability, never applied automatically). They are reviewed like any
// other request; an administrator may let a source's exact identifier matches be applied at once. Each event is
// recorded once (a replay is recognised by its reference) with what became of it.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

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

  // How a birth's mother is found when Sanad holds no parent identifier: her person at the civil
  // registry (a sync search of the parent's identifier, nullopt when it holds nobody), then the ranked
  // ids of the registry's persons whose names resemble hers (the name index, national). Unset: births
  // are matched by identifier only.
  struct MotherLinkage {
    std::function<Result<std::optional<CivilPerson>>(const Source&, const std::string& uin)> civil_person;
    std::function<Result<std::vector<std::int64_t>>(const std::string& name)> name_hits;
  };
  void SetMotherLinkage(MotherLinkage l) { linkage_ = std::move(l); }

  // The events of a notify message from `source`. Errors: kInvalidArgument (malformed message: nothing
  // recorded); an event that cannot be matched or filed is recorded with its reason, never lost.
  Result<Received> Receive(const Source& source, const nlohmann::json& message, const std::string& request_id);

 private:
  struct Outcome {
    std::string outcome;
    std::optional<std::string> reason;
    std::optional<std::int64_t> person_id, household_id, change_request_id;
    std::optional<double> match_probability;  // the mother found by record linkage
    std::optional<std::string> candidates;    // JSON [{person_id, probability}] scored for her
  };
  Outcome Handle(const Source& source, const VitalEvent& e, const std::string& request_id);
  // The mother by record linkage; sets o.match_probability / o.candidates. nullopt: not found (the
  // reason in o.reason), or more than one woman resembles her.
  std::optional<registry::PersonRecord> LinkMother(const Source& source, const VitalEvent& e,
                                                   const registry::Scope& scope, Outcome& o);

  CrvsStore& store_;
  registry::ChangeService& changes_;
  const Clock& clock_;
  MotherLinkage linkage_;
};

}  // namespace sanad::crvs
