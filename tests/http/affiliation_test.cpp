// Affiliation of non-salaried workers over HTTP, on SQLite and PostgreSQL (docs/affiliation.md): the
// public contribution preview (CASNOS, decree 15-289, domain.md §2.2), a chamber-of-crafts list refused
// with the line named (nothing stored) then imported and matched against a synthetic Oran registry by
// the linkage job, the review queue (accept, reject with a comment, another wilaya sees nothing), the
// same list again proposing neither the affiliated nor the rejected pair, the worker page with a
// declaration, its payment status as of dates and a payment, and the campaign figures by commune.
#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "app/demo_registry.h"
#include "db/row.h"
#include "synth/generator.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

struct Listed {
  std::int64_t person_id = 0;
  std::string commune, given_ar, family_ar, given_lat, family_lat, sex, birth_date, national_id;
};

class AffiliationApi : public ::testing::Test {
 protected:
  void SetUp() override {
    TestServerOptions options;
    options.db_url = FreshDatabaseUrl(BackendFromEnv());
    server_ = std::make_unique<TestServer>(std::move(options));
    auto ref = synth::LoadReferenceData(std::string(SANAD_SOURCE_ROOT) + "/data");
    ASSERT_TRUE(ref) << ref.error().message;
    synth::Config config;
    config.households = 250;
    config.country = decltype(config.country)::kAlgeria;
    config.region = "DZ-31";
    config.seed = 12;
    config.duplicate_share = 0.0;
    auto reg = synth::Generate(*ref, config);
    ASSERT_TRUE(reg) << reg.error().message;
    ASSERT_TRUE(app::SeedRegistry(server_->platform(), *reg));
    c_ = std::make_unique<HttpClient>(server_->Client());
    reviewer_ =
        *LoginBrowser(*c_, "rev.oran", server_->AddUser("rev.oran", {auth::Role::kRegionalCoordinator}, "DZ-31"));
    agent_ = *LoginBrowser(*c_, "agent.oran", server_->AddUser("agent.oran", {auth::Role::kSocialWorker}, "DZ-31"));
    algiers_ =
        *LoginBrowser(*c_, "rev.alger", server_->AddUser("rev.alger", {auth::Role::kRegionalCoordinator}, "DZ-16"));
  }

  // Adult active persons of the registry with every column a list gives.
  std::vector<Listed> Persons(int n) {
    auto s = server_->platform().db->Acquire();
    std::vector<Listed> out;
    db::EachRow(
        s.sql(),
        "SELECT p.id, h.commune_code, p.given_name_ar, p.family_name_ar, p.given_name_lat, p.family_name_lat, p.sex, "
        "p.birth_date, p.national_id FROM persons p JOIN households h ON h.id = p.household_id WHERE p.status = "
        "'active' AND p.national_id IS NOT NULL AND p.given_name_lat IS NOT NULL AND p.family_name_lat IS NOT NULL "
        "AND p.birth_date < '1990-01-01' ORDER BY p.id LIMIT " +
            std::to_string(n),
        [](soci::statement&) {},
        [&](const soci::row& r) {
          out.push_back({db::RowInt(r, 0), r.get<std::string>(1), *db::RowOptStr(r, 2), *db::RowOptStr(r, 3),
                         *db::RowOptStr(r, 4), *db::RowOptStr(r, 5), *db::RowOptStr(r, 6), *db::RowOptStr(r, 7),
                         *db::RowOptStr(r, 8)});
        });
    return out;
  }

  HttpResponse Post(const std::string& target, const std::string& body, const BrowserSession& who,
                    const std::string& type = "application/json") {
    auto h = who.Auth();
    h.emplace_back("Content-Type", type);
    return c_->Request("POST", target, body, h);
  }

