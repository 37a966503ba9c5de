// CycleService: generation (queue, run, compute), reads, approval, discard, paid and closed.
#include "cycles/cycle_service.h"

#include <fmt/format.h>

#include "cycles/cycle_programme.h"

namespace sanad::cycles {

namespace {

using Json = nlohmann::json;

std::string Id(std::int64_t id) { return std::to_string(id); }

std::unexpected<Error> NotFound(std::int64_t id) {
  return Failure(Code::kNotFound, "cycle.not_found", {{"id", Id(id)}}, "id");
}

// Generation, approval and the state changes concern the whole country: an account limited to an area
// may read a cycle's figures and entries of its area, never decide on the cycle.
Status National(const registry::Actor& who) {
  if (who.scope.area) {
    return Failure(Code::kPermissionDenied, "cycle.national_only", {{"area", *who.scope.area}});
  }
  return Ok();
}

bool SameUser(const CycleRow& c, const registry::Actor& who) {
  if (c.generated_by_id && who.user_id) return *c.generated_by_id == *who.user_id;
  return c.generated_by == who.username;
}

}  // namespace

EntriesComputer RegistryEntries() {
  return [](db::Session& s, const CycleComputation& c) -> Result<CycleTotals> {
    return ComputeCycleEntries(s, *c.programme,
                               CycleRun{.cycle_id = c.cycle_id, .period = c.period, .cut_off = c.cut_off}, c.progress);
  };
}

Status CheckPeriod(std::string_view period) {
  if (period.size() != 7 || period[4] != '-' || !ParseDate(std::string(period) + "-01", "period")) {
    return Failure(Code::kInvalidArgument, "cycle.bad_period", {{"value", std::string(period)}}, "period");
  }
  return Ok();
}

CycleService::CycleService(CycleStore& store, jobs::JobStore& jobs, const Clock& clock, EntriesComputer compute)
    : store_(store), jobs_(jobs), clock_(clock), compute_(std::move(compute)) {}

Result<GenerateOutcome> CycleService::Generate(const std::string& programme, const std::string& period,
                                               const std::optional<std::string>& cut_off, const registry::Actor& who) {
  if (auto st = National(who); !st) return std::unexpected(st.error());
  auto found = programmes_(programme);
  if (!found) return std::unexpected(found.error());
  const programs::Programme* p = &*found;
  if (auto st = CheckPeriod(period); !st) return std::unexpected(st.error());
  if (auto digest = ProgrammeDigest(*p, period); !digest) return std::unexpected(digest.error());
  std::optional<std::string> cut;
  if (cut_off) {
    auto t = ParseTimestamp(*cut_off);
    if (!t) return Failure(Code::kInvalidArgument, "cycle.bad_cut_off", {{"value", *cut_off}}, "cut_off");
    if (*t > clock_.Now()) {
      return Failure(Code::kInvalidArgument, "cycle.cut_off_in_future", {{"value", *cut_off}}, "cut_off");
    }
    cut = FormatTimestamp(*t);
  }
  auto existing = store_.Find(programme, period);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return GenerateOutcome{.existing = **existing};
  Json params{{"programme", programme},
              {"period", period},
              {"generated_by", who.username},
              {"generated_by_id", who.user_id ? Json(*who.user_id) : Json(nullptr)}};
  if (cut) params["cut_off"] = *cut;
  jobs::NewJob job{.kind = kJobKind,
                   .params = params,
                   .exclusive_key = fmt::format("{}:{}:{}", kJobKind, programme, period),
                   .owner_id = who.user_id,
                   .owner = who.username};
  auto queued = jobs_.Enqueue(job, clock_.Now());
  if (!queued) {
    if (queued.error().code != Code::kConflict) return std::unexpected(queued.error());
    // The other generation may have finished meanwhile.
    auto again = store_.Find(programme, period);
    if (again && *again) return GenerateOutcome{.existing = **again};
    return Failure(Code::kConflict, "cycle.generation_running", {{"programme", programme}, {"period", period}},
                   "period");
  }
  if (on_queued_) on_queued_();
  return GenerateOutcome{.job = *queued};
}

Result<jobs::Json> CycleService::Run(jobs::JobContext& ctx) {
  const Json& params = ctx.params();
  const std::string programme = params.value("programme", "");
  const std::string period = params.value("period", "");
  const std::string by = params.value("generated_by", "");
  std::optional<std::int64_t> by_id;
  if (params.contains("generated_by_id") && params["generated_by_id"].is_number_integer()) {
    by_id = params["generated_by_id"].get<std::int64_t>();
  }
  // The cut-off is fixed before any work: a retry on another server reads the same registry state.
  std::string cut_off;
  if (params.contains("cut_off") && params["cut_off"].is_string()) {
    cut_off = params["cut_off"].get<std::string>();
  } else if (ctx.checkpoint() && ctx.checkpoint()->contains("cut_off")) {
    cut_off = (*ctx.checkpoint())["cut_off"].get<std::string>();
  } else {
    cut_off = FormatTimestamp(clock_.Now());
    if (auto st = ctx.SaveCheckpoint(Json{{"cut_off", cut_off}}); !st) return std::unexpected(st.error());
  }
  ctx.SetStage(std::string(MsgCode("cycle.stage.computing")), Json{{"programme", programme}, {"period", period}});
  auto cycle = Compute(
      programme, period, cut_off, by_id, by, [&](db::Session& s) { return ctx.Fence(s); },
      [&](std::int64_t done, std::int64_t total) { ctx.SetProgress(done, total); }, [&] { return ctx.NextChunk(); });
  if (!cycle) {
    // The job keeps the catalogue code as its message, so its page can show it in the reader's language.
    Error e = cycle.error();
    if (e.message.empty()) e.message = e.reason;
    return std::unexpected(std::move(e));
  }
  return Json{{"cycle_id", cycle->id},
              {"households_considered", cycle->totals.considered},
              {"households_eligible", cycle->totals.eligible},
              {"households_flagged", cycle->households_flagged}};
}

Result<CycleRow> CycleService::Compute(const std::string& programme, const std::string& period,
                                       const std::string& cut_off, std::optional<std::int64_t> by_id,
                                       const std::string& by, const std::function<Status(db::Session&)>& fence,
                                       const std::function<void(std::int64_t, std::int64_t)>& progress,
                                       const std::function<Status()>& next_chunk) {
  auto found = programmes_(programme);
  if (!found) return std::unexpected(found.error());
  const programs::Programme* p = &*found;
  if (auto st = CheckPeriod(period); !st) return std::unexpected(st.error());
  auto digest = ProgrammeDigest(*p, period);
  if (!digest) return std::unexpected(digest.error());
  if (!compute_) return Failure(Code::kUnavailable, "cycle.engine_unavailable");
  auto existing = store_.Find(programme, period);
  if (!existing) return std::unexpected(existing.error());
  if (*existing) return **existing;  // a rerun after the commit: the job's work is done

  CycleRow row;
  row.programme = programme;
  row.period = period;
  row.cut_off = cut_off;
  row.state = std::string(kDraft);
  row.currency = p->currency;
  row.programme_digest = *digest;
  row.generated_at = FormatTimestamp(clock_.Now());
  row.generated_by_id = by_id;
  row.generated_by = by;
  auto id = store_.db().InTransaction<std::int64_t>([&](db::Session& s) -> Result<std::int64_t> {
    if (fence) {
      if (auto st = fence(s); !st) return std::unexpected(st.error());
    }
    auto inserted = store_.InsertDraft(s, row);
    if (!inserted) return inserted;
    row.id = *inserted;
    CycleComputation c{.cycle_id = *inserted,
                       .programme = p,
                       .period = period,
                       .cut_off = cut_off,
                       .progress = progress ? progress : [](std::int64_t, std::int64_t) {},
                       .next_chunk = next_chunk ? next_chunk : [] { return Ok(); }};
    auto totals = compute_(s, c);
    if (!totals) return std::unexpected(totals.error());
    if (auto st = store_.SetTotals(s, *inserted, *totals); !st) return std::unexpected(st.error());
    auto flagged = store_.RefreshFlags(s, row, FlagChecksFor(*p));
    if (!flagged) return std::unexpected(flagged.error());
    return *inserted;
  });
  if (!id) {
    // Another server's generation committed the cycle first (unique programme + period): that one stands.
    if (id.error().code == Code::kAlreadyExists) {
      auto winner = store_.Find(programme, period);
      if (winner && *winner) return **winner;
    }
    return std::unexpected(id.error());
  }
  return MustGet(*id);
}

Result<CycleRow> CycleService::MustGet(std::int64_t id) {
  auto c = store_.Get(id);
  if (!c) return std::unexpected(c.error());
  if (!*c) return NotFound(id);
  return **c;
}

Result<std::optional<CycleRow>> CycleService::Get(std::int64_t id) { return store_.Get(id); }

Result<std::vector<CycleRow>> CycleService::List(const std::string& programme, const std::string& state, int limit) {
  return store_.List(programme, state, limit);
}

Result<CycleSummary> CycleService::Summary(std::int64_t id, const registry::Scope& scope) {
  auto c = MustGet(id);
  if (!c) return std::unexpected(c.error());
  auto regions = store_.TotalsByRegion(*c, scope);
  if (!regions) return std::unexpected(regions.error());
  CycleSummary out{.cycle = *c, .totals = c->totals, .flagged = c->households_flagged, .regions = *regions};
  if (scope.area) {
    // A regional reader sees the figures of the entries within their area only.
    out.totals = {};
    out.flagged = 0;
    for (const auto& r : *regions) {
      out.totals.considered += r.totals.considered;
      out.totals.eligible += r.totals.eligible;
      out.totals.total_minor += r.totals.total_minor;
      out.totals.one_off_total_minor += r.totals.one_off_total_minor;
      out.flagged += r.flagged;
    }
  }
  return out;
}

Result<std::pair<std::vector<EntryRow>, long long>> CycleService::Entries(std::int64_t id, const EntryFilter& filter,
                                                                          const registry::Scope& scope, int limit,
                                                                          int offset) {
  auto c = MustGet(id);
  if (!c) return std::unexpected(c.error());
  auto page = store_.Entries(id, filter, scope, limit, offset);
  if (!page) return page;
  for (auto& e : page->first) {
    e.score_model = c->totals.score_model;
    e.score_model_version = c->totals.score_model_version;
  }
  return page;
}

Result<std::optional<jobs::JobRecord>> CycleService::Job(std::int64_t job_id) {
  auto j = jobs_.Get(job_id);
  if (!j || !*j) return j;
  if ((*j)->kind != kJobKind) return std::optional<jobs::JobRecord>();
  return j;
}

Result<CycleRow> CycleService::Approve(std::int64_t id, bool acknowledge_flags, const registry::Actor& who) {
  if (auto st = National(who); !st) return std::unexpected(st.error());
  auto c = MustGet(id);
  if (!c) return c;
  if (c->state != kDraft) {
    return Failure(Code::kConflict, "cycle.not_draft", {{"id", Id(id)}, {"state", c->state}}, "id");
  }
  // Four eyes: whoever generated the cycle cannot approve it (like change requests).
  if (SameUser(*c, who)) {
    return Failure(Code::kPermissionDenied, "cycle.own_cycle", {{"id", Id(id)}, {"user", c->generated_by}}, "id");
  }
  // The checks run again against today's registry and ledger; their result is kept even when the
  // approval is refused, so the cycle page shows what needs a look.
  auto programme = programmes_(c->programme);
  if (!programme) return std::unexpected(programme.error());
  auto flagged = store_.db().InTransaction<std::int64_t>(
      [&](db::Session& s) -> Result<std::int64_t> { return store_.RefreshFlags(s, *c, FlagChecksFor(*programme)); });
  if (!flagged) return std::unexpected(flagged.error());
  if (*flagged > 0 && !acknowledge_flags) {
    return Failure(Code::kFailedPrecondition, "cycle.flags_unresolved", {{"id", Id(id)}, {"count", Id(*flagged)}},
                   "acknowledge_flags");
  }
  const std::string now = FormatTimestamp(clock_.Now());
  auto approved = store_.db().InTransaction<bool>([&](db::Session& s) -> Result<bool> {
    auto locked = store_.Get(s, id, true);
    if (!locked) return std::unexpected(locked.error());
    if (!*locked) return NotFound(id);
    // Flags raised between the check above and this transaction would not have been acknowledged.
    if ((*locked)->households_flagged > 0 && !acknowledge_flags) {
      return Failure(Code::kFailedPrecondition, "cycle.flags_unresolved",
                     {{"id", Id(id)}, {"count", Id((*locked)->households_flagged)}}, "acknowledge_flags");
    }
    return store_.MarkApproved(s, id, (*locked)->version, who.user_id, who.username, now);
  });
  if (!approved) return std::unexpected(approved.error());
  if (!*approved) return Failure(Code::kConflict, "cycle.changed", {{"id", Id(id)}}, "id");
  return MustGet(id);
}

Result<CycleRow> CycleService::Discard(std::int64_t id, const registry::Actor& who) {
  if (auto st = National(who); !st) return std::unexpected(st.error());
  auto c = MustGet(id);
  if (!c) return c;
  auto deleted =
      store_.db().InTransaction<bool>([&](db::Session& s) -> Result<bool> { return store_.DeleteDraft(s, id); });
  if (!deleted) return std::unexpected(deleted.error());
  if (!*deleted) {
    auto now = store_.Get(id);
    const std::string state = now && *now ? (*now)->state : c->state;
    return Failure(Code::kConflict, "cycle.not_draft", {{"id", Id(id)}, {"state", state}}, "id");
  }
  return c;
}

Result<CycleRow> CycleService::MarkPaid(std::int64_t id) {
  auto c = MustGet(id);
  if (!c) return c;
  const std::string now = FormatTimestamp(clock_.Now());
  auto done = store_.db().InTransaction<bool>([&](db::Session& s) { return store_.MarkPaid(s, id, now); });
  if (!done) return std::unexpected(done.error());
  if (!*done) return Failure(Code::kConflict, "cycle.not_approved", {{"id", Id(id)}, {"state", c->state}}, "id");
  return MustGet(id);
}

Result<CycleRow> CycleService::Close(std::int64_t id, const registry::Actor& who) {
  if (auto st = National(who); !st) return std::unexpected(st.error());
  auto c = MustGet(id);
  if (!c) return c;
  const std::string now = FormatTimestamp(clock_.Now());
  auto done = store_.db().InTransaction<bool>([&](db::Session& s) { return store_.MarkClosed(s, id, now); });
  if (!done) return std::unexpected(done.error());
  if (*done) return MustGet(id);
  // Not closed by this call: say why from the state it has now (another officer may have closed it).
  auto now_state = MustGet(id);
  if (!now_state) return now_state;
  if (now_state->state == "closed") return Failure(Code::kConflict, "cycle.already_closed", {{"id", Id(id)}}, "id");
  return Failure(Code::kConflict, "cycle.not_paid", {{"id", Id(id)}, {"state", now_state->state}}, "id");
}

}  // namespace sanad::cycles
