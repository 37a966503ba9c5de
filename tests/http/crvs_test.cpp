// Births and deaths from a civil registry (docs/crvs.md), over HTTP on SQLite and PostgreSQL
// (SANAD_TEST_DB): an administrator registers the registry and gets its bearer token; the registry's
// SPDCI notify of a death becomes a pending remove_member request that a reviewer approves (the person
// exits); a birth whose parent holds a national id of the registry becomes an add_member request to her
// household; unknown identifiers and other event types are recorded, never applied; a replay changes
// nothing; with automatic approval an exact identifier match is applied at once; a wrong token or a
// malformed message is refused and records nothing. A birth whose parent identifier Sanad does not
// hold: the mother's civil record (a sync search of the stand-in civil registry) is linked to the
// registry's persons by names and birth date; one certain woman → a pending add_member with the match
// probability (never applied automatically), two resembling women → unmatched with the candidates.
#include <gtest/gtest.h>

#include <map>

#include "db/row.h"
#include "dci/signature.h"
#include "stand_in_server.h"
#include "test_db.h"
#include "test_server.h"

namespace sanad::testing {
namespace {

using Json = nlohmann::json;

Json Person(const Json& fields) {
  Json p = {{"relationship", "head"}, {"sex", "F"}, {"birth_date", "1990-05-01"}};
  p.update(fields);
  return p;
}

Json Notify(const std::string& ref, const std::string& type, const Json& record) {
  return {{"signature", "unsigned"},
          {"header",
           {{"version", "1.0.0"},
            {"message_id", "m-" + ref},
            {"message_ts", "2026-12-05T10:00:00Z"},
            {"action", "notify"},
            {"status", "succ"},
            {"sender_id", "crvs-ma"},
            {"receiver_id", "sanad"},
            {"total_count", 1}}},
          {"message",
           {{"transaction_id", "t-" + ref},
            {"notify_event",
             {{{"reference_id", ref},
               {"timestamp", "2026-12-05T10:00:00Z"},
               {"data",
                {{"version", "1.0.0"},
                 {"reg_type", "ns:org:RegistryType:CRVS"},
                 {"reg_event_type", type},
                 {"reg_record_type", "CRVSPerson"},
                 {"reg_records", record}}}}}}}}};
}

Json Uin(const std::string& v) { return {{"identifier_type", "UIN"}, {"identifier_value", v}}; }

class Crvs : public ::testing::Test {
 protected:
  Crvs() : server_(Options()), c_(server_.Client()) {
    admin_ = Bearer(*BearerToken(c_, "admin", server_.AddUser("admin", {auth::Role::kAdmin})));
    agent_ = Bearer(*BearerToken(c_, "agent", server_.AddUser("agent", {auth::Role::kDataEntry}, "MA-03")));
    coord_ = Bearer(*BearerToken(c_, "coord", server_.AddUser("coord", {auth::Role::kRegionalCoordinator}, "MA-03")));
    // Amina (head, AB123456) with her husband Karim (CD654321).
    const Json household{
        {"kind", "create_household"},
        {"payload",
         {{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}}},
          {"members",
           {Person({{"given_name_lat", "Amina"}, {"family_name_lat", "Alaoui"}, {"national_id", "AB123456"}}),
            Person({{"relationship", "spouse"},
                    {"given_name_lat", "Karim"},
                    {"family_name_lat", "Alaoui"},
                    {"sex", "M"},
                    {"national_id", "CD654321"}})}}}}};
    auto filed = c_.PostJson("/api/v1/change-requests", household.dump(), agent_);
    EXPECT_EQ(filed.status, 201) << filed.body;
    auto ok = c_.PostJson(
        "/api/v1/change-requests/" + std::to_string(filed.Json()["id"].get<std::int64_t>()) + "/approve", "{}", coord_);
    EXPECT_EQ(ok.status, 200) << ok.body;
    auto found = c_.Get("/api/v1/persons?national_id=AB123456", coord_).Json();
    household_id_ = found["items"][0]["household_id"].get<std::int64_t>();
  }
  static TestServerOptions Options() {
    TestServerOptions o;
    o.db_url = FreshDatabaseUrl(BackendFromEnv());
    o.dci_outbox.signing_key = dci::GenerateOwnKey();  // Sanad signs its requests to civil registries
    return o;
  }
  long long Count(const std::string& query) {
    auto s = server_.platform().db->Acquire();
    return db::CountRows(s.sql(), query, [](soci::statement&) {});
  }
  // Registers the registry; returns its token.
  std::string Register(bool auto_approve, const std::string& base_url = "", const Json& more = Json::object()) {
    Json body{{"code", "crvs-ma"}, {"name", "État civil"}, {"auto_approve_exact", auto_approve}};
    if (!base_url.empty()) body["base_url"] = base_url;
    body.update(more);
    auto r = c_.PostJson("/api/v1/crvs/sources", body.dump(), admin_);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.Json()["notify_token"];
  }
  HttpResponse Send(const Json& body, const std::string& token) {
    return c_.PostJson("/dci/crvs/crvs-ma/registry/notify", body.dump(), {{"Authorization", "Bearer " + token}});
  }
  Json Events() { return c_.Get("/api/v1/crvs/events", coord_).Json()["items"]; }

