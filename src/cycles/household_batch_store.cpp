#include "cycles/household_batch_store.h"

#include <algorithm>
#include <limits>
#include <numeric>
#include <utility>

#include "db/area_scope.h"
#include "db/row.h"
#include "db/row_scan.h"
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
                    std::size_t reserve) {
  InputColumn& c = columns[name];
  c.type = type;
  c.present.reserve(reserve);
  if (type == Type::kString) {
    c.strings.reserve(reserve);
  } else if (type == Type::kDecimal) {
    c.decimals.reserve(reserve);
  } else {
    c.ints.reserve(reserve);
  }
  return c;
}

void PushString(InputColumn& c, std::optional<std::string>&& value) {
  c.present.push_back(value ? 1 : 0);
  c.strings.push_back(value ? std::move(*value) : std::string());
}
void PushInt(InputColumn& c, std::optional<std::int64_t> value) {
  c.present.push_back(value ? 1 : 0);
  c.ints.push_back(value.value_or(0));
}

// The employment statuses that prove an income: a salary, self-employment, a pension.
bool ProvesIncome(std::string_view employment) {
  return employment == "employed" || employment == "self_employed" || employment == "retired";
}

// The member rows of a chunk as fetched, before they are put in household order.
struct MemberRows {
  std::vector<std::uint32_t> row;  // the household's row in the chunk
  std::vector<std::int64_t> person_id, version;
  std::vector<std::optional<std::int64_t>> disability, family, able, institution;
  std::vector<std::optional<std::string>> relationship, sex, birth, marital, schooling, employment;

  void Reserve(std::size_t rows) {
    for (auto* v : {&person_id, &version}) v->reserve(rows);
    for (auto* v : {&disability, &family}) v->reserve(rows);
    for (auto* v : {&relationship, &sex, &birth, &marital, &schooling, &employment}) v->reserve(rows);
    row.reserve(rows);
  }
};

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
  // The version in force at the moment: valid_from <= t < valid_to; only households active then.
  std::string where = "hv.valid_from <= :t1 AND hv.valid_to > :t2 AND hv.status = 'active' AND " +
                      db::AreaScopeSql("hv.commune_code", "sc");
  if (filter_.country) where += " AND hv.commune_code LIKE :cl";
  // Ids are numbers the program holds, never text from a request: inlined.
  if (!filter_.household_ids.empty()) where += " AND hv.household_id IN (" + Ids(filter_.household_ids) + ")";
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
    db::ScanRows(session_, "SELECT COUNT(*) FROM household_versions hv WHERE " + Where(), params,
                 [&](const db::ScanRow& r) { n = r.Int(0); });
    return n;
  });
}

