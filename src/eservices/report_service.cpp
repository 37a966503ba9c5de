#include "eservices/report_service.h"

#include <spdlog/spdlog.h>

#include "core/tracking_code.h"

namespace sanad::eservices {

Result<std::pair<NewReport, std::string>> ReportService::Prepare(ReportInput in, bool over_limit,
                                                                 std::optional<std::string> entered_by) {
  if (auto st = ValidateReport(in); !st) return std::unexpected(st.error());
  const TimePoint now = clock().Now();
  auto area = areas_.Get(in.commune_code, DateOf(now).ToString());
  if (!area || area->area.level != "commune") {
    if (area || area.error().code == Code::kNotFound)
      return Failure(Code::kInvalidArgument, "field.not_a_commune",
                     {{"field", "commune_code"}, {"value", in.commune_code}}, "commune_code");
    return std::unexpected(area.error());
  }
  auto policy = store_.Policy(in.service);
  if (!policy) return std::unexpected(policy.error());

  Report r;
  r.input = std::move(in);
  // The coordinator of the commune's region (Morocco) or wilaya (Algeria): the top of its parent chain.
  r.region_code = area->parents.empty() ? area->area.code : area->parents.front().code;
  if (r.input.service == kFamilyCounselling) {
    // Counselling goes to counsellors, not to mobile units; the white-army line has its own pool.
    r.counsellor_pool = std::string(r.input.white_army ? kWhiteArmyPool : kFamilyPool);
    r.dispatch = "pool";
  } else {
    auto units = store_.Units();
    if (!units) return std::unexpected(units.error());
    const auto d = ChooseUnit(*units, r.input.commune_code, area->area.lat, area->area.lon, now);
    r.unit_id = d.unit_id;
    r.dispatch = d.reason;
  }
  r.ack_deadline = FormatTimestamp(AckDeadline(*policy, r.input.immediate_danger, now));
  r.over_limit = over_limit;
  r.entered_by = std::move(entered_by);
  r.created_at = r.updated_at = FormatTimestamp(now);
  std::string code = core::RandomCode(kTrackingCodeChars);
  r.public_id = core::RandomCode(kPublicIdChars);
  std::string hash = core::CodeHash(code);
  return std::pair{NewReport{std::move(r), std::move(hash)}, std::move(code)};
}

Result<Submitted> ReportService::Submit(ReportInput in, bool over_limit, std::optional<std::string> entered_by) {
  auto prepared = Prepare(std::move(in), over_limit, std::move(entered_by));
  if (!prepared) return std::unexpected(prepared.error());
  auto stored = intake_.Submit(std::move(prepared->first));
  if (!stored) return std::unexpected(stored.error());
  return Submitted{std::move(*stored), std::move(prepared->second)};
}

Result<Submitted> ReportService::SubmitAsync(ReportInput in, bool over_limit, IntakeBatcher::Done stored) {
  auto prepared = Prepare(std::move(in), over_limit, std::nullopt);
  if (!prepared) return std::unexpected(prepared.error());
  Submitted out{prepared->first.report, std::move(prepared->second)};
  intake_.SubmitAsync(std::move(prepared->first), std::move(stored));
  return out;
}

Result<jobs::Json> ReportService::Run(jobs::JobContext& ctx) {
  ctx.SetStage(std::string(MsgCode("eservice.stage_escalating")));
  auto n = store_.Escalate(FormatTimestamp(clock().Now()));
  if (!n) return std::unexpected(n.error());
  ctx.SetProgress(*n, *n);
  return jobs::Json{{"escalated", *n}};
}

void EscalationScheduler::Start() {
  if (thread_.joinable() || period_.count() <= 0) return;
  stop_ = false;
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, period_, [this] { return stop_; })) {
      lock.unlock();
      // A failure is retried at the next period; the reports stay unacknowledged meanwhile and the
      // overdue board lists them by their deadline even before they are marked escalated.
      if (auto job = service_.Start(std::nullopt, "scheduler"); !job)
        spdlog::warn("e-services: escalation pass not queued: {}", job.error().message);
      lock.lock();
    }
  });
}

void EscalationScheduler::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace sanad::eservices