  TestServer server_;
  HttpClient c_;
  Headers admin_, agent_, coord_;
  std::int64_t household_id_ = 0;
};

TEST_F(Crvs, ADeathIsReviewedThenExitsThePersonAndABirthJoinsTheMothersHousehold) {
  const std::string token = Register(false);

  // A death: a pending request, the person still active until a reviewer approves it.
  auto death = Send(Notify("d-1", "spdci-common:RegistryEventType:Death",
                           {{"identifier", Uin("CD654321")}, {"sex", "male"}, {"death_date", "2026-12-03"}}),
                    token);
  ASSERT_EQ(death.status, 200) << death.body;
  EXPECT_EQ(death.Json()["message"]["ack_status"], "ACK");
  EXPECT_EQ(death.Json()["message"]["filed"], 1);
  auto events = Events();
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["outcome"], "filed");
  EXPECT_EQ(events[0]["kind"], "death");
  const auto cr = events[0]["change_request_id"].get<std::int64_t>();
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE national_id = 'CD654321' AND status = 'active'"), 1);
  auto request = c_.Get("/api/v1/change-requests/" + std::to_string(cr), coord_).Json();
  EXPECT_EQ(request["kind"], "remove_member");
  EXPECT_EQ(request["status"], "pending");
  ASSERT_EQ(c_.PostJson("/api/v1/change-requests/" + std::to_string(cr) + "/approve", "{}", coord_).status, 200);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE national_id = 'CD654321' AND status = 'exited' AND "
                  "exit_reason = 'death'"),
            1);

  // A birth whose first parent is Amina: an add_member request to her household, as her child.
  auto birth = Send(Notify("b-1", "spdci-common:RegistryEventType:LiveBirth",
                           {{"identifier", Uin("N-2026-0001")},
                            {"name", {{"given_name", "ياسمين"}, {"surname", "العلوي"}}},
                            {"sex", "female"},
                            {"birth_date", "2026-11-30T08:15:00"},
                            {"parent1_identifier", Uin("AB123456")}}),
                    token);
  ASSERT_EQ(birth.status, 200) << birth.body;
  events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["outcome"], "filed");
  EXPECT_EQ(events[0]["household_id"], household_id_);
  const auto add = events[0]["change_request_id"].get<std::int64_t>();
  auto added = c_.Get("/api/v1/change-requests/" + std::to_string(add), coord_).Json();
  EXPECT_EQ(added["kind"], "add_member");
  const Json payload =
      added["payload"].is_string() ? Json::parse(added["payload"].get<std::string>()) : added["payload"];
  EXPECT_EQ(payload["person"]["relationship"], "child");
  EXPECT_EQ(payload["person"]["given_name_ar"], "ياسمين");
  EXPECT_EQ(payload["person"]["birth_date"], "2026-11-30");
  ASSERT_EQ(c_.PostJson("/api/v1/change-requests/" + std::to_string(add) + "/approve", "{}", coord_).status, 200)
      << c_.Get("/api/v1/change-requests/" + std::to_string(add), coord_).body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE household_id = " + std::to_string(household_id_) +
                  " AND source_ref = 'CRVS:N-2026-0001' AND relationship = 'child'"),
            1);

  // A replay of the same notification changes nothing; an unknown parent and another event type are
  // recorded, never applied.
  EXPECT_EQ(
      Send(Notify("b-1", "LiveBirth", {{"parent1_identifier", Uin("AB123456")}}), token).Json()["message"]["replayed"],
      1);
  auto unknown = Send(Notify("b-2", "LiveBirth", {{"sex", "male"}, {"parent1_identifier", Uin("ZZ999999")}}), token);
  EXPECT_EQ(unknown.Json()["message"]["unmatched"], 1);
  EXPECT_EQ(Send(Notify("m-1", "Marriage", {{"identifier", Uin("AB123456")}}), token).Json()["message"]["ignored"], 1);
  events = c_.Get("/api/v1/crvs/events?outcome=unmatched", admin_).Json()["items"];
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["reason"], "crvs.parent_not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM crvs_events"), 4);
  // A reviewer of another region sees none of these events; a national one sees the unmatched ones too.
  const Headers other = Bearer(
      *BearerToken(c_, "coord.other", server_.AddUser("coord.other", {auth::Role::kRegionalCoordinator}, "MA-06")));
  EXPECT_EQ(c_.Get("/api/v1/crvs/events", other).Json()["items"].size(), 0u);
  EXPECT_EQ(c_.Get("/api/v1/crvs/events", admin_).Json()["items"].size(), 4u);
  EXPECT_EQ(c_.Get("/api/v1/crvs/events", coord_).Json()["items"].size(), 2u);  // the two matched in MA-03
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE author_username = 'crvs:crvs-ma'"), 2);
}

