// The storage contract: every store behaves the same on SQLite and on PostgreSQL. This binary runs
// twice under ctest, with SANAD_TEST_DB=sqlite and SANAD_TEST_DB=postgres.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <thread>

#include "areas/area_store.h"
#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "db/migrations.h"
#include "geo/reference_data.h"
#include "test_db.h"

namespace sanad {
namespace {

using testing::BackendFromEnv;

class StorageContract : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::FreshDatabaseUrl(BackendFromEnv());
    auto db = db::Database::Open(url_, 8);
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
    auto m = db::Migrate(*db_);
    ASSERT_TRUE(m) << m.error().message;
  }

  void LoadAreas() {
    const std::string dir = std::string(SANAD_SOURCE_ROOT) + "/data";
    auto set = geo::LoadReferenceAreas(dir);
    ASSERT_TRUE(set);
    areas::AreaStore store(*db_);
    auto loaded = store.LoadReference(*set, *geo::ReferenceChecksum(dir));
    ASSERT_TRUE(loaded) << loaded.error().message;
  }

  std::string url_;
  std::unique_ptr<db::Database> db_;
  SystemClock clock_;
};

TEST_F(StorageContract, RunsOnTheRequestedBackend) {
  EXPECT_EQ(db_->dialect() == db::Dialect::kPostgres, BackendFromEnv() == testing::Backend::kPostgres);
}

TEST_F(StorageContract, MigratesOnceAndRecordsTheVersion) {
  auto again = db::Migrate(*db_);
  ASSERT_TRUE(again);
  EXPECT_TRUE(again->applied.empty());
  EXPECT_EQ(again->current_version, db::EmbeddedMigrations().back().version);
}

// A downgraded binary must not run against a schema it does not know; the refusal also releases the
// PostgreSQL migration lock (the second attempt would otherwise wait forever).
TEST_F(StorageContract, RefusesADatabaseWhoseSchemaIsNewerThanTheBinary) {
  const long long newer = db::EmbeddedMigrations().back().version + 1;
  {
    auto s = db_->Acquire();
    s.sql()
        << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, 'from_a_newer_sanad', '2030-01-01')",
        soci::use(newer);
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto refused = db::Migrate(*db_);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Code::kFailedPrecondition);
    EXPECT_NE(refused.error().message.find(fmt::format("schema version {} is newer than this binary", newer)),
              std::string::npos)
        << refused.error().message;
  }
}

TEST_F(StorageContract, LoadsReferenceAreasOnceAndListsThemByLevelAndDate) {
  LoadAreas();
  areas::AreaStore store(*db_);
  const std::string dir = std::string(SANAD_SOURCE_ROOT) + "/data";
  auto set = geo::LoadReferenceAreas(dir);
  auto again = store.LoadReference(*set, *geo::ReferenceChecksum(dir));
  ASSERT_TRUE(again);
  EXPECT_FALSE(*again) << "unchanged reference data must not be reloaded";

  areas::AreaFilter f;
  f.country = "MA";
  f.level = "region";
  f.as_of = "2026-06-01";
  auto regions = store.List(f);
  ASSERT_TRUE(regions) << regions.error().message;
  EXPECT_EQ(regions->total, 12);

  f.country = "DZ";
  f.level = "province";
  f.limit = 1;
  EXPECT_EQ(store.List(f)->total, 58);
  f.as_of = "2027-01-01";
  EXPECT_EQ(store.List(f)->total, 69);

  areas::AreaFilter children;
  children.parent = "MA-03";
  children.as_of = "2026-06-01";
  auto fes_meknes = store.List(children);
  ASSERT_TRUE(fes_meknes);
  EXPECT_EQ(fes_meknes->total, 9);  // 9 prefectures/provinces in Fès-Meknès (ma_regions_12.csv)

  areas::AreaFilter by_name;
  by_name.q = "fès";
  by_name.as_of = "2026-06-01";
  auto named = store.List(by_name);
  ASSERT_TRUE(named);
  EXPECT_GE(named->total, 2);
  // Typed without the accent, in capitals or in Arabic: the same areas, folded the same way on both
  // engines; paging applies to the matches.
  for (const char* typed : {"fes", "FES", "Fes"}) {
    by_name.q = typed;
    auto folded = store.List(by_name);
    ASSERT_TRUE(folded) << typed;
    EXPECT_EQ(folded->total, named->total) << typed;
  }
  by_name.q = "فاس";
  auto arabic = store.List(by_name);
  ASSERT_TRUE(arabic);
  EXPECT_GE(arabic->total, 2);
  for (const auto& a : arabic->items) EXPECT_NE(a.name_ar.find("فاس"), std::string::npos) << a.code;
  by_name.q = "fès";
  by_name.limit = 1;
  by_name.offset = 1;
  auto second = store.List(by_name);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].code, named->items[1].code);
  EXPECT_EQ(second->total, named->total);
}

