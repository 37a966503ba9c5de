#include "payments/payment_store.h"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "db/area_scope.h"
#include "db/bulk_load.h"
#include "db/row.h"
#include "payments/money.h"
#include "registry/benefit_store.h"

namespace sanad::payments {
namespace {

// The channel a household is paid through: its account's, or cash withdrawal without one.
constexpr const char* kChannelOf = "COALESCE(pa.channel, 'cash_withdrawal')";

// The name written in the files: the bank account's holder, else the payee's Arabic, else Latin name.
constexpr const char* kPayeeName =
    "COALESCE(pa.holder_name, NULLIF(TRIM(COALESCE(pe.given_name_ar, '') || ' ' || COALESCE(pe.family_name_ar, "
    "'')), ''), NULLIF(TRIM(COALESCE(pe.given_name_lat, '') || ' ' || COALESCE(pe.family_name_lat, '')), ''), '')";

// A cycle's payable entries (migration 0016).
constexpr const char* kPayable = "e.cycle_id = :c AND e.eligible = 1 AND e.amount_minor + e.one_off_minor > 0";

// Failed payments of the programme's earlier cycles that no payment pays again yet.
constexpr const char* kCarriable =
    "f.status = 'failed' AND fc.programme = :pr AND fc.period < :pe AND NOT EXISTS (SELECT 1 FROM payments n "
    "WHERE n.carried_from = f.id)";

constexpr const char* kBatchColumns =
    "b.id, b.cycle_id, b.programme, c.period, b.channel, b.currency, b.state, b.created_at, b.file_format, "
    "b.file_sha256, b.exported_at, b.reconciled_at";

std::string BatchQuery(const std::string& where) {
  return std::string("SELECT ") + kBatchColumns +
         ", COUNT(p.id), COALESCE(SUM(p.amount_minor), 0), "
         "COALESCE(SUM(CASE WHEN p.status = 'paid' THEN 1 ELSE 0 END), 0), "
         "COALESCE(SUM(CASE WHEN p.status = 'failed' THEN 1 ELSE 0 END), 0), "
         "COALESCE(SUM(CASE WHEN p.status = 'pending' THEN 1 ELSE 0 END), 0) "
         "FROM payment_batches b JOIN programme_cycles c ON c.id = b.cycle_id "
         "LEFT JOIN payments p ON p.batch_id = b.id AND " +
         db::AreaScopeSql("p.commune_code", "sc") + " WHERE " + where + " GROUP BY " + kBatchColumns + " ORDER BY b.id";
}

BatchInfo ReadBatch(const soci::row& r) {
  BatchInfo b;
  b.id = db::RowInt(r, 0);
  b.cycle_id = db::RowInt(r, 1);
  b.programme = r.get<std::string>(2);
  b.period = r.get<std::string>(3);
  b.channel = r.get<std::string>(4);
  b.currency = r.get<std::string>(5);
  b.state = r.get<std::string>(6);
  b.created_at = r.get<std::string>(7);
  b.file_format = db::RowOptStr(r, 8);
  b.file_sha256 = db::RowOptStr(r, 9);
  b.exported_at = db::RowOptStr(r, 10);
  b.reconciled_at = db::RowOptStr(r, 11);
  b.payments_count = db::RowInt(r, 12);
  b.total_minor = db::RowInt(r, 13);
  b.paid = db::RowInt(r, 14);
  b.failed = db::RowInt(r, 15);
  b.pending = db::RowInt(r, 16);
  return b;
}

constexpr const char* kPaymentQuery =
    "SELECT p.id, p.end_to_end_id, p.household_id, p.payee_person_id, p.payee_name, p.channel, p.account, "
    "p.amount_minor, p.currency, p.status, p.reason, p.paid_on, p.carried_from, n.id, n.cycle_id, p.commune_code, "
    "p.withdrawal_code_hash "
    "FROM payments p LEFT JOIN payments n ON n.carried_from = p.id ";

PaymentLine ReadPayment(const soci::row& r) {
  PaymentLine p;
  p.id = db::RowInt(r, 0);
  p.end_to_end_id = r.get<std::string>(1);
  p.household_id = db::RowInt(r, 2);
  p.payee_person_id = db::RowOptInt(r, 3);
  p.payee_name = db::RowOptStr(r, 4).value_or("");
  p.channel = r.get<std::string>(5);
  p.account = db::RowOptStr(r, 6);
  p.amount_minor = db::RowInt(r, 7);
  p.currency = r.get<std::string>(8);
  p.status = r.get<std::string>(9);
  p.reason = db::RowOptStr(r, 10);
  p.paid_on = db::RowOptStr(r, 11);
  p.carried_from = db::RowOptInt(r, 12);
  p.carried_to = db::RowOptInt(r, 13);
  p.carried_to_cycle = db::RowOptInt(r, 14);
  p.commune_code = r.get<std::string>(15);
  p.withdrawal_code_hash = db::RowOptStr(r, 16);
  return p;
}

nlohmann::json ProblemsJson(const std::vector<Problem>& problems) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& p : problems) {
    nlohmann::json params = nlohmann::json::object();
    for (const auto& [k, v] : p.params) params[k] = v;
    out.push_back({{"where", p.field}, {"reason", p.reason}, {"params", params}});
  }
  return out;
}

