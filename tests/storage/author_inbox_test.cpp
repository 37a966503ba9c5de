// What authors see of their change requests, on SQLite and PostgreSQL: their own requests in every
// status, withdrawal (only the author, only while pending, audited), and the notice of a decision,
// written in the decision's transaction.
#include <gtest/gtest.h>

#include "registry/author_inbox.h"
#include "registry_fixture.h"

namespace sanad::registry {
namespace {

using Json = nlohmann::json;

class AuthorInboxTest : public RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    inbox_ = std::make_unique<AuthorInbox>(*store_, *audit_, clock_);
  }

  static Json Household(const std::string& national_id = "") {
    Json head = {{"relationship", "head"},
                 {"given_name_ar", "محمد"},
                 {"family_name_ar", "بن علي"},
                 {"sex", "M"},
                 {"birth_date", "1970-03-02"}};
    if (!national_id.empty()) head["national_id"] = national_id;
    return Json{{"household", {{"commune_code", "MA-03.231.01.03"}, {"urban", true}}},
                {"members", Json::array({head})}};
  }

  std::int64_t File(const Actor& who, const Json& payload = Household()) {
    auto cr = changes_->Submit("create_household", payload, who);
    EXPECT_TRUE(cr) << cr.error().message;
    return cr ? cr->id : 0;
  }

  long long Count(const std::string& sql) {
    auto s = db_->Acquire();
    long long n = 0;
    s.sql() << sql, soci::into(n);
    return n;
  }

  std::unique_ptr<AuthorInbox> inbox_;
  Actor agent_ = Who(1, "agent", "MA-03.231");
  Actor colleague_ = Who(4, "colleague", "MA-03.231");
  Actor coordinator_ = Who(2, "coordinator", "MA-03");
  Actor casablanca_ = Who(3, "casa", "MA-06");
};

TEST_F(AuthorInboxTest, AnAuthorListsTheirOwnRequestsInEveryStatusAndNoOneElses) {
  const auto applied = File(agent_);
  const auto rejected = File(agent_);
  const auto pending = File(agent_);
  File(colleague_);
  ASSERT_TRUE(changes_->Approve(applied, coordinator_, "checked", false));
  ASSERT_TRUE(changes_->Reject(rejected, coordinator_, "duplicate of an existing household"));

  auto all = inbox_->MyRequests(agent_, std::nullopt, 50, 0);
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->second, 3);
  ASSERT_EQ(all->first.size(), 3u);
  EXPECT_EQ(all->first[0].id, pending);  // newest first
  EXPECT_EQ(all->first[1].status, "rejected");
  EXPECT_EQ(all->first[1].review_comment, "duplicate of an existing household");
  EXPECT_EQ(all->first[1].reviewer_username, "coordinator");
  EXPECT_TRUE(all->first[1].reviewed_at.has_value());
  EXPECT_EQ(all->first[2].status, "applied");

  auto only_rejected = inbox_->MyRequests(agent_, "rejected", 50, 0);
  ASSERT_TRUE(only_rejected);
  ASSERT_EQ(only_rejected->first.size(), 1u);
  EXPECT_EQ(only_rejected->first[0].id, rejected);
  EXPECT_EQ(inbox_->MyRequests(colleague_, std::nullopt, 50, 0)->second, 1);

  Actor anonymous = Who(0, "nobody");
  anonymous.user_id.reset();
  auto none = inbox_->MyRequests(anonymous, std::nullopt, 50, 0);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Code::kUnauthenticated);
}

TEST_F(AuthorInboxTest, OnlyTheAuthorWithdrawsAndOnlyWhilePending) {
  const auto id = File(agent_);

  auto by_colleague = inbox_->Withdraw(id, colleague_, "");
  ASSERT_FALSE(by_colleague);
  EXPECT_EQ(by_colleague.error().code, Code::kPermissionDenied);
  EXPECT_EQ(by_colleague.error().reason, "change_request.not_author");
  auto from_elsewhere = inbox_->Withdraw(id, casablanca_, "");
  ASSERT_FALSE(from_elsewhere);
  EXPECT_EQ(from_elsewhere.error().code, Code::kNotFound) << "outside their scope it does not exist for them";
  auto absent = inbox_->Withdraw(id + 100, agent_, "");
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().code, Code::kNotFound);

  auto withdrawn = inbox_->Withdraw(id, agent_, "filed twice");
  ASSERT_TRUE(withdrawn) << withdrawn.error().message;
  EXPECT_EQ(withdrawn->status, "withdrawn");
  EXPECT_EQ(withdrawn->review_comment, "filed twice");
  EXPECT_TRUE(withdrawn->reviewed_at.has_value());
  EXPECT_FALSE(withdrawn->reviewer_username.has_value()) << "no one reviewed it";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'withdraw' AND record_type = 'change_request' "
                  "AND record_id = '" +
                  std::to_string(id) + "' AND username = 'agent'"),
            1);

  auto again = inbox_->Withdraw(id, agent_, "");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(again.error().reason, "change_request.not_pending");
  auto approve = changes_->Approve(id, coordinator_, "", false);
  ASSERT_FALSE(approve) << "a withdrawn request is never applied";
  EXPECT_EQ(approve.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(inbox_->MyRequests(agent_, "withdrawn", 50, 0)->second, 1);
  EXPECT_EQ(store_->requests.ListChangeRequests("pending", 50, 0, coordinator_.scope)->second, 0);
}