TEST_F(StorageContract, ReturnsTheParentChainValidOnTheRequestedDay) {
  LoadAreas();
  areas::AreaStore store(*db_);
  auto before = store.Get("DZ-0319", "2026-12-31");
  ASSERT_TRUE(before) << before.error().message;
  ASSERT_EQ(before->parents.size(), 1u);
  EXPECT_EQ(before->parents[0].code, "DZ-03");
  auto after = store.Get("DZ-0319", "2027-01-01");
  EXPECT_EQ(after->parents[0].code, "DZ-59");
  auto not_yet = store.Get("DZ-59", "2026-06-01");
  ASSERT_FALSE(not_yet);
  EXPECT_EQ(not_yet.error().code, Code::kNotFound);
  EXPECT_TRUE(store.Get("DZ-59", "2027-01-01"));

  auto commune = store.Get("MA-03.231.01.03", "2026-06-01");
  ASSERT_TRUE(commune) << commune.error().message;
  ASSERT_EQ(commune->parents.size(), 2u);
  EXPECT_EQ(commune->parents[0].code, "MA-03");
  EXPECT_EQ(commune->parents[1].code, "MA-03.231");
  EXPECT_EQ(commune->parent_code, "MA-03.231");
  EXPECT_FALSE(store.Get("MA-99", "2026-06-01"));
  EXPECT_EQ(store.Get("MA-99", "2026-06-01").error().code, Code::kNotFound);
}

TEST_F(StorageContract, KeepsAreaScopeClosureConsistentWithTheRegionCounts) {
  LoadAreas();
  auto s = db_->Acquire();
  long long communes = 0;
  // A scope of region MA-03 reaches exactly its communes: Fès-Meknès has 194 (ma_regions_12.csv).
  s.sql() << "SELECT COUNT(*) FROM area_ancestors x JOIN areas a ON a.code = x.descendant "
             "WHERE x.ancestor = 'MA-03' AND a.level = 'commune' AND x.valid_from <= '2026-06-01' AND x.valid_to > "
             "'2026-06-01'",
      soci::into(communes);
  EXPECT_EQ(communes, 194);
}

TEST_F(StorageContract, CreatesUsersWithRolesAndScopeAndRefusesDuplicates) {
  LoadAreas();
  audit::AuditLog audit(*db_, clock_);
  auth::AuthStore store(*db_, audit);
  auth::AuthService service(store, audit, clock_);
  auto u = service.CreateUser("fatima.zahra", "a long enough password", {auth::Role::kSocialWorker}, "MA-03.231");
  ASSERT_TRUE(u) << u.error().message;
  auto again = service.CreateUser("fatima.zahra", "a long enough password", {auth::Role::kAuditor}, std::nullopt);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kAlreadyExists);
  auto bad_area = service.CreateUser("omar", "a long enough password", {auth::Role::kAuditor}, "MA-77");
  ASSERT_FALSE(bad_area);
  EXPECT_EQ(bad_area.error().code, Code::kFailedPrecondition);
  auto found = store.FindByUsername("fatima.zahra");
  ASSERT_TRUE(found && *found);
  EXPECT_EQ((*found)->first.area_code, "MA-03.231");
  EXPECT_EQ((*found)->first.roles, std::vector<auth::Role>{auth::Role::kSocialWorker});
  EXPECT_TRUE((*found)->second.starts_with("$argon2id$"));
}

