#include "registry/benefit_store.h"

#include "db/bulk_load.h"
#include "db/row.h"

namespace sanad::registry {

std::int64_t BenefitStore::InsertBenefit(db::Session& s, const BenefitRow& b) {
  long long id = 0;
  std::optional<long long> pid = b.person_id, hid = b.household_id, amount = b.amount_minor;
  s.sql() << "INSERT INTO benefits (person_id, household_id, programme, kind, benefit_date, amount_minor, currency, "
             "quantity, "
             "unit, reference, source, recorded_at, recorded_by) VALUES (:p, :h, :pr, :k, :d, :a, :c, :q, :u, :r, :s, "
             ":at, :by) "
             "RETURNING id",
      soci::use(pid), soci::use(hid), soci::use(b.programme), soci::use(b.kind), soci::use(b.benefit_date),
      soci::use(amount), soci::use(b.currency), soci::use(b.quantity), soci::use(b.unit), soci::use(b.reference),
      soci::use(b.source), soci::use(b.recorded_at), soci::use(b.recorded_by), soci::into(id);
  return id;
}

void BenefitStore::InsertBenefits(db::Session& s, const std::vector<BenefitRow>& rows) {
  if (rows.empty()) return;
  static const std::vector<std::string> kColumns{"person_id",    "household_id", "programme",  "kind", "benefit_date",
                                                 "amount_minor", "currency",     "quantity",   "unit", "reference",
                                                 "source",       "recorded_at",  "recorded_by"};
  auto opt_int = [](const std::optional<std::int64_t>& v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
  };
  db::ColumnValues cols(kColumns.size());
  for (auto& c : cols) c.reserve(rows.size());
  for (const auto& b : rows) {
    cols[0].push_back(opt_int(b.person_id));
    cols[1].push_back(opt_int(b.household_id));
    cols[2].emplace_back(b.programme);
    cols[3].emplace_back(b.kind);
    cols[4].emplace_back(b.benefit_date);
    cols[5].push_back(opt_int(b.amount_minor));
    cols[6].push_back(b.currency);
    cols[7].push_back(b.quantity ? std::optional<std::string>(std::to_string(*b.quantity)) : std::nullopt);
    cols[8].push_back(b.unit);
    cols[9].emplace_back(b.reference);
    cols[10].emplace_back(b.source);
    cols[11].emplace_back(b.recorded_at);
    cols[12].emplace_back(b.recorded_by);
  }
  db::BulkInsert(s, "benefits", kColumns, cols, rows.size());
}

Result<std::vector<BenefitRow>> BenefitStore::Benefits(std::optional<std::int64_t> person_id,
                                                       std::optional<std::int64_t> household_id) {
  return db::Guard([&]() -> Result<std::vector<BenefitRow>> {
    auto s = db_.Acquire();
    std::optional<long long> pid = person_id, hid = household_id;
    std::vector<BenefitRow> out;
    // A household's ledger includes what its members received.
    soci::rowset<soci::row> rs =
        (s.sql().prepare
             << "SELECT id, person_id, household_id, programme, kind, benefit_date, amount_minor, currency, quantity, "
                "unit, reference, source, recorded_at, recorded_by FROM benefits WHERE "
                "(CAST(:p1 AS BIGINT) IS NOT NULL AND person_id = :p2) OR (CAST(:h1 AS BIGINT) IS NOT NULL AND "
                "(household_id = :h2 OR person_id IN (SELECT id FROM persons WHERE household_id = :h3))) "
                "ORDER BY benefit_date DESC, id DESC",
         soci::use(pid), soci::use(pid), soci::use(hid), soci::use(hid), soci::use(hid));
    for (const auto& r : rs) {
      BenefitRow b;
      b.id = db::RowInt(r, 0);
      b.person_id = db::RowOptInt(r, 1);
      b.household_id = db::RowOptInt(r, 2);
      b.programme = r.get<std::string>(3);
      b.kind = r.get<std::string>(4);
      b.benefit_date = r.get<std::string>(5);
      b.amount_minor = db::RowOptInt(r, 6);
      b.currency = db::RowOptStr(r, 7);
      if (r.get_indicator(8) != soci::i_null) b.quantity = db::RowDouble(r, 8);
      b.unit = db::RowOptStr(r, 9);
      b.reference = r.get<std::string>(10);
      b.source = r.get<std::string>(11);
      b.recorded_at = r.get<std::string>(12);
      b.recorded_by = r.get<std::string>(13);
      out.push_back(std::move(b));
    }
    return out;
  });
}

bool BenefitStore::BenefitRecorded(db::Session& s, const std::string& source, const std::string& reference) {
  long long n = 0;
  s.sql() << "SELECT COUNT(*) FROM benefits WHERE source = :s AND reference = :r", soci::use(source),
      soci::use(reference), soci::into(n);
  return n > 0;
}

void BenefitStore::ReassignBenefits(db::Session& s, std::int64_t from_person, std::int64_t to_person) {
  long long from = from_person, to = to_person;
  s.sql() << "UPDATE benefits SET person_id = :to WHERE person_id = :from", soci::use(to), soci::use(from);
}

}  // namespace sanad::registry
