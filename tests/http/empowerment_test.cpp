// Women's empowerment registrations over HTTP, on SQLite and PostgreSQL (SANAD_TEST_DB selects): a woman
// registers in Arabic without an account and gets a tracking code, follows and completes her file by
// that code, a second registration of her in Latin letters is found as a probable duplicate, a
// registration matching her registry person is linked to it, staff read files only in their area (and
// each read is audited), public notes reach her status page, bad input is refused naming every field
// and changing nothing, and the public routes are rate limited (429 with Retry-After). Registrations
// arriving together (one commit batch, or committed while another was checked) still find each other.
#include <gtest/gtest.h>

#include <thread>

#include "db/row.h"
#include "empowerment/registration_service.h"
#include "empowerment_fixture.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

constexpr const char* kFes = "MA-03.231.01.03";  // Fès-Meknès (MA-03)
constexpr const char* kRegister = "/api/v1/public/empowerment/registrations";

class EmpowermentApi : public EmpowermentServerTest {
 protected:
  const Headers& Auditor() {
    if (auditor_.empty()) auditor_ = Login("auditor", server_->AddUser("auditor", {auth::Role::kAuditor}));
    return auditor_;
  }

  HttpResponse Patch(const std::string& target, const Json& body) {
    return c_->Request("PATCH", target, body.dump(), {{"Content-Type", "application/json"}});
  }

  long long Count(const std::string& query) {
    auto s = server_->platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }

  static Json Arabic() {
    return {{"kind", "auto_entrepreneur"},
            {"given_name", "فاطمة"},
            {"family_name", "العلوي"},
            {"birth_date", "1988-04-12"},
            {"phone", "0661234567"},
            {"commune_code", kFes},
            {"situations", {"widow", "head_of_household"}}};
  }

  Headers auditor_;
};

