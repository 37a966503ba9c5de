// What the registry's name search reads from the database: the names and commune of persons, the
// members of households, and the communes under an area on a day. SQL lives here only.
//
// Thread safety: every method borrows its own session; safe to call concurrently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "search/name_index.h"

namespace sanad::names {

struct PersonNameRow {
  search::PersonNames names;
  bool active = false;
};

class PersonNameStore {
 public:
  explicit PersonNameStore(db::Database& db) : db_(db) {}

  // Every active person.
  Result<std::vector<search::PersonNames>> ActivePersons();
  // The persons `ids` that exist, active or not.
  Result<std::vector<PersonNameRow>> Persons(const std::vector<std::int64_t>& ids);
  // The ids of the members of `household_ids`.
  Result<std::vector<std::int64_t>> MembersOf(const std::vector<std::int64_t>& household_ids);
  // The codes of the areas under `area` (itself included) on `day`.
  Result<std::vector<std::string>> AreasUnder(const std::string& area, const std::string& day);

 private:
  db::Database& db_;
};

}  // namespace sanad::names