std::vector<Problem> ProblemsFromJson(const std::string& text) {
  std::vector<Problem> out;
  const auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("problems") || !j["problems"].is_array()) return out;
  for (const auto& p : j["problems"]) {
    Problem pr;
    pr.field = p.value("where", "");
    pr.reason = p.value("reason", "");
    if (p.contains("params") && p["params"].is_object()) {
      for (const auto& [k, v] : p["params"].items())
        pr.params.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
    }
    out.push_back(std::move(pr));
  }
  return out;
}

ReconciliationReport ReadReport(const soci::row& r) {
  ReconciliationReport rep;
  rep.id = db::RowInt(r, 0);
  rep.batch_id = db::RowInt(r, 1);
  rep.format = r.get<std::string>(2);
  rep.file_sha256 = r.get<std::string>(3);
  rep.outcome = r.get<std::string>(4);
  rep.lines = db::RowInt(r, 5);
  rep.paid = db::RowInt(r, 6);
  rep.failed = db::RowInt(r, 7);
  rep.unchanged = db::RowInt(r, 8);
  rep.problems = ProblemsFromJson(r.get<std::string>(9));
  rep.imported_at = r.get<std::string>(10);
  rep.imported_by = r.get<std::string>(11);
  return rep;
}

constexpr const char* kReportColumns =
    "SELECT id, batch_id, format, file_sha256, outcome, lines, paid, failed, unchanged, report, imported_at, "
    "imported_by FROM payment_reconciliations ";

}  // namespace

Result<std::optional<StoredAccount>> PaymentStore::GetAccount(std::int64_t household_id) {
  return db::Guard([&]() -> Result<std::optional<StoredAccount>> {
    auto s = db_.Acquire();
    long long id = household_id;
    std::optional<StoredAccount> out;
    db::EachRow(
        s.sql(),
        "SELECT channel, account, holder_name, updated_at, updated_by, version FROM payment_accounts "
        "WHERE household_id = :h",
        [&](soci::statement& st) { st.exchange(soci::use(id)); },
        [&](const soci::row& r) {
          StoredAccount a;
          a.account.channel = ParseChannel(r.get<std::string>(0)).value_or(kDefaultChannel);
          a.account.account = db::RowOptStr(r, 1);
          a.account.holder_name = db::RowOptStr(r, 2);
          a.updated_at = r.get<std::string>(3);
          a.updated_by = r.get<std::string>(4);
          a.version = db::RowInt(r, 5);
          out = std::move(a);
        });
    return out;
  });
}

