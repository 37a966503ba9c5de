#include "microcredit/collection.h"

#include <fmt/format.h>
#include <algorithm>
#include <chrono>
#include <map>

#include "microcredit/portfolio.h"

namespace sanad::microcredit {
namespace {

// Days in the 31–60 bucket: the bucket's index in BucketOf (portfolio.h).
constexpr int kBucket31To60 = 2;
// A proposed field visit is due a week after the proposal.
constexpr int kVisitWithinDays = 7;

std::string IsoOf(Day d) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{d}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

Result<Day> DayOfIso(const std::string& iso, std::string_view field) {
  auto d = ParseDate(iso, field);
  if (!d) return std::unexpected(d.error());
  return DayOf(d->year, static_cast<unsigned>(d->month), static_cast<unsigned>(d->day));
}

bool IsKind(const std::string& k) {
  return std::find(std::begin(kTaskKinds), std::end(kTaskKinds), k) != std::end(kTaskKinds);
}

}  // namespace

std::string PromiseState(std::int64_t promised_minor, const std::string& made_on, const std::string& promised_on,
                         const std::vector<Repayment>& repayments, const std::string& as_of) {
  std::int64_t received = 0;
  for (const auto& r : repayments) {
    if (r.paid_on >= made_on && r.paid_on <= promised_on && r.paid_on <= as_of) received += r.amount_minor;
  }
  if (received >= promised_minor) return "kept";
  return as_of > promised_on ? "broken" : "pending";
}

std::vector<EnteredBucket> LoansIn31To60(const PortfolioData& data, const std::string& as_of) {
  std::vector<EnteredBucket> out;
  auto day = DayOfIso(as_of, "as_of");
  if (!day) return out;
  const auto ageing = AgeLoans(data.columns, *day);
  for (std::size_t i = 0; i < ageing.size(); ++i) {
    const auto& a = ageing[i];
    if (a.written_off || a.outstanding_minor <= 0) continue;
    if (BucketOf(a.days_in_arrears) != kBucket31To60) continue;
    out.push_back({data.loan_ids[i], a.days_in_arrears, IsoOf(*day - (a.days_in_arrears - 31))});
  }
  return out;
}

Result<std::vector<TaskView>> Collection::Views(std::vector<CollectionTask> tasks, const Actor& who) {
  std::vector<TaskView> out;
  std::map<std::int64_t, LoanView> loans;
  for (auto& t : tasks) {
    auto it = loans.find(t.loan_id);
    if (it == loans.end()) {
      auto v = life_.LoanOn(t.loan_id, who.today, who);
      if (!v) return std::unexpected(v.error());
      it = loans.emplace(t.loan_id, std::move(*v)).first;
    }
    TaskView view;
    view.days_in_arrears = it->second.ageing.days_in_arrears;
    if (t.kind == "promise_to_pay" && t.promised_amount_minor && t.promised_on) {
      view.promise_state = PromiseState(*t.promised_amount_minor, t.created_at.substr(0, 10), *t.promised_on,
                                        it->second.loan.repayments, who.today);
    }
    view.task = std::move(t);
    out.push_back(std::move(view));
  }
  return out;
}

Result<TaskView> Collection::Add(std::int64_t loan_id, const NewTask& in, const Actor& who) {
  if (!IsKind(in.kind)) {
    return Failure(Code::kInvalidArgument, "value.not_allowed",
                   {{"field", "kind"}, {"value", in.kind}, {"allowed", "field_visit, phone_call, promise_to_pay"}},
                   "kind");
  }
  if (auto d = ParseDate(in.due_on, "due_on"); !d) return std::unexpected(d.error());
  const bool promise = in.kind == "promise_to_pay";
  if (promise && (!in.promised_minor || !in.promised_on)) {
    return Failure(Code::kInvalidArgument, "microcredit.promise_incomplete", {},
                   !in.promised_minor ? "promised_amount" : "promised_on");
  }
  if (!promise && (in.promised_minor || in.promised_on)) {
    return Failure(Code::kInvalidArgument, "microcredit.promise_not_a_promise", {},
                   in.promised_minor ? "promised_amount" : "promised_on");
  }
  if (promise) {
    auto d = ParseDate(*in.promised_on, "promised_on");
    if (!d) return std::unexpected(d.error());
    if (*in.promised_on < who.today) {
      return Failure(Code::kFailedPrecondition, "microcredit.promise_in_the_past", {{"today", who.today}},
                     "promised_on");
    }
  }
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) {
    return Failure(Code::kNotFound, "microcredit.loan_not_found", {{"id", std::to_string(loan_id)}}, "id");
  }
  if ((*loan)->state != "active") {
    return Failure(Code::kConflict, "microcredit.loan_not_active",
                   {{"id", std::to_string(loan_id)}, {"state", (*loan)->state}}, "id");
  }
  CollectionTask t;
  t.loan_id = loan_id;
  t.kind = in.kind;
  t.assigned_to = in.assigned_to;
  t.due_on = in.due_on;
  t.promised_amount_minor = in.promised_minor;
  t.promised_on = in.promised_on;
  t.source = "officer";
  t.created_by = who.username;
  t.created_at = who.now;
  auto added = store_.InsertTask(t);
  if (!added) return std::unexpected(added.error());
  auto views = Views({*added}, who);
  if (!views) return std::unexpected(views.error());
  return std::move(views->front());
}