Result<RegistryChunk> HouseholdBatchStore::Next() {
  if (done_) return RegistryChunk{};
  return db::Guard([&]() -> Result<RegistryChunk> {
    RegistryChunk c;
    std::vector<double> score;
    std::vector<std::uint8_t> score_present;
    {
      // The households and the score in force at the moment: the current score when it was computed by
      // then, else the replaced one whose time covers the moment.
      const std::string query =
          "SELECT hv.household_id, hv.version, hv.commune_code, hv.latent_log_consumption, "
          "COALESCE(s.score, sh.score), COALESCE(s.model, sh.model), COALESCE(s.model_version, sh.model_version) "
          "FROM household_versions hv "
          "LEFT JOIN household_scores s ON s.household_id = hv.household_id AND s.scored_at <= :s1 "
          "LEFT JOIN household_score_history sh ON s.household_id IS NULL AND sh.household_id = hv.household_id "
          "AND sh.scored_at <= :s2 AND sh.replaced_at > :s3 WHERE " +
          Where() + " AND hv.household_id > :after ORDER BY hv.household_id LIMIT " + std::to_string(chunk_size_);
      std::vector<db::ScanParam> params{as_of_, as_of_, as_of_};
      AddWhereParams(params);
      params.emplace_back(after_);
      db::ScanRows(session_, query, params, [&](const db::ScanRow& r) {
        const std::int64_t id = r.Int(0);
        // Overlapping score history rows would repeat a household: the first row stands.
        if (!c.household_id.empty() && c.household_id.back() == id) return;
        c.household_id.push_back(id);
        c.household_version.push_back(r.Int(1));
        std::string code(r.Null(2) ? std::string_view() : r.Text(2));
        c.region_code.push_back(RegionOfCommune(code));
        c.country.push_back(CountryOfCommune(code));
        c.commune_code.push_back(std::move(code));
        c.latent_log_consumption.push_back(r.Null(3) ? std::numeric_limits<double>::quiet_NaN() : r.Double(3));
        score_present.push_back(r.Null(4) ? 0 : 1);
        score.push_back(r.Null(4) ? 0.0 : r.Double(4));
        c.score_model.emplace_back(r.Null(5) ? std::string_view() : r.Text(5));
        c.score_model_version.emplace_back(r.Null(6) ? std::string_view() : r.Text(6));
      });
    }
    const std::size_t n = c.size();
    if (n < chunk_size_) done_ = true;
    if (n == 0) {
      c.batch.member_offsets = {0};
      return c;
    }
    after_ = c.household_id.back();

    // The members in force at the moment, active then, of the chunk's id range.
    MemberRows m;
    m.Reserve(n * 5);  // about four members per household: no regrowth of ten vectors of strings per chunk
    {
      std::string query =
          "SELECT pv.household_id, pv.person_id, pv.version, pv.relationship, pv.sex, pv.birth_date, "
          "pv.marital_status, pv.schooling, pv.disability_percent, pv.employment_status, pv.family_allowances, "
          "pv.able_to_work, pv.in_institution FROM person_versions pv WHERE pv.household_id BETWEEN :lo AND :hi AND "
          "pv.valid_from <= :t1 "
          "AND pv.valid_to > :t2 AND pv.status = 'active'";
      if (!filter_.household_ids.empty()) query += " AND pv.household_id IN (" + Ids(c.household_id) + ")";
      const std::vector<db::ScanParam> params{c.household_id.front(), c.household_id.back(), as_of_, as_of_};
      auto text = [](const db::ScanRow& r, int i) {
        return r.Null(i) ? std::optional<std::string>() : std::optional<std::string>(r.Text(i));
      };
      auto integer = [](const db::ScanRow& r, int i) {
        return r.Null(i) ? std::optional<std::int64_t>() : std::optional<std::int64_t>(r.Int(i));
      };
      db::ScanRows(session_, query, params, [&](const db::ScanRow& r) {
        const std::int64_t household = r.Int(0);
        auto it = std::lower_bound(c.household_id.begin(), c.household_id.end(), household);
        if (it == c.household_id.end() || *it != household) return;  // a household of the range not read
        m.row.push_back(static_cast<std::uint32_t>(it - c.household_id.begin()));
        m.person_id.push_back(r.Int(1));
        m.version.push_back(r.Int(2));
        m.relationship.push_back(text(r, 3));
        m.sex.push_back(text(r, 4));
        m.birth.push_back(text(r, 5));
        m.marital.push_back(text(r, 6));
        m.schooling.push_back(text(r, 7));
        m.disability.push_back(integer(r, 8));
        m.employment.push_back(text(r, 9));
        m.family.push_back(integer(r, 10));
        m.able.push_back(integer(r, 11));
        m.institution.push_back(integer(r, 12));
      });
    }

    // Members in household order (a counting sort by row), each household's in person id order.
    const std::size_t members = m.row.size();
    auto& offsets = c.batch.member_offsets;
    offsets.assign(n + 1, 0);
    for (auto r : m.row) ++offsets[r + 1];
    std::partial_sum(offsets.begin(), offsets.end(), offsets.begin());
    std::vector<std::uint32_t> order(members);
    {
      std::vector<std::uint32_t> next(offsets.begin(), offsets.end() - 1);
      for (std::uint32_t i = 0; i < members; ++i) order[next[m.row[i]]++] = i;
    }
    for (std::size_t h = 0; h < n; ++h) {
      std::sort(order.begin() + offsets[h], order.begin() + offsets[h + 1],
                [&](std::uint32_t a, std::uint32_t b) { return m.person_id[a] < m.person_id[b]; });
    }

    c.batch.households = n;
    auto& hh = c.batch.household;
    auto& country = Column(hh, "country", Type::kString, n);
    auto& index = Column(hh, "socio_economic_index", Type::kDecimal, n);
    auto& allowance = Column(hh, "receives_family_allowance", Type::kBool, n);
    auto& income = Column(hh, "has_proven_income", Type::kBool, n);
    auto& mm = c.batch.member;
    auto& relationship = Column(mm, "relationship", Type::kString, members);
    auto& sex = Column(mm, "sex", Type::kString, members);
    auto& birth = Column(mm, "birth_date", Type::kDate, members);
    auto& marital = Column(mm, "marital_status", Type::kString, members);
    auto& schooling = Column(mm, "schooling", Type::kString, members);
    auto& disability = Column(mm, "disability_percent", Type::kInt, members);
    // Null when the registry does not record them for a member: a rule reading them is then not computable.
    auto& able = Column(mm, "able_to_work", Type::kBool, members);
    auto& institution = Column(mm, "in_institution", Type::kBool, members);
    c.payee_person_id.assign(n, 0);
    c.person_id.reserve(members);
    c.person_version.reserve(members);
    c.birth_date_text.reserve(members);
    for (std::size_t h = 0; h < n; ++h) {
      country.present.push_back(c.country[h].empty() ? 0 : 1);
      country.strings.push_back(c.country[h]);
      index.present.push_back(score_present[h]);
      index.decimals.push_back(score[h]);
      // Derived from the members (docs/cycles.md): a member's family allowances, a member's income.
      bool any_allowance_known = false, allowance_yes = false, any_employment_known = false, income_yes = false;
      for (std::uint32_t k = offsets[h]; k < offsets[h + 1]; ++k) {
        const std::uint32_t i = order[k];
        c.person_id.push_back(m.person_id[i]);
        c.person_version.push_back(m.version[i]);
        if (c.payee_person_id[h] == 0 && m.relationship[i] == "head") c.payee_person_id[h] = m.person_id[i];
        PushString(relationship, std::move(m.relationship[i]));
        PushString(sex, std::move(m.sex[i]));
        PushInt(birth, m.birth[i] ? BirthDay(*m.birth[i]) : std::nullopt);
        c.birth_date_text.push_back(m.birth[i] ? std::move(*m.birth[i]) : std::string());
        PushString(marital, std::move(m.marital[i]));
        PushString(schooling, std::move(m.schooling[i]));
        PushInt(disability, m.disability[i]);
        PushInt(able, m.able[i]);
        PushInt(institution, m.institution[i]);
        if (m.family[i]) {
          any_allowance_known = true;
          allowance_yes = allowance_yes || *m.family[i] != 0;
        }
        if (m.employment[i] && !m.employment[i]->empty()) {
          any_employment_known = true;
          income_yes = income_yes || ProvesIncome(*m.employment[i]);
        }
      }
      PushInt(allowance, any_allowance_known ? std::optional<std::int64_t>(allowance_yes ? 1 : 0) : std::nullopt);
      PushInt(income, any_employment_known ? std::optional<std::int64_t>(income_yes ? 1 : 0) : std::nullopt);
    }
    return c;
  });
}

}  // namespace sanad::cycles
