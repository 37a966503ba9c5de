// The programmes everyone looks up: a stored definition when a user saved one, else the built-in
// template of that code (templates.h). The simulator, the cycles and the editor all go through Find, so
// a saved change to ASD is what every later computation uses. Saving validates first (programme_check.h).
//
// Thread safety: as the store's database (each call borrows its own session).
#pragma once

#include <string_view>
#include <vector>

#include "core/time.h"
#include "programs/programme_store.h"

namespace sanad::programs {

class ProgrammeCatalogue {
 public:
  ProgrammeCatalogue(ProgrammeStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  // The programme of `code` as it now stands. Errors: program.not_found (kNotFound); database errors.
  Result<Programme> Find(std::string_view code);
  // The same with its version and who saved it (version 0 for an unsaved template).
  Result<StoredProgramme> Get(std::string_view code);
  // The built-in programmes first, in the templates' order (a saved one in place of its template), then
  // the others by code.
  Result<std::vector<StoredProgramme>> List();

  // A new programme (from scratch, or a template's copy under a new code). Errors: program.invalid
  // (kFailedPrecondition) with every problem; program.already_exists (kAlreadyExists) when the code is
  // stored or built in; database errors.
  Result<StoredProgramme> Create(const Programme& p, const Author& author, const AlsoInSave& also = {});
  // Saves a change to `p.code`, which was at `expected_version` when the user started (0 for an unsaved
  // template). Errors: program.not_found; program.invalid; program.stale_version (kConflict) when
  // someone saved in between; database errors.
  Result<StoredProgramme> Update(const Programme& p, std::int64_t expected_version, const Author& author,
                                 const AlsoInSave& also = {});
  // Every saved version, newest first (empty for an unsaved template). Errors: program.not_found.
  Result<std::vector<ProgrammeVersion>> History(std::string_view code);

 private:
  Status Validate(const Programme& p);

  ProgrammeStore& store_;
  const Clock& clock_;
};

}  // namespace sanad::programs
