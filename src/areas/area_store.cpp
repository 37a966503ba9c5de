#include "areas/area_store.h"

#include <fmt/format.h>

#include "areas/area_name_match.h"

namespace sanad::areas {

namespace {

constexpr const char* kAreaColumns =
    "a.code, a.country, a.level, a.name_ar, a.name_fr, a.kind, a.lat, a.lon, a.population, a.households, "
    "a.valid_from, a.valid_to";

geo::Area AreaFromRow(const soci::row& r, std::size_t i = 0) {
  geo::Area a;
  a.code = r.get<std::string>(i + 0);
  a.country = r.get<std::string>(i + 1);
  a.level = r.get<std::string>(i + 2);
  a.name_ar = r.get<std::string>(i + 3);
  a.name_fr = r.get<std::string>(i + 4);
  if (r.get_indicator(i + 5) != soci::i_null) a.kind = r.get<std::string>(i + 5);
  if (r.get_indicator(i + 6) != soci::i_null) a.lat = r.get<double>(i + 6);
  if (r.get_indicator(i + 7) != soci::i_null) a.lon = r.get<double>(i + 7);
  if (r.get_indicator(i + 8) != soci::i_null) a.population = r.get<long long>(i + 8);
  if (r.get_indicator(i + 9) != soci::i_null) a.households = r.get<long long>(i + 9);
  a.valid_from = r.get<std::string>(i + 10);
  a.valid_to = r.get<std::string>(i + 11);
  return a;
}

}  // namespace

Result<bool> AreaStore::LoadReference(const geo::AreaSet& set, const std::string& checksum) {
  return db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    std::string stored;
    sql << "SELECT checksum FROM reference_data WHERE name = 'areas'", soci::into(stored);
    if (sql.got_data() && stored == checksum) return false;

    // Column vectors bound once: one statement executed over all rows (set-based, not row by row).
    std::vector<std::string> code, country, level, name_ar, name_fr, kind, vfrom, vto;
    std::vector<double> lat, lon;
    std::vector<long long> pop, hh;
    std::vector<soci::indicator> kind_i, lat_i, lon_i, pop_i, hh_i;
    for (const auto& a : set.areas) {
      code.push_back(a.code);
      country.push_back(a.country);
      level.push_back(a.level);
      name_ar.push_back(a.name_ar);
      name_fr.push_back(a.name_fr);
      kind.push_back(a.kind.value_or(""));
      kind_i.push_back(a.kind ? soci::i_ok : soci::i_null);
      lat.push_back(a.lat.value_or(0));
      lat_i.push_back(a.lat ? soci::i_ok : soci::i_null);
      lon.push_back(a.lon.value_or(0));
      lon_i.push_back(a.lon ? soci::i_ok : soci::i_null);
      pop.push_back(a.population.value_or(0));
      pop_i.push_back(a.population ? soci::i_ok : soci::i_null);
      hh.push_back(a.households.value_or(0));
      hh_i.push_back(a.households ? soci::i_ok : soci::i_null);
      vfrom.push_back(a.valid_from);
      vto.push_back(a.valid_to);
    }
    sql << "INSERT INTO areas (code, country, level, name_ar, name_fr, kind, lat, lon, population, households, "
           "valid_from, valid_to) VALUES (:c, :co, :l, :na, :nf, :k, :la, :lo, :p, :h, :vf, :vt) "
           "ON CONFLICT (code) DO UPDATE SET country = excluded.country, level = excluded.level, "
           "name_ar = excluded.name_ar, name_fr = excluded.name_fr, kind = excluded.kind, lat = excluded.lat, "
           "lon = excluded.lon, population = excluded.population, households = excluded.households, "
           "valid_from = excluded.valid_from, valid_to = excluded.valid_to",
        soci::use(code), soci::use(country), soci::use(level), soci::use(name_ar), soci::use(name_fr),
        soci::use(kind, kind_i), soci::use(lat, lat_i), soci::use(lon, lon_i), soci::use(pop, pop_i),
        soci::use(hh, hh_i), soci::use(vfrom), soci::use(vto);

    sql << "DELETE FROM area_parents";
    std::vector<std::string> pc, pp, pf, pt;
    for (const auto& p : set.parents) {
      pc.push_back(p.code);
      pp.push_back(p.parent_code);
      pf.push_back(p.valid_from);
      pt.push_back(p.valid_to);
    }
    sql << "INSERT INTO area_parents (code, parent_code, valid_from, valid_to) VALUES (:c, :p, :f, :t)", soci::use(pc),
        soci::use(pp), soci::use(pf), soci::use(pt);

    sql << "DELETE FROM area_ancestors";
    std::vector<std::string> aa, ad, af, at;
    std::vector<long long> depth;
    for (const auto& l : geo::ComputeAncestors(set)) {
      aa.push_back(l.ancestor);
      ad.push_back(l.descendant);
      depth.push_back(l.depth);
      af.push_back(l.valid_from);
      at.push_back(l.valid_to);
    }
    sql << "INSERT INTO area_ancestors (ancestor, descendant, depth, valid_from, valid_to) "
           "VALUES (:a, :d, :n, :f, :t)",
        soci::use(aa), soci::use(ad), soci::use(depth), soci::use(af), soci::use(at);

    {
      std::lock_guard lock(catalog_mu_);
      catalog_.reset();  // reloaded on the next lookup
    }
    sql << "DELETE FROM reference_data WHERE name = 'areas'";
    sql << "INSERT INTO reference_data (name, checksum, loaded_at) VALUES ('areas', :c, CURRENT_TIMESTAMP)",
        soci::use(checksum);
    return true;
  });
}

