// Funding calls and applications of the women's empowerment platform (docs/empowerment.md §Funding
// calls and applications). Staff: calls in the reader's area with their budget and trial allocation,
// applications through eligibility, reviews, committee decisions (four eyes), agreement and tranches;
// each read of an application audited, fail-closed. Public, by her tracking code: the calls open to her,
// her applications' stages, a draft and its submission (rate limited like her status page).
#include <nlohmann/json.hpp>

#include "api/json_mapping.h"
#include "api/services.h"
#include "empowerment/application_service.h"

namespace sanad::api {
namespace {

using nlohmann::json;
namespace emp = empowerment;

emp::Acting ActingOf(Services& s, const http::Request& req) {
  const auto actor = ActorOf(s, req);
  return {actor.username.empty() ? "public" : actor.username,
          {actor.scope.area, actor.scope.today},
          FormatTimestamp(s.clock.Now())};
}

json RubricJson(const std::vector<emp::Criterion>& rubric) {
  json out = json::array();
  for (const auto& c : rubric) out.push_back({{"code", c.code}, {"max_points", c.max_points}, {"weight", c.weight}});
  return out;
}

// What anyone may see of a call (her status page too): no figures of other women.
json CallJson(const emp::Call& c) {
  return {{"id", c.id},
          {"code", c.code},
          {"name_ar", c.name_ar},
          {"name_fr", c.name_fr},
          {"name_en", c.name_en},
          {"region_code", c.region_code},
          {"year", c.year},
          {"currency", c.currency},
          {"envelope_minor", c.envelope_minor},
          {"opens_at", c.opens_at},
          {"closes_at", c.closes_at},
          {"eligibility",
           {{"kinds", c.eligibility.kinds},
            {"situations", c.eligibility.situations},
            {"min_age", c.eligibility.min_age},
            {"max_age", c.eligibility.max_age},
            {"requires_training", OrNull(c.eligibility.requires_training)}}},
          {"rubric", RubricJson(c.rubric)},
          {"version", c.version}};
}

json CallRowJson(const emp::CallRow& r) {
  json j = CallJson(r.call);
  j["committed_minor"] = r.committed_minor;
  j["remaining_minor"] = r.call.envelope_minor - r.committed_minor;
  j["paid_minor"] = r.paid_minor;
  j["applications"] = r.applications;
  return j;
}

json ApplicationJson(const emp::Application& a) {
  return {{"id", a.id},
          {"call_id", a.call_id},
          {"registration_id", a.registration_id},
          {"commune_code", a.commune_code},
          {"state", emp::AppStateName(a.state)},
          {"requested_minor", a.requested_minor},
          {"summary", a.summary},
          {"approved_minor", OrNull(a.approved_minor)},
          {"score", a.score ? json(*a.score) : json(nullptr)},
          {"reasons", a.reasons},
          {"public_note", OrNull(a.public_note)},
          {"proposed_decision", OrNull(a.proposed_decision)},
          {"proposed_amount_minor", OrNull(a.proposed_amount_minor)},
          {"proposed_reason", OrNull(a.proposed_reason)},
          {"proposed_minutes", OrNull(a.proposed_minutes)},
          {"proposed_by", OrNull(a.proposed_by)},
          {"minutes", OrNull(a.minutes)},
          {"decided_by", OrNull(a.decided_by)},
          {"submitted_at", OrNull(a.submitted_at)},
          {"created_at", a.created_at},
          {"created_by", a.created_by},
          {"updated_at", a.updated_at},
          {"version", a.version}};
}

std::unexpected<Error> Invalid(std::string reason, std::string field, MessageParams params = {}) {
  return Failure(Code::kInvalidArgument, std::move(reason), std::move(params), std::move(field));
}

// Reads the call's fields from a request body; CheckCall judges them (the service calls it).
Result<emp::Call> ReadCallBody(const json& body) {
  http::ObjectReader r(body);
  emp::Call c;
  auto code = r.RequiredString("code", 40);
  if (!code) return std::unexpected(code.error());
  c.code = *code;
  for (auto [name, into] : {std::pair<const char*, std::string*>{"name_ar", &c.name_ar},
                            {"name_fr", &c.name_fr},
                            {"name_en", &c.name_en},
                            {"region_code", &c.region_code},
                            {"opens_at", &c.opens_at},
                            {"closes_at", &c.closes_at}}) {
    auto v = r.RequiredString(name, 200);
    if (!v) return std::unexpected(v.error());
    *into = *v;
  }
  auto year = r.OptionalInt("year", 2000, 2100);
  if (!year) return std::unexpected(year.error());
  if (!*year) return Invalid("field.required", "year", {{"field", "year"}});
  c.year = static_cast<int>(**year);
  auto envelope = r.OptionalInt("envelope_minor", 1, 1'000'000'000'000LL);
  if (!envelope) return std::unexpected(envelope.error());
  if (!*envelope) return Invalid("field.required", "envelope_minor", {{"field", "envelope_minor"}});
  c.envelope_minor = **envelope;
  auto eligibility = r.OptionalObject("eligibility");
  if (!eligibility) return std::unexpected(eligibility.error());
  if (*eligibility) {
    http::ObjectReader e(**eligibility, "eligibility.");
    auto kinds = e.StringArray("kinds", false, 10);
    if (!kinds) return std::unexpected(kinds.error());
    auto situations = e.StringArray("situations", false, 10);
    if (!situations) return std::unexpected(situations.error());
    auto min_age = e.OptionalInt("min_age", 0, 150);
    if (!min_age) return std::unexpected(min_age.error());
    auto max_age = e.OptionalInt("max_age", 0, 150);
    if (!max_age) return std::unexpected(max_age.error());
    auto training = e.OptionalString("requires_training", 40);
    if (!training) return std::unexpected(training.error());
    if (auto st = e.RejectUnknown(); !st) return std::unexpected(st.error());
    c.eligibility = {*kinds, *situations, static_cast<int>(min_age->value_or(emp::kMinAge)),
                     static_cast<int>(max_age->value_or(emp::kMaxAge)), *training};
  }
  auto rubric = r.RequiredArray("rubric", 20);
  if (!rubric) return std::unexpected(rubric.error());
  for (std::size_t i = 0; i < (*rubric)->size(); ++i) {
    const auto& item = (**rubric)[i];
    const std::string where = "rubric[" + std::to_string(i) + "].";
    if (!item.is_object()) return Invalid("field.not_object", where, {{"field", "rubric"}});
    http::ObjectReader cr(item, where);
    auto ccode = cr.RequiredString("code", 40);
    if (!ccode) return std::unexpected(ccode.error());
    auto max = cr.OptionalInt("max_points", -1000, 1000);
    if (!max) return std::unexpected(max.error());
    auto weight = cr.OptionalNumber("weight", -1000, 1000);
    if (!weight) return std::unexpected(weight.error());
    if (auto st = cr.RejectUnknown(); !st) return std::unexpected(st.error());
    c.rubric.push_back({*ccode, static_cast<int>(max->value_or(0)), weight->value_or(1.0)});
  }
  auto version = r.OptionalInt("version", 1, 1LL << 50);
  if (!version) return std::unexpected(version.error());
  c.version = version->value_or(0);
  if (auto st = r.RejectUnknown(); !st) return std::unexpected(st.error());
  return c;
}

Status AuditRead(Services& s, const http::Request& req, const std::string& action, std::int64_t id) {
  return AuditRequest(s, req, action, "empowerment_application", std::to_string(id));
}

http::Response Ok(int status, const json& j) { return http::JsonResponse(status, j.dump()); }

http::Response CreateCall(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(call, ReadCallBody(*body));
  TRY_OR_RESPOND(id, s.empowerment_funding->CreateCall(*call, ActingOf(s, req)));
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(view, s.empowerment_funding->ViewCall(*id, acting.scope));
  return Ok(201, CallRowJson(view->row));
}

http::Response UpdateCall(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  TRY_OR_RESPOND(call, ReadCallBody(*body));
  if (call->version == 0)
    return http::ErrorResponse(Invalid("field.required", "version", {{"field", "version"}}).error());
  call->id = *id;
  const auto acting = ActingOf(s, req);
  if (auto st = s.empowerment_funding->UpdateCall(*call, acting); !st) return http::ErrorResponse(st.error());
  TRY_OR_RESPOND(view, s.empowerment_funding->ViewCall(*id, acting.scope));
  return Ok(200, CallRowJson(view->row));
}

http::Response ListCalls(Services& s, http::Request& req) {
  http::QueryReader q(req);
  TRY_OR_RESPOND(year, q.Int("year", 0, 0, 2100));
  if (auto st = q.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(rows, s.empowerment_calls->List(acting.scope, *year ? std::optional<int>(*year) : std::nullopt));
  json items = json::array();
  for (const auto& r : *rows) items.push_back(CallRowJson(r));
  return Ok(200, json{{"items", items}});
}

http::Response ReadCall(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(view, s.empowerment_funding->ViewCall(*id, acting.scope));
  json out = CallRowJson(view->row);
  json apps = json::array(), ids = json::array(), by_state = json::object();
  for (const auto& a : view->applications) {
    apps.push_back(ApplicationJson(a));
    ids.push_back(a.id);
    const std::string state(emp::AppStateName(a.state));
    by_state[state] = by_state.value(state, 0) + 1;
  }
  json funded = json::array();
  for (const auto& [app, amount] : view->trial.funded) funded.push_back({{"id", app}, {"amount_minor", amount}});
  out["applications_list"] = apps;
  out["by_state"] = by_state;
  out["trial_allocation"] = {{"funded", funded},
                             {"unfunded", view->trial.unfunded},
                             {"used_minor", view->trial.used_minor},
                             {"remaining_minor", view->trial.remaining_minor}};
  // The applications listed are personal records: the read is audited before they leave.
  if (auto st = AuditRequest(s, req, "search", "empowerment_application", "", json{{"call", *id}, {"ids", ids}}.dump());
      !st)
    return http::ErrorResponse(st.error());
  return Ok(200, out);
}

http::Response StaffApply(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(registration, r.OptionalInt("registration_id", 1, 1LL << 53));
  TRY_OR_RESPOND(requested, r.OptionalInt("requested_minor", 1, 1'000'000'000'000LL));
  TRY_OR_RESPOND(summary, r.RequiredString("summary", 4000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*registration)
    return http::ErrorResponse(Invalid("field.required", "registration_id", {{"field", "registration_id"}}).error());
  if (!*requested)
    return http::ErrorResponse(Invalid("field.required", "requested_minor", {{"field", "requested_minor"}}).error());
  TRY_OR_RESPOND(app, s.empowerment_funding->Apply(*id, **registration, **requested, *summary, ActingOf(s, req)));
  if (auto st = AuditRead(s, req, "create", *app); !st) return http::ErrorResponse(st.error());
  return Ok(201, json{{"id", *app}, {"state", "draft"}});
}

http::Response ReadApplication(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(d, s.empowerment_funding->Read(*id, acting.scope));
  if (auto st = AuditRead(s, req, "view", *id); !st) return http::ErrorResponse(st.error());
  json out = ApplicationJson(d->application);
  out["call"] = CallJson(d->call);
  json reviews = json::array();
  for (const auto& r : d->reviews) {
    json points = json::object();
    for (const auto& [k, v] : r.review.points) points[k] = v;
    reviews.push_back({{"reviewer", r.review.reviewer},
                       {"conflict_of_interest", r.review.conflict_of_interest},
                       {"points", points},
                       {"comment", OrNull(r.comment)},
                       {"reviewed_at", r.reviewed_at}});
  }
  json tranches = json::array();
  for (const auto& t : d->tranches) {
    tranches.push_back({{"n", t.n},
                        {"milestone", t.milestone},
                        {"amount_minor", t.planned_minor},
                        {"paid_on", OrNull(t.paid_on)},
                        {"paid_by", OrNull(t.paid_by)},
                        {"benefit_id", t.benefit_id ? json(*t.benefit_id) : json(nullptr)},
                        {"requires_training", OrNull(t.requires_training)}});
  }
  json events = json::array();
  for (const auto& e : d->events) {
    events.push_back(
        {{"from", OrNull(e.from)}, {"to", e.to}, {"actor", e.actor}, {"at", e.at}, {"note", OrNull(e.note)}});
  }
  out["reviews"] = reviews;
  out["tranches"] = tranches;
  out["events"] = events;
  return Ok(200, out);
}

// Answers a write with the application as it now is (its read is audited like any other).
http::Response After(Services& s, http::Request& req, std::int64_t id, const std::string& action) {
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(d, s.empowerment_funding->Read(id, acting.scope));
  if (auto st = AuditRead(s, req, action, id); !st) return http::ErrorResponse(st.error());
  return Ok(200, ApplicationJson(d->application));
}

http::Response Submit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  if (auto st = s.empowerment_funding->Submit(*id, ActingOf(s, req)); !st) return http::ErrorResponse(st.error());
  return After(s, req, *id, "submit");
}

http::Response Eligibility(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(state, s.empowerment_funding->CheckEligibility(*id, ActingOf(s, req)));
  return After(s, req, *id, "eligibility");
}

http::Response Transition(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(to, r.RequiredString("to", 40));
  TRY_OR_RESPOND(reason, r.OptionalString("reason", 2000));
  TRY_OR_RESPOND(note, r.OptionalString("public_note", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto state = emp::ParseAppState(*to);
  if (!state)
    return http::ErrorResponse(
        Invalid("value.not_allowed", "to", {{"field", "to"}, {"allowed", "…"}, {"value", *to}}).error());
  if (auto st = s.empowerment_funding->Transition(*id, *state, *reason, *note, ActingOf(s, req)); !st)
    return http::ErrorResponse(st.error());
  return After(s, req, *id, "transition");
}

http::Response Review(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(conflict, r.OptionalBool("conflict_of_interest"));
  TRY_OR_RESPOND(points, r.OptionalObject("points"));
  TRY_OR_RESPOND(comment, r.OptionalString("comment", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  emp::ReviewInput in;
  in.conflict_of_interest = conflict->value_or(false);
  in.comment = *comment;
  if (*points) {
    for (const auto& [k, v] : (*points)->items()) {
      if (!v.is_number_integer()) {
        return http::ErrorResponse(Invalid("field.not_integer", "points." + k, {{"field", k}}).error());
      }
      const auto p = v.get<long long>();
      // Beyond int: out of range all the same (CheckPoints names the criterion).
      in.points.emplace_back(k, p > 100000 ? 100000 : (p < -100000 ? -100000 : static_cast<int>(p)));
    }
  }
  TRY_OR_RESPOND(state, s.empowerment_funding->AddReview(*id, in, ActingOf(s, req)));
  return After(s, req, *id, "review");
}

http::Response Propose(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(decision, r.RequiredString("decision", 20));
  TRY_OR_RESPOND(amount, r.OptionalInt("amount_minor", 1, 1'000'000'000'000LL));
  TRY_OR_RESPOND(reason, r.OptionalString("reason", 2000));
  TRY_OR_RESPOND(minutes, r.OptionalString("minutes", 8000));
  TRY_OR_RESPOND(note, r.OptionalString("public_note", 2000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  const auto state = emp::ParseAppState(*decision);
  if (!state || (*state != emp::AppState::kApproved && *state != emp::AppState::kRejected &&
                 *state != emp::AppState::kDeferred)) {
    return http::ErrorResponse(
        Invalid("value.not_allowed", "decision",
                {{"field", "decision"}, {"allowed", "approved, rejected, deferred"}, {"value", *decision}})
            .error());
  }
  emp::DecisionInput in{*state, *amount, *reason, *minutes, *note};
  if (auto st = s.empowerment_funding->Propose(*id, in, ActingOf(s, req)); !st) return http::ErrorResponse(st.error());
  return After(s, req, *id, "propose");
}

http::Response Confirm(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(state, s.empowerment_funding->Confirm(*id, ActingOf(s, req)));
  return After(s, req, *id, "decide");
}

http::Response Agreement(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(items, r.RequiredArray("tranches", 12));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  std::vector<emp::TranchePlan> plan;
  for (std::size_t i = 0; i < (*items)->size(); ++i) {
    const auto& item = (**items)[i];
    const std::string where = "tranches[" + std::to_string(i) + "].";
    if (!item.is_object())
      return http::ErrorResponse(Invalid("field.not_object", where, {{"field", "tranches"}}).error());
    http::ObjectReader tr(item, where);
    TRY_OR_RESPOND(milestone, tr.RequiredString("milestone", 500));
    TRY_OR_RESPOND(amount, tr.OptionalInt("amount_minor", -1'000'000'000'000LL, 1'000'000'000'000LL));
    TRY_OR_RESPOND(training, tr.OptionalString("requires_training", 40));
    if (auto st = tr.RejectUnknown(); !st) return http::ErrorResponse(st.error());
    plan.push_back({*milestone, amount->value_or(0), *training});
  }
  if (auto st = s.empowerment_funding->SignAgreement(*id, plan, ActingOf(s, req)); !st)
    return http::ErrorResponse(st.error());
  return After(s, req, *id, "agreement");
}

http::Response Pay(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  TRY_OR_RESPOND(n, http::PathId(req, "n"));
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(state, s.empowerment_funding->PayTranche(*id, static_cast<int>(*n), acting.scope.day, acting));
  return After(s, req, *id, "pay");
}

// Her side, by tracking code.
json PublicJson(const emp::PublicApplication& p) {
  return {{"id", p.id},
          {"call",
           {{"code", p.call.code},
            {"name_ar", p.call.name_ar},
            {"name_fr", p.call.name_fr},
            {"name_en", p.call.name_en},
            {"currency", p.call.currency},
            {"closes_at", p.call.closes_at},
            {"requires_training", OrNull(p.call.eligibility.requires_training)}}},
          {"state", emp::AppStateName(p.state)},
          {"requested_minor", p.requested_minor},
          {"approved_minor", OrNull(p.approved_minor)},
          {"public_note", OrNull(p.public_note)},
          {"submitted_at", OrNull(p.submitted_at)},
          {"reasons", p.reasons},
          {"tranches", p.tranches},
          {"tranches_paid", p.tranches_paid}};
}

http::Response Mine(Services& s, http::Request& req) {
  const auto acting = ActingOf(s, req);
  TRY_OR_RESPOND(apps, s.empowerment_funding->Mine(req.Param("code")));
  TRY_OR_RESPOND(open, s.empowerment_funding->OpenCalls(req.Param("code"), acting.scope.day));
  json items = json::array(), calls = json::array();
  for (const auto& p : *apps) items.push_back(PublicJson(p));
  for (const auto& c : *open) {
    json j = CallJson(c);
    j.erase("version");
    calls.push_back(std::move(j));
  }
  return Ok(200, json{{"applications", items}, {"open_calls", calls}});
}

http::Response PublicApply(Services& s, http::Request& req) {
  TRY_OR_RESPOND(body, http::ParseJsonObject(req));
  http::ObjectReader r(*body);
  TRY_OR_RESPOND(call, r.RequiredString("call_code", 40));
  TRY_OR_RESPOND(requested, r.OptionalInt("requested_minor", 1, 1'000'000'000'000LL));
  TRY_OR_RESPOND(summary, r.RequiredString("summary", 4000));
  if (auto st = r.RejectUnknown(); !st) return http::ErrorResponse(st.error());
  if (!*requested)
    return http::ErrorResponse(Invalid("field.required", "requested_minor", {{"field", "requested_minor"}}).error());
  TRY_OR_RESPOND(id,
                 s.empowerment_funding->ApplyByCode(req.Param("code"), *call, **requested, *summary, ActingOf(s, req)));
  return Ok(201, json{{"id", *id}, {"state", "draft"}});
}

http::Response PublicSubmit(Services& s, http::Request& req) {
  TRY_OR_RESPOND(id, http::PathId(req));
  if (auto st = s.empowerment_funding->SubmitByCode(req.Param("code"), *id, ActingOf(s, req)); !st)
    return http::ErrorResponse(st.error());
  return Ok(200, json{{"id", *id}, {"state", "submitted"}});
}

}  // namespace

void AddEmpowermentFundingRoutes(http::RouteTable& t, Services& s) {
  using P = auth::Permission;
  auto route = [&](const char* method, const char* path, P p, http::Response (*f)(Services&, http::Request&)) {
    http::Route r{method, path, p, [&s, f](http::Request& req) { return f(s, req); }};
    r.max_body = 64 * 1024;
    t.push_back(std::move(r));
  };
  route("GET", "/api/v1/empowerment/calls", P::kEmpowermentRead, ListCalls);
  route("POST", "/api/v1/empowerment/calls", P::kEmpowermentManage, CreateCall);
  route("GET", "/api/v1/empowerment/calls/:id", P::kEmpowermentRead, ReadCall);
  route("PUT", "/api/v1/empowerment/calls/:id", P::kEmpowermentManage, UpdateCall);
  route("POST", "/api/v1/empowerment/calls/:id/applications", P::kEmpowermentManage, StaffApply);
  route("GET", "/api/v1/empowerment/applications/:id", P::kEmpowermentRead, ReadApplication);
  route("POST", "/api/v1/empowerment/applications/:id/submit", P::kEmpowermentManage, Submit);
  route("POST", "/api/v1/empowerment/applications/:id/eligibility", P::kEmpowermentManage, Eligibility);
  route("POST", "/api/v1/empowerment/applications/:id/transitions", P::kEmpowermentManage, Transition);
  route("POST", "/api/v1/empowerment/applications/:id/reviews", P::kEmpowermentCommittee, Review);
  route("POST", "/api/v1/empowerment/applications/:id/decision", P::kEmpowermentCommittee, Propose);
  route("POST", "/api/v1/empowerment/applications/:id/decision/confirm", P::kEmpowermentCommittee, Confirm);
  route("POST", "/api/v1/empowerment/applications/:id/agreement", P::kEmpowermentManage, Agreement);
  route("POST", "/api/v1/empowerment/applications/:id/tranches/:n/pay", P::kEmpowermentManage, Pay);

  // Her side shares one limit per address, like her status page: codes cannot be tried in bulk here.
  auto by_code = std::make_shared<http::RateLimiter>(60, 20);
  auto pub = [&](const char* method, const char* path, http::Response (*f)(Services&, http::Request&)) {
    http::Route r{method, path, P::kPublic, [&s, f](http::Request& req) { return f(s, req); }};
    r.max_body = 16 * 1024;
    r.limit = by_code;
    t.push_back(std::move(r));
  };
  pub("GET", "/api/v1/public/empowerment/registrations/:code/applications", Mine);
  pub("POST", "/api/v1/public/empowerment/registrations/:code/applications", PublicApply);
  pub("POST", "/api/v1/public/empowerment/registrations/:code/applications/:id/submit", PublicSubmit);
}

}  // namespace sanad::api