Result<StoredAccount> PaymentStore::SetAccount(std::int64_t household_id, const Account& account,
                                               std::optional<std::int64_t> expected_version, const std::string& now,
                                               const std::string& by) {
  return db_.InTransaction<StoredAccount>([&](db::Session& s) -> Result<StoredAccount> {
    auto& sql = s.sql();
    long long id = household_id;
    long long current = 0;
    soci::indicator ind = soci::i_null;
    sql << "SELECT version FROM payment_accounts WHERE household_id = :h", soci::use(id), soci::into(current, ind);
    const bool exists = sql.got_data() && ind == soci::i_ok;
    if (expected_version && (exists ? current : 0) != *expected_version) {
      return Failure(
          Code::kConflict, "payment_account.version_conflict",
          {{"expected", std::to_string(*expected_version)}, {"current", std::to_string(exists ? current : 0)}},
          "version");
    }
    const std::string channel(ChannelName(account.channel));
    if (exists) {
      sql << "UPDATE payment_accounts SET channel = :ch, account = :a, holder_name = :n, updated_at = :at, "
             "updated_by = :by, version = version + 1 WHERE household_id = :h",
          soci::use(channel), soci::use(account.account), soci::use(account.holder_name), soci::use(now), soci::use(by),
          soci::use(id);
    } else {
      sql << "INSERT INTO payment_accounts (household_id, channel, account, holder_name, updated_at, updated_by, "
             "version) VALUES (:h, :ch, :a, :n, :at, :by, 1)",
          soci::use(id), soci::use(channel), soci::use(account.account), soci::use(account.holder_name), soci::use(now),
          soci::use(by);
    }
    return StoredAccount{account, now, by, exists ? current + 1 : 1};
  });
}

Result<CreatedBatches> PaymentStore::CreateBatches(std::int64_t cycle_id, const std::string& now,
                                                   const std::string& by) {
  const ReadScope national{std::nullopt, now.substr(0, 10)};
  auto created = db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto& sql = s.sql();
    long long c = cycle_id;
    std::string programme, period, state, currency;
    sql << "SELECT programme, period, state, currency FROM programme_cycles WHERE id = :c", soci::use(c),
        soci::into(programme), soci::into(period), soci::into(state), soci::into(currency);
    if (!sql.got_data()) {
      return Failure(Code::kNotFound, "payments.cycle_not_found", {{"id", std::to_string(cycle_id)}}, "id");
    }
    long long existing = 0;
    sql << "SELECT COUNT(*) FROM payment_batches WHERE cycle_id = :c", soci::use(c), soci::into(existing);
    if (existing > 0) return false;
    if (state != "approved") {
      return Failure(Code::kFailedPrecondition, "payments.cycle_not_approved",
                     {{"id", std::to_string(cycle_id)}, {"state", state}}, "id");
    }
    // One batch per channel that this cycle's payments (its own and the ones carried over) use.
    sql << std::string(
               "INSERT INTO payment_batches (cycle_id, programme, channel, currency, state, created_at, "
               "created_by) SELECT DISTINCT CAST(:c0 AS BIGINT), CAST(:pr0 AS TEXT), x.channel, CAST(:cur AS TEXT), "
               "'created', CAST(:now AS TEXT), CAST(:by AS TEXT) FROM (") +
               "SELECT " + kChannelOf +
               " AS channel FROM cycle_entries e LEFT JOIN payment_accounts pa ON "
               "pa.household_id = e.household_id WHERE " +
               kPayable + " UNION SELECT " + kChannelOf +
               " FROM payments f JOIN programme_cycles fc ON fc.id = f.cycle_id LEFT JOIN payment_accounts pa "
               "ON pa.household_id = f.household_id WHERE " +
               kCarriable + ") x",
        soci::use(c), soci::use(programme), soci::use(currency), soci::use(now), soci::use(by), soci::use(c),
        soci::use(programme), soci::use(period);
    // This cycle's payments: the end-to-end id is C<cycle>H<household>, unique and the same on every run.
    sql << std::string(
               "INSERT INTO payments (batch_id, cycle_id, household_id, payee_person_id, commune_code, "
               "end_to_end_id, amount_minor, currency, channel, account, payee_name, status) "
               "SELECT b.id, e.cycle_id, e.household_id, e.payee_person_id, e.commune_code, "
               "'C' || e.cycle_id || 'H' || e.household_id, e.amount_minor + e.one_off_minor, b.currency, "
               "b.channel, pa.account, ") +
               kPayeeName +
               ", 'pending' FROM cycle_entries e LEFT JOIN payment_accounts pa ON pa.household_id = e.household_id "
               "LEFT JOIN persons pe ON pe.id = e.payee_person_id JOIN payment_batches b ON b.cycle_id = e.cycle_id "
               "AND b.channel = " +
               kChannelOf + " WHERE " + kPayable,
        soci::use(c);
    // Failed payments carried over: C<cycle>R<failed payment id>, through the household's current account.
    sql << std::string(
               "INSERT INTO payments (batch_id, cycle_id, household_id, payee_person_id, commune_code, "
               "end_to_end_id, amount_minor, currency, channel, account, payee_name, status, carried_from) "
               "SELECT b.id, b.cycle_id, f.household_id, f.payee_person_id, f.commune_code, "
               "'C' || b.cycle_id || 'R' || f.id, f.amount_minor, f.currency, b.channel, pa.account, ") +
               kPayeeName +
               ", 'pending', f.id FROM payments f JOIN programme_cycles fc ON fc.id = f.cycle_id "
               "LEFT JOIN payment_accounts pa ON pa.household_id = f.household_id "
               "LEFT JOIN persons pe ON pe.id = f.payee_person_id JOIN payment_batches b ON b.cycle_id = :cb AND "
               "b.channel = " +
               kChannelOf + " WHERE " + kCarriable,
        soci::use(c), soci::use(programme), soci::use(period);
    // The control totals the files are checked against.
    sql << "UPDATE payment_batches SET payments_count = (SELECT COUNT(*) FROM payments p WHERE p.batch_id = "
           "payment_batches.id), total_minor = (SELECT COALESCE(SUM(p.amount_minor), 0) FROM payments p WHERE "
           "p.batch_id = payment_batches.id) WHERE cycle_id = :c",
        soci::use(c);
    return true;
  });
  // Two servers creating the same cycle's batches at once: the unique index lets one win; the other
  // returns what the winner wrote.
  if (!created && created.error().code == Code::kAlreadyExists) created = false;
  if (!created) return std::unexpected(created.error());
  auto batches = Batches(cycle_id, national);
  if (!batches) return std::unexpected(batches.error());
  return CreatedBatches{*created, std::move(*batches)};
}