Result<AreaPage> AreaStore::List(const AreaFilter& f) {
  try {
    auto s = db_.Acquire();
    auto& sql = s.sql();
    // The parent link valid on as_of is joined in both cases so every item carries its parent code.
    const std::string from =
        " FROM areas a LEFT JOIN area_parents p ON p.code = a.code AND p.valid_from <= :d1 AND p.valid_to > :d2"
        " WHERE a.valid_from <= :d3 AND a.valid_to > :d4"
        " AND (CAST(:co AS TEXT) IS NULL OR a.country = :co2)"
        " AND (CAST(:lv AS TEXT) IS NULL OR a.level = :lv2)"
        " AND (CAST(:pa AS TEXT) IS NULL OR p.parent_code = :pa2)";
    AreaPage page;
    auto add = [&page](const soci::row& r) {
      page.items.push_back(AreaFromRow(r));
      page.parent_codes.push_back(r.get_indicator(12) == soci::i_null ? std::nullopt
                                                                      : std::optional(r.get<std::string>(12)));
    };
    const std::string select = std::string("SELECT ") + kAreaColumns + ", p.parent_code" + from + " ORDER BY a.code";
    if (f.q) {
      // Names are matched folded (case, accents, Arabic letter variants), which SQL LIKE cannot do on
      // both engines; a country has a few thousand areas at most, so the filter runs here.
      const AreaNameMatcher match(*f.q);
      soci::rowset<soci::row> rs = (sql.prepare << select, soci::use(f.as_of), soci::use(f.as_of), soci::use(f.as_of),
                                    soci::use(f.as_of), soci::use(f.country), soci::use(f.country), soci::use(f.level),
                                    soci::use(f.level), soci::use(f.parent), soci::use(f.parent));
      for (const auto& r : rs) {
        if (!match(r.get<std::string>(3), r.get<std::string>(4))) continue;
        if (page.total++ < f.offset || static_cast<long long>(page.items.size()) >= f.limit) continue;
        add(r);
      }
      return page;
    }
    sql << "SELECT COUNT(*)" + from, soci::use(f.as_of), soci::use(f.as_of), soci::use(f.as_of), soci::use(f.as_of),
        soci::use(f.country), soci::use(f.country), soci::use(f.level), soci::use(f.level), soci::use(f.parent),
        soci::use(f.parent), soci::into(page.total);
    long long limit = f.limit, offset = f.offset;
    soci::rowset<soci::row> rs =
        (sql.prepare << select + " LIMIT :lim OFFSET :off", soci::use(f.as_of), soci::use(f.as_of), soci::use(f.as_of),
         soci::use(f.as_of), soci::use(f.country), soci::use(f.country), soci::use(f.level), soci::use(f.level),
         soci::use(f.parent), soci::use(f.parent), soci::use(limit), soci::use(offset));
    for (const auto& r : rs) add(r);
    return page;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<std::shared_ptr<const AreaStore::Catalog>> AreaStore::LoadCatalog() {
  {
    std::lock_guard lock(catalog_mu_);
    if (catalog_) return catalog_;
  }
  try {
    auto catalog = std::make_shared<Catalog>();
    auto s = db_.Acquire();
    soci::rowset<soci::row> rs = (s.sql().prepare << std::string("SELECT ") + kAreaColumns + " FROM areas a");
    for (const auto& r : rs) {
      geo::Area a = AreaFromRow(r);
      std::string code = a.code;
      catalog->areas.emplace(std::move(code), std::move(a));
    }
    soci::rowset<soci::row> links =
        (s.sql().prepare << "SELECT code, parent_code, valid_from, valid_to FROM area_parents");
    for (const auto& r : links) {
      geo::ParentLink l{r.get<std::string>(0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)};
      catalog->parents[l.code].push_back(std::move(l));
    }
    std::lock_guard lock(catalog_mu_);
    catalog_ = std::move(catalog);
    return catalog_;
  } catch (const std::exception& e) {
    return std::unexpected(db::ErrorFromException(e));
  }
}

Result<AreaWithParents> AreaStore::Get(const std::string& code, const std::string& as_of) {
  auto catalog = LoadCatalog();
  if (!catalog) return std::unexpected(catalog.error());
  const Catalog& c = **catalog;
  auto it = c.areas.find(code);
  if (it == c.areas.end()) return Failure(Code::kNotFound, "area.not_found", {{"code", code}}, "code");
  AreaWithParents out;
  out.area = it->second;
  if (!(out.area.valid_from <= as_of && as_of < out.area.valid_to)) {
    return Failure(Code::kNotFound, "area.not_valid_on",
                   {{"code", code}, {"from", out.area.valid_from}, {"to", out.area.valid_to}, {"date", as_of}},
                   "as_of");
  }
  // Walk the parent links valid on as_of; hierarchies are two or three levels deep.
  std::string current = code;
  for (int depth = 0; depth < 8; ++depth) {
    auto links = c.parents.find(current);
    if (links == c.parents.end()) break;
    const geo::ParentLink* valid = nullptr;
    for (const auto& l : links->second) {
      if (l.valid_from <= as_of && as_of < l.valid_to) valid = &l;
    }
    if (!valid) break;
    if (depth == 0) out.parent_code = valid->parent_code;
    auto parent = c.areas.find(valid->parent_code);
    if (parent == c.areas.end()) break;
    out.parents.insert(out.parents.begin(), parent->second);
    current = valid->parent_code;
  }
  return out;
}

Result<bool> AreaStore::IsRegion(const std::string& code, const std::string& country, const std::string& as_of) {
  auto area = Get(code, as_of);
  if (!area) {
    if (area.error().code == Code::kNotFound) return false;
    return std::unexpected(area.error());
  }
  // The top of the country's hierarchy, whatever its level is called there (Algeria's wilayas are
  // provinces with no region above them).
  return area->area.country == country && !area->parent_code;
}

}  // namespace sanad::areas
