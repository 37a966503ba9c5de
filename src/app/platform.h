// The composition root: opens the database, migrates it, loads reference data and wires the
// services. Every subcommand builds what it needs from here; nothing else constructs services.
#pragma once

#include <memory>
#include <string>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "core/time.h"
#include "db/database.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"

namespace sanad::app {

// Where reference data (data/) and the built web app (web/dist) are found when no flag says.
std::string DefaultDataDir();
std::string DefaultWebRoot();

struct Platform {
  std::unique_ptr<db::Database> db;
  SystemClock clock;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::AuthStore> auth_store;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<areas::AreaStore> areas;
  std::unique_ptr<registry::RegistryStore> registry;
  std::unique_ptr<registry::ChangeService> changes;
  std::unique_ptr<registry::BenefitLedger> benefits;
};

struct OpenOptions {
  std::string db_url;
  std::string data_dir;
  std::size_t pool_size = 8;
  bool migrate = true;  // apply migrations and (re)load reference areas when they changed
};

Result<std::unique_ptr<Platform>> OpenPlatform(const OpenOptions& options);

}  // namespace sanad::app