TEST_F(Crvs, AutomaticApprovalAppliesExactMatchesAndBadSendersChangeNothing) {
  const std::string token = Register(true);
  // Refused: no token, a wrong token, another source's code; a malformed message.
  const Json death = Notify("d-9", "Death", {{"identifier", Uin("CD654321")}});
  EXPECT_EQ(c_.PostJson("/dci/crvs/crvs-ma/registry/notify", death.dump()).status, 401);
  EXPECT_EQ(Send(death, std::string(40, 'A')).status, 401);
  EXPECT_EQ(c_.PostJson("/dci/crvs/other/registry/notify", death.dump(), {{"Authorization", "Bearer " + token}}).status,
            401);
  Json bad = death;
  bad["message"]["notify_event"][0].erase("reference_id");
  auto refused = Send(bad, token);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.Json()["error"]["field"], "message.notify_event[0].reference_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM crvs_events"), 0);

  // Applied at once: the approval is the source's automatic reviewer's, not its author's.
  auto applied = Send(death, token);
  ASSERT_EQ(applied.status, 200) << applied.body;
  EXPECT_EQ(applied.Json()["message"]["applied"], 1) << applied.body;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE national_id = 'CD654321' AND status = 'exited'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE status = 'applied' AND reviewer_username = "
                  "'crvs-auto:crvs-ma'"),
            1);
  // Switched off, the next one waits for a reviewer.
  ASSERT_EQ(c_.Request("PUT", "/api/v1/crvs/sources/crvs-ma/auto-approve", R"({"auto_approve_exact": false})",
                       {admin_[0], {"Content-Type", "application/json"}})
                .status,
            200);
  auto filed = Send(Notify("b-9", "LiveBirth",
                           {{"name", {{"given_name", "Adam"}, {"surname", "Alaoui"}}},
                            {"sex", "male"},
                            {"birth_date", "2026-12-01"},
                            {"parent2_identifier", Uin("AB123456")}}),
                    token);
  EXPECT_EQ(filed.Json()["message"]["filed"], 1) << c_.Get("/api/v1/crvs/events", coord_).body;
  // A birth without the fields a registry person needs is recorded as refused with the registry's
  // reason, and nothing is filed.
  auto nameless = Send(Notify("b-10", "LiveBirth", {{"parent1_identifier", Uin("AB123456")}}), token);
  EXPECT_EQ(nameless.Json()["message"]["refused"], 1) << nameless.body;
  auto refused_events = c_.Get("/api/v1/crvs/events?outcome=refused", coord_).Json()["items"];
  ASSERT_EQ(refused_events.size(), 1u);
  EXPECT_FALSE(refused_events[0]["reason"].is_null());
  // Only administrators register registries; reviewers read the events.
  EXPECT_EQ(c_.Get("/api/v1/crvs/sources", coord_).status, 403);
  EXPECT_EQ(c_.Get("/api/v1/crvs/events", agent_).status, 403);
  EXPECT_EQ(c_.Get("/api/v1/crvs/sources", admin_).status, 200);
}

