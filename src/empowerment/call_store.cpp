#include "empowerment/call_store.h"

#include <nlohmann/json.hpp>

#include "db/area_scope.h"
#include "db/row.h"
#include "empowerment/area_exists.h"

namespace sanad::empowerment {
namespace {

using nlohmann::json;

constexpr const char* kColumns =
    "c.id, c.code, c.name_ar, c.name_fr, c.name_en, c.region_code, c.year, c.currency, c.envelope_minor, c.opens_at, "
    "c.closes_at, c.eligibility, c.rubric, c.created_at, c.created_by, c.updated_at, c.version";

// The budget figures of a call, beside its columns: committed (approved amounts of the applications
// approved and after, completed included) and paid (tranches paid, whatever became of the application).
const std::string kFigures = std::string(
                                 ", (SELECT COALESCE(SUM(a.approved_minor), 0) FROM empowerment_applications a WHERE "
                                 "a.call_id = c.id AND a.state IN ") +
                             kCommittedStates +
                             "), (SELECT COALESCE(SUM(t.planned_minor), 0) FROM empowerment_tranches t JOIN "
                             "empowerment_applications a2 ON a2.id = t.application_id WHERE a2.call_id = c.id AND "
                             "t.paid_on IS NOT NULL), (SELECT COUNT(*) FROM empowerment_applications a3 WHERE "
                             "a3.call_id = c.id)";

// Visible to a reader: national, or the call's region within her area, or her area within its region.
constexpr const char* kVisible =
    "(CAST(:v1 AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM area_ancestors vx WHERE vx.valid_from <= :v2 AND "
    "vx.valid_to > :v3 AND ((vx.ancestor = :v4 AND vx.descendant = c.region_code) OR (vx.ancestor = c.region_code "
    "AND vx.descendant = :v5))))";

void BindVisible(soci::statement& st, const std::optional<std::string>& area, const std::string& day) {
  st.exchange(soci::use(area));
  st.exchange(soci::use(day));
  st.exchange(soci::use(day));
  st.exchange(soci::use(area));
  st.exchange(soci::use(area));
}

Eligibility EligibilityFrom(const std::string& text) {
  Eligibility e;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return e;
  e.kinds = j.value("kinds", std::vector<std::string>{});
  e.situations = j.value("situations", std::vector<std::string>{});
  e.min_age = j.value("min_age", kMinAge);
  e.max_age = j.value("max_age", kMaxAge);
  if (j.contains("requires_training") && j["requires_training"].is_string())
    e.requires_training = j["requires_training"].get<std::string>();
  return e;
}

std::string EligibilityText(const Eligibility& e) {
  json j{{"kinds", e.kinds}, {"situations", e.situations}, {"min_age", e.min_age}, {"max_age", e.max_age}};
  if (e.requires_training) j["requires_training"] = *e.requires_training;
  return j.dump();
}

std::vector<Criterion> RubricFrom(const std::string& text) {
  std::vector<Criterion> out;
  const auto j = json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& c : j) out.push_back({c.value("code", ""), c.value("max_points", 0), c.value("weight", 1.0)});
  return out;
}

std::string RubricText(const std::vector<Criterion>& rubric) {
  json out = json::array();
  for (const auto& c : rubric) out.push_back({{"code", c.code}, {"max_points", c.max_points}, {"weight", c.weight}});
  return out.dump();
}

Call ReadCall(const soci::row& r) {
  Call c;
  c.id = db::RowInt(r, 0);
  c.code = r.get<std::string>(1);
  c.name_ar = r.get<std::string>(2);
  c.name_fr = r.get<std::string>(3);
  c.name_en = r.get<std::string>(4);
  c.region_code = r.get<std::string>(5);
  c.year = static_cast<int>(db::RowInt(r, 6));
  c.currency = r.get<std::string>(7);
  c.envelope_minor = db::RowInt(r, 8);
  c.opens_at = r.get<std::string>(9);
  c.closes_at = r.get<std::string>(10);
  c.eligibility = EligibilityFrom(r.get<std::string>(11));
  c.rubric = RubricFrom(r.get<std::string>(12));
  c.created_at = r.get<std::string>(13);
  c.created_by = r.get<std::string>(14);
  c.updated_at = r.get<std::string>(15);
  c.version = db::RowInt(r, 16);
  return c;
}

CallRow ReadRow(const soci::row& r) { return {ReadCall(r), db::RowInt(r, 17), db::RowInt(r, 18), db::RowInt(r, 19)}; }

}  // namespace

Result<bool> CallStore::RegionExists(const std::string& code, const std::string& day) {
  return db::Guard([&]() -> Result<bool> { return AreaExistsOn(db_, code, "region", day); });
}

Result<bool> CallStore::Within(const std::string& commune, const std::string& region, const std::string& day) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    return db::CountRows(s.sql(),
                         "SELECT COUNT(*) FROM area_ancestors WHERE ancestor = :r AND descendant = :c AND "
                         "valid_from <= :d AND valid_to > :d2",
                         [&](soci::statement& st) {
                           st.exchange(soci::use(region));
                           st.exchange(soci::use(commune));
                           st.exchange(soci::use(day));
                           st.exchange(soci::use(day));
                         }) > 0;
  });
}

