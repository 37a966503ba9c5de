// Administrative areas in the database: reference-data loading, listing and parent chains.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "db/database.h"
#include "geo/area.h"

namespace sanad::areas {

struct AreaFilter {
  std::optional<std::string> country;  // MA | DZ
  std::optional<std::string> level;    // region | province | commune
  std::optional<std::string> parent;   // children of this area on `as_of`
  std::optional<std::string> q;        // substring of the Arabic or French name (case-insensitive)
  std::string as_of;                   // YYYY-MM-DD; areas and links valid that day
  int limit = 100;
  int offset = 0;
};

struct AreaPage {
  std::vector<geo::Area> items;
  std::vector<std::optional<std::string>> parent_codes;  // parallel to items, on `as_of`
  long long total = 0;
};

struct AreaWithParents {
  geo::Area area;
  std::optional<std::string> parent_code;
  std::vector<geo::Area> parents;  // from the top down
};

class AreaStore {
 public:
  explicit AreaStore(db::Database& db) : db_(db) {}

  // Loads `set` unless the stored checksum already equals `checksum`. Areas are upserted (users and
  // records keep their references); parent links and the ancestor closure are replaced. One
  // transaction. Returns true when something was loaded.
  Result<bool> LoadReference(const geo::AreaSet& set, const std::string& checksum);

  Result<AreaPage> List(const AreaFilter& f);
  // Errors: kNotFound. Served from an in-memory copy of the reference areas (they change only when the
  // reference files are reloaded, which refreshes it), so the hot lookup never parses SQL.
  Result<AreaWithParents> Get(const std::string& code, const std::string& as_of);
  // Whether `code` is a region of `country` valid on `as_of`: an area at the top of its hierarchy there
  // (Morocco's regions, Algeria's wilayas); false for an unknown code or a lower level. Errors: the
  // store's own (not kNotFound).
  Result<bool> IsRegion(const std::string& code, const std::string& country, const std::string& as_of);

 private:
  struct Catalog {
    std::unordered_map<std::string, geo::Area> areas;
    std::unordered_map<std::string, std::vector<geo::ParentLink>> parents;  // by child code
  };
  Result<std::shared_ptr<const Catalog>> LoadCatalog();

  db::Database& db_;
  std::mutex catalog_mu_;
  std::shared_ptr<const Catalog> catalog_;
};

}  // namespace sanad::areas