TEST_F(Crvs, ARegistryThatMustSignIsVerifiedAndUnsignedOrBadlySignedNotificationsChangeNothing) {
  const dci::KeyPair key = dci::GenerateKeyPair(), other = dci::GenerateKeyPair();
  // A key that is not one, and must_sign without a key, are refused.
  EXPECT_EQ(c_.PostJson("/api/v1/crvs/sources",
                        Json{{"code", "x"}, {"name", "x"}, {"public_key", "bm90IGEga2V5"}}.dump(), admin_)
                .Json()["error"]["reason"],
            "crvs.bad_public_key");
  EXPECT_EQ(c_.PostJson("/api/v1/crvs/sources", Json{{"code", "x"}, {"name", "x"}, {"must_sign", true}}.dump(), admin_)
                .status,
            400);
  const std::string token = Register(false, "", {{"public_key", key.public_key}, {"must_sign", true}});
  Json death = Notify("d-s1", "Death", {{"identifier", Uin("CD654321")}});
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(server_.clock().Now().time_since_epoch()).count();
  Json bare = death;
  bare.erase("signature");
  auto unsigned_ = Send(bare, token);
  EXPECT_EQ(unsigned_.status, 401) << unsigned_.body;
  EXPECT_EQ(unsigned_.Json()["error"]["reason"], "crvs.signature_missing");
  EXPECT_EQ(unsigned_.Json()["error"]["params"]["reason_code"], "err.signature.missing");
  EXPECT_EQ(Send(death, token).Json()["error"]["reason"], "crvs.signature_invalid");  // "unsigned" is no signature
  Json forged = death;
  forged["signature"] = *dci::Sign(death, other.secret_key, "crvs-ma|k1|ed25519", now);
  auto bad = Send(forged, token);
  EXPECT_EQ(bad.status, 401) << bad.body;
  EXPECT_EQ(bad.Json()["error"]["reason"], "crvs.signature_invalid");
  // Signed over another message: the digest does not match.
  Json tampered = forged;
  tampered["signature"] =
      *dci::Sign(Notify("d-s2", "Death", {{"identifier", Uin("AB123456")}}), key.secret_key, "crvs-ma|k1|ed25519", now);
  EXPECT_EQ(Send(tampered, token).status, 401);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM crvs_events"), 0);
  // Signed with the registry's key: received.
  Json good = death;
  good["signature"] = *dci::Sign(death, key.secret_key, "crvs-ma|k1|ed25519", now);
  auto ok = Send(good, token);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.Json()["message"]["filed"], 1);
  EXPECT_EQ(c_.Get("/api/v1/crvs/sources", admin_).Json()["items"][0]["must_sign"], true);
}