Result<std::vector<BatchInfo>> PaymentStore::Batches(std::int64_t cycle_id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::vector<BatchInfo>> {
    auto s = db_.Acquire();
    long long c = cycle_id;
    db::AreaScope sc{scope.area, scope.day};
    std::vector<BatchInfo> out;
    db::EachRow(
        s.sql(), BatchQuery("b.cycle_id = :c"),
        [&](soci::statement& st) {
          sc.Bind(st);
          st.exchange(soci::use(c));
        },
        [&](const soci::row& r) { out.push_back(ReadBatch(r)); });
    return out;
  });
}

Result<std::optional<BatchInfo>> PaymentStore::Batch(std::int64_t batch_id, const ReadScope& scope) {
  return db::Guard([&]() -> Result<std::optional<BatchInfo>> {
    auto s = db_.Acquire();
    long long b = batch_id;
    db::AreaScope sc{scope.area, scope.day};
    std::optional<BatchInfo> out;
    db::EachRow(
        s.sql(), BatchQuery("b.id = :b"),
        [&](soci::statement& st) {
          sc.Bind(st);
          st.exchange(soci::use(b));
        },
        [&](const soci::row& r) { out = ReadBatch(r); });
    return out;
  });
}

Result<std::vector<PaymentLine>> PaymentStore::Payments(std::int64_t batch_id, const ReadScope& scope,
                                                        const std::optional<std::string>& status, std::size_t limit,
                                                        std::size_t offset) {
  return db::Guard([&]() -> Result<std::vector<PaymentLine>> {
    auto s = db_.Acquire();
    long long b = batch_id;
    db::AreaScope sc{scope.area, scope.day};
    std::vector<PaymentLine> out;
    db::EachRow(
        s.sql(),
        std::string(kPaymentQuery) + "WHERE p.batch_id = :b AND (CAST(:st1 AS TEXT) IS NULL OR p.status = :st2) AND " +
            db::AreaScopeSql("p.commune_code", "sc") + " ORDER BY p.id" +
            // Paging numbers are the caller's, inlined.
            (limit > 0 ? " LIMIT " + std::to_string(limit) + " OFFSET " + std::to_string(offset) : std::string()),
        [&](soci::statement& st) {
          st.exchange(soci::use(b));
          st.exchange(soci::use(status));
          st.exchange(soci::use(status));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(ReadPayment(r)); });
    return out;
  });
}