TEST_F(EmpowermentApi, AWomanRegistersInArabicCompletesHerFileAndIsFoundAgainInLatinLetters) {
  // Registration in Arabic: 201 with a tracking code, her file incomplete.
  auto created = c_->PostJson(kRegister, Arabic().dump(), {{"Accept-Language", "ar"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string code = created.Json()["tracking_code"];
  EXPECT_EQ(code.size(), 19u);
  EXPECT_EQ(created.Json()["status"], "incomplete");
  EXPECT_EQ(created.Json()["missing"], Json({"education", "skills", "project_idea"}));

  // Her status page shows the state of her file, nothing personal.
  auto status = c_->Get(std::string(kRegister) + "/" + code);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Json()["status"], "incomplete");
  EXPECT_EQ(status.body.find("فاطمة"), std::string::npos);
  EXPECT_EQ(status.body.find("661234567"), std::string::npos);
  // The code is read as she may type it back: lower case, without dashes.
  std::string typed;
  for (char ch : code)
    if (ch != '-') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  EXPECT_EQ(c_->Get(std::string(kRegister) + "/" + typed).status, 200);

  // She completes her file.
  auto completed = Patch(std::string(kRegister) + "/" + code,
                         {{"education", "secondary"},
                          {"skills", {"خياطة", "تسويق رقمي"}},
                          {"project_idea", "ورشة خياطة للملابس التقليدية في الحي مع بيع عبر الإنترنت"}});
  ASSERT_EQ(completed.status, 200) << completed.body;
  EXPECT_EQ(completed.Json()["status"], "complete");
  EXPECT_EQ(completed.Json()["missing"], Json::array());
  EXPECT_FALSE(completed.Json()["completed_at"].is_null());

  // The same woman registered at another office, in Latin letters, with another phone.
  Json latin{{"kind", "auto_entrepreneur"}, {"given_name", "Fatima"}, {"family_name", "El Alaoui"},
             {"birth_date", "1988-04-12"},  {"phone", "0612345678"},  {"commune_code", kFes}};
  auto second = c_->PostJson(kRegister, latin.dump());
  ASSERT_EQ(second.status, 201) << second.body;

  // Staff of her region see both as probable duplicates.
  auto list = c_->Get("/api/v1/empowerment/registrations?duplicates=true", Fes());
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.Json()["total"], 2) << list.body;
  const auto latest = list.Json()["items"][0];
  const auto first = list.Json()["items"][1];
  EXPECT_EQ(latest["given_name_lat"], "Fatima");
  EXPECT_EQ(first["given_name_ar"], "فاطمة");
  EXPECT_EQ(first["status"], "complete");
  const std::int64_t first_id = first["id"], latest_id = latest["id"];
  auto file = c_->Get("/api/v1/empowerment/registrations/" + std::to_string(latest_id), Fes());
  ASSERT_EQ(file.status, 200) << file.body;
  ASSERT_EQ(file.Json()["probable_duplicates"].size(), 1u) << file.body;
  EXPECT_EQ(file.Json()["probable_duplicates"][0]["id"], first_id);
  EXPECT_GE(file.Json()["probable_duplicates"][0]["probability"].get<double>(), 0.5);
  // And from the first file, the other direction.
  auto first_file = c_->Get("/api/v1/empowerment/registrations/" + std::to_string(first_id), Fes());
  ASSERT_EQ(first_file.status, 200);
  EXPECT_EQ(first_file.Json()["probable_duplicates"][0]["id"], latest_id);

  // Outside the reader's area: 404 naming nothing, an empty list.
  auto outside = c_->Get("/api/v1/empowerment/registrations/" + std::to_string(first_id), Casa());
  EXPECT_EQ(outside.status, 404);
  EXPECT_EQ(outside.body.find("فاطمة"), std::string::npos);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/registrations", Casa()).Json()["total"], 0);

  // Every read of her file is in the audit log.
  auto audit = c_->Get("/api/v1/audit?action=view&record_type=empowerment_registration", Auditor());
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_GE(audit.Json()["total"].get<long long>(), 2);

  // A public note reaches her status page; an internal one does not.
  const std::string notes = "/api/v1/empowerment/registrations/" + std::to_string(first_id) + "/notes";
  ASSERT_EQ(c_->PostJson(notes, Json{{"body", "موعد المقابلة يوم الاثنين"}, {"public", true}}.dump(), Fes()).status,
            201);
  ASSERT_EQ(c_->PostJson(notes, Json{{"body", "internal: check the second file"}}.dump(), Fes()).status, 201);
  EXPECT_EQ(c_->PostJson(notes, Json{{"body", "x"}}.dump(), Casa()).status, 404);
  auto shown = c_->Get(std::string(kRegister) + "/" + code).Json();
  ASSERT_EQ(shown["public_notes"].size(), 1u) << shown.dump();
  EXPECT_EQ(shown["public_notes"][0]["body"], "موعد المقابلة يوم الاثنين");
}

TEST_F(EmpowermentApi, BadInputChangesNothingARegistryMatchIsLinkedAndRegistrationsAreRateLimited) {
  // Bad input first, on an empty database.
  Json bad = Arabic();
  bad.erase("given_name");
  bad["phone"] = "12";
  bad["commune_code"] = "MA-99.999.99.99";
  bad["situations"] = {"widow", "rich"};
  bad["kind"] = "cooperative_member";  // without her cooperative
  auto r = c_->PostJson(kRegister, bad.dump(), {{"Accept-Language", "fr"}});
  ASSERT_EQ(r.status, 422) << r.body;
  const auto error = r.Json()["error"];
  EXPECT_EQ(error["reason"], "empowerment.registration_invalid");
  std::set<std::string> fields;
  for (const auto& p : error["problems"]) fields.insert(p["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"given_name", "phone", "commune_code", "situations[1]", "cooperative"}))
      << r.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_registrations"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_cooperatives"), 0);

  // A completion with a bad field changes nothing of her file.
  auto created = c_->PostJson(kRegister, Arabic().dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string code = created.Json()["tracking_code"];
  auto refused = Patch(std::string(kRegister) + "/" + code, {{"education", "doctorate"}, {"project_idea", "short"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["problems"].size(), 2u) << refused.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_registrations WHERE version = 1 AND education IS NULL"), 1);

  // Unknown and malformed codes: the same 404.
  EXPECT_EQ(c_->Get(std::string(kRegister) + "/AAAA-BBBB-CCCC-DDDD").status, 404);
  auto malformed = c_->Get(std::string(kRegister) + "/not-a-code");
  EXPECT_EQ(malformed.status, 404);
  EXPECT_EQ(malformed.Json()["error"]["reason"], "empowerment.tracking_code_unknown");
  // Staff routes need an account and the permission.
  EXPECT_EQ(c_->Get("/api/v1/empowerment/registrations").status, 401);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/registrations", Auditor()).status, 403);

  // A registration matching her registry person (same CIN, name in Latin letters) is linked to it.
  {
    auto s = server_->platform().db->Acquire();
    s.sql() << "INSERT INTO households (ref, commune_code, urban, status, created_at, updated_at) VALUES "
               "('EH1', :c, 1, 'active', 'now', 'now')",
        soci::use(std::string(kFes));
    long long h = 0;
    s.sql() << "SELECT id FROM households WHERE ref = 'EH1'", soci::into(h);
    s.sql() << "INSERT INTO persons (household_id, relationship, sex, birth_date, status, given_name_ar, "
               "family_name_ar, national_id, created_at, updated_at) VALUES (:h, 'head', 'F', '1985-02-03', "
               "'active', 'خديجة', 'بناني', 'CD123456', 'now', 'now')",
        soci::use(h);
  }
  long long person = 0;
  {
    auto s = server_->platform().db->Acquire();
    s.sql() << "SELECT id FROM persons WHERE national_id = 'CD123456'", soci::into(person);
  }
  Json j{
      {"kind", "cooperative_member"},
      {"given_name", "Khadija"},
      {"family_name", "Bennani"},
      {"birth_date", "1985-02-03"},
      {"national_id", "cd 123456"},
      {"phone", "+212 661 00 11 22"},
      {"commune_code", kFes},
      {"cooperative", {{"name", "تعاونية الأمل للنسيج"}, {"registration_number", "COOP-114"}, {"sector", "textile"}}}};
  auto linked = c_->PostJson(kRegister, j.dump());
  ASSERT_EQ(linked.status, 201) << linked.body;
  auto list = c_->Get("/api/v1/empowerment/registrations", Fes()).Json();
  ASSERT_EQ(list["total"], 2);  // hers and the one of the bad-input part
  EXPECT_EQ(list["items"][0]["person_id"], person);
  EXPECT_EQ(list["items"][0]["national_id"], "CD123456");
  EXPECT_EQ(list["items"][0]["cooperative"]["registration_number"], "COOP-114");
  // The cooperative is an organisation with its members.
  auto coops = c_->Get("/api/v1/empowerment/cooperatives", Fes());
  ASSERT_EQ(coops.status, 200) << coops.body;
  ASSERT_EQ(coops.Json()["items"].size(), 1u);
  EXPECT_EQ(coops.Json()["items"][0]["members"], 1);
  EXPECT_EQ(c_->Get("/api/v1/empowerment/cooperatives", Casa()).Json()["items"].size(), 0u);

  // Last: past the limit of the address (10 at once), 429 with Retry-After.
  int throttled = 0;
  std::optional<std::string> retry_after;
  for (int i = 0; i < 15 && throttled == 0; ++i) {
    auto answer = c_->PostJson(kRegister, "{}");
    if (answer.status == 429) {
      ++throttled;
      retry_after = answer.Header("retry-after");
    } else {
      EXPECT_EQ(answer.status, 422) << answer.body;
    }
  }
  EXPECT_EQ(throttled, 1);
  ASSERT_TRUE(retry_after);
  EXPECT_GE(std::stoi(*retry_after), 1);
}

// Group commit (registration_service.h): a registration's check reads what was committed before it, and its
// batch looks again at what came after — registrations committed while it was checked and the earlier ones
// of its own batch — so no two registrations of the same woman miss each other.
TEST_F(EmpowermentApi, RegistrationsOfTheSameWomanInOneBatchOrCommittedMeanwhileAreFoundAsDuplicates) {
  empowerment::RegistrationService svc(*server_->platform().empowerment, nullptr);
  const std::string now = FormatTimestamp(server_->clock().Now()), today = DateOf(server_->clock().Now()).ToString();
  Json latin{{"kind", "auto_entrepreneur"}, {"given_name", "Fatima"}, {"family_name", "El Alaoui"},
             {"birth_date", "1988-04-12"},  {"phone", "0612345678"},  {"commune_code", kFes}};
  auto duplicates_of = [&](std::int64_t id) {
    return Count("SELECT COUNT(*) FROM empowerment_duplicates WHERE registration_id = " + std::to_string(id));
  };

  // Two registrations of her checked before either is stored, then written in one batch: the second is
  // found as a duplicate of the first by the batch.
  auto a = svc.Prepare(Arabic(), now, today);
  auto b = svc.Prepare(latin, now, today);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->second.probable_duplicates, 0u);
  EXPECT_EQ(b->second.probable_duplicates, 0u);  // the check alone cannot see the other
  std::vector<empowerment::NewRegistration> batch{a->first, b->first};
  auto written = svc.WriteBatch(batch);
  ASSERT_TRUE(written) << written.error().message;
  ASSERT_EQ(written->size(), 2u);
  EXPECT_EQ((*written)[0].probable_duplicates, 0u);
  EXPECT_EQ((*written)[1].probable_duplicates, 1u);
  EXPECT_EQ(duplicates_of((*written)[1].id), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_duplicates WHERE registration_id = " +
                  std::to_string((*written)[1].id) + " AND other_id = " + std::to_string((*written)[0].id)),
            1);

  // A third checked (it sees both), then a fourth committed before the third's batch: the third's batch
  // finds the fourth, and the two it had seen are not counted twice.
  auto c = svc.Prepare(Arabic(), now, today);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->second.probable_duplicates, 2u);
  auto d = svc.Register(latin, now, today);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_EQ(d->probable_duplicates, 2u);
  std::vector<empowerment::NewRegistration> late{c->first};
  auto third = svc.WriteBatch(late);
  ASSERT_TRUE(third) << third.error().message;
  EXPECT_EQ((*third)[0].probable_duplicates, 3u);
  EXPECT_EQ(duplicates_of((*third)[0].id), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_duplicates WHERE registration_id = " +
                  std::to_string((*third)[0].id) + " AND other_id = " + std::to_string(d->id)),
            1);
}