Result<std::vector<TaskView>> Collection::OfLoan(std::int64_t loan_id, const Actor& who) {
  auto loan = store_.GetLoan(loan_id, who.scope);
  if (!loan) return std::unexpected(loan.error());
  if (!*loan) {
    return Failure(Code::kNotFound, "microcredit.loan_not_found", {{"id", std::to_string(loan_id)}}, "id");
  }
  auto tasks = store_.TasksOfLoan(loan_id);
  if (!tasks) return std::unexpected(tasks.error());
  return Views(std::move(*tasks), who);
}

Result<std::pair<std::vector<TaskView>, std::int64_t>> Collection::List(bool mine,
                                                                        const std::optional<std::string>& state,
                                                                        int limit, int offset, const Actor& who) {
  auto page =
      store_.ListTasks(who.scope, mine ? std::optional<std::string>(who.username) : std::nullopt, state, limit, offset);
  if (!page) return std::unexpected(page.error());
  auto views = Views(std::move(page->first), who);
  if (!views) return std::unexpected(views.error());
  return std::pair{std::move(*views), page->second};
}

Result<TaskView> Collection::Close(std::int64_t task_id, const std::string& outcome, const Actor& who) {
  auto task = store_.GetTask(task_id, who.scope);
  if (!task) return std::unexpected(task.error());
  if (!*task) {
    return Failure(Code::kNotFound, "microcredit.task_not_found", {{"id", std::to_string(task_id)}}, "id");
  }
  auto closed = store_.CloseTask(task_id, outcome, who.username, who.now);
  if (!closed) return std::unexpected(closed.error());
  if (!*closed) return Failure(Code::kConflict, "microcredit.task_closed", {{"id", std::to_string(task_id)}}, "id");
  auto again = store_.GetTask(task_id, who.scope);
  if (!again) return std::unexpected(again.error());
  if (!*again) return Failure(Code::kNotFound, "microcredit.task_not_found", {{"id", std::to_string(task_id)}}, "id");
  auto views = Views({**again}, who);
  if (!views) return std::unexpected(views.error());
  return std::move(views->front());
}

Result<jobs::Json> CollectionProposals::Run(jobs::JobContext& ctx) {
  ctx.SetStage("microcredit.collection_stage");
  const std::string today = DateOf(clock().Now()).ToString();
  // The whole portfolio (the job is national), aged by the same engine as the API and the benchmark.
  auto data = store_.Portfolio(Scope{std::nullopt, today}, today, GroupBy::kWilaya);
  if (!data) return std::unexpected(data.error());
  const auto in_bucket = LoansIn31To60(*data, today);
  std::vector<std::pair<std::int64_t, std::string>> loans;
  loans.reserve(in_bucket.size());
  for (const auto& e : in_bucket) loans.emplace_back(e.loan_id, e.entered_on);
  auto due = DayOfIso(today, "today");
  if (!due) return std::unexpected(due.error());
  auto written = store_.ProposeFieldVisits(loans, IsoOf(*due + kVisitWithinDays), FormatTimestamp(clock().Now()),
                                           [&ctx](db::Session& s) { return ctx.Fence(s); });
  if (!written) return std::unexpected(written.error());
  ctx.SetProgress(static_cast<std::int64_t>(loans.size()), static_cast<std::int64_t>(loans.size()));
  return jobs::Json{{"as_of", today}, {"in_bucket", loans.size()}, {"proposed", *written}};
}

}  // namespace sanad::microcredit