TEST_F(Crvs, SanadSubscribesToBirthsAndDeathsAndTheRegistryConfirmsByCallback) {
  CallbackReceiver registry(0, [](const CallbackReceiver::Call&) {
    return std::pair<int, Json>(202, Json{{"message", {{"ack_status", "ACK"}, {"correlation_id", "c-1"}}}});
  });
  // A registry without an API address cannot be subscribed to.
  Register(false);
  const Json where{{"sanad_url", "http://sanad.test:8080/"}};
  auto no_url = c_.PostJson("/api/v1/crvs/sources/crvs-ma/subscribe", where.dump(), admin_);
  EXPECT_EQ(no_url.status, 400);
  EXPECT_EQ(no_url.Json()["error"]["reason"], "crvs.no_base_url");
  ASSERT_EQ(
      c_.PostJson("/api/v1/crvs/sources",
                  Json{{"code", "crvs-dz"}, {"name", "État civil DZ"}, {"base_url", registry.Url()}}.dump(), admin_)
          .status,
      201);
  EXPECT_EQ(c_.PostJson("/api/v1/crvs/sources/crvs-dz/subscribe", where.dump(), coord_).status, 403);
  EXPECT_EQ(c_.PostJson("/api/v1/crvs/sources/crvs-dz/subscribe", Json{{"sanad_url", "ftp://x"}}.dump(), admin_)
                .Json()["error"]["reason"],
            "crvs.bad_sanad_url");

  auto sub = c_.PostJson("/api/v1/crvs/sources/crvs-dz/subscribe", where.dump(), admin_);
  ASSERT_EQ(sub.status, 202) << sub.body;
  auto call = registry.WaitFor([](const CallbackReceiver::Call& c) { return c.path == "/registry/subscribe"; });
  ASSERT_TRUE(call);
  EXPECT_EQ(call->body["header"]["action"], "subscribe");
  EXPECT_EQ(call->body["header"]["sender_uri"], "http://sanad.test:8080/dci/crvs/crvs-dz/registry/on-subscribe");
  const Json& requested = call->body["message"]["subscribe_request"];
  ASSERT_EQ(requested.size(), 2u);
  EXPECT_EQ(requested[0]["subscribe_criteria"]["reg_event_type"], "spdci-common:RegistryEventType:LiveBirth");
  EXPECT_EQ(requested[1]["subscribe_criteria"]["reg_event_type"], "spdci-common:RegistryEventType:Death");
  const std::string txn = call->body["message"]["transaction_id"];
  EXPECT_EQ(sub.Json()["transaction_id"], txn);
  // Sanad signed it; the registry verifies it with the key Sanad publishes, and a changed request fails.
  const Json published = c_.Get("/dci/public-key").Json();
  const std::string signature = call->body.value("signature", "");
  EXPECT_NE(signature.find("kidId=\"" + published.value("kid", "?") + "\""), std::string::npos) << signature;
  const long long now = dci::UnixSeconds(server_.clock().Now());
  EXPECT_TRUE(dci::Verify(call->body, signature, published.value("public_key", ""), now));
  Json forged = call->body;
  forged["message"]["subscribe_request"][1]["subscribe_criteria"]["reg_event_type"] = "x";
  EXPECT_FALSE(dci::Verify(forged, signature, published.value("public_key", ""), now));
  EXPECT_EQ(sub.Json()["items"][0]["status"], "requested");

  // The registry's on-subscribe: a transaction Sanad did not start is refused; Sanad's is recorded, each
  // code to its event type (named) or to the next requested one.
  auto on_subscribe = [&](const std::string& t) {
    Json subs =
        Json::array({Json{{"code", "sub-death"},
                          {"status", "subscribe"},
                          {"timestamp", "2026-12-05T10:00:00Z"},
                          {"reg_event_type", "spdci-common:RegistryEventType:Death"}},
                     Json{{"code", "sub-birth"}, {"status", "subscribe"}, {"timestamp", "2026-12-05T10:00:00Z"}}});
    Json body{{"signature", ""},
              {"header", {{"version", "1.0.0"}, {"action", "on-subscribe"}, {"status", "succ"}}},
              {"message",
               {{"transaction_id", t},
                {"correlation_id", "c-1"},
                {"subscribe_response",
                 {{{"reference_id", "r-1"},
                   {"timestamp", "2026-12-05T10:00:00Z"},
                   {"status", "succ"},
                   {"subscriptions", subs}}}}}}};
    return c_.PostJson("/dci/crvs/crvs-dz/registry/on-subscribe", body.dump());
  };
  EXPECT_EQ(on_subscribe("not-sanads").status, 401);
  auto confirmed = on_subscribe(txn);
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.Json()["message"]["ack_status"], "ACK");
  auto items = c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["code"], "sub-birth");
  EXPECT_EQ(items[0]["status"], "subscribed");
  EXPECT_EQ(items[1]["code"], "sub-death");
  EXPECT_EQ(items[1]["status"], "subscribed");

  // Unsubscribing sends both codes; the registry's on-unsubscribe confirms them.
  auto unsub = c_.PostJson("/api/v1/crvs/sources/crvs-dz/unsubscribe", where.dump(), admin_);
  ASSERT_EQ(unsub.status, 202) << unsub.body;
  auto ucall = registry.WaitFor([](const CallbackReceiver::Call& c) { return c.path == "/registry/unsubscribe"; });
  ASSERT_TRUE(ucall);
  EXPECT_EQ(ucall->body["header"]["action"], "unsubscribe");
  EXPECT_EQ(ucall->body["message"]["subscription_codes"], Json({"sub-birth", "sub-death"}));
  const std::string utxn = ucall->body["message"]["transaction_id"];
  EXPECT_EQ(c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"][0]["status"], "unsubscribing");
  Json done{
      {"header", {{"action", "on-unsubscribe"}}},
      {"message",
       {{"transaction_id", utxn},
        {"status", "succ"},
        {"subscription_status",
         {{{"code", "sub-birth"}, {"status", "unsubscribe"}}, {{"code", "sub-death"}, {"status", "unsubscribe"}}}}}}};
  ASSERT_EQ(c_.PostJson("/dci/crvs/crvs-dz/registry/on-unsubscribe", done.dump()).status, 200);
  items = c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"];
  EXPECT_EQ(items[0]["status"], "unsubscribed");
  EXPECT_EQ(items[1]["status"], "unsubscribed");
}