  // Imports a list and waits for its matching job (the runner polls every 20 ms).
  Json ImportAndMatch(const std::string& name, const std::string& csv) {
    auto r = Post("/api/v1/affiliation/lists?name=" + name + "&fund=CASNOS", csv, reviewer_, "text/csv");
    EXPECT_EQ(r.status, 202) << r.body;
    const auto id = r.Json()["id"].get<std::int64_t>();
    Json list;
    for (int i = 0; i < 600; ++i) {
      list = c_->Get("/api/v1/affiliation/lists/" + std::to_string(id), reviewer_.Auth(false)).Json();
      if (list.value("status", "") != "queued") break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return list;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<HttpClient> c_;
  BrowserSession reviewer_, agent_, algiers_;
};

TEST_F(AffiliationApi, ThePublicPreviewComputesCasnosContributions) {
  // domain.md §2.2: 15% of the declared base, SNMG 24,000 DA from 2026 (floor 288,000; ceiling 5,760,000).
  auto r = c_->PostJson("/api/v1/affiliation/contribution-preview",
                        R"({"fund":"CASNOS","year":2026,"declared_base":300000})");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.Json();
  EXPECT_EQ(j["currency"], "DZD");
  EXPECT_EQ(j["base"], 300000);
  EXPECT_EQ(j["contribution"], 45000);
  EXPECT_EQ(j["floor_base"], 288000);
  EXPECT_EQ(j["ceiling_base"], 5760000);
  EXPECT_EQ(j["due_from"], "2026-03-01");
  EXPECT_EQ(j["due_by"], "2026-04-30");
  // 2019 below the floor: 32,400 DA (SNMG 18,000).
  auto low =
      c_->PostJson("/api/v1/affiliation/contribution-preview", R"({"fund":"CASNOS","year":2019,"declared_base":1000})");
  EXPECT_EQ(low.Json()["contribution"], 32400) << low.body;
  EXPECT_EQ(low.Json()["clamped"], "floor");
  // Morocco's AMO of independents has no parameter set in domain.md: 422, not invented numbers.
  auto amo = c_->PostJson("/api/v1/affiliation/contribution-preview",
                          R"({"fund":"AMO_TNS","year":2026,"declared_base":1000})");
  EXPECT_EQ(amo.status, 422) << amo.body;
  EXPECT_EQ(amo.Json()["error"]["reason"], "affiliation.fund_not_configured") << amo.body;
  auto unknown =
      c_->PostJson("/api/v1/affiliation/contribution-preview", R"({"fund":"XYZ","year":2026,"declared_base":1000})");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.Json()["error"]["field"], "fund") << unknown.body;
  auto missing = c_->PostJson("/api/v1/affiliation/contribution-preview", R"({"fund":"CASNOS","year":2026})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.Json()["error"]["field"], "declared_base") << missing.body;
}

TEST_F(AffiliationApi, AListIsMatchedReviewedAndARejectionIsNotProposedAgain) {
  const auto persons = Persons(3);
  ASSERT_EQ(persons.size(), 3u);
  std::string csv =
      "record_id,activity,registration_number,given_name_ar,family_name_ar,given_name_lat,family_name_lat,sex,"
      "birth_date,national_id\n";
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const auto& p = persons[i];
    csv += fmt::format("CAM-{},artisan,31/A/{},{},{},{},{},{},{},{}\n", i + 1, 1000 + i, p.given_ar, p.family_ar,
                       p.given_lat, p.family_lat, p.sex, p.birth_date, p.national_id);
  }
  csv += "CAM-9,trader,31/B/9,زينب,بلقاسمي,Zineb,Belkacemi,F,1977-07-07,999999999999999999\n";

  // A bad activity on line 3: 400 naming the line, and no list is stored.
  std::string bad = csv;
  bad.replace(bad.find("CAM-2,artisan"), 13, "CAM-2,painter");
  auto refused = Post("/api/v1/affiliation/lists?name=bad&fund=CASNOS", bad, reviewer_, "text/csv");
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "affiliation.list_bad_activity");
  EXPECT_EQ(refused.Json()["error"]["field"], "line 3, column activity") << refused.body;
  EXPECT_EQ(c_->Get("/api/v1/affiliation/lists", reviewer_.Auth(false)).Json()["items"].size(), 0u);