TEST_F(EmpowermentApi, ConcurrentRegistrationsOfTheSameWomanAreEachFoundAsDuplicatesOfAllEarlierOnes) {
  // Eight clients post her at once, in either script; whatever the interleaving of checks and batches,
  // every registration is linked to every earlier one: the k-th (by id) to k-1 others, and every answer is
  // a 201 given once the row is stored.
  constexpr int kClients = 8;
  std::vector<int> statuses(kClients);
  std::vector<std::string> codes(kClients);
  std::vector<std::thread> clients;
  clients.reserve(kClients);
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      Json body = Arabic();
      if (i % 2 == 1) {
        body["given_name"] = "Fatima";
        body["family_name"] = "El Alaoui";
      }
      auto r = server_->Client().PostJson(kRegister, body.dump());
      statuses[i] = r.status;
      if (r.status == 201) codes[i] = r.Json()["tracking_code"];
    });
  }
  for (auto& t : clients) t.join();
  for (int i = 0; i < kClients; ++i) {
    ASSERT_EQ(statuses[i], 201) << i;
    // Acknowledged means stored: her code finds her file.
    EXPECT_EQ(c_->Get(std::string(kRegister) + "/" + codes[i]).status, 200) << codes[i];
  }
  std::vector<std::int64_t> ids;
  {
    auto s = server_->platform().db->Acquire();
    db::EachRow(
        s.sql(), "SELECT id FROM empowerment_registrations ORDER BY id", [](soci::statement&) {},
        [&](const soci::row& r) { ids.push_back(db::RowInt(r, 0)); });
  }
  ASSERT_EQ(ids.size(), static_cast<std::size_t>(kClients));
  for (std::size_t k = 0; k < ids.size(); ++k) {
    EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_duplicates WHERE registration_id = " + std::to_string(ids[k]) +
                    " AND other_id < " + std::to_string(ids[k])),
              static_cast<long long>(k))
        << "registration " << k;
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM empowerment_duplicates"), kClients * (kClients - 1) / 2);
}

}  // namespace
}  // namespace sanad::testing
