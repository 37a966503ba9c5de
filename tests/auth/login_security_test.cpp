// Login throttling and session validity as two app servers see them: two AuthService instances, each
// with its own Database connection pool, on one SQLite file or one PostgreSQL database. This binary runs
// twice under ctest, with SANAD_TEST_DB=sqlite and SANAD_TEST_DB=postgres.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "audit/audit_log.h"
#include "auth/auth_service.h"
#include "db/migrations.h"
#include "test_db.h"

namespace sanad {
namespace {

using namespace std::chrono_literals;
using auth::SessionKind;

// A clock the test moves by hand; safe to read from many threads.
class SharedClock final : public Clock {
 public:
  TimePoint Now() const override { return TimePoint(std::chrono::microseconds(us_.load())); }
  void Advance(std::chrono::seconds by) { us_ += std::chrono::duration_cast<std::chrono::microseconds>(by).count(); }

 private:
  std::atomic<std::int64_t> us_{
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count()};
};

// One app server: its own connection pool, audit log, store and service.
struct Node {
  Node(const std::string& url, const Clock& clock) {
    auto opened = db::Database::Open(url, 40);
    if (!opened) throw std::runtime_error(opened.error().message);
    db = std::move(*opened);
    audit = std::make_unique<audit::AuditLog>(*db, clock);
    store = std::make_unique<auth::AuthStore>(*db, *audit);
    auth = std::make_unique<auth::AuthService>(*store, *audit, clock);
  }
  std::unique_ptr<db::Database> db;
  std::unique_ptr<audit::AuditLog> audit;
  std::unique_ptr<auth::AuthStore> store;
  std::unique_ptr<auth::AuthService> auth;
};

constexpr const char* kPassword = "Tafilalet-Oasis-Date-Palms";

class LoginSecurity : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = testing::FreshDatabaseUrl(testing::BackendFromEnv());
    {
      auto db = db::Database::Open(url_, 2);
      ASSERT_TRUE(db) << db.error().message;
      auto m = db::Migrate(**db);
      ASSERT_TRUE(m) << m.error().message;
    }
    a_ = std::make_unique<Node>(url_, clock_);
    b_ = std::make_unique<Node>(url_, clock_);
    auto u = a_->auth->CreateUser("amina", kPassword, {auth::Role::kCounselor}, std::nullopt);
    ASSERT_TRUE(u) << u.error().message;
  }

  Result<auth::LoginResult> Login(Node& n, const std::string& user, const std::string& password,
                                  const std::string& ip) {
    return n.auth->Login(user, password, SessionKind::kBearer, {ip, "req"});
  }

  long long AuditRows() {
    auto s = a_->db->Acquire();
    long long n = 0;
    s.sql() << "SELECT COUNT(*) FROM audit_log", soci::into(n);
    return n;
  }

  SharedClock clock_;
  std::string url_;
  std::unique_ptr<Node> a_, b_;
};

