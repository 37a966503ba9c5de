// Moving a deployment from SQLite to PostgreSQL: every table of the migrated schema copied, ids kept.
//
// Both databases are first migrated to this binary's schema version, so the two hold the same tables
// and columns; the set of tables comes from the catalogues, not from a list in code. The target must
// be empty: it may hold only what the migrations themselves insert (schema_migrations, the audit
// head), which the copy replaces with the source's rows. Tables are copied parents first (foreign
// keys) with PostgreSQL COPY, streamed in chunks, from one read snapshot of the source; identity and
// serial sequences are then set past the largest copied id, and every table's row count is compared
// with the source's before the single target transaction commits, so a failed copy leaves the target
// as empty as it was. The audit log's append-only triggers fire on UPDATE and DELETE only: the copy
// inserts, so they stay enabled.
//
// Thread safety: a free function; nothing else should write to the source meanwhile (rows committed
// after the snapshot are not copied).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "db/backup_catalog.h"

namespace sanad::db {

struct TransferProgress {
  std::string table;
  long long rows_done = 0;
  long long rows_total = 0;
  double seconds = 0;  // since this table's copy began
  bool finished = false;
};

struct TransferReport {
  std::vector<TableCount> tables;  // rows copied per table, in copy order (equal on both sides)
  int schema_version = 0;
};

struct TransferOptions {
  std::size_t chunk_rows = 20000;  // rows per COPY data message batch and per progress report
  std::function<void(const TransferProgress&)> progress;
};

// Errors: kInvalidArgument (not sqlite → postgresql), kNotFound (no source file), kFailedPrecondition
// (target not empty, schemas differ, counts differ after the copy), kUnavailable, kInternal.
Result<TransferReport> CopySqliteToPostgres(std::string_view from_url, std::string_view to_url,
                                            const TransferOptions& options = {});

}  // namespace sanad::db