TEST_F(AuthorInboxTest, AnAppliedRequestCannotBeWithdrawn) {
  const auto id = File(agent_);
  ASSERT_TRUE(changes_->Approve(id, coordinator_, "", false));
  auto late = inbox_->Withdraw(id, agent_, "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().code, Code::kFailedPrecondition);
  EXPECT_EQ(late.error().reason, "change_request.not_pending");
  EXPECT_EQ(store_->requests.GetChangeRequest(id, coordinator_.scope)->value().status, "applied");
}

TEST_F(AuthorInboxTest, SelfApprovalIsRefusedWithACode) {
  const auto id = File(coordinator_);
  auto own = changes_->Approve(id, coordinator_, "", false);
  ASSERT_FALSE(own);
  EXPECT_EQ(own.error().code, Code::kPermissionDenied);
  EXPECT_EQ(own.error().reason, "change_request.own_request");
}

TEST_F(AuthorInboxTest, TheAuthorIsNotifiedOfEachDecisionAndReadsTheNotices) {
  const auto applied = File(agent_);
  const auto rejected = File(agent_);
  ASSERT_TRUE(changes_->Approve(applied, coordinator_, "", false));
  ASSERT_TRUE(changes_->Reject(rejected, coordinator_, "the address is missing"));

  auto page = inbox_->Notifications(agent_, false, 20, 0);
  ASSERT_TRUE(page) << page.error().message;
  EXPECT_EQ(page->total, 2);
  EXPECT_EQ(page->unread, 2);
  ASSERT_EQ(page->items.size(), 2u);
  const auto& reject = page->items[0];  // newest first
  EXPECT_EQ(reject.code, "notification.change_request_rejected");
  EXPECT_EQ(reject.change_request_id, rejected);
  EXPECT_EQ(reject.params, (MessageParams{{"id", std::to_string(rejected)},
                                          {"kind", "create_household"},
                                          {"reviewer", "coordinator"},
                                          {"comment", "the address is missing"}}))
      << "in the order they were written";
  EXPECT_EQ(page->items[1].code, "notification.change_request_applied");
  EXPECT_EQ(inbox_->Notifications(coordinator_, false, 20, 0)->total, 0) << "the reviewer gets no notice";

  auto foreign = inbox_->MarkRead(colleague_, reject.id);
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, Code::kNotFound);
  auto read = inbox_->MarkRead(agent_, reject.id);
  ASSERT_TRUE(read) << read.error().message;
  EXPECT_TRUE(read->read_at.has_value());
  auto unread = inbox_->Notifications(agent_, true, 20, 0);
  EXPECT_EQ(unread->unread, 1);
  ASSERT_EQ(unread->items.size(), 1u);
  EXPECT_EQ(unread->items[0].change_request_id, applied);
  EXPECT_EQ(*inbox_->MarkAllRead(agent_), 1);
  EXPECT_EQ(inbox_->Notifications(agent_, false, 20, 0)->unread, 0);
}

TEST_F(AuthorInboxTest, ARefusedDecisionLeavesNoNotice) {
  // The national ID is held by an active person: approval without a decision fails and rolls back.
  const auto first = File(agent_, Household("C654321"));
  ASSERT_TRUE(changes_->Approve(first, coordinator_, "", false));
  const auto second = File(agent_, Household("C654321"));
  auto refused = changes_->Approve(second, coordinator_, "", false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "person.national_id_in_use");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE change_request_id = " + std::to_string(second)), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE change_request_id = " + std::to_string(first)), 1);
}

}  // namespace
}  // namespace sanad::registry
