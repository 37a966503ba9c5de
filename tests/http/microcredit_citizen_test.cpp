// Micro-credit over HTTP, second part, on SQLite and PostgreSQL (docs/microcredit.md): a citizen's public
// pre-registration with its tracking code, eligibility preview and rate limit, and its conversion by an
// officer into an application; applications sent at once never exceeding a commune's quota; collection
// tasks, promises kept or broken from the repayments, and the nightly field-visit proposal. Linked after
// microcredit_test.cpp: its last test moves the suite's clock forward.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/tracking_code.h"
#include "microcredit_http_fixture.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

long long Count(const std::string& sql) {
  auto s = MicrocreditOverHttp::Db().Acquire();
  long long n = 0;
  s.sql() << sql, soci::into(n);
  return n;
}

// A woman of Aïn El Turk (Oran, DZ-3109) pre-registers for a raw-material loan (issue 12 §2).
Json PreRegistrationForm() {
  return Json{{"given_name_ar", "نادية"},
              {"family_name_ar", "بلقاسم"},
              {"birth_date", "1988-04-02"},
              {"national_id", "109880402001234567"},
              {"sex", "F"},
              {"wilaya_code", "DZ-31"},
              {"commune_code", "DZ-3109"},
              {"phone", "0551 23 45 67"},
              {"education", "upper_secondary"},
              {"product", "PNR"},
              {"project_idea", "ورشة خياطة في المنزل لصنع الملابس التقليدية"},
              {"estimated_cost", 80000}};
}

constexpr const char* kPreRegister = "/api/v1/public/microcredit/pre-registrations";

