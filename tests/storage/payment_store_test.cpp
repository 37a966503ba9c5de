// Payments' store (src/payments/payment_store.h) on SQLite and PostgreSQL: batches per channel created
// once per cycle, failed payments carried over once, reconciliation all or nothing with benefit-ledger
// lines, the same file twice, the reader's area scope, and a cycle becoming paid.
#include "payments/payment_store.h"

#include <gtest/gtest.h>

#include <map>

#include "db/migrations.h"
#include "db/row.h"
#include "payments/money.h"
#include "test_db.h"

namespace sanad::payments {
namespace {

constexpr const char* kNow = "2026-12-05T10:00:00.000000Z";
constexpr const char* kRib = "011780000001234567890187";

class PaymentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(sanad::testing::FreshDatabaseUrl(sanad::testing::BackendFromEnv()), 2);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    store_ = std::make_unique<PaymentStore>(*db_);
    auto s = db_->Acquire();
    // Two regions' closure rows, enough for the scope condition.
    for (const char* c : {"MA-03.231.01.03", "MA-08.111.01.01"}) {
      const std::string commune = c, region = commune.substr(0, 5);
      s.sql() << "INSERT INTO area_ancestors (ancestor, descendant, depth, valid_from, valid_to) VALUES "
                 "(:a, :d, 3, '0000-01-01', '9999-12-31')",
          soci::use(region), soci::use(commune);
    }
  }

  // A household with its head (Arabic name); returns {household, person}.
  std::pair<std::int64_t, std::int64_t> Household(const std::string& commune, const std::string& given) {
    auto s = db_->Acquire();
    const std::string ref = "H" + std::to_string(++households_);
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "(:r, :c, 1, 'active', 'now', 'now')",
        soci::use(ref), soci::use(commune);
    long long h = 0, p = 0;
    s.sql() << "SELECT id FROM households WHERE ref = :r", soci::use(ref), soci::into(h);
    const std::string family = "العلوي";
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, "
               "family_name_ar, created_at, updated_at) VALUES (:h, 'head', 'F', '1980-01-01', 'active', :g, :f, "
               "'now', 'now') RETURNING id",
        soci::use(h), soci::use(given), soci::use(family), soci::into(p);
    return {h, p};
  }

  std::int64_t Cycle(const std::string& period, const std::string& state = "approved",
                     const std::string& programme = "ASD") {
    auto s = db_->Acquire();
    long long id = 0;
    const std::string now = kNow;
    s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
               "generated_at, generated_by) VALUES (:p, :pe, :co, :s, 'MAD', 'x', :at, 'alice') RETURNING id",
        soci::use(programme), soci::use(period), soci::use(now), soci::use(state), soci::use(now), soci::into(id);
    return id;
  }

  void Entry(std::int64_t cycle, std::pair<std::int64_t, std::int64_t> hp, const std::string& commune, int eligible,
             long long amount, long long one_off = 0) {
    auto s = db_->Acquire();
    long long c = cycle, h = hp.first, p = hp.second;
    s.sql() << "INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, payee_person_id, "
               "eligible, amount_minor, one_off_minor, details) VALUES (:c, :h, 1, :co, :p, :e, :a, :o, '{}')",
        soci::use(c), soci::use(h), soci::use(commune), soci::use(p), soci::use(eligible), soci::use(amount),
        soci::use(one_off);
  }

  void SetState(std::int64_t cycle, const std::string& state) {
    auto s = db_->Acquire();
    long long c = cycle;
    s.sql() << "UPDATE programme_cycles SET state = :s WHERE id = :c", soci::use(state), soci::use(c);
  }

