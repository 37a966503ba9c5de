// Payments over HTTP: the payment account (422 naming the field, audited without the number), batches of
// an approved cycle (201 then 200), the CSV and pain.001 files with their SHA-256, a reconciliation file
// with one bad line (422 naming the line, nothing applied) then the good one, the same file twice, the
// regional reader's scope and the national-only acts.
#include <gtest/gtest.h>

#include "db/row.h"
#include "payments/money.h"
#include "test_db.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;

constexpr const char* kCasa = "MA-03.231.01.03";
constexpr const char* kOther = "MA-06.371.01.01";
constexpr const char* kTestRib = "011780000001234567890187";

class PaymentsApi : public ::testing::Test {
 protected:
  void SetUp() override { pay_ = *LoginBrowser(c_, "pay", server_.AddUser("pay", {auth::Role::kPaymentOfficer})); }

  std::int64_t Household(const std::string& commune, const std::string& given) {
    auto s = server_.platform().db->Acquire();
    const std::string ref = "PH" + std::to_string(++n_);
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "(:r, :c, 1, 'active', 'now', 'now')",
        soci::use(ref), soci::use(commune);
    long long h = 0;
    s.sql() << "SELECT id FROM households WHERE ref = :r", soci::use(ref), soci::into(h);
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, "
               "family_name_ar, created_at, updated_at) VALUES (:h, 'head', 'F', '1980-01-01', 'active', :g, "
               "'العلوي', 'now', 'now')",
        soci::use(h), soci::use(given);
    return h;
  }

  std::int64_t ApprovedCycle(const std::vector<std::pair<std::int64_t, std::string>>& households, long long amount) {
    auto s = server_.platform().db->Acquire();
    long long id = 0;
    s.sql() << "INSERT INTO programme_cycles (programme, period, cut_off, state, currency, programme_digest, "
               "generated_at, generated_by) VALUES ('ASD', '2026-12', '2026-12-01T00:00:00Z', 'approved', 'MAD', "
               "'x', '2026-12-01T00:00:00Z', 'gen') RETURNING id",
        soci::into(id);
    for (const auto& [h, commune] : households) {
      long long hh = h;
      s.sql() << "INSERT INTO cycle_entries (cycle_id, household_id, household_version, commune_code, "
                 "payee_person_id, eligible, amount_minor, one_off_minor, details) SELECT :c, :h, 1, :co, "
                 "(SELECT MIN(id) FROM persons WHERE household_id = :h2), 1, :a, 0, '{}'",
          soci::use(id), soci::use(hh), soci::use(commune), soci::use(hh), soci::use(amount);
    }
    return id;
  }

  HttpResponse Put(const std::string& target, const json& body, const BrowserSession& who) {
    auto h = who.Auth();
    h.emplace_back("Content-Type", "application/json");
    return c_.Request("PUT", target, body.dump(), h);
  }
  HttpResponse Post(const std::string& target, const std::string& body, const BrowserSession& who,
                    const std::string& type = "text/csv") {
    auto h = who.Auth();
    h.emplace_back("Content-Type", type);
    return c_.Request("POST", target, body, h);
  }
  // What the audit log holds, read through its API (the log is written by the audit spool).
  json Audit(const std::string& query) {
    if (!auditor_) auditor_ = LoginBrowser(c_, "auditor", server_.AddUser("auditor", {auth::Role::kAuditor}));
    return c_.Get("/api/v1/audit?" + query, auditor_->Auth(false)).Json();
  }
  long long Count(const std::string& query) {
    auto s = server_.platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    return o;
  }

  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  BrowserSession pay_;
  std::optional<BrowserSession> auditor_;
  int n_ = 0;
};

TEST_F(PaymentsApi, AccountIsValidatedNamingTheFieldAndAuditedWithoutTheNumber) {
  const auto h = Household(kCasa, "فاطمة");
  const std::string url = "/api/v1/households/" + std::to_string(h) + "/payment-account";
  auto none = c_.Get(url, pay_.Auth(false));
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.Json()["channel"], "cash_withdrawal");
  EXPECT_TRUE(none.Json()["default"]);

  auto bad = Put(url, {{"channel", "bank_transfer"}, {"rib", "011780000001234567890188"}}, pay_);
  ASSERT_EQ(bad.status, 422) << bad.body;
  const json problems = bad.Json()["error"]["problems"];
  ASSERT_EQ(problems.size(), 2u) << bad.body;
  EXPECT_EQ(problems[0]["field"], "rib");
  EXPECT_EQ(problems[0]["reason"], "payment_account.rib_key");
  EXPECT_EQ(problems[1]["field"], "holder_name");

  auto ok = Put(url, {{"channel", "bank_transfer"}, {"rib", kTestRib}, {"holder_name", "Fatima Alaoui"}}, pay_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["rib"], kTestRib);
  EXPECT_EQ(ok.Json()["version"], 1);
  const json audited = Audit("record_type=payment_account&action=update");
  EXPECT_EQ(audited["total"], 1) << audited;
  EXPECT_EQ(audited.dump().find(kTestRib), std::string::npos) << audited;

  // A registry reader without payments.manage may not.
  auto reader = *LoginBrowser(c_, "reader", server_.AddUser("reader", {auth::Role::kSocialWorker}));
  EXPECT_EQ(c_.Get(url, reader.Auth(false)).status, 403);
}