Result<std::int64_t> CallStore::Insert(const Call& c, const std::string& now, const std::string& by) {
  auto id = db_.InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    long long out = 0, year = c.year, envelope = c.envelope_minor;
    const std::string eligibility = EligibilityText(c.eligibility), rubric = RubricText(c.rubric);
    s.sql() << "INSERT INTO empowerment_calls (code, name_ar, name_fr, name_en, region_code, year, currency, "
               "envelope_minor, opens_at, closes_at, eligibility, rubric, created_at, created_by, updated_at, version) "
               "VALUES (:co, :na, :nf, :ne, :r, :y, :cu, :e, :o, :cl, :el, :ru, :at, :by, :at2, 1) RETURNING id",
        soci::use(c.code), soci::use(c.name_ar), soci::use(c.name_fr), soci::use(c.name_en), soci::use(c.region_code),
        soci::use(year), soci::use(c.currency), soci::use(envelope), soci::use(c.opens_at), soci::use(c.closes_at),
        soci::use(eligibility), soci::use(rubric), soci::use(now), soci::use(by), soci::use(now), soci::into(out);
    return static_cast<std::int64_t>(out);
  });
  if (!id && id.error().code == Code::kAlreadyExists) {
    return Failure(Code::kAlreadyExists, "empowerment.call_code_taken", {{"code", c.code}}, "code");
  }
  return id;
}

Status CallStore::Update(const Call& c, const std::string& now) {
  auto done = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long id = c.id, version = c.version, year = c.year, envelope = c.envelope_minor;
    const std::string eligibility = EligibilityText(c.eligibility), rubric = RubricText(c.rubric);
    soci::statement st =
        (s.sql().prepare << "UPDATE empowerment_calls SET name_ar = :na, name_fr = :nf, name_en = :ne, year = :y, "
                            "envelope_minor = :e, opens_at = :o, closes_at = :cl, eligibility = :el, rubric = :ru, "
                            "updated_at = :at, version = version + 1 WHERE id = :id AND version = :v",
         soci::use(c.name_ar), soci::use(c.name_fr), soci::use(c.name_en), soci::use(year), soci::use(envelope),
         soci::use(c.opens_at), soci::use(c.closes_at), soci::use(eligibility), soci::use(rubric), soci::use(now),
         soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) return Failure(Code::kConflict, "empowerment.call_changed", {}, "version");
    return true;
  });
  if (!done) return std::unexpected(done.error());
  return Ok();
}

Result<std::optional<CallRow>> CallStore::Get(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<CallRow>> {
    auto s = db_.Acquire();
    long long cid = id;
    std::optional<CallRow> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns + kFigures + " FROM empowerment_calls c WHERE c.id = :id AND " + kVisible,
        [&](soci::statement& st) {
          st.exchange(soci::use(cid));
          BindVisible(st, scope.area, scope.day);
        },
        [&](const soci::row& r) { out = ReadRow(r); });
    return out;
  });
}

Result<std::vector<CallRow>> CallStore::List(const ReadScope& scope, std::optional<int> year) {
  return db::Guard([&]() -> Result<std::vector<CallRow>> {
    auto s = db_.Acquire();
    std::optional<long long> y = year ? std::optional<long long>(*year) : std::nullopt;
    std::vector<CallRow> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns + kFigures + " FROM empowerment_calls c WHERE " + kVisible +
            " AND (CAST(:y1 AS BIGINT) IS NULL OR c.year = :y2) ORDER BY c.year DESC, c.opens_at DESC, c.id DESC "
            "LIMIT 500",
        [&](soci::statement& st) {
          BindVisible(st, scope.area, scope.day);
          st.exchange(soci::use(y));
          st.exchange(soci::use(y));
        },
        [&](const soci::row& r) { out.push_back(ReadRow(r)); });
    return out;
  });
}

Result<bool> CallStore::Writable(std::int64_t id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<bool> {
    auto s = db_.Acquire();
    long long cid = id;
    db::AreaScope sc{scope.area, scope.day};
    return db::CountRows(s.sql(),
                         "SELECT COUNT(*) FROM empowerment_calls c WHERE c.id = :id AND " +
                             db::AreaScopeSql("c.region_code", "sc"),
                         [&](soci::statement& st) {
                           st.exchange(soci::use(cid));
                           sc.Bind(st);
                         }) > 0;
  });
}

Result<std::vector<Call>> CallStore::OpenFor(const std::string& commune, const std::string& day) {
  return db::Guard([&]() -> Result<std::vector<Call>> {
    auto s = db_.Acquire();
    std::vector<Call> out;
    db::EachRow(
        s.sql(),
        std::string("SELECT ") + kColumns +
            " FROM empowerment_calls c WHERE c.opens_at <= :d1 AND c.closes_at >= :d2 AND EXISTS (SELECT 1 FROM "
            "area_ancestors x WHERE x.ancestor = c.region_code AND x.descendant = :cm AND x.valid_from <= :d3 AND "
            "x.valid_to > :d4) ORDER BY c.closes_at, c.id",
        [&](soci::statement& st) {
          st.exchange(soci::use(day));
          st.exchange(soci::use(day));
          st.exchange(soci::use(commune));
          st.exchange(soci::use(day));
          st.exchange(soci::use(day));
        },
        [&](const soci::row& r) { out.push_back(ReadCall(r)); });
    return out;
  });
}

Result<std::optional<Call>> CallStore::Find(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<Call>> {
    auto s = db_.Acquire();
    long long cid = id;
    std::optional<Call> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + " FROM empowerment_calls c WHERE c.id = :id",
        [&](soci::statement& st) { st.exchange(soci::use(cid)); }, [&](const soci::row& r) { out = ReadCall(r); });
    return out;
  });
}

Result<std::optional<Call>> CallStore::FindByCode(const std::string& code) {
  return db::Guard([&]() -> Result<std::optional<Call>> {
    auto s = db_.Acquire();
    std::optional<Call> out;
    db::EachRow(
        s.sql(), std::string("SELECT ") + kColumns + " FROM empowerment_calls c WHERE c.code = :c",
        [&](soci::statement& st) { st.exchange(soci::use(code)); }, [&](const soci::row& r) { out = ReadCall(r); });
    return out;
  });
}

}  // namespace sanad::empowerment