Result<std::vector<PaymentLine>> PaymentStore::FailedPayments(const std::string& programme, const ReadScope& scope,
                                                              std::size_t limit) {
  return db::Guard([&]() -> Result<std::vector<PaymentLine>> {
    auto s = db_.Acquire();
    db::AreaScope sc{scope.area, scope.day};
    std::vector<PaymentLine> out;
    // The limit is the caller's number: inlined.
    db::EachRow(
        s.sql(),
        std::string(kPaymentQuery) +
            "JOIN programme_cycles fc ON fc.id = p.cycle_id WHERE p.status = 'failed' AND fc.programme = :pr AND " +
            db::AreaScopeSql("p.commune_code", "sc") + " ORDER BY p.id DESC LIMIT " + std::to_string(limit),
        [&](soci::statement& st) {
          st.exchange(soci::use(programme));
          sc.Bind(st);
        },
        [&](const soci::row& r) { out.push_back(ReadPayment(r)); });
    return out;
  });
}

Result<PaymentStore::IssuedCodes> PaymentStore::IssueWithdrawalCodes(std::int64_t batch_id) {
  return db_.InTransaction<IssuedCodes>([&](db::Session& s) -> Result<IssuedCodes> {
    auto& sql = s.sql();
    long long b = batch_id;
    std::string channel;
    sql << "SELECT channel FROM payment_batches WHERE id = :b", soci::use(b), soci::into(channel);
    if (!sql.got_data()) {
      return Failure(Code::kNotFound, "payment_batch.not_found", {{"id", std::to_string(batch_id)}}, "id");
    }
    if (channel != ChannelName(Channel::kCashWithdrawal)) {
      return Failure(Code::kFailedPrecondition, "payments.codes_cash_only", {{"channel", channel}}, "id");
    }
    IssuedCodes out;
    const std::string pending = "pending";
    db::EachRow(
        sql, std::string(kPaymentQuery) + "WHERE p.batch_id = :b AND p.status = :st ORDER BY p.id",
        [&](soci::statement& st) {
          st.exchange(soci::use(b));
          st.exchange(soci::use(pending));
        },
        [&](const soci::row& r) { out.payments.push_back(ReadPayment(r)); });
    // The hashes go into a temporary table of this connection so that the update is one statement.
    db::OpenScratchTable(s, "withdrawal_codes", "end_to_end_id TEXT PRIMARY KEY, code_hash TEXT");
    db::ColumnValues cols(2);
    for (auto& p : out.payments) {
      out.codes.push_back(NewWithdrawalCode());
      p.withdrawal_code_hash = WithdrawalCodeHash(p.end_to_end_id, out.codes.back());
      cols[0].emplace_back(p.end_to_end_id);
      cols[1].push_back(p.withdrawal_code_hash);
    }
    db::BulkInsert(s, "withdrawal_codes", {"end_to_end_id", "code_hash"}, cols, out.payments.size());
    sql << "UPDATE payments SET withdrawal_code_hash = (SELECT w.code_hash FROM withdrawal_codes w WHERE "
           "w.end_to_end_id = payments.end_to_end_id) WHERE batch_id = :b AND status = 'pending'",
        soci::use(b);
    db::EmptyScratchTable(s, "withdrawal_codes");
    return out;
  });
}

Status PaymentStore::RecordExport(std::int64_t batch_id, const std::string& format, const std::string& sha256,
                                  const std::string& now, const std::string& by) {
  return db::Guard([&]() -> Status {
    auto s = db_.Acquire();
    long long b = batch_id;
    s.sql() << "UPDATE payment_batches SET file_format = :f, file_sha256 = :h, exported_at = :at, exported_by = :by, "
               "state = CASE WHEN state = 'created' THEN 'exported' ELSE state END WHERE id = :b",
        soci::use(format), soci::use(sha256), soci::use(now), soci::use(by), soci::use(b);
    return Ok();
  });
}

