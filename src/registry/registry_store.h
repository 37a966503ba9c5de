// The registry's stores over one database, wired once and handed to the services together:
//   households  current rows, their versions, person search, the checks of the change service
//   history     field-level history of a household and its members (before and after per field)
//   requests    change requests, their targets and touched communes, decisions
//   staging     bulk import rows staged under their request and applied set-wise
//   benefits    the benefit ledger
//   loader      bulk load of complete rows (demo registries, migration of a legacy registry)
//   rule_inputs what the programme cycles read of each household over time, rebuilt by the writers
// Record types are in registry/records.h. Thread safety: the stores hold no state of their own beyond
// the database, which serves concurrent callers.
#pragma once

#include "db/database.h"
#include "registry/benefit_store.h"
#include "registry/change_request_store.h"
#include "registry/history_store.h"
#include "registry/household_store.h"
#include "registry/load_store.h"
#include "registry/records.h"
#include "registry/rule_inputs.h"
#include "registry/staging_store.h"

namespace sanad::registry {

class RegistryStore {
 public:
  explicit RegistryStore(db::Database& db) : households(db), history(db), requests(db), benefits(db), db_(db) {}
  db::Database& db() { return db_; }

  HouseholdStore households;
  HistoryStore history;
  ChangeRequestStore requests;
  StagingStore staging;
  BenefitStore benefits;
  LoadStore loader;
  RuleInputStore rule_inputs;

 private:
  db::Database& db_;
};

}  // namespace sanad::registry
