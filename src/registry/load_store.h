// SQL of the bulk load of complete rows into the registry (demo registries, migration of a legacy
// registry): explicit ids, first version rows, and the secondary indexes dropped and rebuilt around a
// load into an empty registry. Runs inside the caller's write transaction; throws on a database error.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "db/bulk_load.h"
#include "db/database.h"

namespace sanad::registry {

class LoadStore {
 public:
  // Next free ids (max + 1) of households and persons, taken inside the caller's write transaction.
  std::pair<std::int64_t, std::int64_t> NextIds(db::Session& s);
  // Inserts `n` rows with explicit ids first_id.. and their first version rows. field_columns[f][r] is
  // field f of row r (registry_model/fields.h order), ref/record_id included.
  using Columns = db::ColumnValues;
  void LoadHouseholds(db::Session& s, std::int64_t first_id, const Columns& field_columns, std::size_t n,
                      const std::string& now, std::int64_t cr);
  void LoadPersons(db::Session& s, std::int64_t first_id, const std::vector<std::int64_t>& household_ids,
                   const Columns& field_columns, std::size_t n, const std::string& now, std::int64_t cr);
  // PostgreSQL identities continue after explicitly inserted ids.
  void SyncIdentities(db::Session& s);
  // Secondary indexes of the registry tables, as the database itself defines them. Loading an empty
  // registry drops them first and recreates them after (one sort instead of millions of random
  // B-tree inserts); primary keys stay.
  std::vector<std::string> DropSecondaryIndexes(db::Session& s);
  void CreateIndexes(db::Session& s, const std::vector<std::string>& definitions);
};

}  // namespace sanad::registry