  long long Count(const std::string& query) {
    auto s = db_->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  std::map<std::string, BatchInfo> ByChannel(const std::vector<BatchInfo>& batches) {
    std::map<std::string, BatchInfo> out;
    for (const auto& b : batches) out[b.channel] = b;
    return out;
  }

  static ReadScope National() { return {std::nullopt, "2026-12-05"}; }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<PaymentStore> store_;
  int households_ = 0;
};

constexpr const char* kCasa = "MA-03.231.01.03";
constexpr const char* kSouss = "MA-08.111.01.01";

TEST_F(PaymentStoreTest, AccountsAreStoredWithAVersion) {
  auto h = Household(kCasa, "فاطمة");
  EXPECT_FALSE(store_->GetAccount(h.first).value());
  auto set = store_->SetAccount(h.first, {Channel::kBankTransfer, kRib, "Fatima Alaoui"}, std::nullopt, kNow, "bob");
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(set->version, 1);
  auto stale = store_->SetAccount(h.first, {Channel::kCashWithdrawal, {}, {}}, 0, kNow, "bob");
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().code, Code::kConflict);
  ASSERT_TRUE(store_->SetAccount(h.first, {Channel::kMobileWallet, "+212612345678", {}}, 1, kNow, "bob"));
  auto got = store_->GetAccount(h.first);
  ASSERT_TRUE(got && *got);
  EXPECT_EQ((*got)->account.channel, Channel::kMobileWallet);
  EXPECT_EQ((*got)->version, 2);
}

TEST_F(PaymentStoreTest, CreatesOneBatchPerChannelOnceWithOnePaymentPerPayableEntry) {
  auto cash = Household(kCasa, "فاطمة");
  auto bank = Household(kCasa, "خديجة");
  auto wallet = Household(kSouss, "يوسف");
  auto ineligible = Household(kCasa, "مريم");
  auto nothing_due = Household(kCasa, "سعيد");
  ASSERT_TRUE(store_->SetAccount(bank.first, {Channel::kBankTransfer, kRib, "Khadija & Co"}, std::nullopt, kNow, "b"));
  ASSERT_TRUE(store_->SetAccount(wallet.first, {Channel::kMobileWallet, "+212612345678", {}}, std::nullopt, kNow, "b"));
  const auto c = Cycle("2026-12", "draft");
  Entry(c, cash, kCasa, 1, 1);                // one centime
  Entry(c, bank, kCasa, 1, 99999999900, 99);  // 999,999,999.99 with its one-off
  Entry(c, wallet, kSouss, 1, 50000, 20000);
  Entry(c, ineligible, kCasa, 0, 0);
  Entry(c, nothing_due, kCasa, 1, 0, 0);

  auto draft = store_->CreateBatches(c, kNow, "olga");
  ASSERT_FALSE(draft);
  EXPECT_EQ(draft.error().reason, "payments.cycle_not_approved");
  EXPECT_EQ(store_->CreateBatches(c + 100, kNow, "olga").error().code, Code::kNotFound);
  SetState(c, "approved");

  auto first = store_->CreateBatches(c, kNow, "olga");
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  auto batches = ByChannel(first->batches);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches["cash_withdrawal"].payments_count, 1);
  EXPECT_EQ(batches["cash_withdrawal"].total_minor, 1);
  EXPECT_EQ(batches["bank_transfer"].total_minor, 99999999999);
  EXPECT_EQ(batches["mobile_wallet"].total_minor, 70000);
  EXPECT_EQ(batches["bank_transfer"].currency, "MAD");
  EXPECT_EQ(batches["bank_transfer"].period, "2026-12");

  auto lines = store_->Payments(batches["bank_transfer"].id, National());
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), 1u);
  const auto& p = (*lines)[0];
  EXPECT_EQ(p.end_to_end_id, "C" + std::to_string(c) + "H" + std::to_string(bank.first));
  EXPECT_LE(p.end_to_end_id.size(), 35u);
  EXPECT_EQ(p.account, kRib);
  EXPECT_EQ(p.payee_name, "Khadija & Co");  // the bank's holder
  EXPECT_EQ(p.payee_person_id, bank.second);
  EXPECT_EQ(p.status, "pending");
  auto cash_lines = store_->Payments(batches["cash_withdrawal"].id, National());
  ASSERT_TRUE(cash_lines);
  EXPECT_EQ((*cash_lines)[0].payee_name, "فاطمة العلوي");  // the head's Arabic name

  // Twice: the same batches, nothing added.
  auto again = store_->CreateBatches(c, kNow, "olga");
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  auto same = ByChannel(again->batches);
  for (const auto& [ch, b] : batches) {
    EXPECT_EQ(same[ch].id, b.id);
    EXPECT_EQ(same[ch].payments_count, b.payments_count);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments"), 3);
}

