#include "empowerment/application_service.h"

#include <fmt/format.h>

#include "empowerment/tracking_code.h"

namespace sanad::empowerment {
namespace {

std::unexpected<Error> NoApplication(std::int64_t id) {
  return Failure(Code::kNotFound, "empowerment.application_not_found", {{"id", std::to_string(id)}}, "id");
}
std::unexpected<Error> NoCall(const std::string& id) {
  return Failure(Code::kNotFound, "empowerment.call_not_found", {{"id", id}}, "id");
}
std::string Day(const std::string& now) { return now.substr(0, 10); }

// Application states a staff member moves by hand; the others have their own step (eligibility,
// reviews, committee, agreement, tranches).
bool ByHand(AppState s) {
  using S = AppState;
  return s == S::kAwaitingInformation || s == S::kShortlisted || s == S::kNotRetained || s == S::kMonitoring ||
         s == S::kCompleted || s == S::kAbandoned || s == S::kWithdrawn;
}

}  // namespace

Status ApplicationService::Move(const Application& current, const Application& next, const Acting& a,
                                TransitionInput in, const std::optional<std::string>& note) {
  in.actor = a.who;
  if (next.state != current.state) {
    if (auto st = CheckTransition(current.state, next.state, in); !st) return st;
  }
  return apps_.Save(current, next, a.who, a.now, note);
}

Result<std::int64_t> ApplicationService::CreateCall(Call c, const Acting& a) {
  const auto currency = CurrencyOfRegion(c.region_code);
  c.currency = currency.value_or("");
  if (auto st = CheckCall(c); !st) return std::unexpected(st.error());
  auto region = calls_.RegionExists(c.region_code, a.scope.day);
  if (!region) return std::unexpected(region.error());
  if (!*region) {
    return Failure(Code::kFailedPrecondition, "value.not_area", {{"field", "region_code"}, {"value", c.region_code}},
                   "region_code");
  }
  if (a.scope.area) {
    auto inside = calls_.Within(c.region_code, *a.scope.area, a.scope.day);
    if (!inside) return std::unexpected(inside.error());
    if (!*inside) {
      return Failure(Code::kNotFound, "empowerment.region_outside_scope", {{"region", c.region_code}}, "region_code");
    }
  }
  return calls_.Insert(c, a.now, a.who);
}

Status ApplicationService::UpdateCall(Call c, const Acting& a) {
  auto writable = calls_.Writable(c.id, a.scope);
  if (!writable) return std::unexpected(writable.error());
  auto stored = calls_.Find(c.id);
  if (!stored) return std::unexpected(stored.error());
  if (!*writable || !*stored) return NoCall(std::to_string(c.id));
  // The code, region and currency name the call: they stay.
  c.code = (*stored)->code;
  c.region_code = (*stored)->region_code;
  c.currency = (*stored)->currency;
  if (auto st = CheckCall(c); !st) return st;
  return calls_.Update(c, a.now);
}

Result<CallView> ApplicationService::ViewCall(std::int64_t id, const ReadScope& scope) {
  auto row = calls_.Get(id, scope);
  if (!row) return std::unexpected(row.error());
  if (!*row) return NoCall(std::to_string(id));
  auto apps = apps_.ForCall(id, scope);
  if (!apps) return std::unexpected(apps.error());
  // The trial allocation: what remains of the envelope over the shortlisted applications, best first.
  std::vector<Candidate> candidates;
  for (const auto& app : *apps) {
    if (app.state == AppState::kShortlisted && app.score) {
      candidates.push_back({app.id, *app.score, app.requested_minor, app.submitted_at.value_or("")});
    }
  }
  const long long remaining = (*row)->call.envelope_minor - (*row)->committed_minor;
  Allocation trial = Allocate(remaining, std::move(candidates));
  return CallView{std::move(**row), std::move(*apps), std::move(trial)};
}

Result<std::int64_t> ApplicationService::Apply(std::int64_t call_id, std::int64_t registration_id,
                                               long long requested_minor, const std::string& summary, const Acting& a) {
  auto call = calls_.Find(call_id);
  if (!call) return std::unexpected(call.error());
  if (!*call) return NoCall(std::to_string(call_id));
  auto reg = registrations_.Get(registration_id, a.scope);
  if (!reg) return std::unexpected(reg.error());
  if (!*reg) {
    return Failure(Code::kNotFound, "empowerment.registration_not_found", {{"id", std::to_string(registration_id)}},
                   "registration_id");
  }
  const Call& c = **call;
  const StoredRegistration& r = **reg;
  const std::string day = Day(a.now);
  if (r.status != "complete")
    return Failure(Code::kFailedPrecondition, "empowerment.file_incomplete", {}, "registration");
  if (day > c.closes_at) {
    return Failure(Code::kFailedPrecondition, "empowerment.call_closed", {{"closes_at", c.closes_at}}, "call");
  }
  auto inside = calls_.Within(r.registration.commune_code, c.region_code, day);
  if (!inside) return std::unexpected(inside.error());
  if (!*inside) {
    return Failure(Code::kFailedPrecondition, "empowerment.outside_region",
                   {{"commune", r.registration.commune_code}, {"region", c.region_code}}, "call");
  }
  if (requested_minor < 1 || requested_minor > c.envelope_minor) {
    return Failure(Code::kFailedPrecondition, "field.out_of_range",
                   {{"field", "requested_minor"}, {"min", "1"}, {"max", std::to_string(c.envelope_minor)}},
                   "requested_minor");
  }
  if (summary.size() < kMinProjectIdea) {
    return Failure(Code::kFailedPrecondition, "empowerment.project_idea_too_short",
                   {{"min", std::to_string(kMinProjectIdea)}}, "summary");
  }
  Application app;
  app.call_id = c.id;
  app.registration_id = r.id;
  app.commune_code = r.registration.commune_code;
  app.state = AppState::kDraft;
  app.requested_minor = requested_minor;
  app.summary = summary;
  app.created_at = app.updated_at = a.now;
  app.created_by = a.who;
  return apps_.Insert(app);
}

Result<StoredRegistration> ApplicationService::ByCode(const std::string& typed_code) {
  const auto code = NormaliseTrackingCode(typed_code);
  auto unknown = [] { return Failure(Code::kNotFound, "empowerment.tracking_code_unknown", {}, "tracking_code"); };
  if (!code) return unknown();
  auto stored = registrations_.FindByCode(TrackingCodeHash(*code));
  if (!stored) return std::unexpected(stored.error());
  if (!*stored) return unknown();
  return std::move(**stored);
}

Result<std::int64_t> ApplicationService::ApplyByCode(const std::string& typed_code, const std::string& call_code,
                                                     long long requested_minor, const std::string& summary,
                                                     const Acting& a) {
  auto reg = ByCode(typed_code);
  if (!reg) return std::unexpected(reg.error());
  auto call = calls_.FindByCode(call_code);
  if (!call) return std::unexpected(call.error());
  if (!*call) return NoCall(call_code);
  // Her own registration: the public path reads it nationally.
  Acting hers{"public", ReadScope{std::nullopt, a.scope.day}, a.now};
  return Apply((*call)->id, reg->id, requested_minor, summary, hers);
}

Result<std::vector<PublicApplication>> ApplicationService::Mine(const std::string& typed_code) {
  auto reg = ByCode(typed_code);
  if (!reg) return std::unexpected(reg.error());
  auto apps = apps_.ForRegistration(reg->id);
  if (!apps) return std::unexpected(apps.error());
  std::vector<PublicApplication> out;
  for (const auto& app : *apps) {
    auto call = calls_.Find(app.call_id);
    if (!call) return std::unexpected(call.error());
    auto tranches = apps_.Tranches(app.id);
    if (!tranches) return std::unexpected(tranches.error());
    PublicApplication p;
    p.id = app.id;
    p.call = call->value_or(Call{});
    p.state = app.state;
    p.requested_minor = app.requested_minor;
    p.approved_minor = app.approved_minor;
    p.public_note = app.public_note;
    p.submitted_at = app.submitted_at;
    // Only the eligibility conditions she did not meet: a committee's reason stays with the committee.
    if (app.state == AppState::kIneligible) p.reasons = app.reasons;
    p.tranches = static_cast<int>(tranches->size());
    for (const auto& t : *tranches) p.tranches_paid += t.paid_on ? 1 : 0;
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Call>> ApplicationService::OpenCalls(const std::string& typed_code, const std::string& day) {
  auto reg = ByCode(typed_code);
  if (!reg) return std::unexpected(reg.error());
  return calls_.OpenFor(reg->registration.commune_code, day);
}

Status ApplicationService::SubmitByCode(const std::string& typed_code, std::int64_t id, const Acting& a) {
  auto reg = ByCode(typed_code);
  if (!reg) return std::unexpected(reg.error());
  auto app = apps_.Get(id, {std::nullopt, a.scope.day});
  if (!app) return std::unexpected(app.error());
  if (!*app || (*app)->registration_id != reg->id) return NoApplication(id);
  return Submit(id, Acting{"public", {std::nullopt, a.scope.day}, a.now});
}

Result<Application> ApplicationService::Load(std::int64_t id, const ReadScope& scope) {
  auto app = apps_.Get(id, scope);
  if (!app) return std::unexpected(app.error());
  if (!*app) return NoApplication(id);
  return std::move(**app);
}

Result<Detail> ApplicationService::Read(std::int64_t id, const ReadScope& scope) {
  auto app = Load(id, scope);
  if (!app) return std::unexpected(app.error());
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  auto reviews = apps_.Reviews(id);
  if (!reviews) return std::unexpected(reviews.error());
  auto tranches = apps_.Tranches(id);
  if (!tranches) return std::unexpected(tranches.error());
  auto events = apps_.Events(id);
  if (!events) return std::unexpected(events.error());
  return Detail{std::move(*app), call->value_or(Call{}), std::move(*reviews), std::move(*tranches), std::move(*events)};
}

Status ApplicationService::Submit(std::int64_t id, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  const std::string day = Day(a.now);
  // Checked before the day: a wrong state answers as such whatever the date.
  if (auto st = CheckTransition(app->state, AppState::kSubmitted, {.actor = a.who}); !st) return st;
  if (!*call || !IsOpen(**call, day)) {
    return Failure(Code::kFailedPrecondition, "empowerment.call_closed",
                   {{"closes_at", *call ? (*call)->closes_at : ""}}, "call");
  }
  Application next = *app;
  next.state = AppState::kSubmitted;
  next.submitted_at = a.now;
  return Move(*app, next, a, {});
}

Result<AppState> ApplicationService::CheckEligibility(std::int64_t id, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  auto reg = registrations_.Get(app->registration_id, {std::nullopt, a.scope.day});
  if (!reg) return std::unexpected(reg.error());
  if (!*call || !*reg) return NoApplication(id);
  const std::string day = app->submitted_at ? Day(*app->submitted_at) : Day(a.now);
  auto inside = calls_.Within((*reg)->registration.commune_code, (*call)->region_code, day);
  if (!inside) return std::unexpected(inside.error());
  // Her file as it is now, her age and the trainings she completed on the day she submitted.
  bool trained = true;
  if (const auto& topic = (*call)->eligibility.requires_training) {
    auto done = CompletedTraining(app->registration_id, *topic, day);
    if (!done) return std::unexpected(done.error());
    trained = *done;
  }
  const auto problems =
      EligibilityProblems(**call, (*reg)->registration, (*reg)->status == "complete", *inside, day, trained);
  Application next = *app;
  next.reasons.clear();
  for (const auto& p : problems) next.reasons.push_back(p.reason);
  next.state = problems.empty() ? AppState::kEligible : AppState::kIneligible;
  std::string reason;
  for (const auto& r : next.reasons) reason += (reason.empty() ? "" : ", ") + r;
  TransitionInput in;
  if (!reason.empty()) in.reason = reason;
  if (auto st = Move(*app, next, a, in, in.reason); !st) return std::unexpected(st.error());
  return next.state;
}

Status ApplicationService::Transition(std::int64_t id, AppState to, const std::optional<std::string>& reason,
                                      const std::optional<std::string>& public_note, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  if (!ByHand(to)) {
    return Failure(Code::kFailedPrecondition, "empowerment.transition_not_allowed",
                   {{"from", std::string(AppStateName(app->state))}, {"to", std::string(AppStateName(to))}}, "to");
  }
  Application next = *app;
  next.state = to;
  if (public_note) next.public_note = public_note;
  if (reason) next.reasons = {*reason};
  return Move(*app, next, a, {.reason = reason}, reason);
}

Result<AppState> ApplicationService::AddReview(std::int64_t id, const ReviewInput& in, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  if (app->state != AppState::kEligible && app->state != AppState::kUnderReview) {
    return Failure(Code::kFailedPrecondition, "empowerment.transition_not_allowed",
                   {{"from", std::string(AppStateName(app->state))}, {"to", "under_review"}}, "state");
  }
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  if (!*call) return NoApplication(id);
  const auto& rubric = (*call)->rubric;
  // A reviewer with a conflict of interest scores nothing.
  if (!in.conflict_of_interest) {
    if (auto st = CheckPoints(rubric, in.points); !st) return std::unexpected(st.error());
  }
  Application current = *app;
  if (current.state == AppState::kEligible) {
    // The first review opens the review.
    Application open = current;
    open.state = AppState::kUnderReview;
    if (auto st = Move(current, open, a, {}); !st) return std::unexpected(st.error());
    auto reloaded = Load(id, a.scope);
    if (!reloaded) return std::unexpected(reloaded.error());
    current = std::move(*reloaded);
  }
  StoredReview review{
      {a.who, in.conflict_of_interest, in.conflict_of_interest ? decltype(in.points){} : in.points}, in.comment, a.now};
  Application after;
  auto st = apps_.AddReview(
      current, review,
      [&](const std::vector<Review>& all) {
        after = current;
        if (const auto score = ApplicationScore(rubric, all)) {
          after.score = *score;
          after.state = AppState::kScored;
        }
        return after;
      },
      a.now);
  if (!st) return std::unexpected(st.error());
  return after.state;
}

Result<long long> ApplicationService::Committed(std::int64_t call_id) {
  auto row = calls_.Get(call_id, {std::nullopt, "9999-12-31"});
  if (!row) return std::unexpected(row.error());
  if (!*row) return NoCall(std::to_string(call_id));
  return (*row)->committed_minor;
}

Status ApplicationService::Propose(std::int64_t id, const DecisionInput& in, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  if (in.decision != AppState::kApproved && in.decision != AppState::kRejected && in.decision != AppState::kDeferred) {
    return Failure(Code::kFailedPrecondition, "empowerment.transition_not_allowed",
                   {{"from", std::string(AppStateName(app->state))}, {"to", std::string(AppStateName(in.decision))}},
                   "decision");
  }
  // Everything but the second member is checked now: the confirmation only adds her eyes.
  TransitionInput check{in.reason, in.amount_minor, app->requested_minor, in.minutes, a.who, ""};
  if (auto st = CheckTransition(app->state, in.decision, check); !st) return st;
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  if (!*call) return NoApplication(id);
  if (in.decision == AppState::kApproved) {
    auto committed = Committed(app->call_id);
    if (!committed) return std::unexpected(committed.error());
    if (auto st = CheckWithinEnvelope((*call)->envelope_minor, *committed, *in.amount_minor); !st) return st;
  }
  Application next = *app;
  next.proposed_decision = std::string(AppStateName(in.decision));
  next.proposed_amount_minor = in.decision == AppState::kApproved ? in.amount_minor : std::nullopt;
  next.proposed_reason = in.reason;
  next.proposed_minutes = in.minutes;
  next.proposed_by = a.who;
  if (in.public_note) next.public_note = in.public_note;
  return apps_.Save(*app, next, a.who, a.now);
}

Result<AppState> ApplicationService::Confirm(std::int64_t id, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  const auto decision = app->proposed_decision ? ParseAppState(*app->proposed_decision) : std::nullopt;
  if (!decision) return Failure(Code::kFailedPrecondition, "empowerment.no_proposal", {}, "decision");
  TransitionInput check{app->proposed_reason,  app->proposed_amount_minor, app->requested_minor,
                        app->proposed_minutes, app->proposed_by,           a.who};
  if (auto st = CheckTransition(app->state, *decision, check); !st) return std::unexpected(st.error());
  std::optional<EnvelopeGuard> envelope;
  if (*decision == AppState::kApproved) {
    auto call = calls_.Find(app->call_id);
    if (!call) return std::unexpected(call.error());
    if (!*call) return NoApplication(id);
    // Checked again in the transaction that writes the approval, the call's row locked.
    envelope = EnvelopeGuard{app->call_id, (*call)->envelope_minor, *app->proposed_amount_minor};
  }
  Application next = *app;
  next.state = *decision;
  next.approved_minor = *decision == AppState::kApproved ? app->proposed_amount_minor : std::nullopt;
  next.minutes = app->proposed_minutes;
  next.decided_by = app->proposed_by.value_or("") + " + " + a.who;
  if (app->proposed_reason) next.reasons = {*app->proposed_reason};
  next.proposed_decision = next.proposed_reason = next.proposed_minutes = next.proposed_by = std::nullopt;
  next.proposed_amount_minor = std::nullopt;
  if (auto st = apps_.Save(*app, next, a.who, a.now, app->proposed_reason, envelope); !st)
    return std::unexpected(st.error());
  return next.state;
}

Status ApplicationService::SignAgreement(std::int64_t id, const std::vector<TranchePlan>& plan, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  if (auto st = CheckTransition(app->state, AppState::kAgreementSigned, {.actor = a.who}); !st) return st;
  if (auto st = CheckTranches(plan, app->approved_minor.value_or(0)); !st) return st;
  std::vector<Tranche> tranches;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    tranches.push_back(
        {static_cast<int>(i + 1), plan[i].milestone, plan[i].planned_minor, {}, {}, {}, plan[i].requires_training});
  }
  Application next = *app;
  next.state = AppState::kAgreementSigned;
  return apps_.SignAgreement(*app, next, tranches, a.who, a.now);
}

Result<AppState> ApplicationService::PayTranche(std::int64_t id, int n, const std::string& day, const Acting& a) {
  auto app = Load(id, a.scope);
  if (!app) return std::unexpected(app.error());
  if (app->state != AppState::kAgreementSigned && app->state != AppState::kFunded) {
    return Failure(Code::kFailedPrecondition, "empowerment.transition_not_allowed",
                   {{"from", std::string(AppStateName(app->state))}, {"to", "funded"}}, "state");
  }
  auto tranches = apps_.Tranches(id);
  if (!tranches) return std::unexpected(tranches.error());
  const auto it = std::find_if(tranches->begin(), tranches->end(), [n](const Tranche& t) { return t.n == n; });
  if (it == tranches->end()) {
    return Failure(Code::kNotFound, "empowerment.tranche_not_found", {{"n", std::to_string(n)}}, "n");
  }
  if (it->paid_on) {
    return Failure(Code::kConflict, "empowerment.tranche_paid", {{"n", std::to_string(n)}, {"day", *it->paid_on}}, "n");
  }
  // The tranche-release condition: the training completed by the day it is paid.
  if (it->requires_training) {
    auto done = CompletedTraining(app->registration_id, *it->requires_training, day);
    if (!done) return std::unexpected(done.error());
    if (!*done) {
      return Failure(Code::kFailedPrecondition, "empowerment.tranche_training_required",
                     {{"n", std::to_string(n)}, {"topic", *it->requires_training}}, "requires_training");
    }
  }
  auto call = calls_.Find(app->call_id);
  if (!call) return std::unexpected(call.error());
  auto reg = registrations_.Get(app->registration_id, {std::nullopt, a.scope.day});
  if (!reg) return std::unexpected(reg.error());
  if (!*call || !*reg) return NoApplication(id);
  std::optional<registry::BenefitRow> line;
  if ((*reg)->person_id) {
    registry::BenefitRow b;
    b.person_id = (*reg)->person_id;
    b.programme = "EMPOWERMENT";
    b.kind = "cash";
    b.benefit_date = day;
    b.amount_minor = it->planned_minor;
    b.currency = (*call)->currency;
    b.reference = fmt::format("empowerment-{}-tranche-{}", id, n);
    b.source = "empowerment";
    b.recorded_at = a.now;
    b.recorded_by = a.who;
    line = b;
  }
  Application next = *app;
  next.state = AppState::kFunded;
  if (app->state != next.state) {
    if (auto st = CheckTransition(app->state, next.state, {.actor = a.who}); !st) return std::unexpected(st.error());
  }
  if (auto st = apps_.PayTranche(*app, next, n, day, line, a.who, a.now); !st) return std::unexpected(st.error());
  const bool last = std::all_of(tranches->begin(), tranches->end(),
                                [n](const Tranche& t) { return t.n == n || t.paid_on.has_value(); });
  if (!last) return AppState::kFunded;
  // Funded in full: the follow-up starts.
  auto funded = Load(id, a.scope);
  if (!funded) return std::unexpected(funded.error());
  Application monitoring = *funded;
  monitoring.state = AppState::kMonitoring;
  if (auto st = Move(*funded, monitoring, a, {}); !st) return std::unexpected(st.error());
  return AppState::kMonitoring;
}

Result<bool> ApplicationService::CompletedTraining(std::int64_t registration_id, const std::string& topic,
                                                   const std::string& day) {
  if (!training_) return Fail(Code::kInternal, "no training check wired into the funding service");
  return training_(registration_id, topic, day);
}

}  // namespace sanad::empowerment
