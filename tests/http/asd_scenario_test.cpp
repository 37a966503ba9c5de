// The targeting-to-payment scenario over HTTP, on SQLite and PostgreSQL, with the real computation
// (cycles::RegistryEntries) on a scored synthetic registry: a payment officer generates the ASD cycle,
// a second officer approves it, a household of the cycle then gets a child through an approved change
// request and the approved cycle does not move; the bank and cash batches are created and exported (CSV
// and pain.001 whose control totals are the cycle's), a reconciliation with failures is applied, the paid
// amounts are in the households' benefit ledger and the failures are paid again by the next cycle. And an
// entry scored by another model version than the cycle's shows its own.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "app/demo_registry.h"
#include "payments/money.h"
#include "synth/generator.h"
#include "targeting/model.h"
#include "targeting/score_run.h"
#include "test_db.h"
#include "tests/http/test_server.h"

namespace sanad::testing {
namespace {

using nlohmann::json;

constexpr const char* kRib = "011780000001234567890187";

class AsdScenario : public ::testing::Test {
 protected:
  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    return o;
  }

  void SetUp() override {
    // "Score a demo registry": the demo's seeding path, then the scoring run of `sanad score` with the
    // shipped illustrative model.
    auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
    ASSERT_TRUE(ref) << ref.error().message;
    synth::Config config;
    config.households = 240;
    config.seed = 11;
    config.duplicate_share = 0.0;
    config.region = "MA-03";
    auto reg = synth::Generate(*ref, config);
    ASSERT_TRUE(reg) << reg.error().message;
    auto seeded = app::SeedRegistry(server_.platform(), *reg);
    ASSERT_TRUE(seeded) << seeded.error().message;
    {
      // The ASD and family allowances may not be combined: start from households that receive none, so
      // the cycle's flags are the ones this test raises.
      auto s = server_.platform().db->Acquire();
      s.sql() << "UPDATE persons SET family_allowances = 0";
    }
    auto model = targeting::LoadModel(std::string(SANAD_SOURCE_ROOT) + "/data/models/rsu-illustrative-2026.json");
    ASSERT_TRUE(model) << model.error().message;
    const TimePoint now = server_.clock().Now();
    auto scored =
        targeting::ScoreAll(*server_.platform().scores, *model, {DateOf(now).ToString(), FormatTimestamp(now)});
    ASSERT_TRUE(scored) << scored.error().message;
    ASSERT_GT(scored->households, 200u);
    server_.clock().Advance(std::chrono::seconds(60));

    officer_ = Token("officer", {auth::Role::kPaymentOfficer});
    approver_ = Token("approver", {auth::Role::kPaymentOfficer});
    agent_ = Token("agent", {auth::Role::kDataEntry}, "MA-03");
    coordinator_ = Token("coordinator", {auth::Role::kRegionalCoordinator}, "MA-03");
  }

  Headers Token(const std::string& user, const std::vector<auth::Role>& roles,
                const std::optional<std::string>& area = std::nullopt) {
    const std::string pw = server_.AddUser(user, roles, area);
    auto token = BearerToken(c_, user, pw);
    EXPECT_TRUE(token);
    return {{"Authorization", "Bearer " + token.value_or("")}, {"Accept-Language", "en"}};
  }

  HttpResponse Send(const std::string& method, const std::string& target, const std::string& body, const Headers& who,
                    const std::string& type) {
    Headers h = who;
    h.emplace_back("Content-Type", type);
    return c_.Request(method, target, body, h);
  }

