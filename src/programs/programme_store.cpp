#include "programs/programme_store.h"

#include <nlohmann/json.hpp>

#include "db/row.h"
#include "programs/programme_json.h"

namespace sanad::programs {
namespace {

// A stored definition that no longer reads is a bug or a hand edit: the log gets the cause, the client
// an internal error.
Result<Programme> Decode(const std::string& code, const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  auto p = j.is_discarded() ? Result<Programme>(Fail(Code::kInternal, "")) : ProgrammeFromJson(j);
  if (!p) return Fail(Code::kInternal, "stored programme " + code + " does not read: " + p.error().field);
  return p;
}

std::unexpected<Error> Stale(const std::string& code, std::int64_t expected, std::optional<std::int64_t> current) {
  return Failure(Code::kConflict, "program.stale_version",
                 {{"code", code},
                  {"version", std::to_string(expected)},
                  {"current", current ? std::to_string(*current) : std::string("0")}},
                 "version");
}

}  // namespace

Result<std::optional<StoredProgramme>> ProgrammeStore::Find(std::string_view code) {
  return db::Guard([&]() -> Result<std::optional<StoredProgramme>> {
    auto s = db_.Acquire();
    const std::string c(code);
    std::optional<StoredProgramme> out;
    std::string definition;
    db::EachRow(
        s.sql(), "SELECT definition, version, updated_at, updated_by FROM programmes WHERE code = :c",
        [&](soci::statement& st) { st.exchange(soci::use(c)); },
        [&](const soci::row& r) {
          definition = r.get<std::string>(0);
          out = StoredProgramme{{}, db::RowInt(r, 1), r.get<std::string>(2), r.get<std::string>(3)};
        });
    if (!out) return out;
    auto p = Decode(c, definition);
    if (!p) return std::unexpected(p.error());
    out->programme = std::move(*p);
    return out;
  });
}

Result<std::vector<StoredProgramme>> ProgrammeStore::All() {
  return db::Guard([&]() -> Result<std::vector<StoredProgramme>> {
    auto s = db_.Acquire();
    std::vector<std::pair<std::string, std::string>> definitions;
    std::vector<StoredProgramme> out;
    db::EachRow(
        s.sql(), "SELECT code, definition, version, updated_at, updated_by FROM programmes ORDER BY code",
        [](soci::statement&) {},
        [&](const soci::row& r) {
          definitions.emplace_back(r.get<std::string>(0), r.get<std::string>(1));
          out.push_back({{}, db::RowInt(r, 2), r.get<std::string>(3), r.get<std::string>(4)});
        });
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto p = Decode(definitions[i].first, definitions[i].second);
      if (!p) return std::unexpected(p.error());
      out[i].programme = std::move(*p);
    }
    return out;
  });
}

Result<StoredProgramme> ProgrammeStore::Save(const Programme& p, std::int64_t expected_version, const Author& author,
                                             const std::string& now, const AlsoInSave& also) {
  return db_.InTransaction<StoredProgramme>([&](db::Session& s) -> Result<StoredProgramme> {
    auto& sql = s.sql();
    const std::string definition = ProgrammeToJson(p).dump();
    const std::string code = p.code;
    long long current = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT version FROM programmes WHERE code = :c", soci::use(code), soci::into(current, ind);
    const bool exists = sql.got_data() && ind == soci::i_ok;
    if (exists != (expected_version != 0) || (exists && current != expected_version)) {
      return Stale(code, expected_version, exists ? std::optional<std::int64_t>(current) : std::nullopt);
    }
    const long long version = expected_version + 1;
    std::optional<long long> by_id;
    if (author.id) by_id = *author.id;
    if (!exists) {
      // Two first saves at once: the primary key refuses the second (kAlreadyExists), which the
      // catalogue reports as a stale version.
      sql << "INSERT INTO programmes (code, definition, version, created_at, updated_at, updated_by_id, updated_by) "
             "VALUES (:c, :d, :v, :now, :now2, :by_id, :by)",
          soci::use(code), soci::use(definition), soci::use(version), soci::use(now), soci::use(now), soci::use(by_id),
          soci::use(author.name);
    } else {
      long long expected = expected_version;
      soci::statement st = (sql.prepare << "UPDATE programmes SET definition = :d, version = :v, updated_at = :now, "
                                           "updated_by_id = :by_id, updated_by = :by WHERE code = :c AND version = :e",
                            soci::use(definition), soci::use(version), soci::use(now), soci::use(by_id),
                            soci::use(author.name), soci::use(code), soci::use(expected));
      st.execute(true);
      if (st.get_affected_rows() == 0) return Stale(code, expected_version, std::nullopt);
    }
    sql << "INSERT INTO programme_versions (code, version, definition, saved_at, saved_by_id, saved_by) "
           "VALUES (:c, :v, :d, :now, :by_id, :by)",
        soci::use(code), soci::use(version), soci::use(definition), soci::use(now), soci::use(by_id),
        soci::use(author.name);
    StoredProgramme saved{p, version, now, author.name};
    if (also) {
      if (auto st = also(s, saved); !st) return std::unexpected(st.error());
    }
    return saved;
  });
}

Result<std::vector<ProgrammeVersion>> ProgrammeStore::History(std::string_view code) {
  return db::Guard([&]() -> Result<std::vector<ProgrammeVersion>> {
    auto s = db_.Acquire();
    const std::string c(code);
    std::vector<ProgrammeVersion> out;
    std::vector<std::string> definitions;
    db::EachRow(
        s.sql(),
        "SELECT version, saved_at, saved_by_id, saved_by, definition FROM programme_versions WHERE code = :c "
        "ORDER BY version DESC",
        [&](soci::statement& st) { st.exchange(soci::use(c)); },
        [&](const soci::row& r) {
          ProgrammeVersion v;
          v.version = db::RowInt(r, 0);
          v.saved_at = r.get<std::string>(1);
          if (auto id = db::RowOptInt(r, 2)) v.saved_by_id = *id;
          v.saved_by = r.get<std::string>(3);
          definitions.push_back(r.get<std::string>(4));
          out.push_back(std::move(v));
        });
    for (std::size_t i = 0; i < out.size(); ++i) {
      auto p = Decode(c, definitions[i]);
      if (!p) return std::unexpected(p.error());
      out[i].programme = std::move(*p);
    }
    return out;
  });
}

}  // namespace sanad::programs