TEST_F(PaymentStoreTest, ReconciliationAppliesAllOrNothingAndTheSameFileTwiceChangesNothing) {
  auto a = Household(kCasa, "فاطمة");
  auto b = Household(kSouss, "خديجة");
  const auto c = Cycle("2026-12");
  Entry(c, a, kCasa, 1, 1);
  Entry(c, b, kSouss, 1, 99999999999);
  auto made = store_->CreateBatches(c, kNow, "olga");
  ASSERT_TRUE(made);
  ASSERT_EQ(made->batches.size(), 1u);
  const auto batch = made->batches[0].id;
  const std::string ea = "C" + std::to_string(c) + "H" + std::to_string(a.first);
  const std::string eb = "C" + std::to_string(c) + "H" + std::to_string(b.first);

  // One bad line (unknown id) among good ones: refused, nothing applied, the report kept.
  auto bad = ParseReconciliationCsv("end_to_end_id,status,reason,amount_minor,date\n" + ea +
                                    ",paid,,1,2026-12-11\nC999H1,paid,,5,2026-12-11\n" + eb +
                                    ",failed,AC04,99999999999,2026-12-11\n");
  ASSERT_TRUE(bad);
  auto refused = store_->Reconcile(batch, *bad, "csv", "h1", kNow, "olga");
  ASSERT_TRUE(refused) << refused.error().message;
  EXPECT_EQ(refused->outcome, "rejected");
  ASSERT_EQ(refused->problems.size(), 1u);
  EXPECT_EQ(refused->problems[0].field, "line 3");
  EXPECT_EQ(refused->problems[0].reason, "reconciliation.unknown_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE status <> 'pending'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits"), 0);
  auto kept = store_->Reconciliation(refused->id);
  ASSERT_TRUE(kept && *kept);
  EXPECT_EQ((*kept)->problems.size(), 1u);
  EXPECT_EQ((*kept)->problems[0].field, "line 3");

  auto good = ParseReconciliationCsv("end_to_end_id,status,reason,amount_minor,date\n" + ea + ",paid,,1,2026-12-11\n" +
                                     eb + ",failed,AC04,99999999999,2026-12-11\n");
  ASSERT_TRUE(good);
  auto applied = store_->Reconcile(batch, *good, "csv", "h2", kNow, "olga");
  ASSERT_TRUE(applied) << applied.error().message;
  EXPECT_EQ(applied->outcome, "applied");
  EXPECT_EQ(applied->paid, 1);
  EXPECT_EQ(applied->failed, 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits WHERE source = 'payments' AND reference = '" + ea +
                  "' AND amount_minor = 1 AND programme = 'ASD' AND benefit_date = '2026-12-11' AND kind = 'cash'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE status = 'failed' AND reason = 'AC04'"), 1);
  auto info = store_->Batch(batch, National());
  ASSERT_TRUE(info && *info);
  EXPECT_EQ((*info)->state, "reconciled");
  EXPECT_EQ((*info)->paid, 1);
  EXPECT_EQ((*info)->failed, 1);

  auto twice = store_->Reconcile(batch, *good, "csv", "h2", kNow, "olga");
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->outcome, "unchanged");
  EXPECT_EQ(twice->unchanged, 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits"), 1);

  // A later file that says otherwise is refused line by line.
  auto other = ParseReconciliationCsv("end_to_end_id,status,reason,amount_minor,date\n" + eb +
                                      ",paid,,99999999999,2026-12-12\n");
  auto conflict = store_->Reconcile(batch, *other, "csv", "h3", kNow, "olga");
  ASSERT_TRUE(conflict);
  EXPECT_EQ(conflict->outcome, "rejected");
  EXPECT_EQ(conflict->problems[0].reason, "reconciliation.conflict");
  auto reports = store_->Reconciliations(batch);
  ASSERT_TRUE(reports);
  EXPECT_EQ(reports->size(), 4u);
}