  // Generates the ASD cycle of `period` as the officer, follows its job, approves it as the second officer.
  std::int64_t GenerateAndApprove(const std::string& period) {
    auto r = c_.PostJson("/api/v1/programs/ASD/cycles", json{{"period", period}}.dump(), officer_);
    EXPECT_EQ(r.status, 202) << r.body;
    const std::int64_t job = r.Json()["job"]["id"];
    std::int64_t cycle = 0;
    for (int i = 0; i < 1000 && cycle == 0; ++i) {
      const json body = c_.Get("/api/v1/cycle-jobs/" + std::to_string(job), officer_).Json();
      if (body["state"] == "succeeded") cycle = body["cycle_id"];
      if (body["state"] == "failed") {
        ADD_FAILURE() << body;
        return 0;
      }
      if (cycle == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_NE(cycle, 0) << "the generation job did not finish";
    const std::string path = "/api/v1/cycles/" + std::to_string(cycle);
    EXPECT_EQ(c_.PostJson(path + "/approve", "{}", officer_).status, 403) << "four eyes";
    auto approved = c_.PostJson(path + "/approve", json{{"acknowledge_flags", true}}.dump(), approver_);
    EXPECT_EQ(approved.status, 200) << approved.body;
    EXPECT_EQ(approved.Json()["state"], "approved");
    return cycle;
  }

  // Every entry of the cycle, eligible or not, in the API's order.
  json Entries(std::int64_t cycle) {
    json all = json::array();
    for (int offset = 0;; offset += 500) {
      auto r = c_.Get(fmt::format("/api/v1/cycles/{}/entries?limit=500&offset={}", cycle, offset), officer_);
      EXPECT_EQ(r.status, 200) << r.body;
      const json items = r.Json()["items"];
      for (const auto& e : items) all.push_back(e);
      if (items.size() < 500) break;
    }
    return all;
  }

  json Payments(std::int64_t batch) {
    auto r = c_.Get(fmt::format("/api/v1/payment-batches/{}/payments?limit=500", batch), officer_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["items"];
  }

  TestServer server_{Options()};
  HttpClient c_ = server_.Client();
  Headers officer_, approver_, agent_, coordinator_;
};

TEST_F(AsdScenario, ScoreGenerateApproveEditPayReconcileAndCarryFailures) {
  const std::int64_t cycle = GenerateAndApprove("2026-11");
  ASSERT_NE(cycle, 0);
  const std::string cycle_path = "/api/v1/cycles/" + std::to_string(cycle);
  const json before = c_.Get(cycle_path, officer_).Json();
  const json entries_before = Entries(cycle);
  ASSERT_GT(entries_before.size(), 200u);
  std::vector<json> paid_entries;
  long long sum = 0;
  for (const auto& e : entries_before) {
    if (e["eligible"].get<bool>()) {
      paid_entries.push_back(e);
      sum += e["amount_minor"].get<long long>();
    }
  }
  ASSERT_GE(paid_entries.size(), 4u) << "the illustrative model makes too few households eligible";
  // One model scored every household: the cycle keeps it once, and every entry's inputs show it.
  EXPECT_EQ(before["score_model"], "rsu-illustrative") << before;
  EXPECT_EQ(before["score_model_version"], "2026.1") << before;
  std::size_t scored = 0;
  for (const auto& e : entries_before) {
    const json& inputs = e["details"]["inputs"];
    if (!inputs.contains("score")) continue;
    ++scored;
    EXPECT_EQ(inputs["score_model"], before["score_model"]) << e;
    EXPECT_EQ(inputs["score_model_version"], before["score_model_version"]) << e;
  }
  EXPECT_GT(scored, 200u);
  EXPECT_EQ(before["total_minor"].get<long long>(), sum) << before;
  EXPECT_EQ(before["households_eligible"].get<std::size_t>(), paid_entries.size()) << before;
  // No eligible household gets less than the 500 DH monthly floor ("bouclier social", docs/domain.md §1.1).
  for (const auto& e : paid_entries) EXPECT_GE(e["amount_minor"].get<long long>(), 50000) << e;

  // A household of the cycle gets a child through an approved change request: the approved cycle does
  // not move, entries and totals alike.
  const std::int64_t edited = paid_entries[0]["household_id"];
  json child{{"kind", "add_member"},
             {"payload",
              {{"household_id", edited},
               {"person",
                {{"relationship", "child"},
                 {"given_name_ar", "سلمى"},
                 {"family_name_ar", "بن علي"},
                 {"sex", "F"},
                 {"birth_date", "2024-04-10"}}}}}};
  auto filed = c_.PostJson("/api/v1/change-requests", child.dump(), agent_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  auto accepted = c_.PostJson(fmt::format("/api/v1/change-requests/{}/approve", filed.Json()["id"].get<long long>()),
                              "{}", coordinator_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(c_.Get(cycle_path, officer_).Json(), before);
  EXPECT_EQ(Entries(cycle), entries_before);

  server_.services().payment_debtor = {"Ministère de la Solidarité", "011780000009876543210018", std::nullopt, ""};
  // Two households are paid by bank transfer, the others at a post-office agent (the default).
  const std::int64_t bank_ok = paid_entries[1]["household_id"];
  const std::int64_t bank_bad = paid_entries[2]["household_id"];
  const std::int64_t cash_bad = paid_entries[3]["household_id"];
  for (auto h : {bank_ok, bank_bad}) {
    auto put = Send("PUT", fmt::format("/api/v1/households/{}/payment-account", h),
                    json{{"channel", "bank_transfer"}, {"rib", kRib}, {"holder_name", "Bénéficiaire"}}.dump(), officer_,
                    "application/json");
    ASSERT_EQ(put.status, 200) << put.body;
  }
  auto created = c_.PostJson(cycle_path + "/payment-batches", "", officer_);
  ASSERT_EQ(created.status, 201) << created.body;
  const json created_body = created.Json();
  std::map<std::string, json> batches;
  for (const auto& b : created_body["batches"]) batches[b["channel"]] = b;
  ASSERT_EQ(batches.size(), 2u) << created.body;
  const json bank = batches["bank_transfer"];
  const json cash = batches["cash_withdrawal"];
  std::map<std::int64_t, long long> amount;
  for (const auto& e : paid_entries) amount[e["household_id"]] = e["amount_minor"];
  EXPECT_EQ(bank["payments_count"], 2);
  EXPECT_EQ(bank["total_minor"].get<long long>(), amount[bank_ok] + amount[bank_bad]);
  EXPECT_EQ(cash["payments_count"].get<std::size_t>(), paid_entries.size() - 2);
  EXPECT_EQ(bank["total_minor"].get<long long>() + cash["total_minor"].get<long long>(), sum);

  // The files carry the batches' control totals: CSV trailer, pain.001 NbOfTxs and CtrlSum in dirhams.
  const std::string bank_path = fmt::format("/api/v1/payment-batches/{}", bank["id"].get<long long>());
  const std::string cash_path = fmt::format("/api/v1/payment-batches/{}", cash["id"].get<long long>());
  auto csv = c_.Get(cash_path + "/file?format=csv", officer_);
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find(fmt::format("TRAILER,{},{},", paid_entries.size() - 2, cash["total_minor"].get<long long>())),
            std::string::npos)
      << csv.body;
  EXPECT_EQ(csv.Header("x-content-sha256"), payments::Sha256Hex(csv.body));
  auto xml = c_.Get(bank_path + "/file?format=pain001", officer_);
  ASSERT_EQ(xml.status, 200) << xml.body;
  const long long bank_total = bank["total_minor"];
  EXPECT_NE(
      xml.body.find(fmt::format("<NbOfTxs>2</NbOfTxs><CtrlSum>{}.{:02}</CtrlSum>", bank_total / 100, bank_total % 100)),
      std::string::npos)
      << xml.body;

  // Reconciliation with failures: one bank transfer refused (closed account), one withdrawal not collected.
  const std::string header = "end_to_end_id,status,reason,amount_minor,date\n";
  auto line = [&](std::int64_t h, const std::string& status, const std::string& reason) {
    return fmt::format("C{}H{},{},{},{},2026-11-20\n", cycle, h, status, reason, amount[h]);
  };
  auto bank_report = Send("POST", bank_path + "/reconciliation",
                          header + line(bank_ok, "paid", "") + line(bank_bad, "failed", "AC04"), officer_, "text/csv");
  ASSERT_EQ(bank_report.status, 200) << bank_report.body;
  EXPECT_EQ(bank_report.Json()["failed"], 1);
  std::string cash_file = header;
  for (const auto& e : paid_entries) {
    const std::int64_t h = e["household_id"];
    if (h == bank_ok || h == bank_bad) continue;
    cash_file += h == cash_bad ? line(h, "failed", "NOT_COLLECTED") : line(h, "paid", "");
  }
  auto cash_report = Send("POST", cash_path + "/reconciliation", cash_file, officer_, "text/csv");
  ASSERT_EQ(cash_report.status, 200) << cash_report.body;
  EXPECT_EQ(cash_report.Json()["paid"].get<std::size_t>(), paid_entries.size() - 3);
  EXPECT_EQ(c_.Get(cycle_path, officer_).Json()["state"], "paid");

  // The ledger: each paid amount once, in the household's benefits; nothing for the failures.
  auto ledger = [&](std::int64_t h) {
    auto r = c_.Get(fmt::format("/api/v1/households/{}/benefits", h), coordinator_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.Json()["items"];
  };
  const json paid_ledger = ledger(bank_ok);
  ASSERT_EQ(paid_ledger.size(), 1u) << paid_ledger;
  EXPECT_EQ(paid_ledger[0]["programme"], "ASD");
  EXPECT_EQ(paid_ledger[0]["amount_minor"].get<long long>(), amount[bank_ok]);
  EXPECT_EQ(paid_ledger[0]["currency"], "MAD");
  EXPECT_TRUE(ledger(bank_bad).empty());
  EXPECT_TRUE(ledger(cash_bad).empty());

  // The next cycle pays the two failures again, each once, and the failures say where they went.
  const std::int64_t next = GenerateAndApprove("2026-12");
  ASSERT_NE(next, 0);
  auto next_batches = c_.PostJson(fmt::format("/api/v1/cycles/{}/payment-batches", next), "", officer_);
  ASSERT_EQ(next_batches.status, 201) << next_batches.body;
  const json next_body = next_batches.Json();
  std::map<std::int64_t, json> carried;
  for (const auto& b : next_body["batches"]) {
    for (const auto& p : Payments(b["id"])) {
      if (!p["carried_from"].is_null()) carried[p["household_id"]] = p;
    }
  }
  ASSERT_EQ(carried.size(), 2u);
  EXPECT_EQ(carried[bank_bad]["amount_minor"].get<long long>(), amount[bank_bad]);
  EXPECT_EQ(carried[cash_bad]["amount_minor"].get<long long>(), amount[cash_bad]);
  for (const auto& p : Payments(bank["id"])) {
    if (p["household_id"] == bank_bad) {
      EXPECT_EQ(p["status"], "failed");
      EXPECT_EQ(p["reason"], "AC04");
      EXPECT_EQ(p["carried_to_cycle"], next);
    }
  }
  // The edited household is in the new cycle with its new member's version.
  const long long edited_version = paid_entries[0]["household_version"];
  bool found = false;
  for (const auto& e : Entries(next)) {
    if (e["household_id"] == edited) {
      found = true;
      EXPECT_GT(e["household_version"].get<long long>(), edited_version) << e;
    }
  }
  EXPECT_TRUE(found);
}

// The cycle keeps the model of its first scored household; an entry whose score came from another version
// keeps its own in the stored details, and the API shows every entry's own model either way.
TEST_F(AsdScenario, AnEntryScoredByAnotherModelVersionShowsItsOwn) {
  std::int64_t other = 0;
  {
    auto s = server_.platform().db->Acquire();
    s.sql() << "SELECT MAX(household_id) FROM household_scores", soci::into(other);
    s.sql() << "UPDATE household_scores SET model_version = '2025.9' WHERE household_id = :h", soci::use(other);
  }
  const std::int64_t cycle = GenerateAndApprove("2026-11");
  ASSERT_NE(cycle, 0);
  const json c = c_.Get("/api/v1/cycles/" + std::to_string(cycle), officer_).Json();
  EXPECT_EQ(c["score_model"], "rsu-illustrative") << c;
  EXPECT_EQ(c["score_model_version"], "2026.1") << c;
  std::size_t own = 0, cycles = 0;
  for (const auto& e : Entries(cycle)) {
    const json& inputs = e["details"]["inputs"];
    if (!inputs.contains("score")) continue;
    EXPECT_EQ(inputs["score_model"], "rsu-illustrative") << e;
    if (e["household_id"] == other) {
      EXPECT_EQ(inputs["score_model_version"], "2025.9") << e;
      ++own;
    } else {
      EXPECT_EQ(inputs["score_model_version"], "2026.1") << e;
      ++cycles;
    }
  }
  EXPECT_EQ(own, 1u);
  EXPECT_GT(cycles, 200u);
  // Stored: only that entry names a model; the others leave the cycle's implicit.
  auto s = server_.platform().db->Acquire();
  long long naming = 0;
  std::int64_t named = 0;
  const std::string pattern = "%score_model%";
  s.sql() << "SELECT COUNT(*), MAX(household_id) FROM cycle_entries WHERE cycle_id = :c AND details LIKE :p",
      soci::use(cycle), soci::use(pattern), soci::into(naming), soci::into(named);
  EXPECT_EQ(naming, 1);
  EXPECT_EQ(named, other);
}

}  // namespace
}  // namespace sanad::testing
