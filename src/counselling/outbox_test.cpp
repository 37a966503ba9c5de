// The counselling outbox (docs/counselling.md#notifications): messages are rendered from the catalogue
// in the client's language when sent; a failing gateway is retried after a growing delay (the clock is
// moved by hand, nothing sleeps), and a message that finally goes through is sent exactly once.
#include <gtest/gtest.h>

#include "counselling/notification_delivery.h"
#include "counselling/outbox.h"
#include "db/migrations.h"
#include "jobs/job_store.h"
#include "test_db.h"

namespace sanad::counselling {
namespace {

using std::chrono::seconds;

class FlakySender final : public Sender {
 public:
  int fail_first = 0;
  std::vector<OutgoingText> delivered;
  int calls = 0;
  Status Send(const OutgoingText& m) override {
    if (++calls <= fail_first) return Failure(Code::kUnavailable, "gateway down");
    delivered.push_back(m);
    return Ok();
  }
};

class Outbox : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = db::Database::Open(testing::FreshDatabaseUrl(testing::Backend::kSqlite), 2);
    ASSERT_TRUE(db);
    db_ = std::move(*db);
    ASSERT_TRUE(db::Migrate(*db_));
    store_ = std::make_unique<OutboxStore>(*db_);
    jobs_ = std::make_unique<jobs::JobStore>(*db_);
  }

  void Queue(const OutboxMessage& m) {
    auto s = db_->Acquire();
    OutboxStore::Insert(s, m, FormatTimestamp(clock_.Now()));
  }

  std::unique_ptr<db::Database> db_;
  std::unique_ptr<OutboxStore> store_;
  std::unique_ptr<jobs::JobStore> jobs_;
  ManualClock clock_{ParseTimestamp("2026-12-07T08:00:00Z").value()};
};

OutboxMessage Confirmation(const std::string& lang) {
  Booking b;
  b.slot_start = "2026-12-08T09:00:00.000000Z";
  b.client_phone = "+212600000001";
  b.client_language = lang;
  b.channel = "video";
  auto ms = BookingMessages("confirmation", b, "Amina Idrissi");
  return ms.at(0);
}

TEST_F(Outbox, MessagesAreCodesRenderedInTheClientsLanguageWhenSent) {
  const auto m = Confirmation("fr");
  EXPECT_EQ(m.message_code, "counselling.msg.confirmation");
  EXPECT_EQ(m.channel, "sms");
  Queue(m);
  FlakySender sender;
  NotificationDelivery d(*store_, sender, *jobs_, clock_);
  auto pass = d.Pass();
  ASSERT_TRUE(pass) << pass.error().message;
  ASSERT_EQ(sender.delivered.size(), 1u);
  // 09:00 UTC is 10:00 local; the channel is a code rendered in French.
  EXPECT_NE(sender.delivered[0].text.find("2026-12-08"), std::string::npos) << sender.delivered[0].text;
  EXPECT_NE(sender.delivered[0].text.find("10:00"), std::string::npos) << sender.delivered[0].text;
  EXPECT_NE(sender.delivered[0].text.find("vidéo"), std::string::npos) << sender.delivered[0].text;
  EXPECT_EQ(sender.delivered[0].language, "fr");
  // What is stored is the code and its parameters, not the text.
  auto listed = store_->List(std::nullopt, 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].status, "sent");
  EXPECT_EQ((*listed)[0].message_code, "counselling.msg.confirmation");
}

TEST_F(Outbox, AFailingGatewayIsRetriedWithBackoffThenTheMessageIsSentOnce) {
  Queue(Confirmation("ar"));
  FlakySender sender;
  sender.fail_first = 2;
  NotificationDelivery d(*store_, sender, *jobs_, clock_, RetryPolicy{.max_attempts = 5, .first_delay = seconds(60)});
  auto p = d.Pass();  // attempt 1 fails: next in 60 s
  ASSERT_TRUE(p);
  EXPECT_EQ(p->retried, 1);
  EXPECT_EQ(d.Pass()->sent + d.Pass()->retried, 0);  // not due yet: nothing tried
  EXPECT_EQ(sender.calls, 1);
  clock_.Advance(seconds(60));
  p = d.Pass();  // attempt 2 fails: next in 120 s
  EXPECT_EQ(p->retried, 1);
  clock_.Advance(seconds(119));
  EXPECT_EQ(d.Pass()->retried, 0);  // backoff doubled: still waiting
  EXPECT_EQ(sender.calls, 2);
  clock_.Advance(seconds(1));
  p = d.Pass();  // attempt 3 succeeds
  EXPECT_EQ(p->sent, 1);
  clock_.Advance(seconds(3600));
  EXPECT_EQ(d.Pass()->sent, 0);
  EXPECT_EQ(sender.calls, 3);
  ASSERT_EQ(sender.delivered.size(), 1u);
  auto listed = store_->List(std::string("sent"), 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 3);
}

TEST_F(Outbox, AfterTheLastAttemptTheMessageIsFailed) {
  Queue(Confirmation("en"));
  FlakySender sender;
  sender.fail_first = 100;
  NotificationDelivery d(*store_, sender, *jobs_, clock_, RetryPolicy{.max_attempts = 3, .first_delay = seconds(10)});
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(d.Pass());
    clock_.Advance(seconds(1000));
  }
  EXPECT_EQ(sender.calls, 3);
  auto listed = store_->List(std::string("failed"), 10);
  ASSERT_TRUE(listed);
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].attempts, 3);
  EXPECT_EQ(RetryDelay(RetryPolicy{.max_attempts = 3, .first_delay = seconds(10)}, 3), seconds(40));
}

}  // namespace
}  // namespace sanad::counselling
