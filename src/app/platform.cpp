#include "app/platform.h"

#include <spdlog/spdlog.h>
#include <filesystem>
#include <optional>

#include "app/config.h"

#include "db/migrations.h"
#include "geo/reference_data.h"

#ifndef SANAD_SOURCE_ROOT
#define SANAD_SOURCE_ROOT "."
#endif

namespace sanad::app {

namespace {

// PREFIX/share/sanad/<sub> for the running binary PREFIX/bin/sanad, when that folder exists. A binary
// in a build tree has no such neighbour and falls back to the source tree it was built from.
std::optional<std::string> Installed(const char* sub) {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  const auto dir = exe.parent_path().parent_path() / "share" / "sanad" / sub;
  if (!std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir.string();
}

}  // namespace

std::string DefaultDataDir() { return Installed("data").value_or(std::string(SANAD_SOURCE_ROOT) + "/data"); }

std::string DefaultWebRoot() { return Installed("web").value_or(std::string(SANAD_SOURCE_ROOT) + "/web/dist"); }

Result<std::unique_ptr<Platform>> OpenPlatform(const OpenOptions& o) {
  auto p = std::make_unique<Platform>();
  if (o.clock) p->clock = o.clock;
  auto url = ResolveDatabaseUrl(o.db);
  if (!url) return std::unexpected(url.error());
  auto db = db::Database::Open(*url, o.pool_size);
  if (!db) return std::unexpected(db.error());
  p->db = std::move(*db);
  if (o.migrate) {
    auto report = db::Migrate(*p->db);
    if (!report) return std::unexpected(report.error());
    for (int v : report->applied) spdlog::info("applied migration {:04d}", v);
    auto checksum = geo::ReferenceChecksum(o.data_dir);
    if (!checksum) return std::unexpected(checksum.error());
    areas::AreaStore store(*p->db);
    // Parsing 3,000 areas costs milliseconds; skip it entirely when the stored checksum matches.
    auto set = geo::LoadReferenceAreas(o.data_dir);
    if (!set) return std::unexpected(set.error());
    auto loaded = store.LoadReference(*set, *checksum);
    if (!loaded) return std::unexpected(loaded.error());
    if (*loaded) spdlog::info("loaded {} reference areas from {}", set->areas.size(), o.data_dir);
  }
  p->audit = std::make_unique<audit::AuditLog>(*p->db, *p->clock);
  if (auto st = p->audit->OpenSpool(); !st) return std::unexpected(st.error());
  p->auth_store = std::make_unique<auth::AuthStore>(*p->db, *p->audit);
  p->auth = std::make_unique<auth::AuthService>(*p->auth_store, *p->audit, *p->clock, o.session, o.throttle);
  p->areas = std::make_unique<areas::AreaStore>(*p->db);
  p->registry = std::make_unique<registry::RegistryStore>(*p->db);
  p->changes = std::make_unique<registry::ChangeService>(*p->registry, *p->audit, *p->clock);
  p->benefits = std::make_unique<registry::BenefitLedger>(*p->registry, *p->audit, *p->clock);
  p->scores = std::make_unique<targeting::ScoreStore>(*p->db);
  p->programme_store = std::make_unique<programs::ProgrammeStore>(*p->db);
  p->programmes = std::make_unique<programs::ProgrammeCatalogue>(*p->programme_store, *p->clock);
  p->payments = std::make_unique<payments::PaymentStore>(*p->db);
  p->empowerment = std::make_unique<empowerment::RegistrationStore>(*p->db);
  p->empowerment_calls = std::make_unique<empowerment::CallStore>(*p->db);
  p->empowerment_apps = std::make_unique<empowerment::ApplicationStore>(*p->db);
  return p;
}

Status CheckModelRegions(const targeting::Model& model, Platform& p) {
  const std::string today = DateOf(p.clock->Now()).ToString();
  return targeting::CheckRegions(model, [&](const std::string& code) { return p.areas->IsRegion(code, "MA", today); });
}

}  // namespace sanad::app