// The compliance suite's mock CRVS answers a subscribe with ONE subscription code, naming no event type,
// under a reference_id of its own: that code covers every event type of the request (both rows), and
// unsubscribing sends it once. Codes whose response items name Sanad's reference_ids go to those items.
TEST_F(Crvs, OneSubscriptionCodeNamingNoEventTypeCoversEveryEventTypeOfTheRequest) {
  CallbackReceiver registry(0, [](const CallbackReceiver::Call&) {
    return std::pair<int, Json>(202, Json{{"message", {{"ack_status", "ACK"}, {"correlation_id", "c-1"}}}});
  });
  ASSERT_EQ(
      c_.PostJson("/api/v1/crvs/sources",
                  Json{{"code", "crvs-dz"}, {"name", "État civil DZ"}, {"base_url", registry.Url()}}.dump(), admin_)
          .status,
      201);
  const Json where{{"sanad_url", "http://sanad.test:8080"}};
  auto subscribe = [&] {
    auto sub = c_.PostJson("/api/v1/crvs/sources/crvs-dz/subscribe", where.dump(), admin_);
    EXPECT_EQ(sub.status, 202) << sub.body;
    return sub.Json().value("transaction_id", "");
  };
  auto on_subscribe = [&](const std::string& txn, const Json& response_items) {
    Json body{{"signature", ""},
              {"header", {{"version", "1.0.0"}, {"action", "on-subscribe"}, {"status", "succ"}}},
              {"message", {{"transaction_id", txn}, {"subscribe_response", response_items}}}};
    return c_.PostJson("/dci/crvs/crvs-dz/registry/on-subscribe", body.dump()).status;
  };
  auto item = [](const std::string& ref, const std::string& code) {
    return Json{{"reference_id", ref},
                {"timestamp", "2026-12-05T10:00:00Z"},
                {"status", "succ"},
                {"subscriptions", {{{"code", code}, {"status", "subscribe"}, {"timestamp", "2026-12-05T10:00:00Z"}}}}};
  };
  const std::string txn = subscribe();
  ASSERT_EQ(on_subscribe(txn, Json::array({item("ref-mock-1", "sub-mock")})), 200);
  auto items = c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"];
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["event_type"], "spdci-common:RegistryEventType:LiveBirth");
  EXPECT_EQ(items[1]["event_type"], "spdci-common:RegistryEventType:Death");
  for (const auto& i : items) {
    EXPECT_EQ(i["code"], "sub-mock") << items.dump();
    EXPECT_EQ(i["status"], "subscribed") << items.dump();
  }
  // Unsubscribing names the code once; its confirmation ends both.
  ASSERT_EQ(c_.PostJson("/api/v1/crvs/sources/crvs-dz/unsubscribe", where.dump(), admin_).status, 202);
  auto ucall = registry.WaitFor([](const CallbackReceiver::Call& c) { return c.path == "/registry/unsubscribe"; });
  ASSERT_TRUE(ucall);
  EXPECT_EQ(ucall->body["message"]["subscription_codes"], Json({"sub-mock"}));
  Json done{{"header", {{"action", "on-unsubscribe"}}},
            {"message",
             {{"transaction_id", ucall->body["message"]["transaction_id"]},
              {"status", "succ"},
              {"subscription_status", {{{"code", "sub-mock"}, {"status", "unsubscribe"}}}}}}};
  ASSERT_EQ(c_.PostJson("/dci/crvs/crvs-dz/registry/on-unsubscribe", done.dump()).status, 200);
  items = c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"];
  EXPECT_EQ(items[0]["status"], "unsubscribed");
  EXPECT_EQ(items[1]["status"], "unsubscribed");

  // A registry answering each request item under Sanad's reference_id (here in reverse order): each code
  // goes to the event type of the item it answers.
  const std::string txn2 = subscribe();
  ASSERT_EQ(on_subscribe(txn2, Json::array({item(txn2 + "-2", "sub-d"), item(txn2 + "-1", "sub-b")})), 200);
  items = c_.Get("/api/v1/crvs/sources/crvs-dz/subscriptions", admin_).Json()["items"];
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[2]["event_type"], "spdci-common:RegistryEventType:LiveBirth");
  EXPECT_EQ(items[2]["code"], "sub-b");
  EXPECT_EQ(items[3]["code"], "sub-d");
  EXPECT_EQ(items[3]["status"], "subscribed");
}

// The stand-in civil registry: answers a sync search by UIN with the person it holds (none: an empty
// reg_records), as the SPDCI CRVS SearchResponse.
Json CivilAnswer(const Json& request, const std::map<std::string, Json>& persons) {
  Json records = Json::array();
  try {
    const auto uin = request["message"]["search_request"][0]["search_criteria"]["query"]["value"].get<std::string>();
    if (auto it = persons.find(uin); it != persons.end()) records.push_back(it->second);
  } catch (const std::exception&) {
    return {{"message", {{"ack_status", "ERR"}, {"error", {{"code", "err.request.bad"}}}}}};
  }
  return {{"signature", ""},
          {"header", {{"version", "1.0.0"}, {"action", "on-search"}, {"status", "succ"}}},
          {"message",
           {{"transaction_id", request["message"]["transaction_id"]},
            {"search_response",
             {{{"reference_id", "r-1"},
               {"status", "succ"},
               {"data", {{"reg_record_type", "CRVSPerson"}, {"reg_records", records}}}}}}}}};
}

