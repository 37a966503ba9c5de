// Shared by the cycle tests (lifecycle, HTTP): a stand-in for the entries computation, set-based over
// the current registry (every active household; odd ids eligible with rooms × 100 DH), and a small
// synthetic registry across several regions imported and approved through the registry's own path.
#pragma once

#include <soci/soci.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "cycles/cycle_service.h"
#include "registry/change_service.h"
#include "registry/importer.h"
#include "synth/csv_writer.h"
#include "synth/generator.h"

namespace sanad::cycles::testing {

inline Result<CycleTotals> StandInEntries(db::Session& s, const CycleComputation& c) {
  long long id = c.cycle_id;
  s.sql() << "INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, payee_person_id, "
             "eligible, amount_minor, one_off_minor, details) SELECT :c, h.id, h.version, h.commune_code, NULL, "
             "h.id % 2, CASE WHEN h.id % 2 = 1 THEN COALESCE(h.rooms, 1) * 10000 ELSE 0 END, 0, "
             "'{\"lines\":[]}' FROM households h WHERE h.status = 'active'",
      soci::use(id);
  long long considered = 0, eligible = 0, total = 0;
  s.sql() << "SELECT COUNT(*), COALESCE(SUM(eligible), 0), COALESCE(SUM(amount_minor), 0) FROM cycle_entries WHERE "
             "cycle_id = :c",
      soci::use(id), soci::into(considered), soci::into(eligible), soci::into(total);
  CycleTotals t;
  t.considered = considered;
  t.eligible = eligible;
  t.total_minor = total;
  if (c.progress) c.progress(considered, considered);
  return t;
}

// Writes `households` synthetic households (whole country, no duplicates) as CSV files under `dir`.
inline Status WriteSyntheticRegistry(const std::filesystem::path& dir, int households, std::uint64_t seed) {
  auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
  if (!ref) return std::unexpected(ref.error());
  synth::Config config;
  config.households = households;
  config.seed = seed;
  config.duplicate_share = 0;
  auto reg = synth::Generate(*ref, config);
  if (!reg) return std::unexpected(reg.error());
  if (auto st = synth::WriteHouseholdsCsv(*reg, dir / "households.csv"); !st) return st;
  return synth::WritePersonsCsv(*reg, dir / "persons.csv");
}

// Imports the files of WriteSyntheticRegistry as `author`, approved by `reviewer`; then clears family
// allowances (the stand-in pays regardless of them, so no flag is raised unless a test raises one).
inline Status ImportSyntheticRegistry(const std::filesystem::path& dir, registry::RegistryStore& store,
                                      registry::ChangeService& changes, const Clock& clock,
                                      const registry::Actor& author, const registry::Actor& reviewer) {
  registry::Importer importer(store, changes, clock);
  for (auto kind : {registry::ImportKind::kHouseholds, registry::ImportKind::kPersons}) {
    const auto file = dir / (kind == registry::ImportKind::kHouseholds ? "households.csv" : "persons.csv");
    std::ifstream in(file, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto out = importer.Import(kind, bytes, author, {.file_name = file.filename().string(), .store_report = false});
    if (!out) return std::unexpected(out.error());
    if (!out->accepted()) return Fail(Code::kInternal, "the synthetic registry was refused by the importer");
    auto ok = changes.Approve(out->change_request->id, reviewer, registry::ReviewDecision{"ok", false, true});
    if (!ok) return std::unexpected(ok.error());
  }
  auto s = store.db().Acquire();
  s.sql() << "UPDATE persons SET family_allowances = 0";
  return Ok();
}

}  // namespace sanad::cycles::testing