Result<ReconciliationReport> PaymentStore::Reconcile(std::int64_t batch_id, const ParsedFile& file,
                                                     const std::string& format, const std::string& sha256,
                                                     const std::string& now, const std::string& by) {
  return db_.InTransaction<ReconciliationReport>([&](db::Session& s) -> Result<ReconciliationReport> {
    auto& sql = s.sql();
    long long b = batch_id;
    std::string currency, programme;
    sql << "SELECT currency, programme FROM payment_batches WHERE id = :b", soci::use(b), soci::into(currency),
        soci::into(programme);
    if (!sql.got_data()) {
      return Failure(Code::kNotFound, "payment_batch.not_found", {{"id", std::to_string(batch_id)}}, "id");
    }
    // The batch's payments as they stand, read once (a batch is bounded by the cycle's size).
    struct Payee {
      long long household_id;
      std::optional<long long> person_id;
    };
    std::unordered_map<std::string, PaymentState> states;
    std::unordered_map<std::string, Payee> payees;
    db::EachRow(
        sql,
        "SELECT end_to_end_id, amount_minor, status, reason, household_id, payee_person_id FROM payments "
        "WHERE batch_id = :b",
        [&](soci::statement& st) { st.exchange(soci::use(b)); },
        [&](const soci::row& r) {
          const auto id = r.get<std::string>(0);
          states.emplace(id, PaymentState{db::RowInt(r, 1), r.get<std::string>(2), db::RowOptStr(r, 3).value_or("")});
          payees.emplace(id, Payee{db::RowInt(r, 4), db::RowOptInt(r, 5)});
        });
    ReconPlan plan = CheckReconciliation(file.lines, states, currency);
    ReconciliationReport rep;
    rep.batch_id = batch_id;
    rep.format = format;
    rep.file_sha256 = sha256;
    rep.lines = static_cast<std::int64_t>(file.lines.size() + file.problems.size());
    rep.imported_at = now;
    rep.imported_by = by;
    rep.problems = file.problems;
    rep.problems.insert(rep.problems.end(), plan.problems.begin(), plan.problems.end());
    InFileOrder(rep.problems);
    if (!rep.problems.empty()) {
      rep.outcome = "rejected";
    } else {
      rep.paid = static_cast<std::int64_t>(plan.paid);
      rep.failed = static_cast<std::int64_t>(plan.failed);
      rep.unchanged = static_cast<std::int64_t>(plan.unchanged);
      rep.outcome = plan.to_apply.empty() ? "unchanged" : "applied";
    }
    if (rep.outcome == "applied") {
      // The outcomes go into a temporary table of this connection so that the update is one statement.
      db::OpenScratchTable(s, "recon_lines", "end_to_end_id TEXT PRIMARY KEY, status TEXT, reason TEXT, paid_on TEXT");
      const std::size_t n = plan.to_apply.size();
      db::ColumnValues cols(4);
      for (const auto& l : plan.to_apply) {
        const bool paid = l.outcome == Outcome::kPaid;
        cols[0].emplace_back(l.end_to_end_id);
        cols[1].emplace_back(paid ? "paid" : "failed");
        cols[2].push_back(paid ? std::nullopt : std::optional<std::string>(l.reason));
        cols[3].push_back(l.date.empty() ? std::nullopt : std::optional<std::string>(l.date));
      }
      db::BulkInsert(s, "recon_lines", {"end_to_end_id", "status", "reason", "paid_on"}, cols, n);
      soci::statement update =
          (sql.prepare << "UPDATE payments SET status = (SELECT r.status FROM recon_lines r WHERE r.end_to_end_id = "
                          "payments.end_to_end_id), reason = (SELECT r.reason FROM recon_lines r WHERE "
                          "r.end_to_end_id = payments.end_to_end_id), paid_on = (SELECT r.paid_on FROM recon_lines r "
                          "WHERE r.end_to_end_id = payments.end_to_end_id), reconciled_at = :now WHERE batch_id = :b "
                          "AND status = 'pending' AND end_to_end_id IN (SELECT end_to_end_id FROM recon_lines)",
           soci::use(now), soci::use(b));
      update.execute(true);
      if (static_cast<std::size_t>(update.get_affected_rows()) != n) {
        // Another import changed these payments since they were read: nothing is applied.
        return Failure(Code::kConflict, "reconciliation.concurrent", {{"id", std::to_string(batch_id)}}, "file");
      }
      db::EmptyScratchTable(s, "recon_lines");
      // Paid payments go to the benefit ledger in one bulk insert; the ledger's unique (source,
      // reference) index would refuse a line written twice.
      std::vector<registry::BenefitRow> ledger;
      for (const auto& l : plan.to_apply) {
        if (l.outcome != Outcome::kPaid) continue;
        const Payee& p = payees.at(l.end_to_end_id);
        registry::BenefitRow row;
        row.person_id = p.person_id;
        row.household_id = p.household_id;
        row.programme = programme;
        row.kind = "cash";
        row.benefit_date = l.date;
        row.amount_minor = l.amount_minor;
        row.currency = currency;
        row.reference = l.end_to_end_id;
        row.source = "payments";
        row.recorded_at = now;
        row.recorded_by = by;
        ledger.push_back(std::move(row));
      }
      registry::BenefitStore(db_).InsertBenefits(s, ledger);
      sql << "UPDATE payment_batches SET state = 'reconciled', reconciled_at = :now WHERE id = :b AND NOT EXISTS "
             "(SELECT 1 FROM payments p WHERE p.batch_id = :b2 AND p.status = 'pending')",
          soci::use(now), soci::use(b), soci::use(b);
    }
    const std::string report = nlohmann::json{{"problems", ProblemsJson(rep.problems)}}.dump();
    long long lines = rep.lines, paid = rep.paid, failed = rep.failed, unchanged = rep.unchanged, id = 0;
    sql << "INSERT INTO payment_reconciliations (batch_id, format, file_sha256, outcome, lines, paid, failed, "
           "unchanged, report, imported_at, imported_by) VALUES (:b, :f, :h, :o, :l, :p, :fa, :u, :r, :at, :by) "
           "RETURNING id",
        soci::use(b), soci::use(format), soci::use(sha256), soci::use(rep.outcome), soci::use(lines), soci::use(paid),
        soci::use(failed), soci::use(unchanged), soci::use(report), soci::use(now), soci::use(by), soci::into(id);
    rep.id = id;
    return rep;
  });
}

