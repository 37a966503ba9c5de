#include "cycles/household_batch_store.h"

#include <algorithm>
#include <charconv>
#include <limits>
#include <stdexcept>
#include <utility>

#include "db/area_scope.h"
#include "db/row.h"
#include "db/row_scan.h"
#include "registry/rule_inputs.h"
#include "registry/values.h"

namespace sanad::cycles {
namespace {

using rules::InputColumn;
using rules::Type;

bool Digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Number(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// A registered birth date as a day number: YYYY-MM-DD, or a year alone taken as its 1 January (as the
// scores take it); nullopt for anything else (read as a missing value).
std::optional<std::int64_t> BirthDay(std::string_view s) {
  if (s.size() == 4 && Digits(s)) return rules::DayNumber(Date{Number(s), 1, 1});
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !Digits(s.substr(0, 4)) || !Digits(s.substr(5, 2)) ||
      !Digits(s.substr(8, 2))) {
    return std::nullopt;
  }
  const int y = Number(s.substr(0, 4));
  const auto m = static_cast<unsigned>(Number(s.substr(5, 2)));
  const auto d = static_cast<unsigned>(Number(s.substr(8, 2)));
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  return rules::DayNumber(Date{y, m, d});
}

InputColumn& Column(std::map<std::string, InputColumn, std::less<>>& columns, const std::string& name, Type type,
                    std::size_t reserve, const std::shared_ptr<rules::TextArena>& text) {
  InputColumn& c = columns[name];
  c.type = type;
  c.present.reserve(reserve);
  if (type == Type::kString) {
    c.text = text;
    c.strings.reserve(reserve);
  } else if (type == Type::kDecimal) {
    c.decimals.reserve(reserve);
  } else {
    c.ints.reserve(reserve);
  }
  return c;
}

// A view of text the column's arena holds.
void PushString(InputColumn& c, std::optional<std::string_view> value) {
  c.present.push_back(value ? 1 : 0);
  c.strings.push_back(value.value_or(std::string_view()));
}
void PushInt(InputColumn& c, std::optional<std::int64_t> value) {
  c.present.push_back(value ? 1 : 0);
  c.ints.push_back(value.value_or(0));
}

void Truncate(InputColumn& c, std::size_t size) {
  c.present.resize(size);
  if (c.type == Type::kString) {
    c.strings.resize(size);
  } else if (c.type == Type::kDecimal) {
    c.decimals.resize(size);
  } else {
    c.ints.resize(size);
  }
}

// What a household's row derives from its members.
struct Derived {
  std::int64_t payee = 0;
  bool any_allowance_known = false, allowance_yes = false, any_employment_known = false, income_yes = false;
};

// The employment statuses that prove an income: a salary, self-employment, a pension.
bool ProvesIncome(std::string_view employment) {
  return employment == "employed" || employment == "self_employed" || employment == "retired";
}

// An integer field of a packed member; a damaged one is an internal error, never another value.
std::optional<std::int64_t> PackedInt(const std::optional<std::string_view>& v) {
  if (!v) return std::nullopt;
  std::int64_t out = 0;
  const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc() || end != v->data() + v->size()) throw std::runtime_error("malformed packed member");
  return out;
}

std::string Ids(const std::vector<std::int64_t>& ids) {
  std::string out;
  for (auto id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

}  // namespace

std::string RegionOfCommune(std::string_view commune_code) {
  if (commune_code.starts_with("DZ-"))
    return std::string(commune_code.substr(0, std::min<std::size_t>(5, commune_code.size())));
  return std::string(commune_code.substr(0, commune_code.find('.')));
}

// The registry's own rule (registry::CountryOfArea), as the "country" column the programmes compare.
std::string CountryOfCommune(std::string_view commune_code) {
  const auto country = registry::CountryOfArea(commune_code);
  if (!country) return {};
  return *country == registry::CountryCode::kMorocco ? "MA" : "DZ";
}

HouseholdBatchStore::HouseholdBatchStore(db::Session& session, std::string as_of, AsOfFilter filter,
                                         std::size_t chunk_size)
    : session_(session),
      as_of_(std::move(as_of)),
      filter_(std::move(filter)),
      chunk_size_(std::max<std::size_t>(chunk_size, 1)),
      scope_{filter_.area, as_of_.substr(0, 10)},
      country_like_(filter_.country.value_or("") + "-%") {
  std::sort(filter_.household_ids.begin(), filter_.household_ids.end());
}

std::string HouseholdBatchStore::Where() const {
  // The span in force at the moment: valid_from <= t < valid_to.
  // The rows of household_rule_inputs exist only for spans in which the household was active.
  std::string where = "ri.valid_from <= :t1 AND ri.valid_to > :t2 AND " + db::AreaScopeSql("ri.commune_code", "sc");
  if (filter_.country) where += " AND ri.commune_code LIKE :cl";
  // Ids are numbers the program holds, never text from a request: inlined.
  if (!filter_.household_ids.empty()) where += " AND ri.household_id IN (" + Ids(filter_.household_ids) + ")";
  return where;
}

void HouseholdBatchStore::AddWhereParams(std::vector<db::ScanParam>& params) const {
  params.emplace_back(as_of_);
  params.emplace_back(as_of_);
  // The area scope's four placeholders, in the order AreaScope::Bind binds them.
  for (int k = 0; k < 2; ++k) {
    params.push_back(scope_.area ? db::ScanParam(*scope_.area) : db::ScanParam(std::monostate()));
  }
  params.emplace_back(scope_.day);
  params.emplace_back(scope_.day);
  if (filter_.country) params.emplace_back(country_like_);
}

Result<std::int64_t> HouseholdBatchStore::Count() {
  return db::Guard([&]() -> Result<std::int64_t> {
    std::vector<db::ScanParam> params;
    AddWhereParams(params);
    std::int64_t n = 0;
    db::ScanRows(session_, "SELECT COUNT(*) FROM household_rule_inputs ri WHERE " + Where(), params,
                 [&](const db::ScanRow& r) { n = r.Int(0); });
    return n;
  });
}

Result<RegistryChunk> HouseholdBatchStore::Next() {
  if (done_) return RegistryChunk{};
  return db::Guard([&]() -> Result<RegistryChunk> {
    RegistryChunk c;
    // The columns are filled as the rows arrive, members straight from the packed text: no intermediate
    // rows (profiled: fresh memory's page faults were the read's largest cost).
    const std::size_t households =
        filter_.household_ids.empty() ? chunk_size_ : std::min(chunk_size_, filter_.household_ids.size());
    const std::size_t members = households * 5;  // about four members per household: no regrowth per chunk
    // Each household's row is copied into the arena once; its members' text fields are views of it.
    c.text = std::make_shared<rules::TextArena>();
    rules::TextArena& text = *c.text;
    auto& hh = c.batch.household;
    auto& country = Column(hh, "country", Type::kString, households, c.text);
    auto& index = Column(hh, "socio_economic_index", Type::kDecimal, households, c.text);
    auto& allowance = Column(hh, "receives_family_allowance", Type::kBool, households, c.text);
    auto& income = Column(hh, "has_proven_income", Type::kBool, households, c.text);
    auto& mm = c.batch.member;
    auto& relationship = Column(mm, "relationship", Type::kString, members, c.text);
    auto& sex = Column(mm, "sex", Type::kString, members, c.text);
    auto& birth = Column(mm, "birth_date", Type::kDate, members, c.text);
    auto& marital = Column(mm, "marital_status", Type::kString, members, c.text);
    auto& schooling = Column(mm, "schooling", Type::kString, members, c.text);
    auto& disability = Column(mm, "disability_percent", Type::kInt, members, c.text);
    // Null when the registry does not record them for a member: a rule reading them is then not computable.
    auto& able = Column(mm, "able_to_work", Type::kBool, members, c.text);
    auto& institution = Column(mm, "in_institution", Type::kBool, members, c.text);
    for (auto* v : {&c.household_id, &c.household_version, &c.payee_person_id}) v->reserve(households);
    for (auto* v : {&c.commune_code, &c.region_code, &c.country}) v->reserve(households);
    for (auto* v : {&c.score_model, &c.score_model_version}) v->reserve(households);
    c.latent_log_consumption.reserve(households);
    auto& offsets = c.batch.member_offsets;
    offsets.reserve(households + 1);
    offsets.push_back(0);
    c.person_id.reserve(members);
    c.person_version.reserve(members);
    c.birth_date_text.reserve(members);
    std::vector<std::pair<std::int64_t, registry::PackedMember>> unpacked;  // one household's, reused

    // One row per household (registry/rule_inputs.h): the span in force at the moment with its members
    // packed, and the score in force then: the current score when it was computed by then, else the
    // replaced one whose time covers the moment.
    const std::string query =
        "SELECT ri.household_id, ri.household_version, ri.commune_code, ri.latent_log_consumption, "
        "COALESCE(s.score, sh.score), COALESCE(s.model, sh.model), COALESCE(s.model_version, sh.model_version), "
        "ri.members FROM household_rule_inputs ri "
        "LEFT JOIN household_scores s ON s.household_id = ri.household_id AND s.scored_at <= :s1 "
        "LEFT JOIN household_score_history sh ON s.household_id IS NULL AND sh.household_id = ri.household_id "
        "AND sh.scored_at <= :s2 AND sh.replaced_at > :s3 WHERE " +
        Where() + " AND ri.household_id > :after ORDER BY ri.household_id LIMIT " + std::to_string(chunk_size_);
    std::vector<db::ScanParam> params{as_of_, as_of_, as_of_};
    AddWhereParams(params);
    params.emplace_back(after_);
    // One member into the columns, and what the household derives from its members (docs/cycles.md): the
    // payee (the first head), a member's family allowances, a member's income.
    auto append = [&](std::int64_t person, const registry::PackedMember& f, Derived& d) {
      c.person_id.push_back(person);
      c.person_version.push_back(PackedInt(f[registry::kPackedVersion]).value_or(0));
      const auto& rel = f[registry::kPackedRelationship];
      if (d.payee == 0 && rel == "head") d.payee = person;
      PushString(relationship, rel);
      PushString(sex, f[registry::kPackedSex]);
      const auto& born = f[registry::kPackedBirthDate];
      PushInt(birth, born ? BirthDay(*born) : std::nullopt);
      c.birth_date_text.emplace_back(born.value_or(std::string_view()));
      PushString(marital, f[registry::kPackedMaritalStatus]);
      PushString(schooling, f[registry::kPackedSchooling]);
      PushInt(disability, PackedInt(f[registry::kPackedDisabilityPercent]));
      PushInt(able, PackedInt(f[registry::kPackedAbleToWork]));
      PushInt(institution, PackedInt(f[registry::kPackedInInstitution]));
      if (const auto family = PackedInt(f[registry::kPackedFamilyAllowances])) {
        d.any_allowance_known = true;
        d.allowance_yes = d.allowance_yes || *family != 0;
      }
      if (const auto& employment = f[registry::kPackedEmploymentStatus]; employment && !employment->empty()) {
        d.any_employment_known = true;
        d.income_yes = d.income_yes || ProvesIncome(*employment);
      }
    };
    // A household's country and score model are nearly always those of the household before: the view
    // already kept is taken again rather than the text copied once more.
    auto repeated = [&text](const std::vector<std::string_view>& kept, std::string_view value) {
      return !kept.empty() && kept.back() == value ? kept.back() : text.Add(value);
    };
    db::ScanRows(session_, query, params, [&](const db::ScanRow& r) {
      const std::int64_t id = r.Int(0);
      // Overlapping score history rows would repeat a household: the first row stands.
      if (!c.household_id.empty() && c.household_id.back() == id) return;
      c.household_id.push_back(id);
      c.household_version.push_back(r.Int(1));
      std::string code(r.Null(2) ? std::string_view() : r.Text(2));
      c.region_code.push_back(RegionOfCommune(code));
      c.country.push_back(CountryOfCommune(code));
      PushString(country, c.country.back().empty()
                              ? std::nullopt
                              : std::optional<std::string_view>(repeated(country.strings, c.country.back())));
      c.commune_code.push_back(std::move(code));
      c.latent_log_consumption.push_back(r.Null(3) ? std::numeric_limits<double>::quiet_NaN() : r.Double(3));
      index.present.push_back(r.Null(4) ? 0 : 1);
      index.decimals.push_back(r.Null(4) ? 0.0 : r.Double(4));
      for (auto [column, field] : {std::pair{&c.score_model, 5}, std::pair{&c.score_model_version, 6}}) {
        column->push_back(repeated(*column, r.Null(field) ? std::string_view() : r.Text(field)));
      }
      const std::string_view packed = text.Add(r.Text(7));

      // The members in person id order. A packed text is nearly always in that order already
      // (PostgreSQL's aggregate sorts by person id; SQLite's follows its index, where only a member's
      // later version comes after the others), so they go straight into the columns; a text out of
      // order is taken again, sorted, rather than every household's members copied aside to be sorted.
      Derived derived;
      const std::size_t first = c.person_id.size();
      std::int64_t previous = std::numeric_limits<std::int64_t>::min();
      bool ordered = true;
      bool whole = registry::ForEachPackedMember(packed, [&](const registry::PackedMember& f) {
        const std::int64_t person = PackedInt(f[registry::kPackedPersonId]).value_or(0);
        ordered = ordered && person >= previous;
        previous = person;
        if (ordered) append(person, f, derived);
      });
      if (whole && !ordered) {
        derived = {};
        c.person_id.resize(first);
        c.person_version.resize(first);
        c.birth_date_text.resize(first);
        for (auto* column : {&relationship, &sex, &birth, &marital, &schooling, &disability, &able, &institution}) {
          Truncate(*column, first);
        }
        unpacked.clear();
        whole = registry::ForEachPackedMember(packed, [&](const registry::PackedMember& f) {
          unpacked.emplace_back(PackedInt(f[registry::kPackedPersonId]).value_or(0), f);
        });
        std::sort(unpacked.begin(), unpacked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [person, f] : unpacked) append(person, f, derived);
      }
      if (!whole) throw std::runtime_error("malformed packed members of household " + std::to_string(id));
      const auto& [payee, any_allowance_known, allowance_yes, any_employment_known, income_yes] = derived;
      c.payee_person_id.push_back(payee);
      offsets.push_back(static_cast<std::uint32_t>(c.person_id.size()));
      PushInt(allowance, any_allowance_known ? std::optional<std::int64_t>(allowance_yes ? 1 : 0) : std::nullopt);
      PushInt(income, any_employment_known ? std::optional<std::int64_t>(income_yes ? 1 : 0) : std::nullopt);
    });
    const std::size_t n = c.size();
    c.batch.households = n;
    if (n < chunk_size_) done_ = true;
    if (n > 0) after_ = c.household_id.back();
    return c;
  });
}

}  // namespace sanad::cycles