TEST_F(Crvs, ABirthFindsTheMotherByRecordLinkageAndWaitsForAReviewer) {
  const std::map<std::string, Json> civil = {
      // Amina as the civil registry writes her, in Arabic letters, under its own identifier.
      {"CIV-1990-77",
       {{"identifier", Uin("CIV-1990-77")},
        {"name", {{"given_name", "أمينة"}, {"surname", "العلوي"}}},
        {"sex", "female"},
        {"birth_date", "1990-05-01T00:00:00"}}},
      {"CIV-1985-01",
       {{"identifier", Uin("CIV-1985-01")},
        {"name", {{"given_name", "Khadija"}, {"surname", "Bennani"}}},
        {"sex", "female"},
        {"birth_date", "1985-02-02"}}}};
  CallbackReceiver registry(
      0, [&](const CallbackReceiver::Call& call) { return std::pair<int, Json>(200, CivilAnswer(call.body, civil)); });
  // Automatic approval on: a mother found by names still waits for a reviewer.
  const std::string token = Register(true, registry.Url());

  auto birth = Send(Notify("b-l1", "LiveBirth",
                           {{"identifier", Uin("N-2026-0042")},
                            {"name", {{"given_name", "Yasmine"}, {"surname", "Alaoui"}}},
                            {"sex", "female"},
                            {"birth_date", "2026-12-01"},
                            {"parent1_identifier", Uin("CIV-1990-77")}}),
                    token);
  ASSERT_EQ(birth.status, 200) << birth.body;
  EXPECT_EQ(birth.Json()["message"]["filed"], 1) << birth.body;
  EXPECT_EQ(birth.Json()["message"]["applied"], 0);
  // The registry was asked for the parent by an SPDCI sync search by UIN.
  auto asked = registry.WaitFor([](const CallbackReceiver::Call& c) { return c.path == "/registry/sync/search"; });
  ASSERT_TRUE(asked);
  EXPECT_EQ(asked->body["header"]["action"], "search");
  EXPECT_EQ(asked->body["message"]["search_request"][0]["search_criteria"]["query_type"], "idtype-value");
  EXPECT_EQ(asked->body["message"]["search_request"][0]["search_criteria"]["query"]["value"], "CIV-1990-77");

  auto events = Events();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["outcome"], "filed");
  EXPECT_EQ(events[0]["household_id"], household_id_);
  EXPECT_GE(events[0]["match_probability"].get<double>(), 0.95) << events[0].dump();
  ASSERT_EQ(events[0]["match_candidates"].size(), 1u) << events[0].dump();
  EXPECT_EQ(events[0]["match_candidates"][0]["person_id"], events[0]["person_id"]);
  const auto cr = events[0]["change_request_id"].get<std::int64_t>();
  auto request = c_.Get("/api/v1/change-requests/" + std::to_string(cr), coord_).Json();
  EXPECT_EQ(request["kind"], "add_member");
  EXPECT_EQ(request["status"], "pending");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE source_ref = 'CRVS:N-2026-0042'"), 0);
  ASSERT_EQ(c_.PostJson("/api/v1/change-requests/" + std::to_string(cr) + "/approve", "{}", coord_).status, 200);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM persons WHERE household_id = " + std::to_string(household_id_) +
                  " AND source_ref = 'CRVS:N-2026-0042' AND relationship = 'child'"),
            1);

  // A mother the registry does not resemble anyone of (Khadija), and one the civil registry does not
  // know: unmatched, nothing filed.
  auto stranger = Send(Notify("b-l2", "LiveBirth",
                              {{"name", {{"given_name", "Omar"}, {"surname", "Bennani"}}},
                               {"sex", "male"},
                               {"parent1_identifier", Uin("CIV-1985-01")},
                               {"parent2_identifier", Uin("CIV-0000-00")}}),
                       token);
  EXPECT_EQ(stranger.Json()["message"]["unmatched"], 1) << stranger.body;

  // A second Amina Alaoui born the same day in another household: two plausible mothers, none chosen.
  const Json twin{
      {"kind", "create_household"},
      {"payload",
       {{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}}},
        {"members",
         {Person({{"given_name_lat", "Amina"}, {"family_name_lat", "Alaoui"}, {"national_id", "EF111111"}})}}}}};
  auto filed = c_.PostJson("/api/v1/change-requests", twin.dump(), agent_);
  ASSERT_EQ(filed.status, 201) << filed.body;
  ASSERT_EQ(
      c_.PostJson("/api/v1/change-requests/" + std::to_string(filed.Json()["id"].get<std::int64_t>()) + "/approve",
                  "{}", coord_)
          .status,
      200);
  auto ambiguous = Send(Notify("b-l3", "LiveBirth",
                               {{"name", {{"given_name", "Sara"}, {"surname", "Alaoui"}}},
                                {"sex", "female"},
                                {"birth_date", "2026-12-02"},
                                {"parent1_identifier", Uin("CIV-1990-77")}}),
                        token);
  EXPECT_EQ(ambiguous.Json()["message"]["unmatched"], 1) << ambiguous.body;
  events = c_.Get("/api/v1/crvs/events?outcome=unmatched", admin_).Json()["items"];
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0]["reason"], "crvs.mother_ambiguous");
  EXPECT_EQ(events[0]["match_candidates"].size(), 2u) << events[0].dump();
  EXPECT_TRUE(events[0]["change_request_id"].is_null());
  EXPECT_EQ(events[1]["reason"], "crvs.parent_not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM change_requests WHERE author_username = 'crvs:crvs-ma'"), 1);
}