TEST_F(LoginSecurity, FiveWrongPasswordsFromOneAddressDoNotRefuseTheRightPasswordFromAnother) {
  for (int i = 0; i < 5; ++i) {
    auto r = Login(*a_, "amina", "wrong-password-x" + std::to_string(i), "198.51.100.7");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  auto attacker = Login(*a_, "amina", kPassword, "198.51.100.7");
  ASSERT_FALSE(attacker);
  EXPECT_EQ(attacker.error().code, Code::kResourceExhausted);
  EXPECT_GT(attacker.error().retry_after_seconds, 0);
  auto owner = Login(*a_, "amina", kPassword, "203.0.113.20");
  EXPECT_TRUE(owner) << owner.error().message;
}

TEST_F(LoginSecurity, AnAddressSprayingManyAccountsIsSlowedWithoutLockingOtherAddressesOrItsKnownAccounts) {
  // amina signs in from the office's shared address once; later someone there sprays guesses.
  ASSERT_TRUE(Login(*a_, "amina", kPassword, "192.0.2.1"));
  for (int i = 0; i < 30; ++i) {
    auto r = Login(*a_, "user" + std::to_string(i), "wrong-password-x", "192.0.2.1");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  auto sprayer = Login(*a_, "user99", "wrong-password-x", "192.0.2.1");
  ASSERT_FALSE(sprayer);
  EXPECT_EQ(sprayer.error().code, Code::kResourceExhausted);
  EXPECT_LE(sprayer.error().retry_after_seconds, 60) << "a slow-down, not a ten-minute lock-out";
  EXPECT_TRUE(Login(*a_, "amina", kPassword, "192.0.2.1")) << "an account already used from this address";
  ASSERT_TRUE(a_->auth->CreateUser("yacine", kPassword, {auth::Role::kCounselor}, std::nullopt));
  EXPECT_TRUE(Login(*a_, "yacine", kPassword, "192.0.2.200")) << "another address";
}

TEST_F(LoginSecurity, GuessesFromManyAddressesAreSlowedPerAccountButAFreshAddressWithTheRightPasswordSignsIn) {
  for (int i = 0; i < 10; ++i) {
    auto r = Login(*a_, "amina", "wrong-password-x", "198.51.100." + std::to_string(i));
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  // The account is now under attack: an address that failed once waits before its next guess…
  auto again = Login(*a_, "amina", "wrong-password-y", "198.51.100.3");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kUnauthenticated);
  auto third = Login(*a_, "amina", "wrong-password-z", "198.51.100.3");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, Code::kResourceExhausted) << "two failures from an address under account guard";
  // …while the owner, from an address that has not been failing, is not refused.
  EXPECT_TRUE(Login(*a_, "amina", kPassword, "203.0.113.20"));
}

TEST_F(LoginSecurity, ParallelWrongGuessesGetAtMostFivePasswordChecks) {
  std::atomic<int> checked{0}, throttled{0}, other{0};
  std::vector<std::thread> threads;
  threads.reserve(29);
  for (int i = 0; i < 29; ++i) {
    threads.emplace_back([&, i] {
      Node& n = i % 2 ? *a_ : *b_;
      auto r = Login(n, "amina", "wrong-password-" + std::to_string(i), "198.51.100.7");
      if (!r && r.error().code == Code::kUnauthenticated)
        ++checked;
      else if (!r && r.error().code == Code::kResourceExhausted)
        ++throttled;
      else
        ++other;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(checked.load(), 5);
  EXPECT_EQ(throttled.load(), 24);
  EXPECT_EQ(other.load(), 0);
}

TEST_F(LoginSecurity, TwoAppServersShareTheCounters) {
  for (int i = 0; i < 5; ++i) {
    Node& n = i % 2 ? *b_ : *a_;
    auto r = Login(n, "amina", "wrong-password-x", "198.51.100.7");
    ASSERT_FALSE(r);
    ASSERT_EQ(r.error().code, Code::kUnauthenticated) << i;
  }
  for (Node* n : {a_.get(), b_.get()}) {
    auto r = Login(*n, "amina", "wrong-password-x", "198.51.100.7");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Code::kResourceExhausted);
  }
}

TEST_F(LoginSecurity, RefusedLoginsAreCountedNotAuditedOneRowPerAttempt) {
  const long long before = AuditRows();
  for (int i = 0; i < 200; ++i) (void)Login(*a_, "amina", "wrong-password-x", "198.51.100.7");
  // Five wrong passwords (each a real check, audited) and one lock event; the 195 refusals are counted.
  EXPECT_LE(AuditRows() - before, 6);
}

TEST_F(LoginSecurity, ADisabledAccountStopsWorkingAtOnceOnEveryServer) {
  auto login = Login(*a_, "amina", kPassword, "203.0.113.20");
  ASSERT_TRUE(login);
  ASSERT_TRUE(a_->auth->Authenticate(login->secret, SessionKind::kBearer));
  ASSERT_TRUE(b_->auth->Authenticate(login->secret, SessionKind::kBearer));
  {
    auto s = b_->db->Acquire();
    s.sql() << "UPDATE users SET active = 0 WHERE username = 'amina'";
  }
  EXPECT_FALSE(a_->auth->Authenticate(login->secret, SessionKind::kBearer));
  EXPECT_FALSE(b_->auth->Authenticate(login->secret, SessionKind::kBearer));
}

TEST_F(LoginSecurity, ARevokedSessionStopsWorkingAtOnceOnEveryServer) {
  auto login = Login(*a_, "amina", kPassword, "203.0.113.20");
  ASSERT_TRUE(login);
  auto p = a_->auth->Authenticate(login->secret, SessionKind::kBearer);
  ASSERT_TRUE(p);
  ASSERT_TRUE(b_->auth->Authenticate(login->secret, SessionKind::kBearer));
  ASSERT_TRUE(b_->auth->Logout(*p, {"203.0.113.20", "req"}));
  EXPECT_FALSE(a_->auth->Authenticate(login->secret, SessionKind::kBearer));
}

TEST_F(LoginSecurity, IdleCountersAreSweptIntoOneSummaryAuditEntryAndKnownAddressesAreKept) {
  ASSERT_TRUE(Login(*a_, "amina", kPassword, "192.0.2.1"));
  for (int i = 0; i < 7; ++i) (void)Login(*a_, "amina", "wrong-password-x", "198.51.100.7");  // 5 checked, 2 refused
  for (int i = 0; i < 3; ++i) (void)Login(*b_, "ghost" + std::to_string(i), "wrong-password-x", "198.51.100.8");
  auto early = b_->auth->SweepThrottle();
  ASSERT_TRUE(early) << early.error().message;
  EXPECT_EQ(early->rows, 0) << "nothing is idle yet";

  clock_.Advance(2h);
  auto sweep = b_->auth->SweepThrottle();
  ASSERT_TRUE(sweep) << sweep.error().message;
  EXPECT_EQ(sweep->failures, 8);
  EXPECT_EQ(sweep->refused, 2);
  EXPECT_EQ(sweep->addresses, 3);  // 192.0.2.1 (no failures), 198.51.100.7, 198.51.100.8
  ASSERT_FALSE(sweep->top_addresses.empty());
  EXPECT_EQ(sweep->top_addresses.front().first, "198.51.100.7");
  auto summary = a_->audit->Query({.action = "login_failures_summary"});
  ASSERT_TRUE(summary);
  ASSERT_EQ(summary->total, 1);
  EXPECT_NE(summary->items[0].details.find(R"("failures":8)"), std::string::npos) << summary->items[0].details;

  auth::ThrottleStore store(*a_->db);
  auto known = store.Find("pair", auth::ThrottleStore::PairSubject("amina", "192.0.2.1"));
  ASSERT_TRUE(known);
  EXPECT_TRUE(known->has_value()) << "a pair that signed in is remembered for 30 days";
  auto gone = store.Find("pair", auth::ThrottleStore::PairSubject("amina", "198.51.100.7"));
  ASSERT_TRUE(gone);
  EXPECT_FALSE(gone->has_value());
  auto again = a_->auth->SweepThrottle();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->rows, 0);
  EXPECT_EQ(a_->audit->Query({.action = "login_failures_summary"})->total, 1) << "nothing counted twice";
}

}  // namespace
}  // namespace sanad
