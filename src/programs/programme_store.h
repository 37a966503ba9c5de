// Programmes saved by users (migration 0018: programmes, programme_versions): the definition as the
// JSON of programme_json.h, a version that counts saves, and every saved version with who saved it.
// The store knows nothing of the built-in templates; ProgrammeCatalogue puts the two together.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "programs/programme.h"

namespace sanad::programs {

// Who saves: the account's id (none for a command-line tool) and name, as the audit log writes them.
struct Author {
  std::optional<std::int64_t> id;
  std::string name;
};

struct StoredProgramme {
  Programme programme;
  std::int64_t version = 0;  // 0: a built-in template nobody has saved
  std::string updated_at;    // empty for a template
  std::string updated_by;
  bool builtin = false;  // its code is one of the built-in templates'
};

struct ProgrammeVersion {
  std::int64_t version = 0;
  std::string saved_at;
  std::optional<std::int64_t> saved_by_id;
  std::string saved_by;
  Programme programme;
};

// Runs inside the save's transaction once the rows are written (the caller's audit line): when it
// fails, nothing is saved.
using AlsoInSave = std::function<Status(db::Session&, const StoredProgramme&)>;

class ProgrammeStore {
 public:
  explicit ProgrammeStore(db::Database& db) : db_(db) {}

  Result<std::optional<StoredProgramme>> Find(std::string_view code);
  // Every stored programme, by code.
  Result<std::vector<StoredProgramme>> All();

  // Saves `p` as the version after `expected_version`: 0 inserts a new row, anything else updates the
  // row whose version it still is. Errors: program.stale_version (kConflict, with the current version)
  // when the row moved on or, for 0, already exists; database errors.
  Result<StoredProgramme> Save(const Programme& p, std::int64_t expected_version, const Author& author,
                               const std::string& now, const AlsoInSave& also = {});

  // Every saved version of `code`, newest first.
  Result<std::vector<ProgrammeVersion>> History(std::string_view code);

 private:
  db::Database& db_;
};

}  // namespace sanad::programs