TEST_F(MicrocreditOverHttp, CitizensPreRegisterWithATrackingCodeAndOfficersConvertThem) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("pre.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("pre.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  const std::string officer = token("pre.officer", auth::Role::kSocialWorker, "DZ-31");
  const std::string algiers = token("pre.algiers", auth::Role::kSocialWorker, "DZ-16");
  const std::string member = token("pre.member", auth::Role::kCommitteeMember, "DZ-31");
  const long long before = Count("SELECT COUNT(*) FROM microcredit_preregistrations");

  // Bad input: every invalid field named at once, in the reader's language, nothing written.
  Json bad = PreRegistrationForm();
  bad["national_id"] = "12345";
  bad["phone"] = "12";
  bad["commune_code"] = "DZ-1601";  // Algiers, not in Oran
  bad["project_idea"] = "خياطة";
  bad["product"] = "ANSEJ";
  bad.erase("sex");
  auto refused = c.PostJson(kPreRegister, bad.dump(), Headers{{"Accept-Language", "fr"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["reason"], "microcredit.preregistration_invalid");
  std::set<std::string> fields;
  const Json problems = refused.Json()["error"]["problems"];
  for (const auto& p : problems) fields.insert(p["field"].get<std::string>());
  EXPECT_EQ(fields, (std::set<std::string>{"national_id", "phone", "commune_code", "project_idea", "product", "sex"}))
      << refused.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations"), before);

  // Accepted at once with a code; the eligibility preview is empty (18 or over, within the ceiling).
  auto created = c.PostJson(kPreRegister, PreRegistrationForm().dump(), Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string code = created.Json()["tracking_code"];
  EXPECT_EQ(code.size(), 19u) << code;  // XXXX-XXXX-XXXX-XXXX
  EXPECT_EQ(created.Json()["status"], "received");
  EXPECT_EQ(created.Json()["eligible_on_preview"], true);
  // Only the code's hash is stored.
  std::string bare = code;
  std::erase(bare, '-');
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations WHERE code_hash = '" + core::CodeHash(bare) + "'"),
            1);
  // Over the PNR ceiling of Oran and under 18: recorded, with both reasons shown in Arabic.
  Json over = PreRegistrationForm();
  over["estimated_cost"] = 150000;
  over["birth_date"] = "2012-01-01";
  over["national_id"] = "109880402001234568";
  auto previewed = c.PostJson(kPreRegister, over.dump(), Headers{{"Accept-Language", "ar"}});
  ASSERT_EQ(previewed.status, 201) << previewed.body;
  EXPECT_EQ(previewed.Json()["eligible_on_preview"], false);
  std::set<std::string> reasons;
  const Json preview = previewed.Json()["preview"];
  for (const auto& r : preview) reasons.insert(r["code"].get<std::string>());
  EXPECT_EQ(reasons, (std::set<std::string>{"microcredit.reason.under_18", "microcredit.over_ceiling"}))
      << previewed.body;
  EXPECT_EQ(previewed.Json()["preview"][1]["text"],
            "المبلغ \u2068150000\u2069 دج يتجاوز السقف المعمول به في الولاية \u2068DZ-31\u2069: \u2068100000\u2069 دج.")
      << previewed.body;
  const std::string code2 = previewed.Json()["tracking_code"];

  // The status by code, typed loosely (lower case, no hyphens); unknown and malformed codes: the same 404.
  std::string loose;
  for (char ch : code) {
    if (ch != '-') loose += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  auto status = c.Get(std::string(kPreRegister) + "/" + loose);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_EQ(status.Json()["status"], "received");
  EXPECT_FALSE(status.Json().contains("national_id"));
  EXPECT_EQ(c.Get(std::string(kPreRegister) + "/AAAA-BBBB-CCCC-DDDD").status, 404);
  auto malformed = c.Get(std::string(kPreRegister) + "/not-a-code");
  EXPECT_EQ(malformed.status, 404);
  EXPECT_EQ(malformed.Json()["error"]["reason"], "microcredit.tracking_code_unknown");

  // Officers see the pre-registrations of their area only; staff routes need an account.
  EXPECT_EQ(c.Get("/api/v1/microcredit/pre-registrations").status, 401);
  auto listed = c.Get("/api/v1/microcredit/pre-registrations?status=received", Bearer(officer));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_GE(listed.Json()["total"].get<long long>(), 2);
  const std::int64_t over_id = listed.Json()["items"][0]["id"];
  const std::int64_t id = listed.Json()["items"][1]["id"];
  EXPECT_EQ(listed.Json()["items"][1]["national_id"], "109880402001234567");
  EXPECT_EQ(listed.Json()["items"][1]["phone"], "+213551234567");
  EXPECT_EQ(c.Get("/api/v1/microcredit/pre-registrations", Bearer(algiers)).Json()["total"], 0);
  const std::string base = "/api/v1/microcredit/pre-registrations/" + std::to_string(id);
  EXPECT_EQ(c.Get(base, Bearer(algiers)).status, 404);
  ASSERT_EQ(c.Get(base, Bearer(officer)).status, 200);
  ASSERT_TRUE(server_->platform().audit->Fold());  // SQLite spools audit lines before the chain
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE record_type = 'microcredit_preregistration' AND record_id = '" +
                  std::to_string(id) + "'"),
            1);

  // Conversion: the registry record must be the same person; outside the scope it is not found.
  const auto nadia = AddPerson(c, agent, coord, "نادية", "بلقاسم", "Nadia", "Belkacem", "F", "1988-04-02", "DZ-3109");
  const auto other = AddPerson(c, agent, coord, "رشيد", "بوزيد", "Rachid", "Bouzid", "M", "1979-10-12", "DZ-3109");
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(algiers)).status, 404);
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(member)).status, 403);
  auto wrong = c.PostJson(base + "/convert", Json{{"person_id", other}}.dump(), Bearer(officer));
  ASSERT_EQ(wrong.status, 422) << wrong.body;
  EXPECT_EQ(wrong.Json()["error"]["reason"], "microcredit.preregistration_other_person");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM microcredit_preregistrations WHERE id = " + std::to_string(id) +
                  " AND status = 'received'"),
            1);
  auto converted = c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(officer));
  ASSERT_EQ(converted.status, 200) << converted.body;
  EXPECT_EQ(converted.Json()["status"], "converted");
  const std::int64_t application = converted.Json()["application_id"];
  EXPECT_EQ(converted.Json()["application_state"], "submitted");
  auto app = c.Get("/api/v1/microcredit/applications/" + std::to_string(application), Bearer(officer)).Json();
  EXPECT_EQ(app["person_id"], nadia);
  EXPECT_EQ(app["amount_minor"], 8'000'000);
  EXPECT_EQ(app["product"], "PNR");
  EXPECT_EQ(app["commune_code"], "DZ-3109");
  EXPECT_EQ(c.PostJson(base + "/convert", Json{{"person_id", nadia}}.dump(), Bearer(officer)).status, 409);
  // The citizen's status follows the application.
  EXPECT_EQ(c.Get(std::string(kPreRegister) + "/" + code).Json()["status"], "submitted");

  // Notes: the public ones are read by the citizen with the code, the others by officers only.
  EXPECT_EQ(c.PostJson(base + "/notes", R"({"body":"x","public":true})", Bearer(algiers)).status, 404);
  ASSERT_EQ(c.PostJson(base + "/notes", R"({"body":"موعد المقابلة يوم الأحد","public":true})", Bearer(officer)).status,
            201);
  ASSERT_EQ(c.PostJson(base + "/notes", R"({"body":"dossier complet"})", Bearer(officer)).status, 201);
  const Json shown = c.Get(std::string(kPreRegister) + "/" + code).Json();
  ASSERT_EQ(shown["public_notes"].size(), 1u) << shown;
  EXPECT_EQ(shown["public_notes"][0]["body"], "موعد المقابلة يوم الأحد");
  EXPECT_EQ(c.Get(base, Bearer(officer)).Json()["notes"].size(), 2u);

  // Rejection with a reason the citizen reads.
  const std::string base2 = "/api/v1/microcredit/pre-registrations/" + std::to_string(over_id);
  EXPECT_EQ(c.PostJson(base2 + "/reject", R"({"reason":" "})", Bearer(officer)).status, 400);
  auto rejected = c.PostJson(base2 + "/reject", R"({"reason":"المشروع يتجاوز سقف القرض ويلزم أن يكون عمرك 18 سنة"})",
                             Bearer(officer));
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  auto seen = c.Get(std::string(kPreRegister) + "/" + code2).Json();
  EXPECT_EQ(seen["status"], "rejected");
  ASSERT_EQ(seen["public_notes"].size(), 1u);
  EXPECT_EQ(seen["public_notes"][0]["body"], "المشروع يتجاوز سقف القرض ويلزم أن يكون عمرك 18 سنة");
  EXPECT_EQ(c.PostJson(base2 + "/reject", R"({"reason":"x"})", Bearer(officer)).status, 409);

  // Last: past the limit of the address (10 at once), 429 with Retry-After.
  int throttled = 0;
  std::optional<std::string> retry_after;
  for (int i = 0; i < 15 && throttled == 0; ++i) {
    auto answer = c.PostJson(kPreRegister, "{}");
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

// Issue 12 §2: "applications over quota wait". Four officers' applications for the last place of a
// commune at the same instant: exactly one is submitted, the others wait (the store checks and takes the
// place in one transaction holding the quota's lock).
TEST_F(MicrocreditOverHttp, ParallelApplicationsNeverExceedTheCommuneQuota) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("q.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("q.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  std::vector<std::string> officers;
  officers.reserve(4);
  for (int i = 0; i < 4; ++i)
    officers.push_back(token("q.officer" + std::to_string(i), auth::Role::kSocialWorker, "DZ-31"));
  const char* given[] = {"Walid", "Sofiane", "Hakim", "Mourad"};
  const char* given_ar[] = {"وليد", "سفيان", "حكيم", "مراد"};
  std::vector<std::int64_t> persons;
  persons.reserve(4);
  for (int i = 0; i < 4; ++i) {
    persons.push_back(AddPerson(c, agent, coord, given_ar[i], "بن فريحة", given[i], "Benfreha", "M",
                                fmt::format("198{}-0{}-1{}", i, i + 1, i), "DZ-3120"));
  }
  const std::string today = DateOf(server_->clock().Now()).ToString();
  const std::string year = today.substr(0, 4);
  auto quota =
      c.Request("PUT", "/api/v1/microcredit/quotas", R"({"year":)" + year + R"(,"area_code":"DZ-3120","projects":1})",
                {{"Authorization", "Bearer " + coord}, {"Content-Type", "application/json"}});
  ASSERT_EQ(quota.status, 200) << quota.body;

  std::vector<std::string> states(4);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      auto own = server_->Client();
      Json body{{"person_id", persons[static_cast<std::size_t>(i)]},
                {"product", "PNR"},
                {"amount", 30000},
                {"applied_on", today},
                {"activity", "boulangerie"}};
      auto r =
          own.PostJson("/api/v1/microcredit/applications", body.dump(), Bearer(officers[static_cast<std::size_t>(i)]));
      states[static_cast<std::size_t>(i)] = r.status == 201 ? r.Json()["state"].get<std::string>() : r.body;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(std::count(states.begin(), states.end(), "submitted"), 1) << fmt::format("{}", fmt::join(states, " | "));
  EXPECT_EQ(std::count(states.begin(), states.end(), "waiting_quota"), 3)
      << fmt::format("{}", fmt::join(states, " | "));
}

// ISO date `days` after (negative: before) the server's today, and `months` before an ISO date (the day
// clamped to the end of a shorter month, as schedules do).
std::string ShiftDays(const std::string& iso, int days) {
  using namespace std::chrono;
  const year_month_day d{year{std::stoi(iso.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                         day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  const year_month_day s{sys_days{d} + std::chrono::days{days}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(s.year()), static_cast<unsigned>(s.month()),
                     static_cast<unsigned>(s.day()));
}
std::string MonthsBefore(const std::string& iso, int months) {
  using namespace std::chrono;
  year_month_day d{year{std::stoi(iso.substr(0, 4))}, month{static_cast<unsigned>(std::stoi(iso.substr(5, 2)))},
                   day{static_cast<unsigned>(std::stoi(iso.substr(8, 2)))}};
  d -= std::chrono::months{months};
  if (!d.ok()) d = d.year() / d.month() / last;
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

// Runs the collection proposals through the route and waits for the job to finish.
Json ProposeVisits(HttpClient& c, const std::string& who) {
  auto started = c.PostJson("/api/v1/microcredit/collection/proposals", "{}", Bearer(who));
  EXPECT_EQ(started.status, 202) << started.body;
  const std::string target =
      "/api/v1/microcredit/collection/proposals/" + std::to_string(started.Json()["id"].get<std::int64_t>());
  Json job;
  for (int i = 0; i < 400; ++i) {
    job = c.Get(target, Bearer(who)).Json();
    if (job["status"] != "queued" && job["status"] != "running") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(job["status"], "succeeded") << job;
  return job;
}

// Last of the suite: it moves the server's clock forward.
TEST_F(MicrocreditOverHttp, CollectionTasksPromisesAndTheNightlyFieldVisit) {
  auto c = server_->Client();
  auto token = [&](const std::string& name, auth::Role role, const std::string& area) {
    auto t = BearerToken(c, name, server_->AddUser(name, {role}, area));
    EXPECT_TRUE(t) << name;
    return t.value_or("");
  };
  const std::string agent = token("col.agent", auth::Role::kDataEntry, "DZ-31");
  const std::string coord = token("col.coord", auth::Role::kRegionalCoordinator, "DZ-31");
  const std::string officer_password = server_->AddUser("col.officer", {auth::Role::kSocialWorker}, "DZ-31");
  const std::string officer = BearerToken(c, "col.officer", officer_password).value_or("");
  const std::string member = token("col.member", auth::Role::kCommitteeMember, "DZ-31");
  const std::string algiers = token("col.algiers", auth::Role::kSocialWorker, "DZ-16");
  const std::string today = DateOf(server_->clock().Now()).ToString();

  // A loan whose first instalment fell due about 45 days ago and was never paid (31–60 days bucket):
  // PNR, 3 months of grace, the first instalment 4 months after disbursement.
  const std::string disbursed_on = MonthsBefore(ShiftDays(today, -45), 4);
  const auto amine = AddPerson(c, agent, coord, "أمين", "سعدي", "Amine", "Saadi", "M", "1986-06-20", "DZ-3106");
  Json body{{"person_id", amine},
            {"product", "PNR"},
            {"amount", 40000},
            {"applied_on", ShiftDays(disbursed_on, -10)},
            {"activity", "menuiserie"}};
  auto applied = c.PostJson("/api/v1/microcredit/applications", body.dump(), Bearer(officer));
  ASSERT_EQ(applied.status, 201) << applied.body;
  ASSERT_EQ(applied.Json()["state"], "submitted") << applied.body;
  const std::string app =
      "/api/v1/microcredit/applications/" + std::to_string(applied.Json()["id"].get<std::int64_t>());
  ASSERT_EQ(c.PostJson(app + "/scores", R"({"score":15})", Bearer(member)).status, 200);
  ASSERT_EQ(c.PostJson(app + "/decision", R"({"decision":"approve","minutes":"PV 9"})", Bearer(member)).status, 200);
  auto disbursed = c.PostJson(app + "/disburse", Json{{"disbursed_on", disbursed_on}}.dump(), Bearer(officer));
  ASSERT_EQ(disbursed.status, 201) << disbursed.body;
  const std::int64_t loan = disbursed.Json()["loan_ids"][0];
  const std::string tasks = "/api/v1/microcredit/loans/" + std::to_string(loan) + "/tasks";

  // The nightly proposal: one field visit for the loan, and none more on a second run (idempotent).
  const Json first = ProposeVisits(c, officer);
  EXPECT_GE(first["result"]["proposed"].get<long long>(), 1) << first;
  const Json second = ProposeVisits(c, officer);
  EXPECT_EQ(second["result"]["proposed"], 0) << second;
  auto listed = c.Get(tasks, Bearer(officer));
  ASSERT_EQ(listed.status, 200) << listed.body;
  ASSERT_EQ(listed.Json()["items"].size(), 1u) << listed.body;
  const Json visit = listed.Json()["items"][0];
  EXPECT_EQ(visit["kind"], "field_visit");
  EXPECT_EQ(visit["source"], "nightly");
  EXPECT_EQ(visit["state"], "open");
  EXPECT_EQ(visit["due_on"], ShiftDays(today, 7));
  const int days = visit["days_in_arrears"];
  EXPECT_GE(days, 31);
  EXPECT_LE(days, 60);
  // Outside the area: neither the loan's tasks nor the task are found.
  EXPECT_EQ(c.Get(tasks, Bearer(algiers)).status, 404);
  EXPECT_EQ(c.Get("/api/v1/microcredit/tasks?assigned=all", Bearer(algiers)).Json()["total"], 0);

  // "My collection tasks": the unassigned proposal shows, with the loan's days in arrears.
  auto mine = c.Get("/api/v1/microcredit/tasks?state=open", Bearer(officer));
  ASSERT_EQ(mine.status, 200) << mine.body;
  bool found = false;
  const Json mine_items = mine.Json()["items"];
  for (const auto& t : mine_items) {
    if (t["id"] == visit["id"]) found = t["days_in_arrears"] == days;
  }
  EXPECT_TRUE(found) << mine.body;

  // Closing the visit with its outcome; the loan enters no new proposal while it stays in the bucket.
  const std::string close = "/api/v1/microcredit/tasks/" + std::to_string(visit["id"].get<std::int64_t>()) + "/close";
  EXPECT_EQ(c.PostJson(close, R"({"outcome":"x"})", Bearer(algiers)).status, 404);
  auto closed = c.PostJson(close, R"({"outcome":"visite faite, promesse de payer"})", Bearer(officer));
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.Json()["state"], "done");
  EXPECT_EQ(c.PostJson(close, R"({"outcome":"encore"})", Bearer(officer)).status, 409);
  EXPECT_EQ(ProposeVisits(c, officer)["result"]["proposed"], 0);

  // Promises to pay: kept or broken from the repayments received, never typed.
  Json bad{{"kind", "promise_to_pay"}, {"due_on", today}};
  auto incomplete = c.PostJson(tasks, bad.dump(), Bearer(officer));
  EXPECT_EQ(incomplete.status, 400) << incomplete.body;
  EXPECT_EQ(incomplete.Json()["error"]["reason"], "microcredit.promise_incomplete");
  EXPECT_EQ(c.PostJson(tasks, Json{{"kind", "visit"}, {"due_on", today}}.dump(), Bearer(officer)).status, 400);
  EXPECT_EQ(c.PostJson(tasks, Json{{"kind", "phone_call"}, {"due_on", today}}.dump(), Bearer(member)).status, 403);
  Json kept{{"kind", "promise_to_pay"},
            {"due_on", today},
            {"assigned_to", "col.officer"},
            {"promised_amount", 1667},
            {"promised_on", ShiftDays(today, 10)}};
  auto p1 = c.PostJson(tasks, kept.dump(), Bearer(officer));
  ASSERT_EQ(p1.status, 201) << p1.body;
  EXPECT_EQ(p1.Json()["promise_state"], "pending");
  Json broken = kept;
  broken["promised_amount"] = 5000;
  broken["promised_on"] = ShiftDays(today, 5);
  auto p2 = c.PostJson(tasks, broken.dump(), Bearer(officer));
  ASSERT_EQ(p2.status, 201) << p2.body;
  auto paid = c.PostJson("/api/v1/microcredit/loans/" + std::to_string(loan) + "/repayments",
                         Json{{"paid_on", today}, {"amount", 1667}, {"reference", "COL-1"}}.dump(), Bearer(officer));
  ASSERT_EQ(paid.status, 201) << paid.body;
  server_->clock().Advance(std::chrono::hours(24 * 11));
  // Tokens expire with the clock moved: sign in again.
  const std::string officer_again = BearerToken(c, "col.officer", officer_password).value_or("");
  auto after = c.Get(tasks, Bearer(officer_again)).Json();
  std::map<std::int64_t, std::string> states;
  for (const auto& t : after["items"]) {
    if (!t["promise_state"].is_null()) states[t["id"].get<std::int64_t>()] = t["promise_state"];
  }
  EXPECT_EQ(states[p1.Json()["id"].get<std::int64_t>()], "kept") << after;
  EXPECT_EQ(states[p2.Json()["id"].get<std::int64_t>()], "broken") << after;
}

}  // namespace
}  // namespace sanad::testing