TEST_F(PaymentStoreTest, Camt054WithAReturnReasonFailsThePaymentAndItIsCarriedOverOnce) {
  auto a = Household(kCasa, "فاطمة");
  auto b = Household(kCasa, "خديجة");
  ASSERT_TRUE(store_->SetAccount(a.first, {Channel::kBankTransfer, kRib, "Fatima"}, std::nullopt, kNow, "b"));
  ASSERT_TRUE(store_->SetAccount(b.first, {Channel::kBankTransfer, kRib, "Khadija"}, std::nullopt, kNow, "b"));
  const auto nov = Cycle("2026-11");
  Entry(nov, a, kCasa, 1, 50000);
  Entry(nov, b, kCasa, 1, 50000);
  auto made = store_->CreateBatches(nov, kNow, "olga");
  ASSERT_TRUE(made);
  const auto batch = made->batches.at(0).id;
  const std::string ea = "C" + std::to_string(nov) + "H" + std::to_string(a.first);
  const std::string eb = "C" + std::to_string(nov) + "H" + std::to_string(b.first);
  const std::string camt =
      "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02\"><BkToCstmrDbtCdtNtfctn><Ntfctn>"
      "<Ntry><Amt Ccy=\"MAD\">1000.00</Amt><Sts>BOOK</Sts><BookgDt><Dt>2026-11-28</Dt></BookgDt><NtryDtls>"
      "<TxDtls><Refs><EndToEndId>" +
      ea +
      "</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"MAD\">500.00</Amt>"
      "</TxAmt></AmtDtls></TxDtls>"
      "<TxDtls><Refs><EndToEndId>" +
      eb +
      "</EndToEndId></Refs><AmtDtls><TxAmt><Amt Ccy=\"MAD\">500.00</Amt>"
      "</TxAmt></AmtDtls><RtrInf><Rsn><Cd>AC04</Cd></Rsn></RtrInf></TxDtls>"
      "</NtryDtls></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>";
  auto file = ParseCamt054(camt);
  ASSERT_TRUE(file) << file.error().reason;
  auto applied = store_->Reconcile(batch, *file, "camt054", Sha256Hex(camt), kNow, "olga");
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_EQ(applied->outcome, "applied") << (applied->problems.empty() ? "" : applied->problems[0].reason);
  EXPECT_EQ(applied->failed, 1);
  EXPECT_TRUE(*store_->MarkCyclePaid(nov, kNow));  // nothing pending: paid (the failure goes on)

  // The household gives a new account (a wallet): the December batches pay the failure through it.
  ASSERT_TRUE(store_->SetAccount(b.first, {Channel::kMobileWallet, "+212612345678", {}}, 1, kNow, "b"));
  const auto dec = Cycle("2026-12");
  Entry(dec, a, kCasa, 1, 50000);
  Entry(dec, b, kCasa, 1, 60000);
  auto december = store_->CreateBatches(dec, kNow, "olga");
  ASSERT_TRUE(december) << december.error().message;
  auto batches = ByChannel(december->batches);
  ASSERT_EQ(batches.size(), 2u);
  EXPECT_EQ(batches["mobile_wallet"].payments_count, 2);  // December's and November's carried
  EXPECT_EQ(batches["mobile_wallet"].total_minor, 110000);
  auto wallet = store_->Payments(batches["mobile_wallet"].id, National());
  ASSERT_TRUE(wallet);
  long long failed_id = Count("SELECT id FROM payments WHERE end_to_end_id = '" + eb + "'");
  int carried = 0;
  for (const auto& p : *wallet) {
    if (!p.carried_from) continue;
    ++carried;
    EXPECT_EQ(*p.carried_from, failed_id);
    EXPECT_EQ(p.end_to_end_id, "C" + std::to_string(dec) + "R" + std::to_string(failed_id));
    EXPECT_EQ(p.account, "+212612345678");
    EXPECT_EQ(p.amount_minor, 50000);
  }
  EXPECT_EQ(carried, 1);
  // The November payment says where it went.
  auto nov_lines = store_->Payments(batch, National());
  ASSERT_TRUE(nov_lines);
  for (const auto& p : *nov_lines) {
    if (p.end_to_end_id == eb) {
      EXPECT_EQ(p.carried_to_cycle, dec);
    }
  }
  auto failures = store_->FailedPayments("ASD", National(), 50);
  ASSERT_TRUE(failures);
  ASSERT_EQ(failures->size(), 1u);
  EXPECT_EQ((*failures)[0].reason, "AC04");

  // Carried once: January does not carry it again, and December twice changes nothing.
  ASSERT_TRUE(store_->CreateBatches(dec, kNow, "olga"));
  const auto jan = Cycle("2027-01");
  Entry(jan, a, kCasa, 1, 50000);
  ASSERT_TRUE(store_->CreateBatches(jan, kNow, "olga"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE carried_from IS NOT NULL"), 1);
  EXPECT_FALSE(*store_->MarkCyclePaid(dec, kNow));  // December's payments are pending
}

TEST_F(PaymentStoreTest, WithdrawalCodesAreIssuedForCashBatchesAndOnlyTheirHashIsStored) {
  auto a = Household(kCasa, "فاطمة");
  auto b = Household(kCasa, "خديجة");
  ASSERT_TRUE(store_->SetAccount(b.first, {Channel::kBankTransfer, kRib, "Khadija"}, std::nullopt, kNow, "b"));
  const auto c = Cycle("2026-12");
  Entry(c, a, kCasa, 1, 100);
  Entry(c, b, kCasa, 1, 200);
  auto made = store_->CreateBatches(c, kNow, "olga");
  ASSERT_TRUE(made);
  auto batches = ByChannel(made->batches);
  auto bank = store_->IssueWithdrawalCodes(batches["bank_transfer"].id);
  ASSERT_FALSE(bank);
  EXPECT_EQ(bank.error().reason, "payments.codes_cash_only");

  auto first = store_->IssueWithdrawalCodes(batches["cash_withdrawal"].id);
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->codes.size(), 1u);
  const std::string code = first->codes[0];
  EXPECT_EQ(code.size(), 10u);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos);
  const std::string e2e = first->payments[0].end_to_end_id;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE withdrawal_code_hash = '" + WithdrawalCodeHash(e2e, code) + "'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE withdrawal_code_hash LIKE '%" + code + "%'"), 0);
  // The post office's file carries the hash.
  auto lines = store_->Payments(batches["cash_withdrawal"].id, National());
  ASSERT_TRUE(lines);
  const auto file = WriteCsv(batches["cash_withdrawal"], *lines);
  EXPECT_NE(file.content.find(WithdrawalCodeHash(e2e, code)), std::string::npos);
  EXPECT_EQ(file.content.find("," + code), std::string::npos);

  // Issued again: a new code, the old one no longer matches.
  auto second = store_->IssueWithdrawalCodes(batches["cash_withdrawal"].id);
  ASSERT_TRUE(second);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE withdrawal_code_hash = '" + WithdrawalCodeHash(e2e, code) + "'"),
            second->codes[0] == code ? 1 : 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE withdrawal_code_hash = '" +
                  WithdrawalCodeHash(e2e, second->codes[0]) + "'"),
            1);
}

TEST_F(PaymentStoreTest, ARegionalReaderSeesOnlyTheirRegionsPayments) {
  auto a = Household(kCasa, "فاطمة");
  auto b = Household(kSouss, "خديجة");
  const auto c = Cycle("2026-12");
  Entry(c, a, kCasa, 1, 100);
  Entry(c, b, kSouss, 1, 200);
  auto made = store_->CreateBatches(c, kNow, "olga");
  ASSERT_TRUE(made);
  const ReadScope souss{"MA-08", "2026-12-05"};
  auto batches = store_->Batches(c, souss);
  ASSERT_TRUE(batches);
  ASSERT_EQ(batches->size(), 1u);
  EXPECT_EQ((*batches)[0].payments_count, 1);
  EXPECT_EQ((*batches)[0].total_minor, 200);
  auto lines = store_->Payments((*batches)[0].id, souss);
  ASSERT_TRUE(lines);
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0].household_id, b.first);
  auto national = store_->Batches(c, National());
  EXPECT_EQ((*national)[0].total_minor, 300);
}

}  // namespace
}  // namespace sanad::payments