Result<std::vector<ReconciliationReport>> PaymentStore::Reconciliations(std::int64_t batch_id) {
  return db::Guard([&]() -> Result<std::vector<ReconciliationReport>> {
    auto s = db_.Acquire();
    long long b = batch_id;
    std::vector<ReconciliationReport> out;
    db::EachRow(
        s.sql(), std::string(kReportColumns) + "WHERE batch_id = :b ORDER BY id DESC",
        [&](soci::statement& st) { st.exchange(soci::use(b)); },
        [&](const soci::row& r) { out.push_back(ReadReport(r)); });
    return out;
  });
}

Result<std::optional<ReconciliationReport>> PaymentStore::Reconciliation(std::int64_t id) {
  return db::Guard([&]() -> Result<std::optional<ReconciliationReport>> {
    auto s = db_.Acquire();
    long long i = id;
    std::optional<ReconciliationReport> out;
    db::EachRow(
        s.sql(), std::string(kReportColumns) + "WHERE id = :i", [&](soci::statement& st) { st.exchange(soci::use(i)); },
        [&](const soci::row& r) { out = ReadReport(r); });
    return out;
  });
}

Result<bool> PaymentStore::MarkCyclePaid(std::int64_t cycle_id, const std::string& now) {
  return db_.InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    long long c = cycle_id;
    soci::statement st =
        (s.sql().prepare << "UPDATE programme_cycles SET state = 'paid', paid_at = :now, version = version + 1 "
                            "WHERE id = :c AND state = 'approved' AND EXISTS (SELECT 1 FROM payment_batches b WHERE "
                            "b.cycle_id = :c2) AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.cycle_id = :c3 AND "
                            "p.status = 'pending')",
         soci::use(now), soci::use(c), soci::use(c), soci::use(c));
    st.execute(true);
    return st.get_affected_rows() > 0;
  });
}

}  // namespace sanad::payments