TEST_F(StorageContract, IssuesSessionsThatLogoutRevokes) {
  LoadAreas();
  audit::AuditLog audit(*db_, clock_);
  auth::AuthStore store(*db_, audit);
  auth::AuthService service(store, audit, clock_);
  ASSERT_TRUE(service.CreateUser("karim", "a long enough password", {auth::Role::kAuditor}, std::nullopt));
  auto login = service.Login("karim", "a long enough password", auth::SessionKind::kBrowser, {"127.0.0.1", "r1"});
  ASSERT_TRUE(login) << login.error().message;
  auto who = service.Authenticate(login->secret, auth::SessionKind::kBrowser);
  ASSERT_TRUE(who) << who.error().message;
  EXPECT_EQ(who->csrf_token, login->csrf_token);
  EXPECT_FALSE(service.Authenticate(login->secret, auth::SessionKind::kBearer));
  ASSERT_TRUE(service.Logout(*who, {"127.0.0.1", "r2"}));
  EXPECT_FALSE(service.Authenticate(login->secret, auth::SessionKind::kBrowser));
  EXPECT_FALSE(service.Login("karim", "wrong password!!", auth::SessionKind::kBrowser, {"127.0.0.1", "r3"}));
}

TEST_F(StorageContract, ExpiresIdleBrowserSessions) {
  LoadAreas();
  ManualClock clock(std::chrono::system_clock::now());
  audit::AuditLog audit(*db_, clock);
  auth::AuthStore store(*db_, audit);
  auth::AuthService service(store, audit, clock);
  ASSERT_TRUE(service.CreateUser("nadia", "a long enough password", {auth::Role::kAuditor}, std::nullopt));
  auto login = service.Login("nadia", "a long enough password", auth::SessionKind::kBrowser, {"127.0.0.1", "r"});
  ASSERT_TRUE(login);
  clock.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(service.Authenticate(login->secret, auth::SessionKind::kBrowser));  // and touches it
  clock.Advance(std::chrono::minutes(29));
  EXPECT_TRUE(service.Authenticate(login->secret, auth::SessionKind::kBrowser));
  clock.Advance(std::chrono::minutes(31));
  auto idle = service.Authenticate(login->secret, auth::SessionKind::kBrowser);
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().reason, "session.idle");
}

TEST_F(StorageContract, ChainsAuditEntriesAppendedConcurrently) {
  audit::AuditLog audit(*db_, clock_);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&audit, t] {
      for (int i = 0; i < 25; ++i) {
        audit::AuditEntry e;
        e.username = "worker" + std::to_string(t);
        e.action = "view";
        e.record_type = "person";
        e.record_id = std::to_string(i);
        e.ip = "127.0.0.1";
        e.request_id = "r";
        ASSERT_TRUE(audit.Append(e));
      }
    });
  }
  for (auto& th : threads) th.join();
  auto report = audit.Verify();
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->checked, 100);
  EXPECT_FALSE(report->first_broken_id) << report->reason;

  audit::AuditQuery q;
  q.username = "worker2";
  q.limit = 5;
  auto page = audit.Query(q);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 25);
  EXPECT_EQ(page->items.size(), 5u);
}

TEST_F(StorageContract, RefusesToRewriteTheAuditLogAndDetectsTamperingThatBypassesTheRefusal) {
  audit::AuditLog audit(*db_, clock_);
  for (int i = 0; i < 5; ++i) {
    audit::AuditEntry e;
    e.username = "auditor";
    e.action = "view";
    e.record_type = "household";
    e.record_id = std::to_string(i);
    e.ip = "127.0.0.1";
    e.request_id = "r";
    ASSERT_TRUE(audit.Append(e));
  }
  auto s = db_->Acquire();
  EXPECT_ANY_THROW(s.sql() << "UPDATE audit_log SET record_id = '99' WHERE id = 3");
  EXPECT_ANY_THROW(s.sql() << "DELETE FROM audit_log WHERE id = 5");
  // Someone with database-owner rights disables the guard and edits entry 3.
  if (db_->dialect() == db::Dialect::kPostgres) {
    s.sql() << "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change";
  } else {
    s.sql() << "DROP TRIGGER audit_log_no_update";
  }
  s.sql() << "UPDATE audit_log SET record_id = '99' WHERE id = 3";
  auto report = audit.Verify();
  ASSERT_TRUE(report);
  ASSERT_TRUE(report->first_broken_id);
  EXPECT_EQ(*report->first_broken_id, 3);
}

}  // namespace
}  // namespace sanad
