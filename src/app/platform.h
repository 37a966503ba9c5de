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
#include "empowerment/application_store.h"
#include "empowerment/call_store.h"
#include "empowerment/registration_store.h"
#include "payments/payment_store.h"
#include "programs/programme_catalogue.h"
#include "registry/benefit_ledger.h"
#include "registry/change_service.h"
#include "registry/registry_store.h"
#include "targeting/score_store.h"

namespace sanad::app {

// Where reference data and the built web app are found when no setting says: next to the installed
// binary (PREFIX/bin/sanad → PREFIX/share/sanad/{data,web}), else, for a binary built in a checkout,
// the source tree's data/ and web/dist.
std::string DefaultDataDir();
std::string DefaultWebRoot();

// The database of a command: its URL and, for PostgreSQL, where the password comes from (a file
// readable by the service user only, or $SANAD_DB_PASSWORD; see app/config.h).
struct DatabaseOptions {
  DatabaseOptions(std::string database_url = {})
      : url(std::move(database_url)) {}  // NOLINT: a URL is a DatabaseOptions
  std::string url;
  std::string password_file;
};

struct Platform {
  std::unique_ptr<db::Database> db;
  SystemClock system_clock;
  const Clock* clock = &system_clock;  // OpenOptions::clock when one was given
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::AuthStore> auth_store;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<areas::AreaStore> areas;
  std::unique_ptr<registry::RegistryStore> registry;
  std::unique_ptr<registry::ChangeService> changes;
  std::unique_ptr<registry::BenefitLedger> benefits;
  std::unique_ptr<targeting::ScoreStore> scores;
  std::unique_ptr<programs::ProgrammeStore> programme_store;
  std::unique_ptr<programs::ProgrammeCatalogue> programmes;  // every programme lookup goes through it
  std::unique_ptr<payments::PaymentStore> payments;
  std::unique_ptr<empowerment::RegistrationStore> empowerment;
  std::unique_ptr<empowerment::CallStore> empowerment_calls;        // funding calls
  std::unique_ptr<empowerment::ApplicationStore> empowerment_apps;  // funding applications
};

struct OpenOptions {
  DatabaseOptions db;
  std::string data_dir;
  std::size_t pool_size = 8;
  bool migrate = true;           // apply migrations and (re)load reference areas when they changed
  const Clock* clock = nullptr;  // null: the system clock (tests pass a clock they move by hand)
  auth::SessionPolicy session{};
  auth::ThrottlePolicy throttle{};
};

Result<std::unique_ptr<Platform>> OpenPlatform(const OpenOptions& options);

// A score model's regional effects name Morocco's regions in the platform's reference areas, today
// (targeting::CheckRegions): for `sanad score` and `sanad serve --score-model` alike.
Status CheckModelRegions(const targeting::Model& model, Platform& p);

}  // namespace sanad::app