TEST_F(PaymentsApi, BatchesFilesAndReconciliationWithABadLine) {
  server_.services().payment_debtor = {"Ministère de la Solidarité", "011780000009876543210018", std::nullopt, ""};
  const auto a = Household(kCasa, "فاطمة");
  const auto b = Household(kOther, "خديجة");
  ASSERT_EQ(Put("/api/v1/households/" + std::to_string(a) + "/payment-account",
                {{"channel", "bank_transfer"}, {"rib", kTestRib}, {"holder_name", "Fatima & Co"}}, pay_)
                .status,
            200);
  ASSERT_EQ(Put("/api/v1/households/" + std::to_string(b) + "/payment-account",
                {{"channel", "bank_transfer"}, {"rib", kTestRib}, {"holder_name", "خديجة العلوي"}}, pay_)
                .status,
            200);
  const auto cycle = ApprovedCycle({{a, kCasa}, {b, kOther}}, 50000);
  const std::string batches_url = "/api/v1/cycles/" + std::to_string(cycle) + "/payment-batches";
  auto created = Post(batches_url, "", pay_, "application/json");
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(created.Json()["batches"].size(), 1u);
  const json batch = created.Json()["batches"][0];
  EXPECT_EQ(batch["channel"], "bank_transfer");
  EXPECT_EQ(batch["payments_count"], 2);
  EXPECT_EQ(batch["total_minor"], 100000);
  auto again = Post(batches_url, "", pay_, "application/json");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.Json()["batches"][0]["id"], batch["id"]);

  const std::string base = "/api/v1/payment-batches/" + std::to_string(batch["id"].get<long long>());
  auto csv = c_.Get(base + "/file?format=csv", pay_.Auth(false));
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("TRAILER,2,100000,"), std::string::npos) << csv.body;
  EXPECT_EQ(csv.Header("x-content-sha256"), payments::Sha256Hex(csv.body));
  auto xml = c_.Get(base + "/file?format=pain001", pay_.Auth(false));
  ASSERT_EQ(xml.status, 200) << xml.body;
  EXPECT_NE(xml.body.find("<NbOfTxs>2</NbOfTxs><CtrlSum>1000.00</CtrlSum>"), std::string::npos) << xml.body;
  EXPECT_NE(xml.body.find("Fatima &amp; Co"), std::string::npos);
  auto info = c_.Get(base, pay_.Auth(false)).Json();
  EXPECT_EQ(info["state"], "exported");
  EXPECT_EQ(info["file_sha256"], payments::Sha256Hex(xml.body));
  EXPECT_EQ(Audit("record_type=payment_batch&action=export")["total"], 2);

  const std::string ea = "C" + std::to_string(cycle) + "H" + std::to_string(a);
  const std::string eb = "C" + std::to_string(cycle) + "H" + std::to_string(b);
  const std::string header = "end_to_end_id,status,reason,amount_minor,date\n";
  // One bad line: 422 naming it, nothing applied.
  auto refused = Post(base + "/reconciliation",
                      header + ea + ",paid,,50000,2026-12-11\n" + eb + ",paid,,49999,2026-12-11\n", pay_);
  ASSERT_EQ(refused.status, 422) << refused.body;
  const json err = refused.Json()["error"];
  EXPECT_EQ(err["reason"], "reconciliation.rejected");
  ASSERT_EQ(err["problems"].size(), 1u) << refused.body;
  EXPECT_EQ(err["problems"][0]["field"], "line 3");
  EXPECT_EQ(err["problems"][0]["reason"], "reconciliation.amount_mismatch");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM payments WHERE status <> 'pending'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits"), 0);

  const std::string good = header + ea + ",paid,,50000,2026-12-11\n" + eb + ",failed,AC04,50000,2026-12-11\n";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM programme_cycles WHERE state = 'paid'"), 0) << "a refused file pays nothing";
  auto applied = Post(base + "/reconciliation", good, pay_);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.Json()["outcome"], "applied");
  EXPECT_EQ(applied.Json()["paid"], 1);
  EXPECT_EQ(applied.Json()["failed"], 1);
  // No payment is pending any more: the import that settled the last one marked the cycle paid.
  const std::string cycle_state =
      "SELECT COUNT(*) FROM programme_cycles WHERE id = " + std::to_string(cycle) + " AND state = 'paid'";
  EXPECT_EQ(Count(cycle_state), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits WHERE source = 'payments' AND reference = '" + ea + "'"), 1);
  auto twice = Post(base + "/reconciliation", good, pay_);
  ASSERT_EQ(twice.status, 200) << twice.body;
  EXPECT_EQ(twice.Json()["outcome"], "unchanged");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM benefits"), 1);
  auto reports = c_.Get(base + "/reconciliations", pay_.Auth(false));
  ASSERT_EQ(reports.status, 200);
  ASSERT_EQ(reports.Json()["reports"].size(), 3u);
  EXPECT_EQ(reports.Json()["reports"][2]["outcome"], "rejected");
  EXPECT_EQ(reports.Json()["reports"][2]["problems"][0]["where"], "line 3");
  EXPECT_EQ(Audit("record_type=payment_batch&action=reconcile")["total"], 3);
  // A file that cannot be read at all is refused whole as well, and audited with its SHA-256 and why
  // (there are no lines to keep as a report).
  auto unreadable = Post(base + "/reconciliation", "garbage", pay_);
  ASSERT_EQ(unreadable.status, 422) << unreadable.body;
  const json audited = Audit("record_type=payment_batch&action=reconcile");
  EXPECT_EQ(audited["total"], 4) << audited;
  EXPECT_NE(audited.dump().find(payments::Sha256Hex("garbage")), std::string::npos) << audited;
  EXPECT_NE(audited.dump().find("unreadable"), std::string::npos) << audited;

  auto failed = c_.Get(base + "/payments?status=failed", pay_.Auth(false));
  ASSERT_EQ(failed.status, 200) << failed.body;
  ASSERT_EQ(failed.Json()["items"].size(), 1u);
  EXPECT_EQ(failed.Json()["items"][0]["reason"], "AC04");

  // A regional officer sees their region's payments only and may not export or reconcile.
  auto regional = *LoginBrowser(c_, "reg", server_.AddUser("reg", {auth::Role::kPaymentOfficer}, "MA-06"));
  auto mine = c_.Get(base + "/payments", regional.Auth(false));
  ASSERT_EQ(mine.status, 200) << mine.body;
  ASSERT_EQ(mine.Json()["items"].size(), 1u);
  EXPECT_EQ(mine.Json()["items"][0]["household_id"], b);
  EXPECT_EQ(c_.Get(base, regional.Auth(false)).Json()["total_minor"], 50000);
  EXPECT_EQ(c_.Get(base + "/file", regional.Auth(false)).status, 403);
  EXPECT_EQ(Post(base + "/reconciliation", good, regional).status, 403);
}