  const Json list = ImportAndMatch("chambre-artisanat-oran", csv);
  ASSERT_EQ(list["status"], "matched") << list;
  EXPECT_EQ(list["rows_total"], 4);
  EXPECT_EQ(list["proposed"], 3) << list;

  auto queue = c_->Get("/api/v1/affiliation/proposals?status=pending", reviewer_.Auth(false));
  ASSERT_EQ(queue.status, 200) << queue.body;
  const Json items = queue.Json()["items"];
  ASSERT_EQ(items.size(), 3u) << queue.body;
  std::map<std::string, Json> by_record;
  for (const auto& p : items) by_record[p["record_id"]] = p;
  for (std::size_t i = 0; i < persons.size(); ++i) {
    const Json& p = by_record["CAM-" + std::to_string(i + 1)];
    EXPECT_EQ(p["person"]["id"], persons[i].person_id) << p;
    EXPECT_EQ(p["list_person"]["national_id"], persons[i].national_id);
    EXPECT_EQ(p["commune_code"], persons[i].commune);
  }
  const auto first = by_record["CAM-1"]["id"].get<std::int64_t>();
  const auto second = by_record["CAM-2"]["id"].get<std::int64_t>();
  const auto third = by_record["CAM-3"]["id"].get<std::int64_t>();

  // Another wilaya's reviewer sees none of them and cannot decide them.
  EXPECT_EQ(c_->Get("/api/v1/affiliation/proposals", algiers_.Auth(false)).Json()["total"], 0);
  EXPECT_EQ(Post("/api/v1/affiliation/proposals/" + std::to_string(third) + "/accept", "", algiers_).status, 404);
  // A social worker reads the queue but does not decide.
  EXPECT_EQ(Post("/api/v1/affiliation/proposals/" + std::to_string(third) + "/accept", "", agent_).status, 403);