TEST_F(Crvs, ConfirmingAnIdentityShowsWhatTheCivilRegistryHoldsNextToThePerson) {
  const std::map<std::string, Json> civil = {{"AB123456",
                                              {{"identifier", Uin("AB123456")},
                                               {"name", {{"given_name", "أمينة"}, {"surname", "العلوي"}}},
                                               {"sex", "female"},
                                               {"birth_date", "1990-05-01"}}},
                                             {"CD654321",
                                              {{"identifier", Uin("CD654321")},
                                               {"name", {{"given_name", "Karim"}, {"surname", "Tazi"}}},
                                               {"sex", "male"},
                                               {"birth_date", "1988-01-01"},
                                               {"death_date", "2026-11-20"}}}};
  CallbackReceiver registry(
      0, [&](const CallbackReceiver::Call& call) { return std::pair<int, Json>(200, CivilAnswer(call.body, civil)); });
  Register(false, registry.Url());
  auto id_of = [&](const std::string& nid) {
    return c_.Get("/api/v1/persons?national_id=" + nid, coord_).Json()["items"][0]["id"].get<std::int64_t>();
  };
  auto amina =
      c_.PostJson("/api/v1/crvs/sources/crvs-ma/search", Json{{"person_id", id_of("AB123456")}}.dump(), agent_);
  ASSERT_EQ(amina.status, 200) << amina.body;
  const Json a = amina.Json();
  EXPECT_TRUE(a["found"].get<bool>());
  EXPECT_EQ(a["civil"]["given_name"], "أمينة");
  EXPECT_TRUE(a["agreement"]["given_name"].get<bool>());  // أمينة ~ Amina
  EXPECT_TRUE(a["agreement"]["family_name"].get<bool>());
  EXPECT_TRUE(a["agreement"]["birth_date"].get<bool>());
  EXPECT_FALSE(a["agreement"]["dead_in_civil_registry"].get<bool>());
  auto call = registry.WaitFor([](const CallbackReceiver::Call& c) { return c.path == "/registry/sync/search"; });
  ASSERT_TRUE(call);
  EXPECT_EQ(call->body["message"]["search_request"][0]["search_criteria"]["query"]["value"], "AB123456");

  // Karim: another family name, another birth date, and dead for the civil registry while active here.
  const Json k =
      c_.PostJson("/api/v1/crvs/sources/crvs-ma/search", Json{{"person_id", id_of("CD654321")}}.dump(), agent_).Json();
  EXPECT_TRUE(k["agreement"]["given_name"].get<bool>());
  EXPECT_FALSE(k["agreement"]["family_name"].get<bool>());
  EXPECT_FALSE(k["agreement"]["birth_date"].get<bool>());
  EXPECT_TRUE(k["agreement"]["dead_in_civil_registry"].get<bool>());
  EXPECT_TRUE(k["agreement"]["alive_here"].get<bool>());
  EXPECT_EQ(k["civil"]["death_date"], "2026-11-20");

  // Outside the caller's area the person does not exist for them; a person unknown to the civil registry
  // is "not found", not an error.
  const Headers other =
      Bearer(*BearerToken(c_, "agent.other", server_.AddUser("agent.other", {auth::Role::kDataEntry}, "MA-06")));
  EXPECT_EQ(
      c_.PostJson("/api/v1/crvs/sources/crvs-ma/search", Json{{"person_id", id_of("AB123456")}}.dump(), other).status,
      404);
  EXPECT_EQ(c_.PostJson("/api/v1/crvs/sources/crvs-ma/search", Json{}.dump(), agent_).status, 400);
}

}  // namespace
}  // namespace sanad::testing