TEST_F(PaymentsApi, WithdrawalCodesAreAnsweredOnceAndAuditedWithoutThem) {
  const auto a = Household(kCasa, "فاطمة");
  const auto cycle = ApprovedCycle({{a, kCasa}}, 30000);
  auto created = Post("/api/v1/cycles/" + std::to_string(cycle) + "/payment-batches", "", pay_, "application/json");
  ASSERT_EQ(created.status, 201) << created.body;
  const auto id = created.Json()["batches"][0]["id"].get<long long>();
  auto codes =
      Post("/api/v1/payment-batches/" + std::to_string(id) + "/withdrawal-codes", "", pay_, "application/json");
  ASSERT_EQ(codes.status, 200) << codes.body;
  EXPECT_EQ(codes.Header("cache-control"), "no-store");
  const auto last_comma = codes.body.rfind(',');
  const std::string code = codes.body.substr(last_comma + 1, 10);
  EXPECT_EQ(code.find_first_not_of("0123456789"), std::string::npos) << codes.body;
  const json audited = Audit("record_type=payment_batch&action=issue_withdrawal_codes");
  EXPECT_EQ(audited["total"], 1) << audited;
  EXPECT_EQ(audited.dump().find(code), std::string::npos);
  auto file = c_.Get("/api/v1/payment-batches/" + std::to_string(id) + "/file", pay_.Auth(false));
  EXPECT_EQ(file.body.find(code), std::string::npos);
  EXPECT_NE(file.body.find(payments::WithdrawalCodeHash("C" + std::to_string(cycle) + "H" + std::to_string(a), code)),
            std::string::npos);
}

// A file for a batch that does not exist is answered as such, whatever the file: it was read first, and
// "garbage" got reconciliation.missing_column.
TEST_F(PaymentsApi, AReconciliationForAnUnknownBatchIsNotFound) {
  for (const std::string body : {"garbage", "end_to_end_id,status,amount,date\n"}) {
    auto r = Post("/api/v1/payment-batches/999/reconciliation", body, pay_);
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(json::parse(r.body)["error"]["reason"], "payment_batch.not_found") << r.body;
  }
}

TEST_F(PaymentsApi, ReconciliationFilesAreBounded) {
  const std::string big(65u << 20, 'x');
  auto r = Post("/api/v1/payment-batches/1/reconciliation", big, pay_);
  EXPECT_EQ(r.status, 413);
}

}  // namespace
}  // namespace sanad::testing