  auto accepted = Post("/api/v1/affiliation/proposals/" + std::to_string(first) + "/accept", "", reviewer_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  EXPECT_EQ(accepted.Json()["status"], "accepted");
  const auto worker_id = accepted.Json()["worker_id"].get<std::int64_t>();
  EXPECT_EQ(Post("/api/v1/affiliation/proposals/" + std::to_string(first) + "/accept", "", reviewer_).status, 422);
  auto no_reason = Post("/api/v1/affiliation/proposals/" + std::to_string(second) + "/reject", "{}", reviewer_);
  EXPECT_EQ(no_reason.status, 400);
  EXPECT_EQ(no_reason.Json()["error"]["field"], "comment");
  auto rejected = Post("/api/v1/affiliation/proposals/" + std::to_string(second) + "/reject",
                       R"({"comment":"already insured as a salaried worker"})", reviewer_);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(rejected.Json()["status"], "rejected");

  // The same register again: the affiliated worker and the rejected pair are not proposed, the third is
  // still pending from the first list.
  const Json again = ImportAndMatch("chambre-artisanat-oran-2", csv);
  ASSERT_EQ(again["status"], "matched") << again;
  EXPECT_EQ(again["proposed"], 0) << again;
  EXPECT_EQ(again["already_affiliated"], 1) << again;
  EXPECT_EQ(again["previously_rejected"], 1) << again;
  const Json pending = c_->Get("/api/v1/affiliation/proposals?status=pending", reviewer_.Auth(false)).Json();
  ASSERT_EQ(pending["total"], 1) << pending;
  EXPECT_EQ(pending["items"][0]["id"], third);

  // The worker page: a 2026 declaration (300,000 DA → 45,000 DA), due until 30 April, in arrears after.
  const std::string worker = "/api/v1/affiliation/workers/" + std::to_string(worker_id);
  auto declared =
      Post(worker + "/declarations", R"({"year":2026,"declared_base":300000,"declared_on":"2026-01-20"})", agent_);
  ASSERT_EQ(declared.status, 201) << declared.body;
  EXPECT_EQ(declared.Json()["contribution_minor"], 4'500'000);
  EXPECT_EQ(declared.Json()["declared_late"], false);
  EXPECT_EQ(Post(worker + "/declarations", R"({"year":2026,"declared_base":1})", agent_).status, 409);
  auto april = c_->Get(worker + "?as_of=2026-04-15", agent_.Auth(false));
  ASSERT_EQ(april.status, 200) << april.body;
  EXPECT_EQ(april.Json()["person"]["id"], persons[0].person_id);
  EXPECT_EQ(april.Json()["fund"], "CASNOS");
  EXPECT_EQ(april.Json()["declarations"][0]["status"], "due");
  auto may = c_->Get(worker + "?as_of=2026-05-01", agent_.Auth(false)).Json();
  EXPECT_EQ(may["declarations"][0]["status"], "arrears");
  EXPECT_EQ(may["arrears_minor"], 4'500'000);
  const auto declaration = declared.Json()["id"].get<std::int64_t>();
  auto paid = Post("/api/v1/affiliation/declarations/" + std::to_string(declaration) + "/payments",
                   R"({"amount_minor":4500000,"paid_on":"2026-05-10"})", agent_);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(c_->Get(worker + "?as_of=2026-06-01", agent_.Auth(false)).Json()["declarations"][0]["status"], "paid");
  EXPECT_EQ(c_->Get(worker, algiers_.Auth(false)).status, 404);
  // Every read of the worker page is in the audit log (three above; the 404 reads nothing), as are the
  // decisions.
  const auto auditor = *LoginBrowser(*c_, "auditor", server_->AddUser("auditor", {auth::Role::kAuditor}));
  auto audited = [&](const std::string& q) {
    return c_->Get("/api/v1/audit?" + q, auditor.Auth(false)).Json()["total"].get<std::int64_t>();
  };
  EXPECT_EQ(audited("record_type=affiliation_worker&action=view"), 3);
  EXPECT_EQ(audited("record_type=affiliation_proposal&action=accept"), 1);
  EXPECT_EQ(audited("record_type=affiliation_proposal&action=reject"), 1);

  // The campaign: two persons contacted in their commune, one of them affiliated since.
  for (const auto& p : {persons[0], persons[2]}) {
    auto r =
        Post("/api/v1/affiliation/contacts",
             Json{{"person_id", p.person_id}, {"contacted_on", "2026-01-05"}, {"channel", "visit"}}.dump(), agent_);
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(Post("/api/v1/affiliation/contacts",
                 Json{{"person_id", persons[0].person_id}, {"channel", "pigeon"}}.dump(), agent_)
                .status,
            400);
  EXPECT_EQ(Post("/api/v1/affiliation/contacts", Json{{"person_id", persons[0].person_id}, {"channel", "visit"}}.dump(),
                 algiers_)
                .status,
            404);
  const Json campaign = c_->Get("/api/v1/affiliation/campaign", agent_.Auth(false)).Json();
  EXPECT_EQ(campaign["totals"]["contacted"], 2) << campaign;
  EXPECT_EQ(campaign["totals"]["affiliated_after_contact"], 1) << campaign;
  EXPECT_EQ(campaign["totals"]["affiliated"], 1) << campaign;
  EXPECT_EQ(c_->Get("/api/v1/affiliation/campaign", algiers_.Auth(false)).Json()["totals"]["contacted"], 0);
}

// Micro-credit borrowers whose business is active (a loan active or fully repaid, none written off) as a
// list: the same matching job and review queue as a file (docs/affiliation.md).
TEST_F(AffiliationApi, MicrocreditBorrowersAreAListMatchedAndReviewedLikeAFile) {
  const auto persons = Persons(3);
  ASSERT_EQ(persons.size(), 3u);
  const char* states[] = {"active", "written_off", "closed"};
  {
    auto s = server_->platform().db->Acquire();
    for (std::size_t i = 0; i < persons.size(); ++i) {
      long long person = persons[i].person_id, app = 0;
      const std::string commune = persons[i].commune, state = states[i];
      s.sql() << "INSERT INTO microcredit_applications (person_id, commune_code, wilaya_code, product, amount_minor, "
                 "applied_on, activity, state, reasons, created_by, created_at) VALUES (:p, :c, 'DZ-31', 'PNR', "
                 "4000000, '2025-01-10', 'couture', 'disbursed', '[]', 'seed', '2025-01-10T00:00:00Z') RETURNING id",
          soci::use(person), soci::use(commune), soci::into(app);
      s.sql() << "INSERT INTO microcredit_loans (application_id, person_id, product, lender, principal_minor, "
                 "currency, disbursed_on, commune_code, wilaya_code, state, created_by, created_at) VALUES (:a, :p, "
                 "'PNR', 'ANGEM', 4000000, 'DZD', '2025-01-15', :c, 'DZ-31', :s, 'seed', '2025-01-15T00:00:00Z')",
          soci::use(app), soci::use(person), soci::use(commune), soci::use(state);
    }
  }
  // Reviewers only; another wilaya has no borrower.
  EXPECT_EQ(Post("/api/v1/affiliation/lists/from-microcredit?fund=CASNOS", "", agent_).status, 403);
  auto none = Post("/api/v1/affiliation/lists/from-microcredit?fund=CASNOS", "", algiers_);
  EXPECT_EQ(none.status, 422) << none.body;
  EXPECT_EQ(none.Json()["error"]["reason"], "affiliation.no_active_borrowers");
  EXPECT_EQ(Post("/api/v1/affiliation/lists/from-microcredit?fund=XYZ", "", reviewer_).status, 400);

  auto r = Post("/api/v1/affiliation/lists/from-microcredit?fund=CASNOS", "", reviewer_);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(r.Json()["rows_total"], 2);  // the written-off borrower is not in it
  const auto id = r.Json()["id"].get<std::int64_t>();
  Json list;
  for (int i = 0; i < 600; ++i) {
    list = c_->Get("/api/v1/affiliation/lists/" + std::to_string(id), reviewer_.Auth(false)).Json();
    if (list.value("status", "") != "queued") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(list["status"], "matched") << list;
  EXPECT_EQ(list["matched"], 2) << list;
  EXPECT_EQ(list["proposed"], 2) << list;
  auto proposals = c_->Get("/api/v1/affiliation/proposals?status=pending", reviewer_.Auth(false));
  ASSERT_EQ(proposals.status, 200) << proposals.body;
  std::map<std::string, Json> by_record;
  const Json pending = proposals.Json()["items"];
  for (const auto& p : pending) by_record[p["record_id"].get<std::string>()] = p;
  const std::string active = "angem-borrower-" + std::to_string(persons[0].person_id);
  const std::string closed = "angem-borrower-" + std::to_string(persons[2].person_id);
  ASSERT_TRUE(by_record.contains(active)) << proposals.body;
  ASSERT_TRUE(by_record.contains(closed)) << proposals.body;
  EXPECT_FALSE(by_record.contains("angem-borrower-" + std::to_string(persons[1].person_id)));
  // The queue's decisions as for a file: accepted, a worker; rejected, not proposed again.
  const Json& first = by_record[active];
  auto accepted = Post("/api/v1/affiliation/proposals/" + std::to_string(first["id"].get<std::int64_t>()) + "/accept",
                       "", reviewer_);
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto rejected =
      Post("/api/v1/affiliation/proposals/" + std::to_string(by_record[closed]["id"].get<std::int64_t>()) + "/reject",
           R"({"comment":"activité arrêtée"})", reviewer_);
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  auto again = Post("/api/v1/affiliation/lists/from-microcredit?fund=CASNOS", "", reviewer_);
  ASSERT_EQ(again.status, 202) << again.body;
  const auto id2 = again.Json()["id"].get<std::int64_t>();
  for (int i = 0; i < 600; ++i) {
    list = c_->Get("/api/v1/affiliation/lists/" + std::to_string(id2), reviewer_.Auth(false)).Json();
    if (list.value("status", "") != "queued") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(list["proposed"], 0) << list;
  EXPECT_EQ(list["already_affiliated"], 1) << list;
  EXPECT_EQ(list["previously_rejected"], 1) << list;
}

}  // namespace
}  // namespace sanad::testing
